package storage

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/redis/go-redis/v9"

	"danvan/flows"
)

// commitScript saves a draft and a chat's state together, each only if its stored version is
// the expected one. KEYS: session, draft. ARGV: session version expected, session JSON, draft
// version expected, draft JSON, session TTL ms, draft TTL ms. Returns 1 when both were written,
// 0 when either had moved on (and nothing was written).
var commitScript = redis.NewScript(`
local function ver(key, field)
  local cur = redis.call('GET', key)
  if not cur then return 0 end
  return tonumber(cjson.decode(cur)[field]) or 0
end
if ver(KEYS[1], 'v') ~= tonumber(ARGV[1]) then return 0 end
if ver(KEYS[2], 'version') ~= tonumber(ARGV[3]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[5])
redis.call('SET', KEYS[2], ARGV[4], 'PX', ARGV[6])
return 1
`)

// Commit stores what one step produced: its effects and the chat's new state st, provided the
// stored state is still at version prev; else flows.ErrConflict. The commonest step, an answer,
// saves one draft: on one Redis (or Sentinel) that and the state are a single script, so the
// answer costs one round trip and is stored whole or not at all. Otherwise, and on Cluster where
// the two keys sit on different slots, the effects are applied first and the state last, so a
// failure in between leaves the chat on the old question with the answer already safe.
func (s *Store) Commit(ctx context.Context, chat string, st flows.State, prev int64, effects []flows.Effect) error {
	if len(effects) == 1 && !s.cluster {
		if sd, ok := effects[0].(flows.SaveDraft); ok {
			return s.commitDraft(ctx, chat, st, prev, sd.Draft)
		}
	}
	if err := s.Apply(ctx, effects); err != nil {
		return err
	}
	return s.SaveSession(ctx, chat, st, prev)
}

func (s *Store) commitDraft(ctx context.Context, chat string, st flows.State, prev int64, d flows.Draft) error {
	ttl, err := draftTTL(d)
	if err != nil {
		return err
	}
	stJSON, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("commit session %s: %w", chat, err)
	}
	dJSON, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("commit draft %s: %w", d.Key, err)
	}
	keys := []string{s.key("session", chat), s.draftKey(d.Key, d.Person)}
	ok, err := commitScript.Run(ctx, s.rdb, keys, prev, stJSON, d.Version-1, dJSON,
		SessionTTL.Milliseconds(), ttl.Milliseconds()).Int()
	if err != nil {
		return fmt.Errorf("commit session %s with draft %s: %w", chat, d.Key, err)
	}
	if ok == 0 {
		return fmt.Errorf("commit session %s at version %d with draft %s at version %d: %w", chat, prev, d.Key, d.Version-1, flows.ErrConflict)
	}
	return nil
}
