package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"danvan/flows"
)

// Redeem returns the invite stored under code and deletes it in the same command (GETDEL), so
// two people racing with one code cannot both get it. An unknown, used or expired code returns
// flows.ErrNotFound; expiry is Redis's, set from Invite.Expires when the invite was created.
func (s *Store) Redeem(ctx context.Context, code string) (flows.Invite, error) {
	if code == "" {
		return flows.Invite{}, fmt.Errorf("redeem empty code: %w", flows.ErrNotFound)
	}
	b, err := s.rdb.GetDel(ctx, s.key("invite", code)).Bytes()
	if errors.Is(err, redis.Nil) {
		return flows.Invite{}, fmt.Errorf("redeem %s: %w", code, flows.ErrNotFound)
	}
	if err != nil {
		return flows.Invite{}, fmt.Errorf("redeem %s: %w", code, err)
	}
	var inv flows.Invite
	if err := json.Unmarshal(b, &inv); err != nil {
		return flows.Invite{}, fmt.Errorf("redeem %s: decode: %w", code, err)
	}
	return inv, nil
}

// Failure counts a wrong code from chat and returns how many it sent in the current window. The
// window starts with the first failure and is not extended by later ones (EXPIRE NX), so a
// guesser is locked out for at most one window, not for as long as they keep trying.
func (s *Store) Failure(ctx context.Context, chat string, window time.Duration) (int64, error) {
	if window <= 0 {
		return 0, fmt.Errorf("count failure of %s: window %v is not positive", chat, window)
	}
	key := s.key("fail", chat)
	var n *redis.IntCmd
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		n = p.Incr(ctx, key)
		p.ExpireNX(ctx, key, window)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("count failure of %s: %w", chat, err)
	}
	return n.Val(), nil
}
