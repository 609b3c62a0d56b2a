package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/redis/go-redis/v9"

	"danvan/flows"
)

// UpdateTTL is how long an update id is remembered as handled: Telegram redelivers an update
// for up to a day.
const UpdateTTL = 48 * time.Hour

// commitScript stores a chat's state, and optionally one draft, each only if its stored version
// is the expected one and the stamps the step read (flows.Stamps) have not moved, records the
// update as handled and counts the draft's write in its unit's stamp. KEYS: session, update, n
// stamps, [draft, the draft's unit stamp]. ARGV: session version expected, session JSON, session
// TTL ms, update TTL ms, a mark unique to this call ("" not to record the update), n, the n
// counts expected, [draft version expected, draft JSON, draft TTL ms]. Returns 1 when written, 0
// when a version or a stamp had moved on and -1 when the update was handled before; then nothing
// is written. The update is recorded with the call's mark, so a client that sends the call again
// (go-redis retries after a timeout) finds its own mark and is told it wrote, not that the
// update was someone else's.
var commitScript = redis.NewScript(`
if ARGV[5] ~= '' then
  local seen = redis.call('GET', KEYS[2])
  if seen == ARGV[5] then return 1 end
  if seen then return -1 end
end
local function ver(key, field)
  local cur = redis.call('GET', key)
  if not cur then return 0 end
  return tonumber(cjson.decode(cur)[field]) or 0
end
if ver(KEYS[1], 'v') ~= tonumber(ARGV[1]) then return 0 end
local n = tonumber(ARGV[6]) or 0
for i = 1, n do
  if (tonumber(redis.call('GET', KEYS[2 + i])) or 0) ~= tonumber(ARGV[6 + i]) then return 0 end
end
local d = 3 + n
if KEYS[d] and ver(KEYS[d], 'version') ~= tonumber(ARGV[7 + n]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
if KEYS[d] then
  redis.call('SET', KEYS[d], ARGV[8 + n], 'PX', ARGV[9 + n])
  redis.call('INCR', KEYS[d + 1])
end
if ARGV[5] ~= '' then redis.call('SET', KEYS[2], ARGV[5], 'PX', ARGV[4]) end
return 1
`)

// write is one effect as the store carries it out.
type write struct {
	// draft is set for a draft save, which the commit script can store with the chat's state.
	draft *flows.Draft
	// do carries the effect out and returns the count it left in unit's stamp (0 for none).
	do func(ctx context.Context) (int64, error)
	// unit is the unit whose stamp the write moves by one ("" for none); blind is set for a
	// write that may move a stamp without saying how far (a person's record).
	unit  string
	blind bool
	// stamp is, once do ran, the count it left in unit's stamp.
	stamp int64
}

// writeOf is the one place that says how the store keeps each effect. An outbound effect
// (flows.Effect.Outbound) is the caller's to send and never reaches it.
func (s *Store) writeOf(e flows.Effect) (write, error) {
	switch e := e.(type) {
	case flows.SaveDraft:
		return write{draft: &e.Draft, unit: e.Draft.Key.Unit, do: func(ctx context.Context) (int64, error) { return s.saveDraft(ctx, e.Draft) }}, nil
	case flows.DropDraft:
		return write{unit: e.Key.Unit, do: func(ctx context.Context) (int64, error) { return s.dropDraft(ctx, e) }}, nil
	case flows.Submit:
		return write{unit: e.Submission.Key.Unit, do: func(ctx context.Context) (int64, error) { return s.submit(ctx, e) }}, nil
	case flows.ReturnSubmission:
		return write{unit: e.Key.Unit, do: func(ctx context.Context) (int64, error) { return s.returnSubmission(ctx, e) }}, nil
	case flows.CreateInvite:
		return write{do: func(ctx context.Context) (int64, error) { return 0, s.createInvite(ctx, e.Invite) }}, nil
	case flows.SavePerson:
		return write{blind: true, do: func(ctx context.Context) (int64, error) { return 0, s.setLang(ctx, e.Person) }}, nil
	case flows.Snooze:
		return write{do: func(ctx context.Context) (int64, error) { return 0, s.snooze(ctx, e) }}, nil
	case flows.SaveModel:
		return write{do: func(ctx context.Context) (int64, error) { return 0, s.saveModel(ctx, e.Model) }}, nil
	}
	return write{}, fmt.Errorf("unknown effect %T", e)
}

// batch is a step's effects as the store keeps them.
type batch struct {
	writes []write
	sent   bool // some effects are the caller's to send after the commit
}

func (s *Store) batchOf(effects []flows.Effect) (batch, error) {
	var b batch
	for i, e := range effects {
		if e.Outbound() {
			b.sent = true
			continue
		}
		w, err := s.writeOf(e)
		if err != nil {
			return batch{}, fmt.Errorf("effect %d of %d: %w", i+1, len(effects), err)
		}
		b.writes = append(b.writes, w)
	}
	return b, nil
}

// single returns the draft b saves, if any, when b is what the commit script writes with the
// chat's state: nothing, or one draft save, each checked against the version the step read.
func (b batch) single() (*flows.Draft, bool) {
	switch len(b.writes) {
	case 0:
		return nil, true
	case 1:
		return b.writes[0].draft, b.writes[0].draft != nil
	}
	return nil, false
}

// Commit stores what one step of update produced: its effects and the chat's new state st,
// provided the stored state is still at version prev (else flows.ErrConflict), and records the
// update as handled (an update handled before gives flows.ErrDuplicate and writes nothing; an
// empty update id is not recorded). Outbound effects are skipped: the caller sends them once
// Commit returns nil.
//
// seen are the stamps of what the step read besides the chat's state (nil: nothing to check).
// If any has moved, another chat or process wrote something the step did not see, and Commit
// returns flows.ErrConflict before writing anything: the caller runs the step again on fresh
// data. So a step may run on a reading kept from an earlier step and still never show or write
// anything behind a write already acknowledged to someone. On success Commit returns the stamps
// as they stand after the step's own writes, for the caller to keep with its reading (brought
// up to date with flows.Reading.After); nil when it cannot tell its own writes from others that
// came in meanwhile, or a write moved a stamp without saying (a person's record), and then the
// reading must go.
//
// The commonest steps, an answer (one draft save) or a move between screens (no write), are one
// script on one Redis or Sentinel: one round trip, stamps checked, stored whole or not at all,
// de-duplication included. Other steps, and every step on Cluster (the keys sit on different
// slots), check the chat's state and the stamps first (one round trip), then claim the update,
// apply the effects and store the state, so a failure in between leaves the chat on the old
// question with the answer already safe. The claim is released when nothing was stored or another
// step moved the chat on (the step is run again); when the effects were stored but the state could
// not be, the update stays handled and the error wraps flows.ErrStateNotSaved.
func (s *Store) Commit(ctx context.Context, chat, update string, st flows.State, prev int64, effects []flows.Effect, seen *flows.Stamps) (*flows.Stamps, error) {
	b, err := s.batchOf(effects)
	if err != nil {
		return nil, fmt.Errorf("commit session %s: %w", chat, err)
	}
	if draft, single := b.single(); single && !s.cluster {
		if err := s.commitScripted(ctx, chat, update, st, prev, draft, seen); err != nil {
			return nil, err
		}
		if draft != nil && seen != nil {
			b.writes[0].stamp = seen.Units[draft.Key.Unit] + 1 // the script checked the count it moved
		}
		return b.stampsAfter(seen), nil
	}
	if seen != nil {
		if err := s.precheck(ctx, chat, prev, *seen); err != nil {
			return nil, fmt.Errorf("commit session %s: %w", chat, err)
		}
	}
	if err := s.commitInSteps(ctx, chat, update, st, prev, b); err != nil {
		return nil, err
	}
	return b.stampsAfter(seen), nil
}

// Apply makes effects durable, in order, skipping the outbound ones. Each effect is atomic on
// its own; a versioned one that lost a race, or an invite whose code is taken, returns an error
// wrapping flows.ErrConflict and writes nothing. Apply stops at the first error, leaving the
// effects before it applied: the caller reloads and runs the step again, and the versions make
// the retry safe.
func (s *Store) Apply(ctx context.Context, effects []flows.Effect) error {
	b, err := s.batchOf(effects)
	if err != nil {
		return err
	}
	return b.apply(ctx)
}

func (b batch) apply(ctx context.Context) error {
	for i := range b.writes {
		w := &b.writes[i]
		var err error
		if w.stamp, err = w.do(ctx); err != nil {
			return fmt.Errorf("effect %d of %d: %w", i+1, len(b.writes), err)
		}
	}
	return nil
}

// stampsAfter is seen as the batch's own writes left it: each write moved its unit's count by
// one from where the write before left it. It is nil when seen is, when a write may have moved a
// count without saying (blind) or touched a unit seen does not count (the caller would keep
// what nobody checks), and when a count moved otherwise: another write came in between.
func (b batch) stampsAfter(seen *flows.Stamps) *flows.Stamps {
	if seen == nil {
		return nil
	}
	out := *seen
	out.Units = maps.Clone(seen.Units)
	for _, w := range b.writes {
		if w.blind {
			return nil
		}
		if w.unit == "" {
			continue
		}
		if n, ok := out.Units[w.unit]; !ok || w.stamp != n+1 {
			return nil
		}
		out.Units[w.unit]++
	}
	return &out
}

func (s *Store) commitInSteps(ctx context.Context, chat, update string, st flows.State, prev int64, b batch) error {
	if update != "" {
		fresh, err := s.Claim(ctx, update)
		if err != nil {
			return err
		}
		if !fresh {
			return fmt.Errorf("commit update %s: %w", update, flows.ErrDuplicate)
		}
	}
	release := func() {
		if update != "" {
			_ = s.Release(context.WithoutCancel(ctx), update)
		}
	}
	if err := b.apply(ctx); err != nil {
		if !errors.Is(err, flows.ErrStateNotSaved) {
			release() // nothing stood: the step is run again
		}
		return err
	}
	err := s.SaveSession(ctx, chat, st, prev)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, flows.ErrConflict) || len(b.writes) == 0:
		release()
		return err
	}
	return fmt.Errorf("commit session %s: %w: %w", chat, flows.ErrStateNotSaved, err)
}

// evalBatched runs script in the batcher's next pipeline (EVALSHA); a server that does not know
// the script yet (first use, or restarted) gets it whole, with EVAL.
func (s *Store) evalBatched(ctx context.Context, script *redis.Script, keys []string, args ...any) *redis.Cmd {
	cmdArgs := make([]any, 0, 3+len(keys)+len(args))
	cmdArgs = append(cmdArgs, "evalsha", script.Hash(), len(keys))
	for _, k := range keys {
		cmdArgs = append(cmdArgs, k)
	}
	cmd := redis.NewCmd(ctx, append(cmdArgs, args...)...)
	if err := s.batch.do(ctx, cmd); err != nil {
		failed := redis.NewCmd(ctx) // cmd may still be in the batcher's hands
		failed.SetErr(err)
		return failed
	}
	if redis.HasErrorPrefix(cmd.Err(), "NOSCRIPT") {
		return script.Eval(ctx, s.rdb, keys, args...) // EVAL also caches it for the next EVALSHA
	}
	return cmd
}

func (s *Store) commitScripted(ctx context.Context, chat, update string, st flows.State, prev int64, d *flows.Draft, seen *flows.Stamps) error {
	stJSON, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("commit session %s: %w", chat, err)
	}
	mark := ""
	if update != "" {
		mark = newMark()
	}
	var stamps []string
	var counts []int64
	if seen != nil {
		stamps, counts = s.stampKeys(*seen)
	}
	keys := append([]string{s.key("session", chat), s.key("update", update)}, stamps...)
	args := []any{prev, stJSON, SessionTTL.Milliseconds(), UpdateTTL.Milliseconds(), mark, len(stamps)}
	for _, n := range counts {
		args = append(args, n)
	}
	if d != nil {
		ttl, err := draftTTL(*d)
		if err != nil {
			return err
		}
		dJSON, err := json.Marshal(d)
		if err != nil {
			return fmt.Errorf("commit draft %s: %w", d.Key, err)
		}
		keys = append(keys, s.draftKey(d.Key, d.Person), s.unitStampKey(d.Key.Unit))
		args = append(args, d.Version-1, dJSON, ttl.Milliseconds())
	}
	switch ok, err := s.evalBatched(ctx, commitScript, keys, args...).Int(); {
	case err != nil:
		return fmt.Errorf("commit session %s: %w", chat, err)
	case ok == -1:
		return fmt.Errorf("commit update %s: %w", update, flows.ErrDuplicate)
	case ok == 0:
		return fmt.Errorf("commit session %s at version %d (or what it read moved): %w", chat, prev, flows.ErrConflict)
	}
	return nil
}
