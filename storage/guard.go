package storage

import (
	"context"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// Claim returns true the first time update is seen within UpdateTTL (SET NX), so an update a
// platform delivers twice, or to two replicas, is handled once. Commit records updates itself;
// Claim is for updates whose handling writes elsewhere or nothing.
func (s *Store) Claim(ctx context.Context, update string) (bool, error) {
	cmd := redis.NewBoolCmd(ctx, "set", s.key("update", update), "1", "px", UpdateTTL.Milliseconds(), "nx")
	err := s.batch.do(ctx, cmd)
	if err == nil {
		err = cmd.Err()
	}
	ok := err == nil && cmd.Val()
	if errors.Is(err, redis.Nil) {
		err = nil // SET NX answers nil when the key exists: seen before
	}
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
