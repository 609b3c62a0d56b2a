package storage

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"danvan/flows"
)

// closedAddr returns an address nothing listens on: a port we opened and closed again.
func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}

// With Redis down, every method returns an error; none panics and none reports success.
func TestOutage(t *testing.T) {
	s := New(redis.NewClient(&redis.Options{Addr: closedAddr(t), MaxRetries: -1, DialerRetries: 1, DialTimeout: time.Second}), "test:down:")
	defer s.Close()
	sub := submission(keyQ1, 1, "tg:1", nil)
	calls := map[string]func(context.Context) error{
		"Session":     func(ctx context.Context) error { _, err := s.Session(ctx, "tg:1"); return err },
		"SaveSession": func(ctx context.Context) error { return s.SaveSession(ctx, "tg:1", flows.State{Version: 1}, 0) },
		"Reports": func(ctx context.Context) error {
			_, err := s.Reports(ctx, []flows.ReportQuery{{Key: keyQ1}})
			return err
		},
		"StampedReports": func(ctx context.Context) error {
			_, _, err := s.StampedReports(ctx, []flows.ReportQuery{{Key: keyQ1}})
			return err
		},
		"Load":         func(ctx context.Context) error { _, _, _, err := s.Load(ctx, "tg:1", "tg:1"); return err },
		"SaveDraft":    apply(s, flows.SaveDraft{Draft: draft(keyQ1, "tg:1", 1, nil)}),
		"DropDraft":    apply(s, flows.DropDraft{Key: keyQ1, Person: "tg:1"}),
		"Submit":       apply(s, flows.Submit{Submission: sub, Form: testForm}),
		"CreateInvite": apply(s, flows.CreateInvite{Invite: invite("X", time.Hour)}),
		"SavePerson":   apply(s, flows.SavePerson{Person: flows.Person{ID: "tg:1"}}),
		"Person":       func(ctx context.Context) error { _, err := s.Person(ctx, "tg:1"); return err },
		"Link":         func(ctx context.Context) error { return s.Link(ctx, "tg:1", flows.Person{ID: "tg:1"}) },
		"Redeem":       func(ctx context.Context) error { _, err := s.Redeem(ctx, "X", "tg:1"); return err },
		"Redeemed":     func(ctx context.Context) error { return s.Redeemed(ctx, "X") },
		"Failure":      func(ctx context.Context) error { _, err := s.Failure(ctx, "tg:1", time.Hour); return err },
		"Failures":     func(ctx context.Context) error { _, err := s.Failures(ctx, "tg:1"); return err },
		"Claim":        func(ctx context.Context) error { _, err := s.Claim(ctx, "u1"); return err },
		"Release":      func(ctx context.Context) error { return s.Release(ctx, "u1") },
		"Commit": func(ctx context.Context) error {
			_, err := s.Commit(ctx, "tg:1", "u1", flows.State{Version: 1}, 0, nil, nil)
			return err
		},
		"Unreachable": func(ctx context.Context) error { return s.MarkUnreachable(ctx, "tg:1") },
		"Submission":  func(ctx context.Context) error { _, err := s.Submission(ctx, keyQ1); return err },
		"History":     func(ctx context.Context) error { _, err := s.History(ctx, keyQ1); return err },
		"Submitted":   func(ctx context.Context) error { _, err := s.Submitted(ctx, keyQ1.Unit, keyQ1.Period); return err },
		"PutFile": func(ctx context.Context) error {
			_, err := s.PutFile(ctx, "zalo:1", "t1", flows.File{Name: "a.png"}, time.Hour, 20)
			return err
		},
		"File": func(ctx context.Context) error { _, err := s.File(ctx, "t1"); return err },
		"AddMenu": func(ctx context.Context) error {
			_, err := s.AddMenu(ctx, "zalo:1", []byte("{}"), false, time.Hour)
			return err
		},
		"Menu": func(ctx context.Context) error { _, err := s.Menu(ctx, "zalo:1"); return err },
	}
	mustFailAll(t, calls)
}

// mustFailAll runs each call against a Redis that is down: each must fail with a connection
// error, not succeed and not claim something about the data.
func mustFailAll(t *testing.T, calls map[string]func(context.Context) error) {
	t.Helper()
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
			defer cancel()
			err := call(ctx)
			if err == nil {
				t.Fatalf("got nil, want an error")
			}
			if errors.Is(err, flows.ErrConflict) || errors.Is(err, flows.ErrNotFound) {
				t.Errorf("got %v, want a connection error, not a verdict about the data", err)
			}
		})
	}
}

func apply(s *Store, e flows.Effect) func(context.Context) error {
	return func(ctx context.Context) error { return s.Apply(ctx, []flows.Effect{e}) }
}

// hashTag returns the part of key Redis Cluster hashes: the first non-empty {…}, else the key.
func hashTag(key string) string {
	if i := strings.IndexByte(key, '{'); i >= 0 {
		if j := strings.IndexByte(key[i+1:], '}'); j > 0 {
			return key[i+1 : i+1+j]
		}
	}
	return key
}

// Odd names must neither move a unit's keys out of its slot nor let two reports share a key.
func TestKeySchema(t *testing.T) {
	s := New(nil, "danvan:")
	units := []string{"tan-phong/hlphn", "a:b", "x{y}z", "}", "100%"}
	for _, u := range units {
		k := flows.Key{Unit: u, Period: "2026:Q1", Form: "f{1}"}
		keys := []string{s.draftKey(k, "tg:{1}"), s.subKey(k), s.histKey(k), s.indexKey(u)}
		for _, key := range keys {
			if got, want := hashTag(key), hashTag(keys[0]); got != want || !strings.HasPrefix(key, "danvan:{u:") {
				t.Errorf("unit %q: key %q has hash tag %q, want %q under the prefix", u, key, got, want)
			}
		}
	}
	a := flows.Key{Unit: "u", Period: "p:x", Form: "f"}
	b := flows.Key{Unit: "u", Period: "p", Form: "x:f"}
	if s.subKey(a) == s.subKey(b) || indexField(a.Period, a.Form) == indexField(b.Period, b.Form) {
		t.Errorf("keys %v and %v share a submission key %q", a, b, s.subKey(a))
	}
	if hashTag(s.subKey(flows.Key{Unit: "a"})) == hashTag(s.subKey(flows.Key{Unit: "a}"})) {
		t.Errorf("units %q and %q share a hash tag", "a", "a}")
	}
}

// Submitted reads the index back with escaped period and form names.
func TestSubmittedOddNames(t *testing.T) {
	s := mustStore(t)
	k := flows.Key{Unit: "u:1", Period: "2026:Q1", Form: "form:%7B"}
	mustApply(t, s, flows.Submit{Submission: submission(k, 1, "tg:1", nil), Form: testForm})
	got, err := s.Submitted(t.Context(), k.Unit, k.Period)
	if err != nil || len(got) != 1 || got[k.Form] != 1 {
		t.Errorf("Submitted = %v, %v; want map[%s:1]", got, err, k.Form)
	}
}
