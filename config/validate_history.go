package config

import (
	"fmt"
	"regexp"

	"danvan/flows"
)

// codePattern is an official code as the statistics office writes it ("12", "03385"), or any
// short code of the admin's own.
var codePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,23}$`)

// history checks the directory's dates, codes and merged_from, each error at its own line: a
// node in force from valid_from to valid_to (either open), within its parent's dates, and the
// nodes it merged from ended before it started.
func (k *checker) history(index map[string]int) {
	for i, n := range k.c.Units {
		p := fmt.Sprintf("units[%d]", i)
		if n.Code != "" && !codePattern.MatchString(n.Code) {
			k.add(p+".code", "%q: a code is 1–24 letters, digits, . _ -", n.Code)
		}
		if n.ValidFrom != 0 && n.ValidTo != 0 && n.ValidTo < n.ValidFrom {
			k.add(p+".valid_to", "%s is before valid_from %s", n.ValidTo, n.ValidFrom)
		}
		for j, id := range n.MergedFrom {
			k.predecessor(fmt.Sprintf("%s.merged_from[%d]", p, j), n, id, index)
		}
	}
}

func (k *checker) predecessor(path string, n flows.Node, id string, index map[string]int) {
	j, ok := index[id]
	switch {
	case !ok:
		k.add(path, "%q names no entry of units", id)
	case id == n.ID:
		k.add(path, "%q is the entry itself", id)
	case k.c.Units[j].IsUnit() != n.IsUnit():
		k.add(path, "%q: units merge from units and places from places", id)
	default:
		from, _ := k.dates(n, index)
		_, to := k.dates(k.c.Units[j], index)
		switch {
		case from == 0:
			k.add(path, "an entry merged from others needs valid_from (its own or its place's), the day it started")
		case to == 0 || to >= from:
			k.add(path, "%q is still in force on %s, when %s starts: set its valid_to (or its place's) to the day before", id, from, n.ID)
		}
	}
}

// dates are the first and last day n is in force: its own dates narrowed by its places' (0:
// open), as flows works them out.
func (k *checker) dates(n flows.Node, index map[string]int) (from, to flows.Date) {
	seen := map[string]bool{}
	for cur := n; ; {
		if cur.ValidFrom > from {
			from = cur.ValidFrom
		}
		if cur.ValidTo != 0 && (to == 0 || cur.ValidTo < to) {
			to = cur.ValidTo
		}
		j, ok := index[cur.Parent]
		if !ok || seen[cur.Parent] {
			return from, to
		}
		seen[cur.Parent] = true
		cur = k.c.Units[j]
	}
}
