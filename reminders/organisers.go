package reminders

import (
	"context"
	"fmt"
	"slices"
	"time"

	"danvan/flows"
)

// SnoozeStep is the step id of the reminder a snooze brings back the next day.
const SnoozeStep = "snooze"

// organisers sends step st of period p (going at at) to every organiser with a unit still
// missing who has not had it. Who is missing is read for every unit at once; who had the step
// is one read of its sent set; the snoozes one read. A snooze holds everything back until the
// first allowed moment of the day after it, then sends one reminder of its own (step "snooze")
// in place of the steps it held back.
func (s *Scheduler) organisers(ctx context.Context, p flows.Period, st Step, at, now time.Time) (outcome, error) {
	c, err := s.census(ctx, p)
	if err != nil {
		return outcome{}, err
	}
	byPerson, err := s.byPerson(ctx, c, c.missing(nil))
	if err != nil {
		return outcome{}, fmt.Errorf("people to remind for %s: %w", p.ID, err)
	}
	d, err := s.decide(ctx, p, st, at, now, byPerson)
	if err != nil {
		return outcome{}, err
	}
	if len(d.due) > 0 {
		s.cfg.Log.Info("reminders: step", "period", p.ID, "step", st.ID, "people", len(d.due),
			"finish", s.fanout(slices.Values(d.due)).Takes().Round(time.Second))
	}
	settled, err := s.fanPeople(ctx, d.due, func(ctx context.Context, pr flows.Person) (bool, error) {
		return s.remindOne(ctx, p, d.step[pr.ID], pr, byPerson[pr.ID], now)
	})
	return outcome{settled: settled, wake: d.wake}, err
}

// decision is who a step goes to now, with which step id, and when a snooze holding someone
// back runs out (wake; zero for none).
type decision struct {
	due  []string
	step map[string]Step
	wake time.Time
}

// decide picks, of the organisers byPerson names, those step st should go to now: not snoozed
// past now, and not had it (or, back from a snooze, not had the snooze's reminder).
func (s *Scheduler) decide(ctx context.Context, p flows.Period, st Step, at, now time.Time, byPerson map[string][]string) (decision, error) {
	d := decision{step: map[string]Step{}}
	if len(byPerson) == 0 {
		return d, nil
	}
	snoozed, err := s.cfg.Snoozes.Snoozed(ctx, p.ID)
	if err != nil {
		return d, fmt.Errorf("snoozes of %s: %w", p.ID, err)
	}
	reached := map[string]map[string]bool{}
	for _, id := range sortedKeys(byPerson) {
		step := st
		if until, ok := snoozed[id]; ok {
			back := s.cfg.Rules.Allowed(until.In(s.cfg.Calendar.Loc))
			if now.Before(back) {
				if d.wake.IsZero() || back.Before(d.wake) {
					d.wake = back
				}
				continue
			}
			if !at.After(back) {
				step = Step{ID: SnoozeStep}
			}
		}
		if reached[step.ID] == nil {
			if reached[step.ID], err = s.cfg.Steps.Reached(ctx, p.ID, s.claimStep(step)); err != nil {
				return d, fmt.Errorf("who had %s of %s: %w", step.ID, p.ID, err)
			}
		}
		if !reached[step.ID][id] {
			d.due = append(d.due, id)
			d.step[id] = step
		}
	}
	return d, nil
}

// remindOne sends one organiser their reminder for step st, once: it claims, reads the units
// again (a unit that submitted meanwhile is left out) and marks the claim done.
func (s *Scheduler) remindOne(ctx context.Context, p flows.Period, st Step, pr flows.Person, units []string, now time.Time) (bool, error) {
	return s.once(ctx, p, st, pr, func() (flows.Reply, bool, error) {
		prog, err := s.cfg.Store.Progress(ctx, p.ID, units, s.forms)
		if err != nil {
			return flows.Reply{}, false, fmt.Errorf("progress of %s: %w", pr.ID, err)
		}
		still := s.stillMissing(prog, units, pr.ID)
		if len(still) == 0 {
			return flows.Reply{}, false, nil
		}
		return s.reminder(pr, p, now, still, prog), true, nil
	})
}

// stillMissing lists the units of prog, in the order of units, that person still organises and
// that have not submitted every form, returned ones included.
func (s *Scheduler) stillMissing(prog map[string]flows.UnitProgress, units []string, person string) []string {
	var out []string
	for _, u := range units {
		up, ok := prog[u]
		if ok && !s.done(up) && slices.Contains(up.Organisers, person) {
			out = append(out, u)
		}
	}
	return out
}

// done reports whether a unit has a current, not returned, submission of every form.
func (s *Scheduler) done(up flows.UnitProgress) bool {
	for _, f := range s.forms {
		if !up.Done(f) {
			return false
		}
	}
	return true
}
