package dirsheet

import (
	"slices"

	"danvan/flows"
)

// change is what next, built from a sheet whose rows are its first entries (the rest kept from
// old), changes against old, the directory in force; today decides which kept entries are still
// in force.
func change(old, next *flows.Directory, rows int, today flows.Date) flows.DirectoryChange {
	var c flows.DirectoryChange
	for k, n := range next.Nodes() {
		if n.IsUnit() {
			c.Units++
		} else {
			c.Places++
		}
		if k >= rows {
			c.Kept = append(c.Kept, label(next, n.ID))
			if _, to := next.Span(n.ID); to == 0 || to >= today {
				c.KeptActive++
			}
			continue
		}
		compare(&c, next, n, old)
	}
	return c
}

// compare adds to c what became of n, an entry of next, against old.
func compare(c *flows.DirectoryChange, next *flows.Directory, n flows.Node, old *flows.Directory) {
	var was flows.Node
	existed := false
	if old != nil {
		was, existed = old.Node(n.ID)
	}
	if !existed {
		c.Added = append(c.Added, label(next, n.ID))
	}
	if n.ValidTo != 0 && (!existed || was.ValidTo != n.ValidTo) {
		c.Ended = append(c.Ended, label(next, n.ID))
	}
	if len(n.MergedFrom) > 0 && (!existed || !slices.Equal(was.MergedFrom, n.MergedFrom)) {
		m := flows.Merger{Name: label(next, n.ID)}
		for _, id := range n.MergedFrom {
			m.From = append(m.From, label(next, id))
		}
		c.Merged = append(c.Merged, m)
	}
	if existed && (was.Name != n.Name || was.Parent != n.Parent || was.Org != n.Org || was.Code != n.Code || was.ValidFrom != n.ValidFrom) {
		c.Changed++
	}
}

// label names an entry for people in both languages: a unit with its place.
func label(d *flows.Directory, id string) flows.Text {
	return flows.Text{Vi: d.Label(id, flows.VI), En: d.Label(id, flows.EN)}
}
