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

// createInvite stores inv for its lifetime, Expires − Created. The lifetime, not Expires itself,
// goes to Redis: the bot's clock (injected, maybe far from Redis's) decides when an invite
// expires, and the dispatcher checks Expires on redeem; Redis only forgets it about then. It
// refuses a code that is already stored, so a collision of random codes can never hand someone
// else's invite out twice: that error wraps flows.ErrConflict, so the caller runs the step again
// and draws a new code.
func (s *Store) createInvite(ctx context.Context, inv flows.Invite) error {
	if inv.Code == "" {
		return errors.New("create invite: empty code")
	}
	life := inv.Expires.Sub(inv.Created)
	if life <= 0 {
		return fmt.Errorf("create invite %s: expires %s, not after it was created", inv.Code, inv.Expires.Format(time.RFC3339))
	}
	b, err := json.Marshal(inv)
	if err != nil {
		return fmt.Errorf("create invite %s: %w", inv.Code, err)
	}
	ok, err := s.rdb.Do(ctx, "SET", s.key("invite", inv.Code), b, "NX", "PX", life.Milliseconds()).Result()
	if errors.Is(err, redis.Nil) || (err == nil && ok != "OK") {
		return fmt.Errorf("create invite %s: code already in use: %w", inv.Code, flows.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("create invite %s: %w", inv.Code, err)
	}
	return nil
}
