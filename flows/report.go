package flows

import (
	"encoding/base32"
	"hash/fnv"
	"strconv"
	"time"
)

// Key names one report: one unit's answers to one form for one period.
type Key struct {
	Unit   string `json:"unit"`
	Period string `json:"period"`
	Form   string `json:"form"`
}

// String writes k as "unit/period/form", for logs and errors.
func (k Key) String() string { return k.Unit + "/" + k.Period + "/" + k.Form }

// Draft is a report being filled in by one person. It is saved after every answer and survives
// restarts and days of silence, until its period closes.
type Draft struct {
	Key     Key              `json:"key"`
	Person  string           `json:"person"`
	Answers map[string]int64 `json:"answers"`
	// Confirmed holds, per question, the figure whose big change against the previous period the
	// person already confirmed, so the soft check does not ask twice for it (but does for another).
	Confirmed map[string]int64 `json:"confirmed,omitempty"`
	// Texts holds the written answers to text questions; "" records one skipped. A draft saved
	// before text questions existed has none, and reads as before.
	Texts map[string]string `json:"texts,omitempty"`
	// Typing names the text question whose answer is still being written, a message at a time,
	// until the person taps "Xong": its text so far is in Texts, but it is not answered yet.
	Typing string `json:"typing,omitempty"`
	// Version counts saves; a save states the version it replaces, so two writers cannot both win.
	Version int64     `json:"version"`
	Updated time.Time `json:"updated"`
	// Until is when the draft may be forgotten: the close of its period.
	Until time.Time `json:"until,omitzero"`
}

// Submission is one version of a unit's report for a period and form.
type Submission struct {
	Key    Key              `json:"key"`
	Ref    string           `json:"ref"` // short reference number people quote
	Values map[string]int64 `json:"values"`
	// Texts holds the written answers, by text question id; a skipped one is left out.
	Texts   map[string]string `json:"texts,omitempty"`
	By      string            `json:"by"`
	At      time.Time         `json:"at"`
	Version int               `json:"version"` // 1 for the first submission, then 2, 3, ...
	// FirstAt is when version 1 came in, for the record; zero means At (version 1 itself).
	// Lateness follows the version in force, not the first (Late).
	FirstAt time.Time `json:"first_at,omitzero"`
	// Returned is set while a leader has sent this version back for correction: the unit counts
	// as not reported until it submits again.
	Returned *Return `json:"returned,omitempty"`
}

// First is when the report was first submitted.
func (s Submission) First() time.Time {
	if s.FirstAt.IsZero() {
		return s.At
	}
	return s.FirstAt
}

// Late reports whether s came in after due. The figures in force are this version's, so its own
// time counts: a report corrected after the due date is late, however early its first version
// was, or a unit could file anything on time and the real figures at leisure.
func (s Submission) Late(due time.Time) bool { return s.At.After(due) }

// Change is one figure that a resubmission changed.
type Change struct {
	Field    string `json:"field"`
	Old, New int64
}

// Changes lists the figures of next that differ from prev, in the form's order.
func Changes(f Form, prev, next map[string]int64) []Change {
	var out []Change
	for _, q := range f.Questions {
		o, had := prev[q.ID]
		n, has := next[q.ID]
		if had != has || o != n {
			out = append(out, Change{Field: q.ID, Old: o, New: n})
		}
	}
	return out
}

// TextChanges lists, in the form's order, the text questions whose written answer differs
// between prev and next (one of them missing counts): a history shows them as "đã sửa", since a
// paragraph old → new reads as nothing on a phone.
func TextChanges(f Form, prev, next map[string]string) []string {
	var out []string
	for _, q := range f.Questions {
		o, had := prev[q.ID]
		n, has := next[q.ID]
		if q.IsText() && (had != has || o != n) {
			out = append(out, q.ID)
		}
	}
	return out
}

// Has reports whether d holds an answer to q: a figure, or a written answer finished (or
// skipped); one still being written is not an answer yet.
func (d *Draft) Has(q Question) bool {
	if d == nil {
		return false
	}
	if q.IsText() {
		_, ok := d.Texts[q.ID]
		return ok && d.Typing != q.ID
	}
	_, ok := d.Answers[q.ID]
	return ok
}

// Started reports whether d holds anything typed: a figure or a written answer, finished or not.
// A submitted report leaves an empty draft behind.
func (d *Draft) Started() bool { return d != nil && (len(d.Answers) > 0 || len(d.Texts) > 0) }

// Reference returns the short reference number of version v of report k submitted at t: six
// letters and digits people can read out over the phone.
func Reference(k Key, v int, t time.Time) string {
	h := fnv.New64a()
	h.Write([]byte(k.String() + "#" + strconv.Itoa(v) + "#" + t.UTC().Format(time.RFC3339Nano)))
	s := base32.StdEncoding.EncodeToString(h.Sum(nil))
	return s[:6]
}

// ReportInfo is what the store knows of one report when a step starts.
type ReportInfo struct {
	Draft     *Draft      // the person's unfinished draft, if any
	Submitted *Submission // the current submitted version, if any
	Previous  *Submission // the unit's submission of the same form for the period before
	// Before holds the submissions for the period before of the units this one continues
	// (ReportQuery.Before), when the unit did not exist then: their sum is its last figures.
	Before []Submission
}

// Last returns the figures "keep last period's" and the big-change check compare with: the
// unit's own previous submission, or else the sum of its predecessors' (counts add; a rate is
// worked out again from the summed counts wherever it is shown), with how many it summed (0 for
// the unit's own). Returned submissions do not count. Nil when there is nothing.
func (r ReportInfo) Last() (*Submission, int) {
	if r.Previous != nil || len(r.Before) == 0 {
		return r.Previous, 0
	}
	sum := Submission{Values: map[string]int64{}}
	n := 0
	for _, s := range r.Before {
		if s.Returned != nil {
			continue
		}
		sum.Key = s.Key
		for q, v := range s.Values {
			sum.Values[q] += v
		}
		n++
	}
	if n == 0 {
		return nil, 0
	}
	return &sum, n
}
