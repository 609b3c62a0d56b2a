package storage

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"danvan/flows"
)

func TestReturnThenResubmit(t *testing.T) {
	for _, cluster := range clusterModes() {
		t.Run(fmt.Sprintf("cluster=%t", cluster), func(t *testing.T) {
			s, ctx := mustModelStore(t), t.Context()
			s.cluster = cluster
			v1 := tsub("w1-pn", "membership", 1, dueQ1, dueQ1, map[string]int64{"members": 5})
			k := v1.Key
			mustApply(t, s, flows.Submit{Submission: v1, Form: testForm})
			ret := flows.Return{By: "tg:leader", At: dueQ1.Add(time.Hour), Reason: "thiếu số liệu"}
			mustApply(t, s, flows.ReturnSubmission{Key: k, Version: 1, Return: ret})

			returned := v1
			returned.Returned = &ret
			if got, err := s.Submission(ctx, k); err != nil || !reflect.DeepEqual(got, returned) {
				t.Errorf("Submission after return = %+v, %v; want %+v", got, err, returned)
			}
			if idx, err := s.Submitted(ctx, k.Unit, k.Period); err != nil || len(idx) != 0 {
				t.Errorf("Submitted after return = %v, %v; want empty", idx, err)
			}
			hist, err := s.History(ctx, k)
			wantEntry := HistoryEntry{Version: 1, By: "tg:leader", At: ret.At, Ref: v1.Ref, Returned: &ret}
			if err != nil || len(hist) != 2 || !reflect.DeepEqual(hist[1], wantEntry) {
				t.Errorf("History after return = %+v, %v; want a second entry %+v", hist, err, wantEntry)
			}
			wantTally := map[flows.TallyKey]flows.Tally{tk("w1", "phunu", "membership"): {Returned: 1}}
			if got := mustTallies(t, s, tk("w1", "phunu", "membership")); !reflect.DeepEqual(got, wantTally) {
				t.Errorf("tally after return: got %+v, want %+v", got, wantTally)
			}

			// Resubmitted after the due time: the version in force is late, whatever the first was.
			v2 := tsub("w1-pn", "membership", 2, dueQ1.Add(2*time.Hour), dueQ1, map[string]int64{"members": 6})
			mustApply(t, s, flows.Submit{Submission: v2, Form: testForm, Replaces: &returned})
			wantTally = map[flows.TallyKey]flows.Tally{tk("w1", "phunu", "membership"): {Reported: 1, Late: 1, Sums: map[string]int64{"members": 6}}}
			if got := mustTallies(t, s, tk("w1", "phunu", "membership")); !reflect.DeepEqual(got, wantTally) {
				t.Errorf("tally after resubmit: got %+v, want %+v", got, wantTally)
			}
			if idx, err := s.Submitted(ctx, k.Unit, k.Period); err != nil || idx["membership"] != 2 {
				t.Errorf("Submitted after resubmit = %v, %v; want membership at 2", idx, err)
			}
			vs, err := s.Histories(ctx, []flows.Key{k, {Unit: "w2-pn", Period: "2026-Q1", Form: "membership"}})
			wantV1 := v1
			wantV1.Returned = &ret
			wantV1.Values = map[string]int64{"members": 5}
			want := map[flows.Key][]flows.Submission{k: {wantV1, v2}}
			if err != nil || !reflect.DeepEqual(vs, want) {
				t.Errorf("Histories = %+v, %v; want %+v", vs, err, want)
			}
		})
	}
}

// A return of anything but the current, not yet returned version is refused and changes nothing.
func TestReturnConflicts(t *testing.T) {
	ret := flows.Return{By: "tg:leader", At: dueQ1, Reason: "sai"}
	cases := []struct {
		name    string
		version int
		before  []flows.Effect // on top of v1 and v2 submitted
	}{
		{"returned twice", 2, []flows.Effect{flows.ReturnSubmission{Key: w1Membership(), Version: 2, Return: ret}}},
		{"stale version", 1, nil},
		{"version not yet submitted", 3, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, ctx := mustModelStore(t), t.Context()
			v1 := tsub("w1-pn", "membership", 1, dueQ1, dueQ1, map[string]int64{"members": 5})
			v2 := tsub("w1-pn", "membership", 2, dueQ1, dueQ1, map[string]int64{"members": 4})
			mustApply(t, s, flows.Submit{Submission: v1}, flows.Submit{Submission: v2, Replaces: &v1})
			if len(c.before) > 0 {
				mustApply(t, s, c.before...)
			}
			snap := snapshot(t, s, v1.Key)
			err := s.Apply(ctx, []flows.Effect{flows.ReturnSubmission{Key: v1.Key, Version: c.version, Return: ret}})
			if !errors.Is(err, flows.ErrConflict) {
				t.Errorf("got %v, want ErrConflict", err)
			}
			if after := snapshot(t, s, v1.Key); !reflect.DeepEqual(after, snap) {
				t.Errorf("after a refused return: got %+v, want %+v", after, snap)
			}
		})
	}
	s := mustModelStore(t)
	never := flows.Key{Unit: "w2-pn", Period: "2026-Q1", Form: "membership"}
	if err := s.Apply(t.Context(), []flows.Effect{flows.ReturnSubmission{Key: never, Version: 1, Return: ret}}); !errors.Is(err, flows.ErrConflict) {
		t.Errorf("return of a report never submitted: got %v, want ErrConflict", err)
	}
}

// w1Membership is the membership report of w1-pn for 2026-Q1.
func w1Membership() flows.Key { return flows.Key{Unit: "w1-pn", Period: "2026-Q1", Form: "membership"} }

// reportSnapshot is everything a write to a report can change.
type reportSnapshot struct {
	Sub     flows.Submission
	Hist    []HistoryEntry
	Index   map[string]int
	Tallies map[flows.TallyKey]flows.Tally
}

func snapshot(t *testing.T, s *Store, k flows.Key) reportSnapshot {
	t.Helper()
	var snap reportSnapshot
	var err error
	if snap.Sub, err = s.Submission(t.Context(), k); err != nil {
		t.Fatalf("Submission: %v", err)
	}
	if snap.Hist, err = s.History(t.Context(), k); err != nil {
		t.Fatalf("History: %v", err)
	}
	if snap.Index, err = s.Submitted(t.Context(), k.Unit, k.Period); err != nil {
		t.Fatalf("Submitted: %v", err)
	}
	snap.Tallies = mustTallies(t, s, allTallyKeys(s.model.Load().dir, k.Period, tallyForms...)...)
	return snap
}
