package storage

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"danvan/flows"
)

func TestSaveSessionCAS(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	if got, err := s.Session(ctx, "tg:1"); err != nil || !reflect.DeepEqual(got, flows.State{}) {
		t.Fatalf("Session of a new chat = %+v, %v; want the zero State", got, err)
	}
	pending := int64(125)
	v1 := flows.State{Version: 1, Lang: "vi", Screen: flows.Asking, Key: keyQ1, Step: 2}
	v2 := flows.State{Version: 2, Lang: "vi", Screen: flows.SoftConfirm, Key: keyQ1, Step: 2, Pending: &pending}
	steps := []struct {
		name    string
		st      flows.State
		prev    int64
		wantErr error
		want    flows.State
	}{
		{"first save", v1, 0, nil, v1},
		{"stale prev", v2, 0, flows.ErrConflict, v1},
		{"future prev", v2, 2, flows.ErrConflict, v1},
		{"next save", v2, 1, nil, v2},
	}
	for _, st := range steps {
		if err := s.SaveSession(ctx, "tg:1", st.st, st.prev); !errors.Is(err, st.wantErr) {
			t.Errorf("%s: got %v, want %v", st.name, err, st.wantErr)
		}
		if got, err := s.Session(ctx, "tg:1"); err != nil || !reflect.DeepEqual(got, st.want) {
			t.Errorf("%s: Session = %+v, %v; want %+v", st.name, got, err, st.want)
		}
	}
	if ttl := pttl(t, s, s.key("session", "tg:1")); ttl <= SessionTTL-time.Minute || ttl > SessionTTL {
		t.Errorf("session PTTL = %v, want about %v", ttl, SessionTTL)
	}
	if got, _ := s.Session(ctx, "tg:2"); got.Version != 0 {
		t.Errorf("other chat's Session version = %d, want 0", got.Version)
	}
}

func TestPeople(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	if got, err := s.Person(ctx, "tg:1"); err != nil || got.ID != "" {
		t.Fatalf("Person of a stranger = %+v, %v; want empty ID", got, err)
	}
	p := flows.Person{ID: "tg:1", Name: "Lò Thị Mai", Units: []string{keyQ1.Unit}, Admin: true}
	if err := s.Link(ctx, "tg:1", p); err != nil {
		t.Fatalf("Link: %v", err)
	}
	if err := s.Link(ctx, "zl:abc", p); err != nil { // the same person on Zalo
		t.Fatalf("Link second identity: %v", err)
	}
	stored := p
	stored.Admin = false // Admin comes from config, never from storage
	stored.Idents = []string{"tg:1", "zl:abc"}
	for _, ident := range []string{"tg:1", "zl:abc"} {
		if got, err := s.Person(ctx, ident); err != nil || !reflect.DeepEqual(got, stored) {
			t.Errorf("Person(%s) = %+v, %v; want %+v", ident, got, err, stored)
		}
	}

	// SavePerson stores the language only: the scope in this stale copy must not land.
	stale := stored
	stale.Lang, stale.Scopes = "en", []string{"lai-chau"}
	mustApply(t, s, flows.SavePerson{Person: stale})
	stored.Lang = "en"
	if err := s.MarkUnreachable(ctx, "zl:abc"); err != nil {
		t.Fatalf("MarkUnreachable: %v", err)
	}
	stored.Unreachable = true
	if got, err := s.Person(ctx, "tg:1"); err != nil || !reflect.DeepEqual(got, stored) {
		t.Errorf("after SavePerson and MarkUnreachable: Person = %+v, %v; want %+v", got, err, stored)
	}
	if err := s.MarkUnreachable(ctx, "tg:stranger"); err != nil {
		t.Errorf("MarkUnreachable of a stranger: got %v, want nil", err)
	}
	if err := s.Link(ctx, "tg:9", flows.Person{}); err == nil {
		t.Errorf("Link of a person without ID: got nil, want an error")
	}
}
