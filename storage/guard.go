package storage

import (
	"context"
	"fmt"
)

// Claim returns true the first time update is seen within UpdateTTL (SET NX), so an update a
// platform delivers twice, or to two replicas, is handled once. Commit records updates itself;
// Claim is for updates whose handling writes elsewhere or nothing.
func (s *Store) Claim(ctx context.Context, update string) (bool, error) {
	ok, err := s.rdb.SetNX(ctx, s.key("update", update), "1", UpdateTTL).Result()
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
