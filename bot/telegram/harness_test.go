package telegram

import (
	"context"
	"log/slog"
	"strconv"
	"sync"
	"testing"
	"time"

	"danvan/bot"
	"danvan/flows"
	"danvan/internal/faketg"
	"danvan/internal/testkit"
)

// failsafe bounds every wait in these tests; nothing waits this long when all is well.
const failsafe = 5 * time.Second

// stub is a Handler that records what it gets and echoes "got: …" with a button, unless reply
// says otherwise. It also checks that no chat is ever handled twice at once.
type stub struct {
	got   chan bot.Incoming // every Incoming, as its handling starts
	reply func(ctx context.Context, in bot.Incoming) []flows.Reply

	mu      sync.Mutex
	ins     []bot.Incoming
	active  map[string]int
	overlap []string
}

func newStub() *stub {
	return &stub{got: make(chan bot.Incoming, 100), active: map[string]int{}}
}

func (s *stub) Handle(ctx context.Context, in bot.Incoming) []flows.Reply {
	s.mu.Lock()
	s.ins = append(s.ins, in)
	if s.active[in.Chat]++; s.active[in.Chat] > 1 {
		s.overlap = append(s.overlap, in.Chat)
	}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.active[in.Chat]--
		s.mu.Unlock()
	}()
	s.got <- in
	if s.reply != nil {
		return s.reply(ctx, in)
	}
	return []flows.Reply{{Text: "got: " + describe(in.Input), Buttons: [][]flows.Button{{{Label: "OK", Data: "ok"}}}}}
}

func describe(in flows.Input) string {
	switch in.Kind {
	case flows.CommandInput:
		return "/" + in.Command + " " + in.Args
	case flows.ButtonInput:
		return "button " + in.Data
	case flows.MediaInput:
		return "media " + in.Text
	}
	return in.Text
}

// next returns the next Incoming the handler started on.
func (s *stub) next(t *testing.T) bot.Incoming {
	t.Helper()
	select {
	case in := <-s.got:
		return in
	case <-time.After(failsafe):
		t.Fatalf("handler: got nothing, want an Incoming within %v", failsafe)
		return bot.Incoming{}
	}
}

func (s *stub) handled() []bot.Incoming {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]bot.Incoming(nil), s.ins...)
}

// unreachLog records MarkUnreachable calls.
type unreachLog struct{ got chan string }

func (u *unreachLog) MarkUnreachable(_ context.Context, ident string) error {
	u.got <- ident
	return nil
}

// fakeConfig is a Config for polling against the fake.
func fakeConfig(f *faketg.Server) Config {
	return Config{Token: f.Token, APIURL: f.URL, PollTimeout: 5 * time.Second}
}

// harness is a Telegram transport wired to a fake Bot API, a stub handler, a log buffer and instant,
// recorded waits: backoff attempt n waits (n+1)ms, so the waits tell the attempts apart.
type harness struct {
	fake  *faketg.Server
	h     *stub
	un    *unreachLog
	logs  *testkit.LogBuffer
	tg    *Transport
	waits chan time.Duration

	cancel context.CancelFunc
	errc   chan error
}

func newHarness(t *testing.T, edit func(*Config), prepare func(*faketg.Server)) *harness {
	t.Helper()
	x := &harness{
		fake:  faketg.New(t),
		h:     newStub(),
		un:    &unreachLog{got: make(chan string, 10)},
		logs:  &testkit.LogBuffer{},
		waits: make(chan time.Duration, 1000),
	}
	if prepare != nil {
		prepare(x.fake)
	}
	cfg := fakeConfig(x.fake)
	cfg.Logger = x.logs.Logger(slog.LevelDebug)
	if edit != nil {
		edit(&cfg)
	}
	tg, err := New(context.Background(), cfg, x.h, x.un)
	if err != nil {
		t.Fatalf("New: got %v, want nil", err)
	}
	tg.wait = func(ctx context.Context, d time.Duration) error {
		x.waits <- d
		return ctx.Err()
	}
	tg.backoff = func(attempt int) time.Duration { return time.Duration(attempt+1) * time.Millisecond }
	x.tg = tg
	return x
}

// run starts Run; the test's end stops it.
func (x *harness) run(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	x.cancel, x.errc = cancel, make(chan error, 1)
	go func() { x.errc <- x.tg.Run(ctx) }()
	t.Cleanup(func() {
		if x.cancel != nil {
			x.stop(t)
		}
	})
}

// stop cancels Run and waits for it to return.
func (x *harness) stop(t *testing.T) {
	t.Helper()
	x.cancel()
	x.mustReturn(t, "cancel")
}

// mustReturn waits for Run, once cancelled, to return nil; after names what should have let it.
func (x *harness) mustReturn(t *testing.T, after string) {
	t.Helper()
	x.cancel = nil // nothing left for the test's end to stop
	select {
	case err := <-x.errc:
		if err != nil {
			t.Errorf("Run: got %v, want nil", err)
		}
	case <-time.After(failsafe):
		t.Fatalf("Run: still running %v after %s", failsafe, after)
	}
}

func (x *harness) nextWait(t *testing.T) time.Duration {
	t.Helper()
	select {
	case d := <-x.waits:
		return d
	case <-time.After(failsafe):
		t.Fatalf("waits: got none, want one within %v", failsafe)
		return 0
	}
}

// waitOffset waits for a getUpdates call with offset want.
func waitOffset(t *testing.T, f *faketg.Server, want int) {
	t.Helper()
	deadline := time.Now().Add(failsafe)
	for n := 1; time.Now().Before(deadline); n++ {
		reqs := f.WaitRequests("getUpdates", n, time.Until(deadline))
		if reqs[n-1].Params["offset"] == strconv.Itoa(want) {
			return
		}
	}
	t.Fatalf("getUpdates offset: got none with %d, want one within %v", want, failsafe)
}

func fixedReplies(rs ...flows.Reply) func(context.Context, bot.Incoming) []flows.Reply {
	return func(context.Context, bot.Incoming) []flows.Reply { return rs }
}
