package testkit

import (
	"testing"

	"danvan/flows"
	"danvan/reminders"
)

// MustStepsFor checks rules built from a default ladder of n steps (first "-7d") plus a Year
// ladder of its own that starts "-14d" and otherwise is the default: the Year gets its own, Q1
// and Q3 the default.
func MustStepsFor(t *testing.T, rules reminders.Rules, n int) {
	t.Helper()
	tests := []struct {
		kind  flows.PeriodKind
		first string
		n     int
	}{
		{flows.Year, "-14d", n + 1},
		{flows.Q1, "-7d", n},
		{flows.Q3, "-7d", n},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			got := rules.StepsFor(tt.kind)
			if len(got) != tt.n || got[0].ID != tt.first {
				t.Errorf("StepsFor(%s): got %d steps from %q, want %d from %q", tt.kind, len(got), got[0].ID, tt.n, tt.first)
			}
		})
	}
}
