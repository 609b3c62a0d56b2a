package storage

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"danvan/internal/redistest"

	"github.com/redis/go-redis/v9"
)

// mustStore returns a Store on the shared test Redis under a fresh prefix of its own, whose keys
// are deleted when the test ends (see redistest.Prefix for what happens without Redis).
func mustStore(tb testing.TB) *Store {
	tb.Helper()
	return storeAt(tb, redistest.Prefix(tb, "storage"))
}

// storeAt returns a Store with a client of its own on the test Redis under prefix, closed at the
// end of the test: a second process, as far as Redis can tell.
func storeAt(tb testing.TB, prefix string) *Store {
	tb.Helper()
	s := New(redistest.Client(redistest.Addr()), prefix)
	tb.Cleanup(func() { _ = s.Close() })
	return s
}

// clusterModes are the store's paths a test runs: the one-Redis path (scripts across slots)
// and the Cluster path (s.cluster: a script per slot). On a real Cluster only the Cluster path
// can run: the other one's scripts are refused with CROSSSLOT.
func clusterModes() []bool {
	if redistest.Cluster() {
		return []bool{true}
	}
	return []bool{false, true}
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

// afterPrecheck runs do once, right after the first pipeline that reads a session (a commit's
// check of what its step read), before the commit writes.
type afterPrecheck struct {
	fired atomic.Bool
	do    func()
}

func (h *afterPrecheck) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h *afterPrecheck) ProcessHook(next redis.ProcessHook) redis.ProcessHook { return next }

func (h *afterPrecheck) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		err := next(ctx, cmds)
		if len(cmds) > 0 && cmds[0].Name() == "get" && strings.Contains(fmt.Sprint(cmds[0].Args()...), ":session:") &&
			h.fired.CompareAndSwap(false, true) {
			h.do()
		}
		return err
	}
}
