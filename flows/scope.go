package flows

import (
	"iter"
	"maps"
	"slices"
	"strings"
)

// View is one part of the directory a figures message or a file shows: the units at or below a
// node ("laichau", "tanphong", a unit; "" for the whole directory, which only Narrow returns)
// of an organisation ("" for all organisations).
type View struct {
	Node string
	Org  string
}

// ParseScope reads a leader scope entry: "laichau" (everything below the node) or
// "laichau@phunu" (one organisation below it).
func ParseScope(s string) View {
	node, org, _ := strings.Cut(s, "@")
	return View{Node: node, Org: org}
}

// String writes v the way Person.Scopes holds it.
func (v View) String() string {
	if v.Org == "" {
		return v.Node
	}
	return v.Node + "@" + v.Org
}

// This file is the one place that decides who may see what. A person holds grants: each admin
// scope (a tenant's admin: a place, often a province's root), each leader scope, and each unit
// they organise (a unit grant covers that unit alone). A bootstrap admin (Person.Admin, named
// in config) holds the whole directory, every tenant. CanSee, CanLead, CanAdmin, Homes and
// Narrow all read the grants through covers, so an admin of one tenant is confined to it as a
// leader is to their scope, whatever they type or press.

// grants yields the parts of the directory p holds a role over: each admin scope, each leader
// scope, then, unless leadOnly, each unit p organises. A bootstrap admin's grant, everything,
// is not among them.
func grants(p Person, leadOnly bool) iter.Seq[View] {
	return func(yield func(View) bool) {
		for _, s := range p.AdminOf {
			if !yield(View{Node: ParseScope(s).Node}) {
				return
			}
		}
		for _, s := range p.Scopes {
			if !yield(ParseScope(s)) {
				return
			}
		}
		if leadOnly {
			return
		}
		for _, u := range p.Units {
			if !yield(View{Node: u}) {
				return
			}
		}
	}
}

// covers reports whether grant g lets its holder read node n filtered to org: n lies at or below
// g's node and, for a grant of one organisation, the filter is that organisation or n is one of
// its units.
func covers(dir *Directory, g View, n Node, org string) bool {
	return g.Node != "" && dir.Within(n.ID, g.Node) && (g.Org == "" || g.Org == org || (n.IsUnit() && n.Org == g.Org))
}

// IsAdmin reports whether p administers something: a bootstrap admin, or a tenant's admin with
// an admin scope. What they administer is CanAdmin's answer.
func IsAdmin(p Person) bool { return p.Admin || len(p.AdminOf) > 0 }

// CanAdmin reports whether p administers node: may invite people to it and run its reminders.
// A bootstrap admin administers every node the directory knows; a tenant's admin the nodes at
// or below their admin scopes.
func CanAdmin(p Person, dir *Directory, node string) bool {
	if _, ok := dir.Node(node); !ok {
		return false
	}
	if p.Admin {
		return true
	}
	for _, s := range p.AdminOf {
		if a := ParseScope(s).Node; a != "" && dir.Within(node, a) {
			return true
		}
	}
	return false
}

// AdminHomes lists the places p administers at the top, in order, none within another: a
// bootstrap admin's roots, a tenant admin's scopes the directory still knows.
func AdminHomes(p Person, dir *Directory) []string {
	if p.Admin {
		return dir.Children("")
	}
	var views []View
	for _, s := range p.AdminOf {
		if v := (View{Node: ParseScope(s).Node}); CanAdmin(p, dir, v.Node) && !slices.Contains(views, v) {
			views = append(views, v)
		}
	}
	var out []string
	for _, v := range dedupeViews(dir, views) {
		out = append(out, v.Node)
	}
	return out
}

// CanSee reports whether p may read the figures of view v: bootstrap admins everything, a
// tenant's admins what their admin scopes cover, leaders what their scopes cover (an organisation-wide scope only with that organisation's filter, or a
// unit of that organisation), organisers their own units. Every figures command and every
// button press asks it again, since button data can be forged.
func CanSee(p Person, dir *Directory, v View) bool { return may(p, dir, v, false) }

// CanLead is CanSee without the organiser's own units: what may be returned for correction or
// nudged is decided by a leader's or admin's scope, never by being one of a unit's organisers.
func CanLead(p Person, dir *Directory, v View) bool { return may(p, dir, v, true) }

func may(p Person, dir *Directory, v View, leadOnly bool) bool {
	n, ok := dir.Node(v.Node)
	if !ok || (v.Org != "" && !knownOrg(dir, v.Org)) {
		return false
	}
	if p.Admin {
		return true
	}
	for g := range grants(p, leadOnly) {
		if covers(dir, g, n, v.Org) {
			return true
		}
	}
	return false
}

func knownOrg(dir *Directory, id string) bool {
	_, ok := dir.Org(id)
	return ok
}

// Homes lists the views a person starts from, in order: a bootstrap admin's roots, a tenant
// admin's and a leader's scopes the directory still knows, an organiser's own units, leaving out any another one covers (a
// leader's own unit within the scope). Empty means nothing to read.
func Homes(p Person, dir *Directory) []View {
	var out []View
	add := func(v View) {
		if !slices.Contains(out, v) && CanSee(p, dir, v) {
			out = append(out, v)
		}
	}
	if p.Admin {
		for _, r := range dir.Children("") {
			add(View{Node: r})
		}
	}
	for g := range grants(p, false) {
		add(g)
	}
	return dedupeViews(dir, out)
}

// Narrow cuts request r down to what p may see: r.Node "" asks for the whole directory, r.Org ""
// for every organisation. A bootstrap admin sees r itself; anyone else sees r within each of their
// grants (the deeper node, the one organisation), none covered by another, so no unit counts
// twice. It returns nil when p may see none of it or r names a node or organisation the
// directory does not know. Files ask it; every view it returns is one CanSee allows. A tenant's
// admin is "anyone else" here: their admin scopes are grants like a leader's.
func Narrow(p Person, dir *Directory, r View) []View {
	if _, ok := dir.Node(r.Node); (r.Node != "" && !ok) || (r.Org != "" && !knownOrg(dir, r.Org)) {
		return nil
	}
	if p.Admin {
		return []View{r}
	}
	var out []View
	for g := range grants(p, false) {
		if v, ok := narrow(dir, g, r); ok {
			out = append(out, v)
		}
	}
	return dedupeViews(dir, out)
}

// narrow intersects grant g with request r: the deeper node, the one organisation.
func narrow(dir *Directory, g, r View) (View, bool) {
	v := g
	switch {
	case r.Node == "" || dir.Within(g.Node, r.Node):
		// A request at or above the grant covers it: the grant is what is seen.
	case dir.Within(r.Node, g.Node):
		v.Node = r.Node
	default:
		return View{}, false
	}
	if r.Org != "" {
		v.Org = r.Org
	}
	n, ok := dir.Node(v.Node)
	if !ok || !covers(dir, g, n, v.Org) || (n.IsUnit() && v.Org != "" && n.Org != v.Org) {
		return View{}, false
	}
	return v, true
}

// dedupeViews drops views another one already covers, so no unit is counted twice.
func dedupeViews(dir *Directory, vs []View) []View {
	var out []View
	for i, v := range vs {
		covered := false
		for j, w := range vs {
			if i == j || !dir.Within(v.Node, w.Node) || (w.Org != "" && w.Org != v.Org && !unitOf(dir, v.Node, w.Org)) {
				continue
			}
			// w covers v; of two equal views keep the first.
			if v != w || j < i {
				covered = true
				break
			}
		}
		if !covered {
			out = append(out, v)
		}
	}
	return out
}

// unitOf reports whether node is a unit of org.
func unitOf(dir *Directory, node, org string) bool {
	n, ok := dir.Node(node)
	return ok && n.IsUnit() && n.Org == org
}

// ViewUnits returns the units this directory view sees that views cover, each once, in
// directory order. A view of node "" covers the whole directory. It walks the view's units once,
// each up its places, whatever the number of views: an admin's /missing covers 34 provinces of
// 20,000 units.
func (d *Directory) ViewUnits(views ...View) []Node {
	var out []Node
	d.coveredUnits(views, false, func(i, _ int) { out = append(out, d.nodes[i]) })
	return out
}

// coveredUnits calls fn, in directory order, with the index in d.nodes of each unit this view
// sees that some of views covers, and the index of the first of them that does. With anyOrg, a
// view of a unit covers it whatever its organisation filter.
func (d *Directory) coveredUnits(views []View, anyOrg bool, fn func(node, view int)) {
	at := map[string][]int{}
	for i, v := range views {
		at[v.Node] = append(at[v.Node], i)
	}
	for _, idx := range d.lay.list {
		n := d.nodes[idx]
		first := -1
		// NewDirectory refused cycles: the walk ends at the root ("") within len(nodes) steps.
		for cur, steps := n.ID, 0; steps <= len(d.nodes); steps++ {
			for _, i := range at[cur] {
				if v := views[i]; (v.Org == "" || v.Org == n.Org || anyOrg && cur == n.ID) && (first < 0 || i < first) {
					first = i
				}
			}
			if cur == "" {
				break
			}
			cur = d.nodes[d.node[cur]].Parent
		}
		if first >= 0 {
			fn(idx, first)
		}
	}
}

// ChildPlaces lists the places this view sees directly below node ("" for the roots), in
// directory order.
func (d *Directory) ChildPlaces(node string) []string {
	var out []string
	for _, c := range d.lay.kids[node] {
		if n, _ := d.Node(c); !n.IsUnit() {
			out = append(out, c)
		}
	}
	return out
}

// ScopeLabel names a scope entry for people: "Thành phố Lai Châu" or "Hội LHPN · Thành phố
// Lai Châu".
func ScopeLabel(dir *Directory, s string, lang Lang) string {
	v := ParseScope(s)
	label := dir.Label(v.Node, lang)
	if o, ok := dir.Org(v.Org); ok {
		return o.Short.In(lang) + " · " + label
	}
	return label
}

// unitCounts returns, for each of nodes, the units at or below it per organisation and in total
// (under AllOrgs): the denominators of a figures view, its own node's and each child's. The
// directory counted them once, so this costs the number of nodes asked for.
func unitCounts(dir *Directory, nodes []string) map[string]map[string]int {
	out := make(map[string]map[string]int, len(nodes))
	for _, n := range nodes {
		out[n] = maps.Clone(dir.lay.units[n])
		if out[n] == nil {
			out[n] = map[string]int{}
		}
	}
	return out
}
