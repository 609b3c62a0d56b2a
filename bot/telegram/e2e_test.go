package telegram

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"danvan/bot"
	"danvan/internal/faketg"
	"danvan/internal/testkit"
	"danvan/storage"
)

const e2eWait = testkit.Wait

// e2e runs the whole bot: the real tgbotapi client against the fake Bot API, the dispatcher,
// the flows engine and the store on the real Redis.
type e2e struct {
	t     *testing.T
	fake  *faketg.Server
	tg    *Transport
	store *storage.Store
	// deliver hands an update to the bot: pushed for polling, POSTed for webhooks.
	deliver func(u tgbotapi.Update)
	// marked receives every identity the transport marked unreachable, after the store did.
	marked chan string
	// inlineAnswers counts button presses answered in a webhook response, not by a Bot API call.
	inlineAnswers atomic.Int64
}

// markNotifier passes MarkUnreachable to the store and then tells the test.
type markNotifier struct {
	next bot.Unreachables
	ch   chan string
}

func (m markNotifier) MarkUnreachable(ctx context.Context, ident string) error {
	err := m.next.MarkUnreachable(ctx, ident)
	m.ch <- ident
	return err
}

func newE2E(t *testing.T, webhook bool) *e2e {
	t.Helper()
	x := &e2e{t: t, fake: faketg.New(t), store: testkit.MustStore(t), marked: make(chan string, 10)}
	d := testkit.MustDispatcher(t, x.store, testkit.NewClock(t))
	cfg := fakeConfig(x.fake)
	if webhook {
		cfg.WebhookURL, cfg.WebhookSecret = "https://bot.example.org/tg", "e2e-secret"
	}
	tg, err := New(context.Background(), cfg, d, markNotifier{next: x.store, ch: x.marked})
	if err != nil {
		t.Fatal(err)
	}
	tg.wait = func(ctx context.Context, _ time.Duration) error { return ctx.Err() } // retry_after honoured, without the wait
	x.tg = tg
	testkit.MustRun(t, tg.Run)
	x.deliver = func(u tgbotapi.Update) { x.fake.Push(u) }
	if webhook {
		srv := httptest.NewServer(tg.WebhookHandler())
		t.Cleanup(srv.Close)
		x.fake.WaitRequests("setWebhook", 1, e2eWait)
		next := 5000
		x.deliver = func(u tgbotapi.Update) {
			next++
			u.UpdateID = next // Telegram numbers every update; a repeated id would be dropped as a duplicate
			x.post(srv.URL, u, "e2e-secret", http.StatusOK)
		}
	}
	return x
}

func (x *e2e) post(url string, u tgbotapi.Update, secret string, want int) {
	x.t.Helper()
	body := testkit.MustPost(x.t, url, secretHeader, secret, u, want)
	var call struct{ Method, CallbackQueryID string }
	if json.Unmarshal(body, &call) == nil && call.Method == "answerCallbackQuery" {
		x.inlineAnswers.Add(1)
	}
}

// messages returns the successful sends and edits to chat.
func (x *e2e) messages(chat int64) []faketg.Request {
	var out []faketg.Request
	for _, r := range x.fake.Requests("") {
		if !r.Failed && r.ChatID() == chat && (r.Method == "sendMessage" || r.Method == "editMessageText") {
			out = append(out, r)
		}
	}
	return out
}

// waitMessages waits until chat has received n messages in all.
func (x *e2e) waitMessages(chat int64, n int) []faketg.Request {
	x.t.Helper()
	deadline := time.After(e2eWait)
	for {
		_, changed := x.fake.Watch("")
		if got := x.messages(chat); len(got) >= n {
			return got
		}
		select {
		case <-changed:
		case <-deadline:
			x.t.Fatalf("chat %d: got %d messages, want %d; sent so far: %q", chat, len(x.messages(chat)), n, x.fake.Sent())
		}
	}
}

// person is one Telegram user talking to the bot in the e2e tests.
type person struct {
	x    *e2e
	id   int64
	seen int
}

// say sends text and waits for the replies it expects; it returns the last one.
func (p *person) say(text string, replies int) faketg.Request {
	p.x.t.Helper()
	p.x.deliver(faketg.Text(p.id, text))
	return p.wait(replies)
}

func (p *person) wait(replies int) faketg.Request {
	p.x.t.Helper()
	p.seen += replies
	got := p.x.waitMessages(p.id, p.seen)
	return got[p.seen-1]
}

// press presses the button whose label contains label on the newest message that has buttons.
func (p *person) press(label string, replies int) faketg.Request {
	p.x.t.Helper()
	msgs := p.x.messages(p.id)
	for i := len(msgs) - 1; i >= 0; i-- {
		for _, row := range msgs[i].Buttons() {
			for _, b := range row {
				if strings.Contains(b.Label, label) {
					p.x.deliver(faketg.Callback(p.id, msgs[i].MessageID, b.Data))
					return p.wait(replies)
				}
			}
		}
		if len(msgs[i].Buttons()) > 0 {
			break
		}
	}
	p.x.t.Fatalf("chat %d: no button %q on the newest keyboard", p.id, label)
	return faketg.Request{}
}

func mustContain(tb testing.TB, r faketg.Request, want string) {
	tb.Helper()
	testkit.MustContain(tb, r.Params["text"], want)
}

// organiserJourney is the foundation's promise: an admin invites an organiser, who opens the bot,
// answers the Membership form in a few taps, checks the summary and submits.
func organiserJourney(t *testing.T, x *e2e) {
	admin := &person{x: x, id: 1000}
	admin.say("/invite", 1)
	admin.press("Cán bộ phụ trách", 1)
	admin.press("Phường Tân Phong", 1)
	admin.press("Hội LHPN · Phường Tân Phong", 1)
	made := admin.press("Tạo mã", 1)
	mustContain(t, made, "https://t.me/danvan_test_bot?start=")
	_, code, _ := strings.Cut(made.Params["text"], "?start=")
	code, _, _ = strings.Cut(code, "\n")

	lan := &person{x: x, id: 2001}
	lan.say("/start "+code, 2)
	q1 := lan.say("/report", 1) // straight to the first question, saying where it is
	mustContain(t, q1, "Hội LHPN · Phường Tân Phong · Quý I năm 2026 — đổi")
	mustContain(t, q1, "(1/4)")
	mustContain(t, lan.say("1.250 người", 1), "(2/4)")
	x.deliver(faketg.Photo(lan.id, ""))
	mustContain(t, lan.wait(2), "(2/4)")
	mustContain(t, lan.say("1100", 1), "(3/4)")
	mustContain(t, lan.say("-3", 2), "(3/4)")
	mustContain(t, lan.say("20", 1), "(4/4)")
	summary := lan.say("khoảng 1.000", 1)
	mustContain(t, summary, "✅ 1.5")
	done := lan.press("Gửi", 1)
	mustContain(t, done, "Số tham chiếu")
	next := lan.press("Tiếp: Hoạt động", 1)
	if next.Method != "sendMessage" {
		t.Errorf("➡️ Tiếp: got %s, want the next form below the confirmation, which keeps the reference", next.Method)
	}
	mustContain(t, next, "(1/6)")

	sub := testkit.MustSubmitted(t, x.store)
	if !strings.Contains(done.Params["text"], sub.Ref) || sub.By != "tg:2001" {
		t.Errorf("got ref %s by %s, want the ref the organiser was shown, by tg:2001", sub.Ref, sub.By)
	}
	if got := len(x.fake.Requests("answerCallbackQuery")) + int(x.inlineAnswers.Load()); got != 6 {
		t.Errorf("answered callbacks: got %d, want 6 (every press)", got)
	}
}

func TestE2EPollingOrganiserSubmits(t *testing.T) {
	x := newE2E(t, false)
	organiserJourney(t, x)
}

func TestE2EWebhookOrganiserSubmits(t *testing.T) {
	x := newE2E(t, true)
	organiserJourney(t, x)
	if got := x.inlineAnswers.Load(); got != 6 {
		t.Errorf("presses answered in the webhook response: got %d, want 6 (no Bot API call needed)", got)
	}
}

// TestE2EWebhookRefusesForgedUpdates: without the secret nothing reaches the flows or Redis.
func TestE2EWebhookRefusesForgedUpdates(t *testing.T) {
	x := newE2E(t, true)
	srv := httptest.NewServer(x.tg.WebhookHandler())
	t.Cleanup(srv.Close)
	x.post(srv.URL, faketg.Text(1000, "/invite"), "", http.StatusUnauthorized)
	x.post(srv.URL, faketg.Text(1000, "/invite"), "wrong", http.StatusUnauthorized)
	if got := x.messages(1000); len(got) != 0 {
		t.Fatalf("got %d replies to forged updates, want none", len(got))
	}
	st, err := x.store.Session(context.Background(), "tg:1000")
	if err != nil || st.Version != 0 {
		t.Fatalf("got session %+v, %v; want none stored", st, err)
	}
}

// TestE2ERateLimitedAndBlocked: a 429 on a reply is waited out and the reply arrives once; a 403
// marks the person unreachable in Redis.
func TestE2ERateLimitedAndBlocked(t *testing.T) {
	x := newE2E(t, false)
	admin := &person{x: x, id: 1000}
	x.fake.FailNext("sendMessage", 429, "Too Many Requests: retry after 3", 3)
	mustContain(t, admin.say("/invite", 1), "Mời ai?")
	if got := len(x.messages(1000)); got != 1 {
		t.Fatalf("got %d deliveries, want 1", got)
	}

	admin.press("Cán bộ phụ trách", 1)
	admin.press("Phường Tân Phong", 1)
	admin.press("Hội LHPN · Phường Tân Phong", 1)
	made := admin.press("Tạo mã", 1)
	_, code, _ := strings.Cut(made.Params["text"], "?start=")
	code, _, _ = strings.Cut(code, "\n")
	lan := &person{x: x, id: 2001}
	lan.say("/start "+code, 2)
	x.fake.FailNext("sendMessage", 403, "Forbidden: bot was blocked by the user", 0)
	x.deliver(faketg.Text(lan.id, "/help"))
	select {
	case got := <-x.marked:
		if got != "tg:2001" {
			t.Fatalf("marked %s, want tg:2001", got)
		}
	case <-time.After(e2eWait):
		t.Fatal("nobody marked unreachable after a 403")
	}
	p, err := x.store.Person(context.Background(), "tg:"+strconv.FormatInt(lan.id, 10))
	if err != nil || !p.Unreachable {
		t.Fatalf("got %+v, %v; want the person stored as unreachable", p, err)
	}
}

// TestE2EGroupChatsIgnored: reports are personal, so nothing typed in a group reaches the flows.
func TestE2EGroupChatsIgnored(t *testing.T) {
	x := newE2E(t, false)
	group := faketg.Text(1000, "/invite")
	group.Message.Chat = &tgbotapi.Chat{ID: -100, Type: "supergroup"}
	x.deliver(group)
	admin := &person{x: x, id: 1000}
	mustContain(t, admin.say("/invite", 1), "Mời ai?") // handled after the group message
	if got := x.messages(-100); len(got) != 0 {
		t.Fatalf("got %d replies in the group, want none", len(got))
	}
	if st, err := x.store.Session(context.Background(), "tg:-100"); err != nil || st.Version != 0 {
		t.Fatalf("got group session %+v, %v; want none", st, err)
	}
}
