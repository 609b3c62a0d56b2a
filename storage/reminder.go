package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"danvan/flows"
)

// Reminder keys. The claim and done marks of one (period, person) share the hash tag
// {rm:<period>:<person>}, so the claim script touches one Cluster slot:
//
//	P{rm:<period>:<person>}:claim:<step>  "<holder>|<lease end, unix ms>"; the lease runs from
//	                                      the claim, the holder extends it while it sends; Redis
//	                                      expiry is only a clean-up, the lease end (on the bots'
//	                                      clock) decides
//	P{rm:<period>:<person>}:done:<step>   "1" once sent; ReminderTTL
//	P snooze:<period>:<person>            the snooze's end, unix ms; ReminderTTL, set only once
//	                                      (and in P snoozes:<period>, read at once: steps.go)
//	P{u:<unit>}:nudge                     "<day>|<flows.Nudge JSON>": the unit's latest nudge; NudgeTTL
//	P leaders                             set of the ids of people with a leader's scope
//	P rate:fanout:<channel>:<token hash>  the fan-out's shared pace of one bot token (FanoutRate)
//
// What a step's ticks share (the revision, settled steps, who had a step) is in steps.go; how
// long each key lives is in retention.go.

func (s *Store) remindKey(period, person, kind, step string) string {
	return s.prefix + "{rm:" + esc(period) + ":" + esc(person) + "}:" + kind + ":" + esc(step)
}

// claimScript takes a reminder's claim, or extends it for the holder that has it, unless it
// is done (2) or another holder's lease is still running (0); 1 when taken.
var claimScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 2 end
local v = redis.call('GET', KEYS[2])
if v and string.sub(v, 1, string.len(ARGV[1]) + 1) ~= ARGV[1] .. '|' then
  local exp = tonumber(string.match(v, '|(%d+)$'))
  if exp and exp > tonumber(ARGV[2]) then return 0 end
end
redis.call('SET', KEYS[2], ARGV[1] .. '|' .. ARGV[3], 'PX', ARGV[4])
return 1`)

// releaseScript deletes a claim only if holder still holds it.
var releaseScript = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, string.len(ARGV[1]) + 1) == ARGV[1] .. '|' then
  return redis.call('DEL', KEYS[1])
end
return 0`)

// ClaimReminder takes the claim of (period, step, person) for holder until now+lease, now
// being the moment of the claim on the caller's clock; called again by the holder that has it,
// it extends the lease to now+lease. It returns false when the reminder is done or another
// holder's lease runs past now; a claim whose holder died is taken over once its lease has run
// out. A reminder found done that the step's sent set (Reached) lacks, marked before there were
// sets or whose set write failed, is added to it, so the next tick knows without a claim.
func (s *Store) ClaimReminder(ctx context.Context, period, step, person, holder string, now time.Time, lease time.Duration) (bool, error) {
	keys := []string{s.remindKey(period, person, "done", step), s.remindKey(period, person, "claim", step)}
	end := now.Add(lease).UnixMilli()
	n, err := claimScript.Run(ctx, s.rdb, keys, holder, now.UnixMilli(), end, (lease + claimGrace).Milliseconds()).Int()
	if err != nil {
		return false, fmt.Errorf("claim reminder %s/%s/%s: %w", period, step, person, err)
	}
	if n == 2 {
		if err := s.reached(ctx, period, step, person); err != nil {
			return false, fmt.Errorf("claim reminder %s/%s/%s: %w", period, step, person, err)
		}
	}
	return n == 1, nil
}

// DoneReminder marks (period, step, person) sent, for good, drops its claim, and adds person to
// the step's sent set (Reached), which sits in another slot and so follows on its own.
func (s *Store) DoneReminder(ctx context.Context, period, step, person string) error {
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, s.remindKey(period, person, "done", step), "1", ReminderTTL)
		p.Del(ctx, s.remindKey(period, person, "claim", step))
		return nil
	})
	if err != nil {
		return fmt.Errorf("mark reminder %s/%s/%s done: %w", period, step, person, err)
	}
	if err := s.reached(ctx, period, step, person); err != nil {
		return fmt.Errorf("mark reminder %s/%s/%s done: %w", period, step, person, err)
	}
	return nil
}

// reached adds person to the sent set of (period, step).
func (s *Store) reached(ctx context.Context, period, step, person string) error {
	sent := s.stepSentKey(period, step, sentBucket(person))
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.SAdd(ctx, sent, person)
		p.Expire(ctx, sent, ReminderTTL)
		return nil
	})
	if err != nil {
		return fmt.Errorf("record who had %s/%s: %w", period, step, err)
	}
	return nil
}

// ReleaseReminder gives up holder's claim of (period, step, person), so the next tick may try.
func (s *Store) ReleaseReminder(ctx context.Context, period, step, person, holder string) error {
	key := s.remindKey(period, person, "claim", step)
	if err := releaseScript.Run(ctx, s.rdb, []string{key}, holder).Err(); err != nil {
		return fmt.Errorf("release reminder %s/%s/%s: %w", period, step, person, err)
	}
	return nil
}

// snooze stores a "remind me tomorrow" once: a second snooze of the same period keeps the first,
// so reminders come back after it.
func (s *Store) snooze(ctx context.Context, e flows.Snooze) error {
	key := s.key("snooze", esc(e.Period)+":"+e.Person)
	if err := s.rdb.SetNX(ctx, key, e.Until.UnixMilli(), ReminderTTL).Err(); err != nil {
		return fmt.Errorf("snooze %s for %s: %w", e.Person, e.Period, err)
	}
	all := s.snoozesKey(e.Period)
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.HSetNX(ctx, all, e.Person, e.Until.UnixMilli())
		p.Expire(ctx, all, ReminderTTL)
		p.Incr(ctx, s.revKey())
		return nil
	})
	if err != nil {
		return fmt.Errorf("snooze %s for %s: %w", e.Person, e.Period, err)
	}
	return nil
}

// SnoozedUntil returns when person's snooze of period ends; zero when there is none.
func (s *Store) SnoozedUntil(ctx context.Context, period, person string) (time.Time, error) {
	v, err := s.rdb.Get(ctx, s.key("snooze", esc(period)+":"+person)).Result()
	if errors.Is(err, redis.Nil) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("load snooze of %s for %s: %w", person, period, err)
	}
	ms, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("decode snooze of %s for %s: %w", person, period, err)
	}
	return time.UnixMilli(ms), nil
}

// nudgeScript records a nudge unless the unit's record is of the same day: KEYS[1] the unit's
// nudge, ARGV[1] the day, ARGV[2] the nudge (JSON), ARGV[3] its life in ms.
var nudgeScript = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, string.len(ARGV[1]) + 1) == ARGV[1] .. '|' then return 0 end
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'PX', ARGV[3])
return 1`)

// forgetNudgeScript deletes the unit's nudge only if it is of the day ARGV[1].
var forgetNudgeScript = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, string.len(ARGV[1]) + 1) == ARGV[1] .. '|' then return redis.call('DEL', KEYS[1]) end
return 0`)

func (s *Store) nudgeKey(unit string) string { return s.unitKey(unit, "nudge") }

// NudgeOnce records n as unit's nudge of day ("2006-01-02") and returns true, the first time
// unit is nudged that day; otherwise it keeps the first and returns false.
func (s *Store) NudgeOnce(ctx context.Context, unit, day string, n flows.Nudge) (bool, error) {
	b, err := json.Marshal(n)
	if err != nil {
		return false, fmt.Errorf("encode nudge of %s: %w", unit, err)
	}
	ok, err := nudgeScript.Run(ctx, s.rdb, []string{s.nudgeKey(unit)}, day, b, NudgeTTL.Milliseconds()).Int()
	if err != nil {
		return false, fmt.Errorf("nudge %s on %s: %w", unit, day, err)
	}
	return ok == 1, nil
}

// ForgetNudge drops the mark NudgeOnce set for unit on day, so the unit can be nudged again.
func (s *Store) ForgetNudge(ctx context.Context, unit, day string) error {
	if err := forgetNudgeScript.Run(ctx, s.rdb, []string{s.nudgeKey(unit)}, day).Err(); err != nil {
		return fmt.Errorf("forget nudge %s on %s: %w", unit, day, err)
	}
	return nil
}

// decodeNudge reads a unit's nudge record, "<day>|<json>"; nil when there is none.
func decodeNudge(cmd *redis.StringCmd) (*flows.Nudge, error) {
	v, err := cmd.Result()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	_, js, _ := strings.Cut(v, "|")
	var n flows.Nudge
	if err := json.Unmarshal([]byte(js), &n); err != nil {
		return nil, fmt.Errorf("decode nudge %q: %w", v, err)
	}
	return &n, nil
}

// Leaders returns the ids of every person with a leader's scope. Link adds them (AddLeader).
func (s *Store) Leaders(ctx context.Context) ([]string, error) {
	ids, err := s.rdb.SMembers(ctx, s.prefix+"leaders").Result()
	if err != nil {
		return nil, fmt.Errorf("load leaders: %w", err)
	}
	return ids, nil
}

// AddLeader records id among the leaders the digest goes to.
func (s *Store) AddLeader(ctx context.Context, id string) error {
	if err := s.rdb.SAdd(ctx, s.prefix+"leaders", id).Err(); err != nil {
		return fmt.Errorf("add leader %s: %w", id, err)
	}
	return nil
}
