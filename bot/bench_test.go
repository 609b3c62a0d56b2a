package bot

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/redis/go-redis/v9"

	"danvan/flows"
	"danvan/internal/redistest"
	"danvan/storage"
)

// roundTrips counts what a client sends to Redis: each command or pipeline is one round trip
// (n); cmds counts the commands, pipelined or not.
type roundTrips struct{ n, cmds atomic.Int64 }

func (h *roundTrips) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h *roundTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error { h.n.Add(1); h.cmds.Add(1); return next(ctx, cmd) }
}

func (h *roundTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		h.n.Add(1)
		h.cmds.Add(int64(len(cmds)))
		return next(ctx, cmds)
	}
}

// BenchmarkDispatcherAnswer measures one typed answer mid-form, the commonest update: through
// the dispatcher, the flows step and the real Redis, and reports Redis round trips per update.
func BenchmarkDispatcherAnswer(b *testing.B) {
	prefix := mustPrefix(b)
	rdb := redis.NewClient(&redis.Options{Addr: redistest.Addr()})
	hook := &roundTrips{}
	rdb.AddHook(hook)
	store := storage.New(rdb, prefix)
	b.Cleanup(func() { store.Close() })
	d := mustDispatcher(b, store, newClock(b))
	seq := 0
	mustLanAtForm(b, d, &seq)
	ctx := context.Background()
	peek := mustStore(b, redistest.Addr(), prefix) // its own client: the bench's reads are not counted
	hook.n.Store(0)
	b.ResetTimer()
	for i := range b.N {
		// Back and forth between questions 1 and 2: every update is an answer or a press.
		in := Incoming{UpdateID: "bench:" + strconv.Itoa(i), Chat: "tg:2001", User: "tg:2001"}
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
	b.ReportMetric(float64(hook.n.Load())/float64(b.N), "redis-trips/op")
}
