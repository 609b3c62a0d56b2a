package flows

import (
	"fmt"
	"slices"
	"sort"
)

// Org is one mass organisation (Fatherland Front, Youth Union, ...). A unit is an Org in a place.
type Org struct {
	ID    string `yaml:"id" json:"id"`
	Short Text   `yaml:"short" json:"short"` // "Hội LHPN": fits on a button
	Name  Text   `yaml:"name" json:"name"`
}

// Node is one entry of the directory: a place (Org empty) or a reporting unit (Org set). Places
// nest to any depth through Parent; units hang below a place.
//
// Since the 2025 merger of communes the directory has history: a node is in force from
// ValidFrom to ValidTo (both days included, either open when unset, and never beyond its
// parent's), and MergedFrom names the nodes it replaced. A node that ended stays in the
// directory for ever, so what it reported keeps its name.
type Node struct {
	ID     string `yaml:"id" json:"id"`
	Name   Text   `yaml:"name" json:"name"`
	Parent string `yaml:"parent,omitempty" json:"parent,omitempty"`
	Org    string `yaml:"org,omitempty" json:"org,omitempty"`
	// Code is the official code (the statistics office's for a place) where known.
	Code       string   `yaml:"code,omitempty" json:"code,omitempty"`
	ValidFrom  Date     `yaml:"valid_from,omitempty" json:"valid_from,omitempty"`
	ValidTo    Date     `yaml:"valid_to,omitempty" json:"valid_to,omitempty"`
	MergedFrom []string `yaml:"merged_from,omitempty" json:"merged_from,omitempty"`
}

// IsUnit reports whether n is a reporting unit rather than a place.
func (n Node) IsUnit() bool { return n.Org != "" }

// Directory is the tree of places and units the admin keeps in a file. It is data, never code:
// since the 2025 merger of communes the tree changes and has any depth.
//
// A Directory built by NewDirectory holds its whole history: Node, Label and Within know every
// node that ever was, and Children, Units and UnitCount see them all. In(period) (or At(day))
// returns the same directory as of one day, whose Children, Units and UnitCount see only the
// nodes in force that day; everything is worked out once, at start.
type Directory struct {
	*dirCore
	lay *layer
}

// dirCore is what every view of one directory shares.
type dirCore struct {
	orgs  []Org
	nodes []Node
	org   map[string]int
	node  map[string]int
	span  []span              // per node, its dates narrowed by its parents'
	preds map[string][]string // per node, the nodes it continues (Predecessors)
	// bounds are the days on which some node starts or the day after one ends, sorted: views[i]
	// is the directory between bounds[i-1] and bounds[i] (views[0] before bounds[0]).
	bounds  []Date
	views   []*Directory
	history *Directory // every node that ever was
}

// layer is what one view sees: every node (history), or those in force between two bounds.
type layer struct {
	kids map[string][]string
	// units counts, per node and organisation (AllOrgs for all), the units at or below the
	// node: worked out once, so a leader's view costs the tree's shape, not its size.
	units map[string]map[string]int
	list  []int // the units, as indices of nodes, in file order
}

// NewDirectory checks orgs and nodes (unique ids, known parents and orgs, no cycles, units are
// leaves, dates in order, predecessors that end before their successor starts) and returns the
// Directory they make.
func NewDirectory(orgs []Org, nodes []Node) (*Directory, error) {
	c := &dirCore{orgs: orgs, nodes: nodes, org: map[string]int{}, node: map[string]int{}}
	if err := c.index(); err != nil {
		return nil, err
	}
	if err := c.link(); err != nil {
		return nil, err
	}
	c.spans()
	if err := c.predecessors(); err != nil {
		return nil, err
	}
	c.layers()
	return c.history, nil
}

func (c *dirCore) index() error {
	for i, o := range c.orgs {
		if o.ID == "" || o.Name.Vi == "" {
			return fmt.Errorf("orgs[%d]: id and name.vi are required", i)
		}
		if _, dup := c.org[o.ID]; dup {
			return fmt.Errorf("orgs[%d]: duplicate id %q", i, o.ID)
		}
		c.org[o.ID] = i
	}
	for i, n := range c.nodes {
		if n.ID == "" || n.Name.Vi == "" {
			return fmt.Errorf("units[%d]: id and name.vi are required", i)
		}
		if _, dup := c.node[n.ID]; dup {
			return fmt.Errorf("units[%d]: duplicate id %q", i, n.ID)
		}
		if _, ok := c.org[n.Org]; n.Org != "" && !ok {
			return fmt.Errorf("units[%d] %s: unknown org %q", i, n.ID, n.Org)
		}
		if n.ValidFrom != 0 && n.ValidTo != 0 && n.ValidTo < n.ValidFrom {
			return fmt.Errorf("units[%d] %s: valid_to %s is before valid_from %s", i, n.ID, n.ValidTo, n.ValidFrom)
		}
		c.node[n.ID] = i
	}
	return nil
}

// link checks every parent: known, a place, and no node its own ancestor.
func (c *dirCore) link() error {
	for i, n := range c.nodes {
		if n.Parent == "" {
			continue
		}
		p, ok := c.node[n.Parent]
		if !ok {
			return fmt.Errorf("units[%d] %s: unknown parent %q", i, n.ID, n.Parent)
		}
		if c.nodes[p].IsUnit() {
			return fmt.Errorf("units[%d] %s: parent %q is a unit, not a place", i, n.ID, n.Parent)
		}
	}
	for _, n := range c.nodes {
		seen := map[string]bool{}
		for cur := n.ID; cur != ""; cur = c.nodes[c.node[cur]].Parent {
			if seen[cur] {
				return fmt.Errorf("units: %s is its own ancestor", n.ID)
			}
			seen[cur] = true
		}
	}
	return nil
}

// spans works out when each node is in force: its own dates within its parent's.
func (c *dirCore) spans() {
	c.span = make([]span, len(c.nodes))
	done := make([]bool, len(c.nodes))
	var walk func(i int) span
	walk = func(i int) span {
		if done[i] {
			return c.span[i]
		}
		n := c.nodes[i]
		s := span{n.ValidFrom, n.ValidTo}
		if n.Parent != "" {
			s = s.within(walk(c.node[n.Parent]))
		}
		c.span[i], done[i] = s, true
		return s
	}
	for i := range c.nodes {
		walk(i)
	}
}

// predecessors checks merged_from and works out what each node continues: its merged_from, or
// for a unit without one the units of its organisation in the places its place was merged from.
func (c *dirCore) predecessors() error {
	c.preds = map[string][]string{}
	for i, n := range c.nodes {
		if s := c.span[i]; s.from != 0 && s.to != 0 && s.to < s.from {
			return fmt.Errorf("units[%d] %s: its dates lie outside those of %s above it", i, n.ID, n.Parent)
		}
		for _, id := range n.MergedFrom {
			if err := c.checkPredecessor(i, id); err != nil {
				return fmt.Errorf("units[%d] %s: merged_from %q: %w", i, n.ID, id, err)
			}
		}
	}
	kids := map[string][]string{}
	for _, n := range c.nodes {
		kids[n.Parent] = append(kids[n.Parent], n.ID)
	}
	for _, n := range c.nodes {
		if len(n.MergedFrom) > 0 {
			c.preds[n.ID] = n.MergedFrom
			continue
		}
		if !n.IsUnit() || n.Parent == "" {
			continue
		}
		for _, p := range c.nodes[c.node[n.Parent]].MergedFrom {
			for _, k := range kids[p] {
				if c.nodes[c.node[k]].Org == n.Org {
					c.preds[n.ID] = append(c.preds[n.ID], k)
				}
			}
		}
	}
	return nil
}

func (c *dirCore) checkPredecessor(i int, id string) error {
	k, ok := c.node[id]
	switch {
	case !ok:
		return fmt.Errorf("names no entry of units")
	case k == i:
		return fmt.Errorf("a node cannot continue itself")
	case c.nodes[k].IsUnit() != c.nodes[i].IsUnit():
		return fmt.Errorf("units continue units and places continue places")
	case c.span[i].from == 0:
		return fmt.Errorf("a node merged from others needs valid_from, the day it started")
	case c.span[k].to == 0 || c.span[k].to >= c.span[i].from:
		return fmt.Errorf("it is still in force on %s, when the node it merged into starts (set its valid_to)", c.span[i].from)
	}
	return nil
}

// layers works out the directory of every stretch of days between two bounds, and of all time.
func (c *dirCore) layers() {
	seen := map[Date]bool{}
	for _, s := range c.span {
		if s.from != 0 && !seen[s.from] {
			seen[s.from] = true
			c.bounds = append(c.bounds, s.from)
		}
		if s.to != 0 && !seen[s.to.next()] {
			seen[s.to.next()] = true
			c.bounds = append(c.bounds, s.to.next())
		}
	}
	slices.Sort(c.bounds)
	c.history = &Directory{dirCore: c, lay: c.layer(func(int) bool { return true })}
	if len(c.bounds) == 0 {
		c.views = []*Directory{c.history}
		return
	}
	c.views = make([]*Directory, len(c.bounds)+1)
	for i := range c.views {
		day := c.bounds[0].prev()
		if i > 0 {
			day = c.bounds[i-1]
		}
		c.views[i] = &Directory{dirCore: c, lay: c.layer(func(j int) bool { return c.span[j].has(day) })}
	}
}

// layer gathers the nodes active says are in: a node in force has its parent in force too.
func (c *dirCore) layer(active func(int) bool) *layer {
	l := &layer{kids: map[string][]string{}, units: map[string]map[string]int{}}
	for i, n := range c.nodes {
		if !active(i) {
			continue
		}
		l.kids[n.Parent] = append(l.kids[n.Parent], n.ID) // roots are the children of ""
		if !n.IsUnit() {
			continue
		}
		l.list = append(l.list, i)
		for cur := n.ID; cur != ""; cur = c.nodes[c.node[cur]].Parent {
			m := l.units[cur]
			if m == nil {
				m = map[string]int{}
				l.units[cur] = m
			}
			m[n.Org]++
			m[AllOrgs]++
		}
	}
	return l
}

// At returns the directory as of day: Children, Units and UnitCount see only the nodes in force
// that day. The zero day gives the whole history. It costs a binary search over the days on
// which the directory changed.
func (d *Directory) At(day Date) *Directory {
	if day == 0 {
		return d.history
	}
	i := sort.Search(len(d.bounds), func(i int) bool { return d.bounds[i] > day })
	return d.views[i]
}

// In returns the directory of period p: a unit counts for a period when it is in force on the
// period's due day (in the calendar's zone). So the units that exist when a report is due are
// the ones asked for it, and a merger on 1 July leaves the first half-year (due in June) to the
// old units and the nine months (due in September) to the new ones.
func (d *Directory) In(p Period) *Directory { return d.At(DateOf(p.Due)) }

// History returns the directory with every node that ever was.
func (d *Directory) History() *Directory { return d.history }

// Active reports whether node id is in force on day.
func (d *Directory) Active(id string, day Date) bool {
	i, ok := d.node[id]
	return ok && d.span[i].has(day)
}

// Span returns the first and last day node id is in force (its own dates within its places');
// zero for open.
func (d *Directory) Span(id string) (from, to Date) {
	i, ok := d.node[id]
	if !ok {
		return 0, 0
	}
	return d.span[i].from, d.span[i].to
}

// Predecessors lists the nodes id continues, for "last period's figures" across a merger: its
// merged_from, or for a unit without one the units of its organisation in the places its place
// was merged from. Empty for a node that continues nothing.
func (d *Directory) Predecessors(id string) []string { return d.preds[id] }

// UnitCount returns how many units of org (AllOrgs for all) are at or below node.
func (d *Directory) UnitCount(node, org string) int { return d.lay.units[node][org] }

// Orgs returns the organisations in file order.
func (d *Directory) Orgs() []Org { return d.orgs }

// Nodes returns every place and unit that ever was, in file order.
func (d *Directory) Nodes() []Node { return d.nodes }

// Org returns the organisation with id.
func (d *Directory) Org(id string) (Org, bool) {
	i, ok := d.org[id]
	if !ok {
		return Org{}, false
	}
	return d.orgs[i], true
}

// Node returns the place or unit with id, whether or not it is still in force.
func (d *Directory) Node(id string) (Node, bool) {
	i, ok := d.node[id]
	if !ok {
		return Node{}, false
	}
	return d.nodes[i], true
}

// Units returns every reporting unit this view sees at or below the node scope ("" means the
// whole tree), in file order.
func (d *Directory) Units(scope string) []Node {
	var out []Node
	for _, i := range d.lay.list {
		if n := d.nodes[i]; scope == "" || d.Within(n.ID, scope) {
			out = append(out, n)
		}
	}
	return out
}

// Within reports whether node id is scope itself or lies below it.
func (d *Directory) Within(id, scope string) bool {
	for cur := id; cur != ""; {
		if cur == scope {
			return true
		}
		i, ok := d.node[cur]
		if !ok {
			return false
		}
		cur = d.nodes[i].Parent
	}
	return false
}

// Children returns the ids of the nodes this view sees directly below id ("" for the roots),
// in file order, which is the order the admin chose.
func (d *Directory) Children(id string) []string { return append([]string(nil), d.lay.kids[id]...) }

// Label names a node for people: a unit as "Hội LHPN · Phường Tân Phong", a place by its name.
func (d *Directory) Label(id string, lang Lang) string {
	n, ok := d.Node(id)
	if !ok {
		return id
	}
	if !n.IsUnit() {
		return n.Name.In(lang)
	}
	name := n.Name.In(lang)
	if p, ok := d.Node(n.Parent); ok {
		if o, ok := d.Org(n.Org); ok {
			return o.Short.In(lang) + " · " + p.Name.In(lang)
		}
		return name + " · " + p.Name.In(lang)
	}
	return name
}
