package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/redis/go-redis/v9"
)

// Ping asks Redis to answer (PING; on Cluster a node of the slot map, on Sentinel the master),
// for a readiness check.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("redis ping: %w", err)
	}
	return nil
}

// AddHook adds h to the Redis client, around every command, pipeline and dial: what main uses to
// time the round trips and count the errors for metrics, which the store itself never keeps.
func (s *Store) AddHook(h redis.Hook) { s.rdb.AddHook(h) }

// openDraftsBatch is how many keys one SCAN step asks for, and one pipeline of GETs reads.
const openDraftsBatch = 1000

// OpenDrafts counts the drafts that hold at least one answer: forms begun and neither submitted
// (a submission empties its draft) nor closed with their period. It walks the whole keyspace
// under the prefix (SCAN on every master, matching the draft keys) and reads each draft, so it
// costs a few round trips per thousand keys: it is for a gauge refreshed every few minutes,
// never for a request. A draft saved or submitted meanwhile may be counted either way.
func (s *Store) OpenDrafts(ctx context.Context) (int64, error) {
	var n atomic.Int64
	match := globEscaper.Replace(s.prefix) + "{u:*}:draft:*"
	err := s.forEachNode(ctx, func(ctx context.Context, c *redis.Client) error {
		var cursor uint64
		for {
			keys, next, err := c.Scan(ctx, cursor, match, openDraftsBatch).Result()
			if err != nil {
				return fmt.Errorf("scan drafts on %s: %w", c.Options().Addr, err)
			}
			open, err := countOpen(ctx, c, keys)
			if err != nil {
				return err
			}
			n.Add(open)
			if next == 0 {
				return nil
			}
			cursor = next
		}
	})
	if err != nil {
		return 0, fmt.Errorf("count open drafts: %w", err)
	}
	return n.Load(), nil
}

// countOpen reads keys (drafts, all on c) in one pipeline and counts those with answers; a key
// gone since the SCAN counts for nothing.
func countOpen(ctx context.Context, c *redis.Client, keys []string) (int64, error) {
	if len(keys) == 0 {
		return 0, nil
	}
	cmds := make([]*redis.StringCmd, len(keys))
	_, err := c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, k := range keys {
			cmds[i] = p.Get(ctx, k)
		}
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return 0, fmt.Errorf("read drafts on %s: %w", c.Options().Addr, err)
	}
	var open int64
	for _, cmd := range cmds {
		var d struct {
			Answers map[string]json.RawMessage `json:"answers"`
		}
		b, err := cmd.Bytes()
		if err == nil && json.Unmarshal(b, &d) == nil && len(d.Answers) > 0 {
			open++
		}
	}
	return open, nil
}
