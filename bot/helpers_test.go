package bot

import (
	"context"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"danvan/config"
	"danvan/flows"
	"danvan/internal/redistest"
	"danvan/storage"
)

// mustPrefix returns a fresh key prefix on the shared Redis, cleaned up when the test ends.
func mustPrefix(tb testing.TB) string {
	tb.Helper()
	return redistest.Prefix(tb, "bot")
}

// mustStore opens a store with a client of its own: a separate process, as far as Redis knows.
func mustStore(tb testing.TB, addr, prefix string) *storage.Store {
	tb.Helper()
	s := storage.New(redistest.Client(addr), prefix)
	tb.Cleanup(func() { _ = s.Close() })
	return s
}

// mustRouter returns the dispatcher's router, for a test to register its transports on.
func mustRouter(tb testing.TB, d *Dispatcher) *Router {
	tb.Helper()
	r, ok := d.Notifier.(*Router)
	if !ok {
		tb.Fatalf("notifier: got %T, want *Router", d.Notifier)
	}
	return r
}

// testClock is a clock the test moves by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// newClock starts at 09:00 on 10 March 2026 in Vietnam: Q1 2026 is open.
func newClock(tb testing.TB) *testClock {
	tb.Helper()
	cfg := config.Default()
	return &testClock{t: time.Date(2026, 3, 10, 9, 0, 0, 0, cfg.Location())}
}

// testAdmin is the Telegram identity config names as admin in these tests.
const testAdmin = "tg:1000"

// mustDispatcher wires a dispatcher on store with the default configuration, as main's
// newDispatcher does: the store keeps tallies (UseModel) and serves the figures, a FileMaker
// renders files, and a Router with no senders yet is the notifier — a test with transports
// registers them on it (see mustRouter).
func mustDispatcher(tb testing.TB, store *storage.Store, clock *testClock) *Dispatcher {
	tb.Helper()
	cfg := config.Default()
	dir, err := cfg.Directory()
	if err != nil {
		tb.Fatal(err)
	}
	settings := Settings{Dir: dir, Forms: cfg.Forms, Calendar: cfg.FlowsCalendar(), Indicators: cfg.Targets,
		InviteTTL: cfg.InviteTTL, BotName: "danvan_test_bot", Admins: map[string]bool{testAdmin: true}}
	store.UseModel(dir, settings.Calendar, cfg.Targets)
	codes := 0
	return &Dispatcher{
		Sessions: store, Reports: store, People: store, Invites: store, Guard: store, Unreach: store,
		Figures: store, Contacts: store, Files: &FileMaker{Source: store, Settings: settings}, Notifier: &Router{People: store},
		Settings: settings,
		Now:      clock.Now,
		// Errors only: a failing test shows why, a passing one stays quiet.
		Log: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})),
		NewCode: func() string {
			codes++
			return "TESTCODE" + string(rune('A'+codes))
		},
	}
}

// chat drives one person's conversation through a Handler, numbering updates itself.
type chat struct {
	tb      testing.TB
	h       Handler
	user    string
	name    string
	seq     *int
	last    []flows.Reply
	buttons []flows.Button // of the newest reply that had any
}

func newChat(tb testing.TB, h Handler, user, name string, seq *int) *chat {
	return &chat{tb: tb, h: h, user: user, name: name, seq: seq}
}

func (c *chat) send(in flows.Input) []flows.Reply {
	c.tb.Helper()
	*c.seq++
	c.last = c.h.Handle(context.Background(), Incoming{
		UpdateID: "test:" + strconv.Itoa(*c.seq), Chat: c.user, User: c.user, Name: c.name, Input: in,
	})
	for _, r := range c.last {
		if len(r.Buttons) > 0 {
			c.buttons = nil
			for _, row := range r.Buttons {
				c.buttons = append(c.buttons, row...)
			}
		}
	}
	return c.last
}

func (c *chat) text(s string) []flows.Reply {
	c.tb.Helper()
	return c.send(flows.Input{Kind: flows.TextInput, Text: s})
}

func (c *chat) command(cmd, args string) []flows.Reply {
	c.tb.Helper()
	return c.send(flows.Input{Kind: flows.CommandInput, Command: cmd, Args: args})
}

// press presses the button of the newest keyboard whose label contains label.
func (c *chat) press(label string) []flows.Reply {
	c.tb.Helper()
	b := c.mustButton(label)
	return c.send(flows.Input{Kind: flows.ButtonInput, Data: b.Data})
}

func (c *chat) mustButton(label string) flows.Button {
	c.tb.Helper()
	for _, b := range c.buttons {
		if strings.Contains(b.Label, label) {
			return b
		}
	}
	c.tb.Fatalf("no button %q among %v", label, c.buttons)
	return flows.Button{}
}

// said joins the texts of the last replies, for assertions.
func (c *chat) said() string {
	var parts []string
	for _, r := range c.last {
		parts = append(parts, r.Text)
	}
	return strings.Join(parts, "\n")
}

func (c *chat) mustSay(want string) {
	c.tb.Helper()
	if !strings.Contains(c.said(), want) {
		c.tb.Fatalf("got %q, want it to contain %q", c.said(), want)
	}
}

// memberKey is the report the tests' organiser Lan files: Membership of the Women's Union of
// Tân Phong for Q1 2026.
var memberKey = flows.Key{Unit: "tanphong-phunu", Period: "2026-Q1", Form: "membership"}

// mustLanAtForm has the admin invite Lan as organiser of the Women's Union of Tân Phong, and Lan
// open the Membership form: it returns her chat at question 1.
func mustLanAtForm(tb testing.TB, d *Dispatcher, seq *int) *chat {
	tb.Helper()
	code := inviteOrganiser(tb, d, seq, "Phường Tân Phong", "Hội LHPN · Phường Tân Phong")
	lan := newChat(tb, d, "tg:2001", "Lan", seq)
	lan.command("start", code)
	lan.command("report", "")
	lan.press("hội viên")
	lan.mustSay("(1/4)")
	return lan
}

// mustDraft returns Lan's stored draft of memberKey.
func mustDraft(tb testing.TB, r Reports) *flows.Draft {
	tb.Helper()
	infos, err := r.Reports(context.Background(), []flows.ReportQuery{{Key: memberKey, Person: "tg:2001"}})
	if err != nil {
		tb.Fatal(err)
	}
	return infos[memberKey].Draft
}

// lanFigures are the figures Lan types in the tests: "1.250", "1100", "20", "khoảng 1.000".
var lanFigures = map[string]int64{"eligible": 1250, "members": 1100, "new_members": 20, "active": 1000}

// mustSubmitted returns the stored submission of memberKey and checks it holds lanFigures.
func mustSubmitted(tb testing.TB, s interface {
	Submission(context.Context, flows.Key) (flows.Submission, error)
}) flows.Submission {
	tb.Helper()
	got, err := s.Submission(context.Background(), memberKey)
	if err != nil {
		tb.Fatalf("submission in Redis: %v", err)
	}
	for k, v := range lanFigures {
		if got.Values[k] != v {
			tb.Errorf("%s: got %d, want %d", k, got.Values[k], v)
		}
	}
	return got
}

// mustBot is one dispatcher on its own store under a fresh prefix, at the tests' clock.
func mustBot(tb testing.TB) (*storage.Store, *Dispatcher) {
	tb.Helper()
	store := mustStore(tb, redistest.Addr(), mustPrefix(tb))
	return store, mustDispatcher(tb, store, newClock(tb))
}

// mustReplicas is two dispatchers, each with a Redis client of its own, on one prefix and one
// clock: two bot processes behind a load balancer. It returns the first one's store.
func mustReplicas(tb testing.TB) (*storage.Store, *Dispatcher, *Dispatcher) {
	tb.Helper()
	prefix, clock := mustPrefix(tb), newClock(tb)
	storeA := mustStore(tb, redistest.Addr(), prefix)
	return storeA, mustDispatcher(tb, storeA, clock), mustDispatcher(tb, mustStore(tb, redistest.Addr(), prefix), clock)
}
