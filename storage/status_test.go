package storage

import (
	"reflect"
	"testing"
	"time"

	"danvan/flows"
)

// Status reads the status bytes of the current generation in one round trip when their layout
// is the model's, and otherwise gets the same answer another way: from the report states (a
// store with another directory), from the submissions (no model; tallies from before
// generations). A period nothing was written in has nothing in.
func TestStatusPaths(t *testing.T) {
	late := dueQ1.Add(time.Hour)
	writes := []flows.Effect{
		flows.Submit{Submission: tsub("w1-pn", "membership", 1, dueQ1, dueQ1, map[string]int64{"members": 4})},
		flows.Submit{Submission: tsub("w2-pn", "membership", 1, late, late, map[string]int64{"members": 4})},
		flows.Submit{Submission: tsub("w2-pn", "activity", 1, dueQ1, dueQ1, map[string]int64{"models": 1})},
	}
	units := []string{"w1-pn", "w1-dn", "w2-pn"}
	want := map[string]flows.UnitStatus{"w1-pn": {Done: 1}, "w1-dn": {}, "w2-pn": {Done: 3, Late: 1}}
	moved := mustDir(t, tallyOrgs, movedNodes())
	tests := []struct {
		name  string
		setup func(s *Store)
		trips int64
	}{
		{"status bytes", func(*Store) {}, 1},
		{"another layout", func(s *Store) { s.UseModel(moved, tallyCal, tallyInds) }, 2},
		{"no model", func(s *Store) { s.UseModel(nil, tallyCal, nil) }, 1}, // nor due times: nobody late
		{"before generations", func(s *Store) {
			ctx := t.Context()
			if err := s.rdb.Del(ctx, s.genKey("2026-Q1")).Err(); err != nil {
				t.Fatal(err)
			}
			if err := s.rdb.SAdd(ctx, s.tallySetKey("2026-Q1"), "x").Err(); err != nil {
				t.Fatal(err)
			}
		}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustModelStore(t)
			mustApply(t, s, writes...)
			tt.setup(s)
			if _, err := s.Status(t.Context(), "2026-Q1", units, tallyForms); err != nil { // loads the scripts
				t.Fatal(err)
			}
			hook := &countHook{}
			s.rdb.AddHook(hook)
			got, err := s.Status(t.Context(), "2026-Q1", units, tallyForms)
			want := want
			if s.model.Load() == nil {
				want = map[string]flows.UnitStatus{"w1-pn": {Done: 1}, "w1-dn": {}, "w2-pn": {Done: 3}}
			}
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("Status: got %+v, %v; want %+v", got, err, want)
			}
			if trips := hook.cmds.Load() + hook.pipes.Load(); trips != tt.trips {
				t.Errorf("round trips: got %d, want %d", trips, tt.trips)
			}
		})
	}
	s := mustModelStore(t)
	got, err := s.Status(t.Context(), "2026-Q2", units, tallyForms)
	if err != nil || !reflect.DeepEqual(got, map[string]flows.UnitStatus{"w1-pn": {}, "w1-dn": {}, "w2-pn": {}}) {
		t.Errorf("Status of a period never written: got %+v, %v; want nothing in", got, err)
	}
}
