package reminders_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"danvan/flows"
	"danvan/internal/redistest"
	"danvan/internal/testkit"
	"danvan/reminders"
)

// remindLog records what the scheduler tells its Observer.
type remindLog struct {
	mu              sync.Mutex
	got             []string // "step outcome", sorted when read
	depth, maxDepth int
}

func (o *remindLog) Reminded(step, outcome string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.got = append(o.got, step+" "+outcome)
}

func (o *remindLog) Queued(delta int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.depth += delta
	o.maxDepth = max(o.maxDepth, o.depth)
}

func (o *remindLog) take() ([]string, int, int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	got := slices.Sorted(slices.Values(o.got))
	o.got = nil
	return got, o.depth, o.maxDepth
}

// TestSchedulerObserves: a ladder step counts each claim and how each send went, per step; a
// reminder sent by hand counts under "now"; the queue's depth rises with a fan-out and is back
// at zero when it ends.
func TestSchedulerObserves(t *testing.T) {
	fs := newFakeStore()
	now := at("2026-06-08 08:00") // H1 −7d
	rec := newRecorder(func() time.Time { return now })
	rec.fail = func(p flows.Person) error {
		if p.ID == "binh" {
			return reminders.ErrUnreachable
		}
		return nil
	}
	obs := &remindLog{}
	s := reminders.New(reminders.Config{
		Store: fs, Claims: testkit.StoreAt(t, redistest.Addr(), redistest.Prefix(t, "observe")), Snoozes: noSnoozes{}, Nudges: nil, Sender: rec,
		Calendar: testCalendar(), Dir: mustDir(t), Forms: testForms, Rules: testRules(),
		Holder: "a", Workers: 4, Now: func() time.Time { return now }, Log: slogDiscard(), Observer: obs,
	})
	if err := s.Tick(context.Background(), now); err != nil {
		t.Fatal(err)
	}
	got, depth, most := obs.take()
	if want := []string{"-7d claimed", "-7d claimed", "-7d sent", "-7d unreachable"}; !slices.Equal(got, want) {
		t.Errorf("tick: got %q, want %q", got, want)
	}
	if depth != 0 || most != 3 {
		t.Errorf("queue: got depth %d (at most %d), want 0 (at most 3: an, binh, and chi, skipped at her turn as unreachable)", depth, most)
	}

	rec.fail = func(flows.Person) error { return errors.New("network down") }
	if err := s.Remind(context.Background(), flows.Remind{Period: "2026-H1", Units: []string{"tp-doan"}, By: "lan"}); err == nil {
		t.Fatal("remind: got nil, want the send's error")
	}
	if got, _, _ := obs.take(); !slices.Equal(got, []string{"now failed"}) {
		t.Errorf("remind: got %q, want [now failed]", got)
	}
}

// noSnoozes is a Snoozes where nobody put anything off.
type noSnoozes struct{}

func (noSnoozes) SnoozedUntil(context.Context, string, string) (time.Time, error) {
	return time.Time{}, nil
}
