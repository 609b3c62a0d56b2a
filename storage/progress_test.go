package storage

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"danvan/flows"
)

func TestProgressWithDrafts(t *testing.T) {
	s, ctx := mustModelStore(t), t.Context()
	key := func(unit, form string) flows.Key { return flows.Key{Unit: unit, Period: "2026-Q1", Form: form} }
	for _, p := range []flows.Person{
		{ID: "tg:1", Units: []string{"w1-pn", "w1-dn"}},
		{ID: "tg:2", Units: []string{"w1-pn"}},
	} {
		if err := s.Link(ctx, p.ID, p); err != nil {
			t.Fatalf("Link %s: %v", p.ID, err)
		}
	}
	v1 := tsub("w1-pn", "membership", 1, dueQ1, dueQ1, map[string]int64{"members": 5})
	ret := flows.Return{By: "tg:leader", At: dueQ1, Reason: "sai"}
	started := draft(key("w1-pn", "activity"), "tg:1", 1, map[string]int64{"models": 1})
	other := draft(key("w1-dn", "membership"), "tg:1", 1, map[string]int64{"members": 2})
	mustApply(t, s,
		flows.Submit{Submission: v1},
		flows.ReturnSubmission{Key: v1.Key, Version: 1, Return: ret},
		flows.SaveDraft{Draft: started},
		flows.SaveDraft{Draft: draft(key("w1-pn", "activity"), "tg:2", 1, map[string]int64{})}, // nothing in it yet
		flows.SaveDraft{Draft: other},
		flows.SaveDraft{Draft: draft(key("w2-pn", "activity"), "tg:9", 1, map[string]int64{"models": 1})}, // not an organiser
	)
	returned := v1
	returned.Returned = &ret
	want := map[string]flows.UnitProgress{
		"w1-pn": {Unit: "w1-pn", Subs: map[string]*flows.Submission{"membership": &returned}, Organisers: []string{"tg:1", "tg:2"},
			Drafts: map[string]map[string]*flows.Draft{"activity": {"tg:1": &started}}},
		"w1-dn": {Unit: "w1-dn", Subs: map[string]*flows.Submission{}, Organisers: []string{"tg:1"},
			Drafts: map[string]map[string]*flows.Draft{"membership": {"tg:1": &other}}},
		"w2-pn": {Unit: "w2-pn", Subs: map[string]*flows.Submission{}, Organisers: []string{},
			Drafts: map[string]map[string]*flows.Draft{}},
	}
	units := []string{"w1-pn", "w1-dn", "w2-pn"}
	if _, err := s.Progress(ctx, "2026-Q1", units, tallyForms); err != nil { // warm the pool up
		t.Fatalf("Progress: %v", err)
	}
	hook := &countHook{}
	s.rdb.AddHook(hook)
	got, err := s.Progress(ctx, "2026-Q1", units, tallyForms)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Progress = %+v, %v; want %+v", got, err, want)
	}
	if trips := hook.cmds.Load() + hook.pipes.Load(); trips != 2 {
		t.Errorf("Progress took %d round trips, want 2", trips)
	}
	if got["w1-pn"].Done("membership") {
		t.Errorf("w1-pn Done(membership) = true for a returned report, want false")
	}
	if got, err := s.Progress(ctx, "2026-Q1", nil, tallyForms); err != nil || len(got) != 0 {
		t.Errorf("Progress of no units = %v, %v; want empty", got, err)
	}
}

func TestSubmissionsOneRoundTrip(t *testing.T) {
	for _, cluster := range clusterModes() { // MGET on one Redis, GETs on Cluster
		t.Run(fmt.Sprintf("cluster=%t", cluster), func(t *testing.T) {
			s, ctx := mustModelStore(t), t.Context()
			s.cluster = cluster
			a := tsub("w1-pn", "membership", 1, dueQ1, dueQ1, map[string]int64{"members": 5})
			b := tsub("w2-pn", "activity", 1, dueQ1, dueQ1, map[string]int64{"models": 1})
			mustApply(t, s, flows.Submit{Submission: a}, flows.Submit{Submission: b})
			if _, err := s.Submissions(ctx, "2026-Q1", []string{"w1-pn"}, tallyForms); err != nil {
				t.Fatalf("Submissions: %v", err)
			}
			hook := &countHook{}
			s.rdb.AddHook(hook)
			got, err := s.Submissions(ctx, "2026-Q1", []string{"w1-pn", "w2-pn", "ghost"}, tallyForms)
			want := map[flows.Key]flows.Submission{a.Key: a, b.Key: b}
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("Submissions = %+v, %v; want %+v", got, err, want)
			}
			if trips := hook.cmds.Load() + hook.pipes.Load(); trips != 1 {
				t.Errorf("Submissions took %d round trips, want 1", trips)
			}
			if got, err := s.Submissions(ctx, "2026-Q1", nil, tallyForms); err != nil || len(got) != 0 {
				t.Errorf("Submissions of no units = %v, %v; want empty", got, err)
			}
		})
	}
}

// With Redis down, the calls of this feature return errors; none panics or reports success.
func TestOutageTallies(t *testing.T) {
	s := New(redis.NewClient(&redis.Options{Addr: closedAddr(t), MaxRetries: -1, DialerRetries: 1, DialTimeout: time.Second}), "test:down:")
	defer s.Close()
	s.UseModel(mustDir(t, tallyOrgs, tallyNodes), tallyCal, tallyInds)
	k := w1Membership()
	calls := map[string]func(context.Context) error{
		"Tallies": func(ctx context.Context) error {
			_, err := s.Tallies(ctx, []flows.TallyKey{tk("city", "*", "membership")})
			return err
		},
		"Rebuild":   func(ctx context.Context) error { return s.Rebuild(ctx, "2026-Q1", []string{"w1-pn"}, tallyForms) },
		"Return":    apply(s, flows.ReturnSubmission{Key: k, Version: 1}),
		"Submit":    apply(s, flows.Submit{Submission: tsub("w1-pn", "membership", 1, dueQ1, dueQ1, nil)}),
		"Histories": func(ctx context.Context) error { _, err := s.Histories(ctx, []flows.Key{k}); return err },
		"People":    func(ctx context.Context) error { _, err := s.People(ctx, []string{"tg:1"}); return err },
		"Progress": func(ctx context.Context) error {
			_, err := s.Progress(ctx, "2026-Q1", []string{"w1-pn"}, tallyForms)
			return err
		},
		"Submissions": func(ctx context.Context) error {
			_, err := s.Submissions(ctx, "2026-Q1", []string{"w1-pn"}, tallyForms)
			return err
		},
		"Link": func(ctx context.Context) error {
			return s.Link(ctx, "tg:1", flows.Person{ID: "tg:1", Units: []string{"w1-pn"}})
		},
	}
	mustFailAll(t, calls)
}
