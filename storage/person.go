package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"

	"danvan/flows"
)

// maxWatchTries bounds the optimistic retries of MarkUnreachable; a person record is written
// rarely, so losing this many races in a row means something is wrong.
const maxWatchTries = 5

// Person returns the person linked to ident, or a Person with an empty ID when ident is linked to
// no one (or its person record is gone).
func (s *Store) Person(ctx context.Context, ident string) (flows.Person, error) {
	id, err := s.personID(ctx, ident)
	if err != nil || id == "" {
		return flows.Person{}, err
	}
	var p flows.Person
	err = s.getJSON(ctx, s.key("person", id), &p)
	if errors.Is(err, redis.Nil) {
		return flows.Person{}, nil
	}
	if err != nil {
		return flows.Person{}, fmt.Errorf("load person %s of %s: %w", id, ident, err)
	}
	return p, nil
}

// personID returns the id ident is linked to, "" when none.
func (s *Store) personID(ctx context.Context, ident string) (string, error) {
	if id, ok := s.idents.Load(ident); ok {
		return id.(string), nil
	}
	id, err := s.rdb.Get(ctx, s.key("ident", ident)).Result()
	if errors.Is(err, redis.Nil) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("load identity %s: %w", ident, err)
	}
	s.idents.Store(ident, id)
	return id, nil
}

// Load returns a chat's state and the person linked to ident, with the count of writes to the
// person's record (read before the record), in one round trip once the identity is known to
// this process (two before).
func (s *Store) Load(ctx context.Context, chat, ident string) (flows.State, flows.Person, flows.Stamps, error) {
	var st flows.State
	var p flows.Person
	var stamps flows.Stamps
	id, err := s.personID(ctx, ident)
	if err != nil {
		return st, p, stamps, err
	}
	stCmd := redis.NewStringCmd(ctx, "get", s.key("session", chat))
	cmds := []redis.Cmder{stCmd}
	var pCmd, nCmd *redis.StringCmd
	if id != "" {
		nCmd = redis.NewStringCmd(ctx, "get", s.personStampKey(id))
		pCmd = redis.NewStringCmd(ctx, "get", s.key("person", id))
		cmds = append(cmds, nCmd, pCmd)
	}
	if err := s.batch.do(ctx, cmds...); err != nil {
		return st, p, stamps, fmt.Errorf("load chat %s of %s: %w", chat, ident, err)
	}
	if err := decodeOptional(stCmd, &st); err != nil {
		return st, p, stamps, fmt.Errorf("load session %s: %w", chat, err)
	}
	if pCmd == nil {
		return st, p, stamps, nil
	}
	if err := decodeOptional(pCmd, &p); err != nil {
		return st, p, stamps, fmt.Errorf("load person %s: %w", id, err)
	}
	stamps.Person = id
	if stamps.Record, err = stampOf(nCmd); err != nil {
		return st, p, stamps, fmt.Errorf("load stamp of person %s: %w", id, err)
	}
	return st, p, stamps, nil
}

// decodeOptional decodes cmd's JSON into v, leaving v as it is when the key was missing.
func decodeOptional(cmd *redis.StringCmd, v any) error {
	b, err := cmd.Bytes()
	if errors.Is(err, redis.Nil) {
		return nil
	}
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// Link stores p and links ident to it, adding ident to p's Idents (after those stored) and
// keeping each of p's units' organiser index (P{u:<unit>}:people) in step with p.Units: p is
// added to every unit's index and taken out of the units the stored record had and p has not.
// The keys sit on different Cluster slots, so they are not one transaction: the person is written
// first (its stamp counted with it), then the unit indexes, then the identity, so a failure
// leaves at worst an unlinked record or an index a Link again puts right, never an identity
// pointing at nothing.
func (s *Store) Link(ctx context.Context, ident string, p flows.Person) error {
	if p.ID == "" || ident == "" {
		return fmt.Errorf("link %q to person %q: empty id", ident, p.ID)
	}
	dropped, err := s.putPerson(ctx, ident, p)
	if err != nil {
		return fmt.Errorf("link %s: %w", ident, err)
	}
	if err := s.indexOrganiser(ctx, p.ID, p.Units, dropped); err != nil {
		return fmt.Errorf("link %s: %w", ident, err)
	}
	if len(p.Scopes) > 0 {
		// Leaders get the reminders' digest; a leader stays listed even if their scopes go,
		// and the digest, which reads their scopes when it is sent, then has nothing for them.
		if err := s.AddLeader(ctx, p.ID); err != nil {
			return fmt.Errorf("link %s: %w", ident, err)
		}
	}
	if err := s.rdb.Set(ctx, s.key("ident", ident), p.ID, 0).Err(); err != nil {
		return fmt.Errorf("link %s to person %s: %w", ident, p.ID, err)
	}
	s.idents.Store(ident, p.ID)
	// A new organiser or leader, or somebody back from blocking the bot: the reminders' settled
	// steps look again.
	if err := s.moved(ctx); err != nil {
		return fmt.Errorf("link %s: %w", ident, err)
	}
	return nil
}

// MarkUnreachable records that the person linked to ident blocked the bot. An identity linked to
// no one has nothing to mark and is not an error.
func (s *Store) MarkUnreachable(ctx context.Context, ident string) error {
	id, err := s.personID(ctx, ident)
	if err != nil || id == "" {
		return err
	}
	err = s.editPerson(ctx, id, func(p *flows.Person) bool {
		changed := !p.Unreachable
		p.Unreachable = true
		return changed
	})
	if err != nil {
		return fmt.Errorf("mark %s (person %s) unreachable: %w", ident, id, err)
	}
	return nil
}

// setLang stores a person's own settings, language and preferred channel, and nothing else: a
// step may hold a person read a while ago, and writing it whole would undo units granted
// meanwhile from another chat.
func (s *Store) setLang(ctx context.Context, p flows.Person) error {
	err := s.editPerson(ctx, p.ID, func(stored *flows.Person) bool {
		changed := stored.Lang != p.Lang || stored.Channel != p.Channel
		stored.Lang, stored.Channel = p.Lang, p.Channel
		return changed
	})
	if err != nil {
		return fmt.Errorf("set language of %s: %w", p.ID, err)
	}
	return nil
}

// editPerson applies edit to the stored record of person id under WATCH, so a concurrent write
// of the same record is never overwritten with stale fields. A missing record is left alone;
// edit returns false when it changed nothing.
func (s *Store) editPerson(ctx context.Context, id string, edit func(*flows.Person) bool) error {
	key := s.key("person", id)
	var err error
	for range maxWatchTries {
		err = s.rdb.Watch(ctx, func(tx *redis.Tx) error { return editTx(ctx, tx, key, s.personStampKey(id), edit) }, key)
		if !errors.Is(err, redis.TxFailedErr) {
			return err
		}
	}
	return err
}

// editTx edits the record at key and counts the write in stamp, in one transaction.
func editTx(ctx context.Context, tx *redis.Tx, key, stamp string, edit func(*flows.Person) bool) error {
	b, err := tx.Get(ctx, key).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil
	}
	if err != nil {
		return err
	}
	var p flows.Person
	if err := json.Unmarshal(b, &p); err != nil {
		return fmt.Errorf("decode %s: %w", key, err)
	}
	if !edit(&p) {
		return nil
	}
	if b, err = json.Marshal(p); err != nil {
		return err
	}
	_, err = tx.TxPipelined(ctx, func(pipe redis.Pipeliner) error {
		pipe.Set(ctx, key, b, 0)
		pipe.Incr(ctx, stamp)
		return nil
	})
	return err
}
