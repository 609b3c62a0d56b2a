package storage

import (
	"context"
	"fmt"
	"strconv"

	"github.com/redis/go-redis/v9"

	"danvan/flows"
)

// statusChunk is how many reports one status script reads: one HMGET of that many fields.
const statusChunk = 1000

// Status returns where each of units stands in period with each of forms (bit i of a
// flows.UnitStatus is forms[i]), from the report states the current tally generation keeps: a
// script per statusChunk reports, all in one pipelined round trip, whatever the number of units.
// Every unit asked for has an entry. A period whose tallies come from before generations, or a
// Store without a model, reads the submissions instead (two reads per unit).
func (s *Store) Status(ctx context.Context, period string, units, forms []string) (map[string]flows.UnitStatus, error) {
	out := make(map[string]flows.UnitStatus, len(units))
	if len(units) == 0 || len(forms) == 0 || len(forms) > 64 {
		for _, u := range units {
			out[u] = flows.UnitStatus{}
		}
		return out, nil
	}
	if s.model.Load() != nil {
		ok, err := s.statusFromStates(ctx, period, units, forms, out)
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
		if err != nil {
			return false, err
		}
		if len(vals) == 0 || vals[0] != int64(1) {
			return false, nil
		}
		for i, r := range reports[c*statusChunk : min((c+1)*statusChunk, len(reports))] {
			st := out[units[r.unit]]
			if i+1 < len(vals) {
				applyState(&st, r.form, vals[i+1])
			}
			out[units[r.unit]] = st
		}
	}
	return true, nil
}

// applyState sets form's bits of st from a stored state (2·rank + late; nil for nothing).
func applyState(st *flows.UnitStatus, form int, v any) {
	raw, ok := v.(string)
	if !ok {
		return
	}
	n, err := strconv.Atoi(raw)
	if err != nil {
		return
	}
	if rank := n / 2; rank > 0 && rank%2 == 0 {
		st.Done |= 1 << form
	}
	if n%2 == 1 {
		st.Late |= 1 << form
	}
}

// statusFromSubmissions fills out from the units' submissions.
func (s *Store) statusFromSubmissions(ctx context.Context, period string, units, forms []string, out map[string]flows.UnitStatus) error {
	subs, err := s.Submissions(ctx, period, units, forms)
	if err != nil {
		return err
	}
	due := neverDue
	if m := s.model.Load(); m != nil {
		due = m.due(period)
	}
	for _, u := range units {
		var st flows.UnitStatus
		for j, f := range forms {
			if sub, ok := subs[flows.Key{Unit: u, Period: period, Form: f}]; ok {
				applyState(&st, j, strconv.Itoa(stateOf(&sub, due)))
			}
		}
		out[u] = st
	}
	return nil
}
