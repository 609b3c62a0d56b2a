package demo

import (
	"strings"
	"testing"
	"time"

	"danvan/flows"
)

var (
	vietnam = time.FixedZone("ICT", 7*3600)
	testCal = flows.Calendar{Loc: vietnam, Specs: []flows.PeriodSpec{
		{Kind: flows.Q1, Name: flows.Text{Vi: "Quý I"}, Due: flows.MonthDay{Month: 3, Day: 15}, OpenDays: 45, CloseDays: 30},
	}}
)

// fakeReal is a real clock a test moves by hand.
type fakeReal struct{ t time.Time }

func (f *fakeReal) now() time.Time { return f.t }

func at(tb testing.TB, s string) time.Time {
	tb.Helper()
	t, err := time.ParseInLocation("02/01/2006 15:04", s, vietnam)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

// TestClockSetAtAnyHour: whatever the real time of day, a day set goes to DayAt, and the clock
// runs on from there at the real pace.
func TestClockSetAtAnyHour(t *testing.T) {
	for _, hour := range []string{"00:30", "08:30", "09:30", "19:30", "23:59"} {
		t.Run(hour, func(t *testing.T) {
			real := &fakeReal{at(t, "20/02/2026 "+hour)}
			c := NewClock(testCal, real.now)
			if err := c.Set("16/03/2026"); err != nil {
				t.Fatalf("Set: got %v, want nil", err)
			}
			if got, want := c.Now(), at(t, "16/03/2026 10:00"); !got.Equal(want) {
				t.Errorf("got %v, want %v", got, want)
			}
			real.t = real.t.Add(90 * time.Minute)
			if got, want := c.Now(), at(t, "16/03/2026 11:30"); !got.Equal(want) {
				t.Errorf("an hour and a half later: got %v, want %v", got, want)
			}
		})
	}
}

// TestClockSetTakesDaysAsTyped: "16/3/2026" is the day people type as often as "16/03/2026".
func TestClockSetTakesDaysAsTyped(t *testing.T) {
	for _, day := range []string{"16/3/2026", "16/03/2026", " 16/3/2026 "} {
		real := &fakeReal{at(t, "20/02/2026 08:30")}
		c := NewClock(testCal, real.now)
		if err := c.Set(day); err != nil {
			t.Fatalf("Set(%q): got %v, want nil", day, err)
		}
		if got, want := c.Now(), at(t, "16/03/2026 10:00"); !got.Equal(want) {
			t.Errorf("Set(%q): got %v, want %v", day, got, want)
		}
	}
}

func TestClockSetRefusesABadDay(t *testing.T) {
	real := &fakeReal{at(t, "20/02/2026 08:30")}
	c := NewClock(testCal, real.now)
	for _, day := range []string{"hôm qua", "31/02/2026", "2026-03-16"} {
		err := c.Set(day)
		if err == nil || !strings.HasPrefix(err.Error(), "«"+day+"» không phải là ngày") {
			t.Errorf("Set(%q): got %v, want an error in Vietnamese first", day, err)
		}
	}
	if got := c.Now(); !got.Equal(real.t) {
		t.Errorf("after refused days: got %v, want the real time %v", got, real.t)
	}
}

// TestNewClockFindsAnOpenPeriod: started between two reporting windows, the demo moves on to the
// next one, at the real time of day; inside one it starts at the real time.
func TestNewClockFindsAnOpenPeriod(t *testing.T) {
	tests := []struct{ real, want string }{
		{"20/02/2026 08:30", "20/02/2026 08:30"}, // Q1 2026 is open
		{"01/06/2026 08:30", "30/01/2027 08:30"}, // closed 14/04: the next Q1 opens 45 days before the end of 15/03
	}
	for _, tt := range tests {
		real := &fakeReal{at(t, tt.real)}
		if got, want := NewClock(testCal, real.now).Now(), at(t, tt.want); !got.Equal(want) {
			t.Errorf("real %s: got %v, want %v", tt.real, got, want)
		}
	}
}
