package storage

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"danvan/flows"
)

// beforeTally runs its function once, right before the first tallyScript the store sends: on
// Cluster, between a write's unit script and its tally script.
type beforeTally struct {
	fired atomic.Bool
	run   func()
}

func (h *beforeTally) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h *beforeTally) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		args := cmd.Args()
		if len(args) > 1 && args[1] == tallyScript.Hash() && h.fired.CompareAndSwap(false, true) {
			h.run()
		}
		return next(ctx, cmd)
	}
}

func (h *beforeTally) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return next
}

// On Cluster a write's tallies move in a second script after the unit's. A Rebuild (another
// replica starting) that counts the write in between has already counted it: the late tally
// script must move nothing, or the write counts twice.
func TestRebuildBetweenUnitAndTallyScripts(t *testing.T) {
	v1 := tsub("w1-pn", "membership", 1, dueQ1, dueQ1, map[string]int64{"members": 4})
	v2 := tsub("w1-pn", "membership", 2, dueQ1, dueQ1, map[string]int64{"members": 7})
	ret := flows.Return{By: "tg:9", At: dueQ1.Add(time.Hour), Reason: "sai"}
	tests := []struct {
		name   string
		before []flows.Effect // applied first, without interference
		write  flows.Effect   // its tally script waits for the Rebuild
	}{
		{"submission", nil, flows.Submit{Submission: v1}},
		{"resubmission", []flows.Effect{flows.Submit{Submission: v1}}, flows.Submit{Submission: v2, Replaces: &v1}},
		{"return", []flows.Effect{flows.Submit{Submission: v1}}, flows.ReturnSubmission{Key: v1.Key, Version: 1, Return: ret}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustModelStore(t)
			s.cluster = true
			dir := s.model.Load().dir
			other := storeAt(t, s.prefix) // another replica, on the same Cluster
			other.UseModel(dir, tallyCal, tallyInds)
			other.cluster = true
			if len(tt.before) > 0 {
				mustApply(t, s, tt.before...)
			}
			hook := &beforeTally{run: func() {
				if err := other.Rebuild(context.Background(), "2026-Q1", []string{"w1-pn"}, []string{"membership"}); err != nil {
					t.Errorf("Rebuild: %v", err)
				}
			}}
			s.rdb.AddHook(hook)
			mustApply(t, s, tt.write)
			if !hook.fired.Load() {
				t.Fatal("the Rebuild never ran")
			}
			checkTallies(t, s, dir, "2026-Q1", "membership")
		})
	}
}
