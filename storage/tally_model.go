package storage

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"time"

	"danvan/flows"
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
	// sum is the fingerprint of the directory (modelSum); fps caches, per period, the
	// fingerprint of everything the period's tallies follow (fingerprint).
	sum string
	fps sync.Map
	// units lists the directory's units in order, pos is each one's place in it, and layout
	// fingerprints that order: a generation's status bytes follow one layout.
	units  []string
	pos    map[string]int
	layout string
}

// newTallyModel works out, once, what every write and recount of the model reads.
func newTallyModel(dir *flows.Directory, cal flows.Calendar, inds []flows.Indicator, ten *flows.Tenancy) *tallyModel {
	m := &tallyModel{dir: dir, cal: cal, inds: slices.Clone(inds), ten: ten, sum: modelSum(dir), units: unitIDs(dir), pos: map[string]int{}}
	for i, u := range m.units {
		m.pos[u] = i
	}
	sum := sha256.Sum256([]byte(strings.Join(m.units, "\x00")))
	m.layout = hex.EncodeToString(sum[:12])
	return m
}

// UseModel gives the Store the directory, calendar and indicators its tallies follow. main calls
// it once, before the Store takes any submission; a Store without a model stores submissions and
// returns and keeps no tallies. Calling it again (the admin changed the directory) is safe: later
// writes follow the new model, and the next Recount (or a Rebuild) counts what the old one did.
func (s *Store) UseModel(dir *flows.Directory, cal flows.Calendar, inds []flows.Indicator) {
	if dir == nil {
		s.model.Store(nil)
		return
	}
	s.model.Store(newTallyModel(dir, cal, inds, nil))
}

// UseTenancy gives the Store the directory and the tenants its tallies follow: each unit's
// report is late by its tenant's calendar, and counts towards the targets of the plan its tenant
// follows in the period's year. It replaces UseModel's model, as UseModel does.
func (s *Store) UseTenancy(dir *flows.Directory, ten *flows.Tenancy) {
	if dir == nil || ten == nil {
		s.model.Store(nil)
		return
	}
	s.model.Store(newTallyModel(dir, ten.Default().Calendar, nil, ten))
}

// at is unit's place in the layout; -1 for a unit the directory does not know.
func (m *tallyModel) at(unit string) int {
	if i, ok := m.pos[unit]; ok {
		return i
	}
	return -1
}

// tallySchema is the version of what a tally holds and how it is counted: a change to
// flows.Contribution or to the fields below bumps it, so every period is recounted once.
const tallySchema = "tally-2"

// modelSum fingerprints the directory a tally follows (every node, every organisation), with
// the schema.
func modelSum(dir *flows.Directory) string {
	h := sha256.New()
	enc := json.NewEncoder(h)
	_ = enc.Encode(tallySchema)
	_ = enc.Encode(dir.Orgs())
	_ = enc.Encode(dir.Nodes())
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// fingerprint is what the tallies of period follow: the directory, and for each tenant (or the
// model alone) the period's due time (who is late) and the targets of its plan (who met one).
// Two processes with the same fingerprint count every submission into the same tallies.
func (m *tallyModel) fingerprint(period string) string {
	if fp, ok := m.fps.Load(period); ok {
		return fp.(string)
	}
	h := sha256.New()
	enc := json.NewEncoder(h)
	_ = enc.Encode(m.sum)
	if m.ten == nil {
		p, ok := m.cal.Period(period)
		_ = enc.Encode([]any{ok, p.Due.UTC(), m.inds})
	}
	for _, t := range m.tenants() {
		p, ok := t.Calendar.Period(period)
		_ = enc.Encode([]any{t.ID, ok, p.Due.UTC(), t.Indicators(p)})
	}
	fp := hex.EncodeToString(h.Sum(nil)[:12])
	m.fps.Store(period, fp)
	return fp
}

// tenants are the model's tenants; none without a tenancy.
func (m *tallyModel) tenants() []flows.Tenant {
	if m.ten == nil {
		return nil
	}
	return m.ten.All()
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
