package reminders

import (
	"context"
	"math"
	"time"

	"golang.org/x/time/rate"

	"danvan/flows"
)

// LocalRate returns a Rate of perSecond messages a second (burst 1: never more than the rate in
// any second) for this process alone, on now's clock: the pace of the demo and of a channel
// without a shared one. Replicas on one token share a storage.FanoutRate instead.
func LocalRate(perSecond float64, now func() time.Time) Rate {
	return &localRate{lim: rate.NewLimiter(rate.Limit(perSecond), 1), now: now}
}

type localRate struct {
	lim *rate.Limiter
	now func() time.Time
}

// Take implements Rate: the message goes when a whole token is there, else it waits for one.
func (l *localRate) Take(_ context.Context, _ flows.Person) (time.Duration, error) {
	now := l.now()
	if l.lim.AllowN(now, 1) {
		return 0, nil
	}
	missing := 1 - l.lim.TokensAt(now)
	return time.Duration(math.Ceil(missing / float64(l.lim.Limit()) * float64(time.Second))), nil
}
