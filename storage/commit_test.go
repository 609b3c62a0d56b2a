package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"danvan/flows"
)

// TestCommitDraftAndSession: an answer stores the draft and the chat's state together, in one
// round trip; if either moved on, neither is written. On Cluster (two slots) it claims the
// update, then writes the draft, then the state, each checked against its version: three round
// trips, and a step whose chat moved on has its draft written before its state is refused.
func TestCommitDraftAndSession(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	hook := &countHook{}
	s.rdb.AddHook(hook)
	st0 := flows.State{Version: 1, Screen: flows.Asking, Key: keyQ1}
	if _, err := s.Commit(ctx, "tg:1", "tg:u0", st0, 0, nil, nil); err != nil { // the server learns the script
		t.Fatalf("Commit: got %v, want nil", err)
	}
	hook.cmds.Store(0)
	hook.pipes.Store(0)
	st1 := flows.State{Version: 2, Screen: flows.Asking, Key: keyQ1, Step: 1}
	d1 := draft(keyQ1, "tg:1", 1, map[string]int64{"eligible": 1250})
	if _, err := s.Commit(ctx, "tg:1", "tg:u1", st1, 1, []flows.Effect{flows.SaveDraft{Draft: d1}}, nil); err != nil {
		t.Fatalf("Commit: got %v, want nil", err)
	}
	trips, staleDraft := int64(1), int64(1250)
	if s.cluster {
		trips, staleDraft = 3, 9
	}
	if got := hook.cmds.Load() + hook.pipes.Load(); got != trips {
		t.Errorf("round trips for one answer: got %d, want %d", got, trips)
	}
	_, err := s.Commit(ctx, "tg:1", "tg:u1", flows.State{Version: 3}, 2, nil, nil)
	if !errors.Is(err, flows.ErrDuplicate) {
		t.Errorf("the same update again: got %v, want ErrDuplicate", err)
	}
	tests := []struct {
		name  string
		prev  int64
		draft int64
	}{
		{"session moved on", 1, 2},
		{"draft moved on", 2, 1},
	}
	for _, tt := range tests {
		st := flows.State{Version: tt.prev + 1, Screen: flows.Summary, Key: keyQ1}
		d := draft(keyQ1, "tg:1", tt.draft, map[string]int64{"eligible": 9})
		_, err := s.Commit(ctx, "tg:1", "tg:u2-"+tt.name, st, tt.prev, []flows.Effect{flows.SaveDraft{Draft: d}}, nil)
		if !errors.Is(err, flows.ErrConflict) {
			t.Errorf("%s: got %v, want ErrConflict", tt.name, err)
		}
	}
	if got, _ := s.Session(ctx, "tg:1"); !reflect.DeepEqual(got, st1) {
		t.Errorf("session: got %+v, want %+v (untouched by the conflicts)", got, st1)
	}
	if got := loadDraft(t, s, keyQ1, "tg:1"); got == nil || got.Answers["eligible"] != staleDraft {
		t.Errorf("draft: got %+v, want eligible %d", got, staleDraft)
	}
}

// TestSubmitRefusesStaleDraft: figures shown from an old draft are not submitted when the draft
// was changed meanwhile (from another chat of the same person).
func TestSubmitRefusesStaleDraft(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	mustApply(t, s, flows.SaveDraft{Draft: draft(keyQ1, "tg:1", 1, map[string]int64{"eligible": 1})})
	mustApply(t, s, flows.SaveDraft{Draft: draft(keyQ1, "tg:1", 2, map[string]int64{"eligible": 5000})})
	sub := submission(keyQ1, 1, "tg:1", map[string]int64{"eligible": 1})
	err := s.Apply(ctx, []flows.Effect{flows.Submit{Submission: sub, Form: testForm, Draft: 1}})
	if !errors.Is(err, flows.ErrConflict) {
		t.Fatalf("got %v, want ErrConflict", err)
	}
	if _, err := s.Submission(ctx, keyQ1); !errors.Is(err, flows.ErrNotFound) {
		t.Fatalf("got %v, want nothing submitted", err)
	}
}

// TestCommitRetriedCallIsNotADuplicate: go-redis sends a call again after a read timeout; the
// second run of the same call must report success, not "someone else handled this update".
func TestCommitRetriedCallIsNotADuplicate(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	// The script only runs on one Redis, but the test runs it on Cluster too: the two keys share
	// a hash tag there.
	keys := []string{s.key("session", "{tg:1}"), s.key("update", "{tg:1}u9")}
	run := func(prev int64, mark string) int {
		st, _ := json.Marshal(flows.State{Version: prev + 1})
		n, err := commitScript.Run(ctx, s.rdb, keys, prev, st, SessionTTL.Milliseconds(), UpdateTTL.Milliseconds(), mark).Int()
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, tt := range []struct {
		name string
		mark string
		want int
	}{
		{"first send", "mark-a", 1},
		{"the same call sent again", "mark-a", 1},
		{"another call for the same update", "mark-b", -1},
	} {
		if got := run(0, tt.mark); got != tt.want {
			t.Errorf("%s: got %d, want %d", tt.name, got, tt.want)
		}
	}
}

// TestSubmitEmptiesDraftAndCountsOn: a step still holding the draft from before a submission
// cannot write over the new draft, even when the new one reaches the same version number.
func TestSubmitEmptiesDraftAndCountsOn(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	for v := int64(1); v <= 3; v++ {
		mustApply(t, s, flows.SaveDraft{Draft: draft(keyQ1, "tg:1", v, map[string]int64{"eligible": 1250})})
	}
	mustApply(t, s, flows.Submit{Submission: submission(keyQ1, 1, "tg:1", map[string]int64{"eligible": 1250}), Form: testForm, Draft: 3})
	stale := draft(keyQ1, "tg:1", 4, map[string]int64{"eligible": 1000}) // built on version 3
	if err := s.Apply(ctx, []flows.Effect{flows.SaveDraft{Draft: stale}}); !errors.Is(err, flows.ErrConflict) {
		t.Fatalf("stale save after submit: got %v, want ErrConflict", err)
	}
	if d := loadDraft(t, s, keyQ1, "tg:1"); d == nil || d.Version != 4 || len(d.Answers) != 0 {
		t.Fatalf("got draft %+v, want it emptied at version 4", d)
	}
}

// TestBatcherAfterClose: a call after Close fails at once instead of waiting forever.
func TestBatcherAfterClose(t *testing.T) {
	s := mustStore(t)
	s.batch.close()
	done := make(chan error, 1)
	go func() { _, err := s.Claim(t.Context(), "tg:after-close"); done <- err }()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("got nil, want an error from a closed store")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Claim after Close still waiting after 10s")
	}
}

// failSessionSave is a hook that fails every script on a chat's state (SaveSession's
// compare-and-set), as a connection lost just before it; other commands go through.
type failSessionSave struct{}

func (failSessionSave) DialHook(next redis.DialHook) redis.DialHook { return next }

func (failSessionSave) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if args := cmd.Args(); len(args) > 3 && strings.HasPrefix(fmt.Sprint(args[0]), "eval") && strings.Contains(fmt.Sprint(args[3]), "session:") {
			err := errors.New("read tcp 127.0.0.1:6379: connection reset by peer")
			cmd.SetErr(err)
			return err
		}
		return next(ctx, cmd)
	}
}

func (failSessionSave) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return next
}

// TestCommitSubmitStateNotSaved: a submission stored whose chat state then could not be is
// reported as such (flows.ErrStateNotSaved), not as a plain failure, and its update stays
// handled; a submission whose chat moved on meanwhile is a conflict and frees its update to be
// run again.
func TestCommitSubmitStateNotSaved(t *testing.T) {
	tests := []struct {
		name      string
		hook      redis.Hook
		prev      int64
		want      error
		wantFresh bool // the update may be claimed again afterwards
	}{
		{"connection lost before the state", failSessionSave{}, 0, flows.ErrStateNotSaved, false},
		{"chat moved on", nil, 5, flows.ErrConflict, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ctx := mustStore(t), t.Context()
			mustApply(t, s, flows.SaveDraft{Draft: draft(keyQ1, "tg:1", 1, map[string]int64{"eligible": 1250})})
			if tt.hook != nil {
				s.rdb.AddHook(tt.hook)
			}
			sub := submission(keyQ1, 1, "tg:1", map[string]int64{"eligible": 1250})
			_, err := s.Commit(ctx, "tg:1", "tg:u7", flows.State{Version: tt.prev + 1}, tt.prev,
				[]flows.Effect{flows.Submit{Submission: sub, Form: testForm, Draft: 1}}, nil)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Commit: got %v, want %v", err, tt.want)
			}
			if got, err := s.Submission(ctx, keyQ1); err != nil || got.Ref != sub.Ref {
				t.Errorf("submission: got %+v, %v; want %s stored", got, err, sub.Ref)
			}
			if fresh, err := s.Claim(ctx, "tg:u7"); err != nil || fresh != tt.wantFresh {
				t.Errorf("claim of the update afterwards: got %v, %v; want %v", fresh, err, tt.wantFresh)
			}
		})
	}
}
