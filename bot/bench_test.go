package bot_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/redis/go-redis/v9"

	"danvan/bot"
	"danvan/flows"
	"danvan/internal/redistest"
	"danvan/internal/testkit"
	"danvan/storage"
)

// BenchmarkDispatcherAnswer measures one typed answer mid-form, the commonest update: through
// the dispatcher, the flows step and the real Redis, and reports Redis round trips per update.
func BenchmarkDispatcherAnswer(b *testing.B) {
	prefix := testkit.MustPrefix(b)
	rdb := redis.NewClient(&redis.Options{Addr: redistest.Addr()})
	hook := &testkit.RoundTrips{}
	rdb.AddHook(hook)
	store := storage.New(rdb, prefix)
	b.Cleanup(func() { store.Close() })
	d := testkit.MustDispatcher(b, store, testkit.NewClock(b))
	seq := 0
	testkit.MustLanAtForm(b, d, &seq)
	ctx := context.Background()
	peek := testkit.StoreAt(b, redistest.Addr(), prefix) // its own client: the bench's reads are not counted
	hook.N.Store(0)
	b.ResetTimer()
	for i := range b.N {
		// Back and forth between questions 1 and 2: every update is an answer or a press.
		in := bot.Incoming{UpdateID: "bench:" + strconv.Itoa(i), Chat: "tg:2001", User: "tg:2001"}
		if i%2 == 0 {
			in.Input = flows.Input{Kind: flows.TextInput, Text: "1.250"}
		} else {
			st, _ := peek.Session(ctx, "tg:2001")
			in.Input = flows.Input{Kind: flows.ButtonInput, Data: strconv.FormatInt(st.Version, 10) + "|back|"}
		}
		if r := d.Handle(ctx, in); len(r) == 0 || r[0].Text == flows.T(flows.VI, "busy") {
			b.Fatalf("update %d: got %+v", i, r)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(hook.N.Load())/float64(b.N), "redis-trips/op")
}
