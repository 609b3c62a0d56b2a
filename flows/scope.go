package flows

import (
	"maps"
	"slices"
	"strings"
)

// View is one part of the directory a figures message shows: a node ("laichau", "tanphong",
// or a unit) and an organisation filter ("" for all organisations).
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

// CanSee reports whether p may read the figures of view v: admins everything, leaders what
// their scopes cover (an organisation-wide scope only with that organisation's filter, or a
// unit of that organisation), organisers their own units. Every figures command and every
// button press asks it again, since button data can be forged.
func CanSee(p Person, dir *Directory, v View) bool {
	n, ok := dir.Node(v.Node)
	if !ok || (v.Org != "" && !knownOrg(dir, v.Org)) {
		return false
	}
	if n.IsUnit() && p.Organises(n.ID) {
		return true
	}
	return CanLead(p, dir, v)
}

// CanLead is CanSee without the organiser's own units: what may be returned for correction or
// nudged is decided by a leader's scope (or admin), never by being one of a unit's organisers.
func CanLead(p Person, dir *Directory, v View) bool {
	n, ok := dir.Node(v.Node)
	if !ok || (v.Org != "" && !knownOrg(dir, v.Org)) {
		return false
	}
	if p.Admin {
		return true
	}
	for _, s := range p.Scopes {
		sc := ParseScope(s)
		if sc.Node == "" || !dir.Within(n.ID, sc.Node) {
			continue
		}
		if sc.Org == "" || sc.Org == v.Org || (n.IsUnit() && n.Org == sc.Org) {
			return true
		}
	}
	return false
}

func knownOrg(dir *Directory, id string) bool {
	_, ok := dir.Org(id)
	return ok
}

// Homes lists the views a person starts from, in order: an admin's roots, a leader's scopes
// the directory still knows, an organiser's own units. Empty means nothing to read.
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
	for _, s := range p.Scopes {
		add(ParseScope(s))
	}
	for _, u := range p.Units {
		add(View{Node: u})
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

// viewUnits returns the units a view covers, in directory order.
func viewUnits(dir *Directory, v View) []Node {
	var out []Node
	for _, n := range dir.Units(v.Node) {
		if v.Org == "" || n.Org == v.Org {
			out = append(out, n)
		}
	}
	return out
}

// unitCounts returns, for each of nodes, the units at or below it per organisation and in total
// (under AllOrgs): the denominators of a figures view, its own node's and each child's. The
// directory counted them once, so this costs the number of nodes asked for.
func unitCounts(dir *Directory, nodes []string) map[string]map[string]int {
	out := make(map[string]map[string]int, len(nodes))
	for _, n := range nodes {
		out[n] = maps.Clone(dir.units[n])
		if out[n] == nil {
			out[n] = map[string]int{}
		}
	}
	return out
}
