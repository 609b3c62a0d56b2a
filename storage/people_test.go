package storage

import (
	"reflect"
	"slices"
	"testing"

	"danvan/flows"
)

func members(t *testing.T, s *Store, unit string) []string {
	t.Helper()
	got, err := s.rdb.SMembers(t.Context(), s.organisersKey(unit)).Result()
	if err != nil {
		t.Fatalf("SMEMBERS organisers of %s: %v", unit, err)
	}
	slices.Sort(got)
	return got
}

// Link keeps each unit's organiser index and the person's identities, also when units go.
func TestLinkKeepsOrganiserIndex(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	steps := []struct {
		name   string
		ident  string
		person flows.Person
		want   map[string][]string // unit → organisers afterwards
		idents []string
	}{
		{"first organiser", "tg:1", flows.Person{ID: "tg:1", Units: []string{"u1", "u2"}},
			map[string][]string{"u1": {"tg:1"}, "u2": {"tg:1"}, "u3": {}}, []string{"tg:1"}},
		{"second organiser", "tg:2", flows.Person{ID: "tg:2", Units: []string{"u2"}},
			map[string][]string{"u1": {"tg:1"}, "u2": {"tg:1", "tg:2"}, "u3": {}}, []string{"tg:2"}},
		{"unit swapped, same person on Zalo", "zalo:x", flows.Person{ID: "tg:1", Units: []string{"u1", "u3"}},
			map[string][]string{"u1": {"tg:1"}, "u2": {"tg:2"}, "u3": {"tg:1"}}, []string{"tg:1", "zalo:x"}},
		{"relinked, no duplicate ident", "tg:1", flows.Person{ID: "tg:1", Units: []string{"u1", "u3"}, Idents: []string{"tg:1"}},
			map[string][]string{"u1": {"tg:1"}, "u2": {"tg:2"}, "u3": {"tg:1"}}, []string{"tg:1", "zalo:x"}},
	}
	for _, st := range steps {
		if err := s.Link(ctx, st.ident, st.person); err != nil {
			t.Fatalf("%s: Link: %v", st.name, err)
		}
		for unit, want := range st.want {
			if got := members(t, s, unit); !slices.Equal(got, want) {
				t.Errorf("%s: organisers of %s: got %v, want %v", st.name, unit, got, want)
			}
		}
		if got, err := s.Person(ctx, st.ident); err != nil || !slices.Equal(got.Idents, st.idents) {
			t.Errorf("%s: Idents = %v, %v; want %v", st.name, got.Idents, err, st.idents)
		}
	}
}

func TestPeopleOneRoundTrip(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	a := flows.Person{ID: "tg:1", Name: "Lò Thị Mai", Units: []string{"u1"}}
	b := flows.Person{ID: "tg:2", Name: "Tòng Văn Hải", Scopes: []string{"city"}, Lang: "en"}
	for _, p := range []flows.Person{a, b} {
		if err := s.Link(ctx, p.ID, p); err != nil {
			t.Fatalf("Link %s: %v", p.ID, err)
		}
	}
	if got, err := s.People(ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("People(nil) = %v, %v; want empty", got, err)
	}
	hook := &countHook{}
	s.rdb.AddHook(hook)
	got, err := s.People(ctx, []string{"tg:1", "tg:2", "tg:nobody"})
	a.Idents, b.Idents = []string{"tg:1"}, []string{"tg:2"}
	want := map[string]flows.Person{"tg:1": a, "tg:2": b}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("People = %+v, %v; want %+v", got, err, want)
	}
	if trips := hook.cmds.Load() + hook.pipes.Load(); trips != 1 {
		t.Errorf("People took %d round trips, want 1", trips)
	}
}
