package storage

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// Claim returns true the first time update is seen within UpdateTTL (SET NX), so an update a
// platform delivers twice, or to two replicas, is handled once. Commit records updates itself;
// Claim is for updates whose handling writes elsewhere or nothing.
func (s *Store) Claim(ctx context.Context, update string) (bool, error) {
	// SET NX GET answers nil when it set the key and the old value when it did not. The value
	// is a mark unique to this call: a client that sends the call again after a timeout finds
	// its own mark and knows the claim is still its own.
	mark := newMark()
	cmd := redis.NewStringCmd(ctx, "set", s.key("update", update), mark, "px", UpdateTTL.Milliseconds(), "nx", "get")
	err := s.batch.do(ctx, cmd)
	if err == nil {
		err = cmd.Err()
	}
	ok := errors.Is(err, redis.Nil) || (err == nil && cmd.Val() == mark)
	if errors.Is(err, redis.Nil) {
		err = nil
	}
	if err != nil {
		return false, fmt.Errorf("claim update %s: %w", update, err)
	}
	return ok, nil
}

// newMark returns a random value that tells one call's writes from any other's.
func newMark() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b) // crypto/rand never fails on Linux; a weak mark only weakens retries
	return hex.EncodeToString(b)
}

// Release forgets the claim on update, so an update whose handling failed is handled when the
// platform delivers it again.
func (s *Store) Release(ctx context.Context, update string) error {
	if err := s.rdb.Del(ctx, s.key("update", update)).Err(); err != nil {
		return fmt.Errorf("release update %s: %w", update, err)
	}
	return nil
}
