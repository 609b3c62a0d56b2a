package reminders

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"danvan/flows"
)

// This file is the push that ends a period's ladder: at its report step (Step.Report, after the
// last digest) every leader gets, once, the chart of their scope and the draft of the written
// report, each under the claims of any reminder. The replies carry an Attach only: the Sender
// (the bot's router) renders the files through its own port, so this package knows neither
// files nor transports.

// chartSuffix makes the chart's claim of a report step its own: the chart and the draft go out
// once each, and a failed one is tried again without sending the other twice. One replica sends
// the chart first; with several, the draft may come first (another holds the chart's claim).
const chartSuffix = "/chart"

// reportStep returns the report step due at now for p: the latest one whose moment has come,
// while p is open.
func (r Rules) reportStep(p flows.Period, now time.Time) (Step, bool) {
	if !now.Before(p.Closes) {
		return Step{}, false
	}
	var best Step
	var bestAt time.Time
	found := false
	for _, s := range r.StepsFor(p.Kind) {
		if at := r.When(p, s); s.Report && !at.After(now) && (!found || !at.Before(bestAt)) {
			best, bestAt, found = s, at, true
		}
	}
	return best, found
}

// pushReports sends step st of p to every leader with a unit in scope (of the schedule's Root)
// who has not had it: the chart of the first indicator the period measures, then the report
// draft. Who had each is one read of its sent set.
func (s *Scheduler) pushReports(ctx context.Context, p flows.Period, st Step) (outcome, error) {
	ids, err := s.cfg.Store.Leaders(ctx)
	if err != nil {
		return outcome{}, fmt.Errorf("leaders: %w", err)
	}
	ind, chart := s.pushIndicator(p)
	chartStep := Step{ID: st.ID + chartSuffix}
	hadChart, err := s.cfg.Steps.Reached(ctx, p.ID, s.claimStep(chartStep))
	if err != nil {
		return outcome{}, fmt.Errorf("who had %s of %s: %w", chartStep.ID, p.ID, err)
	}
	hadDoc, err := s.cfg.Steps.Reached(ctx, p.ID, s.claimStep(st))
	if err != nil {
		return outcome{}, fmt.Errorf("who had %s of %s: %w", st.ID, p.ID, err)
	}
	ids = slices.DeleteFunc(slices.Sorted(slices.Values(ids)), func(id string) bool { return hadDoc[id] && (hadChart[id] || !chart) })
	x := s.scopeOf(p)
	settled, err := s.fanPeople(ctx, ids, func(ctx context.Context, pr flows.Person) (bool, error) {
		if len(x.lead(pr.Scopes)) == 0 {
			return true, nil
		}
		done := true
		if chart && !hadChart[pr.ID] {
			a := &flows.Attachment{Kind: flows.ChartFile, Period: p.ID, Indicator: ind.ID, By: "node"}
			ok, err := s.once(ctx, p, chartStep, pr, func() (flows.Reply, bool, error) { return s.pushReply(pr, p, "push_chart", a), true, nil })
			if err != nil {
				return false, err
			}
			done = ok
		}
		if hadDoc[pr.ID] {
			return done, nil
		}
		a := &flows.Attachment{Kind: flows.DocFile, Period: p.ID}
		ok, err := s.once(ctx, p, st, pr, func() (flows.Reply, bool, error) { return s.pushReply(pr, p, "push_docx", a), true, nil })
		return done && ok, err
	})
	return outcome{settled: settled}, err
}

// pushReply is a pushed file's caption, in the leader's language, with the attachment to render:
// the leader's whole scope (Node ""), as their own /baocao would make it.
func (s *Scheduler) pushReply(pr flows.Person, p flows.Period, key string, a *flows.Attachment) flows.Reply {
	l := lang(pr)
	scopes := make([]string, len(pr.Scopes))
	for i, sc := range pr.Scopes {
		scopes[i] = flows.ScopeLabel(s.cfg.Dir, sc, l)
	}
	return flows.Reply{Text: flows.TFor(pr, l, key, p.Label(l), strings.Join(scopes, "; "), p.ID), Attach: a}
}

// pushIndicator is the indicator the push charts: the first with a target whose figures the
// period's forms ask, of the plan in force in the period's year when the schedule has Plans.
func (s *Scheduler) pushIndicator(p flows.Period) (flows.Indicator, bool) {
	inds := s.cfg.Indicators
	if len(s.cfg.Plans) > 0 {
		inds = flows.Tenant{Plans: s.cfg.Plans}.Indicators(p)
	}
	for _, ind := range inds {
		for _, f := range s.cfg.Forms {
			if !ind.Info && flows.Measures(ind, f, p.Kind) {
				return ind, true
			}
		}
	}
	return flows.Indicator{}, false
}
