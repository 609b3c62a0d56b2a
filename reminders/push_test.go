package reminders_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"danvan/flows"
	"danvan/internal/redistest"
	"danvan/internal/testkit"
	"danvan/reminders"
	"danvan/storage"
)

// pushRules are the test's rules with a report push four days after the due day, after the
// last digest.
func pushRules() reminders.Rules {
	r := testRules()
	r.Steps = append(r.Steps, reminders.Step{ID: "report", Days: 4, At: 9 * time.Hour, Report: true})
	return r
}

// pushes is a Sender that writes down the files pushed to each leader: when, what kind, for
// which period and part of the directory; the digests' spreadsheets are not pushes and are left
// out. A fail hook may refuse a send.
type pushes struct {
	mu    sync.Mutex
	clock func() time.Time
	got   map[string][]string
	texts []string
	fail  func(p flows.Person, a flows.Attachment) error
}

func (p *pushes) Send(_ context.Context, pr flows.Person, r flows.Reply) error {
	if r.Attach == nil || r.Attach.Kind == flows.SheetFile {
		return nil
	}
	if p.fail != nil {
		if err := p.fail(pr, *r.Attach); err != nil {
			return err
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	a := r.Attach
	p.got[pr.ID] = append(p.got[pr.ID], fmt.Sprintf("%s %s %s node=%q %s", p.clock().Format("01-02 15:04"), a.Kind, a.Period, a.Node, a.Indicator))
	p.texts = append(p.texts, r.Text)
	return nil
}

func pushScheduler(tb testing.TB, fs *fakeStore, rs *storage.Store, send reminders.Sender, holder string, clock func() time.Time) *reminders.Scheduler {
	tb.Helper()
	return reminders.New(reminders.Config{
		Store: fs, Survey: fs, Steps: rs, Claims: rs, Snoozes: rs, Nudges: rs, Sender: send,
		Calendar: testCalendar(), Dir: mustDir(tb), Forms: testForms, Rules: pushRules(),
		Indicators: []flows.Indicator{
			{ID: "info", Form: "m", Num: "a", Info: true},
			{ID: "1.5", Form: "m", Num: "b", Den: "a", Min: 0.85},
		},
		Lease: 5 * time.Minute, Holder: holder, Workers: 4, Now: clock, Log: slogDiscard(),
	})
}

// TestReportPushOnce: when H1's last step has passed, each leader gets their chart and report
// draft exactly once, from two schedulers ticking at once on the same clock through the rest of
// the period, and nothing before it. The files cover the leader's whole scope (node ""), which
// the router's files cut to it.
func TestReportPushOnce(t *testing.T) {
	prefix := redistest.Prefix(t, "push")
	fs := newFakeStore()
	var clk testkit.Clock
	rec := &pushes{clock: clk.Now, got: map[string][]string{}}
	var scheds []*reminders.Scheduler
	for _, holder := range []string{"a", "b"} {
		scheds = append(scheds, pushScheduler(t, fs, testkit.StoreAt(t, redistest.Addr(), prefix), rec, holder, clk.Now))
	}
	for now := at("2026-06-01 00:00"); now.Before(at("2026-09-01 00:00")); now = now.Add(30 * time.Minute) {
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
	// H1 is due on Monday 15/06: digest+3d goes on Thursday 18/06, the push on Friday 19/06. The
	// chart and the draft have a claim each: two replicas may send them in either order.
	want := []string{`06-19 09:00 chart 2026-H1 node="" 1.5`, `06-19 09:00 docx 2026-H1 node="" `}
	for _, id := range []string{"lan", "minh"} {
		if got := slices.Sorted(slices.Values(rec.got[id])); !slices.Equal(got, want) {
			t.Errorf("%s: got %q, want %q", id, got, want)
		}
	}
	for _, text := range rec.texts {
		if strings.Contains(text, "%!") || !strings.Contains(text, "6 tháng năm 2026") {
			t.Errorf("caption %q: want the period named and no formatting error", text)
		}
	}
	if got := len(rec.got["an"]) + len(rec.got["binh"]) + len(rec.got["chi"]); got != 0 {
		t.Errorf("organisers: got %d files, want none", got)
	}
}

// TestReportPushRetried: a draft that could not be made (a render failing) is sent at a later
// tick, and the chart that did go is not sent again.
func TestReportPushRetried(t *testing.T) {
	fs := newFakeStore()
	fs.leaders = []string{"lan"}
	clk := testkit.ClockAt(at("2026-06-19 09:00"))
	failed := false
	rec := &pushes{clock: clk.Now, got: map[string][]string{}, fail: func(_ flows.Person, a flows.Attachment) error {
		if a.Kind == flows.DocFile && !failed {
			failed = true
			return errors.New("render docx: redis went away")
		}
		return nil
	}}
	s := pushScheduler(t, fs, testkit.StoreAt(t, redistest.Addr(), redistest.Prefix(t, "push")), rec, "a", clk.Now)
	for _, tick := range []time.Duration{0, 5 * time.Minute, 10 * time.Minute} {
		clk.Set(at("2026-06-19 09:00").Add(tick))
		err := s.Tick(context.Background(), clk.Now())
		if tick == 0 && err == nil {
			t.Error("first tick: got nil, want the render's error")
		}
		if tick > 0 && err != nil {
			t.Errorf("tick +%s: %v", tick, err)
		}
	}
	want := []string{`06-19 09:00 chart 2026-H1 node="" 1.5`, `06-19 09:05 docx 2026-H1 node="" `}
	if got := rec.got["lan"]; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
