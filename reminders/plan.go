package reminders

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"danvan/flows"
)

// planSample is how many people the preview names per coming step; the rest are counted.
const planSample = 10

// Plan previews, for the /reminders and /remind of admin, the next step of each running
// ladder: how many it would reach if it went now, ten of them by name, and what its fan-out
// takes at the pace of one bot token per channel (a dry run: nothing is claimed or sent); where
// each open period's reminders stand and what a /remind of it would send; and the year's ladder
// for /calendar. It covers the units admin may see (flows.Narrow: everything for a bootstrap
// admin, their scopes for a tenant's) and their organisers and leaders, nobody else. It reads
// what a tick reads: every unit's status and the organisers of the missing ones, in a few round
// trips per period.
func (s *Scheduler) Plan(ctx context.Context, now time.Time, admin flows.Person) (*flows.Plan, error) {
	plan := &flows.Plan{Ladder: s.ladder(now.In(s.cfg.Calendar.Loc).Year())}
	var errs []error
	lead := &leaderCache{}
	for _, p := range s.periods(now) {
		seen := s.seenBy(admin, p)
		if len(seen) == 0 {
			continue
		}
		c, err := s.census(ctx, p)
		if err != nil {
			errs = append(errs, fmt.Errorf("plan: %w", err))
			continue
		}
		byPerson, err := s.byPerson(ctx, c, c.missing(seen))
		if err != nil {
			errs = append(errs, fmt.Errorf("plan: %w", err))
			continue
		}
		if st, at, ok := s.cfg.Rules.next(p, false, now); ok {
			s.planStep(plan, p, st, at, byPerson)
		}
		if st, at, ok := s.cfg.Rules.next(p, true, now); ok {
			errs = append(errs, s.planDigest(ctx, plan, p, st, at, c, seen, lead))
		}
		if !now.Before(p.Opens) {
			plan.Periods = append(plan.Periods, s.planPeriod(p, c, seen, byPerson, now))
		}
	}
	slices.SortStableFunc(plan.Next, func(a, b flows.PlannedReminder) int { return a.At.Compare(b.At) })
	slices.SortStableFunc(plan.Fanouts, func(a, b flows.PlannedFanout) int { return a.At.Compare(b.At) })
	return plan, errors.Join(errs...)
}

// planStep adds organisers' step st of p, going at at, reaching the people byPerson names.
func (s *Scheduler) planStep(plan *flows.Plan, p flows.Period, st Step, at time.Time, byPerson map[string][]string) {
	for _, id := range smallestKeys(byPerson, planSample) {
		plan.Next = append(plan.Next, flows.PlannedReminder{At: at, Period: p.ID, Step: st.ID, Days: st.Days, Person: id, Units: byPerson[id]})
	}
	if len(byPerson) > 0 {
		plan.Fanouts = append(plan.Fanouts, flows.PlannedFanout{At: at, Period: p.ID, Step: st.ID, Days: st.Days, Fanout: s.fanout(maps.Keys(byPerson))})
	}
}

// smallestKeys returns the n smallest keys of m, sorted: the people a preview names, without
// sorting 150,000 of them.
func smallestKeys[V any](m map[string]V, n int) []string {
	var out []string
	for k := range m {
		i, _ := slices.BinarySearch(out, k)
		if i >= n {
			continue
		}
		out = slices.Insert(out, i, k)
		if len(out) > n {
			out = out[:n]
		}
	}
	return out
}

// seenBy lists the units of p this schedule runs that admin may see, as positions in the
// period's index, in directory order.
func (s *Scheduler) seenBy(admin flows.Person, p flows.Period) []int32 {
	x := s.scopeOf(p)
	var out []int32
	for _, v := range flows.Narrow(admin, x.dir, flows.View{Node: s.cfg.Root}) {
		out = append(out, x.of(v)...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// planDigest adds digest step st of p: the leaders whose scope has a unit among seen missing or
// late.
func (s *Scheduler) planDigest(ctx context.Context, plan *flows.Plan, p flows.Period, st Step, at time.Time, c *census, seen []int32, lead *leaderCache) error {
	leaders, err := lead.load(ctx, s)
	if err != nil {
		return err
	}
	var ids []string
	for _, id := range sortedKeys(leaders) {
		pr := leaders[id]
		pos := intersect(c.x.lead(pr.Scopes), seen)
		if pr.Unreachable || !c.anyMissingOrLate(pos) {
			continue
		}
		if len(ids) < planSample {
			plan.Next = append(plan.Next, flows.PlannedReminder{At: at, Period: p.ID, Step: st.ID, Days: st.Days, Digest: true,
				Person: id, Units: c.x.ids(c.missing(pos))})
		}
		ids = append(ids, id)
	}
	if len(ids) > 0 {
		plan.Fanouts = append(plan.Fanouts, flows.PlannedFanout{At: at, Period: p.ID, Step: st.ID, Days: st.Days, Digest: true, Fanout: s.fanout(slices.Values(ids))})
	}
	return nil
}

// leaderCache loads the leaders' records once per plan.
type leaderCache struct {
	people map[string]flows.Person
	done   bool
}

func (l *leaderCache) load(ctx context.Context, s *Scheduler) (map[string]flows.Person, error) {
	if l.done {
		return l.people, nil
	}
	ids, err := s.cfg.Store.Leaders(ctx)
	if err != nil {
		return nil, fmt.Errorf("plan: leaders: %w", err)
	}
	if l.people, err = s.cfg.Store.People(ctx, ids); err != nil {
		return nil, fmt.Errorf("plan: leaders' records: %w", err)
	}
	l.done = true
	return l.people, nil
}

// intersect keeps the positions of a that are in b; both sorted.
func intersect(a, b []int32) []int32 {
	var out []int32
	for _, i := range a {
		if _, ok := slices.BinarySearch(b, i); ok {
			out = append(out, i)
		}
	}
	return out
}

// planPeriod says where the reminders of open period p stand at now, over the units seen.
func (s *Scheduler) planPeriod(p flows.Period, c *census, seen []int32, byPerson map[string][]string, now time.Time) flows.PlanPeriod {
	pp := flows.PlanPeriod{Period: p.ID, Units: len(seen), Missing: len(c.missing(seen)), Remind: s.fanout(maps.Keys(byPerson))}
	_, pp.Last, _ = s.cfg.Rules.latest(p, false, now)
	_, _, pp.Ahead = s.cfg.Rules.next(p, false, now)
	return pp
}

// ladder lists the steps that go for every period of year, with their moments.
func (s *Scheduler) ladder(year int) []flows.PlannedStep {
	var out []flows.PlannedStep
	for _, sp := range s.cfg.Calendar.Specs {
		p := s.cfg.Calendar.Make(sp, year)
		for _, digest := range []bool{false, true} {
			for _, t := range s.cfg.Rules.effective(p, digest) {
				out = append(out, flows.PlannedStep{Period: p.ID, Step: t.ID, Days: t.Days, At: t.at, Digest: digest})
			}
		}
	}
	return out
}
