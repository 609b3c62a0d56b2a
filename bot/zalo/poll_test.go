package zalo

import (
	"context"
	"testing"
	"time"

	"danvan/bot"
	"danvan/flows"
	"danvan/internal/fakezalo"
	"danvan/internal/testkit"
)

// TestZaloPollSlowChatHoldsNoOther: getUpdates hands each update to its chat's queue and polls
// on, so while one chat's update is stuck in handling another chat's is answered.
func TestZaloPollSlowChatHoldsNoOther(t *testing.T) {
	fake := fakezalo.New(t)
	release := make(chan struct{})
	defer close(release) // before the test's end stops Run, which waits for the stuck update
	z := newTransport(fakeConfig(fake), testkit.HandlerFunc(func(ctx context.Context, in bot.Incoming) []flows.Reply {
		if in.Chat == Ident("slow") {
			select {
			case <-release:
			case <-ctx.Done():
			}
		}
		return []flows.Reply{{Text: "ok"}}
	}))
	fake.Push("message.text.received", "m1", "slow", "1.250")
	fake.Push("message.text.received", "m2", "other", "/help")
	testkit.MustRun(t, z.Run)
	fake.WaitFor(t, "the other chat's answer", 5*time.Second, func() bool { return len(fake.Sent("other")) == 1 })
	if n := len(fake.Sent("slow")); n != 0 {
		t.Errorf("slow chat: got %d replies, want none while its update is stuck", n)
	}
}
