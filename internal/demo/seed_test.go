package demo

import (
	"slices"
	"testing"

	"danvan/config"
	"danvan/flows"
)

// TestSeedShowsTheProvince: on the shipped configuration the demo's people sit in Lai Châu
// province of 2025 and its sample reports are those of each period's own units: the old city's
// before 1 July 2025, the province's 38 communes and wards after it.
func TestSeedShowsTheProvince(t *testing.T) {
	cfg := config.Default()
	dir, err := cfg.Directory()
	if err != nil {
		t.Fatal(err)
	}
	m := Model{Calendar: cfg.FlowsCalendar(), Dir: dir, Forms: cfg.Forms}
	if n, ok := dir.Node(leaderScope); !ok || n.IsUnit() || n.Name.Vi != "Tỉnh Lai Châu" {
		t.Errorf("leader's scope %q: got %+v, want the province", leaderScope, n)
	}
	tests := []struct {
		day                   string
		prev                  int // units with a report in the period before
		curPeriod, prevPeriod string
	}{
		// Q3 2025 is due after the merger, the first half-year before it
		{"20/09/2025", 6 + 7*5, "2025-Q3", "2025-H1"},
		{"13/03/2026", 6 + 38*5, "2026-Q1", "2025-Y"},
	}
	for _, tt := range tests {
		t.Run(tt.day, func(t *testing.T) {
			var store fakeStore
			now := at(t, tt.day+" 10:00")
			if err := seed(t.Context(), &store, m, now); err != nil {
				t.Fatal(err)
			}
			units := map[string][]string{}
			for _, e := range store.effects {
				s := e.(flows.Submit).Submission
				if !slices.Contains(units[s.Key.Period], s.Key.Unit) {
					units[s.Key.Period] = append(units[s.Key.Period], s.Key.Unit)
				}
			}
			if got := len(units[tt.prevPeriod]); got != tt.prev {
				t.Errorf("units reported for %s: got %d, want %d", tt.prevPeriod, got, tt.prev)
			}
			cur := dir.In(mustPeriod(t, m.Calendar, tt.curPeriod))
			for _, u := range units[tt.curPeriod] {
				if cur.UnitCount(u, flows.AllOrgs) == 0 || slices.Contains(organiserUnits, u) {
					t.Errorf("%s: got a sample report of %s, want none (not of the period, or the organiser's)", tt.curPeriod, u)
				}
			}
			if len(units[tt.curPeriod]) == 0 {
				t.Errorf("%s: got no sample report, want most units'", tt.curPeriod)
			}
			for _, u := range organiserUnits {
				if _, ok := dir.Node(u); !ok {
					t.Errorf("organiser's unit %s: not in the directory", u)
				}
			}
		})
	}
}

func mustPeriod(tb testing.TB, cal flows.Calendar, id string) flows.Period {
	tb.Helper()
	p, ok := cal.Period(id)
	if !ok {
		tb.Fatalf("period %s: none", id)
	}
	return p
}
