package storage

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/redis/go-redis/v9"

	"danvan/flows"
)

// statusChunk is how many reports one status script reads: one HMGET of that many fields.
const statusChunk = 1000

// Status returns where each of units stands in period with each of forms (bit i of a
// flows.UnitStatus is forms[i]), from what the current tally generation keeps: one script that
// returns a byte per unit and form (a few tens of kilobytes for a nation), when the generation's
// layout is the Store's model's; else the report states, a script per statusChunk reports, all
// in one pipelined round trip. Every unit asked for has an entry. A period whose tallies come
// from before generations, or a Store without a model, reads the submissions instead.
func (s *Store) Status(ctx context.Context, period string, units, forms []string) (map[string]flows.UnitStatus, error) {
	out := make(map[string]flows.UnitStatus, len(units))
	if len(units) == 0 || len(forms) == 0 || len(forms) > 64 {
		for _, u := range units {
			out[u] = flows.UnitStatus{}
		}
		return out, nil
	}
	if m := s.model.Load(); m != nil {
		ok, err := s.statusFromBits(ctx, m, period, units, forms, out)
		if err != nil {
			return nil, fmt.Errorf("load status of %d units in %s: %w", len(units), period, err)
		}
		if ok {
			return out, nil
		}
		ok, err = s.statusFromStates(ctx, period, units, forms, out)
		if err != nil {
			return nil, fmt.Errorf("load status of %d units in %s: %w", len(units), period, err)
		}
		if ok {
			return out, nil
		}
	}
	if err := s.statusFromSubmissions(ctx, period, units, forms, out); err != nil {
		return nil, fmt.Errorf("load status of %d units in %s: %w", len(units), period, err)
	}
	return out, nil
}

// statusFromBits fills out from the current generation's status bytes; false when it keeps
// none, or of another layout, or a unit asked for is not in the model's.
func (s *Store) statusFromBits(ctx context.Context, m *tallyModel, period string, units, forms []string, out map[string]flows.UnitStatus) (bool, error) {
	args := make([]any, len(forms))
	for i, f := range forms {
		args[i] = esc(f)
	}
	var cmd *redis.Cmd
	err := s.batchScripts(ctx, []*redis.Script{statusBitsScript}, func() []redis.Cmder {
		cmd = shaCmd(ctx, statusBitsScript, []string{s.genKey(period)}, args)
		return []redis.Cmder{cmd}
	})
	if err != nil {
		return false, err
	}
	vals, err := cmd.Slice()
	switch {
	case errors.Is(err, redis.Nil):
		return false, nil
	case err != nil:
		return false, err
	case len(vals) == 0: // nothing counted yet: nothing is in
		for _, u := range units {
			out[u] = flows.UnitStatus{}
		}
		return true, nil
	}
	if layout, _ := vals[0].(string); layout != m.layout || len(vals) != len(forms)+1 {
		return false, nil
	}
	for _, u := range units {
		at := m.at(u)
		if at < 0 {
			return false, nil
		}
		var st flows.UnitStatus
		for j := range forms {
			if bits, _ := vals[j+1].(string); at < len(bits) {
				applyCode(&st, j, bits[at])
			}
		}
		out[u] = st
	}
	return true, nil
}

// applyCode sets form's bits of st from a status byte: 1 in, 2 late.
func applyCode(st *flows.UnitStatus, form int, c byte) {
	if c&1 != 0 {
		st.Done |= 1 << form
	}
	if c&2 != 0 {
		st.Late |= 1 << form
	}
}

// statusFromStates fills out from the current generation's states; false when it keeps none.
func (s *Store) statusFromStates(ctx context.Context, period string, units, forms []string, out map[string]flows.UnitStatus) (bool, error) {
	type report struct{ unit, form int }
	var reports []report
	for i := range units {
		for j := range forms {
			reports = append(reports, report{i, j})
		}
	}
	var cmds []*redis.Cmd
	build := func() []redis.Cmder {
		cmds = cmds[:0]
		var all []redis.Cmder
		for lo := 0; lo < len(reports); lo += statusChunk {
			var args []any
			for _, r := range reports[lo:min(lo+statusChunk, len(reports))] {
				args = append(args, reportField(units[r.unit], forms[r.form]))
			}
			cmd := shaCmd(ctx, statusScript, []string{s.genKey(period)}, args)
			cmds, all = append(cmds, cmd), append(all, cmd)
		}
		return all
	}
	if err := s.batchScripts(ctx, []*redis.Script{statusScript}, build); err != nil {
		return false, err
	}
	for c, cmd := range cmds {
		vals, err := cmd.Slice()
		if errors.Is(err, redis.Nil) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		for i, r := range reports[c*statusChunk : min((c+1)*statusChunk, len(reports))] {
			st := out[units[r.unit]]
			if i < len(vals) {
				if raw, ok := vals[i].(string); ok {
					n, _ := strconv.Atoi(raw)
					applyState(&st, r.form, n)
				}
			}
			out[units[r.unit]] = st
		}
	}
	return true, nil
}

// applyState sets form's bits of st from a stored state (2·rank + late).
func applyState(st *flows.UnitStatus, form int, state int) {
	if rank := state / 2; rank > 0 && rank%2 == 0 {
		st.Done |= 1 << form
	}
	if state%2 == 1 {
		st.Late |= 1 << form
	}
}

// statusFromSubmissions fills out from the units' submissions.
func (s *Store) statusFromSubmissions(ctx context.Context, period string, units, forms []string, out map[string]flows.UnitStatus) error {
	subs, err := s.Submissions(ctx, period, units, forms)
	if err != nil {
		return err
	}
	m := s.model.Load()
	for _, u := range units {
		due := neverDue
		if m != nil {
			due = m.due(u, period)
		}
		var st flows.UnitStatus
		for j, f := range forms {
			if sub, ok := subs[flows.Key{Unit: u, Period: period, Form: f}]; ok {
				applyState(&st, j, stateOf(&sub, due))
			}
		}
		out[u] = st
	}
	return nil
}
