package flows

import "testing"

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
