package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"danvan/flows"
)

// casScript stores ARGV[3] at KEYS[1] if the version in the stored JSON's field ARGV[1] equals
// ARGV[2] (a missing record counts as version 0), with a TTL of ARGV[4] ms when it is above 0.
// It returns 1 when it wrote and 0 when the stored version moved on.
var casScript = redis.NewScript(`
local cur = redis.call('GET', KEYS[1])
local v = 0
if cur then v = tonumber(cjson.decode(cur)[ARGV[1]]) or 0 end
if v ~= tonumber(ARGV[2]) then return 0 end
if tonumber(ARGV[4]) > 0 then
  redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
else
  redis.call('SET', KEYS[1], ARGV[3])
end
return 1
`)

// cas runs casScript: v is stored at key if its stored version field is still prev.
func (s *Store) cas(ctx context.Context, key, field string, prev int64, v any, ttl time.Duration) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	ok, err := casScript.Run(ctx, s.rdb, []string{key}, field, prev, b, ttl.Milliseconds()).Int()
	if err != nil {
		return err
	}
	if ok == 0 {
		return flows.ErrConflict
	}
	return nil
}

// Session returns the chat's state, or the zero State for a chat never seen (or silent for longer
// than SessionTTL).
func (s *Store) Session(ctx context.Context, chat string) (flows.State, error) {
	var st flows.State
	err := s.getJSON(ctx, s.key("session", chat), &st)
	if errors.Is(err, redis.Nil) {
		return flows.State{}, nil
	}
	if err != nil {
		return flows.State{}, fmt.Errorf("load session %s: %w", chat, err)
	}
	return st, nil
}

// SaveSession stores st if the stored state is still at version prev (a chat never seen is at
// 0); else flows.ErrConflict and nothing is written.
func (s *Store) SaveSession(ctx context.Context, chat string, st flows.State, prev int64) error {
	if err := s.cas(ctx, s.key("session", chat), "v", prev, st, SessionTTL); err != nil {
		return fmt.Errorf("save session %s at version %d: %w", chat, prev, err)
	}
	return nil
}
