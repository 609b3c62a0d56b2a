package storage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"

	"danvan/flows"
)

// FanoutRate is the reminders' fan-out pace of one bot token, shared by every replica on this
// Redis: a GCRA limit (github.com/go-redis/redis_rate) on one key, on the Redis server's clock,
// so the replicas' own clocks play no part. Burst 1: never more than the rate in any second,
// whichever replicas send. It implements reminders.Rate.
type FanoutRate struct {
	lim   *redis_rate.Limiter
	key   string
	limit redis_rate.Limit
}

// FanoutRate returns the shared pace of perSecond messages a second of channel's ("tg",
// "zalo") token. The key names the token by a hash, never the token itself:
//
//	P rate:fanout:<channel>:<first 16 hex digits of SHA-256(token)>   GCRA's theoretical
//	                                                                   arrival time; expires
//	                                                                   as soon as it is past
func (s *Store) FanoutRate(channel, token string, perSecond float64) *FanoutRate {
	sum := sha256.Sum256([]byte(token))
	return &FanoutRate{
		lim: redis_rate.NewLimiter(underPrefix{s.rdb, s.prefix}),
		key: "fanout:" + channel + ":" + hex.EncodeToString(sum[:8]),
		// One message per interval, whatever the rate: redis_rate's Rate is a whole number.
		limit: redis_rate.Limit{Rate: 1, Burst: 1, Period: time.Duration(float64(time.Second) / perSecond)},
	}
}

// Take implements reminders.Rate: zero when a message may go now, else how long until the next
// one may, as the server reckons it.
func (r *FanoutRate) Take(ctx context.Context, _ flows.Person) (time.Duration, error) {
	res, err := r.lim.Allow(ctx, r.key, r.limit)
	if err != nil {
		return 0, fmt.Errorf("fan-out rate %s: %w", r.key, err)
	}
	if res.Allowed > 0 {
		return 0, nil
	}
	return max(res.RetryAfter, time.Millisecond), nil
}

// underPrefix is the client redis_rate runs its scripts on: it puts their keys under the
// store's prefix, where every key of the store lives (ACLs, clean-up, tenants).
type underPrefix struct {
	redis.UniversalClient
	prefix string
}

func (u underPrefix) under(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = u.prefix + k
	}
	return out
}

func (u underPrefix) Eval(ctx context.Context, script string, keys []string, args ...any) *redis.Cmd {
	return u.UniversalClient.Eval(ctx, script, u.under(keys), args...)
}

func (u underPrefix) EvalSha(ctx context.Context, sha1 string, keys []string, args ...any) *redis.Cmd {
	return u.UniversalClient.EvalSha(ctx, sha1, u.under(keys), args...)
}

func (u underPrefix) EvalRO(ctx context.Context, script string, keys []string, args ...any) *redis.Cmd {
	return u.UniversalClient.EvalRO(ctx, script, u.under(keys), args...)
}

func (u underPrefix) EvalShaRO(ctx context.Context, sha1 string, keys []string, args ...any) *redis.Cmd {
	return u.UniversalClient.EvalShaRO(ctx, sha1, u.under(keys), args...)
}

func (u underPrefix) Del(ctx context.Context, keys ...string) *redis.IntCmd {
	return u.UniversalClient.Del(ctx, u.under(keys)...)
}
