package storage

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"danvan/internal/redistest"
)

// The inbox keeps each chat's order, holds a taken chat until done or its lease ends, takes the
// chat that waited longest first, and refuses past InboxChatMax.
func TestInboxOrderAndLease(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	t0 := time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC)
	lease := time.Minute
	push := func(chat, u string, at time.Time) {
		t.Helper()
		if err := s.PushUpdate(ctx, chat, []byte(u), at); err != nil {
			t.Fatal(err)
		}
	}
	take := func(at time.Time) string {
		t.Helper()
		chat, u, err := s.TakeUpdate(ctx, at, lease)
		if err != nil {
			t.Fatal(err)
		}
		if chat == "" {
			return ""
		}
		return chat + "=" + string(u)
	}
	done := func(chat, u string, at time.Time) {
		t.Helper()
		if err := s.DoneUpdate(ctx, chat, []byte(u), at); err != nil {
			t.Fatal(err)
		}
	}
	push("zalo:b", "b1", t0)
	push("zalo:a", "a1", t0.Add(time.Second))
	push("zalo:a", "a2", t0.Add(2*time.Second))
	steps := []struct {
		name string
		do   func() string
		want string
	}{
		{"oldest chat first", func() string { return take(t0.Add(3 * time.Second)) }, "zalo:b=b1"},
		{"then the next chat", func() string { return take(t0.Add(3 * time.Second)) }, "zalo:a=a1"},
		{"both held", func() string { return take(t0.Add(3 * time.Second)) }, ""},
		{"done frees the chat's next", func() string {
			done("zalo:a", "a1", t0.Add(4*time.Second))
			return take(t0.Add(4 * time.Second))
		}, "zalo:a=a2"},
		{"a lease run out frees the chat", func() string { return take(t0.Add(3*time.Second + lease)) }, "zalo:b=b1"},
		{"a stale done drops nothing", func() string {
			done("zalo:a", "a1", t0.Add(5*time.Minute)) // a2 is the head
			done("zalo:b", "b1", t0.Add(5*time.Minute))
			return take(t0.Add(5 * time.Minute))
		}, "zalo:a=a2"},
		{"nothing left once done", func() string {
			done("zalo:a", "a2", t0.Add(6*time.Minute))
			return take(t0.Add(6 * time.Minute))
		}, ""},
	}
	for _, st := range steps {
		if got := st.do(); got != st.want {
			t.Errorf("%s: got %q, want %q", st.name, got, st.want)
		}
	}
	if n, err := s.rdb.Exists(ctx, s.inboxReady(), s.inboxChat("zalo:a"), s.inboxChat("zalo:b")).Result(); n != 0 || err != nil {
		t.Errorf("keys left once all is done: got %d, %v, want none", n, err)
	}
	for range InboxChatMax {
		push("zalo:c", "c", t0)
	}
	if err := s.PushUpdate(ctx, "zalo:c", []byte("c"), t0); !errors.Is(err, ErrInboxFull) {
		t.Errorf("PushUpdate past %d: got %v, want ErrInboxFull", InboxChatMax, err)
	}
}

// Two processes taking at once never hold one chat together, and every update is taken once,
// in its chat's order.
func TestInboxTakersApart(t *testing.T) {
	prefix := redistest.Prefix(t, "storage")
	a, b, ctx := storeAt(t, prefix), storeAt(t, prefix), t.Context()
	now := time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC)
	for i := range 20 {
		if err := a.PushUpdate(ctx, fmt.Sprint("zalo:", i%4), []byte(fmt.Sprint(i)), now); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	got := map[string][]string{}
	var wg sync.WaitGroup
	for _, s := range []*Store{a, b} {
		wg.Go(func() {
			for {
				chat, u, err := s.TakeUpdate(ctx, now, time.Hour)
				if err != nil {
					t.Error(err)
					return
				}
				if chat == "" {
					mu.Lock()
					n := 0
					for _, us := range got {
						n += len(us)
					}
					mu.Unlock()
					if n == 20 {
						return
					}
					continue // another taker holds the chats left
				}
				mu.Lock()
				got[chat] = append(got[chat], string(u))
				mu.Unlock()
				if err := s.DoneUpdate(ctx, chat, u, now); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	for c := range 4 {
		chat := fmt.Sprint("zalo:", c)
		want := fmt.Sprint([]int{c, c + 4, c + 8, c + 12, c + 16})
		if g := fmt.Sprint(got[chat]); g != want {
			t.Errorf("%s: got %s, want %s (each once, in order)", chat, g, want)
		}
	}
}

// A month's count of messages goes up by one per message, keeps for SentTTL, and reads 0 for a
// month with none.
func TestCountSent(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	for i := range 3 {
		n, err := s.CountSent(ctx, "bot1", "2026-03")
		if err != nil || n != int64(i+1) {
			t.Fatalf("CountSent %d: got %d, %v, want %d", i+1, n, err, i+1)
		}
	}
	tests := []struct {
		bot, month string
		want       int64
	}{{"bot1", "2026-03", 3}, {"bot1", "2026-04", 0}, {"bot2", "2026-03", 0}}
	for _, tt := range tests {
		if n, err := s.Sent(ctx, tt.bot, tt.month); n != tt.want || err != nil {
			t.Errorf("Sent(%s, %s): got %d, %v, want %d", tt.bot, tt.month, n, err, tt.want)
		}
	}
	if ttl := pttl(t, s, s.sentKey("bot1", "2026-03")); ttl < SentTTL-time.Minute || ttl > SentTTL {
		t.Errorf("PTTL: got %v, want about %v", ttl, SentTTL)
	}
}
