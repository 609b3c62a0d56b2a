package storage

import (
	"context"
	"strings"
	"testing"
	"time"

	"danvan/flows"
	"danvan/internal/redistest"
)

// TestFanoutRateShared checks through the limiter's answers, not a clock: three replicas (a
// client each) on one token share one pace. At one message per 100 s, however slow the
// machine, exactly one of their many asks is let through and every other is told to wait most
// of the interval; another token, or the same token on another channel, has a pace of its own.
// The key holds a hash of the token, never the token, under the store's prefix.
func TestFanoutRateShared(t *testing.T) {
	ctx := context.Background()
	prefix := redistest.Prefix(t, "rate")
	const token, perSecond = "123456:AAsecret-token", 0.01
	var replicas []*FanoutRate
	for range 3 {
		replicas = append(replicas, storeAt(t, prefix).FanoutRate("tg", token, perSecond))
	}
	allowed := 0
	for i := range 30 {
		d, err := replicas[i%3].Take(ctx, flows.Person{ID: "an"})
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case d == 0:
			allowed++
		case d < 50*time.Second || d > 100*time.Second:
			t.Errorf("ask %d: got wait %v, want most of the 100s interval", i, d)
		}
	}
	if allowed != 1 {
		t.Errorf("messages let through by three replicas on one token: got %d, want 1", allowed)
	}
	s := storeAt(t, prefix)
	for _, other := range []*FanoutRate{s.FanoutRate("tg", "654321:AAother", perSecond), s.FanoutRate("zalo", token, perSecond)} {
		if d, err := other.Take(ctx, flows.Person{ID: "an"}); err != nil || d != 0 {
			t.Errorf("another token or channel (%s): got wait %v, %v, want 0, nil", other.key, d, err)
		}
	}
	keys := redistest.Keys(t, s.rdb, "*"+prefix[len("test:"):]+"*")
	if len(keys) != 3 {
		t.Errorf("keys: got %q, want 3 (two tokens on tg, one on zalo)", keys)
	}
	for _, k := range keys {
		if !strings.HasPrefix(k, prefix+"rate:fanout:") || strings.Contains(k, "secret") || strings.Contains(k, "123456") {
			t.Errorf("key %q: want it under %q, naming the token by a hash only", k, prefix+"rate:fanout:")
		}
	}
}
