package reminders

import (
	"context"
	"time"
)

// SetClock makes f pace on a test's clock: now reads it, sleep advances it.
func (f *Fanout) SetClock(now func() time.Time, sleep func(ctx context.Context, d time.Duration) error) {
	f.now, f.sleep = now, sleep
}

// SetRenewTicker makes s extend its claims on a test's ticks: every(d) returns the ticks of a
// period d and the function that stops them.
func (s *Scheduler) SetRenewTicker(every func(d time.Duration) (<-chan time.Time, func())) {
	s.every = every
}
