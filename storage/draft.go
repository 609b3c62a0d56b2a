package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"danvan/flows"
)

// draftScript stores a draft if its stored version is still the expected one, and counts the
// write in the unit's stamp. KEYS: draft, the unit's stamp. ARGV: draft version expected, draft
// JSON, TTL ms. Returns the unit's new stamp when written (never 0), 0 when the version had
// moved on.
var draftScript = redis.NewScript(`
local cur = redis.call('GET', KEYS[1])
local v = 0
if cur then v = tonumber(cjson.decode(cur)['version']) or 0 end
if v ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return redis.call('INCR', KEYS[2])
`)

// saveDraft stores d if the stored draft is still at d.Version-1, and returns the unit's stamp
// after the write. It lives until its period closes (d.Until, measured from d.Updated on the
// bot's clock), or DraftTTL when it has no end.
func (s *Store) saveDraft(ctx context.Context, d flows.Draft) (int64, error) {
	ttl, err := draftTTL(d)
	if err != nil {
		return 0, err
	}
	b, err := json.Marshal(d)
	if err != nil {
		return 0, fmt.Errorf("save draft %s of %s: %w", d.Key, d.Person, err)
	}
	keys := []string{s.draftKey(d.Key, d.Person), s.unitStampKey(d.Key.Unit)}
	n, err := draftScript.Run(ctx, s.rdb, keys, d.Version-1, b, ttl.Milliseconds()).Int64()
	if err == nil && n == 0 {
		err = flows.ErrConflict
	}
	if err != nil {
		return 0, fmt.Errorf("save draft %s of %s as version %d: %w", d.Key, d.Person, d.Version, err)
	}
	return n, nil
}

// dropDraft deletes e's draft, counting the write in the unit's stamp in the same transaction,
// and returns the stamp after it.
func (s *Store) dropDraft(ctx context.Context, e flows.DropDraft) (int64, error) {
	var n *redis.IntCmd
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Del(ctx, s.draftKey(e.Key, e.Person))
		n = p.Incr(ctx, s.unitStampKey(e.Key.Unit))
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("drop draft %s of %s: %w", e.Key, e.Person, err)
	}
	return n.Val(), nil
}

// draftTTL is how long d lives: until its period closes, measured on the bot's clock.
func draftTTL(d flows.Draft) (time.Duration, error) {
	if d.Until.IsZero() {
		return DraftTTL, nil
	}
	if ttl := d.Until.Sub(d.Updated); ttl > 0 {
		return ttl, nil
	}
	return 0, fmt.Errorf("save draft %s of %s: its period closed at %s", d.Key, d.Person, d.Until.Format(time.RFC3339))
}
