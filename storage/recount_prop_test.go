package storage

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"pgregory.net/rapid"

	"danvan/flows"
	"danvan/internal/redistest"
)

// chunkHook runs before, in the caller's goroutine, right before every chunk script of a
// recount: after the recount read the chunk's submissions and before it counts them, where
// another process's writes make what it read stale. An error from before fails the chunk, as a
// crash would.
type chunkHook struct{ before func() error }

func (h *chunkHook) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h *chunkHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		args := cmd.Args()
		if len(args) > 1 && args[0] == "evalsha" && args[1] == buildChunkScript.Hash() {
			if err := h.before(); err != nil {
				return err
			}
		}
		return next(ctx, cmd)
	}
}

func (h *chunkHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return next
}

var errCrash = errors.New("the recounting process crashed")

// movedNodes is the fixture after an edit: w1-dn moved to w2, w3-dn removed.
func movedNodes() []flows.Node {
	var out []flows.Node
	for _, n := range tallyNodes {
		switch n.ID {
		case "w1-dn":
			n.Parent = "w2"
		case "w3-dn":
			continue
		}
		out = append(out, n)
	}
	return out
}

// The property, with a recount in the middle: whatever writes another process makes before a
// chunked recount, between its chunks and between each chunk's read and its count, and however
// the recount is cut short by a crash and resumed by another process, every tally of the new
// generation equals a recount from the stored submissions; and a second recount with the same
// model finds nothing to do.
func TestTalliesMatchRecountDuringWrites(t *testing.T) {
	base := redistest.Prefix(t, "recount-prop")
	dirs := []*flows.Directory{mustDir(t, tallyOrgs, tallyNodes), mustDir(t, tallyOrgs, movedNodes())}
	units := []string{"w1-pn", "w1-dn", "w2-pn", "w3-dn", "top-pn", "ghost"}
	forms := []flows.Form{{ID: "membership"}, {ID: "activity"}}
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	run := 0
	rapid.Check(t, func(rt *rapid.T) {
		run++
		prefix := fmt.Sprintf("%s%d:", base, run)
		cluster := redistest.Cluster() || rapid.Bool().Draw(rt, "cluster")
		store := func(dir *flows.Directory) *Store {
			s := New(newTestClient(), prefix)
			s.cluster, s.chunk, s.lease = cluster, 1+run%3, 0 // a crashed recount is taken over at once
			s.UseModel(dir, tallyCal, tallyInds)
			return s
		}
		other := store(dirs[0])
		defer other.Close()
		write := func(label string) {
			for i := range rapid.IntRange(0, 3).Draw(rt, label) {
				k := flows.Key{Unit: rapid.SampledFrom(units).Draw(rt, "unit"), Period: "2026-Q1", Form: rapid.SampledFrom(tallyForms).Draw(rt, "form")}
				randomWrite(rt, other, k, i)
			}
		}
		write("before")
		dir := dirs[rapid.IntRange(0, 1).Draw(rt, "dir")]
		other.UseModel(dir, tallyCal, tallyInds)
		s := store(dir)
		defer s.Close()
		crashAt, chunks := rapid.IntRange(0, 6).Draw(rt, "crash at chunk"), 0
		s.rdb.AddHook(&chunkHook{before: func() error {
			chunks++
			write("during")
			if chunks == crashAt {
				return errCrash
			}
			return nil
		}})
		_, err := s.Recount(context.Background(), forms, now)
		if chunks >= crashAt && crashAt > 0 {
			if !errors.Is(err, errCrash) {
				rt.Fatalf("Recount with a crash at chunk %d: got %v, want errCrash", crashAt, err)
			}
			next := store(dir) // another replica starts and finishes the recount
			defer next.Close()
			if _, err := next.Recount(context.Background(), forms, now); err != nil {
				rt.Fatalf("Recount after the crash: %v", err)
			}
		} else if err != nil {
			rt.Fatalf("Recount: %v", err)
		}
		write("after")
		checkTallies(rt, s, dir, "2026-Q1", tallyForms...)
		again, err := store(dir).Recount(context.Background(), forms, now)
		if err != nil || len(again) != 2 || again[0].Verdict != RecountFresh || again[1].Verdict != RecountFresh {
			rt.Fatalf("second Recount: got %+v, %v; want both periods fresh", again, err)
		}
	})
}
