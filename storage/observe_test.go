package storage

import (
	"context"
	"testing"

	"danvan/flows"
)

// TestOpenDrafts counts the drafts with answers: an emptied one (what a submission leaves)
// does not count, nor do keys of another kind or of another prefix.
func TestOpenDrafts(t *testing.T) {
	ctx := context.Background()
	s, other := mustStore(t), mustStore(t)
	keyQ1b := flows.Key{Unit: "doan-ket/hlphn", Period: "2026-Q1", Form: "membership"}
	effects := []flows.Effect{
		flows.SaveDraft{Draft: draft(keyQ1, "tg:1", 1, map[string]int64{"eligible": 1250})},
		flows.SaveDraft{Draft: draft(keyQ1, "tg:2", 1, map[string]int64{"eligible": 900, "members": 800})},
		flows.SaveDraft{Draft: draft(keyQ1b, "tg:3", 1, map[string]int64{})},
	}
	if err := s.Apply(ctx, effects); err != nil {
		t.Fatal(err)
	}
	if err := other.Apply(ctx, effects[:1]); err != nil {
		t.Fatal(err)
	}
	if err := s.Link(ctx, "tg:1", flows.Person{ID: "tg:1", Units: []string{keyQ1.Unit}}); err != nil {
		t.Fatal(err)
	}
	got, err := s.OpenDrafts(ctx)
	if err != nil || got != 2 {
		t.Errorf("OpenDrafts: got %d, %v, want 2, nil", got, err)
	}
	if err := s.Ping(ctx); err != nil {
		t.Errorf("Ping: got %v, want nil", err)
	}
}
