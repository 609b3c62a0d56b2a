package storage

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"danvan/flows"
)

// chunkOf is which build a chunk goes to: its owner, its generation, and the cursor once the
// chunk is counted.
type chunkOf struct {
	owner, gen string
	next       int
}

// countChunk reads the submissions of units × forms and counts them into the build's
// generation in one script. A report a write moved past what was read (the script names it) is
// read again and the chunk sent again, up to recountTries times. It returns how many reports
// were read again.
func (s *Store) countChunk(ctx context.Context, m *tallyModel, period string, c chunkOf, units, forms []string) (int, error) {
	subs, err := s.Submissions(ctx, period, units, forms)
	if err != nil {
		return 0, err
	}
	reread := 0
	for range recountTries {
		args, fields := s.chunkArgs(m, period, c, units, forms, subs)
		vals, err := buildChunkScript.Run(ctx, s.rdb, []string{s.genKey(period)}, args...).Slice()
		if err != nil || len(vals) == 0 {
			return reread, fmt.Errorf("count units %s…: %v %w", units[0], vals, err)
		}
		switch code, _ := vals[0].(int64); code {
		case 1:
			return reread, nil
		case -1:
			return reread, errBuildLost
		}
		var again []flows.Key
		for _, v := range vals[1:] {
			if f, ok := v.(string); ok {
				again = append(again, fields[f])
			}
		}
		reread += len(again)
		if err := s.reread(ctx, period, again, subs); err != nil {
			return reread, err
		}
	}
	return reread, fmt.Errorf("count units %s…: writes kept moving them: %w", units[0], flows.ErrConflict)
}

// reread loads the reports keys name again into subs.
func (s *Store) reread(ctx context.Context, period string, keys []flows.Key, subs map[flows.Key]flows.Submission) error {
	for _, k := range keys {
		fresh, err := s.Submissions(ctx, period, []string{k.Unit}, []string{k.Form})
		if err != nil {
			return err
		}
		delete(subs, k)
		if sub, ok := fresh[k]; ok {
			subs[k] = sub
		}
	}
	return nil
}

// chunkArgs are buildChunkScript's arguments for the chunk: each report's state and where its
// status byte goes, then the
// contributions of the chunk summed per tally, so the script makes one write per tally field
// however many units share it. fields maps each report's field back to its key.
func (s *Store) chunkArgs(m *tallyModel, period string, c chunkOf, units, forms []string,
	subs map[flows.Key]flows.Submission) ([]any, map[string]flows.Key) {
	fields := make(map[string]flows.Key, len(units)*len(forms))
	states := make([]any, 0, 4*len(units)*len(forms))
	sums := map[string]map[string]int64{}
	for _, u := range units {
		for _, f := range forms {
			k := flows.Key{Unit: u, Period: period, Form: f}
			field := reportField(u, f)
			fields[field] = k
			var sub *flows.Submission
			if got, ok := subs[k]; ok {
				sub = &got
			}
			states = append(states, field, stateOf(sub, m.due(u, period)), m.at(u), esc(f))
			if sub == nil {
				continue
			}
			contrib := m.contribution(sub, u, period)
			for _, t := range m.targets(u, period, f) {
				addFields(sums, tallySuffix(t), contrib)
			}
		}
	}
	args := []any{c.owner, s.lease.Milliseconds(), c.gen, c.next, len(states) / 4}
	args = append(args, states...)
	for _, key := range slices.Sorted(maps.Keys(sums)) {
		h := sums[key]
		names := slices.Sorted(maps.Keys(h))
		names = slices.DeleteFunc(names, func(f string) bool { return h[f] == 0 })
		if len(names) == 0 {
			continue
		}
		args = append(args, key, len(names))
		for _, f := range names {
			args = append(args, f, h[f])
		}
	}
	return args, fields
}

func addFields(sums map[string]map[string]int64, key string, c map[string]int64) {
	h := sums[key]
	if h == nil {
		h = map[string]int64{}
		sums[key] = h
	}
	for f, v := range c {
		h[f] += v
	}
}
