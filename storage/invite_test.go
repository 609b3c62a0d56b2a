package storage

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"danvan/flows"
)

// invite makes an invite created on the test day that lives for life.
func invite(code string, life time.Duration) flows.Invite {
	return flows.Invite{Code: code, Role: flows.Organiser, Nodes: []string{keyQ1.Unit}, By: "tg:admin",
		Created: day, Expires: day.Add(life).UTC().Truncate(time.Millisecond)}
}

func TestInviteOneTime(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	inv := invite("ABC123", time.Hour)
	mustApply(t, s, flows.CreateInvite{Invite: inv})
	if ttl := pttl(t, s, s.key("invite", inv.Code)); ttl <= 59*time.Minute || ttl > time.Hour {
		t.Errorf("invite PTTL = %v, want about 1h (Expires − Created)", ttl)
	}
	dup := invite("ABC123", 2*time.Hour)
	if err := s.Apply(ctx, []flows.Effect{flows.CreateInvite{Invite: dup}}); !errors.Is(err, flows.ErrConflict) {
		t.Errorf("creating a code already in use: got %v, want ErrConflict", err)
	}
	if got, err := s.Redeem(ctx, "ABC123"); err != nil || !reflect.DeepEqual(got, inv) {
		t.Errorf("first Redeem = %+v, %v; want %+v", got, err, inv)
	}
	for _, code := range []string{"ABC123", "NOSUCH", ""} {
		if _, err := s.Redeem(ctx, code); !errors.Is(err, flows.ErrNotFound) {
			t.Errorf("Redeem(%q) after use: got %v, want ErrNotFound", code, err)
		}
	}
}

func TestInviteAlreadyExpired(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	err := s.Apply(ctx, []flows.Effect{flows.CreateInvite{Invite: invite("OLD1", -time.Second)}})
	if err == nil || errors.Is(err, flows.ErrConflict) {
		t.Errorf("creating an expired invite: got %v, want an error that is no conflict (a retry cannot help)", err)
	}
	if _, err := s.Redeem(ctx, "OLD1"); !errors.Is(err, flows.ErrNotFound) {
		t.Errorf("Redeem of an expired invite: got %v, want ErrNotFound", err)
	}
}

func TestFailureWindow(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	for want := int64(1); want <= 3; want++ {
		if got, err := s.Failure(ctx, "tg:1", time.Hour); err != nil || got != want {
			t.Errorf("Failure #%d = %d, %v; want %d", want, got, err, want)
		}
	}
	key := s.key("fail", "tg:1")
	if ttl := pttl(t, s, key); ttl <= 59*time.Minute || ttl > time.Hour {
		t.Errorf("failure PTTL = %v, want about 1h", ttl)
	}
	// Later failures must not push the window out: shorten it and fail again.
	if err := s.rdb.PExpire(ctx, key, 100*time.Second).Err(); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Failure(ctx, "tg:1", time.Hour); err != nil || got != 4 {
		t.Errorf("Failure #4 = %d, %v; want 4", got, err)
	}
	if ttl := pttl(t, s, key); ttl > 100*time.Second {
		t.Errorf("failure PTTL after a later failure = %v, want at most 100s (window not extended)", ttl)
	}
	if got, err := s.Failure(ctx, "tg:2", time.Hour); err != nil || got != 1 {
		t.Errorf("another chat's first Failure = %d, %v; want 1", got, err)
	}
}
