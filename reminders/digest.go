package reminders

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"danvan/flows"
)

// ScopeUnits returns the units a leader with scopes sees, in directory order, as flows decides
// it (flows.Narrow): a scope is a node id ("tanphong") or a node id and an organisation
// ("laichau@phunu"). admin sees every unit. Hand it dir.In(period) for the units of one period.
func ScopeUnits(dir *flows.Directory, scopes []string, admin bool) []string {
	views := flows.Narrow(flows.Person{Scopes: scopes, Admin: admin}, dir, flows.View{})
	if len(views) == 0 {
		return nil
	}
	units := dir.ViewUnits(views...)
	out := make([]string, len(units))
	for i, n := range units {
		out[i] = n.ID
	}
	return out
}

// digests sends step st of period p to every leader whose scope has a unit missing or late.
// Everything is read at send time, so a late report that came in since the last digest shows.
func (s *Scheduler) digests(ctx context.Context, p flows.Period, st Step) error {
	ids, err := s.cfg.Store.Leaders(ctx)
	if err != nil {
		return fmt.Errorf("leaders: %w", err)
	}
	leaders, err := s.cfg.Store.People(ctx, ids)
	if err != nil {
		return fmt.Errorf("leaders' records: %w", err)
	}
	return s.fan(ctx, sortedKeys(leaders), func(ctx context.Context, id string) error {
		pr := leaders[id]
		units := s.within(ScopeUnits(s.cfg.Dir.In(p), pr.Scopes, false))
		if pr.Unreachable || len(units) == 0 {
			return nil
		}
		return s.once(ctx, p, st, pr, func() (flows.Reply, bool, error) {
			return s.digest(ctx, pr, p, units)
		})
	})
}

// digest builds a leader's digest of units: who has not reported, who reported late, and which
// organisers of missing units cannot be reached. It says nothing (false) when all is on time.
func (s *Scheduler) digest(ctx context.Context, pr flows.Person, p flows.Period, units []string) (flows.Reply, bool, error) {
	prog, err := s.cfg.Store.Progress(ctx, p.ID, units, s.forms)
	if err != nil {
		return flows.Reply{}, false, fmt.Errorf("progress of %s: %w", p.ID, err)
	}
	var missing, late []string
	var orgIDs []string
	for _, u := range units {
		up := prog[u]
		switch {
		case !s.done(up):
			missing = append(missing, u)
			orgIDs = append(orgIDs, up.Organisers...)
		case s.late(up, p):
			late = append(late, u)
		}
	}
	if len(missing) == 0 && len(late) == 0 {
		return flows.Reply{}, false, nil
	}
	orgs, err := s.cfg.Store.People(ctx, orgIDs)
	if err != nil {
		return flows.Reply{}, false, fmt.Errorf("organisers of %s: %w", p.ID, err)
	}
	l := lang(pr)
	lines := []string{flows.T(l, "dg_head", p.Label(l), p.Due.Format("02/01/2006"), len(units)-len(missing), len(units))}
	lines = s.section(lines, l, "dg_missing", missing)
	lines = s.section(lines, l, "dg_late", late)
	lines = s.section(lines, l, "dg_unreach", s.unreachable(l, missing, prog, orgs))
	r := flows.Reply{Text: strings.Join(lines, "\n")}
	if len(missing) > 0 {
		r.Buttons = [][]flows.Button{{unbound(flows.T(l, "rm_btn_all"), ActAll, p.ID)}}
	}
	return r, true, nil
}

// late reports whether a unit's current submission of some form came after the due time.
func (s *Scheduler) late(up flows.UnitProgress, p flows.Period) bool {
	for _, sub := range up.Subs {
		if sub != nil && sub.Late(p.Due) {
			return true
		}
	}
	return false
}

// section appends a titled list of units (or already labelled lines) unless it is empty.
func (s *Scheduler) section(lines []string, l flows.Lang, key string, items []string) []string {
	if len(items) == 0 {
		return lines
	}
	lines = append(lines, flows.T(l, key, len(items)))
	for _, it := range items {
		if _, ok := s.cfg.Dir.Node(it); ok {
			it = s.cfg.Dir.Label(it, l)
		}
		lines = append(lines, "• "+it)
	}
	return lines
}

// unreachable lists "name (unit)" for the organisers of missing units who blocked the bot.
func (s *Scheduler) unreachable(l flows.Lang, missing []string, prog map[string]flows.UnitProgress, orgs map[string]flows.Person) []string {
	var out []string
	for _, u := range missing {
		for _, id := range prog[u].Organisers {
			if o, ok := orgs[id]; ok && o.Unreachable {
				item := cmpOr(o.Name, o.ID) + " (" + s.cfg.Dir.Label(u, l) + ")"
				if !slices.Contains(out, item) {
					out = append(out, item)
				}
			}
		}
	}
	return out
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
