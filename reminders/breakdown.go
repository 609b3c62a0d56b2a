package reminders

import (
	"cmp"
	"maps"
	"slices"

	"danvan/flows"
)

// group is a part of a leader's scope a digest counts on its own: a place directly below the
// scope's node, or an organisation where the units hang directly below it, or, for a leader
// of several scopes, each scope.
type group struct {
	label             string
	org               bool
	total, done, late int
}

// breakdown is a digest's counts by place or organisation: how many groups still have units to
// report, and the ten furthest behind, the largest share missing first.
func (s *Scheduler) breakdown(l flows.Lang, scopes []string, pos []int32, c *census) []string {
	views := flows.Narrow(flows.Person{Scopes: scopes}, c.x.dir, flows.View{})
	gs := map[string]*group{}
	for _, i := range pos {
		key, g := s.groupOf(views, c.x.units[i], l)
		if gs[key] == nil {
			gs[key] = &g
		}
		gs[key].total++
		if c.done(i) {
			gs[key].done++
		}
		if c.late(i) {
			gs[key].late++
		}
	}
	if len(gs) < 2 {
		return nil
	}
	var behind []*group
	orgs := true
	for _, k := range slices.Sorted(maps.Keys(gs)) {
		g := gs[k]
		orgs = orgs && g.org
		if g.done < g.total {
			behind = append(behind, g)
		}
	}
	slices.SortStableFunc(behind, func(a, b *group) int {
		// a's missing share above b's: (ta-da)/ta > (tb-db)/tb, in whole numbers.
		if d := cmp.Compare((b.total-b.done)*a.total, (a.total-a.done)*b.total); d != 0 {
			return d
		}
		return cmp.Compare(b.total-b.done, a.total-a.done)
	})
	title := "dg_by_place"
	if orgs {
		title = "dg_by_org"
	}
	lines := []string{flows.T(l, title, len(behind), len(gs))}
	for _, g := range behind[:min(len(behind), digestList)] {
		line := flows.T(l, "dg_group", g.label, g.done, g.total)
		if g.late > 0 {
			line += flows.T(l, "dg_group_late", g.late)
		}
		lines = append(lines, line)
	}
	if len(behind) > digestList {
		lines = append(lines, flows.T(l, "dg_more", len(behind)-digestList))
	}
	return lines
}

// groupOf says which group of a leader's views unit counts in.
func (s *Scheduler) groupOf(views []flows.View, unit string, l flows.Lang) (string, group) {
	dir := s.cfg.Dir
	n, _ := dir.Node(unit)
	if len(views) != 1 {
		for _, v := range views {
			if dir.Within(unit, v.Node) && (v.Org == "" || v.Org == n.Org) {
				return "v:" + v.String(), group{label: flows.ScopeLabel(dir, v.String(), l)}
			}
		}
		return "u:", group{label: "…"}
	}
	top := views[0].Node
	for cur := unit; cur != ""; {
		node, ok := dir.Node(cur)
		if !ok {
			break
		}
		if node.Parent == top && cur != unit {
			return "n:" + cur, group{label: dir.Label(cur, l)}
		}
		cur = node.Parent
	}
	label := n.Org
	if o, ok := dir.Org(n.Org); ok {
		label = o.Short.In(l)
	}
	return "o:" + n.Org, group{label: label, org: true}
}
