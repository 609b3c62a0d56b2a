package storage

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// What a reminder step's ticks share across processes (reminders.Steps, reminders.Survey):
//
//	P remind:rev                    integer, moved by every return, Link and snooze (Revision)
//	P remind:step:<period>:<step>   the scheduler's mark of a settled step (opaque); ReminderTTL
//	P rsent:<period>:<step>:<b>     set of the people the step went to whose id hashes to bucket
//	                                b of sentBuckets; ReminderTTL
//	P snoozes:<period>              hash person → the snooze's end (unix ms); ReminderTTL
//
// The sent sets are split in buckets so that no one reply carries a step's 200,000 people: all
// of them are read in one pipelined round trip, each a short command.

// sentBuckets is how many sets one step's sent marks are spread over.
const sentBuckets = 64

func (s *Store) revKey() string { return s.prefix + "remind:rev" }

func (s *Store) stepKey(key string) string {
	period, step, _ := strings.Cut(key, "|")
	return s.prefix + "remind:step:" + esc(period) + ":" + esc(step)
}

func (s *Store) stepSentKey(period, step string, bucket uint32) string {
	return s.prefix + "rsent:" + esc(period) + ":" + esc(step) + ":" + strconv.Itoa(int(bucket))
}

func sentBucket(person string) uint32 {
	h := fnv.New32a()
	_, _ = h.Write([]byte(person))
	return h.Sum32() % sentBuckets
}

func (s *Store) snoozesKey(period string) string { return s.prefix + "snoozes:" + esc(period) }

// Revision implements reminders.Survey: a number every return, Link and snooze moves.
func (s *Store) Revision(ctx context.Context) (int64, error) {
	n, err := s.rdb.Get(ctx, s.revKey()).Int64()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("load reminders revision: %w", err)
	}
	return n, nil
}

// moved moves the revision after a write that may give somebody a reminder to get. It is a
// write of its own after that one: a crash in between leaves the reminders to find it at their
// next step.
func (s *Store) moved(ctx context.Context) error {
	if err := s.rdb.Incr(ctx, s.revKey()).Err(); err != nil {
		return fmt.Errorf("move reminders revision: %w", err)
	}
	return nil
}

// StepMarks implements reminders.Steps: the marks of keys ("<period>|<step>") that have one, in
// one pipelined round trip.
func (s *Store) StepMarks(ctx context.Context, keys []string) (map[string]string, error) {
	out := make(map[string]string, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	cmds := make([]*redis.StringCmd, len(keys))
	all := make([]redis.Cmder, len(keys))
	for i, k := range keys {
		cmds[i] = redis.NewStringCmd(ctx, "get", s.stepKey(k))
		all[i] = cmds[i]
	}
	if err := s.batch.do(ctx, all...); err != nil {
		return nil, fmt.Errorf("load %d step marks: %w", len(keys), err)
	}
	for i, k := range keys {
		v, err := cmds[i].Result()
		if errors.Is(err, redis.Nil) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("load step mark %s: %w", k, err)
		}
		out[k] = v
	}
	return out, nil
}

// MarkStep implements reminders.Steps.
func (s *Store) MarkStep(ctx context.Context, key, mark string) error {
	if err := s.rdb.Set(ctx, s.stepKey(key), mark, ReminderTTL).Err(); err != nil {
		return fmt.Errorf("mark step %s: %w", key, err)
	}
	return nil
}

// Reached implements reminders.Steps: everybody DoneReminder marked for (period, step), from its
// sentBuckets sets in one pipelined round trip.
func (s *Store) Reached(ctx context.Context, period, step string) (map[string]bool, error) {
	cmds := make([]*redis.StringSliceCmd, sentBuckets)
	all := make([]redis.Cmder, sentBuckets)
	for b := range uint32(sentBuckets) {
		cmds[b] = redis.NewStringSliceCmd(ctx, "smembers", s.stepSentKey(period, step, b))
		all[b] = cmds[b]
	}
	if err := s.batch.do(ctx, all...); err != nil {
		return nil, fmt.Errorf("load who had %s/%s: %w", period, step, err)
	}
	out := map[string]bool{}
	for _, c := range cmds {
		ids, err := c.Result()
		if err != nil {
			return nil, fmt.Errorf("load who had %s/%s: %w", period, step, err)
		}
		for _, id := range ids {
			out[id] = true
		}
	}
	return out, nil
}

// Snoozed implements reminders.Snoozes: when each snooze of period ends, by person.
func (s *Store) Snoozed(ctx context.Context, period string) (map[string]time.Time, error) {
	h, err := s.rdb.HGetAll(ctx, s.snoozesKey(period)).Result()
	if err != nil {
		return nil, fmt.Errorf("load snoozes of %s: %w", period, err)
	}
	out := make(map[string]time.Time, len(h))
	for person, raw := range h {
		ms, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("decode snooze of %s for %s: %w", person, period, err)
		}
		out[person] = time.UnixMilli(ms)
	}
	return out, nil
}

// Organisers implements reminders.Survey: the sorted ids of each unit's organisers, in one
// pipelined round trip.
func (s *Store) Organisers(ctx context.Context, units []string) (map[string][]string, error) {
	out := make(map[string][]string, len(units))
	if len(units) == 0 {
		return out, nil
	}
	cmds := make([]*redis.StringSliceCmd, len(units))
	all := make([]redis.Cmder, len(units))
	for i, u := range units {
		cmds[i] = redis.NewStringSliceCmd(ctx, "smembers", s.organisersKey(u))
		all[i] = cmds[i]
	}
	if err := s.batch.do(ctx, all...); err != nil {
		return nil, fmt.Errorf("load organisers of %d units: %w", len(units), err)
	}
	for i, u := range units {
		ids, err := cmds[i].Result()
		if err != nil {
			return nil, fmt.Errorf("load organisers of %s: %w", u, err)
		}
		slices.Sort(ids)
		out[u] = ids
	}
	return out, nil
}
