package storage

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/redis/go-redis/v9"

	"danvan/flows"
)

// The backoff of a Lock waiting for another writer: short, because a chat's step takes
// milliseconds, and capped, so a waiter notices a released lock soon.
const (
	lockFirstWait = 5 * time.Millisecond
	lockMaxWait   = 100 * time.Millisecond
	// abandonTimeout bounds the clean-up after a failed Lock, which must not hold the caller up.
	abandonTimeout = 500 * time.Millisecond
)

// Claim returns true the first time update is seen within ttl (SET NX), so an update a platform
// delivers twice, or to two replicas, is handled once.
func (s *Store) Claim(ctx context.Context, update string, ttl time.Duration) (bool, error) {
	ok, err := s.rdb.SetNX(ctx, s.key("update", update), "1", ttl).Result()
	if err != nil {
		return false, fmt.Errorf("claim update %s: %w", update, err)
	}
	return ok, nil
}

// Release forgets the claim on update, so an update whose handling failed is handled when the
// platform delivers it again.
func (s *Store) Release(ctx context.Context, update string) error {
	if err := s.rdb.Del(ctx, s.key("update", update)).Err(); err != nil {
		return fmt.Errorf("release update %s: %w", update, err)
	}
	return nil
}

// unlockScript deletes the lock only while it still holds the caller's token: a holder that
// outlived its ttl must not release the lock the next writer took since.
var unlockScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`)

// Lock holds chat for one writer across processes until unlock is called or ttl passes. While
// another writer holds it, Lock retries with a short backoff until ctx is done or about ttl has
// passed (by then the holder's lock has expired, or it is stuck), then returns an error wrapping
// flows.ErrConflict. A Redis error is returned as it is, without retrying.
//
// unlock never fails loudly: if it cannot reach Redis, the lock expires after ttl anyway.
func (s *Store) Lock(ctx context.Context, chat string, ttl time.Duration) (func(context.Context), error) {
	if ttl <= 0 {
		return nil, fmt.Errorf("lock %s: ttl %v is not positive", chat, ttl)
	}
	key, token := s.key("lock", chat), newToken()
	giveUp := time.Now().Add(ttl)
	busy := fmt.Errorf("lock %s: held by another writer: %w", chat, flows.ErrConflict)
	for wait, seenHeld := lockFirstWait, false; ; wait, seenHeld = min(2*wait, lockMaxWait), true {
		ok, err := s.rdb.SetNX(ctx, key, token, ttl).Result()
		switch {
		case ok:
			return func(ctx context.Context) { _ = unlockScript.Run(ctx, s.rdb, []string{key}, token).Err() }, nil
		case err != nil && seenHeld && ctx.Err() != nil:
			s.abandon(ctx, key, token)
			return nil, busy // the deadline struck while retrying a lock seen held: still a conflict
		case err != nil:
			s.abandon(ctx, key, token)
			return nil, fmt.Errorf("lock %s: %w", chat, err)
		case !time.Now().Before(giveUp):
			return nil, busy
		}
		if !sleep(ctx, wait/2+rand.N(wait/2+1)) { // jitter, so waiters do not retry in step
			return nil, busy
		}
	}
}

// abandon releases a lock a failed SET may have taken after all (the command can reach Redis
// while its reply is lost), so the chat is not blocked for the whole ttl. It tries briefly, with a
// context of its own, because ctx may be what failed.
func (s *Store) abandon(ctx context.Context, key, token string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), abandonTimeout)
	defer cancel()
	_ = unlockScript.Run(ctx, s.rdb, []string{key}, token).Err()
}

// sleep waits for d and reports true, or reports false as soon as ctx is done.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// newToken returns a random lock token, unique to one Lock call.
func newToken() string {
	b := make([]byte, 16)
	_, _ = crand.Read(b) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b)
}
