package storage

import (
	"context"
	"errors"
	"testing"
	"time"

	"danvan/flows"
)

func TestClaimRelease(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	steps := []struct {
		name    string
		release bool
		want    bool
	}{
		{"first claim", false, true},
		{"repeat", false, false},
		{"after release", true, true},
		{"repeat again", false, false},
	}
	for _, st := range steps {
		if st.release {
			if err := s.Release(ctx, "tg:8841"); err != nil {
				t.Fatalf("Release: %v", err)
			}
		}
		if got, err := s.Claim(ctx, "tg:8841", time.Minute); err != nil || got != st.want {
			t.Errorf("%s: Claim = %v, %v; want %v", st.name, got, err, st.want)
		}
	}
	if ttl := pttl(t, s, s.key("update", "tg:8841")); ttl <= 0 || ttl > time.Minute {
		t.Errorf("claim PTTL = %v, want within 1m", ttl)
	}
}

// tryLock takes the chat's lock, giving up after a short wait.
func tryLock(s *Store, chat string) (func(context.Context), error) {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	return s.Lock(ctx, chat, 10*time.Second)
}

func TestLockExclusive(t *testing.T) {
	a := mustStore(t)
	b := storeAt(t, a.prefix) // another process
	ctx := t.Context()
	unlock, err := a.Lock(ctx, "tg:1", 10*time.Second)
	if err != nil {
		t.Fatalf("Lock: %v", err)
	}
	if _, err := tryLock(b, "tg:1"); !errors.Is(err, flows.ErrConflict) {
		t.Errorf("second Lock while held: got %v, want ErrConflict", err)
	}
	if u, err := tryLock(b, "tg:2"); err != nil {
		t.Errorf("Lock of another chat: got %v, want nil", err)
	} else {
		u(ctx)
	}
	unlock(ctx)
	unlockB, err := tryLock(b, "tg:1")
	if err != nil {
		t.Fatalf("Lock after unlock: got %v, want nil", err)
	}
	unlockB(ctx)
}

// A holder whose lock expired must not release the lock the next writer took since.
func TestLockStaleUnlock(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	stale, err := s.Lock(ctx, "tg:1", 10*time.Second)
	if err != nil {
		t.Fatalf("Lock: %v", err)
	}
	if err := s.rdb.Del(ctx, s.key("lock", "tg:1")).Err(); err != nil { // as if its ttl ran out
		t.Fatal(err)
	}
	current, err := tryLock(s, "tg:1")
	if err != nil {
		t.Fatalf("Lock after expiry: %v", err)
	}
	stale(ctx)
	if _, err := tryLock(s, "tg:1"); !errors.Is(err, flows.ErrConflict) {
		t.Errorf("Lock after a stale unlock: got %v, want ErrConflict (the current lock must survive)", err)
	}
	current(ctx)
	if n, _ := s.rdb.Exists(ctx, s.key("lock", "tg:1")).Result(); n != 0 {
		t.Errorf("lock key still exists after its holder unlocked")
	}
}

// Without a ctx deadline, a waiter gives up after about ttl.
func TestLockGivesUpAfterTTL(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	unlock, err := s.Lock(ctx, "tg:1", 10*time.Second)
	if err != nil {
		t.Fatalf("Lock: %v", err)
	}
	defer unlock(ctx)
	start := time.Now()
	_, err = s.Lock(ctx, "tg:1", 30*time.Millisecond)
	if !errors.Is(err, flows.ErrConflict) {
		t.Errorf("Lock while held: got %v, want ErrConflict", err)
	}
	if waited := time.Since(start); waited > 2*time.Second {
		t.Errorf("Lock waited %v with ttl 30ms, want about 30ms", waited)
	}
}
