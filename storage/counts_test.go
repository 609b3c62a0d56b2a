package storage

import (
	"fmt"
	"reflect"
	"testing"

	"danvan/flows"
)

// SubmissionCounts counts each unit's reports (period × form), a resubmission once, and leaves
// out the units without any, in pipelines of countChunk units.
func TestSubmissionCounts(t *testing.T) {
	s := mustStore(t)
	other := flows.Key{Unit: "doan-ket/doan", Period: "2026-Q1", Form: "membership"}
	mustApply(t, s, flows.Submit{Submission: submission(keyQ1, 1, "tg:1", map[string]int64{"members": 10}), Form: testForm})
	mustApply(t, s, flows.Submit{Submission: submission(keyQ1, 2, "tg:1", map[string]int64{"members": 11}), Form: testForm})
	h1 := keyQ1
	h1.Period = "2026-H1"
	mustApply(t, s, flows.Submit{Submission: submission(h1, 1, "tg:1", map[string]int64{"members": 12}), Form: testForm})
	mustApply(t, s, flows.Submit{Submission: submission(other, 1, "tg:2", map[string]int64{"members": 5}), Form: testForm})
	units := []string{keyQ1.Unit, other.Unit}
	for i := range countChunk + 5 {
		units = append(units, fmt.Sprintf("empty-%d", i))
	}
	got, err := s.SubmissionCounts(t.Context(), units)
	if want := map[string]int{keyQ1.Unit: 2, other.Unit: 1}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, %v; want %v", got, err, want)
	}
}
