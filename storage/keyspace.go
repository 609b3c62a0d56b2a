package storage

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/redis/go-redis/v9"
)

// forEachNode runs fn on every server that holds keys: each master of a Cluster (concurrently,
// as ForEachMaster does, so fn must be safe for that), or the one server (Sentinel's client
// follows the current master). Replicas are left out: they hold copies.
func (s *Store) forEachNode(ctx context.Context, fn func(ctx context.Context, c *redis.Client) error) error {
	switch c := s.rdb.(type) {
	case *redis.ClusterClient:
		return c.ForEachMaster(ctx, fn)
	case *redis.Client:
		return fn(ctx, c)
	default:
		return fmt.Errorf("walk the keys: %T is neither one Redis nor a Cluster", s.rdb)
	}
}

// globEscaper escapes what SCAN's MATCH reads as a pattern, so a prefix matches only itself.
var globEscaper = strings.NewReplacer(`\`, `\\`, `*`, `\*`, `?`, `\?`, `[`, `\[`, `]`, `\]`)

// matchPrefix is the SCAN pattern of every key that starts with prefix.
func matchPrefix(prefix string) string { return globEscaper.Replace(prefix) + "*" }

// scanKeys calls fn with each batch of the keys on c that start with prefix (and have typ, when
// it is not ""), until SCAN has walked the whole keyspace or fn fails. SCAN's guarantees hold:
// a key present all along is passed at least once (now and then twice); a key created or
// deleted meanwhile may or may not be.
func scanKeys(ctx context.Context, c *redis.Client, prefix, typ string, count int64, fn func([]string) error) error {
	var cursor uint64
	for {
		var cmd *redis.ScanCmd
		if typ == "" {
			cmd = c.Scan(ctx, cursor, matchPrefix(prefix), count)
		} else {
			cmd = c.ScanType(ctx, cursor, matchPrefix(prefix), count, typ)
		}
		keys, next, err := cmd.Result()
		if err != nil {
			return fmt.Errorf("scan %s* on %s: %w", prefix, c.Options().Addr, err)
		}
		if len(keys) > 0 {
			if err := fn(keys); err != nil {
				return err
			}
		}
		if next == 0 {
			return nil
		}
		cursor = next
	}
}

// anyKey reports whether some key starts with prefix, on any node.
func (s *Store) anyKey(ctx context.Context) (bool, error) {
	err := s.forEachNode(ctx, func(ctx context.Context, c *redis.Client) error {
		return scanKeys(ctx, c, s.prefix, "", 1000, func([]string) error { return errFound })
	})
	if errors.Is(err, errFound) {
		return true, nil
	}
	return false, err
}

// errFound stops a scan at its first key; anyKey never returns it.
var errFound = errors.New("found a key")
