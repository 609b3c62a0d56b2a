package storage

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// testAddr is the Redis the tests use; it is shared, so tests only ever touch their own prefix.
func testAddr() string {
	if a := os.Getenv("DANVAN_REDIS_ADDR"); a != "" {
		return a
	}
	return "127.0.0.1:6379"
}

// mustStore returns a Store on the test Redis under a fresh random prefix whose keys are deleted
// when the test ends. Without Redis the test is skipped, unless CI=true or
// DANVAN_REQUIRE_REDIS=1 make Redis mandatory.
func mustStore(tb testing.TB) *Store {
	tb.Helper()
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	prefix := "test:" + hex.EncodeToString(b) + ":"
	s := storeAt(tb, prefix)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := s.rdb.Ping(ctx).Err(); err != nil {
		msg := "redis at " + testAddr() + " is unreachable (" + err.Error() + "); start one or set DANVAN_REDIS_ADDR"
		if os.Getenv("CI") == "true" || os.Getenv("DANVAN_REQUIRE_REDIS") == "1" {
			tb.Fatal(msg)
		}
		tb.Skip(msg + "; skipping (set DANVAN_REQUIRE_REDIS=1 to fail instead)")
	}
	tb.Cleanup(func() { deletePrefix(tb, s.rdb, prefix) })
	return s
}

// storeAt returns a Store with a client of its own on the test Redis under prefix, closed at the
// end of the test: a second process, as far as Redis can tell.
func storeAt(tb testing.TB, prefix string) *Store {
	tb.Helper()
	s := New(redis.NewClient(&redis.Options{Addr: testAddr(), MaxRetries: -1}), prefix)
	tb.Cleanup(func() { _ = s.Close() })
	return s
}

// deletePrefix removes every key under prefix; never anything else on the shared Redis.
func deletePrefix(tb testing.TB, rdb redis.UniversalClient, prefix string) {
	ctx := context.Background()
	iter := rdb.Scan(ctx, 0, prefix+"*", 500).Iterator()
	var keys []string
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	if err := iter.Err(); err != nil {
		tb.Errorf("clean up %s*: %v", prefix, err)
		return
	}
	for _, k := range keys {
		if err := rdb.Del(ctx, k).Err(); err != nil {
			tb.Errorf("clean up %s: %v", k, err)
		}
	}
}

// countHook counts what a client sends: single commands and pipelines, each one round trip.
type countHook struct{ cmds, pipes atomic.Int64 }

func (h *countHook) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h *countHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		h.cmds.Add(1)
		return next(ctx, cmd)
	}
}

func (h *countHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		h.pipes.Add(1)
		return next(ctx, cmds)
	}
}

// pttl returns the remaining time to live of key, failing the test on error.
func pttl(t *testing.T, s *Store, key string) time.Duration {
	t.Helper()
	d, err := s.rdb.PTTL(context.Background(), key).Result()
	if err != nil {
		t.Fatalf("PTTL %s: %v", key, err)
	}
	return d
}

func fmtAny(v any) string { return fmt.Sprintf("%+v", v) }
