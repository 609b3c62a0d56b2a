package reminders_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"danvan/flows"
	"danvan/internal/redistest"
	"danvan/internal/testkit"
	"danvan/reminders"
	"danvan/storage"
)

// crowd adds n organisers of tp-phunu to fs, so a step reaches n+1 people (An too).
func crowd(fs *fakeStore, n int) {
	for i := range n {
		fs.add(flows.Person{ID: fmt.Sprintf("p%03d", i), Name: "P", Units: []string{"tp-phunu"}})
	}
}

// twice lists the people counted more than once.
func twice(mu *sync.Mutex, got map[string]int) []string {
	mu.Lock()
	defer mu.Unlock()
	var out []string
	for id, n := range got {
		if n > 1 {
			out = append(out, fmt.Sprintf("%s×%d", id, n))
		}
	}
	return out
}

// schedulerOn builds a replica on fake progress and real Redis claims under prefix, with lease.
func schedulerOn(tb testing.TB, fs *fakeStore, rs *storage.Store, send reminders.Sender, holder string,
	clk *testkit.Clock, lease time.Duration, workers int) *reminders.Scheduler {
	tb.Helper()
	return reminders.New(reminders.Config{
		Store: fs, Claims: rs, Snoozes: rs, Nudges: rs, Sender: send,
		Calendar: testCalendar(), Dir: mustDir(tb), Forms: testForms, Rules: testRules(),
		Lease: lease, Holder: holder, Workers: workers, Now: clk.Now, Log: slogDiscard(),
	})
}

// TestSecondReplicaDuringLongFanOut is issue 10's item 27: a wave long enough that its claims
// outlive the lease counted from the tick's start (lease 10s; 250ms a send) and a second
// replica starting 12s into it. Each claim's lease runs from its own moment, so the second
// replica takes over nothing the first is still sending: everybody gets the step once.
func TestSecondReplicaDuringLongFanOut(t *testing.T) {
	prefix := redistest.Prefix(t, "longwave")
	fs := newFakeStore()
	crowd(fs, 80)
	start := at("2026-06-08 08:00") // H1 −7d
	clk := testkit.ClockAt(start)
	var mu sync.Mutex
	got := map[string]int{}
	b := schedulerOn(t, fs, testkit.StoreAt(t, redistest.Addr(), prefix), lockedCounter{&mu, got}, "b", clk, 10*time.Second, 4)
	var bErr error
	started := false
	first := countSenderFunc(func(ctx context.Context, p flows.Person) error {
		clk.Set(clk.Now().Add(250 * time.Millisecond)) // the wave's pace
		if !started && clk.Now().Sub(start) >= 12*time.Second {
			started = true // the second replica starts while this send is in flight
			bErr = b.Tick(context.Background(), clk.Now())
		}
		mu.Lock()
		defer mu.Unlock()
		got[p.ID]++
		return nil
	})
	a := schedulerOn(t, fs, testkit.StoreAt(t, redistest.Addr(), prefix), first, "a", clk, 10*time.Second, 1)
	if err := a.Tick(context.Background(), start); err != nil {
		t.Fatal(err)
	}
	if bErr != nil || !started {
		t.Fatalf("second replica: started %v, error %v; want started, nil", started, bErr)
	}
	if dup := twice(&mu, got); len(dup) > 0 {
		t.Errorf("got %d people reminded twice %v, want none", len(dup), dup)
	}
	if n := len(got); n != 80+2 { // the crowd, An, Bình; Chi is unreachable
		t.Errorf("people reminded: got %d, want %d", n, 80+2)
	}
}

// countSenderFunc is a Sender of a function.
type countSenderFunc func(ctx context.Context, p flows.Person) error

func (f countSenderFunc) Send(ctx context.Context, p flows.Person, _ flows.Reply) error {
	return f(ctx, p)
}

// lockedCounter counts messages per person into a map shared with other senders.
type lockedCounter struct {
	mu  *sync.Mutex
	got map[string]int
}

func (l lockedCounter) Send(_ context.Context, p flows.Person, _ flows.Reply) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.got[p.ID]++
	return nil
}

// spyClaims passes claims to the store and tells each one's answer for person on calls.
type spyClaims struct {
	reminders.Claims
	person string
	calls  chan bool
}

func (s spyClaims) ClaimReminder(ctx context.Context, period, step, person, holder string, now time.Time, lease time.Duration) (bool, error) {
	ok, err := s.Claims.ClaimReminder(ctx, period, step, person, holder, now, lease)
	if person == s.person {
		s.calls <- ok && err == nil
	}
	return ok, err
}

// TestSlowSendKeepsItsClaim: a send slower than the lease (429s, retries, a slow network) has
// its claim extended while it runs, so another replica does not take it over and send too.
func TestSlowSendKeepsItsClaim(t *testing.T) {
	prefix := redistest.Prefix(t, "slowsend")
	fs := newFakeStore()
	start := at("2026-06-08 08:00")
	clk := testkit.ClockAt(start)
	var mu sync.Mutex
	got := map[string]int{}
	b := schedulerOn(t, fs, testkit.StoreAt(t, redistest.Addr(), prefix), lockedCounter{&mu, got}, "b", clk, 10*time.Second, 4)
	ticks := make(chan time.Time)
	spy := spyClaims{Claims: testkit.StoreAt(t, redistest.Addr(), prefix), person: "an", calls: make(chan bool, 4)}
	var bErr error
	slow := countSenderFunc(func(ctx context.Context, p flows.Person) error {
		if p.ID == "an" {
			<-spy.calls // the claim itself
			clk.Set(start.Add(8 * time.Second))
			// A third of the lease has passed, and more. The timeout only ends a test that
			// would otherwise hang: nothing waits on it when the claim is held.
			select {
			case ticks <- clk.Now():
				if renewed := <-spy.calls; !renewed {
					t.Errorf("renewal at +8s: got refused, want extended")
				}
			case <-time.After(30 * time.Second):
				t.Errorf("renewal at +8s: got nobody extending the claim, want it extended")
			}
			clk.Set(start.Add(15 * time.Second)) // past the first lease, inside the renewed one
			bErr = b.Tick(context.Background(), clk.Now())
		}
		mu.Lock()
		defer mu.Unlock()
		got[p.ID]++
		return nil
	})
	a := reminders.New(reminders.Config{
		Store: fs, Claims: spy, Snoozes: spy.Claims.(*storage.Store), Nudges: spy.Claims.(*storage.Store), Sender: slow,
		Calendar: testCalendar(), Dir: mustDir(t), Forms: testForms, Rules: testRules(),
		Lease: 10 * time.Second, Holder: "a", Workers: 1, Now: clk.Now, Log: slogDiscard(),
	})
	a.SetRenewTicker(func(d time.Duration) (<-chan time.Time, func()) {
		if d != 10*time.Second/3 {
			t.Errorf("renewal period: got %v, want a third of the lease", d)
		}
		return ticks, func() {}
	})
	if err := a.Tick(context.Background(), start); err != nil {
		t.Fatal(err)
	}
	if bErr != nil {
		t.Fatal(bErr)
	}
	if got["an"] != 1 || got["binh"] != 1 {
		t.Errorf("messages: got %v, want An and Bình once each", got)
	}
}

// TestGracefulStopSettlesClaims is item 29: SIGTERM in the middle of a fan-out. A reminder whose
// send was cut short is released, so the next replica sends it at once instead of after the
// lease; one that went out as the stop came is marked done, so nobody sends it again.
func TestGracefulStopSettlesClaims(t *testing.T) {
	tests := []struct {
		name string
		sent bool // the message left before the send returned
	}{
		{"stopped before the message left", false},
		{"stopped as the message left", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prefix := redistest.Prefix(t, "sigterm")
			fs := newFakeStore()
			clk := testkit.ClockAt(at("2026-06-08 08:00"))
			ctx, sigterm := context.WithCancel(context.Background())
			var mu sync.Mutex
			got := map[string]int{}
			var inSend sync.WaitGroup
			inSend.Add(2) // An and Bình in flight on two of the four workers
			stopping := countSenderFunc(func(ctx context.Context, p flows.Person) error {
				inSend.Done()
				inSend.Wait()
				sigterm()
				if !tt.sent {
					return ctx.Err()
				}
				mu.Lock()
				defer mu.Unlock()
				got[p.ID]++
				return nil
			})
			a := schedulerOn(t, fs, testkit.StoreAt(t, redistest.Addr(), prefix), stopping, "a", clk, 5*time.Minute, 4)
			if err := a.Tick(ctx, clk.Now()); err != nil && !errors.Is(err, context.Canceled) {
				t.Fatalf("stopped tick: got %v, want nil or context.Canceled", err)
			}
			b := schedulerOn(t, fs, testkit.StoreAt(t, redistest.Addr(), prefix), lockedCounter{&mu, got}, "b", clk, 5*time.Minute, 4)
			// Within the lease and after it, An and Bình have had the step once: from the next
			// replica when the first released it, from the first when it marked it done.
			for _, tick := range []time.Duration{time.Minute, 10 * time.Minute} {
				clk.Set(at("2026-06-08 08:00").Add(tick))
				if err := b.Tick(context.Background(), clk.Now()); err != nil {
					t.Fatal(err)
				}
				for _, id := range []string{"an", "binh"} {
					if got[id] != 1 {
						t.Errorf("%s after %v: got %d messages, want 1", id, tick, got[id])
					}
				}
			}
		})
	}
}
