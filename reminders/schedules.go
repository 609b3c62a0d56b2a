package reminders

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"danvan/flows"
)

// Schedules runs the schedule of every tenant of a deployment as one: each Scheduler has its
// tenant's Root, calendar and claim Tag, and what one is asked (a tick, a reminder now, a
// preview) each does for its own tenant. The dispatcher and main take it where they take one
// Scheduler.
type Schedules []*Scheduler

// Tick implements one tick of every tenant's schedule, at once, and joins their errors.
func (g Schedules) Tick(ctx context.Context, now time.Time) error {
	errs := make([]error, len(g))
	var wg sync.WaitGroup
	for i, s := range g {
		wg.Go(func() { errs[i] = s.Tick(ctx, now) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Run runs every tenant's schedule on spec until ctx ends.
func (g Schedules) Run(ctx context.Context, spec string) error {
	errs := make([]error, len(g))
	var wg sync.WaitGroup
	for i, s := range g {
		wg.Go(func() { errs[i] = s.Run(ctx, spec) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Remind hands e to every tenant's schedule, which reminds the units of e that are its own.
func (g Schedules) Remind(ctx context.Context, e flows.Remind) error {
	var errs []error
	for _, s := range g {
		errs = append(errs, s.Remind(ctx, e))
	}
	return errors.Join(errs...)
}

// Plan previews what admin may see of every tenant's schedule: the coming reminders of each and
// their fan-outs, each open period's state and /remind's fan-out summed over the tenants, and the ladder of the first tenant admin
// may see (their own tenant's calendar, which /calendar shows).
func (g Schedules) Plan(ctx context.Context, now time.Time, admin flows.Person) (*flows.Plan, error) {
	out := &flows.Plan{}
	var errs []error
	ladder := false
	for _, s := range g {
		if len(flows.Narrow(admin, s.cfg.Dir, flows.View{Node: s.cfg.Root})) == 0 {
			continue
		}
		p, err := s.Plan(ctx, now, admin)
		errs = append(errs, err)
		if p == nil {
			continue
		}
		if !ladder {
			out.Ladder, ladder = p.Ladder, true
		}
		out.Next = append(out.Next, p.Next...)
		out.Fanouts = append(out.Fanouts, p.Fanouts...)
		out.Periods = mergePeriods(out.Periods, p.Periods)
	}
	slices.SortStableFunc(out.Next, func(a, b flows.PlannedReminder) int { return a.At.Compare(b.At) })
	slices.SortStableFunc(out.Fanouts, func(a, b flows.PlannedFanout) int { return a.At.Compare(b.At) })
	return out, errors.Join(errs...)
}

// mergePeriods adds more into into, period by period: counts add, a step ahead anywhere is
// ahead, the latest step is the latest of all.
func mergePeriods(into, more []flows.PlanPeriod) []flows.PlanPeriod {
	for _, m := range more {
		i := slices.IndexFunc(into, func(p flows.PlanPeriod) bool { return p.Period == m.Period })
		if i < 0 {
			into = append(into, m)
			continue
		}
		p := &into[i]
		p.Missing += m.Missing
		p.Units += m.Units
		p.Ahead = p.Ahead || m.Ahead
		if m.Last.After(p.Last) {
			p.Last = m.Last
		}
		p.Remind = mergeFanout(p.Remind, m.Remind)
	}
	return into
}

// mergeFanout adds more into into: people add, and messages per channel (each tenant's own bot
// is a channel of its own; the deployment's are shared).
func mergeFanout(into, more flows.Fanout) flows.Fanout {
	into.People += more.People
	for _, c := range more.Channels {
		i := slices.IndexFunc(into.Channels, func(d flows.ChannelLoad) bool { return d.Channel == c.Channel })
		if i < 0 {
			into.Channels = append(into.Channels, c)
			continue
		}
		into.Channels[i].Messages += c.Messages
	}
	return into
}
