package reminders

import (
	"context"
	"time"
)

// SetClock makes f pace on a test's clock: now reads it, sleep advances it.
func (f *Fanout) SetClock(now func() time.Time, sleep func(ctx context.Context, d time.Duration) error) {
	f.now, f.sleep = now, sleep
}
