package main

import (
	"testing"

	"danvan/config"
	"danvan/flows"
)

// TestReminderRulesPerKind: a period kind with a ladder of its own in the configuration gets it
// in the scheduler's rules; the others get the default ladder.
func TestReminderRulesPerKind(t *testing.T) {
	r := config.Default().Reminders
	year := append([]config.StepConfig{{ID: "-14d", Days: -14, At: "08:00"}}, r.Ladder...)
	r.Periods = map[flows.PeriodKind]config.PeriodReminders{flows.Year: {Ladder: year}}
	rules := reminderRules(r)
	tests := []struct {
		kind  flows.PeriodKind
		first string
		n     int
	}{
		{flows.Year, "-14d", len(r.Ladder) + 1},
		{flows.Q1, "-7d", len(r.Ladder)},
		{flows.Q3, "-7d", len(r.Ladder)},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			got := rules.StepsFor(tt.kind)
			if len(got) != tt.n || got[0].ID != tt.first {
				t.Errorf("StepsFor(%s): got %d steps from %q, want %d from %q", tt.kind, len(got), got[0].ID, tt.n, tt.first)
			}
		})
	}
	if rules.StepsFor(flows.Year)[0].At.Hours() != 8 {
		t.Errorf("-14d at: got %v, want 8h", rules.StepsFor(flows.Year)[0].At)
	}
}
