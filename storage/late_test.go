package storage

import (
	"fmt"
	"testing"
	"time"

	"danvan/flows"
)

// TestTallyLateFollowsVersionInForce: a unit that reported on time and corrected its report 78
// days after the due date counts as late, since the figures in force came in then; the tally a
// submission moves and a recount from the stored submissions agree.
func TestTallyLateFollowsVersionInForce(t *testing.T) {
	for _, cluster := range clusterModes() {
		t.Run(fmt.Sprintf("cluster=%t", cluster), func(t *testing.T) {
			s := mustModelStore(t)
			s.cluster = cluster
			early := dueQ1.Add(-24 * time.Hour)
			v1 := tsub("w1-pn", "membership", 1, early, early, map[string]int64{"members": 90})
			mustApply(t, s, flows.Submit{Submission: v1, Form: testForm})
			if got := mustTallies(t, s, tk("w1", "phunu", "membership"))[tk("w1", "phunu", "membership")]; got.Late != 0 {
				t.Errorf("on time: got late %d, want 0", got.Late)
			}
			v2 := tsub("w1-pn", "membership", 2, dueQ1.Add(78*24*time.Hour), early, map[string]int64{"members": 95})
			mustApply(t, s, flows.Submit{Submission: v2, Form: testForm, Replaces: &v1})
			if got := mustTallies(t, s, tk("w1", "phunu", "membership"))[tk("w1", "phunu", "membership")]; got.Late != 1 || got.Reported != 1 {
				t.Errorf("corrected 78 days late: got reported %d late %d, want 1 and 1", got.Reported, got.Late)
			}
			checkTallies(t, s, mustDir(t, tallyOrgs, tallyNodes), "2026-Q1", "membership")
		})
	}
}
