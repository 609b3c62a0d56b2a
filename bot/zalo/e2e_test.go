package zalo

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"danvan/bot"
	"danvan/internal/fakezalo"
	"danvan/internal/testkit"
	"danvan/storage"
)

// e2e runs the whole bot over Zalo: the real client against the fake Zalo API, the
// dispatcher, the flows engine and the store on the real Redis.
type e2e struct {
	t     *testing.T
	fake  *fakezalo.Server
	z     *Transport
	d     *bot.Dispatcher
	store *storage.Store
	log   *testkit.LogBuffer
	seq   int
	// hook is the webhook's URL in webhook mode.
	hook string

	mu    sync.Mutex
	waits []time.Duration // backoff waits the transport asked for
}

// fakeConfig is a Config for getUpdates against the fake.
func fakeConfig(f *fakezalo.Server) Config {
	return Config{Token: fakezalo.Token, APIURL: f.URL, PollTimeout: time.Second}
}

func newE2E(t *testing.T, webhook bool, files *Files) *e2e {
	t.Helper()
	x := &e2e{t: t, fake: fakezalo.New(t), log: &testkit.LogBuffer{}}
	x.store, x.d, _ = testkit.MustBot(t)
	cfg := fakeConfig(x.fake)
	cfg.Files = files
	cfg.Logger = x.log.Logger(slog.LevelInfo)
	if webhook {
		// Zalo posts to the webhook set, which must exist before setWebhook; the handler it
		// serves is the transport's, made next.
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			x.z.WebhookHandler().ServeHTTP(w, r)
		}))
		t.Cleanup(srv.Close)
		x.hook = srv.URL + "/zalo"
		cfg.WebhookURL, cfg.WebhookSecret = x.hook, "zalo-e2e-secret"
	}
	z, err := New(context.Background(), cfg, x.d)
	if err != nil {
		t.Fatal(err)
	}
	z.wait = func(ctx context.Context, d time.Duration) error {
		x.mu.Lock()
		x.waits = append(x.waits, d)
		x.mu.Unlock()
		return ctx.Err()
	}
	x.z = z
	testkit.MustRun(t, z.Run)
	if webhook {
		x.fake.WaitFor(t, "setWebhook", testkit.Wait, func() bool { return len(x.fake.Calls("setWebhook")) == 1 })
	}
	return x
}

// deliver hands an update to the bot as Zalo does: queued for getUpdates, or POSTed to the
// webhook in the documented envelope.
func (x *e2e) deliver(u map[string]any) { x.fake.Deliver(u) }

func (x *e2e) post(url string, u map[string]any, secret string, want int) {
	x.t.Helper()
	testkit.MustPost(x.t, url, secretHeader, secret, u, want)
}

// say sends text from Zalo user and returns what the bot sent back to them, once n messages
// more have arrived.
func (x *e2e) say(user, event, text string, n int) string {
	x.t.Helper()
	before := len(x.fake.Sent(user))
	x.seq++
	x.deliver(fakezalo.Event(event, fmt.Sprintf("m%d", x.seq), user, text))
	x.fake.WaitFor(x.t, fmt.Sprintf("%d replies to %q", n, text), testkit.Wait, func() bool { return len(x.fake.Sent(user)) >= before+n })
	return fakezalo.Texts(x.fake.Sent(user)[before:])
}

func (x *e2e) text(user, text string, n int) string {
	x.t.Helper()
	return x.say(user, "message.text.received", text, n)
}

// optionLineRe reads an option on a line of its own: "2 – Năm 2026".
var optionLineRe = regexp.MustCompile(`^([0-9a-z]+) – (.+)$`)

// options reads the options of Zalo menus in text, key and label, in order: those on one line
// after the lead ("Nhắn số để chọn: 1 – Gửi · 2 – Hủy") and those on lines of their own.
func options(text string) [][2]string {
	var out [][2]string
	for _, line := range strings.Split(text, "\n") {
		if _, inline, ok := strings.Cut(line, "để chọn: "); ok {
			for _, part := range strings.Split(inline, " · ") {
				if k, label, ok := strings.Cut(part, " – "); ok {
					out = append(out, [2]string{k, label})
				}
			}
			continue
		}
		if m := optionLineRe.FindStringSubmatch(line); m != nil {
			out = append(out, [2]string{m[1], m[2]})
		}
	}
	return out
}

// mustOption returns the key of the option whose label contains label, in the bot's last text.
func mustOption(tb testing.TB, said, label string) string {
	tb.Helper()
	for _, o := range options(said) {
		if strings.Contains(o[1], label) {
			return o[0]
		}
	}
	tb.Fatalf("no option %q in %q", label, said)
	return ""
}

// An organiser invited by an admin on Telegram joins over Zalo and submits a whole report,
// choosing by number, by letter and by the option's text ("đổi"), by polling and by webhook;
// then goes on to the next form.
func TestZaloOrganiserSubmitsReport(t *testing.T) {
	for _, webhook := range []bool{false, true} {
		t.Run(fmt.Sprintf("webhook=%v", webhook), func(t *testing.T) {
			x := newE2E(t, webhook, nil)
			code := testkit.MustInvite(t, x.d, &x.seq, "Phường Tân Phong", "Hội LHPN · Phường Tân Phong")
			testkit.MustContain(t, x.text("z2001", "/start "+code, 2), "Chào mừng")
			said := x.text("z2001", "/report", 1) // straight to the first question
			testkit.MustContain(t, said, "Quý I năm 2026 — đổi")
			testkit.MustContain(t, said, "a – Đổi") // a letter: on a question, numbers are figures
			said = x.text("z2001", "đổi", 1)        // the option's text
			said = x.text("z2001", mustOption(t, said, "hội viên"), 1)
			testkit.MustContain(t, said, "(1/4)")
			for _, v := range []string{"1.250", "1100", "20"} {
				x.text("z2001", v, 1)
			}
			said = x.text("z2001", "khoảng 1.000", 1)
			testkit.MustContain(t, said, "1 – Gửi")
			said = x.text("z2001", "1", 1)
			testkit.MustContain(t, said, "Đã gửi báo cáo")
			testkit.MustContain(t, x.text("z2001", mustOption(t, said, "Tiếp: Hoạt động (6 câu)"), 1), "(1/6)")
			if sub := testkit.MustSubmitted(t, x.store); sub.By != "zalo:z2001" {
				t.Errorf("submitted by: got %q, want %q", sub.By, "zalo:z2001")
			}
		})
	}
}
