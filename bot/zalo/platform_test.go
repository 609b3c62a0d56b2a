package zalo

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"danvan/bot"
	"danvan/flows"
	"danvan/internal/fakezalo"
	"danvan/internal/redistest"
	"danvan/internal/testkit"
)

// Polling starts even when the webhook methods answer 404 (what working clients report of a
// bot without a webhook), or fail: a clean-up that fails is logged once and never stops
// getUpdates.
func TestZaloPollDespiteWebhookCleanup(t *testing.T) {
	tests := []struct {
		name     string
		setup    func(f *fakezalo.Server)
		warnings int
	}{
		{"404 without a webhook", func(f *fakezalo.Server) { f.NotFoundWithoutWebhook() }, 0},
		{"both fail", func(f *fakezalo.Server) {
			f.Fail("getWebhookInfo", http.StatusInternalServerError, 500, "internal error")
			for range 50 { // more than any retry loop would give up after
				f.Fail("deleteWebhook", http.StatusInternalServerError, 500, "internal error")
			}
		}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, log := fakezalo.New(t), &testkit.LogBuffer{}
			tt.setup(fake)
			cfg := fakeConfig(fake)
			cfg.Logger = log.Logger(slog.LevelInfo)
			z, err := New(t.Context(), cfg, testkit.HandlerFunc(func(_ context.Context, in bot.Incoming) []flows.Reply {
				return []flows.Reply{{Text: "Xin chào " + in.Name}}
			}))
			if err != nil {
				t.Fatal(err)
			}
			z.wait = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
			testkit.MustRun(t, z.Run)
			fake.Push("message.text.received", "m1", "u1", "/help")
			fake.WaitFor(t, "the answer to /help", testkit.Wait, func() bool { return len(fake.Sent("u1")) == 1 })
			if n := strings.Count(log.String(), "level=WARN"); n != tt.warnings {
				t.Errorf("warnings: got %d in %q, want %d", n, log.String(), tt.warnings)
			}
			if n := len(fake.Calls("deleteWebhook")); n > 1 {
				t.Errorf("deleteWebhook calls: got %d, want at most 1", n)
			}
		})
	}
}

// A chart goes by sendPhoto without a caption when its text does not fit one (the docs give a
// caption 1–2,000 characters; an empty one is refused), and the question with its options
// follows. A photo Zalo refuses takes nothing with it: the text, the chart's figures and the
// options still go.
func TestZaloPhotoNeverSwallowsTheScreen(t *testing.T) {
	chart := &flows.File{Name: "chart.png", Kind: flows.Photo, MIME: "image/png", Data: []byte("PNG"), Text: "Phường Tân Phong: 88%"}
	options := [][]flows.Button{{{Label: "🏢 Theo tổ chức", Data: "1|org|"}}}
	tests := []struct {
		name   string
		reply  flows.Reply
		refuse bool
		want   []string // method and text of each call
	}{
		{"short text: caption", flows.Reply{Text: "Chỉ tiêu 1.5", File: chart}, false,
			[]string{"sendPhoto Chỉ tiêu 1.5"}},
		{"with options: no caption", flows.Reply{Text: "Chỉ tiêu 1.5", File: chart, Buttons: options}, false,
			[]string{"sendPhoto ", "sendMessage Chỉ tiêu 1.5\n\nNhắn số để chọn: 1 – Theo tổ chức"}},
		{"photo refused", flows.Reply{Text: "Chỉ tiêu 1.5", File: chart, Buttons: options}, true,
			[]string{"sendMessage Chỉ tiêu 1.5\n\n📝 Biểu đồ được gửi dưới dạng chữ (" + photoNote + "):\nPhường Tân Phong: 88%\n\nNhắn số để chọn: 1 – Theo tổ chức"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := fakezalo.New(t)
			cfg := fakeConfig(fake)
			cfg.Files, cfg.Logger = &Files{Base: "https://bot.example.org"}, slog.New(slog.DiscardHandler)
			z := newTransport(cfg, testkit.HandlerFunc(nil))
			if tt.refuse {
				fake.Fail("sendPhoto", http.StatusBadRequest, 400, "Bad Request: photo")
			}
			if err := z.Send(t.Context(), "zalo:u1", tt.reply); err != nil {
				t.Fatalf("Send: got %v, want nil", err)
			}
			var got []string
			for _, c := range fake.Sent("u1") {
				got = append(got, c.Method+" "+c.Params["text"]+c.Params["caption"])
				if _, ok := c.Params["caption"]; ok && c.Params["caption"] == "" {
					t.Errorf("sendPhoto: got an empty caption, want none")
				}
			}
			if strings.Join(got, " | ") != strings.Join(tt.want, " | ") {
				t.Errorf("calls: got %q, want %q", got, tt.want)
			}
			if r := fake.Refused(); len(r) > 0 {
				t.Errorf("calls the docs refuse: %+v", r)
			}
		})
	}
}

// error_code comes as a number or a string; either way the envelope is read, its code and
// description kept, and a rate limit retried, even when the HTTP status says 200.
func TestZaloErrorCodeNumberOrString(t *testing.T) {
	tests := []struct {
		name     string
		code     any
		wantCode int
	}{
		{"number", 429, 429},
		{"string", "429", 429},
		{"padded string", " 404 ", 404},
		{"not a number", "E_QUOTA", http.StatusOK}, // the HTTP status stands in
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := fakezalo.New(t)
			z := newTransport(fakeConfig(fake), testkit.HandlerFunc(nil))
			fake.Fail("getMe", http.StatusOK, tt.code, "Quota exceeded")
			_, err := z.api.getMe(t.Context())
			var e *APIError
			if !errors.As(err, &e) || e.Code != tt.wantCode || e.Description != "Quota exceeded" {
				t.Errorf("getMe: got %v, want error %d with its description", err, tt.wantCode)
			}
		})
	}
	fake := fakezalo.New(t)
	z := newTransport(fakeConfig(fake), testkit.HandlerFunc(nil))
	z.wait = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	fake.Fail("sendMessage", http.StatusOK, "429", "Quota exceeded")
	if err := z.Send(t.Context(), "zalo:u1", flows.Reply{Text: "nhắc"}); err != nil || len(fake.Sent("u1")) != 1 {
		t.Errorf("Send after a 429 in a string: got %v, %d sent, want it retried and sent", err, len(fake.Sent("u1")))
	}
}

// The sender's name is display_name, or name when that is all there is: never both joined.
func TestZaloSenderName(t *testing.T) {
	tests := []struct{ display, name, want string }{
		{"Ted", "", "Ted"},
		{"", "Ted", "Ted"},
		{"Ted", "Ted", "Ted"},
		{"Lò Thị Lan", "lan.lo", "Lò Thị Lan"},
		{"  ", " Lan ", "Lan"},
	}
	for _, tt := range tests {
		u := update{EventName: "message.text.received", Message: &message{MessageID: "m1", Text: "hi"}}
		u.Message.From.ID, u.Message.Chat.ID = "u1", "u1"
		u.Message.From.DisplayName, u.Message.From.Name = tt.display, tt.name
		j, _ := (&Transport{prefix: Prefix}).convert(u)
		if j.in.Name != tt.want {
			t.Errorf("display_name %q, name %q: got %q, want %q", tt.display, tt.name, j.in.Name, tt.want)
		}
	}
}

// The webhook reads the documented envelope and the bare update alike; getUpdates' result is
// the update itself.
func TestZaloDecodeUpdate(t *testing.T) {
	msg := `{"message_id":"m1","text":"Xin chào","from":{"id":"u1","display_name":"Ted","is_bot":false},"chat":{"id":"u1","chat_type":"PRIVATE"},"date":1750316131602}`
	tests := []struct{ name, raw string }{
		{"documented envelope", `{"ok":true,"result":{"event_name":"message.text.received","message":` + msg + `}}`},
		{"bare", `{"event_name":"message.text.received","message":` + msg + `}`},
		{"list", `[{"event_name":"message.text.received","message":` + msg + `}]`},
	}
	for _, tt := range tests {
		u, ok, err := decodeUpdate([]byte(tt.raw))
		if err != nil || !ok || u.EventName != "message.text.received" || u.Message.Text != "Xin chào" || u.Message.From.DisplayName != "Ted" {
			t.Errorf("%s: got %+v, %v, %v, want the text message", tt.name, u, ok, err)
		}
	}
	if _, ok, err := decodeUpdate([]byte(`{"ok":true,"result":{"event_name":"message.unsupported.received"}}`)); ok || err != nil {
		t.Errorf("event without a message: got %v, %v, want no update and no error", ok, err)
	}
}

// setWebhook's verification is read from its result and logged: its hint as a warning when
// Zalo could not verify the URL, as info when it could.
func TestZaloWebhookVerificationLogged(t *testing.T) {
	tests := []struct {
		name        string
		v           any
		level, hint string
	}{
		{"failed", map[string]any{"success": false, "hint": "URL không phản hồi trong 5 giây"}, "level=WARN", "URL không phản hồi trong 5 giây"},
		{"status", map[string]any{"status": "FAILED", "description": "timeout"}, "level=WARN", "timeout"},
		{"passed", map[string]any{"success": true, "message": "OK"}, "level=INFO", "OK"},
		{"none", nil, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, log := fakezalo.New(t), &testkit.LogBuffer{}
			fake.Verification(tt.v)
			cfg := fakeConfig(fake)
			cfg.WebhookURL, cfg.WebhookSecret, cfg.Logger = "https://bot.example.org/zalo", "zalo-verify-secret", log.Logger(slog.LevelInfo)
			z := newTransport(cfg, testkit.HandlerFunc(nil))
			info, err := z.api.setWebhook(t.Context(), z.webhookURL, z.secret)
			if err != nil || info.URL != z.webhookURL {
				t.Fatalf("setWebhook: got %+v, %v, want the URL set", info, err)
			}
			z.logVerification(info.Verification)
			got := log.String()
			if tt.level == "" {
				if got != "" {
					t.Errorf("log: got %q, want nothing", got)
				}
				return
			}
			if !strings.Contains(got, tt.level) || !strings.Contains(got, tt.hint) {
				t.Errorf("log: got %q, want %s with %q", got, tt.level, tt.hint)
			}
		})
	}
}

// unreachables records the chats a transport reports as unreachable.
type unreachables struct {
	mu  sync.Mutex
	got []string
}

func (u *unreachables) MarkUnreachable(_ context.Context, ident string) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.got = append(u.got, ident)
	return nil
}

// Zalo documents no error for "blocked by the user": a chat that refuses unreachableAfter
// messages in a row, while others get theirs, is marked unreachable and its sends fail with
// bot.ErrUnreachable. Refusals while nothing goes through to anyone mark nobody; a message from
// the person starts their count again.
func TestZaloUnreachableAfterRepeatedRefusals(t *testing.T) {
	newZ := func() (*Transport, *fakezalo.Server, *unreachables) {
		fake, u := fakezalo.New(t), &unreachables{}
		cfg := fakeConfig(fake)
		cfg.Unreachables, cfg.Logger = u, slog.New(slog.DiscardHandler)
		return newTransport(cfg, testkit.HandlerFunc(nil)), fake, u
	}
	send := func(z *Transport, chat string) error {
		return z.Send(t.Context(), chat, flows.Reply{Text: "nhắc báo cáo"})
	}

	z, fake, u := newZ()
	for i := range unreachableAfter {
		if err := send(z, "zalo:ok"); err != nil {
			t.Fatal(err)
		}
		fake.Fail("sendMessage", http.StatusForbidden, 403, "Forbidden")
		err := send(z, "zalo:gone")
		if last := i == unreachableAfter-1; errors.Is(err, bot.ErrUnreachable) != last || err == nil {
			t.Errorf("refusal %d while others are served: got %v, want ErrUnreachable %v", i+1, err, last)
		}
	}
	if len(u.got) != 1 || u.got[0] != "zalo:gone" {
		t.Errorf("marked: got %v, want [zalo:gone]", u.got)
	}
	z.strikes.forget("zalo:gone") // what a message from them does
	fake.Fail("sendMessage", http.StatusForbidden, 403, "Forbidden")
	if err := send(z, "zalo:gone"); errors.Is(err, bot.ErrUnreachable) {
		t.Errorf("after they wrote: got %v, want the count started again", err)
	}

	z, fake, u = newZ()
	for range 2 * unreachableAfter {
		fake.Fail("sendMessage", http.StatusForbidden, 403, "Forbidden")
		if err := send(z, "zalo:gone"); err == nil || errors.Is(err, bot.ErrUnreachable) {
			t.Errorf("refusal while nothing goes through: got %v, want a plain error", err)
		}
	}
	if len(u.got) != 0 {
		t.Errorf("marked while nothing goes through: got %v, want nobody", u.got)
	}
}

// Every message sent is counted per bot and month (Vietnam time), across replicas on one
// Redis; 80% of the quota and the quota itself are each warned about once, by one replica; the
// count is keyed by a hash of the token, never the token.
func TestZaloCountsMessagesAgainstQuota(t *testing.T) {
	fake, prefix, clock := fakezalo.New(t), testkit.MustPrefix(t), testkit.NewClock(t)
	clock.Set(time.Date(2026, 3, 31, 23, 30, 0, 0, time.UTC)) // already April in Vietnam
	logs := []*testkit.LogBuffer{{}, {}}
	var zs []*Transport
	for _, log := range logs {
		store := testkit.StoreAt(t, redistest.Addr(), prefix)
		cfg := fakeConfig(fake)
		cfg.Counter, cfg.MonthlyQuota, cfg.Now, cfg.Logger = store, 10, clock.Now, log.Logger(slog.LevelInfo)
		zs = append(zs, newTransport(cfg, testkit.HandlerFunc(nil)))
	}
	var wg sync.WaitGroup
	for i := range 12 {
		wg.Go(func() {
			if err := zs[i%2].Send(t.Context(), "zalo:u1", flows.Reply{Text: "tin"}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	all := logs[0].String() + logs[1].String()
	for _, want := range []string{"80% of the monthly message quota", "monthly message quota reached"} {
		if n := strings.Count(all, want); n != 1 {
			t.Errorf("%q: got %d lines in %q, want 1", want, n, all)
		}
	}
	usage, err := zs[1].Usage(t.Context(), clock.Now())
	if want := (flows.ChannelUsage{Channel: "Zalo", Bot: "zalo", Year: 2026, Month: 4, Sent: 12, Quota: 10}); err != nil || len(usage) != 1 || usage[0] != want {
		t.Errorf("Usage: got %+v, %v, want [%+v]", usage, err, want)
	}
	rdb := redistest.Client(redistest.Addr())
	defer rdb.Close()
	keys := redistest.Keys(t, rdb, prefix+"zsent:*")
	if len(keys) != 1 || strings.Contains(keys[0], fakezalo.Token) || !strings.HasSuffix(keys[0], ":2026-04") {
		t.Errorf("count keys: got %v, want one for 2026-04 without the token", keys)
	}
}
