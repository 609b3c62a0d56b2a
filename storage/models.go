package storage

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/redis/go-redis/v9"

	"danvan/flows"
)

// modelsKey is the hash of a unit's "Dân vận khéo" models, under the unit's hash tag.
func (s *Store) modelsKey(unit string) string { return s.unitKey(unit, "models") }

// modelScript stores a model if the stored one with its id is still at the version expected (0:
// none). KEYS: the unit's models. ARGV: id, version expected, model JSON. Returns 1 when written,
// 0 when the version had moved on (or the id was taken).
var modelScript = redis.NewScript(`
local cur = redis.call('HGET', KEYS[1], ARGV[1])
local v = 0
if cur then v = tonumber(cjson.decode(cur)['v']) or 0 end
if v ~= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
`)

// saveModel stores m if the stored model with its id is at version m.Version-1 (none for version
// 1), else returns flows.ErrConflict: two organisers registering at once never share an id, and a
// recognition never overwrites one made meanwhile.
func (s *Store) saveModel(ctx context.Context, m flows.Model) error {
	if m.Unit == "" || m.ID == "" || m.Version < 1 {
		return fmt.Errorf("save model %s as version %d: unit, id and a version are required", m, m.Version)
	}
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("save model %s: %w", m, err)
	}
	n, err := modelScript.Run(ctx, s.rdb, []string{s.modelsKey(m.Unit)}, m.ID, m.Version-1, b).Int()
	if err == nil && n == 0 {
		err = flows.ErrConflict
	}
	if err != nil {
		return fmt.Errorf("save model %s as version %d: %w", m, m.Version, err)
	}
	return nil
}

// Models returns the "Dân vận khéo" models of each of units that has any, in the order they were
// registered, in one pipelined round trip (one per node on Cluster).
func (s *Store) Models(ctx context.Context, units []string) (map[string][]flows.Model, error) {
	out := make(map[string][]flows.Model, len(units))
	if len(units) == 0 {
		return out, nil
	}
	cmds := make([]*redis.StringSliceCmd, len(units))
	all := make([]redis.Cmder, len(units))
	for i, u := range units {
		cmds[i] = redis.NewStringSliceCmd(ctx, "hvals", s.modelsKey(u))
		all[i] = cmds[i]
	}
	if err := s.batch.do(ctx, all...); err != nil {
		return nil, fmt.Errorf("load the models of %d units: %w", len(units), err)
	}
	for i, u := range units {
		raw, err := cmds[i].Result()
		if err != nil {
			return nil, fmt.Errorf("load the models of %s: %w", u, err)
		}
		for _, r := range raw {
			var m flows.Model
			if err := json.Unmarshal([]byte(r), &m); err != nil {
				return nil, fmt.Errorf("decode a model of %s: %w", u, err)
			}
			out[u] = append(out[u], m)
		}
		slices.SortFunc(out[u], func(a, b flows.Model) int { return cmp.Compare(modelNumber(a), modelNumber(b)) })
	}
	return out, nil
}

// modelNumber orders a unit's models: ids are numbers counted up as they are registered.
func modelNumber(m flows.Model) int {
	n, err := strconv.Atoi(m.ID)
	if err != nil {
		return 1 << 30
	}
	return n
}
