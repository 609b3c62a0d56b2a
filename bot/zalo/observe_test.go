package zalo

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"danvan/bot"
	"danvan/flows"
	"danvan/internal/fakezalo"
	"danvan/internal/testkit"
)

// obsLog records what the transport tells its Observer.
type obsLog struct {
	mu                     sync.Mutex
	received, sent, polled []string
	changed                chan struct{} // signalled after each call
}

func newObsLog() *obsLog { return &obsLog{changed: make(chan struct{}, 1)} }

func (o *obsLog) Received(kind string) { o.add(&o.received, kind) }
func (o *obsLog) Sent(cause string)    { o.add(&o.sent, cause) }
func (o *obsLog) Polled(err error, next time.Duration) {
	s := fmt.Sprint("ok within ", next)
	if err != nil {
		s = "failed: " + err.Error()
	}
	o.add(&o.polled, s)
}

func (o *obsLog) add(to *[]string, s string) {
	o.mu.Lock()
	*to = append(*to, s)
	o.mu.Unlock()
	select {
	case o.changed <- struct{}{}:
	default:
	}
}

// wait waits until cond holds over what the observer was told, or fails the test.
func (o *obsLog) wait(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(testkit.Wait)
	defer deadline.Stop()
	for !cond() {
		select {
		case <-o.changed:
		case <-deadline.C:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func (o *obsLog) get(from *[]string) []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(*from)
}

// TestZaloObserves: updates are counted by kind as they arrive (a typed number is text until
// its chat's menu reads it), messages by how they went, and the calls that take updates by
// their outcome: the webhook clean-up and idle 408s are successes, a 500 a failure.
func TestZaloObserves(t *testing.T) {
	fake, obs := fakezalo.New(t), newObsLog()
	cfg := fakeConfig(fake)
	cfg.Observer, cfg.Logger = obs, (&testkit.LogBuffer{}).Logger(0)
	z, err := New(t.Context(), cfg, testkit.HandlerFunc(func(_ context.Context, in bot.Incoming) []flows.Reply {
		return []flows.Reply{{Text: "ok"}}
	}))
	if err != nil {
		t.Fatal(err)
	}
	z.wait = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	fake.Fail("getUpdates", http.StatusInternalServerError, 500, "internal error")
	for range sendAttempts {
		fake.Fail("sendMessage", http.StatusTooManyRequests, 429, "too many requests")
	}
	testkit.MustRun(t, z.Run)
	fake.Push("message.text.received", "m1", "u1", "xin chào")
	fake.Push("message.text.received", "m2", "u1", "/help")
	fake.Push("message.image.received", "m3", "u1", "")
	obs.wait(t, "three sends observed", func() bool { return len(obs.get(&obs.sent)) == 3 })
	fake.WaitFor(t, "an idle poll", testkit.Wait, func() bool { return fake.Timeouts() >= 1 })

	if got, want := obs.get(&obs.received), []string{"text", "command", "media"}; !slices.Equal(got, want) {
		t.Errorf("received: got %q, want %q", got, want)
	}
	if got, want := obs.get(&obs.sent), []string{"rate_limited", "", ""}; !slices.Equal(got, want) {
		t.Errorf("sent: got %q, want %q", got, want)
	}
	polled := obs.get(&obs.polled)
	if len(polled) < 3 || polled[0] != "ok within 16s" || !strings.HasPrefix(polled[1], "failed: ") || polled[2] != "ok within 16s" {
		t.Errorf("polled: got %q, want the clean-up ok, getUpdates failed, then ok, each due within 1s+15s", polled)
	}
	if strings.Contains(strings.Join(polled, " "), fakezalo.Token) {
		t.Errorf("polled: got %q, want the token redacted", polled)
	}
}

// TestZaloWebhookObserves: in webhook mode the transport is ready once setWebhook succeeds,
// with no report due after it, and what the webhook keeps is counted as received.
func TestZaloWebhookObserves(t *testing.T) {
	fake, obs := fakezalo.New(t), newObsLog()
	var z *Transport
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		z.WebhookHandler().ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	cfg := fakeConfig(fake)
	cfg.WebhookURL, cfg.WebhookSecret, cfg.Observer = srv.URL+"/zalo", "zalo-obs-secret", obs
	cfg.Logger = (&testkit.LogBuffer{}).Logger(0)
	z, err := New(t.Context(), cfg, testkit.HandlerFunc(func(context.Context, bot.Incoming) []flows.Reply {
		return []flows.Reply{{Text: "ok"}}
	}))
	if err != nil {
		t.Fatal(err)
	}
	testkit.MustRun(t, z.Run)
	obs.wait(t, "setWebhook reported", func() bool { return len(obs.get(&obs.polled)) == 1 })
	fake.Deliver(fakezalo.Event("message.text.received", "m1", "u1", "/help"))
	obs.wait(t, "the reply observed", func() bool { return len(obs.get(&obs.sent)) == 1 })
	if got := obs.get(&obs.polled); !slices.Equal(got, []string{"ok within 0s"}) {
		t.Errorf("polled: got %q, want setWebhook ok with nothing due after it", got)
	}
	if got := obs.get(&obs.received); !slices.Equal(got, []string{"command"}) {
		t.Errorf("received: got %q, want one command", got)
	}
}
