package testkit

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/redis/go-redis/v9"

	"danvan/flows"
	"danvan/internal/redistest"
	"danvan/storage"
)

// MustPrefix returns a fresh key prefix on the shared Redis, cleaned up when the test ends.
func MustPrefix(tb testing.TB) string {
	tb.Helper()
	return redistest.Prefix(tb, "kit")
}

// MustStore is a store on the shared Redis under a fresh prefix of its own.
func MustStore(tb testing.TB) *storage.Store {
	tb.Helper()
	return StoreAt(tb, redistest.Addr(), MustPrefix(tb))
}

// StoreAt opens a store under prefix at addr with a Redis client of its own (a separate
// process, as far as Redis knows), closed when the test ends.
func StoreAt(tb testing.TB, addr, prefix string) *storage.Store {
	tb.Helper()
	s := storage.New(redistest.Client(addr), prefix)
	tb.Cleanup(func() { _ = s.Close() })
	return s
}

// DownStore is a store whose Redis is down: every call fails at once.
func DownStore(tb testing.TB) *storage.Store {
	tb.Helper()
	return StoreAt(tb, redistest.ClosedAddr(tb), "test:down:")
}

// MustLink links ident to p in store, as an invite would.
func MustLink(tb testing.TB, store *storage.Store, ident string, p flows.Person) {
	tb.Helper()
	if err := store.Link(context.Background(), ident, p); err != nil {
		tb.Fatalf("link %s: %v", ident, err)
	}
}

// RoundTrips counts what a client sends to Redis: each command or pipeline is one round trip
// (N); Cmds counts the commands, pipelined or not. Add it with redis.Client.AddHook.
type RoundTrips struct{ N, Cmds atomic.Int64 }

// DialHook implements redis.Hook.
func (h *RoundTrips) DialHook(next redis.DialHook) redis.DialHook { return next }

// ProcessHook implements redis.Hook: one command, one round trip.
func (h *RoundTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error { h.N.Add(1); h.Cmds.Add(1); return next(ctx, cmd) }
}

// ProcessPipelineHook implements redis.Hook: a pipeline is one round trip.
func (h *RoundTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		h.N.Add(1)
		h.Cmds.Add(int64(len(cmds)))
		return next(ctx, cmds)
	}
}
