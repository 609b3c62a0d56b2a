package storage

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/redis/go-redis/v9"
)

// The key schema is the layout of the keys (store.go), numbered: P meta:schema holds the number
// of the last migration applied, and a store without it is at 0 (the layout before numbering).

// Migration is one numbered change of the stored layout, from Version-1 to Version. Up must be
// idempotent (two replicas starting at once both run it; a crash before the number is written
// runs it again) and must leave keys the previous program still reads, since old replicas may
// keep running while a new one migrates.
type Migration struct {
	// Version is the schema the migration brings the store to.
	Version int
	// Name says what it does, for the operator.
	Name string
	// Up makes the change.
	Up func(ctx context.Context, s *Store) error
}

// migrations lists every migration in order: Version i+1 at index i.
var migrations = []Migration{
	{Version: 1, Name: "drop the Zalo menus kept as strings (P zmenu:<chat>) before menus became lists", Up: dropStringMenus},
}

// SchemaVersion is the key schema this program reads and writes: its last migration's Version.
const SchemaVersion = 1

// ErrSchemaTooNew is returned for a store whose key schema is newer than SchemaVersion: a newer
// danvan has migrated it, and this one could misread or damage its keys.
var ErrSchemaTooNew = errors.New("the store's key schema is newer than this program knows")

// Migrations returns the migrations this program knows, oldest first.
func Migrations() []Migration { return append([]Migration(nil), migrations...) }

func (s *Store) schemaKey() string { return s.prefix + "meta:schema" }

// Schema returns the store's key schema: the number in P meta:schema, 0 when there is none.
func (s *Store) Schema(ctx context.Context) (int, error) {
	v, err := s.rdb.Get(ctx, s.schemaKey()).Result()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("load the key schema: %w", err)
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("load the key schema: %q is not a number", v)
	}
	return n, nil
}

// raiseSchemaScript sets KEYS[1] to ARGV[1] unless it holds a higher number (a newer replica may
// have migrated further meanwhile), and returns the number it held.
var raiseSchemaScript = redis.NewScript(`
local cur = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if cur < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end
return cur`)

// Migrate brings the store to SchemaVersion: it runs each migration above the stored schema, in
// order, and records its number once it succeeded; ran hears of each before it runs. It returns
// the schema the store was at. A store at SchemaVersion runs nothing; one above it is refused
// (ErrSchemaTooNew) and nothing is written.
func (s *Store) Migrate(ctx context.Context, ran func(Migration)) (int, error) {
	from, err := s.Schema(ctx)
	if err != nil {
		return 0, err
	}
	if from > SchemaVersion {
		return from, fmt.Errorf("schema %d, this program knows up to %d; run a newer danvan: %w", from, SchemaVersion, ErrSchemaTooNew)
	}
	for _, m := range migrations[from:] {
		if ran != nil {
			ran(m)
		}
		if err := m.Up(ctx, s); err != nil {
			return from, fmt.Errorf("migration %d (%s): %w", m.Version, m.Name, err)
		}
		if err := raiseSchemaScript.Run(ctx, s.rdb, []string{s.schemaKey()}, m.Version).Err(); err != nil {
			return from, fmt.Errorf("migration %d (%s): record it: %w", m.Version, m.Name, err)
		}
	}
	return from, nil
}

// dropStringMenus deletes the Zalo menus kept before menus became lists: a string
// P zmenu:<chat> per chat, which nothing has read since (P zmenus:<chat> lists replaced them).
// They expire within a day of their last use; this takes them out of memory and dumps now.
func dropStringMenus(ctx context.Context, s *Store) error {
	return s.forEachNode(ctx, func(ctx context.Context, c *redis.Client) error {
		return scanKeys(ctx, c, s.prefix+"zmenu:", "string", 1000, func(keys []string) error {
			// One UNLINK per key: on Cluster the keys of one node lie in different slots.
			_, err := c.Pipelined(ctx, func(p redis.Pipeliner) error {
				for _, k := range keys {
					p.Unlink(ctx, k)
				}
				return nil
			})
			return err
		})
	})
}
