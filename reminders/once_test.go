package reminders_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/robfig/cron/v3"

	"danvan/flows"
	"danvan/internal/redistest"
	"danvan/internal/testkit"
	"danvan/reminders"
)

// TestTwoSchedulersRace runs two schedulers, each with its own Redis client, through the same
// year: at every tick both run at once on the same clock, as replicas sharing the wall clock
// do. Every (period, step, person) goes out exactly once between them.
func TestTwoSchedulersRace(t *testing.T) {
	prefix := redistest.Prefix(t, "remind")
	fs := newFakeStore()
	seedDone(fs)
	var clk testkit.Clock
	rec := newRecorder(clk.Now)
	var scheds []*reminders.Scheduler
	for _, holder := range []string{"a", "b"} {
		scheds = append(scheds, mustScheduler(t, fs, testkit.StoreAt(t, redistest.Addr(), prefix), rec, holder, clk.Now))
	}
	for now := at("2026-01-01 00:00"); now.Year() == 2026; now = now.Add(30 * time.Minute) {
		clk.Set(now)
		var wg sync.WaitGroup
		errs := make([]error, len(scheds))
		for i, s := range scheds {
			wg.Go(func() { errs[i] = s.Tick(context.Background(), now) })
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatalf("tick at %s: %v", now, err)
		}
	}
	// Nobody submits: each organiser gets every effective step of Q1 and H1 once (−7d, +3d in
	// Tết's Q1; −7d, −2d, due, +1d, +3d in H1), each leader two digests per period.
	for id, want := range map[string]int{"an": 7, "binh": 7, "chi": 0, "lan": 3, "minh": 3} {
		if got := len(rec.got[id]); got != want {
			t.Errorf("%s: got %d messages %q, want %d", id, got, rec.got[id], want)
		}
	}
}

// TestCrashBetweenClaimAndSend kills a scheduler while it sends: the process is gone, so nothing
// it would still do reaches Redis and its claims stay; a second scheduler leaves them alone
// while the lease runs and sends each reminder once after.
func TestCrashBetweenClaimAndSend(t *testing.T) {
	prefix := redistest.Prefix(t, "remind")
	fs := newFakeStore()
	start := at("2026-06-08 08:00") // H1 −7d
	clk := testkit.ClockAt(start)
	dyingStore := testkit.StoreAt(t, redistest.Addr(), prefix)
	ctx, kill := context.WithCancel(context.Background())
	dying := newRecorder(clk.Now)
	var inSend sync.WaitGroup
	inSend.Add(2) // an and binh, on two of the four workers: both claimed, then it dies
	var crash sync.Once
	dying.fail = func(flows.Person) error {
		inSend.Done()
		inSend.Wait()
		crash.Do(func() { _ = dyingStore.Close(); kill() })
		return ctx.Err()
	}
	a := mustScheduler(t, fs, dyingStore, dying, "a", clk.Now)
	if err := a.Tick(ctx, start); err == nil {
		t.Fatal("dying tick: got nil error, want the crash")
	}
	rec := newRecorder(clk.Now)
	b := mustScheduler(t, fs, testkit.StoreAt(t, redistest.Addr(), prefix), rec, "b", clk.Now)
	for _, tick := range []time.Duration{time.Minute, 4 * time.Minute} {
		clk.Set(start.Add(tick))
		if err := b.Tick(context.Background(), clk.Now()); err != nil {
			t.Fatal(err)
		}
	}
	if len(rec.got["an"])+len(rec.got["binh"]) != 0 {
		t.Fatalf("within the lease: got %v, want nothing sent", rec.got)
	}
	for _, tick := range []time.Duration{6 * time.Minute, 12 * time.Minute} {
		clk.Set(start.Add(tick))
		if err := b.Tick(context.Background(), clk.Now()); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range []string{"an", "binh"} {
		if got := len(rec.got[id]); got != 1 {
			t.Errorf("%s after the lease: got %d messages %v, want 1", id, got, rec.got[id])
		}
	}
	if got := len(dying.got["an"]) + len(dying.got["binh"]); got != 0 {
		t.Errorf("dead scheduler: got %d sent, want 0", got)
	}
}

// TestCatchUpAfterDowntime starts the scheduler long after H1's first steps: only the latest
// applicable step of each ladder goes, never the −7-day reminder after the due day.
func TestCatchUpAfterDowntime(t *testing.T) {
	fs := newFakeStore()
	seedDone(fs)
	now := at("2026-06-17 12:00") // down since before −7d; +1d and digest+1d are the latest
	rec := newRecorder(func() time.Time { return now })
	rs := testkit.StoreAt(t, redistest.Addr(), redistest.Prefix(t, "remind"))
	s := mustScheduler(t, fs, rs, rec, "a", func() time.Time { return now })
	for _, tick := range []time.Time{now, now.Add(5 * time.Minute)} {
		if err := s.Tick(context.Background(), tick); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]string{
		"an":   "06-17 12:00 late 2026-H1 tp-phunu,tp-doan",
		"binh": "06-17 12:00 late 2026-H1 st-phunu",
		"lan":  "06-17 12:00 digest 0/2 đơn vị đã báo cáo.",
		"minh": "06-17 12:00 digest 0/2 đơn vị đã báo cáo.",
	}
	for id, w := range want {
		if got := rec.got[id]; len(got) != 1 || got[0] != w {
			t.Errorf("%s: got %q, want [%q]", id, got, w)
		}
	}
}

// TestChainRecoversPanic: a job that panics once does not wedge the next tick, which it would
// if SkipIfStillRunning were not wrapping Recover.
func TestChainRecoversPanic(t *testing.T) {
	runs := 0
	job := reminders.Chain(slogDiscard()).Then(cron.FuncJob(func() {
		runs++
		if runs == 1 {
			panic("boom")
		}
	}))
	job.Run()
	job.Run()
	if runs != 2 {
		t.Errorf("runs: got %d, want 2", runs)
	}
}

// TestRemindNudgeOncePerDay: a leader's "Nhắc ngay" reaches a unit's organisers once a day.
func TestRemindNudgeOncePerDay(t *testing.T) {
	fs := newFakeStore()
	now := at("2026-06-16 10:00")
	rec := newRecorder(func() time.Time { return now })
	rs := testkit.StoreAt(t, redistest.Addr(), redistest.Prefix(t, "remind"))
	s := mustScheduler(t, fs, rs, rec, "a", func() time.Time { return now })
	e := flows.Remind{Period: "2026-H1", Units: []string{"tp-doan"}, By: "lan", Nudge: true}
	for i := range 2 {
		if i == 1 {
			e.By, now = "minh", now.Add(time.Hour)
		}
		if err := s.Remind(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := fmt.Sprint(rec.got), "map[an:[06-16 10:00 late 2026-H1 tp-doan]]"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	// The store keeps the nudge that went, for /missing and the next press to tell.
	prog, err := rs.Progress(context.Background(), "2026-H1", []string{"tp-doan"}, nil)
	if n := prog["tp-doan"].Nudged; err != nil || n == nil || n.By != "lan" || !n.At.Equal(at("2026-06-16 10:00")) {
		t.Errorf("recorded nudge: got %+v, %v; want lan's at 10:00", n, err)
	}
	if err := s.Remind(context.Background(), flows.Remind{Period: "2026-Q9"}); err == nil || errors.Is(err, context.Canceled) {
		t.Errorf("unknown period: got %v, want an error", err)
	}
}

// TestPlanPreview: /reminders lists the next step of each running ladder and whom it reaches,
// sending nothing; the ladder for /calendar shows Tết moving Q1's due step before it.
func TestPlanPreview(t *testing.T) {
	fs := newFakeStore()
	seedDone(fs)
	fs.submit("2026-H1", "st-phunu", at("2026-06-09 10:00"))
	now := at("2026-06-10 10:00")
	rec := newRecorder(func() time.Time { return now })
	rs := testkit.StoreAt(t, redistest.Addr(), redistest.Prefix(t, "remind"))
	s := mustScheduler(t, fs, rs, rec, "a", func() time.Time { return now })
	plan, err := s.Plan(context.Background(), now, flows.Person{Admin: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range plan.Next {
		got = append(got, fmt.Sprintf("%s %s %s %s %v", n.At.Format("01-02 15:04"), n.Period, n.Step, n.Person, n.Units))
	}
	want := []string{
		"06-13 08:00 2026-H1 -2d an [tp-phunu tp-doan]",
		"06-16 09:00 2026-H1 digest+1d lan [tp-phunu tp-doan]",
		"06-16 09:00 2026-H1 digest+1d minh [tp-phunu]",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("plan:\n got %q\nwant %q", got, want)
	}
	var q1 []string
	for _, st := range plan.Ladder {
		if st.Period == "2026-Q1" {
			q1 = append(q1, st.Step+"@"+st.At.Format("01-02 15:04"))
		}
	}
	if w := "[due@02-13 07:30 +3d@02-23 08:00 digest+3d@02-23 09:00]"; fmt.Sprint(q1) != w {
		t.Errorf("Q1 ladder: got %v, want %v", q1, w)
	}
	if len(rec.got) != 0 {
		t.Errorf("sent: got %v, want nothing (a dry run)", rec.got)
	}
}

// TestRemindWhom: an empty unit list reminds nobody (a leader whose scope was merged away must
// not reach the whole city); only All, the admin's /remind, means every unit.
func TestRemindWhom(t *testing.T) {
	tests := []struct {
		name string
		e    flows.Remind
		want int // people reminded
	}{
		{"no units", flows.Remind{Period: "2026-H1", By: "x", Nudge: true}, 0},
		{"all units", flows.Remind{Period: "2026-H1", All: true, By: "mai"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := newFakeStore()
			now := at("2026-06-16 10:00")
			rec := newRecorder(func() time.Time { return now })
			s := mustScheduler(t, fs, testkit.StoreAt(t, redistest.Addr(), redistest.Prefix(t, "whom")), rec, "a", func() time.Time { return now })
			if err := s.Remind(context.Background(), tt.e); err != nil {
				t.Fatal(err)
			}
			if len(rec.got) != tt.want {
				t.Errorf("got %d people reminded (%v), want %d", len(rec.got), rec.got, tt.want)
			}
		})
	}
}

// TestNudgeRetriedAfterFailedSend: a nudge that reached nobody does not use up the unit's nudge
// of the day, so the leader's next press goes out.
func TestNudgeRetriedAfterFailedSend(t *testing.T) {
	fs := newFakeStore()
	now := at("2026-06-16 10:00")
	rec := newRecorder(func() time.Time { return now })
	rec.fail = func(flows.Person) error { return errors.New("network down") }
	s := mustScheduler(t, fs, testkit.StoreAt(t, redistest.Addr(), redistest.Prefix(t, "nudgefail")), rec, "a", func() time.Time { return now })
	e := flows.Remind{Period: "2026-H1", Units: []string{"tp-doan"}, By: "lan", Nudge: true}
	if err := s.Remind(context.Background(), e); err == nil {
		t.Fatal("failed send: got nil, want an error")
	}
	rec.fail = nil
	if err := s.Remind(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	if got := len(rec.got["an"]); got != 1 {
		t.Errorf("got %d nudges delivered, want 1", got)
	}
}

// TestNudgeKeptWhenSomebodyReached: a unit with two organisers, one reachable and one whose send
// fails: the unit's nudge of the day counts as done, so the next press does not give the first
// organiser the same nudge twice.
func TestNudgeKeptWhenSomebodyReached(t *testing.T) {
	fs := newFakeStore()
	fs.add(flows.Person{ID: "dung", Name: "Dũng", Units: []string{"tp-doan"}})
	now := at("2026-06-16 10:00")
	rec := newRecorder(func() time.Time { return now })
	rec.fail = func(p flows.Person) error {
		if p.ID == "dung" {
			return errors.New("network down")
		}
		return nil
	}
	s := mustScheduler(t, fs, testkit.StoreAt(t, redistest.Addr(), redistest.Prefix(t, "nudgehalf")), rec, "a", func() time.Time { return now })
	e := flows.Remind{Period: "2026-H1", Units: []string{"tp-doan"}, By: "lan", Nudge: true}
	for range 2 {
		_ = s.Remind(context.Background(), e) // the failed send is reported; the press is what matters
	}
	if got := len(rec.got["an"]); got != 1 {
		t.Errorf("got %d nudges to An, want 1", got)
	}
}

// TestPlanSaysWhereOpenPeriodsStand: after the last step of a ladder, with units still missing,
// the preview has no coming reminder for the period but says how many units owe it and when its
// last step went, so /reminders can point to /remind.
func TestPlanSaysWhereOpenPeriodsStand(t *testing.T) {
	fs := newFakeStore()
	seedDone(fs)
	fs.submit("2026-H1", "st-phunu", at("2026-06-09 10:00"))
	now := at("2026-06-25 10:00")
	rec := newRecorder(func() time.Time { return now })
	s := mustScheduler(t, fs, testkit.StoreAt(t, redistest.Addr(), redistest.Prefix(t, "remind")), rec, "a", func() time.Time { return now })
	plan, err := s.Plan(context.Background(), now, flows.Person{Admin: true})
	if err != nil {
		t.Fatal(err)
	}
	var h1 *flows.PlanPeriod
	for i := range plan.Periods {
		if plan.Periods[i].Period == "2026-H1" {
			h1 = &plan.Periods[i]
		}
	}
	if h1 == nil {
		t.Fatalf("periods: got %+v, want H1 among them", plan.Periods)
	}
	if h1.Ahead || !h1.Last.Equal(at("2026-06-18 08:00")) || h1.Missing != 2 || h1.Units != 3 {
		t.Errorf("H1: got %+v, want no step ahead, the last on 18/06 08:00, 2 of 3 units missing", *h1)
	}
	for _, n := range plan.Next {
		if n.Period == "2026-H1" && !n.Digest {
			t.Errorf("next: got %+v, want no organisers' step of H1", n)
		}
	}
}
