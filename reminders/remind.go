package reminders

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"danvan/flows"
)

// Remind sends now, to the organisers of e.Units (every unit when empty) who have not submitted
// e.Period, their reminder: an admin's /remind or a leader's "Nhắc tất cả" / "Nhắc ngay". Only
// units of the schedule's Root are reminded (with e.All, within e.Within when set): a schedule
// per tenant takes its own part of e. With e.Nudge a unit is reminded at most once a day; the
// units left out are logged. These sends are outside the ladder and its claims: the dispatcher
// calls Remind once per press. It runs as long as the fan-out takes, so the caller runs it on a
// context of its own, not a chat's.
func (s *Scheduler) Remind(ctx context.Context, e flows.Remind) error {
	now := s.cfg.Now()
	p, ok := s.cfg.Calendar.Period(e.Period)
	if !ok {
		return fmt.Errorf("remind: unknown period %q", e.Period)
	}
	units := s.within(e.Units)
	if e.All {
		units = slices.Clone(s.scopeOf(p).units)
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
	st, err := s.cfg.Survey.Status(ctx, p.ID, units, s.forms)
	if err != nil {
		return fmt.Errorf("remind: status of %s: %w", p.ID, err)
	}
	missing := slices.DeleteFunc(slices.Clone(units), func(u string) bool { return st[u].DoneAll(len(s.forms)) })
	orgs, err := s.cfg.Survey.Organisers(ctx, missing)
	if err != nil {
		return fmt.Errorf("remind: organisers: %w", err)
	}
	byPerson := map[string][]string{}
	for _, u := range missing {
		for _, o := range orgs[u] {
			byPerson[o] = append(byPerson[o], u)
		}
	}
	var out reach
	_, err = s.fanPeople(ctx, sortedKeys(byPerson), func(ctx context.Context, pr flows.Person) (bool, error) {
		err := s.remindNow(ctx, p, pr, byPerson[pr.ID], now)
		s.observeNow(err)
		out.record(byPerson[pr.ID], err == nil)
		if err != nil && !s.cfg.Unreachable(err) {
			return false, fmt.Errorf("remind %s: %w", pr.ID, err)
		}
		return true, nil
	})
	if e.Nudge {
		// A unit none of whose organisers was reached may be nudged again today; one that
		// reached somebody may not, or that person would read the nudge twice.
		s.forgetNudges(ctx, out.unreached(), now)
	}
	return err
}

// remindNow sends pr, outside the ladder and its claims, their reminder of units, read again.
func (s *Scheduler) remindNow(ctx context.Context, p flows.Period, pr flows.Person, units []string, now time.Time) error {
	prog, err := s.cfg.Store.Progress(ctx, p.ID, units, s.forms)
	if err != nil {
		return fmt.Errorf("progress of %s: %w", pr.ID, err)
	}
	still := s.stillMissing(prog, units, pr.ID)
	if len(still) == 0 {
		return nil
	}
	return s.cfg.Sender.Send(ctx, pr, s.reminder(pr, p, now, still, prog))
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

// reach records, per unit, whether a reminder about it reached anybody.
type reach struct {
	mu      sync.Mutex
	reached map[string]bool
}

func (o *reach) record(units []string, ok bool) {
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
func (o *reach) unreached() []string {
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
