package reminders

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"danvan/flows"
)

// digestList is how many units, places or people one section of a digest names; the rest are
// counted, and the attached file has them all.
const digestList = 10

// maxDigest is the longest digest text, in characters: one message on every platform.
const maxDigest = 4000

// digests sends step st of period p to every leader whose scope has a unit missing or late and
// who has not had it. Where units stand is read once for the whole directory; each leader's
// units are a lookup in the index of the period's directory.
func (s *Scheduler) digests(ctx context.Context, p flows.Period, st Step) (outcome, error) {
	ids, err := s.cfg.Store.Leaders(ctx)
	if err != nil {
		return outcome{}, fmt.Errorf("leaders: %w", err)
	}
	reached, err := s.cfg.Steps.Reached(ctx, p.ID, s.claimStep(st))
	if err != nil {
		return outcome{}, fmt.Errorf("who had %s of %s: %w", st.ID, p.ID, err)
	}
	ids = slices.DeleteFunc(slices.Sorted(slices.Values(ids)), func(id string) bool { return reached[id] })
	if len(ids) == 0 {
		return outcome{settled: true}, nil
	}
	c, err := s.census(ctx, p)
	if err != nil {
		return outcome{}, err
	}
	un := &unreachables{}
	settled, err := s.fanPeople(ctx, ids, func(ctx context.Context, pr flows.Person) (bool, error) {
		pos := c.x.lead(pr.Scopes)
		if !c.anyMissingOrLate(pos) {
			return true, nil
		}
		return s.once(ctx, p, st, pr, func() (flows.Reply, bool, error) {
			return s.digest(ctx, pr, p, pos, c, un)
		})
	})
	return outcome{settled: settled}, err
}

// anyMissingOrLate reports whether a unit at pos has not reported, or reported late.
func (c *census) anyMissingOrLate(pos []int32) bool {
	return slices.ContainsFunc(pos, func(i int32) bool { return !c.done(i) || c.late(i) })
}

// digest builds a leader's digest of the units at pos: how many reported, a breakdown by place
// or organisation with the ten furthest behind, the units missing, late and whose organisers
// cannot be reached (ten of each, counted in full), and the full list as a spreadsheet. It says
// nothing (false) when all is in on time.
func (s *Scheduler) digest(ctx context.Context, pr flows.Person, p flows.Period, pos []int32, c *census, un *unreachables) (flows.Reply, bool, error) {
	missing := c.missing(pos)
	late := slices.DeleteFunc(slices.Clone(pos), func(i int32) bool { return !c.late(i) })
	if len(missing) == 0 && len(late) == 0 {
		return flows.Reply{}, false, nil
	}
	unreach, err := un.load(ctx, s, c)
	if err != nil {
		return flows.Reply{}, false, err
	}
	l := lang(pr)
	lines := []string{flows.T(l, "dg_head", p.Label(l), p.Due.Format("02/01/2006"), len(pos)-len(missing), len(pos))}
	if len(pos) > digestList {
		lines = append(lines, s.breakdown(l, pr.Scopes, pos, c)...)
	}
	lines = s.section(lines, l, "dg_missing", s.labels(l, c, missing))
	lines = s.section(lines, l, "dg_late", s.labels(l, c, late))
	lines = s.section(lines, l, "dg_unreach", unreach.named(l, s, c, missing))
	r := flows.Reply{}
	if len(missing) > 0 {
		r.Buttons = [][]flows.Button{{unbound(flows.T(l, "rm_btn_all"), ActAll, p.ID)}}
	}
	// The full list goes as the workbook /export makes, over the leader's scope: the Sender
	// (the bot's router) renders it.
	r.Attach = &flows.Attachment{Kind: flows.SheetFile, Period: p.ID}
	lines = append(lines, flows.T(l, "dg_file"))
	r.Text = cutText(strings.Join(lines, "\n"), maxDigest)
	return r, true, nil
}

// labels names the units at pos.
func (s *Scheduler) labels(l flows.Lang, c *census, pos []int32) []string {
	out := make([]string, len(pos))
	for i, p := range pos {
		out[i] = s.cfg.Dir.Label(c.x.units[p], l)
	}
	return out
}

// section appends a titled list (its full count in the title) of its first digestList items
// and how many more there are, unless it is empty.
func (s *Scheduler) section(lines []string, l flows.Lang, key string, items []string) []string {
	if len(items) == 0 {
		return lines
	}
	lines = append(lines, flows.T(l, key, len(items)))
	for _, it := range items[:min(len(items), digestList)] {
		lines = append(lines, "• "+it)
	}
	if len(items) > digestList {
		lines = append(lines, flows.T(l, "dg_more", len(items)-digestList))
	}
	return lines
}

// cutText shortens s to n characters.
func cutText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// unreachables are the organisers of the missing units who blocked the bot, read once per
// digest step, when the first digest that has missing units is built.
type unreachables struct {
	once   sync.Once
	byUnit map[string][]flows.Person
	err    error
}

// load reads, once, the organisers of every missing unit of c and keeps those unreachable.
func (u *unreachables) load(ctx context.Context, s *Scheduler, c *census) (*unreachables, error) {
	u.once.Do(func() {
		u.byUnit = map[string][]flows.Person{}
		units := c.x.ids(c.missing(nil))
		orgs, err := s.cfg.Survey.Organisers(ctx, units)
		if err != nil {
			u.err = fmt.Errorf("organisers of missing units: %w", err)
			return
		}
		seen := map[string]bool{}
		var ids []string
		for _, u := range units {
			for _, id := range orgs[u] {
				if !seen[id] {
					seen[id] = true
					ids = append(ids, id)
				}
			}
		}
		people := map[string]flows.Person{}
		for lo := 0; lo < len(ids); lo += peopleChunk {
			got, err := s.cfg.Store.People(ctx, ids[lo:min(lo+peopleChunk, len(ids))])
			if err != nil {
				u.err = fmt.Errorf("organisers of missing units: %w", err)
				return
			}
			for id, p := range got {
				if p.Unreachable {
					people[id] = p
				}
			}
		}
		for _, unit := range units {
			for _, id := range orgs[unit] {
				if p, ok := people[id]; ok {
					u.byUnit[unit] = append(u.byUnit[unit], p)
				}
			}
		}
	})
	return u, u.err
}

// named lists "name (unit)" for the unreachable organisers of the units at pos, each once.
func (u *unreachables) named(l flows.Lang, s *Scheduler, c *census, pos []int32) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range pos {
		unit := c.x.units[p]
		for _, o := range u.byUnit[unit] {
			item := cmpOr(o.Name, o.ID) + " (" + s.cfg.Dir.Label(unit, l) + ")"
			if !seen[item] {
				seen[item] = true
				out = append(out, item)
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
