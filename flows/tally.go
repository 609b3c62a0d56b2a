package flows

import "time"

// AllOrgs is the Org of a TallyKey that sums every organisation.
const AllOrgs = "*"

// TallyKey names one aggregate: one form's current submissions for one period, summed over the
// units at or below one directory node and of one organisation (AllOrgs for all of them).
type TallyKey struct {
	Period string
	Node   string
	Org    string
	Form   string
}

// Tally is one aggregate the store keeps up to date in the same atomic write as each submission
// and return, so a leader's figures never need to read every unit.
type Tally struct {
	// Reported counts units whose current submission counts: submitted and not returned.
	Reported int `json:"n"`
	// Late counts those of them whose current version came after the period's due time
	// (Submission.Late).
	Late int `json:"late"`
	// Returned counts units whose current submission was returned for correction.
	Returned int `json:"ret"`
	// Sums holds, per question id, the sum over the Reported units.
	Sums map[string]int64 `json:"sums,omitempty"`
	// Met holds, per count indicator (one without Den), how many Reported units reach its
	// target on their own: units with a "Dân vận khéo" model, units with 1–2 exemplars.
	Met map[string]int `json:"met,omitempty"`
}

// Contribution is what one submission adds to every tally of its unit: the store subtracts the
// old version's contribution and adds the new one's. A returned submission contributes only
// its Returned count, so a return takes the unit out of "reported" until it resubmits.
func Contribution(s *Submission, inds []Indicator, due time.Time) Tally {
	if s == nil {
		return Tally{}
	}
	if s.Returned != nil {
		return Tally{Returned: 1}
	}
	t := Tally{Reported: 1, Sums: map[string]int64{}, Met: map[string]int{}}
	if s.Late(due) {
		t.Late = 1
	}
	for q, v := range s.Values {
		t.Sums[q] = v
	}
	for _, ind := range inds {
		if ind.Form != s.Key.Form || ind.IsRate() {
			continue
		}
		if v, ok := ind.Value(s.Values); ok && ind.Met(v) {
			t.Met[ind.ID] = 1
		}
	}
	return t
}

// Return records that a leader sent a submission back for correction.
type Return struct {
	By     string    `json:"by"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason"`
}

// UnitProgress is where one unit stands in one period: what it submitted, who reports for it and
// what they have started. Reminders, /missing and the spreadsheet read it.
type UnitProgress struct {
	Unit string
	// Subs holds, per form id, the current submission (Returned set when it was sent back); a
	// form with nothing submitted has no entry.
	Subs map[string]*Submission
	// Organisers are the ids of the people who report for the unit.
	Organisers []string
	// Drafts holds, per form id and person id, a draft with at least one answer.
	Drafts map[string]map[string]*Draft
	// Nudged is the latest leader's nudge ("🔔 Nhắc") that went to the unit, as the store
	// recorded it (it keeps one for two days); nil when there is none.
	Nudged *Nudge
}

// Nudge is a leader's reminder to a unit's organisers outside the ladder: when it went and who
// sent it. A unit is nudged at most once a calendar day.
type Nudge struct {
	At time.Time `json:"at"`
	By string    `json:"by"`
}

// Done reports whether the unit has a current, not returned, submission of form.
func (u UnitProgress) Done(form string) bool {
	s := u.Subs[form]
	return s != nil && s.Returned == nil
}

// Add adds b into t: the tallies of disjoint sets of units add up.
func (t *Tally) Add(b Tally) {
	t.Reported += b.Reported
	t.Late += b.Late
	t.Returned += b.Returned
	for k, v := range b.Sums {
		if t.Sums == nil {
			t.Sums = map[string]int64{}
		}
		t.Sums[k] += v
	}
	for k, v := range b.Met {
		if t.Met == nil {
			t.Met = map[string]int{}
		}
		t.Met[k] += v
	}
}

// UnitStatus is where one unit stands in a period, form by form, without its figures: what
// /missing pages through and the reminders count. Bit i of Done is set when form i of the forms
// asked for (Env.Forms, in order) has a current, not returned, submission; bit i of Late when
// that submission's first version came after the due time.
type UnitStatus struct{ Done, Late uint64 }

// DoneAll reports whether the unit has a current, not returned, submission of each of n forms.
func (u UnitStatus) DoneAll(n int) bool { return u.Done&(1<<n-1) == 1<<n-1 }

// DoneForm reports whether form i has a current, not returned, submission.
func (u UnitStatus) DoneForm(i int) bool { return u.Done&(1<<i) != 0 }

// LateAny reports whether a form's current submission came in after the due time.
func (u UnitStatus) LateAny() bool { return u.Late != 0 }
