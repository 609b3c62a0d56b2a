package flows

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestUnitCount(t *testing.T) {
	dir := mustDirectory(t)
	tests := []struct {
		node, org string
		want      int
	}{
		{"laichau", AllOrgs, len(dir.Units(""))},
		{"laichau", "phunu", len(orgUnits(dir, "laichau", "phunu"))},
		{"tanphong", AllOrgs, len(dir.Units("tanphong"))},
		{"tanphong-phunu", "phunu", 1},
		{"tanphong-phunu", "doan", 0},
		{"nowhere", AllOrgs, 0},
	}
	for _, tt := range tests {
		if got := dir.UnitCount(tt.node, tt.org); got != tt.want {
			t.Errorf("UnitCount(%s, %s): got %d, want %d", tt.node, tt.org, got, tt.want)
		}
	}
}

func orgUnits(dir *Directory, node, org string) []Node {
	var out []Node
	for _, n := range dir.Units(node) {
		if n.Org == org {
			out = append(out, n)
		}
	}
	return out
}

func ids(nodes []Node) []string {
	out := make([]string, len(nodes))
	for i, n := range nodes {
		out[i] = n.ID
	}
	return out
}

// TestDirectoryHistory: a view as of a day sees only what is in force that day; the whole
// history still names every node; units continue their merged places' units of their
// organisation.
func TestDirectoryHistory(t *testing.T) {
	dir := mergerDirectory(t)
	before, after := Date(20250615), Date(20250915)
	oldUnits := []string{"tanphong-phunu", "tanphong-doan", "dongphong-phunu", "santhang-phunu"}
	newUnits := []string{"lc-tanphong-phunu", "lc-tanphong-doan", "lc-muongkim-phunu"}
	tests := []struct {
		name string
		got  []string
		want []string
	}{
		{"units before", ids(dir.At(before).Units("lc")), oldUnits},
		{"units after", ids(dir.At(after).Units("lc")), newUnits},
		{"history", ids(dir.History().Units("")), append(append([]string{}, oldUnits...), newUnits...)},
		{"places before", dir.At(before).ChildPlaces("lc"), []string{"laichau"}},
		{"places after", dir.At(after).ChildPlaces("lc"), []string{"lc-tanphong", "lc-muongkim"}},
		{"new ward's Women's Union", dir.Predecessors("lc-tanphong-phunu"), []string{"tanphong-phunu", "dongphong-phunu", "santhang-phunu"}},
		{"new ward's Youth Union", dir.Predecessors("lc-tanphong-doan"), []string{"tanphong-doan"}},
		{"new ward", dir.Predecessors("lc-tanphong"), []string{"tanphong", "dongphong", "santhang"}},
		{"new commune", dir.Predecessors("lc-muongkim-phunu"), nil},
	}
	for _, tt := range tests {
		if !slices.Equal(tt.got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	if got := dir.At(after).UnitCount("lc", "phunu"); got != 2 {
		t.Errorf("Women's Unions of the province after: got %d, want 2", got)
	}
	if got := dir.At(before).UnitCount("lc", AllOrgs); got != 4 {
		t.Errorf("units of the province before: got %d, want 4", got)
	}
	if dir.Active("tanphong-phunu", after) || !dir.Active("tanphong-phunu", before) || !dir.Active("lc", after) {
		t.Error("Active: got the old unit in force after the merger (or not before), want it ended on 30/06")
	}
	if got := dir.Label("santhang-phunu", VI); got != "Hội LHPN · Xã San Thàng" {
		t.Errorf("Label of a unit merged away: got %q, want its name kept", got)
	}
	per := Period{Due: time.Date(2025, 9, 15, 23, 59, 59, 0, testLoc)}
	if dir.In(per) != dir.At(after) {
		t.Error("In(Q3 2025): got another view than At(its due day)")
	}
}

func TestDirectoryHistoryRefuses(t *testing.T) {
	orgs := []Org{{ID: "phunu", Name: Text{Vi: "Hội LHPN"}}}
	base := func(extra ...Node) []Node {
		return append([]Node{
			{ID: "p", Name: Text{Vi: "Tỉnh"}},
			{ID: "old", Name: Text{Vi: "Cũ"}, Parent: "p", ValidTo: 20250630},
			{ID: "old-pn", Name: Text{Vi: "LHPN cũ"}, Parent: "old", Org: "phunu"},
		}, extra...)
	}
	tests := []struct {
		name string
		node Node
		want string
	}{
		{"dates reversed", Node{ID: "x", Name: Text{Vi: "X"}, Parent: "p", ValidFrom: 20250701, ValidTo: 20250101}, "before valid_from"},
		{"outside its parent", Node{ID: "x", Name: Text{Vi: "X"}, Parent: "old", ValidFrom: 20250701}, "outside those of old"},
		{"unknown predecessor", Node{ID: "x", Name: Text{Vi: "X"}, Parent: "p", ValidFrom: 20250701, MergedFrom: []string{"nowhere"}}, "names no entry"},
		{"no start", Node{ID: "x", Name: Text{Vi: "X"}, Parent: "p", MergedFrom: []string{"old"}}, "needs valid_from"},
		{"still in force", Node{ID: "x", Name: Text{Vi: "X"}, Parent: "p", ValidFrom: 20250601, MergedFrom: []string{"old"}}, "still in force"},
		{"place from unit", Node{ID: "x", Name: Text{Vi: "X"}, Parent: "p", ValidFrom: 20250701, MergedFrom: []string{"old-pn"}}, "places continue places"},
		{"itself", Node{ID: "x", Name: Text{Vi: "X"}, Parent: "p", ValidFrom: 20250701, MergedFrom: []string{"x"}}, "itself"},
	}
	for _, tt := range tests {
		_, err := NewDirectory(orgs, base(tt.node))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want an error containing %q", tt.name, err, tt.want)
		}
	}
}

// TestLastSumsPredecessors: a unit's own previous submission wins; without it the sum of its
// predecessors' counts, returned ones left out.
func TestLastSumsPredecessors(t *testing.T) {
	a := Submission{Values: map[string]int64{"eligible": 500, "members": 450}}
	b := Submission{Values: map[string]int64{"eligible": 400, "members": 300, "active": 7}}
	ret := Submission{Values: map[string]int64{"eligible": 999}, Returned: &Return{By: "x"}}
	own := Submission{Values: map[string]int64{"eligible": 1}}
	tests := []struct {
		name string
		info ReportInfo
		want map[string]int64
		n    int
	}{
		{"own", ReportInfo{Previous: &own, Before: []Submission{a, b}}, own.Values, 0},
		{"sum", ReportInfo{Before: []Submission{a, b, ret}}, map[string]int64{"eligible": 900, "members": 750, "active": 7}, 2},
		{"nothing", ReportInfo{Before: []Submission{ret}}, nil, 0},
	}
	for _, tt := range tests {
		got, n := tt.info.Last()
		var values map[string]int64
		if got != nil {
			values = got.Values
		}
		if !maps.Equal(values, tt.want) || n != tt.n {
			t.Errorf("%s: got %v (%d), want %v (%d)", tt.name, values, n, tt.want, tt.n)
		}
	}
}

// TestReportQueriesAcrossMerger: an organiser of an old and a new unit is asked only for the new
// one in the nine months, with its predecessors named for last period's figures.
func TestReportQueriesAcrossMerger(t *testing.T) {
	dir := mergerDirectory(t)
	p := Person{ID: "lan", Units: []string{"tanphong-phunu", "lc-tanphong-phunu", "lc-muongkim-phunu"}}
	qs := ReportQueries(p, dir, testForms()[:1], testCalendar(), time.Date(2025, 9, 5, 9, 0, 0, 0, testLoc))
	var got []string
	for _, q := range qs {
		got = append(got, q.Key.Unit+"/"+q.Key.Period+"<"+q.Previous+":"+strings.Join(q.Before, ","))
	}
	want := []string{
		"lc-tanphong-phunu/2025-Q3<2025-H1:tanphong-phunu,dongphong-phunu,santhang-phunu",
		"lc-muongkim-phunu/2025-Q3<2025-H1:",
	}
	if !slices.Equal(got, want) {
		t.Errorf("queries: got %v, want %v", got, want)
	}
}
