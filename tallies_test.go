package main

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"danvan/config"
	"danvan/flows"
	"danvan/internal/testkit"
	"danvan/storage"
)

// TestRebuildTalliesAfterDirectoryChange removes a unit that had reported from the directory:
// after the recount at start the city's figures no longer include it.
func TestRebuildTalliesAfterDirectoryChange(t *testing.T) {
	ctx := context.Background()
	store := testkit.MustStore(t)
	cfg := config.Default()
	quiet := slog.New(slog.DiscardHandler)
	disp, err := newDispatcher(cfg, store, time.Now, quiet)
	if err != nil {
		t.Fatal(err)
	}
	s := disp.Settings
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, cfg.Location())
	per := s.Calendar.Open(now)[0]
	form := s.Forms[0]
	for _, unit := range []string{"tanphong-phunu", "tanphong-doan"} {
		k := flows.Key{Unit: unit, Period: per.ID, Form: form.ID}
		sub := flows.Submission{Key: k, Values: map[string]int64{"eligible": 100, "members": 90}, By: "tg:1", At: now, Version: 1, Ref: "R"}
		if err := store.Apply(ctx, []flows.Effect{flows.Submit{Submission: sub, Form: form}}); err != nil {
			t.Fatal(err)
		}
	}
	key := flows.TallyKey{Period: per.ID, Node: "laichau", Org: flows.AllOrgs, Form: form.ID}
	mustReported(t, store, key, 2)

	// The admin drops the Youth Union of Tân Phong from the file; the bot restarts.
	var units []flows.Node
	for _, n := range cfg.Units {
		if n.ID != "tanphong-doan" {
			units = append(units, n)
		}
	}
	cfg.Units = units
	if disp, err = newDispatcher(cfg, store, time.Now, quiet); err != nil {
		t.Fatal(err)
	}
	if err := rebuildTallies(ctx, store, disp.Settings, now); err != nil {
		t.Fatalf("rebuild: got %v, want nil", err)
	}
	mustReported(t, store, key, 1)
}

func mustReported(tb testing.TB, store *storage.Store, key flows.TallyKey, want int) {
	tb.Helper()
	got, err := store.Tallies(context.Background(), []flows.TallyKey{key})
	if err != nil {
		tb.Fatal(err)
	}
	if got[key].Reported != want || got[key].Sums["members"] != int64(90*want) {
		tb.Errorf("tally %v: got %d reported, %d members, want %d, %d", key, got[key].Reported, got[key].Sums["members"], want, 90*want)
	}
}
