package flows

import (
	"reflect"
	"slices"
	"testing"
)

func TestNarrow(t *testing.T) {
	dir := mustDirectory(t)
	tests := []struct {
		name string
		p    Person
		r    View
		want []View
	}{
		{"admin everything", Person{Admin: true}, View{}, []View{{}}},
		{"admin one ward", Person{Admin: true}, View{Node: "tanphong", Org: "doan"}, []View{{Node: "tanphong", Org: "doan"}}},
		{"city leader whole scope", Person{Scopes: []string{"laichau"}}, View{}, []View{{Node: "laichau"}}},
		{"city leader drills to a ward", Person{Scopes: []string{"laichau"}}, View{Node: "santhang", Org: "phunu"}, []View{{Node: "santhang", Org: "phunu"}}},
		{"ward leader", Person{Scopes: []string{"tanphong"}}, View{}, []View{{Node: "tanphong"}}},
		{"ward leader asks the city: sees the ward", Person{Scopes: []string{"tanphong"}}, View{Node: "laichau"}, []View{{Node: "tanphong"}}},
		{"org chair narrowed to the org", Person{Scopes: []string{"laichau@phunu"}}, View{Node: "tanphong"}, []View{{Node: "tanphong", Org: "phunu"}}},
		{"overlapping scopes counted once", Person{Scopes: []string{"tanphong", "laichau", "laichau"}}, View{}, []View{{Node: "laichau"}}},
		{"two wards", Person{Scopes: []string{"tanphong", "santhang"}}, View{}, []View{{Node: "tanphong"}, {Node: "santhang"}}},
		{"organiser's own unit", Person{Units: []string{"tanphong-doan"}}, View{}, []View{{Node: "tanphong-doan"}}},
		{"a scope the directory dropped", Person{Scopes: []string{"gone", "santhang"}}, View{}, []View{{Node: "santhang"}}},
		// the chair's own unit is of the chair's organisation: counted in the scope, not again
		{"org chair who organises a unit of it", Person{Scopes: []string{"laichau@phunu"}, Units: []string{"tanphong-phunu"}}, View{},
			[]View{{Node: "laichau", Org: "phunu"}}},
		{"org chair who organises a unit of another org", Person{Scopes: []string{"laichau@phunu"}, Units: []string{"tanphong-doan"}}, View{},
			[]View{{Node: "laichau", Org: "phunu"}, {Node: "tanphong-doan"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Narrow(tt.p, dir, tt.r); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Narrow: got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestNarrowRefuses(t *testing.T) {
	dir := mustDirectory(t)
	tests := []struct {
		name string
		p    Person
		r    View
	}{
		{"no scope at all", Person{ID: "tg:5"}, View{}},
		{"another ward", Person{Scopes: []string{"tanphong"}}, View{Node: "santhang"}},
		{"another ward's unit", Person{Scopes: []string{"tanphong"}}, View{Node: "santhang-phunu"}},
		{"another org", Person{Scopes: []string{"laichau@phunu"}}, View{Org: "doan"}},
		{"another org's unit", Person{Scopes: []string{"laichau@phunu"}}, View{Node: "tanphong-doan"}},
		{"organiser's other unit", Person{Units: []string{"tanphong-doan"}}, View{Node: "tanphong-phunu"}},
		{"unknown node", Person{Admin: true}, View{Node: "atlantis"}},
		{"unknown org", Person{Admin: true}, View{Org: "guild"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Narrow(tt.p, dir, tt.r); len(got) != 0 {
				t.Errorf("Narrow: got %v, want nothing", got)
			}
		})
	}
}

// TestNarrowAgreesWithCanSee: for every person and request, the units Narrow's views cover are
// exactly the units of the request the person may see one by one, and CanSee allows each view.
func TestNarrowAgreesWithCanSee(t *testing.T) {
	dir := mustDirectory(t)
	people := []Person{
		{Admin: true}, {}, {Scopes: []string{"laichau"}}, {Scopes: []string{"tanphong"}},
		{Scopes: []string{"laichau@phunu"}}, {Scopes: []string{"tanphong@doan", "santhang"}},
		{Units: []string{"tanphong-doan"}}, {Units: []string{"santhang-phunu"}, Scopes: []string{"tanphong@phunu"}},
	}
	nodes := []string{""}
	for _, n := range dir.Nodes() {
		nodes = append(nodes, n.ID)
	}
	for _, p := range people {
		for _, node := range nodes {
			for _, org := range []string{"", "phunu", "doan"} {
				r := View{Node: node, Org: org}
				views := Narrow(p, dir, r)
				for _, v := range views {
					if v.Node != "" && !CanSee(p, dir, v) {
						t.Errorf("%+v asks %v: Narrow gives %v, which CanSee refuses", p, r, v)
					}
				}
				var want []Node
				for _, u := range dir.ViewUnits(r) {
					if CanSee(p, dir, View{Node: u.ID}) {
						want = append(want, u)
					}
				}
				if got := dir.ViewUnits(views...); !slices.EqualFunc(got, want, func(a, b Node) bool { return a.ID == b.ID }) {
					t.Errorf("%+v asks %v: got units %v, want %v", p, r, got, want)
				}
			}
		}
	}
}

func TestChildPlaces(t *testing.T) {
	dir := mustDirectory(t)
	for node, want := range map[string][]string{"": {"laichau"}, "laichau": {"tanphong", "santhang"}, "tanphong": nil, "tanphong-doan": nil} {
		if got := dir.ChildPlaces(node); !slices.Equal(got, want) {
			t.Errorf("ChildPlaces(%q): got %v, want %v", node, got, want)
		}
	}
}

// TestHomesLeaveOutCovered: a home within another is no home of its own, so a city leader who
// also organises a unit gets one figures view, not two.
func TestHomesLeaveOutCovered(t *testing.T) {
	dir := mustDirectory(t)
	tests := []struct {
		p    Person
		want []View
	}{
		{Person{Scopes: []string{"laichau"}, Units: []string{"tanphong-phunu"}}, []View{{Node: "laichau"}}},
		{Person{Scopes: []string{"laichau@phunu"}, Units: []string{"tanphong-phunu"}}, []View{{Node: "laichau", Org: "phunu"}}},
		{Person{Units: []string{"tanphong-phunu", "santhang-phunu"}}, []View{{Node: "tanphong-phunu"}, {Node: "santhang-phunu"}}},
		{Person{Admin: true, Units: []string{"tanphong-phunu"}}, []View{{Node: "laichau"}}},
	}
	for _, tt := range tests {
		if got := Homes(tt.p, dir); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Homes(%+v): got %v, want %v", tt.p, got, tt.want)
		}
	}
}
