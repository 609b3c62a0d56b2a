package storage

import (
	"reflect"
	"testing"

	"danvan/flows"
)

func TestReportsOneRoundTrip(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	keyAct := flows.Key{Unit: keyQ1.Unit, Period: keyQ1.Period, Form: "activities"}
	keyOther := flows.Key{Unit: "doan-ket/hlphn", Period: keyQ1.Period, Form: "membership"}
	keyMerged := flows.Key{Unit: "merged-unit", Period: keyQ1.Period, Form: "membership"}
	prevY := flows.Key{Unit: keyQ1.Unit, Period: "2025-Y", Form: "membership"}
	mine := draft(keyQ1, "tg:1", 1, map[string]int64{"eligible": 1300})
	prev := submission(prevY, 1, "tg:1", map[string]int64{"eligible": 1250})
	act := submission(keyAct, 1, "tg:3", map[string]int64{"meetings": 4})
	mustApply(t, s,
		flows.SaveDraft{Draft: mine},
		flows.SaveDraft{Draft: draft(keyQ1, "tg:2", 1, map[string]int64{"eligible": 9})}, // someone else's
		flows.Submit{Submission: prev, Form: testForm},
		flows.Submit{Submission: act, Form: testForm},
	)
	qs := []flows.ReportQuery{
		{Key: keyQ1, Person: "tg:1", Previous: "2025-Y"},
		{Key: keyAct, Person: "tg:1", Previous: "2025-Y"},
		{Key: keyOther, Person: "tg:1"},
		// a unit formed by a merger: its predecessors' submissions of the period before, in
		// the same round trip (one of them filed none)
		{Key: keyMerged, Person: "tg:1", Previous: "2025-Y", Before: []string{keyQ1.Unit, "gone-unit"}},
	}
	want := map[flows.Key]flows.ReportInfo{
		keyQ1:     {Draft: &mine, Previous: &prev},
		keyAct:    {Submitted: &act},
		keyOther:  {},
		keyMerged: {Before: []flows.Submission{prev}},
	}

	// Warm up first: go-redis dials pipelines a connection pool of their own, and a new
	// connection's handshake would count as round trips of its own.
	if _, err := s.Reports(ctx, qs); err != nil {
		t.Fatalf("Reports: %v", err)
	}
	hook := &countHook{}
	s.rdb.AddHook(hook)
	got, err := s.Reports(ctx, qs)
	if err != nil {
		t.Fatalf("Reports: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Reports = %s, want %s", dump(got), dump(want))
	}
	if c, p := hook.cmds.Load(), hook.pipes.Load(); c != 0 || p != 1 {
		t.Errorf("Reports sent %d commands and %d pipelines, want 0 and 1", c, p)
	}

	hook.pipes.Store(0)
	if got, err := s.Reports(ctx, nil); err != nil || len(got) != 0 || hook.pipes.Load() != 0 {
		t.Errorf("Reports(nil) = %v, %v after %d pipelines; want empty, nil, 0", got, err, hook.pipes.Load())
	}
}

// dump prints a Reports result with the pointed-to values, not their addresses.
func dump(m map[flows.Key]flows.ReportInfo) string {
	out := ""
	for k, v := range m {
		out += k.String() + ":{"
		if v.Draft != nil {
			out += "draft " + fmtAny(*v.Draft) + " "
		}
		if v.Submitted != nil {
			out += "submitted " + fmtAny(*v.Submitted) + " "
		}
		if v.Previous != nil {
			out += "previous " + fmtAny(*v.Previous)
		}
		out += "} "
	}
	return out
}
