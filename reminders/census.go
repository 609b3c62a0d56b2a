package reminders

import (
	"context"
	"fmt"
	"iter"
	"maps"
	"slices"
	"strings"

	"danvan/flows"
)

// census is where every unit that reports for one period stands, read in one go (Survey): what
// a step, a digest and the plan start from.
type census struct {
	x      *scopes            // the period's units and leaders' views
	status []flows.UnitStatus // by unit position (x.units)
	forms  int
}

// census reads the status of every unit of p.
func (s *Scheduler) census(ctx context.Context, p flows.Period) (*census, error) {
	x := s.scopeOf(p)
	st, err := s.cfg.Survey.Status(ctx, p.ID, x.units, s.forms)
	if err != nil {
		return nil, fmt.Errorf("status of %s: %w", p.ID, err)
	}
	c := &census{x: x, status: make([]flows.UnitStatus, len(x.units)), forms: len(s.forms)}
	for i, u := range x.units {
		c.status[i] = st[u]
	}
	return c, nil
}

// done reports whether the unit at position i has a current, not returned, submission of every
// form.
func (c *census) done(i int32) bool { return c.status[i].DoneAll(c.forms) }

// late reports whether the unit at position i is done and some form came in after the due time.
func (c *census) late(i int32) bool { return c.done(i) && c.status[i].LateAny() }

// missing lists the units among pos (all units when nil) that are not done, in order.
func (c *census) missing(pos []int32) []int32 {
	var out []int32
	if pos == nil {
		for i := range c.status {
			if !c.done(int32(i)) {
				out = append(out, int32(i))
			}
		}
		return out
	}
	for _, i := range pos {
		if !c.done(i) {
			out = append(out, i)
		}
	}
	return out
}

// byPerson maps each organiser of the units at pos to their units among them, in directory
// order, reading the units' organisers in one round trip.
func (s *Scheduler) byPerson(ctx context.Context, c *census, pos []int32) (map[string][]string, error) {
	units := c.x.ids(pos)
	orgs, err := s.cfg.Survey.Organisers(ctx, units)
	if err != nil {
		return nil, fmt.Errorf("organisers of %d units: %w", len(units), err)
	}
	out := map[string][]string{}
	for _, u := range units {
		for _, o := range orgs[u] {
			out[o] = append(out[o], u)
		}
	}
	return out, nil
}

// fanout is what sending one message to each of ids would take: how many, per channel (the
// platform each person joined on, the first part of their id: the estimate of the plan), at
// the pace of one token per channel.
func (s *Scheduler) fanout(ids iter.Seq[string]) flows.Fanout {
	per := map[string]int{}
	n := 0
	for id := range ids {
		ch, _, ok := strings.Cut(id, ":")
		if !ok {
			ch = ""
		}
		per[ch]++
		n++
	}
	f := flows.Fanout{People: n}
	for _, ch := range slices.Sorted(maps.Keys(per)) {
		f.Channels = append(f.Channels, flows.ChannelLoad{Channel: ch, Messages: per[ch], PerSecond: s.cfg.PerSecond})
	}
	return f
}
