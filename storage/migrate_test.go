package storage

import (
	"errors"
	"testing"
	"time"
)

// The registry is numbered 1, 2, … and ends at SchemaVersion.
func TestMigrationsNumbered(t *testing.T) {
	for i, m := range Migrations() {
		if m.Version != i+1 || m.Name == "" || m.Up == nil {
			t.Errorf("migration %d: got version %d %q, want version %d with a name and a step", i, m.Version, m.Name, i+1)
		}
	}
	if got := len(Migrations()); got != SchemaVersion {
		t.Errorf("migrations: got %d, want SchemaVersion %d", got, SchemaVersion)
	}
}

// Migration 1 deletes the menus of before lists (strings P zmenu:<chat>) and nothing else.
func TestMigrationDropsStringMenus(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	rdb := s.rdb
	old := []string{s.prefix + "zmenu:zalo:1", s.prefix + "zmenu:zalo:2"}
	for _, k := range old {
		if err := rdb.Set(ctx, k, `{"buttons":[]}`, 24*time.Hour).Err(); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.AddMenu(ctx, "zalo:1", []byte(`{"b":1}`), true, time.Hour); err != nil {
		t.Fatal(err)
	}
	keep := []string{s.prefix + "zmenus:zalo:1", s.prefix + "zmenu:list", s.prefix + "person:zmenu:x"}
	rdb.RPush(ctx, s.prefix+"zmenu:list", "not a string: not ours to judge")
	rdb.Set(ctx, s.prefix+"person:zmenu:x", "{}", 0)

	var ran []int
	from, err := s.Migrate(ctx, func(m Migration) { ran = append(ran, m.Version) })
	if err != nil || from != 0 || len(ran) != SchemaVersion {
		t.Fatalf("Migrate: got from %d, ran %v, %v; want from 0, all %d run", from, ran, err, SchemaVersion)
	}
	// One key a command: on a Cluster the keys sit in different slots.
	exist := func(keys []string) (n int64) {
		for _, k := range keys {
			n += rdb.Exists(ctx, k).Val()
		}
		return n
	}
	if n := exist(old); n != 0 {
		t.Errorf("string menus after migration: got %d, want 0", n)
	}
	if n := exist(keep); n != int64(len(keep)) {
		t.Errorf("other keys after migration: got %d of %d", n, len(keep))
	}
	if v, err := s.Schema(ctx); err != nil || v != SchemaVersion {
		t.Errorf("Schema: got %d, %v, want %d", v, err, SchemaVersion)
	}

	ran = nil
	if from, err := s.Migrate(ctx, func(m Migration) { ran = append(ran, m.Version) }); err != nil || from != SchemaVersion || ran != nil {
		t.Errorf("Migrate again: got from %d, ran %v, %v; want nothing run", from, ran, err)
	}
}

// Each step is idempotent: run twice (two replicas at once), it leaves the same keys.
func TestMigrationsIdempotent(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	s.rdb.Set(ctx, s.prefix+"zmenu:zalo:1", "{}", time.Hour)
	for _, m := range Migrations() {
		for range 2 {
			if err := m.Up(ctx, s); err != nil {
				t.Errorf("migration %d: %v", m.Version, err)
			}
		}
	}
}

// A store migrated by a newer program is refused, and nothing is written to it.
func TestMigrateRefusesNewerSchema(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	s.rdb.Set(ctx, s.schemaKey(), SchemaVersion+1, 0)
	s.rdb.Set(ctx, s.prefix+"zmenu:zalo:1", "{}", time.Hour)
	from, err := s.Migrate(ctx, func(m Migration) { t.Errorf("ran migration %d", m.Version) })
	if !errors.Is(err, ErrSchemaTooNew) || from != SchemaVersion+1 {
		t.Errorf("Migrate: got %d, %v, want %d, ErrSchemaTooNew", from, err, SchemaVersion+1)
	}
	if n := s.rdb.Exists(ctx, s.prefix+"zmenu:zalo:1").Val(); n != 1 {
		t.Errorf("keys of a newer schema: got %d, want untouched", n)
	}
}
