package reminders

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"danvan/flows"
)

// Fanout is a Sender that paces another for a fan-out: a Rate shared by every replica on the
// bot's token (burst 1, so never more than the rate in any second, whichever replicas send) and
// at most one message per person per second, and that retries a failed send with backoff. 429s
// are waited out by the transport below (the Telegram transport's Send honours retry_after); a send still
// failing after that is retried here too.
//
// Interactive replies do not pass through a Fanout: they keep the transport's own path and
// workers, and the fan-out's rate (at most 25/s per token over all replicas: the configuration
// refuses more) stays below Telegram's ~30 messages/s per bot, so the remaining share is always
// free for people talking to the bot (BenchmarkFanoutLeavesRoomForReplies). A reminder waits; a
// reply to someone typing never waits behind ten thousand reminders.
type Fanout struct {
	next        Sender
	rate        Rate
	perChat     time.Duration
	attempts    int
	unreachable func(error) bool
	backoff     func(attempt int) time.Duration
	// now and sleep are the clock the pacing runs on: time.Now and a timer, a fake in tests.
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
	// turn lets one of this process's workers at a time ask the rate, so a shared rate in
	// Redis is asked by one waiter per replica rather than by every worker at once.
	turn chan struct{}

	mu   sync.Mutex
	slot map[string]time.Time // per person: the earliest moment of their next message
}

// NewFanout paces next at perSecond messages a second in this process alone (LocalRate) and one
// a second per person. unreachable tells errors not worth retrying (the person blocked the
// bot); nil means errors.Is(err, ErrUnreachable).
func NewFanout(next Sender, perSecond float64, unreachable func(error) bool) *Fanout {
	f := NewSharedFanout(next, nil, unreachable)
	f.rate = LocalRate(perSecond, func() time.Time { return f.now() })
	return f
}

// NewSharedFanout paces next at rate, which other replicas share, and one message a second per
// person; unreachable as for NewFanout.
func NewSharedFanout(next Sender, rate Rate, unreachable func(error) bool) *Fanout {
	if unreachable == nil {
		unreachable = func(err error) bool { return errors.Is(err, ErrUnreachable) }
	}
	return &Fanout{
		next: next, rate: rate, perChat: time.Second,
		attempts: 4, unreachable: unreachable, backoff: backoff, now: time.Now, sleep: sleep,
		turn: make(chan struct{}, 1), slot: map[string]time.Time{},
	}
}

// Send delivers r to p at the fan-out's pace, retrying failures other than unreachable.
func (f *Fanout) Send(ctx context.Context, p flows.Person, r flows.Reply) error {
	if err := f.sleep(ctx, f.reserve(p.ID).Sub(f.now())); err != nil {
		return err
	}
	var err error
	for attempt := range f.attempts {
		if err = f.wait(ctx, p); err != nil {
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

// wait takes the next message of the rate, asking again after each wait it is told.
func (f *Fanout) wait(ctx context.Context, p flows.Person) error {
	select {
	case f.turn <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-f.turn }()
	for {
		d, err := f.rate.Take(ctx, p)
		if err != nil {
			return fmt.Errorf("fan-out pace: %w", err)
		}
		if d <= 0 {
			return nil
		}
		if err := f.sleep(ctx, d); err != nil {
			return err
		}
	}
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
