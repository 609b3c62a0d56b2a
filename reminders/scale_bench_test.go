package reminders_test

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"danvan/bot/files"
	"danvan/config"
	"danvan/flows"
	"danvan/internal/nationwide"
	"danvan/internal/scaletest"
	"danvan/internal/testkit"
	"danvan/reminders"
	"danvan/storage"
)

// nation is a country on a Redis of the benchmark's own: internal/nationwide's 20,130 units, ten
// organisers each (201,300 people), 4,000 leaders, half the units having sent each form of
// 2026-Q1.
type nation struct {
	store *storage.Store
	rdb   *redis.Client
	trips *testkit.RoundTrips
	cfg   config.Config
	dir   *flows.Directory
	per   flows.Period
}

func mustNation(b *testing.B) *nation {
	b.Helper()
	ctx := context.Background()
	n := &nation{cfg: config.Default(), trips: &testkit.RoundTrips{}}
	n.rdb = redis.NewClient(&redis.Options{Addr: scaletest.StartRedis(b), PoolSize: 128})
	n.store = storage.New(n.rdb, "nation:")
	b.Cleanup(func() { _ = n.store.Close() })
	var err error
	if n.dir, err = nationwide.Directory(n.cfg.Orgs); err != nil {
		b.Fatal(err)
	}
	cal := n.cfg.FlowsCalendar()
	if n.per, err = scaletest.OpenPeriod(cal, time.Date(2026, 3, 10, 9, 0, 0, 0, cal.Loc)); err != nil {
		b.Fatal(err)
	}
	n.store.UseModel(n.dir, cal, n.cfg.Indicators())
	w, err := scaletest.Seed(ctx, n.store, n.dir, scaletest.Options{Organisers: scaletest.Organisers,
		Leaders: scaletest.Leaders, Period: n.per, Forms: n.cfg.Forms, Submitted: 0.5})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d units, %d organisers, %d leaders, %d submissions in %v", len(w.Units), w.People, len(w.Leaders),
		w.Submitted, w.Seeded.Round(time.Second))
	n.rdb.AddHook(n.trips)
	return n
}

// scheduler is the schedule main wires, on the nation's store, sending to send.
func (n *nation) scheduler(send reminders.Sender, now func() time.Time) *reminders.Scheduler {
	return reminders.New(reminders.Config{
		Store: n.store, Survey: n.store, Steps: n.store, Claims: n.store, Snoozes: n.store, Nudges: n.store,
		Sender: send, Calendar: n.cfg.FlowsCalendar(), Dir: n.dir, Forms: n.cfg.Forms,
		Rules: reminders.DefaultRules(), Holder: "bench", Workers: 64, Now: now, Log: slog.New(slog.DiscardHandler),
	})
}

// stopwatch is a Sender that notes when the first message left and what the messages were. It
// renders the files of the first few replies that ask for one, as the bot's router does for
// all: the benchmark sends 4,000 digests without the fan-out's pace, which in production
// spreads the rendering over minutes.
type stopwatch struct {
	start    time.Time
	first    atomic.Int64 // ns after start
	sent     atomic.Int64
	files    *files.Maker
	render   atomic.Int64 // files still to render
	mu       sync.Mutex
	longest  int  // characters of the longest text
	withFile int  // messages asking for a file
	bytes    int  // the largest file rendered
	hundreds bool // a text over 4,000 characters
}

func (s *stopwatch) Send(ctx context.Context, p flows.Person, r flows.Reply) error {
	s.first.CompareAndSwap(0, int64(time.Since(s.start)))
	s.sent.Add(1)
	var size int
	if r.Attach != nil && s.render.Add(-1) >= 0 {
		f, err := s.files.File(ctx, p, *r.Attach, flows.VI)
		if err != nil {
			return err
		}
		size = len(f.Data)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len([]rune(r.Text))
	s.longest = max(s.longest, n)
	s.hundreds = s.hundreds || n > 4000
	if r.Attach != nil {
		s.withFile++
		s.bytes = max(s.bytes, size)
	}
	return nil
}

// BenchmarkTickNation runs the reminders of a nation: the organisers' +1d step of 2026-Q1 (to
// the ~150,000 organisers of units still missing a form, without the fan-out's pace), the
// leaders' digest an hour later, then ticks with nothing due, which it times (ns/op,
// roundtrips/op). It reports the work before the step's first message (first-msg-ms) and the
// digest's (first-digest-ms), the longest digest (digest-chars) and /reminders (plan-ms).
//
//	go test -run '^$' -bench TickNation -benchtime 20x ./reminders
func BenchmarkTickNation(b *testing.B) {
	n := mustNation(b)
	ctx := context.Background()
	clk := testkit.ClockAt(time.Date(2026, 3, 16, 8, 0, 0, 0, n.cfg.Location())) // +1d, a Monday
	maker := &files.Maker{Source: n.store, Dir: n.dir, Forms: n.cfg.Forms, Calendar: n.cfg.FlowsCalendar(), Indicators: n.cfg.Indicators()}
	sw := &stopwatch{start: time.Now(), files: maker}
	sw.render.Store(20)
	s := n.scheduler(sw, clk.Now)

	start := time.Now()
	plan, err := s.Plan(ctx, clk.Now(), flows.Person{ID: "tg:42", Admin: true})
	if err != nil {
		b.Fatal(err)
	}
	metrics := map[string]float64{"plan-ms": float64(time.Since(start).Microseconds()) / 1000}
	b.Logf("plan: %d coming steps, %+v", len(plan.Fanouts), plan.Fanouts)

	sw.start = time.Now()
	if err := s.Tick(ctx, clk.Now()); err != nil {
		b.Fatal(err)
	}
	metrics["first-msg-ms"] = float64(sw.first.Load()) / 1e6
	b.Logf("organisers' step: %d messages in %v", sw.sent.Load(), time.Since(sw.start).Round(time.Millisecond))

	clk.Set(clk.Now().Add(time.Hour)) // digest+1d
	steps := sw.sent.Load()
	sw.first.Store(0)
	sw.start = time.Now()
	if err := s.Tick(ctx, clk.Now()); err != nil {
		b.Fatal(err)
	}
	metrics["first-digest-ms"] = float64(sw.first.Load()) / 1e6
	metrics["digest-chars"] = float64(sw.longest)
	b.Logf("digests: %d in %v, %d asking for a file (the largest of 20 rendered %d bytes), longest text %d characters, any over 4,000: %t",
		sw.sent.Load()-steps, time.Since(sw.start).Round(time.Millisecond), sw.withFile, sw.bytes, sw.longest, sw.hundreds)

	sent := sw.sent.Load()
	before := n.trips.N.Load()
	ticks := 0
	for b.Loop() {
		clk.Set(clk.Now().Add(5 * time.Minute))
		if err := s.Tick(ctx, clk.Now()); err != nil {
			b.Fatal(err)
		}
		ticks++
	}
	if sw.sent.Load() != sent {
		b.Errorf("ticks with nothing due sent %d messages", sw.sent.Load()-sent)
	}
	b.ReportMetric(float64(n.trips.N.Load()-before)/float64(ticks), "roundtrips/op")
	for unit, v := range metrics { // after the loop: b.Loop's first round resets what came before
		b.ReportMetric(v, unit)
	}
}
