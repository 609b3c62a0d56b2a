package storage

import (
	"context"
	"errors"
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

// neverDue is the due time of a period the calendar does not know: nobody counts as late for it.
var neverDue = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

// tallyModel is what the Store needs to know to keep tallies: where a unit sits, when a period is
// due and which indicators count units that reach their target. With tenants, both of the last
// are the unit's tenant's: its calendar, and the plan it follows in the period's year.
type tallyModel struct {
	dir  *flows.Directory
	cal  flows.Calendar
	inds []flows.Indicator
	ten  *flows.Tenancy
}

// UseModel gives the Store the directory, calendar and indicators its tallies follow. main calls
// it once, before the Store takes any submission; a Store without a model stores submissions and
// returns and keeps no tallies. Calling it again (the admin changed the directory) is safe: later
// writes follow the new model, and Rebuild recomputes what the old one counted.
func (s *Store) UseModel(dir *flows.Directory, cal flows.Calendar, inds []flows.Indicator) {
	if dir == nil {
		s.model.Store(nil)
		return
	}
	s.model.Store(&tallyModel{dir: dir, cal: cal, inds: slices.Clone(inds)})
}

// UseTenancy gives the Store the directory and the tenants its tallies follow: each unit's
// report is late by its tenant's calendar, and counts towards the targets of the plan its tenant
// follows in the period's year. It replaces UseModel's model, as UseModel does.
func (s *Store) UseTenancy(dir *flows.Directory, ten *flows.Tenancy) {
	if dir == nil || ten == nil {
		s.model.Store(nil)
		return
	}
	s.model.Store(&tallyModel{dir: dir, cal: ten.Default().Calendar, ten: ten})
}

// calendar is the calendar unit's reports are due by: its tenant's, or the model's.
func (m *tallyModel) calendar(unit string) flows.Calendar {
	if m.ten == nil {
		return m.cal
	}
	if t, ok := m.ten.Of(unit); ok {
		return t.Calendar
	}
	return m.ten.Default().Calendar
}

// calendars are every calendar of the model, the default one first.
func (m *tallyModel) calendars() []flows.Calendar {
	if m.ten == nil {
		return []flows.Calendar{m.cal}
	}
	var out []flows.Calendar
	for _, t := range m.ten.All() {
		out = append(out, t.Calendar)
	}
	return out
}

// due is the due time of period for unit, or neverDue when the calendar does not know it.
func (m *tallyModel) due(unit, period string) time.Time {
	if p, ok := m.calendar(unit).Period(period); ok {
		return p.Due
	}
	return neverDue
}

// indicators are the targets whose counts unit's reports of period add to.
func (m *tallyModel) indicators(unit, period string) []flows.Indicator {
	if m.ten == nil {
		return m.inds
	}
	t, ok := m.ten.Of(unit)
	if !ok {
		t = m.ten.Default()
	}
	p, ok := t.Calendar.Period(period)
	if !ok {
		return nil
	}
	return t.Indicators(p)
}

// targets lists the tallies a report of unit counts in: every place above the unit, each for the
// unit's organisation and for AllOrgs. A unit the directory does not know counts nowhere.
func (m *tallyModel) targets(unit, period, form string) []flows.TallyKey {
	n, ok := m.dir.Node(unit)
	if !ok {
		return nil
	}
	var out []flows.TallyKey
	seen := map[string]bool{unit: true}
	for cur := n.Parent; cur != "" && !seen[cur]; {
		seen[cur] = true
		out = append(out, flows.TallyKey{Period: period, Node: cur, Org: flows.AllOrgs, Form: form})
		if n.Org != "" {
			out = append(out, flows.TallyKey{Period: period, Node: cur, Org: n.Org, Form: form})
		}
		p, ok := m.dir.Node(cur)
		if !ok {
			break
		}
		cur = p.Parent
	}
	return out
}

// contribution is what sub (nil for none) of unit adds to every tally of the unit, as hash
// fields.
func (m *tallyModel) contribution(sub *flows.Submission, unit, period string) map[string]int64 {
	return tallyFields(flows.Contribution(sub, m.indicators(unit, period), m.due(unit, period)))
}

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

// tallyChange is what one write does to the tallies: the period's tally set followed by the
// tally keys, and the field, increment pairs each of them gets. applied names the write (see
// appliedKey): on Cluster, where the tallies move in a script of their own, it marks the change
// as done so a re-sent script does not apply it twice.
type tallyChange struct {
	keys    []string
	args    []any
	applied string
}

func (c tallyChange) empty() bool { return len(c.args) == 0 }

// change works out what replacing old by cur (either nil for none) in report k does to the
// tallies: contribution(cur) − contribution(old) on every tally of k's unit. Without a model, or
// for a unit outside the directory, it is empty.
func (s *Store) change(k flows.Key, old, cur *flows.Submission) tallyChange {
	m := s.model.Load()
	if m == nil {
		return tallyChange{}
	}
	targets := m.targets(k.Unit, k.Period, k.Form)
	if len(targets) == 0 {
		return tallyChange{}
	}
	d := m.contribution(cur, k.Unit, k.Period)
	for f, v := range m.contribution(old, k.Unit, k.Period) {
		d[f] -= v
	}
	var c tallyChange
	for _, f := range slices.Sorted(maps.Keys(d)) {
		if d[f] != 0 {
			c.args = append(c.args, f, d[f])
		}
	}
	if c.empty() {
		return c
	}
	c.keys = append(c.keys, s.tallySetKey(k.Period))
	for _, t := range targets {
		c.keys = append(c.keys, s.tallyKey(t))
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

// tallyLua applies a tallyChange inside a script: KEYS[k0] is the period's tally set and the
// keys after it the tallies; ARGV from a0 on are field, increment pairs. A field that comes back
// to zero is deleted, so an emptied tally disappears and reads as the zero Tally.
const tallyLua = `
local function tally(k0, a0)
  if #KEYS <= k0 then return end
  for i = k0 + 1, #KEYS do
    for j = a0, #ARGV, 2 do
      if redis.call('HINCRBY', KEYS[i], ARGV[j], ARGV[j + 1]) == 0 then
        redis.call('HDEL', KEYS[i], ARGV[j])
      end
    end
    redis.call('SADD', KEYS[k0], KEYS[i])
  end
end
`

// tallyScript applies a tallyChange on its own: on Cluster, right after the unit's script. KEYS[1]
// is the change's marker (appliedKey), then the tally set and the tallies; ARGV[1] is the
// marker's TTL in milliseconds, then the field, increment pairs. It sets the marker and applies
// the change only if the marker was not there, so a run re-sent after a lost reply (go-redis
// retries on a timeout or network error) moves nothing: it returns 1 when applied, 0 when the
// change already was.
var tallyScript = redis.NewScript(tallyLua + `
if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then return 0 end
tally(2, 2)
return 1
`)

// applyTally runs tallyScript for c (on Cluster): once per change, however often it is sent.
func (s *Store) applyTally(ctx context.Context, c tallyChange) error {
	keys := append([]string{c.applied}, c.keys...)
	args := append([]any{AppliedTTL.Milliseconds()}, c.args...)
	return tallyScript.Run(ctx, s.rdb, keys, args...).Err()
}

// runTallied runs script on a unit's keys with c folded in: in the same script on one Redis or
// Sentinel (the script calls tally after its own keys and args), in tallyScript right after on
// Cluster, where the tallies sit in another slot. It returns the script's result; c is applied
// only when that is above 0 (written).
func (s *Store) runTallied(ctx context.Context, script *redis.Script, keys []string, args []any, c tallyChange) (int64, error) {
	if !s.cluster && !c.empty() {
		return script.Run(ctx, s.rdb, append(keys, c.keys...), append(args, c.args...)...).Int64()
	}
	ok, err := script.Run(ctx, s.rdb, keys, args...).Int64()
	if err != nil || ok < 1 || c.empty() {
		return ok, err
	}
	if err := s.applyTally(ctx, c); err != nil {
		// The write itself stands: the step counts as done (its chat state was not saved after it),
		// and a recount mends the tallies.
		return ok, fmt.Errorf("stored, but its tallies were not updated (Rebuild mends them): %w: %w", flows.ErrStateNotSaved, err)
	}
	return ok, nil
}

// tallyKey is the hash of one aggregate. Every tally of a period shares the hash tag {t:<period>}.
func (s *Store) tallyKey(k flows.TallyKey) string {
	return s.prefix + "{t:" + esc(k.Period) + "}:tally:" + esc(k.Node) + ":" + esc(k.Org) + ":" + esc(k.Form)
}

// appliedKey marks version of report k's write of kind ("sub" submitted, "ret" returned; "del"
// for a change with no new version, which no caller makes) as applied to the tallies, on
// Cluster; it shares the tallies' hash tag, so tallyScript sets it in the same step.
func (s *Store) appliedKey(k flows.Key, version int, kind string) string {
	return s.prefix + "{t:" + esc(k.Period) + "}:applied:" + esc(k.Unit) + ":" + esc(k.Form) + ":" + strconv.Itoa(version) + ":" + kind
}

// tallySetKey is the set of a period's tally keys, which Rebuild replaces.
func (s *Store) tallySetKey(period string) string {
	return s.prefix + "{t:" + esc(period) + "}:tallies"
}

// Tallies returns the aggregates keys name, in one pipelined round trip (on Cluster, one per
// node holding the periods asked for); a tally nothing counted in is the zero Tally. Sums and Met
// leave out zeros (nil when all are), which read as 0 all the same.
func (s *Store) Tallies(ctx context.Context, keys []flows.TallyKey) (map[flows.TallyKey]flows.Tally, error) {
	out := make(map[flows.TallyKey]flows.Tally, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	cmds := make([]*redis.MapStringStringCmd, len(keys))
	all := make([]redis.Cmder, len(keys))
	for i, k := range keys {
		cmds[i] = redis.NewMapStringStringCmd(ctx, "hgetall", s.tallyKey(k))
		all[i] = cmds[i]
	}
	if err := s.batch.do(ctx, all...); err != nil {
		return nil, fmt.Errorf("load %d tallies: %w", len(keys), err)
	}
	for i, k := range keys {
		h, err := cmds[i].Result()
		if err != nil {
			return nil, fmt.Errorf("load tally %+v: %w", k, err)
		}
		if out[k], err = decodeTally(h); err != nil {
			return nil, fmt.Errorf("decode tally %+v: %w", k, err)
		}
	}
	return out, nil
}

// Rebuild recomputes period's tallies of forms from the current submissions of units, for after
// the directory changed (a unit moved or was removed; call UseModel with the new one first).
// Tallies of other forms are left alone.
//
// It reads the submissions, then replaces every tally of the period and forms in one MULTI/EXEC,
// so readers see the old tallies or the new ones, never half. The tallies and the period's tally
// set are WATCHed first: a submission or return that moves any of them meanwhile aborts the
// transaction and Rebuild starts again (at most a few times, then flows.ErrConflict).
func (s *Store) Rebuild(ctx context.Context, period string, units []string, forms []string) error {
	m := s.model.Load()
	if m == nil {
		return fmt.Errorf("rebuild tallies of %s: the store has no model (UseModel)", period)
	}
	setKey := s.tallySetKey(period)
	for range maxWatchTries {
		err := s.rdb.Watch(ctx, func(tx *redis.Tx) error {
			return s.rebuildTx(ctx, tx, m, period, units, forms)
		}, setKey)
		if !errors.Is(err, redis.TxFailedErr) {
			if err != nil {
				return fmt.Errorf("rebuild tallies of %s: %w", period, err)
			}
			return nil
		}
	}
	return fmt.Errorf("rebuild tallies of %s: writes kept moving them: %w", period, flows.ErrConflict)
}

func (s *Store) rebuildTx(ctx context.Context, tx *redis.Tx, m *tallyModel, period string, units, forms []string) error {
	setKey := s.tallySetKey(period)
	members, err := tx.SMembers(ctx, setKey).Result()
	if err != nil {
		return err
	}
	var old []string
	for _, k := range members {
		if slices.ContainsFunc(forms, func(f string) bool { return strings.HasSuffix(k, ":"+esc(f)) }) {
			old = append(old, k)
		}
	}
	if len(old) > 0 {
		if err := tx.Watch(ctx, old...).Err(); err != nil {
			return err
		}
	}
	subs, err := s.Submissions(ctx, period, units, forms)
	if err != nil {
		return err
	}
	fresh := s.recompute(m, subs)
	_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
		for _, k := range old {
			p.Del(ctx, k)
			p.SRem(ctx, setKey, k)
		}
		for k, fields := range fresh {
			args := make([]any, 0, 2*len(fields))
			for f, v := range fields {
				args = append(args, f, v)
			}
			p.HSet(ctx, k, args...)
			p.SAdd(ctx, setKey, k)
		}
		if s.cluster {
			s.markCounted(ctx, p, subs)
		}
		return nil
	})
	return err
}

// markCounted marks the writes of subs as applied to the tallies, on Cluster, in the
// transaction that counts them: a write whose unit script ran before the recount read it, but
// whose tally script comes after, then moves nothing instead of counting it twice. A returned
// version's submission is marked too: its tally script may come after the return's.
func (s *Store) markCounted(ctx context.Context, p redis.Pipeliner, subs map[flows.Key]flows.Submission) {
	for k, sub := range subs {
		p.Set(ctx, s.appliedKey(k, sub.Version, "sub"), "1", AppliedTTL)
		if sub.Returned != nil {
			p.Set(ctx, s.appliedKey(k, sub.Version, "ret"), "1", AppliedTTL)
		}
	}
}

// recompute sums the contributions of subs into the fields of every tally key they count in.
func (s *Store) recompute(m *tallyModel, subs map[flows.Key]flows.Submission) map[string]map[string]int64 {
	out := map[string]map[string]int64{}
	for k, sub := range subs {
		c := m.contribution(&sub, k.Unit, k.Period)
		for _, t := range m.targets(k.Unit, k.Period, k.Form) {
			key := s.tallyKey(t)
			for f, v := range c {
				if out[key] == nil {
					out[key] = map[string]int64{}
				}
				out[key][f] += v
			}
		}
	}
	for key, fields := range out {
		maps.DeleteFunc(fields, func(_ string, v int64) bool { return v == 0 })
		if len(fields) == 0 {
			delete(out, key)
		}
	}
	return out
}
