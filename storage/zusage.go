package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// SentTTL is how long a month's count of messages sent is kept: a year and a bit, so last
// year's same month can still be read.
const SentTTL = 400 * 24 * time.Hour

// sentKey is the count of messages bot sent in month:
//
//	P zsent:<bot>:<month>  integer; <bot> names the bot by a hash of its token (never the
//	                       token), <month> is "2006-01" in the bot's time zone; TTL SentTTL
func (s *Store) sentKey(bot, month string) string { return s.key("zsent", bot+":"+month) }

// CountSent adds one message to bot's count for month and returns the count. INCR hands each
// count out once, so with several replicas exactly one sees any given number.
func (s *Store) CountSent(ctx context.Context, bot, month string) (int64, error) {
	key := s.sentKey(bot, month)
	var n *redis.IntCmd
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		n = p.Incr(ctx, key)
		p.ExpireNX(ctx, key, SentTTL)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("count message sent in %s: %w", month, err)
	}
	return n.Val(), nil
}

// Sent returns bot's count of messages for month; 0 when none was counted.
func (s *Store) Sent(ctx context.Context, bot, month string) (int64, error) {
	n, err := s.rdb.Get(ctx, s.sentKey(bot, month)).Int64()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read messages sent in %s: %w", month, err)
	}
	return n, nil
}
