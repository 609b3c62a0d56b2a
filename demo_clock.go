package main

import (
	"fmt"
	"sync"
	"time"

	"danvan/flows"
)

// demoClock is the demo's clock: the real one, shifted to a day the person picks (-date, or
// /ngay while the demo runs) so a deadline's reminders can be seen without waiting for it.
type demoClock struct {
	cal  flows.Calendar
	real func() time.Time

	mu    sync.Mutex
	shift time.Duration
}

// newDemoClock starts at the real time, moved forward into the next reporting window when today
// falls between two, so the demo always has a period to report.
func newDemoClock(cal flows.Calendar, real func() time.Time) *demoClock {
	c := &demoClock{cal: cal, real: real}
	now := real()
	if len(cal.Open(now)) == 0 {
		for d := 1; d < 400; d++ {
			if t := now.AddDate(0, 0, d); len(cal.Open(t)) > 0 {
				c.shift = t.Sub(now)
				break
			}
		}
	}
	return c
}

// Now is the demo's time.
func (c *demoClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.real().Add(c.shift)
}

// Set moves the clock to day ("13/03/2026") at the real time of day, or at 10:00 when that is
// outside the sending hours, so the day's reminders can go.
func (c *demoClock) Set(day string) error {
	d, err := time.ParseInLocation("02/01/2006", day, c.cal.Loc)
	if err != nil {
		return fmt.Errorf("%q: want a day written dd/mm/yyyy", day)
	}
	real := c.real()
	h := real.In(c.cal.Loc)
	at := d.Add(time.Duration(h.Hour())*time.Hour + time.Duration(h.Minute())*time.Minute)
	if h.Hour() < 8 || h.Hour() >= 19 {
		at = d.Add(10 * time.Hour)
	}
	c.mu.Lock()
	c.shift = at.Sub(real)
	c.mu.Unlock()
	return nil
}
