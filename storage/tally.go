package storage

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"danvan/flows"
)

// Field names of a tally hash (see flows.Tally): counts, then one field per question summed and
// per count indicator met.
const (
	fieldReported = "n"
	fieldLate     = "late"
	fieldReturned = "ret"
	prefixSum     = "s:"
	prefixMet     = "m:"
)

// tallyFields flattens t to the fields of its hash, leaving out zeros.
func tallyFields(t flows.Tally) map[string]int64 {
	out := map[string]int64{}
	put := func(f string, v int64) {
		if v != 0 {
			out[f] += v
		}
	}
	put(fieldReported, int64(t.Reported))
	put(fieldLate, int64(t.Late))
	put(fieldReturned, int64(t.Returned))
	for q, v := range t.Sums {
		put(prefixSum+q, v)
	}
	for ind, v := range t.Met {
		put(prefixMet+ind, int64(v))
	}
	return out
}

// decodeTally reads a tally hash back; fields it does not know are skipped.
func decodeTally(h map[string]string) (flows.Tally, error) {
	var t flows.Tally
	for f, raw := range h {
		v, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return t, fmt.Errorf("field %s: %w", f, err)
		}
		switch {
		case f == fieldReported:
			t.Reported = int(v)
		case f == fieldLate:
			t.Late = int(v)
		case f == fieldReturned:
			t.Returned = int(v)
		case strings.HasPrefix(f, prefixSum):
			if t.Sums == nil {
				t.Sums = map[string]int64{}
			}
			t.Sums[f[len(prefixSum):]] = v
		case strings.HasPrefix(f, prefixMet):
			if t.Met == nil {
				t.Met = map[string]int{}
			}
			t.Met[f[len(prefixMet):]] = int(v)
		}
	}
	return t, nil
}

// tallyChange is what one write does to the tallies of its period: the period's generation
// pointer (genKey) and the script arguments of tallyLua: the report, the rank and lateness of
// its new state, the writer's fingerprint, the field, increment pairs and the tallies they go
// to. applied names the write (see appliedKey): on Cluster, where the tallies move in a script
// of their own, it marks the change as done so a re-sent script does not apply it twice.
type tallyChange struct {
	key     string
	args    []any
	applied string
}

func (c tallyChange) empty() bool { return c.key == "" }

// rankOf orders the states of one report: nothing (0), then each version v submitted (2v) and
// returned (2v+1). Every write moves a report to a higher rank, so a generation that counted
// rank r holds every write up to r and none after.
func rankOf(sub *flows.Submission) int {
	switch {
	case sub == nil:
		return 0
	case sub.Returned != nil:
		return 2*sub.Version + 1
	}
	return 2 * sub.Version
}

// stateOf is a report's state as the generations keep it: 2·rank + 1 when it is late
// (Submission.Late: its current version came after the due time), so a leader's digest tells
// late reports without reading them.
func stateOf(sub *flows.Submission, due time.Time) int {
	st := 2 * rankOf(sub)
	if sub != nil && sub.Late(due) {
		st++
	}
	return st
}

// reportField names a report in a generation's "seen", "pend" and "state" hashes.
func reportField(unit, form string) string { return esc(unit) + ":" + esc(form) }

// change works out what replacing old by cur (either nil for none) in report k does to the
// tallies: contribution(cur) − contribution(old) on every tally of k's unit, and k's new state.
// Without a model, for a unit outside the directory, or when nothing moves, it is empty.
func (s *Store) change(k flows.Key, old, cur *flows.Submission) tallyChange {
	m := s.model.Load()
	if m == nil {
		return tallyChange{}
	}
	if _, ok := m.dir.Node(k.Unit); !ok {
		return tallyChange{}
	}
	d := m.contribution(cur, k.Unit, k.Period)
	for f, v := range m.contribution(old, k.Unit, k.Period) {
		d[f] -= v
	}
	fields := slices.Sorted(maps.Keys(d))
	fields = slices.DeleteFunc(fields, func(f string) bool { return d[f] == 0 })
	if len(fields) == 0 {
		return tallyChange{} // a resubmission of the same figures: no tally, no state moves
	}
	due := m.due(k.Unit, k.Period)
	st := stateOf(cur, due)
	c := tallyChange{key: s.genKey(k.Period)}
	c.args = append(c.args, reportField(k.Unit, k.Form), st/2, st%2, m.fingerprint(k.Period), m.layout, m.at(k.Unit), esc(k.Form), len(fields))
	for _, f := range fields {
		c.args = append(c.args, f, d[f])
	}
	for _, t := range m.targets(k.Unit, k.Period, k.Form) {
		c.args = append(c.args, tallySuffix(t))
	}
	// The write is version v of k submitted (cur not returned) or sent back (cur returned): each
	// happens at most once, since the unit's script only writes over the version before.
	kind, version := "sub", 0
	if cur != nil {
		version = cur.Version
		if cur.Returned != nil {
			kind = "ret"
		}
	} else if old != nil {
		kind, version = "del", old.Version
	}
	c.applied = s.appliedKey(k, version, kind)
	return c
}

// tallyScript applies a tallyChange on its own: on Cluster, right after the unit's script. KEYS[1]
// is the change's marker (appliedKey), then the period's pointer; ARGV[1] is the marker's TTL in
// milliseconds, then tallyLua's arguments. It sets the marker and applies the change only if the
// marker was not there, so a run re-sent after a lost reply (go-redis retries on a timeout or
// network error) moves nothing: it returns 1 when applied, 0 when the change already was.
var tallyScript = redis.NewScript(tallyLua + `
if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then return 0 end
tally(2, 2)
return 1
`)

// applyTally runs tallyScript for c (on Cluster): once per change, however often it is sent.
func (s *Store) applyTally(ctx context.Context, c tallyChange) error {
	keys := []string{c.applied, c.key}
	args := append([]any{AppliedTTL.Milliseconds()}, c.args...)
	return tallyScript.Run(ctx, s.rdb, keys, args...).Err()
}

// runTallied runs script on a unit's keys with c folded in: in the same script on one Redis or
// Sentinel (the script calls tally after its own keys and args), in tallyScript right after on
// Cluster, where the tallies sit in another slot. It returns the script's result; c is applied
// only when that is above 0 (written). A tally script that failed drops the period's
// fingerprint, when it can, so the next start recounts the period.
func (s *Store) runTallied(ctx context.Context, script *redis.Script, keys []string, args []any, c tallyChange) (int64, error) {
	if !s.cluster && !c.empty() {
		return script.Run(ctx, s.rdb, append(keys, c.key), append(args, c.args...)...).Int64()
	}
	ok, err := script.Run(ctx, s.rdb, keys, args...).Int64()
	if err != nil || ok < 1 || c.empty() {
		return ok, err
	}
	if err := s.applyTally(ctx, c); err != nil {
		_ = s.rdb.Del(context.WithoutCancel(ctx), strings.TrimSuffix(c.key, "gen")+"fp").Err()
		// The write itself stands: the step counts as done (its chat state was not saved after it),
		// and a recount mends the tallies.
		return ok, fmt.Errorf("stored, but its tallies were not updated (a recount mends them): %w: %w", flows.ErrStateNotSaved, err)
	}
	return ok, nil
}

// tallyBase is the start of every tally key of period: P{t:<period>}:. Every tally of a period
// shares the hash tag {t:<period>}.
func (s *Store) tallyBase(period string) string { return s.prefix + "{t:" + esc(period) + "}:" }

// genKey is period's generation pointer: the number of the generation readers and writers use.
func (s *Store) genKey(period string) string { return s.tallyBase(period) + "gen" }

// tallySuffix is what follows a generation's "tally:" in the name of k's hash.
func tallySuffix(k flows.TallyKey) string { return esc(k.Node) + ":" + esc(k.Org) + ":" + esc(k.Form) }

// tallyKey is the hash of one aggregate in the tallies kept before generations (generation 0).
func (s *Store) tallyKey(k flows.TallyKey) string {
	return s.tallyBase(k.Period) + "tally:" + tallySuffix(k)
}

// genPrefix is the start of the names of generation gen's keys of period ("0": the old names).
func (s *Store) genPrefix(period, gen string) string {
	if gen == "" || gen == "0" {
		return s.tallyBase(period)
	}
	return s.tallyBase(period) + "g" + gen + ":"
}

// appliedKey marks version of report k's write of kind ("sub" submitted, "ret" returned; "del"
// for a change with no new version, which no caller makes) as applied to the tallies, on
// Cluster; it shares the tallies' hash tag, so tallyScript sets it in the same step.
func (s *Store) appliedKey(k flows.Key, version int, kind string) string {
	return s.tallyBase(k.Period) + "applied:" + esc(k.Unit) + ":" + esc(k.Form) + ":" + strconv.Itoa(version) + ":" + kind
}

// tallySetKey is the set of a period's tally key names in generation 0.
func (s *Store) tallySetKey(period string) string { return s.tallyBase(period) + "tallies" }

// Tallies returns the aggregates keys name, from the current generation of each period, in one
// pipelined round trip (on Cluster, one per node holding the periods asked for): a script per
// period reads its pointer and its tallies in one step. A tally nothing counted in is the zero
// Tally. Sums and Met leave out zeros (nil when all are), which read as 0 all the same.
func (s *Store) Tallies(ctx context.Context, keys []flows.TallyKey) (map[flows.TallyKey]flows.Tally, error) {
	out := make(map[flows.TallyKey]flows.Tally, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	byPeriod := map[string][]flows.TallyKey{}
	var periods []string
	for _, k := range keys {
		if _, ok := byPeriod[k.Period]; !ok {
			periods = append(periods, k.Period)
		}
		byPeriod[k.Period] = append(byPeriod[k.Period], k)
	}
	cmds := make([]*redis.Cmd, len(periods))
	build := func() []redis.Cmder {
		all := make([]redis.Cmder, len(periods))
		for i, p := range periods {
			cmds[i] = shaCmd(ctx, readTallyScript, []string{s.genKey(p)}, suffixes(byPeriod[p]))
			all[i] = cmds[i]
		}
		return all
	}
	if err := s.batchScripts(ctx, []*redis.Script{readTallyScript}, build); err != nil {
		return nil, fmt.Errorf("load %d tallies: %w", len(keys), err)
	}
	for i, p := range periods {
		if err := readTallies(cmds[i], byPeriod[p], out); err != nil {
			return nil, fmt.Errorf("load tallies of %s: %w", p, err)
		}
	}
	return out, nil
}

func suffixes(keys []flows.TallyKey) []any {
	out := make([]any, len(keys))
	for i, k := range keys {
		out[i] = tallySuffix(k)
	}
	return out
}

// readTallies decodes readTallyScript's reply for keys into out.
func readTallies(cmd *redis.Cmd, keys []flows.TallyKey, out map[flows.TallyKey]flows.Tally) error {
	vals, err := cmd.Slice()
	if err != nil {
		return err
	}
	if len(vals) != len(keys) {
		return fmt.Errorf("got %d tallies, want %d", len(vals), len(keys))
	}
	for i, k := range keys {
		flat, _ := vals[i].([]any)
		h := make(map[string]string, len(flat)/2)
		for j := 0; j+1 < len(flat); j += 2 {
			f, _ := flat[j].(string)
			v, _ := flat[j+1].(string)
			h[f] = v
		}
		t, err := decodeTally(h)
		if err != nil {
			return fmt.Errorf("decode tally %+v: %w", k, err)
		}
		out[k] = t
	}
	return nil
}

// shaCmd is script run on keys and args as one EVALSHA the batcher can pipeline with others;
// batchScripts sends them.
func shaCmd(ctx context.Context, script *redis.Script, keys []string, args []any) *redis.Cmd {
	cmdArgs := make([]any, 0, 3+len(keys)+len(args))
	cmdArgs = append(cmdArgs, "evalsha", script.Hash(), len(keys))
	for _, k := range keys {
		cmdArgs = append(cmdArgs, k)
	}
	return redis.NewCmd(ctx, append(cmdArgs, args...)...)
}

// batchScripts runs the EVALSHAs build makes in one pipelined round trip. When Redis does not
// know a script yet (a fresh or restarted server), it loads scripts, on every node, and sends
// build's commands again, once.
func (s *Store) batchScripts(ctx context.Context, scripts []*redis.Script, build func() []redis.Cmder) error {
	cmds := build()
	if err := s.batch.do(ctx, cmds...); err != nil {
		return err
	}
	if !slices.ContainsFunc(cmds, func(c redis.Cmder) bool { return redis.HasErrorPrefix(c.Err(), "NOSCRIPT") }) {
		return nil
	}
	for _, sc := range scripts {
		if err := sc.Load(ctx, s.rdb).Err(); err != nil {
			return fmt.Errorf("load script: %w", err)
		}
	}
	return s.batch.do(ctx, build()...)
}
