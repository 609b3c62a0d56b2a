package main

import (
	"testing"

	"danvan/config"
	"danvan/flows"
	"danvan/internal/testkit"
)

// TestReminderRulesPerKind: a period kind with a ladder of its own in the configuration gets it
// in the scheduler's rules; the others get the default ladder.
func TestReminderRulesPerKind(t *testing.T) {
	r := config.Default().Reminders
	year := append([]config.StepConfig{{ID: "-14d", Days: -14, At: "08:00"}}, r.Ladder...)
	r.Periods = map[flows.PeriodKind]config.PeriodReminders{flows.Year: {Ladder: year}}
	rules := reminderRules(r)
	testkit.MustStepsFor(t, rules, len(r.Ladder))
	if rules.StepsFor(flows.Year)[0].At.Hours() != 8 {
		t.Errorf("-14d at: got %v, want 8h", rules.StepsFor(flows.Year)[0].At)
	}
}
