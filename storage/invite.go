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

// heldInvite is an invite as the store keeps it: the invite and, once somebody has begun to
// redeem it, the identity it is bound to. (Invites stored before holders existed decode with
// an empty Holder.)
type heldInvite struct {
	flows.Invite
	Holder string `json:"holder,omitempty"`
}

// redeemTries bounds the optimistic retries of Redeem when another redemption of the same code
// changes it meanwhile.
const redeemTries = 3

// Redeem binds the invite stored under code to holder (a platform identity) and returns it. The
// first identity to try a code owns it from then on: another one gets flows.ErrNotFound, as for
// an unknown, used or expired code, while holder itself may redeem it again until Redeemed
// deletes it. So a crash between taking the code and granting what it gives never burns the
// code for its rightful user, and never frees it for a second one. Expiry is Redis's, set from
// Invite.Expires when the invite was created.
func (s *Store) Redeem(ctx context.Context, code, holder string) (flows.Invite, error) {
	if code == "" || holder == "" {
		return flows.Invite{}, fmt.Errorf("redeem %q for %q: %w", code, holder, flows.ErrNotFound)
	}
	key := s.key("invite", code)
	for range redeemTries {
		inv, err := s.hold(ctx, key, holder)
		if !errors.Is(err, redis.TxFailedErr) {
			if err != nil {
				return flows.Invite{}, fmt.Errorf("redeem %s: %w", code, err)
			}
			return inv, nil
		}
	}
	return flows.Invite{}, fmt.Errorf("redeem %s: raced %d times: %w", code, redeemTries, flows.ErrConflict)
}

// hold binds the invite at key to holder in one optimistic transaction on its single key.
func (s *Store) hold(ctx context.Context, key, holder string) (flows.Invite, error) {
	var inv flows.Invite
	err := s.rdb.Watch(ctx, func(tx *redis.Tx) error {
		b, err := tx.Get(ctx, key).Bytes()
		if errors.Is(err, redis.Nil) {
			return flows.ErrNotFound
		}
		if err != nil {
			return err
		}
		var h heldInvite
		if err := json.Unmarshal(b, &h); err != nil {
			return fmt.Errorf("decode: %w", err)
		}
		inv = h.Invite
		switch h.Holder {
		case holder:
			return nil
		case "":
		default:
			return fmt.Errorf("held by another identity: %w", flows.ErrNotFound)
		}
		h.Holder = holder
		if b, err = json.Marshal(h); err != nil {
			return fmt.Errorf("encode: %w", err)
		}
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.SetArgs(ctx, key, b, redis.SetArgs{KeepTTL: true})
			return nil
		})
		return err
	}, key)
	return inv, err
}

// Redeemed deletes the invite under code once what it gives is granted: the code is spent.
func (s *Store) Redeemed(ctx context.Context, code string) error {
	if err := s.rdb.Del(ctx, s.key("invite", code)).Err(); err != nil {
		return fmt.Errorf("spend invite %s: %w", code, err)
	}
	return nil
}

// Failures returns how many failures Failure counted for key in its current window, without
// counting one.
func (s *Store) Failures(ctx context.Context, key string) (int64, error) {
	n, err := s.rdb.Get(ctx, s.key("fail", key)).Int64()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read failures of %s: %w", key, err)
	}
	return n, nil
}

// Failure counts a failure under key (a chat's tries at invite codes, or every chat's wrong codes)
// and returns how many in the current window. The window starts with the first failure and is
// not extended by later ones (EXPIRE NX), so a guesser is locked out for at most one window, not
// for as long as they keep trying.
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
	if inv.Role == flows.LinkRole && len(inv.Nodes) > 0 {
		return s.replaceLinkCode(ctx, inv.Nodes[0], inv.Code, life)
	}
	return nil
}

// replaceLinkCode makes code the one live link code of person and deletes the one before, so
// asking for /lienket again and again never leaves more than one code to guess. (The two keys
// sit in different Cluster slots: a crash in between leaves the old code to expire on its own.)
func (s *Store) replaceLinkCode(ctx context.Context, person, code string, life time.Duration) error {
	old, err := s.rdb.SetArgs(ctx, s.key("linkcode", person), code, redis.SetArgs{Get: true, TTL: life}).Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		return fmt.Errorf("create link code of %s: %w", person, err)
	}
	if old == "" || old == code {
		return nil
	}
	if err := s.rdb.Del(ctx, s.key("invite", old)).Err(); err != nil {
		return fmt.Errorf("drop link code of %s: %w", person, err)
	}
	return nil
}
