package bot_test

import (
	"testing"

	"danvan/bot"
	"danvan/internal/redistest"
	"danvan/internal/testkit"
	"danvan/storage"
)

// mustReplicas is two dispatchers, each with a Redis client of its own, on one prefix and one
// clock: two bot processes behind a load balancer. It returns the first one's store.
func mustReplicas(tb testing.TB) (*storage.Store, *bot.Dispatcher, *bot.Dispatcher) {
	tb.Helper()
	prefix, clock := testkit.MustPrefix(tb), testkit.NewClock(tb)
	storeA := testkit.StoreAt(tb, redistest.Addr(), prefix)
	storeB := testkit.StoreAt(tb, redistest.Addr(), prefix)
	return storeA, testkit.MustDispatcher(tb, storeA, clock), testkit.MustDispatcher(tb, storeB, clock)
}
