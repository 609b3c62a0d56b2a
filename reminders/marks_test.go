package reminders_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"danvan/flows"
	"danvan/internal/redistest"
	"danvan/internal/testkit"
	"danvan/reminders"
	"danvan/storage"
)

// countingSurvey is the fake store's Survey, counting the status reads, with a revision that
// also follows the real store's (snoozes move it there), as one storage.Store's does.
type countingSurvey struct {
	*fakeStore
	rs     *storage.Store
	status atomic.Int64
}

func (c *countingSurvey) Status(ctx context.Context, period string, units, forms []string) (map[string]flows.UnitStatus, error) {
	c.status.Add(1)
	return c.fakeStore.Status(ctx, period, units, forms)
}

func (c *countingSurvey) Revision(ctx context.Context) (int64, error) {
	mine, err := c.fakeStore.Revision(ctx)
	if err != nil {
		return 0, err
	}
	theirs, err := c.rs.Revision(ctx)
	return mine + theirs, err
}

// markWorld is a scheduler on fake progress and real Redis marks and claims, and a way to make
// another one on the same Redis: a restart, or a replica.
type markWorld struct {
	t      *testing.T
	fs     *fakeStore
	survey *countingSurvey
	rs     *storage.Store
	clk    *testkit.Clock
	rec    *recorder
}

func newMarkWorld(t *testing.T, start time.Time) *markWorld {
	fs := newFakeStore()
	seedDone(fs)
	rs := testkit.StoreAt(t, redistest.Addr(), redistest.Prefix(t, "marks"))
	clk := testkit.ClockAt(start)
	return &markWorld{t: t, fs: fs, survey: &countingSurvey{fakeStore: fs, rs: rs}, rs: rs, clk: clk, rec: newRecorder(clk.Now)}
}

func (w *markWorld) scheduler(holder string) *reminders.Scheduler {
	return reminders.New(reminders.Config{
		Store: w.fs, Survey: w.survey, Steps: w.rs, Claims: w.rs, Snoozes: w.rs, Nudges: w.rs, Sender: w.rec,
		Calendar: testCalendar(), Dir: mustDir(w.t), Forms: testForms, Rules: testRules(),
		Holder: holder, Workers: 2, Now: w.clk.Now, Log: slogDiscard(),
	})
}

// tick runs s at when and returns how many times it read the units' status.
func (w *markWorld) tick(s *reminders.Scheduler, when string) int64 {
	w.t.Helper()
	w.clk.Set(at(when))
	before := w.survey.status.Load()
	if err := s.Tick(context.Background(), w.clk.Now()); err != nil {
		w.t.Fatalf("tick at %s: %v", when, err)
	}
	return w.survey.status.Load() - before
}

func (w *markWorld) sent() int {
	w.rec.mu.Lock()
	defer w.rec.mu.Unlock()
	n := 0
	for _, msgs := range w.rec.got {
		n += len(msgs)
	}
	return n
}

// TestSettledStepIsRead: once a step has gone to everybody it is for, a tick reads the step's
// mark and the revision and nothing else, in this process and in one started after it; a new
// organiser moves the revision, and the next tick sends the step to them alone.
func TestSettledStepIsRead(t *testing.T) {
	w := newMarkWorld(t, at("2026-06-08 08:00")) // H1 −7d
	a := w.scheduler("a")
	if reads := w.tick(a, "2026-06-08 08:00"); reads != 1 || w.sent() != 2 {
		t.Fatalf("step due: got %d status reads, %d messages; want 1 and 2 (An, Bình)", reads, w.sent())
	}
	if reads := w.tick(a, "2026-06-08 08:05"); reads != 0 || w.sent() != 2 {
		t.Errorf("settled step: got %d status reads, %d messages; want none and still 2", reads, w.sent())
	}
	b := w.scheduler("b") // a restart, or a replica
	if reads := w.tick(b, "2026-06-08 08:10"); reads != 0 || w.sent() != 2 {
		t.Errorf("settled step after a restart: got %d status reads, %d messages; want none and still 2", reads, w.sent())
	}
	w.fs.add(flows.Person{ID: "dung", Name: "Dũng", Units: []string{"tp-doan"}})
	if reads := w.tick(b, "2026-06-08 08:15"); reads != 1 || w.sent() != 3 || len(w.rec.got["dung"]) != 1 {
		t.Errorf("new organiser: got %d status reads, %d messages (%v); want 1, and the step to Dũng alone", reads, w.sent(), w.rec.got)
	}
	if reads := w.tick(b, "2026-06-08 08:20"); reads != 0 {
		t.Errorf("settled again: got %d status reads, want none", reads)
	}
}

// TestSnoozeWakesSettledStep: a snooze moves the revision; the step is settled again until the
// snooze runs out, when the snoozed organiser gets the snooze's reminder, once.
func TestSnoozeWakesSettledStep(t *testing.T) {
	w := newMarkWorld(t, at("2026-06-08 08:00"))
	a := w.scheduler("a")
	w.tick(a, "2026-06-08 08:00")
	snooze := flows.Snooze{Person: "an", Period: "2026-H1", Until: at("2026-06-09 00:00")}
	if err := w.rs.Apply(context.Background(), []flows.Effect{snooze}); err != nil {
		t.Fatal(err)
	}
	if reads := w.tick(a, "2026-06-08 10:00"); reads != 1 || w.sent() != 2 {
		t.Errorf("after the snooze: got %d status reads, %d messages; want 1 and still 2", reads, w.sent())
	}
	if reads := w.tick(a, "2026-06-08 19:00"); reads != 0 {
		t.Errorf("snoozed: got %d status reads, want none until it runs out", reads)
	}
	if reads := w.tick(a, "2026-06-09 07:30"); reads != 1 || len(w.rec.got["an"]) != 2 {
		t.Errorf("snooze over: got %d status reads, An's messages %v; want 1 and the snooze's reminder", reads, w.rec.got["an"])
	}
	if reads := w.tick(a, "2026-06-09 07:35"); reads != 0 || len(w.rec.got["an"]) != 2 {
		t.Errorf("after the snooze's reminder: got %d status reads, An's messages %v; want none and 2", reads, w.rec.got["an"])
	}
}
