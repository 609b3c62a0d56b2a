package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/redis/go-redis/v9"

	"danvan/flows"
)

// organisersKey is the set of the ids of the people who report for unit.
func (s *Store) organisersKey(unit string) string { return s.unitKey(unit, "people") }

// putPerson overwrites p's record (Units and Scopes as given) under WATCH, keeping the identities
// already stored and adding ident, counting the write in p's stamp, and returns the units the
// stored record had and p has not.
func (s *Store) putPerson(ctx context.Context, ident string, p flows.Person) ([]string, error) {
	key := s.key("person", p.ID)
	var dropped []string
	put := func(tx *redis.Tx) error {
		var old flows.Person
		err := decodeOptional(tx.Get(ctx, key), &old)
		if err != nil {
			return fmt.Errorf("load person %s: %w", p.ID, err)
		}
		q := p
		q.Idents = slices.Clone(old.Idents)
		for _, id := range append(slices.Clone(p.Idents), ident) {
			if !slices.Contains(q.Idents, id) {
				q.Idents = append(q.Idents, id)
			}
		}
		dropped = slices.DeleteFunc(slices.Clone(old.Units), func(u string) bool { return slices.Contains(p.Units, u) })
		b, err := json.Marshal(q)
		if err != nil {
			return fmt.Errorf("encode person %s: %w", p.ID, err)
		}
		_, err = tx.TxPipelined(ctx, func(pipe redis.Pipeliner) error {
			pipe.Set(ctx, key, b, 0)
			pipe.Incr(ctx, s.personStampKey(p.ID))
			return nil
		})
		return err
	}
	var err error
	for range maxWatchTries {
		if err = s.rdb.Watch(ctx, put, key); !errors.Is(err, redis.TxFailedErr) {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("save person %s: %w", p.ID, err)
	}
	return dropped, nil
}

// indexOrganiser adds person to the organiser index of each of units and takes them out of
// dropped's, in one pipeline.
func (s *Store) indexOrganiser(ctx context.Context, person string, units, dropped []string) error {
	if len(units)+len(dropped) == 0 {
		return nil
	}
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, u := range units {
			p.SAdd(ctx, s.organisersKey(u), person)
		}
		for _, u := range dropped {
			p.SRem(ctx, s.organisersKey(u), person)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("index %s as organiser of %v (dropped %v): %w", person, units, dropped, err)
	}
	return nil
}

// People returns the records of the people ids name, in one pipelined round trip; an id with no
// record has no entry.
func (s *Store) People(ctx context.Context, ids []string) (map[string]flows.Person, error) {
	out := make(map[string]flows.Person, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	cmds := make([]*redis.StringCmd, len(ids))
	all := make([]redis.Cmder, len(ids))
	for i, id := range ids {
		cmds[i] = redis.NewStringCmd(ctx, "get", s.key("person", id))
		all[i] = cmds[i]
	}
	if err := s.batch.do(ctx, all...); err != nil {
		return nil, fmt.Errorf("load %d people: %w", len(ids), err)
	}
	for i, id := range ids {
		p, err := decodeCmd[flows.Person](cmds[i])
		if err != nil {
			return nil, fmt.Errorf("load person %s: %w", id, err)
		}
		if p != nil {
			out[id] = *p
		}
	}
	return out, nil
}
