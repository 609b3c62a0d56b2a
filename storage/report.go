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

// HistoryEntry is one event in a report's history: a submitted version, or (Returned set) the
// return of the version it names for correction, which carries no Values.
type HistoryEntry struct {
	Version int       `json:"version"`
	By      string    `json:"by"`
	At      time.Time `json:"at"`
	Ref     string    `json:"ref"`
	// Changes lists the figures this version changed against the one before, old → new; it is
	// empty for the first version, which replaced nothing.
	Changes []flows.Change `json:"changes,omitempty"`
	// Values are all the figures of this version, so an old version can be shown whole even
	// after the form's questions changed.
	Values map[string]int64 `json:"values"`
	// Texts are this version's written answers; Edited lists the text questions whose answer
	// it changed against the one before (a history shows "đã sửa", not old → new). Entries
	// written before text questions have neither.
	Texts  map[string]string `json:"texts,omitempty"`
	Edited []string          `json:"edited,omitempty"`
	// Returned is set on the entry that records a leader sending version Version back; By and
	// At repeat who and when.
	Returned *flows.Return `json:"returned,omitempty"`
}

// Reports loads every report qs names in one pipelined round trip (one per node on Cluster): the
// asking person's draft, the current submission, the submission of the query's previous period
// and, for a unit formed by a merger, its predecessors' submissions of that period. Reports with
// nothing stored come back as a zero ReportInfo.
func (s *Store) Reports(ctx context.Context, qs []flows.ReportQuery) (map[flows.Key]flows.ReportInfo, error) {
	return s.reports(ctx, qs, nil)
}

// reports is Reports sending first, in the same pipeline, the commands already in all.
func (s *Store) reports(ctx context.Context, qs []flows.ReportQuery, all []redis.Cmder) (map[flows.Key]flows.ReportInfo, error) {
	if len(qs) == 0 {
		return map[flows.Key]flows.ReportInfo{}, nil
	}
	cmds := make([]reportCmds, len(qs))
	get := func(key string) *redis.StringCmd {
		cmd := redis.NewStringCmd(ctx, "get", key)
		all = append(all, cmd)
		return cmd
	}
	for i, q := range qs {
		if q.Person != "" {
			cmds[i].draft = get(s.draftKey(q.Key, q.Person))
		}
		cmds[i].sub = get(s.subKey(q.Key))
		if q.Previous != "" {
			prev := q.Key
			prev.Period = q.Previous
			cmds[i].prev = get(s.subKey(prev))
			for _, b := range q.Before {
				prev.Unit = b
				cmds[i].before = append(cmds[i].before, get(s.subKey(prev)))
			}
		}
	}
	// A missing key fails its GET with redis.Nil, which only means "none"; any other error is in
	// the commands themselves and decode reports it.
	if err := s.batch.do(ctx, all...); err != nil {
		return nil, fmt.Errorf("load %d reports: %w", len(qs), err)
	}
	out := make(map[flows.Key]flows.ReportInfo, len(qs))
	for i, q := range qs {
		info, err := cmds[i].decode()
		if err != nil {
			return nil, fmt.Errorf("load report %s for %q (previous %q): %w", q.Key, q.Person, q.Previous, err)
		}
		out[q.Key] = info
	}
	return out, nil
}

// reportCmds are the pipelined reads of one ReportQuery; nil for a read not needed.
type reportCmds struct {
	draft, sub, prev *redis.StringCmd
	before           []*redis.StringCmd
}

func (c reportCmds) decode() (flows.ReportInfo, error) {
	var info flows.ReportInfo
	var err error
	if info.Draft, err = decodeCmd[flows.Draft](c.draft); err != nil {
		return info, fmt.Errorf("draft: %w", err)
	}
	if info.Submitted, err = decodeCmd[flows.Submission](c.sub); err != nil {
		return info, fmt.Errorf("submission: %w", err)
	}
	if info.Previous, err = decodeCmd[flows.Submission](c.prev); err != nil {
		return info, fmt.Errorf("previous submission: %w", err)
	}
	for _, cmd := range c.before {
		s, err := decodeCmd[flows.Submission](cmd)
		if err != nil {
			return info, fmt.Errorf("predecessor's previous submission: %w", err)
		}
		if s != nil {
			info.Before = append(info.Before, *s)
		}
	}
	return info, nil
}

// decodeCmd decodes a pipelined GET: nil for a command not sent or a missing key.
func decodeCmd[T any](cmd *redis.StringCmd) (*T, error) {
	if cmd == nil {
		return nil, nil
	}
	b, err := cmd.Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	v := new(T)
	if err := json.Unmarshal(b, v); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	return v, nil
}

// Submission returns the current submitted version of k; flows.ErrNotFound when none.
func (s *Store) Submission(ctx context.Context, k flows.Key) (flows.Submission, error) {
	var sub flows.Submission
	err := s.getJSON(ctx, s.subKey(k), &sub)
	if errors.Is(err, redis.Nil) {
		err = flows.ErrNotFound
	}
	if err != nil {
		return flows.Submission{}, fmt.Errorf("load submission %s: %w", k, err)
	}
	return sub, nil
}

// History returns every submitted version of k, oldest first; empty when none.
func (s *Store) History(ctx context.Context, k flows.Key) ([]HistoryEntry, error) {
	raw, err := s.rdb.LRange(ctx, s.histKey(k), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("load history %s: %w", k, err)
	}
	out := make([]HistoryEntry, len(raw))
	for i, r := range raw {
		if err := json.Unmarshal([]byte(r), &out[i]); err != nil {
			return nil, fmt.Errorf("decode history %s entry %d: %w", k, i, err)
		}
	}
	return out, nil
}

// Submitted returns, for unit and period, each form submitted with its current version: the
// "who has submitted" index reminders and leaders read.
func (s *Store) Submitted(ctx context.Context, unit, period string) (map[string]int, error) {
	all, err := s.rdb.HGetAll(ctx, s.indexKey(unit)).Result()
	if err != nil {
		return nil, fmt.Errorf("load submitted index %s: %w", unit, err)
	}
	out := map[string]int{}
	want := esc(period)
	for field, val := range all {
		p, form, ok := strings.Cut(field, ":")
		if !ok || p != want {
			continue
		}
		v, err := strconv.Atoi(val)
		if err != nil {
			return nil, fmt.Errorf("submitted index %s field %s: %w", unit, field, err)
		}
		out[keyUnescaper.Replace(form)] = v
	}
	return out, nil
}

// countChunk is how many units one pipeline of SubmissionCounts asks about.
const countChunk = 1000

// SubmissionCounts returns, for each of units that has any, how many reports (a period and a
// form each, at their current version) are submitted for it: what a directory change must keep.
// It reads each unit's "who has submitted" index, a pipeline per thousand units.
func (s *Store) SubmissionCounts(ctx context.Context, units []string) (map[string]int, error) {
	out := map[string]int{}
	for start := 0; start < len(units); start += countChunk {
		chunk := units[start:min(start+countChunk, len(units))]
		cmds := make([]*redis.IntCmd, len(chunk))
		_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i, u := range chunk {
				cmds[i] = p.HLen(ctx, s.indexKey(u))
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("count the reports of %d units: %w", len(chunk), err)
		}
		for i, c := range cmds {
			if n := c.Val(); n > 0 {
				out[chunk[i]] = int(n)
			}
		}
	}
	return out, nil
}
