package demo

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"danvan/flows"
)

// DayAt is the time of day -date and /ngay move the demo to, whatever the real time: after the
// last reminder step of a day in the default ladder (the leaders' digests at 09:00) and inside
// the sending hours (07:30–20:00), so everything due on the day goes as soon as the demo gets
// there, the same at any hour the demo is run.
const DayAt = 10 * time.Hour

// Clock is the demo's time: the real clock, shifted to a day the person picks (-date, or /ngay
// while the demo runs) so a deadline's reminders can be seen without waiting for it. From there
// it runs on at the real pace.
type Clock struct {
	cal  flows.Calendar
	real func() time.Time

	mu    sync.Mutex
	shift time.Duration
}

// NewClock starts at real's time, moved forward into the next reporting window when today falls
// between two, so the demo always has a period to report.
func NewClock(cal flows.Calendar, real func() time.Time) *Clock {
	c := &Clock{cal: cal, real: real}
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
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.real().Add(c.shift)
}

// Set moves the clock to day ("13/03/2026", or "13/3/2026" as people type it) at DayAt in the
// calendar's time zone. Its error is a sentence for the person at the terminal, Vietnamese first.
func (c *Clock) Set(day string) error {
	d, err := time.ParseInLocation("2/1/2006", strings.TrimSpace(day), c.cal.Loc)
	if err != nil {
		return fmt.Errorf("«%s» không phải là ngày viết theo dạng ngày/tháng/năm (%q is not a day written dd/mm/yyyy)", day, day)
	}
	c.mu.Lock()
	c.shift = d.Add(DayAt).Sub(c.real())
	c.mu.Unlock()
	return nil
}
