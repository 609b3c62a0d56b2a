package reminders

import (
	"context"
	"fmt"
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

// pushReports sends step st of p to every leader with a unit in scope (of the schedule's Root):
// the chart of the first indicator the period measures, then the report draft.
func (s *Scheduler) pushReports(ctx context.Context, p flows.Period, st Step) error {
	ids, err := s.cfg.Store.Leaders(ctx)
	if err != nil {
		return fmt.Errorf("leaders: %w", err)
	}
	leaders, err := s.cfg.Store.People(ctx, ids)
	if err != nil {
		return fmt.Errorf("leaders' records: %w", err)
	}
	ind, chart := s.pushIndicator(p)
	return s.fan(ctx, sortedKeys(leaders), func(ctx context.Context, id string) error {
		pr := leaders[id]
		if pr.Unreachable || len(s.within(ScopeUnits(s.cfg.Dir, pr.Scopes, false))) == 0 {
			return nil
		}
		if chart {
			a := &flows.Attachment{Kind: flows.ChartFile, Period: p.ID, Indicator: ind.ID, By: "node"}
			if err := s.pushOnce(ctx, p, Step{ID: st.ID + chartSuffix}, pr, s.pushReply(pr, p, "push_chart", a)); err != nil {
				return err
			}
		}
		a := &flows.Attachment{Kind: flows.DocFile, Period: p.ID}
		return s.pushOnce(ctx, p, st, pr, s.pushReply(pr, p, "push_docx", a))
	})
}

// pushOnce sends r to pr under the claim of (p, st, pr), unless this process knows it went.
func (s *Scheduler) pushOnce(ctx context.Context, p flows.Period, st Step, pr flows.Person, r flows.Reply) error {
	if _, sent := s.sent.Load(p.ID + "|" + s.claimStep(st) + "|" + pr.ID); sent {
		return nil
	}
	return s.once(ctx, p, st, pr, func() (flows.Reply, bool, error) { return r, true, nil })
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
