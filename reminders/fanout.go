package reminders

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"danvan/flows"
)

// Fanout is a Sender that paces another for a fan-out: a global rate (burst 1, so never more
// than the rate in any second) and at most one message per person per second, and that retries
// a failed send with backoff. 429s are waited out by the transport below (the Telegram
// transport's Send honours retry_after); a send still failing after that is retried here too.
//
// Interactive replies do not pass through a Fanout: they keep the transport's own path and
// workers, and the fan-out's rate (at most 25/s: the configuration refuses more) stays below
// Telegram's ~30 messages/s per bot, so the remaining share is always free for people talking to
// the bot (BenchmarkFanoutLeavesRoomForReplies). A reminder waits; a reply
// to someone typing never waits behind ten thousand reminders.
type Fanout struct {
	next        Sender
	global      *rate.Limiter
	perChat     time.Duration
	attempts    int
	unreachable func(error) bool
	backoff     func(attempt int) time.Duration
	// now and sleep are the clock the pacing runs on: time.Now and a timer, a fake in tests.
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error

	mu   sync.Mutex
	slot map[string]time.Time // per person: the earliest moment of their next message
}

// NewFanout paces next at perSecond messages a second overall and one a second per person.
// unreachable tells errors not worth retrying (the person blocked the bot); nil means
// errors.Is(err, ErrUnreachable).
func NewFanout(next Sender, perSecond float64, unreachable func(error) bool) *Fanout {
	if unreachable == nil {
		unreachable = func(err error) bool { return errors.Is(err, ErrUnreachable) }
	}
	return &Fanout{
		next: next, global: rate.NewLimiter(rate.Limit(perSecond), 1), perChat: time.Second,
		attempts: 4, unreachable: unreachable, backoff: backoff, now: time.Now, sleep: sleep,
		slot: map[string]time.Time{},
	}
}

// Send delivers r to p at the fan-out's pace, retrying failures other than unreachable.
func (f *Fanout) Send(ctx context.Context, p flows.Person, r flows.Reply) error {
	if err := f.sleep(ctx, f.reserve(p.ID).Sub(f.now())); err != nil {
		return err
	}
	var err error
	for attempt := range f.attempts {
		if err = f.wait(ctx); err != nil {
			return err
		}
		err = f.next.Send(ctx, p, r)
		if err == nil || f.unreachable(err) || ctx.Err() != nil || attempt+1 == f.attempts {
			return err
		}
		if werr := f.sleep(ctx, f.backoff(attempt)); werr != nil {
			return werr
		}
	}
	return err
}

// wait takes the next message of the global rate, on the fan-out's clock; a wait cut short by
// ctx gives its turn back.
func (f *Fanout) wait(ctx context.Context) error {
	now := f.now()
	turn := f.global.ReserveN(now, 1) // always OK: n is the burst
	if err := f.sleep(ctx, turn.DelayFrom(now)); err != nil {
		turn.CancelAt(f.now())
		return err
	}
	return nil
}

// reserve books the person's next one-second slot and returns when it starts; slots in the
// past are forgotten so the map stays as small as the people messaged in the last second.
func (f *Fanout) reserve(id string) time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	at := now
	if s, ok := f.slot[id]; ok && s.After(now) {
		at = s
	}
	f.slot[id] = at.Add(f.perChat)
	if len(f.slot) > 1024 {
		for k, s := range f.slot {
			if s.Before(now) {
				delete(f.slot, k)
			}
		}
	}
	return at
}

// backoff doubles from 1s to 30s with jitter, so replicas that failed together do not retry
// together.
func backoff(attempt int) time.Duration {
	d := min(time.Second<<min(attempt, 5), 30*time.Second)
	return d/2 + rand.N(d/2+1)
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
