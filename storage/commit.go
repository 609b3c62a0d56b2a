package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"danvan/flows"
)

// UpdateTTL is how long an update id is remembered as handled: Telegram redelivers an update
// for up to a day.
const UpdateTTL = 48 * time.Hour

// commitScript stores a chat's state, and optionally one draft, each only if its stored version
// is the expected one, and records the update as handled. KEYS: session, update, [draft].
// ARGV: session version expected, session JSON, session TTL ms, update TTL ms, a mark unique to
// this call ("" not to record the update), [draft version expected, draft JSON, draft TTL ms].
// Returns 1 when written, 0 when a version had moved on and -1 when the update was handled
// before; then nothing is written. The update is recorded with the call's mark, so a client
// that sends the call again (go-redis retries after a timeout) finds its own mark and is told
// it wrote, not that the update was someone else's.
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
if KEYS[3] and ver(KEYS[3], 'version') ~= tonumber(ARGV[6]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
if KEYS[3] then redis.call('SET', KEYS[3], ARGV[7], 'PX', ARGV[8]) end
if ARGV[5] ~= '' then redis.call('SET', KEYS[2], ARGV[5], 'PX', ARGV[4]) end
return 1
`)

// Commit stores what one step of update produced: its effects and the chat's new state st,
// provided the stored state is still at version prev (else flows.ErrConflict), and records the
// update as handled (an update handled before gives flows.ErrDuplicate and writes nothing; an
// empty update id is not recorded).
//
// The commonest steps, an answer (one draft save) or a move between screens (no effect), are one
// script on one Redis or Sentinel: one round trip, stored whole or not at all, de-duplication
// included. Other steps, and every step on Cluster (the keys sit on different slots), claim the
// update first, apply the effects, then store the state, so a failure in between leaves the chat
// on the old question with the answer already safe; the claim is released on failure.
func (s *Store) Commit(ctx context.Context, chat, update string, st flows.State, prev int64, effects []flows.Effect) error {
	if !s.cluster {
		switch {
		case len(effects) == 0:
			return s.commitScripted(ctx, chat, update, st, prev, nil)
		case len(effects) == 1:
			if sd, ok := effects[0].(flows.SaveDraft); ok {
				return s.commitScripted(ctx, chat, update, st, prev, &sd.Draft)
			}
		}
	}
	return s.commitInSteps(ctx, chat, update, st, prev, effects)
}

func (s *Store) commitInSteps(ctx context.Context, chat, update string, st flows.State, prev int64, effects []flows.Effect) error {
	if update != "" {
		fresh, err := s.Claim(ctx, update)
		if err != nil {
			return err
		}
		if !fresh {
			return fmt.Errorf("commit update %s: %w", update, flows.ErrDuplicate)
		}
	}
	err := s.Apply(ctx, effects)
	if err == nil {
		err = s.SaveSession(ctx, chat, st, prev)
	}
	if err != nil && update != "" {
		_ = s.Release(context.WithoutCancel(ctx), update)
	}
	return err
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

func (s *Store) commitScripted(ctx context.Context, chat, update string, st flows.State, prev int64, d *flows.Draft) error {
	stJSON, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("commit session %s: %w", chat, err)
	}
	mark := ""
	if update != "" {
		mark = newMark()
	}
	keys := []string{s.key("session", chat), s.key("update", update)}
	args := []any{prev, stJSON, SessionTTL.Milliseconds(), UpdateTTL.Milliseconds(), mark}
	if d != nil {
		ttl, err := draftTTL(*d)
		if err != nil {
			return err
		}
		dJSON, err := json.Marshal(d)
		if err != nil {
			return fmt.Errorf("commit draft %s: %w", d.Key, err)
		}
		keys = append(keys, s.draftKey(d.Key, d.Person))
		args = append(args, d.Version-1, dJSON, ttl.Milliseconds())
	}
	switch ok, err := s.evalBatched(ctx, commitScript, keys, args...).Int(); {
	case err != nil:
		return fmt.Errorf("commit session %s: %w", chat, err)
	case ok == -1:
		return fmt.Errorf("commit update %s: %w", update, flows.ErrDuplicate)
	case ok == 0:
		return fmt.Errorf("commit session %s at version %d: %w", chat, prev, flows.ErrConflict)
	}
	return nil
}
