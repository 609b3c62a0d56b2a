package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"

	"danvan/flows"
)

// submitScript replaces a unit's current submission if it is still at version ARGV[1] and
// returned (1) or not (0) as ARGV[8] says, and in the same step appends the history entry,
// updates the "who has submitted" index, empties the submitter's draft, counts the write in the
// unit's stamp and moves the tallies. KEYS: submission, history, index, draft, the unit's stamp,
// then (not on Cluster) the period's tally generation pointer.
// ARGV: expected version, submission JSON, history entry JSON, index field, new version,
// expected draft version (0: no draft), the emptied draft, expected returned flag, then
// tallyLua's arguments. Returns the unit's new stamp when written (never 0), 0 on conflict.
//
// The submitter's draft is emptied, not deleted, and its version goes on counting: were it
// deleted, a new draft would count from 1 again, and a step still holding the old draft at the
// same number would pass the version check and overwrite the new one. The returned flag is
// checked because a return keeps the version: the tally change was worked out from the old
// submission as the step saw it, and a return since then changed what that one contributes.
var submitScript = redis.NewScript(tallyLua + `
local cur = redis.call('GET', KEYS[1])
local v, r = 0, 0
if cur then
  local o = cjson.decode(cur)
  v = tonumber(o['version']) or 0
  if o['returned'] ~= nil and o['returned'] ~= cjson.null then r = 1 end
end
if v ~= tonumber(ARGV[1]) or r ~= tonumber(ARGV[8]) then return 0 end
local d = redis.call('GET', KEYS[4])
local dv = 0
if d then dv = tonumber(cjson.decode(d)['version']) or 0 end
if dv ~= tonumber(ARGV[6]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('RPUSH', KEYS[2], ARGV[3])
redis.call('HSET', KEYS[3], ARGV[4], ARGV[5])
if dv > 0 then redis.call('SET', KEYS[4], ARGV[7], 'KEEPTTL') end
local n = redis.call('INCR', KEYS[5])
tally(6, 9)
return n
`)

// submit stores sub as the new current version of its report and returns the unit's stamp after
// it. The changes against the version it replaces, and the tally change, are worked out here,
// from a read before the script; the script then checks that version is still the stored one, so
// neither can describe a version that lost a race.
func (s *Store) submit(ctx context.Context, e flows.Submit) (int64, error) {
	sub, form, draft := e.Submission, e.Form, e.Draft
	k := sub.Key
	if sub.Version < 1 {
		return 0, fmt.Errorf("submit %s: version %d is below 1", k, sub.Version)
	}
	old, err := s.replaced(ctx, e)
	if err != nil {
		return 0, fmt.Errorf("submit %s: %w", k, err)
	}
	if old.Version != sub.Version-1 {
		return 0, fmt.Errorf("submit %s as version %d over version %d: %w", k, sub.Version, old.Version, flows.ErrConflict)
	}
	entry := HistoryEntry{Version: sub.Version, By: sub.By, At: sub.At, Ref: sub.Ref, Values: sub.Values, Texts: sub.Texts}
	if old.Version > 0 {
		entry.Changes = flows.Changes(form, old.Values, sub.Values)
		entry.Edited = flows.TextChanges(form, old.Texts, sub.Texts)
	}
	subJSON, err := json.Marshal(sub)
	if err != nil {
		return 0, fmt.Errorf("submit %s: %w", k, err)
	}
	entryJSON, err := json.Marshal(entry)
	if err != nil {
		return 0, fmt.Errorf("submit %s: %w", k, err)
	}
	emptied, err := json.Marshal(e.Emptied())
	if err != nil {
		return 0, fmt.Errorf("submit %s: %w", k, err)
	}
	var prev *flows.Submission
	if old.Version > 0 {
		prev = &old
	}
	keys := []string{s.subKey(k), s.histKey(k), s.indexKey(k.Unit), s.draftKey(k, sub.By), s.unitStampKey(k.Unit)}
	args := []any{sub.Version - 1, subJSON, entryJSON, indexField(k.Period, k.Form), sub.Version, draft, emptied, returnedFlag(prev)}
	ok, err := s.runTallied(ctx, submitScript, keys, args, s.change(k, prev, &sub))
	if err != nil {
		return 0, fmt.Errorf("submit %s as version %d: %w", k, sub.Version, err)
	}
	if ok == 0 {
		return 0, fmt.Errorf("submit %s as version %d: %w", k, sub.Version, flows.ErrConflict)
	}
	return ok, nil
}

// replaced is the submission e replaces: the one the step saw when it says so and its version
// fits (the script checks it is still stored), else read now.
func (s *Store) replaced(ctx context.Context, e flows.Submit) (flows.Submission, error) {
	if r := e.Replaces; r != nil && r.Version == e.Submission.Version-1 {
		return *r, nil
	}
	if e.Submission.Version == 1 {
		return flows.Submission{}, nil
	}
	old, err := s.Submission(ctx, e.Submission.Key)
	if errors.Is(err, flows.ErrNotFound) {
		return flows.Submission{}, nil
	}
	return old, err
}
