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

// Apply makes effects durable, in order. Each effect is atomic on its own; a versioned one that
// lost a race, or an invite whose code is taken, returns an error wrapping flows.ErrConflict and
// writes nothing. Apply stops at the
// first error, leaving the effects before it applied: the caller reloads and runs the step again,
// and the versions make the retry safe.
func (s *Store) Apply(ctx context.Context, effects []flows.Effect) error {
	for i, e := range effects {
		if err := s.apply(ctx, e); err != nil {
			return fmt.Errorf("effect %d of %d: %w", i+1, len(effects), err)
		}
	}
	return nil
}

func (s *Store) apply(ctx context.Context, e flows.Effect) error {
	switch e := e.(type) {
	case flows.SaveDraft:
		return s.saveDraft(ctx, e.Draft)
	case flows.DropDraft:
		if err := s.rdb.Del(ctx, s.draftKey(e.Key, e.Person)).Err(); err != nil {
			return fmt.Errorf("drop draft %s of %s: %w", e.Key, e.Person, err)
		}
		return nil
	case flows.Submit:
		return s.submit(ctx, e)
	case flows.CreateInvite:
		return s.createInvite(ctx, e.Invite)
	case flows.SavePerson:
		return s.setLang(ctx, e.Person)
	case flows.ReturnSubmission:
		return s.returnSubmission(ctx, e)
	case flows.Snooze:
		return s.snooze(ctx, e)
	default:
		return fmt.Errorf("unknown effect %T", e)
	}
}

// saveDraft stores d if the stored draft is still at d.Version-1. It lives until its period
// closes (d.Until, measured from d.Updated on the bot's clock), or DraftTTL when it has no end.
func (s *Store) saveDraft(ctx context.Context, d flows.Draft) error {
	ttl, err := draftTTL(d)
	if err != nil {
		return err
	}
	if err := s.cas(ctx, s.draftKey(d.Key, d.Person), "version", d.Version-1, d, ttl); err != nil {
		return fmt.Errorf("save draft %s of %s as version %d: %w", d.Key, d.Person, d.Version, err)
	}
	return nil
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

// submitScript replaces a unit's current submission if it is still at version ARGV[1] and
// returned (1) or not (0) as ARGV[8] says, and in the same step appends the history entry,
// updates the "who has submitted" index, empties the submitter's draft and moves the tallies.
// KEYS: submission, history, index, draft, then (not on Cluster) the tally set and the tallies.
// ARGV: expected version, submission JSON, history entry JSON, index field, new version,
// expected draft version (0: no draft), the emptied draft, expected returned flag, then the
// tally field, increment pairs. Returns 1 when written, 0 on conflict.
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
tally(5, 9)
return 1
`)

// submit stores sub as the new current version of its report. The changes against the version it
// replaces, and the tally change, are worked out here, from a read before the script; the script
// then checks that version is still the stored one, so neither can describe a version that lost
// a race.
func (s *Store) submit(ctx context.Context, e flows.Submit) error {
	sub, form, draft := e.Submission, e.Form, e.Draft
	k := sub.Key
	if sub.Version < 1 {
		return fmt.Errorf("submit %s: version %d is below 1", k, sub.Version)
	}
	old, err := s.replaced(ctx, e)
	if err != nil {
		return fmt.Errorf("submit %s: %w", k, err)
	}
	if old.Version != sub.Version-1 {
		return fmt.Errorf("submit %s as version %d over version %d: %w", k, sub.Version, old.Version, flows.ErrConflict)
	}
	entry := HistoryEntry{Version: sub.Version, By: sub.By, At: sub.At, Ref: sub.Ref, Values: sub.Values}
	if old.Version > 0 {
		entry.Changes = flows.Changes(form, old.Values, sub.Values)
	}
	subJSON, err := json.Marshal(sub)
	if err != nil {
		return fmt.Errorf("submit %s: %w", k, err)
	}
	entryJSON, err := json.Marshal(entry)
	if err != nil {
		return fmt.Errorf("submit %s: %w", k, err)
	}
	emptied, err := json.Marshal(flows.Draft{Key: k, Person: sub.By, Answers: map[string]int64{}, Version: draft + 1, Updated: sub.At})
	if err != nil {
		return fmt.Errorf("submit %s: %w", k, err)
	}
	var prev *flows.Submission
	if old.Version > 0 {
		prev = &old
	}
	keys := []string{s.subKey(k), s.histKey(k), s.indexKey(k.Unit), s.draftKey(k, sub.By)}
	args := []any{sub.Version - 1, subJSON, entryJSON, indexField(k.Period, k.Form), sub.Version, draft, emptied, returnedFlag(prev)}
	ok, err := s.runTallied(ctx, submitScript, keys, args, s.change(k, prev, &sub))
	if err != nil {
		return fmt.Errorf("submit %s as version %d: %w", k, sub.Version, err)
	}
	if ok == 0 {
		return fmt.Errorf("submit %s as version %d: %w", k, sub.Version, flows.ErrConflict)
	}
	return nil
}

// createInvite stores inv for its lifetime, Expires − Created. The lifetime, not Expires itself,
// goes to Redis: the bot's clock (injected, maybe far from Redis's) decides when an invite
// expires, and the dispatcher checks Expires on redeem; Redis only forgets it about then. It
// refuses a code that is already stored, so a collision of random codes can never hand someone
// else's invite out twice: that error wraps flows.ErrConflict, so the caller runs the step again
// and draws a new code.
func (s *Store) createInvite(ctx context.Context, inv flows.Invite) error {
	if inv.Code == "" {
		return errors.New("create invite: empty code")
	}
	life := inv.Expires.Sub(inv.Created)
	if life <= 0 {
		return fmt.Errorf("create invite %s: expires %s, not after it was created", inv.Code, inv.Expires.Format(time.RFC3339))
	}
	b, err := json.Marshal(inv)
	if err != nil {
		return fmt.Errorf("create invite %s: %w", inv.Code, err)
	}
	ok, err := s.rdb.Do(ctx, "SET", s.key("invite", inv.Code), b, "NX", "PX", life.Milliseconds()).Result()
	if errors.Is(err, redis.Nil) || (err == nil && ok != "OK") {
		return fmt.Errorf("create invite %s: code already in use: %w", inv.Code, flows.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("create invite %s: %w", inv.Code, err)
	}
	return nil
}
