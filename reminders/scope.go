package reminders

import (
	"slices"
	"strings"
	"sync"

	"danvan/flows"
)

// scopes answers "which units does this leader see" from lists worked out once per directory
// view (a period's: flows.Directory.In): for every place, the units at or below it that report
// for the period, in directory order, all of them and per organisation. A leader's units are
// then the lists of the views flows.Narrow gives them (the one scope check), joined: a lookup,
// not a walk of the directory, on every tick and digest.
type scopes struct {
	dir   *flows.Directory
	units []string         // every unit, in directory order
	pos   map[string]int32 // unit → its place in units
	below map[view][]int32 // places and units → the units a view of them covers
	// memo keeps each set of scopes' units: 4,000 leaders share a few thousand sets.
	memo sync.Map
}

type view struct{ node, org string }

// newScopes indexes the units dir sees at or below root ("" for all): each is added to the lists
// of the places above it.
func newScopes(dir *flows.Directory, root string) *scopes {
	x := &scopes{dir: dir, pos: map[string]int32{}, below: map[view][]int32{}}
	for _, n := range dir.Units(root) {
		i := int32(len(x.units))
		x.units = append(x.units, n.ID)
		x.pos[n.ID] = i
		seen := map[string]bool{}
		for cur := n.ID; cur != "" && !seen[cur]; {
			seen[cur] = true
			x.below[view{cur, ""}] = append(x.below[view{cur, ""}], i)
			x.below[view{cur, n.Org}] = append(x.below[view{cur, n.Org}], i)
			p, ok := dir.Node(cur)
			if !ok {
				break
			}
			cur = p.Parent
		}
	}
	return x
}

// of returns the units a view covers, in directory order: a unit view is the unit itself
// whatever its organisation filter (as /missing reads it).
func (x *scopes) of(v flows.View) []int32 {
	if v.Node == "" {
		if v.Org == "" {
			return x.all()
		}
		var out []int32
		for i, u := range x.units {
			if n, _ := x.dir.Node(u); n.Org == v.Org {
				out = append(out, int32(i))
			}
		}
		return out
	}
	if i, ok := x.pos[v.Node]; ok {
		return []int32{i}
	}
	return x.below[view{v.Node, v.Org}]
}

func (x *scopes) all() []int32 {
	out := make([]int32, len(x.units))
	for i := range out {
		out[i] = int32(i)
	}
	return out
}

// lead returns the units a leader with scopes sees, in directory order, each once.
func (x *scopes) lead(sc []string) []int32 {
	key := strings.Join(sc, "\x00")
	if got, ok := x.memo.Load(key); ok {
		return got.([]int32)
	}
	var out []int32
	for _, v := range flows.Narrow(flows.Person{Scopes: sc}, x.dir, flows.View{}) {
		out = append(out, x.of(v)...)
	}
	slices.Sort(out)
	out = slices.Compact(out)
	x.memo.Store(key, out)
	return out
}

// ids turns unit positions into ids.
func (x *scopes) ids(pos []int32) []string {
	out := make([]string, len(pos))
	for i, p := range pos {
		out[i] = x.units[p]
	}
	return out
}
