package testkit

import (
	"sync"
	"testing"
	"time"

	"danvan/config"
)

// Clock is a clock the test moves by hand; safe for concurrent reads.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock starts at 09:00 on 10 March 2026 in Vietnam: Q1 2026 is open, due on the 15th.
func NewClock(tb testing.TB) *Clock {
	tb.Helper()
	return &Clock{t: time.Date(2026, 3, 10, 9, 0, 0, 0, config.Default().Location())}
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set puts the clock at t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// ClockAt is a clock standing at t.
func ClockAt(t time.Time) *Clock { return &Clock{t: t} }
