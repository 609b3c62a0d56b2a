package transport

import (
	"context"
	"math/rand/v2"
	"time"
)

// Sleep waits d or until ctx is done.
func Sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Backoff doubles from 1s to 30s; the jitter (half to all of it) keeps replicas that failed
// together from retrying together.
func Backoff(attempt int) time.Duration {
	d := time.Second << min(attempt, 5)
	d = min(d, 30*time.Second)
	return d/2 + rand.N(d/2+1)
}
