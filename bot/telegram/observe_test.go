package telegram

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"danvan/internal/faketg"
)

// obsLog records what the transport tells its Observer.
type obsLog struct {
	mu       sync.Mutex
	received []string
	sent     []string
	polled   []string
	polls    chan string // each Polled, as it comes, when not nil
}

func (o *obsLog) Received(kind string) { o.add(&o.received, kind) }
func (o *obsLog) Sent(cause string)    { o.add(&o.sent, cause) }
func (o *obsLog) Polled(err error, next time.Duration) {
	s := fmt.Sprint("ok within ", next)
	if err != nil {
		s = "failed: " + err.Error()
	}
	o.add(&o.polled, s)
	if o.polls != nil {
		o.polls <- s
	}
}

func (o *obsLog) add(to *[]string, s string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	*to = append(*to, s)
}

func (o *obsLog) get(from *[]string) []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(*from)
}

// TestTelegramObserves: each update taken is counted by kind, each message by how it went
// (blocked, rate-limited past what is waited out, a dropped connection, delivered), and each
// call that takes updates by its outcome, a failure with the token redacted.
func TestTelegramObserves(t *testing.T) {
	obs := &obsLog{}
	x := newHarness(t, func(c *Config) { c.Observer = obs }, func(f *faketg.Server) {
		f.FailNext("getUpdates", 502, "Bad Gateway", 0)
		f.FailNext("sendMessage", 403, "Forbidden: bot was blocked by the user", 0)
		f.FailNext("sendMessage", 429, "Too Many Requests: retry after 120", 120)
		f.DropNext("sendMessage")
	})
	x.fake.Push(faketg.Text(42, "xin chào"))
	x.fake.Push(faketg.Text(42, "/report"))
	x.fake.Push(faketg.Callback(42, 77, "pick:1"))
	x.fake.Push(faketg.Photo(42, "ảnh"))
	x.run(t)
	x.fake.WaitRequests("sendMessage", 4, failsafe)
	for range 4 {
		x.h.next(t)
	}
	x.stop(t)

	if got, want := obs.get(&obs.received), []string{"text", "command", "button", "media"}; !slices.Equal(got, want) {
		t.Errorf("received: got %q, want %q", got, want)
	}
	if got, want := obs.get(&obs.sent), []string{"blocked", "rate_limited", "network", ""}; !slices.Equal(got, want) {
		t.Errorf("sent: got %q, want %q", got, want)
	}
	polled := obs.get(&obs.polled)
	if len(polled) < 3 || polled[0] != "ok within 20s" || !strings.HasPrefix(polled[1], "failed: ") || polled[2] != "ok within 20s" {
		t.Fatalf("polled: got %q, want deleteWebhook ok, getUpdates failed, then ok, each due within 5s+15s", polled)
	}
	if strings.Contains(polled[1], faketg.Token) {
		t.Errorf("polled: got %q, want the token redacted", polled[1])
	}
}

// TestTelegramWebhookObserves: in webhook mode the transport is ready once setWebhook succeeds,
// with no report due after it (people may stay silent for days), and updates posted to the
// webhook are counted as received.
func TestTelegramWebhookObserves(t *testing.T) {
	const secret = "s3cret-Value_1"
	obs := &obsLog{polls: make(chan string, 10)}
	x := newHarness(t, func(c *Config) {
		c.WebhookURL, c.WebhookSecret, c.Observer = "https://bot.example.org/tg/hook", secret, obs
	}, nil)
	x.run(t)
	select {
	case got := <-obs.polls:
		if got != "ok within 0s" {
			t.Errorf("polled: got %q, want ok with nothing due", got)
		}
	case <-time.After(failsafe):
		t.Fatal("polled: got nothing, want setWebhook reported")
	}
	body, _ := json.Marshal(faketg.Text(9, "/help"))
	req := httptest.NewRequest("POST", "/tg/hook", strings.NewReader(string(body)))
	req.Header.Set(secretHeader, secret)
	x.tg.WebhookHandler().ServeHTTP(httptest.NewRecorder(), req)
	x.stop(t)
	if got := obs.get(&obs.received); !slices.Equal(got, []string{"command"}) {
		t.Errorf("received: got %q, want one command", got)
	}
	if got := obs.get(&obs.sent); !slices.Equal(got, []string{""}) {
		t.Errorf("sent: got %q, want one delivered", got)
	}
}
