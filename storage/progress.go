package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/redis/go-redis/v9"

	"danvan/flows"
)

// Submissions returns the current submission of every unit × form in period, returned ones
// included (Returned set), in one pipelined round trip (one per node on Cluster): the rows of a
// spreadsheet. A report never submitted has no entry.
func (s *Store) Submissions(ctx context.Context, period string, units []string, forms []string) (map[flows.Key]flows.Submission, error) {
	keys := make([]flows.Key, 0, len(units)*len(forms))
	for _, u := range units {
		for _, f := range forms {
			keys = append(keys, flows.Key{Unit: u, Period: period, Form: f})
		}
	}
	out := make(map[flows.Key]flows.Submission, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = s.subKey(k)
	}
	raw, err := s.getMany(ctx, names)
	if err != nil {
		return nil, fmt.Errorf("load submissions of %d units for %s: %w", len(units), period, err)
	}
	for i, k := range keys {
		if raw[i] == nil {
			continue
		}
		var sub flows.Submission
		if err := json.Unmarshal(raw[i], &sub); err != nil {
			return nil, fmt.Errorf("decode submission %s: %w", k, err)
		}
		out[k] = sub
	}
	return out, nil
}

// mgetChunk is how many keys one MGET asks for: big enough that a spreadsheet's 20,000 reads
// are a few dozen commands, small enough that no one reply holds Redis up for long.
const mgetChunk = 500

// getMany reads keys in one pipelined round trip; a missing key reads as nil. On one Redis or
// Sentinel it sends MGETs, which cost Redis and the client far less per key than GETs; on
// Cluster, whose MGET must stay in one slot, one GET per key.
func (s *Store) getMany(ctx context.Context, keys []string) ([][]byte, error) {
	var all []redis.Cmder
	if s.cluster {
		for _, k := range keys {
			all = append(all, redis.NewStringCmd(ctx, "get", k))
		}
	} else {
		for lo := 0; lo < len(keys); lo += mgetChunk {
			args := []any{"mget"}
			for _, k := range keys[lo:min(lo+mgetChunk, len(keys))] {
				args = append(args, k)
			}
			all = append(all, redis.NewSliceCmd(ctx, args...))
		}
	}
	if err := s.batch.do(ctx, all...); err != nil {
		return nil, err
	}
	out := make([][]byte, 0, len(keys))
	for _, c := range all {
		switch c := c.(type) {
		case *redis.StringCmd:
			b, err := c.Bytes()
			if err != nil && !errors.Is(err, redis.Nil) {
				return nil, err
			}
			out = append(out, b)
		case *redis.SliceCmd:
			vals, err := c.Result()
			if err != nil {
				return nil, err
			}
			for _, v := range vals {
				if str, ok := v.(string); ok {
					out = append(out, []byte(str))
				} else {
					out = append(out, nil)
				}
			}
		}
	}
	return out, nil
}

// Progress returns where each of units stands in period for forms: its current submissions
// (returned ones included, Returned set), its organisers (sorted), their drafts that hold at
// least one answer and the unit's latest nudge. It takes two pipelined round trips whatever the
// number of units: the submissions, organiser indexes and nudges, then the organisers' drafts.
// Every unit asked for has an entry, empty when nothing is known of it.
func (s *Store) Progress(ctx context.Context, period string, units []string, forms []string) (map[string]flows.UnitProgress, error) {
	out := make(map[string]flows.UnitProgress, len(units))
	if len(units) == 0 {
		return out, nil
	}
	subs := make([][]*redis.StringCmd, len(units))
	orgs := make([]*redis.StringSliceCmd, len(units))
	nudges := make([]*redis.StringCmd, len(units))
	var all []redis.Cmder
	for i, u := range units {
		for _, f := range forms {
			cmd := redis.NewStringCmd(ctx, "get", s.subKey(flows.Key{Unit: u, Period: period, Form: f}))
			subs[i] = append(subs[i], cmd)
			all = append(all, cmd)
		}
		orgs[i] = redis.NewStringSliceCmd(ctx, "smembers", s.organisersKey(u))
		nudges[i] = redis.NewStringCmd(ctx, "get", s.nudgeKey(u))
		all = append(all, orgs[i], nudges[i])
	}
	if err := s.batch.do(ctx, all...); err != nil {
		return nil, fmt.Errorf("load progress of %d units in %s: %w", len(units), period, err)
	}
	for i, u := range units {
		up := flows.UnitProgress{Unit: u, Subs: map[string]*flows.Submission{}, Drafts: map[string]map[string]*flows.Draft{}}
		for j, f := range forms {
			sub, err := decodeCmd[flows.Submission](subs[i][j])
			if err != nil {
				return nil, fmt.Errorf("load submission %s/%s/%s: %w", u, period, f, err)
			}
			if sub != nil {
				up.Subs[f] = sub
			}
		}
		people, err := orgs[i].Result()
		if err != nil {
			return nil, fmt.Errorf("load organisers of %s: %w", u, err)
		}
		slices.Sort(people)
		up.Organisers = people
		if up.Nudged, err = decodeNudge(nudges[i]); err != nil {
			return nil, fmt.Errorf("load nudge of %s: %w", u, err)
		}
		out[u] = up
	}
	if err := s.loadDrafts(ctx, period, forms, out); err != nil {
		return nil, err
	}
	return out, nil
}

// loadDrafts fills in the non-empty drafts of every organiser of the units in out, in one
// pipelined round trip.
func (s *Store) loadDrafts(ctx context.Context, period string, forms []string, out map[string]flows.UnitProgress) error {
	type read struct {
		key flows.Key
		who string
		cmd *redis.StringCmd
	}
	var reads []read
	var all []redis.Cmder
	for u, up := range out {
		for _, f := range forms {
			for _, who := range up.Organisers {
				k := flows.Key{Unit: u, Period: period, Form: f}
				r := read{k, who, redis.NewStringCmd(ctx, "get", s.draftKey(k, who))}
				reads, all = append(reads, r), append(all, r.cmd)
			}
		}
	}
	if len(all) == 0 {
		return nil
	}
	if err := s.batch.do(ctx, all...); err != nil {
		return fmt.Errorf("load drafts of %d organisers' reports in %s: %w", len(reads), period, err)
	}
	for _, r := range reads {
		d, err := decodeCmd[flows.Draft](r.cmd)
		if err != nil {
			return fmt.Errorf("load draft %s of %s: %w", r.key, r.who, err)
		}
		if !d.Started() {
			continue
		}
		byForm := out[r.key.Unit].Drafts
		if byForm[r.key.Form] == nil {
			byForm[r.key.Form] = map[string]*flows.Draft{}
		}
		byForm[r.key.Form][r.who] = d
	}
	return nil
}
