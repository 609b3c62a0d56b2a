package zalo

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"danvan/bot"
	"danvan/flows"
	"danvan/internal/fakezalo"
	"danvan/internal/testkit"
)

// The webhook answers 200 as soon as the update is kept, while its handling still waits: Zalo
// counts a slow webhook as unreachable. The update is then handled and answered.
func TestZaloWebhookAcksBeforeHandling(t *testing.T) {
	fake := fakezalo.New(t)
	release := make(chan struct{})
	h := testkit.HandlerFunc(func(ctx context.Context, in bot.Incoming) []flows.Reply {
		<-release // handling that takes as long as the test wants
		return []flows.Reply{{Text: "Đã nhận: " + in.Input.Text}}
	})
	cfg := fakeConfig(fake)
	cfg.WebhookURL, cfg.WebhookSecret, cfg.Logger = "https://bot.example.org/zalo", "zalo-ack-secret", slog.New(slog.DiscardHandler)
	z, err := New(t.Context(), cfg, h)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(z.WebhookHandler())
	t.Cleanup(srv.Close)
	testkit.MustRun(t, z.Run)
	body, err := json.Marshal(map[string]any{"ok": true, "result": fakezalo.Event("message.text.received", "m1", "u1", "xin chào")})
	if err != nil {
		t.Fatal(err)
	}
	acked := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(body))
		req.Header.Set(secretHeader, "zalo-ack-secret")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			acked <- 0
			return
		}
		res.Body.Close()
		acked <- res.StatusCode
	}()
	timer := time.NewTimer(testkit.Wait)
	defer timer.Stop()
	select {
	case code := <-acked:
		if code != http.StatusOK {
			t.Errorf("webhook: got %d, want 200", code)
		}
	case <-timer.C:
		close(release)
		t.Fatal("webhook: got no answer while the update was being handled, want 200 at once")
	}
	close(release)
	fake.WaitFor(t, "the reply", testkit.Wait, func() bool { return len(fake.Sent("u1")) == 1 })
	if got := fakezalo.Texts(fake.Sent("u1")); got != "Đã nhận: xin chào" {
		t.Errorf("reply: got %q, want %q", got, "Đã nhận: xin chào")
	}
}

// What a replica acknowledged and then died on is handled by another replica on the same Redis:
// at once when the dead one never took it, after the lease when it died handling it.
func TestZaloInboxSurvivesCrash(t *testing.T) {
	tests := []struct {
		name  string
		taken bool // the dead replica had taken the update when it died
	}{
		{"acknowledged, never taken", false},
		{"taken, never done", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newReplicas(t)
			dead := x.replica() // acknowledges, never handles
			x.post(dead, "z9", "/help")
			if tt.taken {
				chat, _, err := dead.z.inbox.TakeUpdate(t.Context(), x.clock.Now(), dead.z.lease)
				if chat != "zalo:z9" || err != nil {
					t.Fatalf("TakeUpdate: got %q, %v, want zalo:z9", chat, err)
				}
			}
			x.start()
			if tt.taken {
				// Held by the dead replica until its lease ends: nobody may take it before.
				if chat, _, err := dead.store.TakeUpdate(t.Context(), x.clock.Now(), time.Minute); chat != "" || err != nil {
					t.Fatalf("TakeUpdate during the lease: got %q, %v, want nothing", chat, err)
				}
				x.clock.Advance(dead.z.lease)
			}
			x.fake.WaitFor(t, "the answer to /help", testkit.Wait, func() bool { return len(x.fake.Sent("z9")) > 0 })
			x.sync.Barrier(t, func(mark string) { x.post(dead, "z9", mark) })
			if sent := x.fake.Sent("z9"); len(sent) != 1 || !strings.Contains(sent[0].Params["text"], "Xin chào") {
				t.Errorf("sent to z9: got %q, want the answer to /help once", fakezalo.Texts(sent))
			}
		})
	}
}

// The in-memory inbox keeps each chat's order, holds a taken chat until done or its lease ends,
// and takes the chat that waited longest first.
func TestMemInbox(t *testing.T) {
	b, ctx := &memInbox{}, t.Context()
	t0 := time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC)
	lease := time.Minute
	push := func(chat, u string, at time.Time) {
		if err := b.PushUpdate(ctx, chat, []byte(u), at); err != nil {
			t.Fatal(err)
		}
	}
	take := func(at time.Time) string {
		chat, u, err := b.TakeUpdate(ctx, at, lease)
		if err != nil {
			t.Fatal(err)
		}
		if chat == "" {
			return ""
		}
		return chat + "=" + string(u)
	}
	push("b", "b1", t0)
	push("a", "a1", t0.Add(time.Second))
	push("a", "a2", t0.Add(2*time.Second))
	steps := []struct {
		name string
		do   func() string
		want string
	}{
		{"oldest chat first", func() string { return take(t0.Add(3 * time.Second)) }, "b=b1"},
		{"then the next chat", func() string { return take(t0.Add(3 * time.Second)) }, "a=a1"},
		{"both held", func() string { return take(t0.Add(3 * time.Second)) }, ""},
		{"done frees the chat's next", func() string {
			_ = b.DoneUpdate(ctx, "a", []byte("a1"), t0.Add(4*time.Second))
			return take(t0.Add(4 * time.Second))
		}, "a=a2"},
		{"a lease run out frees the chat", func() string { return take(t0.Add(3*time.Second + lease)) }, "b=b1"},
		{"a stale done drops nothing", func() string {
			_ = b.DoneUpdate(ctx, "a", []byte("a1"), t0.Add(5*time.Minute)) // a2 is the head
			_ = b.DoneUpdate(ctx, "b", []byte("b1"), t0.Add(5*time.Minute))
			return take(t0.Add(5 * time.Minute))
		}, "a=a2"},
		{"nothing left once done", func() string {
			_ = b.DoneUpdate(ctx, "a", []byte("a2"), t0.Add(6*time.Minute))
			return take(t0.Add(6 * time.Minute))
		}, ""},
	}
	for _, st := range steps {
		if got := st.do(); got != st.want {
			t.Errorf("%s: got %q, want %q", st.name, got, st.want)
		}
	}
	for range InboxChatMax - 1 {
		push("c", "c", t0)
	}
	push("c", "c", t0)
	if err := b.PushUpdate(ctx, "c", []byte("c"), t0); err == nil {
		t.Errorf("PushUpdate past %d: got nil, want ErrInboxFull", InboxChatMax)
	}
}
