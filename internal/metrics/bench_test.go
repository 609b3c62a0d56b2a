package metrics

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// BenchmarkObserveUpdate is what metrics add to one update of BenchmarkLoad's conversation: the
// transport counts it and its reply, the dispatcher its outcome and time, and the Redis hook
// times its round trip (one EVALSHA: an answer is one round trip; the whole form averages 1.1).
func BenchmarkObserveUpdate(b *testing.B) {
	m := New(Options{})
	tr := m.Transport("tg")
	hook := m.RedisHook()
	cmd := hook.ProcessHook(func(context.Context, redis.Cmder) error { return nil })
	ctx := context.Background()
	c := redis.NewStringCmd(ctx, "evalsha", "x", 1, "k")
	b.ReportAllocs()
	for b.Loop() {
		tr.Received("text")
		_ = cmd(ctx, c)
		m.Handled("tg", "text", "ok", time.Millisecond)
		tr.Sent("")
	}
}
