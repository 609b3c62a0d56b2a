// Package redistest gives tests a place of their own on the machine's shared Redis: a fresh key
// prefix whose keys are deleted when the test ends. The shared Redis is never flushed or
// stopped; outages are staged on servers the tests start themselves.
package redistest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Addr is the shared Redis the tests use: DANVAN_REDIS_ADDR, or 127.0.0.1:6379.
func Addr() string {
	if a := os.Getenv("DANVAN_REDIS_ADDR"); a != "" {
		return a
	}
	return "127.0.0.1:6379"
}

// Client is a Redis client of its own at addr, as the tests open them: no retries (a test that
// stages an outage sees it at once) and a short dial timeout. Whoever holds it closes it (a
// storage.Store closes its client).
func Client(addr string) *redis.Client {
	return redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, DialTimeout: time.Second})
}

// ClosedAddr is a local address nothing listens on: a Redis that is down, without touching the
// shared one.
func ClosedAddr(tb testing.TB) string {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		tb.Fatal(err)
	}
	return addr
}

// Required reports whether a missing Redis fails the tests rather than skipping them: in CI
// (CI=true) and wherever DANVAN_REQUIRE_REDIS=1.
func Required() bool {
	return os.Getenv("CI") == "true" || os.Getenv("DANVAN_REQUIRE_REDIS") == "1"
}

// Prefix returns a fresh key prefix ("test:<name>:<random>:") on the shared Redis and deletes
// every key under it when the test ends. Without Redis the test is skipped, or fails when
// Required.
func Prefix(tb testing.TB, name string) string {
	tb.Helper()
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	prefix := "test:" + name + ":" + hex.EncodeToString(b) + ":"
	rdb := redis.NewClient(&redis.Options{Addr: Addr()})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		_ = rdb.Close()
		msg := "redis at " + Addr() + " is unreachable (" + err.Error() + "); start one or set DANVAN_REDIS_ADDR"
		if Required() {
			tb.Fatal(msg)
		}
		tb.Skip(msg + "; skipping (set DANVAN_REQUIRE_REDIS=1 to fail instead)")
	}
	tb.Cleanup(func() {
		defer rdb.Close()
		deletePrefix(tb, rdb, prefix)
	})
	return prefix
}

// deletePrefix removes every key under prefix; never anything else on the shared Redis. It
// unlinks each batch SCAN returns in one pipeline, so a benchmark's million keys go in seconds.
func deletePrefix(tb testing.TB, rdb *redis.Client, prefix string) {
	ctx := context.Background()
	var cursor uint64
	for {
		keys, next, err := rdb.Scan(ctx, cursor, prefix+"*", 1000).Result()
		if err != nil {
			tb.Errorf("clean up %s*: %v", prefix, err)
			return
		}
		_, err = rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for _, k := range keys {
				p.Unlink(ctx, k)
			}
			return nil
		})
		if err != nil {
			tb.Errorf("clean up %s*: %v", prefix, err)
			return
		}
		if next == 0 {
			return
		}
		cursor = next
	}
}
