package storage

import (
	"errors"
	"testing"

	"danvan/flows"
)

// TestCommitOnCachedSnapshot: a step that ran on a kept snapshot is committed only when the
// commit checks all it does against what the step read; anything else is refused before a single
// command goes out, and the same batch from stored data goes through.
func TestCommitOnCachedSnapshot(t *testing.T) {
	answer := flows.SaveDraft{Draft: draft(keyQ1, "tg:1", 1, map[string]int64{"eligible": 1250})}
	submit := flows.Submit{Submission: submission(keyQ1, 1, "tg:1", map[string]int64{"eligible": 1250}), Form: testForm}
	notify := flows.Notify{To: "tg:2"}
	tests := []struct {
		name    string
		effects []flows.Effect
		checked bool
	}{
		{"a move between screens", nil, true},
		{"an answer", []flows.Effect{answer}, true},
		{"a submission", []flows.Effect{submit}, false},
		{"two writes", []flows.Effect{answer, flows.SavePerson{Person: flows.Person{ID: "tg:1"}}}, false},
		{"an answer with a notice", []flows.Effect{answer, notify}, false},
		{"a notice alone", []flows.Effect{notify}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ctx := mustStore(t), t.Context()
			hook := &countHook{}
			s.rdb.AddHook(hook)
			st := flows.State{Version: 1, Screen: flows.Summary}
			err := s.Commit(ctx, "tg:1", "tg:u1", st, 0, tt.effects, true)
			if tt.checked {
				if err != nil {
					t.Fatalf("cached: got %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, flows.ErrConflict) {
				t.Fatalf("cached: got %v, want ErrConflict", err)
			}
			if got := hook.cmds.Load() + hook.pipes.Load(); got != 0 {
				t.Errorf("round trips of a refused commit: got %d, want 0", got)
			}
			if err := s.Commit(ctx, "tg:1", "tg:u1", st, 0, tt.effects, false); err != nil {
				t.Fatalf("from stored data: got %v, want nil", err)
			}
			if got, _ := s.Session(ctx, "tg:1"); got.Version != 1 {
				t.Errorf("session: got version %d, want 1", got.Version)
			}
		})
	}
}

// TestApplySkipsOutbound: notices and reminders are the caller's to send; the store keeps the
// rest of the batch and nothing of them.
func TestApplySkipsOutbound(t *testing.T) {
	s := mustStore(t)
	save := flows.SaveDraft{Draft: draft(keyQ1, "tg:1", 1, map[string]int64{"eligible": 7})}
	mustApply(t, s, flows.Notify{To: "tg:2"}, save, flows.Remind{Period: "2026-Q1", All: true})
	if d := loadDraft(t, s, keyQ1, "tg:1"); d == nil || d.Answers["eligible"] != 7 {
		t.Errorf("got draft %+v, want eligible 7", d)
	}
}
