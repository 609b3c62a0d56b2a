// Package redistest gives tests a place of their own on the machine's shared Redis: a fresh key
// prefix whose keys are deleted when the test ends, and clients that follow the run's mode (one
// server, or a Redis Cluster when DANVAN_REDIS_CLUSTER names one). The shared Redis is never
// flushed or stopped; outages are staged on servers the tests start themselves.
//
// Whether Redis answers is asked once per test binary, with a short timeout, so a run without
// Redis skips its Redis tests at once; Main then says in one line how many were skipped and why.
package redistest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Addr is the shared Redis the tests use: the first seed of DANVAN_REDIS_CLUSTER when a cluster
// run names one, else DANVAN_REDIS_ADDR, else 127.0.0.1:6379. Client(Addr()) is a cluster
// client in a cluster run.
func Addr() string {
	if seeds := ClusterAddrs(); len(seeds) > 0 {
		return seeds[0]
	}
	if a := os.Getenv("DANVAN_REDIS_ADDR"); a != "" {
		return a
	}
	return "127.0.0.1:6379"
}

// ClusterAddrs are the seeds of the Redis Cluster the tests run on, from DANVAN_REDIS_CLUSTER
// ("127.0.0.1:7001,127.0.0.1:7002,…"); nil on a single server.
func ClusterAddrs() []string {
	var seeds []string
	for a := range strings.SplitSeq(os.Getenv("DANVAN_REDIS_CLUSTER"), ",") {
		if a = strings.TrimSpace(a); a != "" {
			seeds = append(seeds, a)
		}
	}
	return seeds
}

// Cluster reports whether the tests run on a Redis Cluster (DANVAN_REDIS_CLUSTER is set).
func Cluster() bool { return len(ClusterAddrs()) > 0 }

// Options are the options Client uses for addr, for a test that needs another pool size or
// timeout: a cluster client on every seed when addr is one of ClusterAddrs, else a client of
// one server; no retries (a test that stages an outage sees it at once) and a short dial timeout.
func Options(addr string) *redis.UniversalOptions {
	o := &redis.UniversalOptions{Addrs: []string{addr}, MaxRetries: -1, DialTimeout: time.Second}
	if seeds := ClusterAddrs(); slices.Contains(seeds, addr) {
		o.Addrs, o.IsClusterMode = seeds, true
	}
	return o
}

// Client is a Redis client of its own at addr (see Options): Client(Addr()) is on the shared
// Redis, a cluster client in a cluster run. Whoever holds it closes it (a storage.Store closes
// its client).
func Client(addr string) redis.UniversalClient {
	return redis.NewUniversalClient(Options(addr))
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

// probes holds, per shared Redis (where), the answer to whether it answers: asked once per test
// binary, so every later test gets it at once instead of waiting out its own dial and retries.
var probes sync.Map

// probe returns the shared Redis's answer to PING (on a cluster, every master's), asked once.
func probe() error {
	once, _ := probes.LoadOrStore(where(), sync.OnceValue(ping))
	return once.(func() error)()
}

func ping() error {
	o := Options(Addr())
	o.DialTimeout, o.DialerRetries = 500*time.Millisecond, 1
	rdb := redis.NewUniversalClient(o)
	defer rdb.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		return err
	}
	if cc, ok := rdb.(*redis.ClusterClient); ok {
		return cc.ForEachMaster(ctx, func(ctx context.Context, n *redis.Client) error {
			return n.Ping(ctx).Err()
		})
	}
	return nil
}

// skipped counts the tests of this binary skipped for want of Redis (Main reports it).
var skipped atomic.Int64

// where names the shared Redis in messages.
func where() string {
	if Cluster() {
		return "redis cluster at " + strings.Join(ClusterAddrs(), ",")
	}
	return "redis at " + Addr()
}

// Need skips the test, or fails it when Required, unless the shared Redis answers. Prefix calls
// it; a test that reaches the shared Redis otherwise calls it first.
func Need(tb testing.TB) {
	tb.Helper()
	err := probe()
	if err == nil {
		return
	}
	msg := fmt.Sprintf("%s is unreachable (%v); start one or set DANVAN_REDIS_ADDR", where(), err)
	if Required() {
		tb.Fatal(msg)
	}
	skipped.Add(1)
	tb.Skip(msg + "; skipping (set DANVAN_REQUIRE_REDIS=1 to fail instead)")
}

// Prefix returns a fresh key prefix ("test:<name>:<random>:") on the shared Redis and deletes
// every key under it when the test ends. Without Redis the test is skipped, or fails when
// Required.
func Prefix(tb testing.TB, name string) string {
	tb.Helper()
	Need(tb)
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	prefix := "test:" + name + ":" + hex.EncodeToString(b) + ":"
	tb.Cleanup(func() {
		rdb := Client(Addr())
		defer rdb.Close()
		if err := deletePrefix(context.Background(), rdb, prefix); err != nil {
			tb.Errorf("clean up %s*: %v", prefix, err)
		}
	})
	return prefix
}

// deletePrefix removes every key under prefix, on every master of a cluster; never anything
// else on the shared Redis.
func deletePrefix(ctx context.Context, rdb redis.UniversalClient, prefix string) error {
	if cc, ok := rdb.(*redis.ClusterClient); ok {
		return cc.ForEachMaster(ctx, func(ctx context.Context, n *redis.Client) error {
			return deleteOn(ctx, n, prefix)
		})
	}
	return deleteOn(ctx, rdb, prefix)
}

// deleteOn removes the keys under prefix that one server holds. It unlinks each batch SCAN
// returns in one pipeline of single-key commands (on a cluster node the keys of one page sit in
// many slots), so a benchmark's million keys go in seconds.
func deleteOn(ctx context.Context, rdb redis.Cmdable, prefix string) error {
	var cursor uint64
	for {
		keys, next, err := rdb.Scan(ctx, cursor, prefix+"*", 1000).Result()
		if err != nil {
			return err
		}
		_, err = rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for _, k := range keys {
				p.Unlink(ctx, k)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if next == 0 {
			return nil
		}
		cursor = next
	}
}

// Keys lists the keys matching pattern on every master of a cluster (or on the one server), for
// a test to check what a store wrote.
func Keys(tb testing.TB, rdb redis.UniversalClient, pattern string) []string {
	tb.Helper()
	ctx := context.Background()
	var (
		mu  sync.Mutex
		out []string
	)
	list := func(ctx context.Context, c redis.Cmdable) error {
		ks, err := c.Keys(ctx, pattern).Result()
		mu.Lock()
		out = append(out, ks...)
		mu.Unlock()
		return err
	}
	var err error
	if cc, ok := rdb.(*redis.ClusterClient); ok {
		err = cc.ForEachMaster(ctx, func(ctx context.Context, n *redis.Client) error { return list(ctx, n) })
	} else {
		err = list(ctx, rdb)
	}
	if err != nil {
		tb.Fatalf("keys %s: %v", pattern, err)
	}
	slices.Sort(out)
	return out
}
