package reminders

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"danvan/flows"
)

// Remind sends now, to the organisers of e.Units (every unit with e.All, within e.Within when
// set) who have not submitted e.Period, their reminder: an admin's /remind or a leader's "Nhắc
// tất cả" / "Nhắc ngay". Only units of the schedule's Root are reminded: a schedule per tenant
// takes its own part of e. With e.Nudge a unit is reminded at most once a day; the units left
// out are logged. These sends are outside the ladder and its claims: the dispatcher calls
// Remind once per press. It runs as long as the fan-out takes, so the caller runs it on a
// context of its own, not a chat's.
func (s *Scheduler) Remind(ctx context.Context, e flows.Remind) error {
	now := s.cfg.Now()
	p, ok := s.cfg.Calendar.Period(e.Period)
	if !ok {
		return fmt.Errorf("remind: unknown period %q", e.Period)
	}
	units := s.within(e.Units)
	if e.All {
		units = s.unitsIn(p)
		if len(e.Within) > 0 {
			units = slices.DeleteFunc(units, func(u string) bool {
				return !slices.ContainsFunc(e.Within, func(n string) bool { return s.cfg.Dir.Within(u, n) })
			})
		}
	}
	if len(units) == 0 {
		return nil // an empty list is nobody, never everybody
	}
	if e.Nudge {
		var err error
		if units, err = s.nudgeable(ctx, units, flows.Nudge{At: now, By: e.By}); err != nil {
			return err
		}
	}
	s.cfg.Log.Info("reminders: remind now", "period", p.ID, "by", e.By, "nudge", e.Nudge, "units", len(units))
	prog, err := s.cfg.Store.Progress(ctx, p.ID, units, s.forms)
	if err != nil {
		return fmt.Errorf("remind: progress of %s: %w", p.ID, err)
	}
	byPerson := s.missing(prog, units)
	people, err := s.cfg.Store.People(ctx, sortedKeys(byPerson))
	if err != nil {
		return fmt.Errorf("remind: people: %w", err)
	}
	var out outcome
	err = s.fan(ctx, sortedKeys(byPerson), func(ctx context.Context, id string) error {
		pr, ok := people[id]
		if !ok || pr.Unreachable {
			return nil
		}
		err := s.cfg.Sender.Send(ctx, pr, s.reminder(pr, p, now, byPerson[id], prog))
		s.observeNow(err)
		out.record(byPerson[id], err == nil)
		if err != nil && !s.cfg.Unreachable(err) {
			return fmt.Errorf("remind %s: %w", id, err)
		}
		return nil
	})
	if e.Nudge {
		// A unit none of whose organisers was reached may be nudged again today; one that
		// reached somebody may not, or that person would read the nudge twice.
		s.forgetNudges(ctx, out.unreached(), now)
	}
	return err
}

// observeNow counts a reminder sent by hand.
func (s *Scheduler) observeNow(err error) {
	outcome := "sent"
	switch {
	case err != nil && s.cfg.Unreachable(err):
		outcome = "unreachable"
	case err != nil:
		outcome = "failed"
	}
	s.cfg.Observer.Reminded(NowStep, outcome)
}

// outcome records, per unit, whether a reminder about it reached anybody.
type outcome struct {
	mu      sync.Mutex
	reached map[string]bool
}

func (o *outcome) record(units []string, ok bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.reached == nil {
		o.reached = map[string]bool{}
	}
	for _, u := range units {
		o.reached[u] = o.reached[u] || ok
	}
}

// unreached lists the units whose every send failed.
func (o *outcome) unreached() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []string
	for u, ok := range o.reached {
		if !ok {
			out = append(out, u)
		}
	}
	return out
}

// forgetNudges drops today's nudge marks of units no organiser of which a nudge reached.
func (s *Scheduler) forgetNudges(ctx context.Context, units []string, now time.Time) {
	day := now.In(s.cfg.Calendar.Loc).Format(time.DateOnly)
	for _, u := range units {
		if err := s.cfg.Nudges.ForgetNudge(ctx, u, day); err != nil {
			s.cfg.Log.Warn("reminders: forget nudge", "unit", u, "day", day, "err", err)
		}
	}
}

// nudgeable records n for the units not nudged yet on its day and keeps those, logging the others.
func (s *Scheduler) nudgeable(ctx context.Context, units []string, n flows.Nudge) ([]string, error) {
	day := n.At.In(s.cfg.Calendar.Loc).Format(time.DateOnly)
	var out []string
	for _, u := range units {
		ok, err := s.cfg.Nudges.NudgeOnce(ctx, u, day, n)
		if err != nil {
			return nil, fmt.Errorf("nudge %s: %w", u, err)
		}
		if !ok {
			s.cfg.Log.Info("reminders: unit already nudged today", "unit", u, "day", day)
			continue
		}
		out = append(out, u)
	}
	return out, nil
}

// Plan previews, for the /reminders of admin, the next step of each running ladder and who it
// would reach if it went now (a dry run: nothing is claimed or sent), where each open period's
// reminders stand, and the year's ladder for /calendar. It covers the units admin may see
// (flows.Narrow: everything for a bootstrap admin, their scopes for a tenant's) and their
// organisers and leaders, nobody else.
func (s *Scheduler) Plan(ctx context.Context, now time.Time, admin flows.Person) (*flows.Plan, error) {
	plan := &flows.Plan{Ladder: s.ladder(now.In(s.cfg.Calendar.Loc).Year())}
	var errs []error
	for _, p := range s.periods(now) {
		units := s.seenBy(admin, p)
		if len(units) == 0 {
			continue
		}
		prog, err := s.cfg.Store.Progress(ctx, p.ID, units, s.forms)
		if err != nil {
			errs = append(errs, fmt.Errorf("plan: progress of %s: %w", p.ID, err))
			continue
		}
		for _, digest := range []bool{false, true} {
			st, at, ok := s.cfg.Rules.next(p, digest, now)
			if !ok {
				continue
			}
			next, err := s.planStep(ctx, p, units, prog, stepAt{st, at}, digest)
			errs = append(errs, err)
			plan.Next = append(plan.Next, next...)
		}
		if !now.Before(p.Opens) {
			plan.Periods = append(plan.Periods, s.planPeriod(p, units, prog, now))
		}
	}
	slices.SortStableFunc(plan.Next, func(a, b flows.PlannedReminder) int { return a.At.Compare(b.At) })
	return plan, errors.Join(errs...)
}

// seenBy lists the units of p this schedule runs that admin may see, in directory order.
func (s *Scheduler) seenBy(admin flows.Person, p flows.Period) []string {
	dir := s.cfg.Dir.In(p)
	views := flows.Narrow(admin, dir, flows.View{Node: s.cfg.Root})
	if len(views) == 0 {
		return nil
	}
	var out []string
	for _, n := range dir.ViewUnits(views...) {
		out = append(out, n.ID)
	}
	return out
}

// stepAt is a step and the moment it goes.
type stepAt struct {
	Step
	at time.Time
}

// planPeriod says where the reminders of open period p stand at now, over units.
func (s *Scheduler) planPeriod(p flows.Period, units []string, prog map[string]flows.UnitProgress, now time.Time) flows.PlanPeriod {
	pp := flows.PlanPeriod{Period: p.ID, Units: len(units)}
	for _, u := range units {
		if !s.done(prog[u]) {
			pp.Missing++
		}
	}
	_, pp.Last, _ = s.cfg.Rules.latest(p, false, now)
	_, _, pp.Ahead = s.cfg.Rules.next(p, false, now)
	return pp
}

// planStep lists who step st of p would reach, given where units stand now (prog): their
// organisers, or the leaders whose scopes hold some of them (with those only).
func (s *Scheduler) planStep(ctx context.Context, p flows.Period, units []string, prog map[string]flows.UnitProgress, st stepAt, digest bool) ([]flows.PlannedReminder, error) {
	var out []flows.PlannedReminder
	at := st.at
	if !digest {
		byPerson := s.missing(prog, units)
		for _, id := range sortedKeys(byPerson) {
			out = append(out, flows.PlannedReminder{At: at, Period: p.ID, Step: st.ID, Days: st.Days, Person: id, Units: byPerson[id]})
		}
		return out, nil
	}
	in := make(map[string]bool, len(units))
	for _, u := range units {
		in[u] = true
	}
	ids, err := s.cfg.Store.Leaders(ctx)
	if err != nil {
		return nil, fmt.Errorf("plan: leaders: %w", err)
	}
	leaders, err := s.cfg.Store.People(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("plan: leaders' records: %w", err)
	}
	for _, id := range sortedKeys(leaders) {
		var miss []string
		for _, u := range ScopeUnits(s.cfg.Dir.In(p), leaders[id].Scopes, false) {
			if in[u] && !s.done(prog[u]) {
				miss = append(miss, u)
			}
		}
		if len(miss) > 0 {
			out = append(out, flows.PlannedReminder{At: at, Period: p.ID, Step: st.ID, Days: st.Days, Digest: true, Person: id, Units: miss})
		}
	}
	return out, nil
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
		for _, st := range s.cfg.Rules.StepsFor(p.Kind) {
			if st.Report {
				out = append(out, flows.PlannedStep{Period: p.ID, Step: st.ID, Days: st.Days, At: s.cfg.Rules.When(p, st), Report: true})
			}
		}
	}
	return out
}
