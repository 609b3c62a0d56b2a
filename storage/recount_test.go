package storage

import (
	"testing"
	"time"

	"danvan/flows"
)

// TestRecountAfterDirectoryChange removes a unit that had reported from the directory: after the
// recount at start the figures of the periods in use (the open one and the one before it) no
// longer include it, and an older period's are left as they were.
func TestRecountAfterDirectoryChange(t *testing.T) {
	s, ctx := mustModelStore(t), t.Context()
	periods := []string{"2024-Q1", "2025-Q1", "2026-Q1"}
	for _, period := range periods {
		for _, unit := range []string{"w1-pn", "w1-dn"} {
			k := flows.Key{Unit: unit, Period: period, Form: "membership"}
			mustApply(t, s, flows.Submit{Submission: flows.Submission{Key: k, Values: map[string]int64{"members": 4}, By: "tg:1", At: dueQ1, Version: 1, Ref: "R"}})
		}
	}
	var nodes []flows.Node
	for _, n := range tallyNodes {
		if n.ID != "w1-dn" {
			nodes = append(nodes, n)
		}
	}
	s.UseModel(mustDir(t, tallyOrgs, nodes), tallyCal, tallyInds)
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	if _, err := s.Recount(ctx, []flows.Form{{ID: "membership"}}, now); err != nil {
		t.Fatalf("Recount: got %v, want nil", err)
	}
	want := map[string]int{"2024-Q1": 2, "2025-Q1": 1, "2026-Q1": 1}
	for _, period := range periods {
		key := flows.TallyKey{Period: period, Node: "city", Org: flows.AllOrgs, Form: "membership"}
		got := mustTallies(t, s, key)[key]
		if got.Reported != want[period] || got.Sums["members"] != int64(4*want[period]) {
			t.Errorf("%s: got %d reported, %d members, want %d, %d", period, got.Reported, got.Sums["members"], want[period], 4*want[period])
		}
	}
}

// TestRecountWithoutModel: a store that keeps no tallies has nothing to recount, and says so.
func TestRecountWithoutModel(t *testing.T) {
	if _, err := mustStore(t).Recount(t.Context(), nil, dueQ1); err == nil {
		t.Error("got nil, want an error naming the missing model")
	}
}
