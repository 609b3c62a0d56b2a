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
	s := reminders.New(reminders.Config{Store: newFakeStore(), Calendar: testCalendar(), Dir: mustDir(t),
		Forms: testForms, Rules: yearEarly(), Log: slogDiscard()})
	plan, err := s.Plan(context.Background(), at("2026-01-05 10:00"))
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
		"2026-Q1": "-7d 2026-02-13 08:00",
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
