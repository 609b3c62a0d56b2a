package reminders_test

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"danvan/flows"
	"danvan/internal/redistest"
	"danvan/internal/testkit"
	"danvan/reminders"
)

func TestAllowed(t *testing.T) {
	r := testRules()
	tests := []struct{ name, in, want string }{
		{"inside hours", "2026-03-10 10:00", "2026-03-10 10:00"},
		{"before hours", "2026-03-10 06:00", "2026-03-10 07:30"},
		{"at the end", "2026-03-10 20:00", "2026-03-11 07:30"},
		{"sunday", "2026-03-15 09:00", "2026-03-16 07:30"},
		{"saturday night to monday", "2026-03-14 21:00", "2026-03-16 07:30"},
		{"tết", "2026-02-13 20:30", "2026-02-23 07:30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := r.Allowed(at(tt.in)); !got.Equal(at(tt.want)) {
				t.Errorf("Allowed(%s): got %s, want %s", tt.in, got.Format("2006-01-02 15:04"), tt.want)
			}
		})
	}
}

// yearEarly is testRules with a ladder of its own for the Year: the default one with a step
// two weeks before the due day.
func yearEarly() reminders.Rules {
	r := testRules()
	early := reminders.Step{ID: "-14d", Days: -14, At: 8 * time.Hour}
	r.ByKind = map[flows.PeriodKind][]reminders.Step{flows.Year: append([]reminders.Step{early}, r.Steps...)}
	return r
}

func TestStepsFor(t *testing.T) {
	r := yearEarly()
	r.ByKind[flows.Q3] = nil // empty: the default ladder
	testkit.MustStepsFor(t, r, len(r.Steps))
}

// TestPlanLadderPerKind: /calendar's ladder shows the Year's own first step and the default
// ladder for the other periods.
func TestPlanLadderPerKind(t *testing.T) {
	fs := newFakeStore()
	s := reminders.New(reminders.Config{Store: fs, Survey: fs, Calendar: testCalendar(), Dir: mustDir(t),
		Forms: testForms, Rules: yearEarly(), Log: slogDiscard()})
	plan, err := s.Plan(context.Background(), at("2026-01-05 10:00"), flows.Person{Admin: true})
	if err != nil {
		t.Fatal(err)
	}
	first := map[string]string{}
	for _, st := range plan.Ladder {
		if _, ok := first[st.Period]; !ok && !st.Digest {
			first[st.Period] = st.Step + " " + st.At.Format("2006-01-02 15:04")
		}
	}
	want := map[string]string{
		"2026-Q1": "due 2026-02-13 07:30", // due in Tết: before it, on the day of −7d
		"2026-H1": "-7d 2026-06-08 08:00",
		"2026-Q3": "-7d 2026-09-08 08:00",
		"2026-Y":  "-14d 2026-11-02 07:30", // 01/11 is a Sunday
	}
	for p, w := range want {
		if first[p] != w {
			t.Errorf("first step of %s: got %q, want %q", p, first[p], w)
		}
	}
}

// TestTickLadderPerKind: on the Monday two weeks before the Year is due, the Year's own ladder
// reminds the organisers; the default ladder has nothing for the Year yet.
func TestTickLadderPerKind(t *testing.T) {
	tests := []struct {
		name  string
		rules reminders.Rules
		want  []string
	}{
		{"default ladder", testRules(), nil},
		{"year's own ladder", yearEarly(), []string{"an: 11-02 07:30 remind 2026-Y tp-phunu,tp-doan", "binh: 11-02 07:30 remind 2026-Y st-phunu"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := &testkit.Clock{}
			clk.Set(at("2026-11-02 07:30"))
			rec := newRecorder(clk.Now)
			s := mustSchedulerRules(t, newFakeStore(), testkit.StoreAt(t, redistest.Addr(), redistest.Prefix(t, "ladder")), rec, "a", clk.Now, tt.rules)
			if err := s.Tick(context.Background(), clk.Now()); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, id := range slices.Sorted(maps.Keys(rec.got)) {
				for _, m := range rec.got[id] {
					if strings.Contains(m, "2026-Y") {
						got = append(got, id+": "+m)
					}
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Year reminders: got %q, want %q", got, tt.want)
			}
		})
	}
}

// defaultCalendar is the calendar of config/defaults/calendar.yaml: Q1 due 15/03, H1 15/06, the
// nine months 15/09 and the Year 15/11. In 2026, 15/03 and 15/11 are Sundays.
func defaultCalendar() flows.Calendar {
	cal := testCalendar()
	cal.Specs[0].Due = flows.MonthDay{Month: 3, Day: 15}
	return cal
}

// TestDueStepOnForbiddenDay: a due day on a Sunday or a holiday moves the due-day reminder to the
// working day before, at its own time, instead of dropping it behind the +1d step; a due day
// that may be sent on keeps it; the steps after the due day still wait for the next allowed day.
func TestDueStepOnForbiddenDay(t *testing.T) {
	holiday := reminders.DefaultRules()
	holiday.Holidays = []string{"2026-06-15"} // H1's due day, a Monday
	tests := []struct {
		name   string
		cal    flows.Calendar
		rules  reminders.Rules
		period string
		want   []string
	}{
		{"Q1 due on a Sunday", defaultCalendar(), reminders.DefaultRules(), "2026-Q1",
			[]string{"-7d@03-09 07:30", "-2d@03-13 08:00", "due@03-14 07:30", "+1d@03-16 08:00", "+3d@03-18 08:00"}},
		{"Year due on a Sunday", defaultCalendar(), reminders.DefaultRules(), "2026-Y",
			[]string{"-7d@11-09 07:30", "-2d@11-13 08:00", "due@11-14 07:30", "+1d@11-16 08:00", "+3d@11-18 08:00"}},
		{"H1 due on a Monday", defaultCalendar(), reminders.DefaultRules(), "2026-H1",
			[]string{"-7d@06-08 08:00", "-2d@06-13 08:00", "due@06-15 07:30", "+1d@06-16 08:00", "+3d@06-18 08:00"}},
		// Back over the Sunday to Saturday, the day of −2d: one reminder that day, the due one.
		{"H1 due on a Monday holiday", defaultCalendar(), holiday, "2026-H1",
			[]string{"-7d@06-08 08:00", "due@06-13 07:30", "+1d@06-16 08:00", "+3d@06-18 08:00"}},
		// Tết 14–22/02: −2d and due go back to the last working day before it, the day of −7d.
		{"Q1 due in Tết", testCalendar(), testRules(), "2026-Q1",
			[]string{"due@02-13 07:30", "+3d@02-23 08:00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := newFakeStore()
			s := reminders.New(reminders.Config{Store: fs, Survey: fs, Calendar: tt.cal, Dir: mustDir(t),
				Forms: testForms, Rules: tt.rules, Log: slogDiscard()})
			plan, err := s.Plan(context.Background(), at("2026-01-05 10:00"), flows.Person{Admin: true})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, st := range plan.Ladder {
				if st.Period == tt.period && !st.Digest {
					got = append(got, st.Step+"@"+st.At.Format("01-02 15:04"))
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("ladder of %s: got %q, want %q", tt.period, got, tt.want)
			}
		})
	}
}

// TestDueStepOnSundayGoesSaturday: with the default calendar and rules, Q1 2026 is due on
// Sunday 15/03; the organisers get −2d on Friday and the due-day reminder on Saturday morning.
func TestDueStepOnSundayGoesSaturday(t *testing.T) {
	clk := &testkit.Clock{}
	rec := newRecorder(clk.Now)
	rs := testkit.StoreAt(t, redistest.Addr(), redistest.Prefix(t, "sunday"))
	fs := newFakeStore()
	s := reminders.New(reminders.Config{Store: fs, Survey: fs, Steps: rs, Claims: rs, Snoozes: rs, Nudges: rs, Sender: rec,
		Calendar: defaultCalendar(), Dir: mustDir(t), Forms: testForms, Rules: reminders.DefaultRules(),
		Holder: "a", Workers: 2, Now: clk.Now, Log: slogDiscard()})
	for _, tick := range []string{"2026-03-13 08:00", "2026-03-13 19:55", "2026-03-14 07:30", "2026-03-14 19:55"} {
		clk.Set(at(tick))
		if err := s.Tick(context.Background(), clk.Now()); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"03-13 08:00 remind 2026-Q1 tp-phunu,tp-doan", "03-14 07:30 remind 2026-Q1 tp-phunu,tp-doan"}
	if got := rec.got["an"]; !slices.Equal(got, want) {
		t.Errorf("an: got %q, want %q", got, want)
	}
}
