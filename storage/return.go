package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"

	"danvan/flows"
)

// returnScript marks a unit's current submission returned if it is still at version ARGV[1] and
// not returned yet, and in the same step appends the history entry, takes the report out of the
// "who has submitted" index, counts the write in the unit's stamp and moves the tallies. KEYS:
// submission, history, index, the unit's stamp, then (not on Cluster) the period's tally
// generation pointer. ARGV: expected version, the returned submission JSON, history entry JSON,
// index field, then tallyLua's arguments. Returns the unit's new stamp when written (never 0),
// 0 on conflict.
var returnScript = redis.NewScript(tallyLua + `
local cur = redis.call('GET', KEYS[1])
if not cur then return 0 end
local o = cjson.decode(cur)
if (tonumber(o['version']) or 0) ~= tonumber(ARGV[1]) then return 0 end
if o['returned'] ~= nil and o['returned'] ~= cjson.null then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('RPUSH', KEYS[2], ARGV[3])
redis.call('HDEL', KEYS[3], ARGV[4])
local n = redis.call('INCR', KEYS[4])
tally(5, 5)
return n
`)

// returnSubmission sends version e.Version of report e.Key back for correction: the unit counts
// as not reported (in the index and the tallies) until it submits again, and the history keeps
// who returned it, when and why. It returns the unit's stamp after the write. The returned copy
// is made here from a read, not in Lua, so the
// figures keep their exact JSON; the script checks the version is still current and not
// returned, which pins that read down (a version is written once, and only a return edits it).
func (s *Store) returnSubmission(ctx context.Context, e flows.ReturnSubmission) (int64, error) {
	k := e.Key
	cur, err := s.Submission(ctx, k)
	if errors.Is(err, flows.ErrNotFound) {
		return 0, fmt.Errorf("return %s version %d: nothing submitted: %w", k, e.Version, flows.ErrConflict)
	}
	if err != nil {
		return 0, fmt.Errorf("return %s version %d: %w", k, e.Version, err)
	}
	if cur.Version != e.Version || cur.Returned != nil {
		return 0, fmt.Errorf("return %s version %d: current is version %d (returned %t): %w",
			k, e.Version, cur.Version, cur.Returned != nil, flows.ErrConflict)
	}
	ret := cur
	r := e.Return
	ret.Returned = &r
	subJSON, err := json.Marshal(ret)
	if err != nil {
		return 0, fmt.Errorf("return %s: %w", k, err)
	}
	entryJSON, err := json.Marshal(HistoryEntry{Version: cur.Version, By: r.By, At: r.At, Ref: cur.Ref, Returned: &r})
	if err != nil {
		return 0, fmt.Errorf("return %s: %w", k, err)
	}
	keys := []string{s.subKey(k), s.histKey(k), s.indexKey(k.Unit), s.unitStampKey(k.Unit)}
	args := []any{cur.Version, subJSON, entryJSON, indexField(k.Period, k.Form)}
	ok, err := s.runTallied(ctx, returnScript, keys, args, s.change(k, &cur, &ret))
	if err != nil {
		return 0, fmt.Errorf("return %s version %d: %w", k, e.Version, err)
	}
	if ok == 0 {
		return 0, fmt.Errorf("return %s version %d: %w", k, e.Version, flows.ErrConflict)
	}
	// The unit owes the report again: the reminders' settled steps look again.
	if err := s.moved(ctx); err != nil {
		return ok, fmt.Errorf("return %s version %d: %w", k, e.Version, err)
	}
	return ok, nil
}

// returnedFlag is the submit script's ARGV for whether the replaced submission was returned.
func returnedFlag(old *flows.Submission) int {
	if old != nil && old.Returned != nil {
		return 1
	}
	return 0
}

// Histories returns every version of each report in keys, oldest first, as the submissions they
// were, with Returned set on a version that was sent back: what flows reads as Env.History. One
// pipelined round trip; a report never submitted has no entry.
func (s *Store) Histories(ctx context.Context, keys []flows.Key) (map[flows.Key][]flows.Submission, error) {
	out := make(map[flows.Key][]flows.Submission, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	cmds := make([]*redis.StringSliceCmd, len(keys))
	all := make([]redis.Cmder, len(keys))
	for i, k := range keys {
		cmds[i] = redis.NewStringSliceCmd(ctx, "lrange", s.histKey(k), 0, -1)
		all[i] = cmds[i]
	}
	if err := s.batch.do(ctx, all...); err != nil {
		return nil, fmt.Errorf("load %d histories: %w", len(keys), err)
	}
	for i, k := range keys {
		raw, err := cmds[i].Result()
		if err != nil {
			return nil, fmt.Errorf("load history %s: %w", k, err)
		}
		if vs, err := versions(k, raw); err != nil {
			return nil, err
		} else if len(vs) > 0 {
			out[k] = vs
		}
	}
	return out, nil
}

// versions turns history entries into the submissions they record, folding each return into the
// version it sent back.
func versions(k flows.Key, raw []string) ([]flows.Submission, error) {
	var out []flows.Submission
	for i, r := range raw {
		var e HistoryEntry
		if err := json.Unmarshal([]byte(r), &e); err != nil {
			return nil, fmt.Errorf("decode history %s entry %d: %w", k, i, err)
		}
		if e.Returned != nil {
			for j := len(out) - 1; j >= 0; j-- {
				if out[j].Version == e.Version {
					out[j].Returned = e.Returned
					break
				}
			}
			continue
		}
		sub := flows.Submission{Key: k, Ref: e.Ref, Values: e.Values, Texts: e.Texts, By: e.By, At: e.At, Version: e.Version}
		if len(out) > 0 {
			sub.FirstAt = out[0].First()
		}
		out = append(out, sub)
	}
	return out, nil
}
