package flows

import (
	"fmt"
)

// Org is one mass organisation (Fatherland Front, Youth Union, ...). A unit is an Org in a place.
type Org struct {
	ID    string `yaml:"id" json:"id"`
	Short Text   `yaml:"short" json:"short"` // "Hội LHPN": fits on a button
	Name  Text   `yaml:"name" json:"name"`
}

// Node is one entry of the directory: a place (Org empty) or a reporting unit (Org set). Places
// nest to any depth through Parent; units hang below a place.
type Node struct {
	ID     string `yaml:"id" json:"id"`
	Name   Text   `yaml:"name" json:"name"`
	Parent string `yaml:"parent,omitempty" json:"parent,omitempty"`
	Org    string `yaml:"org,omitempty" json:"org,omitempty"`
}

// IsUnit reports whether n is a reporting unit rather than a place.
func (n Node) IsUnit() bool { return n.Org != "" }

// Directory is the tree of places and units the admin keeps in a file. It is data, never code:
// since the 2025 merger of communes the tree changes and has any depth.
type Directory struct {
	orgs  []Org
	nodes []Node
	org   map[string]int
	node  map[string]int
	kids  map[string][]string
	// units counts, per node and organisation (AllOrgs for all), the units at or below the
	// node: worked out once, so a leader's view costs the tree's shape, not its size.
	units map[string]map[string]int
}

// NewDirectory checks orgs and nodes (unique ids, known parents and orgs, no cycles, units are
// leaves) and returns the Directory they make.
func NewDirectory(orgs []Org, nodes []Node) (*Directory, error) {
	d := &Directory{orgs: orgs, nodes: nodes, org: map[string]int{}, node: map[string]int{}, kids: map[string][]string{}}
	for i, o := range orgs {
		if o.ID == "" || o.Name.Vi == "" {
			return nil, fmt.Errorf("orgs[%d]: id and name.vi are required", i)
		}
		if _, dup := d.org[o.ID]; dup {
			return nil, fmt.Errorf("orgs[%d]: duplicate id %q", i, o.ID)
		}
		d.org[o.ID] = i
	}
	for i, n := range nodes {
		if n.ID == "" || n.Name.Vi == "" {
			return nil, fmt.Errorf("units[%d]: id and name.vi are required", i)
		}
		if _, dup := d.node[n.ID]; dup {
			return nil, fmt.Errorf("units[%d]: duplicate id %q", i, n.ID)
		}
		if _, ok := d.org[n.Org]; n.Org != "" && !ok {
			return nil, fmt.Errorf("units[%d] %s: unknown org %q", i, n.ID, n.Org)
		}
		d.node[n.ID] = i
	}
	for i, n := range nodes {
		d.kids[n.Parent] = append(d.kids[n.Parent], n.ID) // roots are the children of ""
		if n.Parent == "" {
			continue
		}
		p, ok := d.node[n.Parent]
		if !ok {
			return nil, fmt.Errorf("units[%d] %s: unknown parent %q", i, n.ID, n.Parent)
		}
		if nodes[p].IsUnit() {
			return nil, fmt.Errorf("units[%d] %s: parent %q is a unit, not a place", i, n.ID, n.Parent)
		}
	}
	for _, n := range nodes {
		if err := d.checkCycle(n.ID); err != nil {
			return nil, err
		}
	}
	d.countUnits()
	return d, nil
}

func (d *Directory) countUnits() {
	d.units = map[string]map[string]int{}
	for _, u := range d.nodes {
		if !u.IsUnit() {
			continue
		}
		for cur := u.ID; cur != ""; cur = d.nodes[d.node[cur]].Parent {
			m := d.units[cur]
			if m == nil {
				m = map[string]int{}
				d.units[cur] = m
			}
			m[u.Org]++
			m[AllOrgs]++
		}
	}
}

// UnitCount returns how many units of org (AllOrgs for all) are at or below node.
func (d *Directory) UnitCount(node, org string) int { return d.units[node][org] }

func (d *Directory) checkCycle(id string) error {
	seen := map[string]bool{}
	for cur := id; cur != ""; cur = d.nodes[d.node[cur]].Parent {
		if seen[cur] {
			return fmt.Errorf("units: %s is its own ancestor", id)
		}
		seen[cur] = true
	}
	return nil
}

// Orgs returns the organisations in file order.
func (d *Directory) Orgs() []Org { return d.orgs }

// Nodes returns every place and unit in file order.
func (d *Directory) Nodes() []Node { return d.nodes }

// Org returns the organisation with id.
func (d *Directory) Org(id string) (Org, bool) {
	i, ok := d.org[id]
	if !ok {
		return Org{}, false
	}
	return d.orgs[i], true
}

// Node returns the place or unit with id.
func (d *Directory) Node(id string) (Node, bool) {
	i, ok := d.node[id]
	if !ok {
		return Node{}, false
	}
	return d.nodes[i], true
}

// Units returns every reporting unit at or below the node scope ("" means the whole tree),
// in file order.
func (d *Directory) Units(scope string) []Node {
	var out []Node
	for _, n := range d.nodes {
		if n.IsUnit() && (scope == "" || d.Within(n.ID, scope)) {
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
		n, ok := d.Node(cur)
		if !ok {
			return false
		}
		cur = n.Parent
	}
	return false
}

// Children returns the ids of the nodes directly below id ("" for the roots), in file order,
// which is the order the admin chose.
func (d *Directory) Children(id string) []string { return append([]string(nil), d.kids[id]...) }

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
