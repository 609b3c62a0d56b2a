package flows

import (
	"fmt"
	"slices"
)

// MaxNumber is the largest figure any question accepts unless its form says otherwise: more
// people than live in any province is a typo.
const MaxNumber = 10_000_000

// Question is one whole-number question of a form.
type Question struct {
	ID    string `yaml:"id" json:"id"`
	Label Text   `yaml:"label" json:"label"`
	Hint  Text   `yaml:"hint,omitempty" json:"hint,omitempty"`
	Min   int64  `yaml:"min,omitempty" json:"min,omitempty"`
	Max   int64  `yaml:"max,omitempty" json:"max,omitempty"` // 0 means MaxNumber
	// LE names another question of the form this answer may not exceed (members ≤ eligible).
	LE string `yaml:"le,omitempty" json:"le,omitempty"`
	// Periods limits the question to some periods (branch ratings only in the Year); empty means all.
	Periods []PeriodKind `yaml:"periods,omitempty" json:"periods,omitempty"`
	// SoftChange is the share (0.5 = 50%) by which an answer may move from the unit's previous
	// submission before it is shown back for confirmation; 0 turns the check off.
	SoftChange float64 `yaml:"soft_change,omitempty" json:"soft_change,omitempty"`
}

// Limit returns the largest answer q accepts on its own.
func (q Question) Limit() int64 {
	if q.Max > 0 {
		return q.Max
	}
	return MaxNumber
}

// AppliesTo reports whether q is asked in periods of kind k.
func (q Question) AppliesTo(k PeriodKind) bool {
	return len(q.Periods) == 0 || slices.Contains(q.Periods, k)
}

// Form is a named list of questions, such as Membership or Activities.
type Form struct {
	ID        string     `yaml:"id" json:"id"`
	Title     Text       `yaml:"title" json:"title"`
	Questions []Question `yaml:"questions" json:"questions"`
}

// For returns the questions of f asked in periods of kind k, in order.
func (f Form) For(k PeriodKind) []Question {
	var out []Question
	for _, q := range f.Questions {
		if q.AppliesTo(k) {
			out = append(out, q)
		}
	}
	return out
}

// Question returns the question of f with id.
func (f Form) Question(id string) (Question, bool) {
	for _, q := range f.Questions {
		if q.ID == id {
			return q, true
		}
	}
	return Question{}, false
}

// Validate checks f: ids present and unique, limits sane, LE naming an earlier question asked in
// every period this one is.
func (f Form) Validate() error {
	if f.ID == "" || f.Title.Vi == "" {
		return fmt.Errorf("form %q: id and title.vi are required", f.ID)
	}
	if len(f.Questions) == 0 {
		return fmt.Errorf("form %s: no questions", f.ID)
	}
	seen := map[string]int{}
	for i, q := range f.Questions {
		if err := f.validateQuestion(q, seen); err != nil {
			return fmt.Errorf("form %s: questions[%d] %s: %w", f.ID, i, q.ID, err)
		}
		seen[q.ID] = i
	}
	return nil
}

func (f Form) validateQuestion(q Question, seen map[string]int) error {
	switch {
	case q.ID == "" || q.Label.Vi == "":
		return fmt.Errorf("id and label.vi are required")
	case has(seen, q.ID):
		return fmt.Errorf("duplicate id")
	case q.Min < 0 || q.Max < 0 || (q.Max > 0 && q.Min > q.Max):
		return fmt.Errorf("min %d and max %d are not a range of whole numbers ≥ 0", q.Min, q.Max)
	case q.SoftChange < 0:
		return fmt.Errorf("soft_change %v is negative", q.SoftChange)
	}
	for _, k := range q.Periods {
		if k != Q1 && k != H1 && k != Q3 && k != Year {
			return fmt.Errorf("unknown period %q (want Q1, H1, Q3 or Y)", k)
		}
	}
	if q.LE == "" {
		return nil
	}
	j, ok := seen[q.LE]
	if !ok {
		return fmt.Errorf("le %q names no earlier question", q.LE)
	}
	if other := f.Questions[j]; len(other.Periods) > 0 {
		for _, k := range periodsOr(q.Periods) {
			if !other.AppliesTo(k) {
				return fmt.Errorf("le %q is not asked in period %s", q.LE, k)
			}
		}
	}
	return nil
}

func periodsOr(ks []PeriodKind) []PeriodKind {
	if len(ks) == 0 {
		return []PeriodKind{Q1, H1, Q3, Year}
	}
	return ks
}

func has(m map[string]int, k string) bool {
	_, ok := m[k]
	return ok
}
