package telegram

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"danvan/internal/faketg"
)

func TestTelegramWebhook(t *testing.T) {
	const secret = "s3cret-Value_1"
	x := newHarness(t, func(c *Config) {
		c.WebhookURL, c.WebhookSecret = "https://bot.example.org/tg/hook", secret
	}, nil)
	x.run(t)
	set := x.fake.WaitRequests("setWebhook", 1, failsafe)[0]
	if got := set.Params["url"]; got != "https://bot.example.org/tg/hook" {
		t.Errorf("setWebhook url: got %q, want the configured one", got)
	}
	if got := set.Params["secret_token"]; got != secret {
		t.Errorf("setWebhook secret_token: got %q, want %q", got, secret)
	}
	if got := set.Params["allowed_updates"]; got != `["message","callback_query"]` {
		t.Errorf("setWebhook allowed_updates: got %q, want message and callback_query", got)
	}
	good, _ := json.Marshal(faketg.Text(9, "qua webhook"))
	cases := []struct {
		name, method, secret, body string
		want                       int
	}{
		{"missing secret", http.MethodPost, "", string(good), http.StatusUnauthorized},
		{"wrong secret", http.MethodPost, secret + "x", string(good), http.StatusUnauthorized},
		{"GET", http.MethodGet, secret, "", http.StatusMethodNotAllowed},
		{"bad JSON", http.MethodPost, secret, "{", http.StatusBadRequest},
		{"good", http.MethodPost, secret, string(good), http.StatusOK},
	}
	for _, c := range cases {
		req := httptest.NewRequest(c.method, "/tg/hook", strings.NewReader(c.body))
		if c.secret != "" {
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", c.secret)
		}
		rec := httptest.NewRecorder()
		x.tg.WebhookHandler().ServeHTTP(rec, req)
		if rec.Code != c.want {
			t.Errorf("%s: got %d, want %d", c.name, rec.Code, c.want)
		}
	}
	// The good update was handled and answered before its 200.
	if got, want := x.fake.Sent(), []string{"got: qua webhook"}; !reflect.DeepEqual(got, want) {
		t.Errorf("sent: got %q, want %q", got, want)
	}
	x.stop(t)
	if got := len(x.h.handled()); got != 1 {
		t.Errorf("handled: got %d, want 1 (only the good request)", got)
	}
	if got := len(x.fake.Requests("getUpdates")) + len(x.fake.Requests("deleteWebhook")); got != 0 {
		t.Errorf("getUpdates/deleteWebhook calls in webhook mode: got %d, want 0", got)
	}
}

func TestTelegramWebhookNeedsSecret(t *testing.T) {
	f := faketg.New(t)
	for _, secret := range []string{"", "has space", strings.Repeat("a", 257)} {
		cfg := fakeConfig(f)
		cfg.WebhookURL, cfg.WebhookSecret = "https://bot.example.org/hook", secret
		if _, err := New(context.Background(), cfg, newStub(), nil); err == nil {
			t.Errorf("New with secret %q: got nil, want an error", secret)
		}
	}
}
