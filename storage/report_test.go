package storage

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"danvan/flows"
)

var (
	testForm = flows.Form{ID: "membership", Questions: []flows.Question{
		{ID: "eligible"}, {ID: "members"}, {ID: "new"}, {ID: "active"},
	}}
	keyQ1 = flows.Key{Unit: "tan-phong/hlphn", Period: "2026-Q1", Form: "membership"}
	day   = time.Date(2026, 3, 20, 9, 30, 0, 0, time.UTC)
)

func submission(k flows.Key, v int, by string, values map[string]int64) flows.Submission {
	at := day.Add(time.Duration(v) * time.Hour)
	return flows.Submission{Key: k, Ref: flows.Reference(k, v, at), Values: values, By: by, At: at, Version: v}
}

func draft(k flows.Key, person string, v int64, answers map[string]int64) flows.Draft {
	return flows.Draft{Key: k, Person: person, Answers: answers, Version: v, Updated: day}
}

func loadDraft(t *testing.T, s *Store, k flows.Key, person string) *flows.Draft {
	t.Helper()
	got, err := s.Reports(t.Context(), []flows.ReportQuery{{Key: k, Person: person}})
	if err != nil {
		t.Fatalf("Reports: %v", err)
	}
	return got[k].Draft
}

func TestSubmitKeepsHistory(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	v1 := submission(keyQ1, 1, "tg:1", map[string]int64{"eligible": 1250, "members": 1000})
	v2 := submission(keyQ1, 2, "tg:2", map[string]int64{"eligible": 1250, "members": 1100, "new": 100})
	steps := []struct {
		sub         flows.Submission
		drafter     string // whose draft exists before the submit and must be gone after
		wantChanges []flows.Change
	}{
		{v1, "tg:1", nil},
		{v2, "tg:2", []flows.Change{{Field: "members", Old: 1000, New: 1100}, {Field: "new", Old: 0, New: 100}}},
	}
	for i, st := range steps {
		mustApply(t, s, flows.SaveDraft{Draft: draft(keyQ1, st.drafter, 1, st.sub.Values)})
		mustApply(t, s, flows.Submit{Submission: st.sub, Form: testForm, Draft: 1})
		if got, err := s.Submission(ctx, keyQ1); err != nil || !reflect.DeepEqual(got, st.sub) {
			t.Errorf("after v%d: Submission = %+v, %v; want %+v", i+1, got, err, st.sub)
		}
		// Emptied, not deleted: its version goes on, so a step holding the old draft cannot
		// write over a new one that happens to reach the same number.
		if d := loadDraft(t, s, keyQ1, st.drafter); d == nil || len(d.Answers) != 0 || d.Version != 2 {
			t.Errorf("after v%d: draft of %s = %+v, want it emptied at version 2", i+1, st.drafter, d)
		}
		idx, err := s.Submitted(ctx, keyQ1.Unit, keyQ1.Period)
		if want := map[string]int{"membership": i + 1}; err != nil || !reflect.DeepEqual(idx, want) {
			t.Errorf("after v%d: Submitted = %v, %v; want %v", i+1, idx, err, want)
		}
		hist, err := s.History(ctx, keyQ1)
		if err != nil || len(hist) != i+1 {
			t.Fatalf("after v%d: History = %+v, %v; want %d entries", i+1, hist, err, i+1)
		}
		want := HistoryEntry{Version: st.sub.Version, By: st.sub.By, At: st.sub.At, Ref: st.sub.Ref,
			Changes: st.wantChanges, Values: st.sub.Values}
		if got := hist[i]; !reflect.DeepEqual(got, want) {
			t.Errorf("after v%d: newest history entry = %+v, want %+v", i+1, got, want)
		}
	}
	if idx, err := s.Submitted(ctx, keyQ1.Unit, "2026-H1"); err != nil || len(idx) != 0 {
		t.Errorf("Submitted(2026-H1) = %v, %v; want empty", idx, err)
	}
}

func mustApply(t *testing.T, s *Store, effects ...flows.Effect) {
	t.Helper()
	if err := s.Apply(t.Context(), effects); err != nil {
		t.Fatalf("Apply(%T): %v", effects[0], err)
	}
}

func TestSubmitVersionConflict(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	mustApply(t, s, flows.Submit{Submission: submission(keyQ1, 1, "tg:1", map[string]int64{"members": 1}), Form: testForm})
	for _, v := range []int{1, 3} {
		err := s.Apply(ctx, []flows.Effect{flows.Submit{Submission: submission(keyQ1, v, "tg:2", nil), Form: testForm}})
		if !errors.Is(err, flows.ErrConflict) {
			t.Errorf("submit v%d over v1: got %v, want ErrConflict", v, err)
		}
	}
	if hist, _ := s.History(ctx, keyQ1); len(hist) != 1 {
		t.Errorf("history has %d entries after refused submits, want 1", len(hist))
	}
}

// Two processes submit version 1 of one report at the same moment: the script lets exactly one win.
func TestSubmitRaceOneWins(t *testing.T) {
	a := mustStore(t)
	b := storeAt(t, a.prefix)
	start := make(chan struct{})
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i, s := range []*Store{a, b} {
		wg.Go(func() {
			<-start
			sub := submission(keyQ1, 1, "tg:"+string(rune('a'+i)), map[string]int64{"members": int64(i)})
			errs[i] = s.Apply(context.Background(), []flows.Effect{flows.Submit{Submission: sub, Form: testForm}})
		})
	}
	close(start)
	wg.Wait()
	won := 0
	for i, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, flows.ErrConflict):
			t.Errorf("submitter %d: got %v, want nil or ErrConflict", i, err)
		}
	}
	if won != 1 {
		t.Errorf("got %d winners (%v), want exactly 1", won, errs)
	}
	if hist, err := a.History(t.Context(), keyQ1); err != nil || len(hist) != 1 {
		t.Errorf("History = %d entries, %v; want 1", len(hist), err)
	}
}

func TestDraftVersions(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	steps := []struct {
		name    string
		effect  flows.Effect
		wantErr error
		want    *flows.Draft // stored afterwards
	}{
		{"first save", flows.SaveDraft{Draft: draft(keyQ1, "tg:1", 1, map[string]int64{"eligible": 5})}, nil,
			&flows.Draft{Key: keyQ1, Person: "tg:1", Answers: map[string]int64{"eligible": 5}, Version: 1, Updated: day}},
		{"stale save", flows.SaveDraft{Draft: draft(keyQ1, "tg:1", 1, map[string]int64{"eligible": 6})}, flows.ErrConflict,
			&flows.Draft{Key: keyQ1, Person: "tg:1", Answers: map[string]int64{"eligible": 5}, Version: 1, Updated: day}},
		{"skipped version", flows.SaveDraft{Draft: draft(keyQ1, "tg:1", 3, nil)}, flows.ErrConflict,
			&flows.Draft{Key: keyQ1, Person: "tg:1", Answers: map[string]int64{"eligible": 5}, Version: 1, Updated: day}},
		{"next save", flows.SaveDraft{Draft: draft(keyQ1, "tg:1", 2, map[string]int64{"eligible": 5, "members": 4})}, nil,
			&flows.Draft{Key: keyQ1, Person: "tg:1", Answers: map[string]int64{"eligible": 5, "members": 4}, Version: 2, Updated: day}},
		{"drop", flows.DropDraft{Key: keyQ1, Person: "tg:1"}, nil, nil},
		{"restart after drop", flows.SaveDraft{Draft: draft(keyQ1, "tg:1", 1, nil)}, nil,
			&flows.Draft{Key: keyQ1, Person: "tg:1", Version: 1, Updated: day}},
	}
	for _, st := range steps {
		err := s.Apply(ctx, []flows.Effect{st.effect})
		if !errors.Is(err, st.wantErr) {
			t.Errorf("%s: got %v, want %v", st.name, err, st.wantErr)
		}
		if got := loadDraft(t, s, keyQ1, "tg:1"); !reflect.DeepEqual(got, st.want) {
			t.Errorf("%s: stored draft %+v, want %+v", st.name, got, st.want)
		}
	}
	if ttl := pttl(t, s, s.draftKey(keyQ1, "tg:1")); ttl <= DraftTTL-time.Minute || ttl > DraftTTL {
		t.Errorf("draft PTTL = %v, want about %v", ttl, DraftTTL)
	}
}

// A draft lives until its period closes, on the bot's clock, and cannot be saved after.
func TestDraftLivesUntilPeriodCloses(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	d := draft(keyQ1, "tg:1", 1, nil)
	d.Until = d.Updated.Add(36 * time.Hour)
	mustApply(t, s, flows.SaveDraft{Draft: d})
	if ttl := pttl(t, s, s.draftKey(keyQ1, "tg:1")); ttl <= 35*time.Hour || ttl > 36*time.Hour {
		t.Errorf("draft PTTL = %v, want about 36h (Until − Updated)", ttl)
	}
	late := draft(keyQ1, "tg:1", 2, nil)
	late.Until = late.Updated.Add(-time.Minute)
	if err := s.Apply(ctx, []flows.Effect{flows.SaveDraft{Draft: late}}); err == nil || errors.Is(err, flows.ErrConflict) {
		t.Errorf("saving after the period closed: got %v, want an error that is no conflict", err)
	}
}

// Two processes (separate clients) keep incrementing one draft, reloading on every conflict: no
// save may be lost, so the final version and count equal the successful saves.
func TestDraftGuardAcrossProcesses(t *testing.T) {
	const rounds = 50
	a := mustStore(t)
	b := storeAt(t, a.prefix)
	start := make(chan struct{})
	var wg sync.WaitGroup
	var conflicts atomic.Int64
	for _, s := range []*Store{a, b} {
		wg.Go(func() {
			<-start
			for done := 0; done < rounds; {
				err := incrementDraft(s)
				switch {
				case err == nil:
					done++
				case errors.Is(err, flows.ErrConflict):
					conflicts.Add(1)
				default:
					t.Errorf("save: %v", err)
					return
				}
			}
		})
	}
	close(start)
	wg.Wait()
	got := loadDraft(t, a, keyQ1, "tg:1")
	if got == nil || got.Version != 2*rounds || got.Answers["n"] != 2*rounds {
		t.Errorf("final draft %+v, want version and n both %d", got, 2*rounds)
	}
	t.Logf("%d saves lost a race and were retried", conflicts.Load())
}

// incrementDraft loads the draft, adds one to its answer "n" and saves it as the next version.
func incrementDraft(s *Store) error {
	ctx := context.Background()
	info, err := s.Reports(ctx, []flows.ReportQuery{{Key: keyQ1, Person: "tg:1"}})
	if err != nil {
		return err
	}
	d := draft(keyQ1, "tg:1", 0, map[string]int64{})
	if cur := info[keyQ1].Draft; cur != nil {
		d = *cur
	}
	d.Version++
	d.Answers["n"]++
	return s.Apply(ctx, []flows.Effect{flows.SaveDraft{Draft: d}})
}
