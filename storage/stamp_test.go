package storage

import (
	"errors"
	"reflect"
	"testing"

	"danvan/flows"
)

// mustStamps loads what a chat of person tg:1 reads of keyQ1, as the dispatcher does: the stamps
// of the person and of keyQ1's unit.
func mustStamps(t *testing.T, s *Store) flows.Stamps {
	t.Helper()
	_, _, st, err := s.Load(t.Context(), "tg:1", "tg:1")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	_, units, err := s.StampedReports(t.Context(), []flows.ReportQuery{{Key: keyQ1, Person: "tg:1"}})
	if err != nil {
		t.Fatalf("StampedReports: %v", err)
	}
	st.Units = units
	return st
}

// TestCommitChecksStamps: a step is committed only while nothing it read has been written since,
// whatever its effects; otherwise nothing is written, not even the update's claim. A commit that
// could tell returns the stamps after its own writes, so the caller can keep what it read.
func TestCommitChecksStamps(t *testing.T) {
	answer := flows.SaveDraft{Draft: draft(keyQ1, "tg:1", 1, map[string]int64{"eligible": 1250})}
	submit := flows.Submit{Submission: submission(keyQ1, 1, "tg:1", map[string]int64{"eligible": 1250}), Form: testForm}
	notify := flows.Notify{To: "tg:2"}
	tests := []struct {
		name    string
		effects []flows.Effect
		bump    int64 // how far the commit moves keyQ1's unit stamp; -1: it cannot say, no stamps back
	}{
		{"a move between screens", nil, 0},
		{"an answer", []flows.Effect{answer}, 1},
		{"a notice alone", []flows.Effect{notify}, 0},
		{"an answer with a notice", []flows.Effect{answer, notify}, 1},
		{"a submission", []flows.Effect{submit}, 1},
		{"an answer, then a submission", []flows.Effect{answer, flows.Submit{Submission: submit.Submission, Form: testForm, Draft: 1}}, 2},
		{"two writes", []flows.Effect{answer, flows.SavePerson{Person: flows.Person{ID: "tg:1", Lang: flows.EN}}}, -1},
	}
	moves := []struct {
		name  string
		write flows.Effect
	}{
		{"another organiser's report of the unit", nil},
		{"the person's language set in another chat", flows.SavePerson{Person: flows.Person{ID: "tg:1", Lang: flows.EN}}},
	}
	for _, tt := range tests {
		for _, mv := range moves {
			t.Run(tt.name+" after "+mv.name, func(t *testing.T) {
				s, ctx := mustStore(t), t.Context()
				mustLinkPerson(t, s)
				seen := mustStamps(t, s)
				write := mv.write
				if write == nil {
					other := keyQ1
					other.Form = "activity"
					write = flows.Submit{Submission: submission(other, 1, "tg:9", map[string]int64{"meetings": 7}), Form: testForm}
				}
				mustApply(t, s, write)
				st := flows.State{Version: 1, Screen: flows.Summary}
				if _, err := s.Commit(ctx, "tg:1", "tg:u1", st, 0, tt.effects, &seen); !errors.Is(err, flows.ErrConflict) {
					t.Fatalf("on a stale reading: got %v, want ErrConflict", err)
				}
				if got, _ := s.Session(ctx, "tg:1"); got.Version != 0 {
					t.Errorf("session after the refusal: got version %d, want 0", got.Version)
				}
				fresh := mustStamps(t, s)
				got, err := s.Commit(ctx, "tg:1", "tg:u1", st, 0, tt.effects, &fresh)
				if err != nil {
					t.Fatalf("on a fresh reading: got %v, want nil (the refused update was not recorded)", err)
				}
				if tt.bump < 0 {
					if got != nil {
						t.Errorf("stamps: got %+v, want nil", got)
					}
					return
				}
				want := fresh
				want.Units = map[string]int64{keyQ1.Unit: fresh.Units[keyQ1.Unit] + tt.bump}
				if got == nil || !reflect.DeepEqual(*got, want) {
					t.Errorf("stamps: got %+v, want %+v", got, want)
				}
				if now := mustStamps(t, s); !reflect.DeepEqual(now, want) {
					t.Errorf("stored stamps: got %+v, want %+v as Commit said", now, want)
				}
			})
		}
	}
}

// mustLinkPerson links tg:1 as an organiser of keyQ1's unit.
func mustLinkPerson(t *testing.T, s *Store) {
	t.Helper()
	if err := s.Link(t.Context(), "tg:1", flows.Person{ID: "tg:1", Name: "Lan", Units: []string{keyQ1.Unit}}); err != nil {
		t.Fatal(err)
	}
}

// TestCheckedAnswerIsOneRoundTrip: checking what the step read costs an answer no round trip.
func TestCheckedAnswerIsOneRoundTrip(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	mustLinkPerson(t, s)
	if _, err := s.Commit(ctx, "tg:1", "tg:u0", flows.State{Version: 1}, 0, nil, nil); err != nil { // the server learns the script
		t.Fatal(err)
	}
	seen := mustStamps(t, s)
	hook := &countHook{}
	s.rdb.AddHook(hook)
	answer := flows.SaveDraft{Draft: draft(keyQ1, "tg:1", 1, map[string]int64{"eligible": 1250})}
	if _, err := s.Commit(ctx, "tg:1", "tg:u1", flows.State{Version: 2}, 1, []flows.Effect{answer}, &seen); err != nil {
		t.Fatal(err)
	}
	// On Cluster the keys sit in different slots: the stamps and the state are checked, the
	// update claimed, the draft and then the state written, each its own round trip.
	want := int64(1)
	if s.cluster {
		want = 4
	}
	if got := hook.cmds.Load() + hook.pipes.Load(); got != want {
		t.Errorf("round trips: got %d, want %d", got, want)
	}
}

// TestWritesMoveStamps: every write of what a chat reads moves its stamp, whichever way it is
// made; a write that changes nothing of a person need not.
func TestWritesMoveStamps(t *testing.T) {
	sub := submission(keyQ1, 1, "tg:2", map[string]int64{"eligible": 1})
	tests := []struct {
		name         string
		do           func(t *testing.T, s *Store)
		unit, person int64
	}{
		{"an answer", func(t *testing.T, s *Store) {
			mustApply(t, s, flows.SaveDraft{Draft: draft(keyQ1, "tg:2", 1, map[string]int64{"eligible": 1})})
		}, 1, 0},
		{"a dropped draft", func(t *testing.T, s *Store) { mustApply(t, s, flows.DropDraft{Key: keyQ1, Person: "tg:2"}) }, 1, 0},
		{"a submission", func(t *testing.T, s *Store) { mustApply(t, s, flows.Submit{Submission: sub, Form: testForm}) }, 1, 0},
		{"a return", func(t *testing.T, s *Store) {
			mustApply(t, s, flows.Submit{Submission: sub, Form: testForm})
			mustApply(t, s, flows.ReturnSubmission{Key: keyQ1, Version: 1, Return: flows.Return{By: "tg:9", Reason: "sai"}})
		}, 2, 0},
		{"a language", func(t *testing.T, s *Store) {
			mustApply(t, s, flows.SavePerson{Person: flows.Person{ID: "tg:1", Lang: flows.EN}})
		}, 0, 1},
		{"the same language again", func(t *testing.T, s *Store) {
			mustApply(t, s, flows.SavePerson{Person: flows.Person{ID: "tg:1"}})
		}, 0, 0},
		{"a block", func(t *testing.T, s *Store) {
			if err := s.MarkUnreachable(t.Context(), "tg:1"); err != nil {
				t.Fatal(err)
			}
		}, 0, 1},
		{"units granted", func(t *testing.T, s *Store) {
			if err := s.Link(t.Context(), "tg:1", flows.Person{ID: "tg:1", Units: []string{keyQ1.Unit, "x"}}); err != nil {
				t.Fatal(err)
			}
		}, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustStore(t)
			mustLinkPerson(t, s)
			before := mustStamps(t, s)
			tt.do(t, s)
			after := mustStamps(t, s)
			if got := after.Units[keyQ1.Unit] - before.Units[keyQ1.Unit]; got != tt.unit {
				t.Errorf("unit stamp moved by %d, want %d", got, tt.unit)
			}
			if got := after.Record - before.Record; got != tt.person {
				t.Errorf("person stamp moved by %d, want %d", got, tt.person)
			}
		})
	}
}

// TestCommitChecksStateBeforeWrites: a step whose writes cannot go in one script with the check
// (a submission) writes nothing when the chat's state moved on since it read it, as when another
// replica took the chat's last update.
func TestCommitChecksStateBeforeWrites(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	mustLinkPerson(t, s)
	if err := s.SaveSession(ctx, "tg:1", flows.State{Version: 2}, 0); err != nil {
		t.Fatal(err)
	}
	seen := mustStamps(t, s)
	submit := flows.Submit{Submission: submission(keyQ1, 1, "tg:1", map[string]int64{"eligible": 1250}), Form: testForm}
	if _, err := s.Commit(ctx, "tg:1", "tg:u1", flows.State{Version: 2}, 1, []flows.Effect{submit}, &seen); !errors.Is(err, flows.ErrConflict) {
		t.Fatalf("got %v, want ErrConflict", err)
	}
	if _, err := s.Submission(ctx, keyQ1); !errors.Is(err, flows.ErrNotFound) {
		t.Fatalf("got %v, want nothing submitted", err)
	}
}

// TestCommitStampsWithWriteBetween: a step whose writes go one after the other (a submission)
// returns no stamps when another write to the unit lands between its check and its own write,
// since it cannot tell that write from its own.
func TestCommitStampsWithWriteBetween(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	mustLinkPerson(t, s)
	seen := mustStamps(t, s)
	other := keyQ1
	other.Form = "activity"
	hook := &afterPrecheck{do: func() {
		mustApply(t, s, flows.Submit{Submission: submission(other, 1, "tg:9", map[string]int64{"meetings": 1}), Form: testForm})
	}}
	s.rdb.AddHook(hook)
	submit := flows.Submit{Submission: submission(keyQ1, 1, "tg:1", map[string]int64{"eligible": 1250}), Form: testForm}
	got, err := s.Commit(ctx, "tg:1", "tg:u1", flows.State{Version: 1}, 0, []flows.Effect{submit}, &seen)
	if err != nil {
		t.Fatalf("got %v, want nil", err)
	}
	if !hook.fired.Load() {
		t.Fatal("the other write never ran")
	}
	if got != nil {
		t.Errorf("stamps: got %+v, want nil", got)
	}
}
