package dirsheet

import (
	"fmt"
	"slices"
	"strings"

	"danvan/flows"
)

// parentOf is the index in nodes of node k's parent, -1 for none (or one not made).
func (b *builder) parentOf(k int) int {
	if p := b.nodes[k].Parent; p != "" {
		if j, ok := b.made[p]; ok {
			return j
		}
	}
	return -1
}

// tree checks each row's parent: a place, and not a loop back to the row.
func (b *builder) tree() {
	for i, r := range b.rows {
		p := b.parentOf(i)
		switch {
		case b.bad[i] || p < 0:
		case b.nodes[p].IsUnit() || (p < len(b.rows) && b.rows[p].cell(colOrg) != ""):
			b.fail(i, colParent, fmt.Sprintf("“%s” là một đơn vị (có Tổ chức), không phải địa bàn: cấp trên phải là địa bàn", r.cell(colParent)),
				fmt.Sprintf("“%s” is a unit (it has an organisation), not a place: a parent must be a place", r.cell(colParent)))
		case b.loops(i):
			b.fail(i, colParent, fmt.Sprintf("“%s” dẫn ngược về chính dòng này: các địa bàn tạo thành vòng", r.cell(colParent)),
				fmt.Sprintf("“%s” leads back to this row: the places form a loop", r.cell(colParent)))
		}
	}
}

// loops reports whether going up from node i comes back to it.
func (b *builder) loops(i int) bool {
	for k, steps := b.parentOf(i), 0; k >= 0 && steps <= len(b.nodes); k, steps = b.parentOf(k), steps+1 {
		if k == i {
			return true
		}
	}
	return false
}

// merged resolves each row's Sáp nhập từ: entries of the same kind (units from units, places
// from places), other than the row itself.
func (b *builder) merged() {
	for i, r := range b.rows {
		for _, key := range splitList(r.cell(colMerged)) {
			id, ok := b.ref(key)
			switch {
			case !ok:
				b.fail(i, colMerged, fmt.Sprintf("không có đơn vị “%s”", key), fmt.Sprintf("there is no entry “%s”", key))
			case id == "":
			case id == b.nodes[i].ID:
				b.fail(i, colMerged, fmt.Sprintf("“%s” là chính dòng này", key), fmt.Sprintf("“%s” is this row itself", key))
			case b.nodes[b.made[id]].IsUnit() != b.nodes[i].IsUnit():
				b.fail(i, colMerged, fmt.Sprintf("“%s”: đơn vị sáp nhập từ đơn vị, địa bàn từ địa bàn", key),
					fmt.Sprintf("“%s”: units merge from units and places from places", key))
			case !slices.Contains(b.nodes[i].MergedFrom, id):
				b.nodes[i].MergedFrom = append(b.nodes[i].MergedFrom, id)
			}
		}
	}
}

// splitList splits a list cell at commas, semicolons and line breaks.
func splitList(s string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' || r == '\r' }) {
		if p := strings.TrimSpace(part); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// dates checks each row's dates against its places' (an entry is in force only while they
// are) and its predecessors' (ended before it starts), as flows works them out.
func (b *builder) dates() {
	spans := b.spans()
	for i, r := range b.rows {
		if b.bad[i] {
			continue
		}
		s, n := spans[i], b.nodes[i]
		if s.from != 0 && s.to != 0 && s.to < s.from && (n.ValidFrom == 0 || n.ValidTo == 0 || n.ValidFrom <= n.ValidTo) {
			b.fail(i, colFrom, fmt.Sprintf("ngày hiệu lực nằm ngoài ngày hiệu lực của cấp trên “%s”", r.cell(colParent)),
				fmt.Sprintf("its dates lie outside those of its parent “%s”", r.cell(colParent)))
			continue
		}
		for j, id := range n.MergedFrom {
			key := splitKey(r.cell(colMerged), j, id)
			k, ok := b.made[id]
			if !ok { // kept from the directory in force, naming an entry Replace dropped
				b.fail(i, colMerged, fmt.Sprintf("không có đơn vị “%s”", key), fmt.Sprintf("there is no entry “%s”", key))
				break
			}
			b.predecessor(i, key, s.from, spans[k].to)
		}
	}
}

// splitKey is the j-th key of a Sáp nhập từ cell, as the admin wrote it, or id.
func splitKey(cell string, j int, id string) string {
	if keys := splitList(cell); j < len(keys) {
		return keys[j]
	}
	return id
}

func (b *builder) predecessor(i int, key string, from, to flows.Date) {
	switch {
	case from == 0:
		b.fail(i, colMerged, "một mục sáp nhập từ mục khác cần Hiệu lực từ (của nó hoặc của cấp trên): ngày nó bắt đầu",
			"an entry merged from others needs Hiệu lực từ (valid from), its own or its parent's: the day it started")
	case to == 0 || to >= from:
		b.fail(i, colMerged, fmt.Sprintf("“%s” vẫn còn hiệu lực ngày %s, khi dòng này bắt đầu: ghi Hiệu lực đến của nó (hoặc của cấp trên) là ngày hôm trước", key, showDate(from)),
			fmt.Sprintf("“%s” is still in force on %s, when this row starts: set its Hiệu lực đến (valid to), or its parent's, to the day before", key, showDate(from)))
	}
}

// span is when an entry is in force, both days included; 0 is open.
type span struct{ from, to flows.Date }

// spans works out every entry's dates narrowed by its places', as flows does.
func (b *builder) spans() []span {
	out := make([]span, len(b.nodes))
	done := make([]bool, len(b.nodes))
	var walk func(k, depth int) span
	walk = func(k, depth int) span {
		if done[k] || depth > len(b.nodes) {
			return out[k]
		}
		n := b.nodes[k]
		s := span{n.ValidFrom, n.ValidTo}
		if p := b.parentOf(k); p >= 0 {
			outer := walk(p, depth+1)
			if outer.from != 0 && (s.from == 0 || s.from < outer.from) {
				s.from = outer.from
			}
			if outer.to != 0 && (s.to == 0 || s.to > outer.to) {
				s.to = outer.to
			}
		}
		out[k], done[k] = s, true
		return s
	}
	for k := range b.nodes {
		walk(k, 0)
	}
	return out
}
