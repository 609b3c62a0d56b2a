package storage

import (
	"encoding/json"
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
	if got, err := s.Redeem(ctx, "ABC123", "tg:1"); err != nil || !reflect.DeepEqual(got, inv) {
		t.Errorf("first Redeem = %+v, %v; want %+v", got, err, inv)
	}
	if err := s.Redeemed(ctx, "ABC123"); err != nil {
		t.Fatalf("Redeemed: got %v, want nil", err)
	}
	for _, code := range []string{"ABC123", "NOSUCH", ""} {
		if _, err := s.Redeem(ctx, code, "tg:1"); !errors.Is(err, flows.ErrNotFound) {
			t.Errorf("Redeem(%q) after use: got %v, want ErrNotFound", code, err)
		}
	}
}

// TestInviteBoundToFirstHolder: the first identity to try a code owns it until it is spent. A
// crash after Redeem (no Redeemed) leaves it to that identity alone: not burnt, not freed.
func TestInviteBoundToFirstHolder(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	inv := invite("HOLD22", time.Hour)
	mustApply(t, s, flows.CreateInvite{Invite: inv})
	before := pttl(t, s, s.key("invite", inv.Code))
	if _, err := s.Redeem(ctx, "HOLD22", "tg:1"); err != nil {
		t.Fatalf("first Redeem: got %v, want nil", err)
	}
	if after := pttl(t, s, s.key("invite", inv.Code)); after > before || after < before-time.Minute {
		t.Errorf("PTTL after Redeem: got %v, want the invite's own (%v) kept", after, before)
	}
	if _, err := s.Redeem(ctx, "HOLD22", "zalo:9"); !errors.Is(err, flows.ErrNotFound) {
		t.Errorf("Redeem by another identity: got %v, want ErrNotFound", err)
	}
	// The process died before Redeemed; the same person tries again.
	if got, err := s.Redeem(ctx, "HOLD22", "tg:1"); err != nil || !reflect.DeepEqual(got, inv) {
		t.Errorf("Redeem again by its holder = %+v, %v; want %+v", got, err, inv)
	}
}

// TestInviteStoredBeforeHolders: an invite written by an older version (bare flows.Invite JSON)
// is still redeemed.
func TestInviteStoredBeforeHolders(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	inv := invite("OLDFMT", time.Hour)
	b, err := json.Marshal(inv)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.rdb.Set(ctx, s.key("invite", inv.Code), b, time.Hour).Err(); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Redeem(ctx, "OLDFMT", "tg:1"); err != nil || !reflect.DeepEqual(got, inv) {
		t.Errorf("Redeem = %+v, %v; want %+v", got, err, inv)
	}
}

// TestLinkCodeOneLive: asking for /lienket again replaces the code; only the newest works.
func TestLinkCodeOneLive(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	link := func(code string) flows.Invite {
		return flows.Invite{Code: code, Role: flows.LinkRole, Nodes: []string{"tg:1"}, By: "tg:1",
			Created: day, Expires: day.Add(30 * time.Minute).UTC()}
	}
	for _, code := range []string{"LINKA1", "LINKB2", "LINKC3"} {
		mustApply(t, s, flows.CreateInvite{Invite: link(code)})
	}
	for code, want := range map[string]error{"LINKA1": flows.ErrNotFound, "LINKB2": flows.ErrNotFound, "LINKC3": nil} {
		if _, err := s.Redeem(ctx, code, "zalo:1"); !errors.Is(err, want) {
			t.Errorf("Redeem(%s): got %v, want %v", code, err, want)
		}
	}
}

func TestInviteAlreadyExpired(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	err := s.Apply(ctx, []flows.Effect{flows.CreateInvite{Invite: invite("OLD1", -time.Second)}})
	if err == nil || errors.Is(err, flows.ErrConflict) {
		t.Errorf("creating an expired invite: got %v, want an error that is no conflict (a retry cannot help)", err)
	}
	if _, err := s.Redeem(ctx, "OLD1", "tg:1"); !errors.Is(err, flows.ErrNotFound) {
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
	for chat, want := range map[string]int64{"tg:1": 4, "tg:2": 1, "tg:3": 0} {
		if got, err := s.Failures(ctx, chat); err != nil || got != want {
			t.Errorf("Failures(%s) = %d, %v; want %d", chat, got, err, want)
		}
	}
}
