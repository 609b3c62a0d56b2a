package flows

import (
	"fmt"
	"slices"
)

// MaxNumber is the largest figure any question accepts unless its form says otherwise: more
// people than live in any province is a typo.
const MaxNumber = 10_000_000

// MaxText is the longest written answer a text question takes unless its form says otherwise,
// in characters: two thousand is a long paragraph, about a page of a report.
const MaxText = 2000

// The kinds of question (Question.Type).
const (
	NumberQuestion = "number" // a whole number ≥ 0; the default
	TextQuestion   = "text"   // a written answer, one or several messages long
)

// The counts of the "Dân vận khéo" register a number question may be checked against
// (Question.Register).
const (
	RegisterModels    = "models"    // models registered and being built
	RegisterExemplars = "exemplars" // of which recognised as exemplars (điển hình)
)

// Question is one question of a form: a whole number, or (Type "text") a written answer such as
// "Hạn chế, khó khăn", which the report draft quotes under the unit's name.
type Question struct {
	ID    string `yaml:"id" json:"id"`
	Label Text   `yaml:"label" json:"label"`
	Hint  Text   `yaml:"hint,omitempty" json:"hint,omitempty"`
	// Type is NumberQuestion ("" too) or TextQuestion.
	Type string `yaml:"type,omitempty" json:"type,omitempty"`
	// MaxLen bounds a text answer, in characters; 0 means MaxText.
	MaxLen int `yaml:"max_len,omitempty" json:"max_len,omitempty"`
	// Optional lets a text question be skipped with one tap ("Bỏ qua").
	Optional bool `yaml:"optional,omitempty" json:"optional,omitempty"`
	// Register names the count of the unit's "Dân vận khéo" register a number question is
	// checked against (RegisterModels, RegisterExemplars): the bot offers the register's count
	// and asks to confirm a typed number that differs.
	Register string `yaml:"register,omitempty" json:"register,omitempty"`
	Min      int64  `yaml:"min,omitempty" json:"min,omitempty"`
	Max      int64  `yaml:"max,omitempty" json:"max,omitempty"` // 0 means MaxNumber
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

// IsText reports whether q takes a written answer rather than a number.
func (q Question) IsText() bool { return q.Type == TextQuestion }

// TextLimit returns the most characters a text answer to q may hold.
func (q Question) TextLimit() int {
	if q.MaxLen > 0 {
		return q.MaxLen
	}
	return MaxText
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

// Figures returns the number questions of f asked in periods of kind k, in order: what tallies,
// indicators and spreadsheets are made of. Written answers are the report's.
func (f Form) Figures(k PeriodKind) []Question {
	var out []Question
	for _, q := range f.For(k) {
		if !q.IsText() {
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
	if err := q.validateType(); err != nil {
		return err
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
	if f.Questions[j].IsText() {
		return fmt.Errorf("le %q names a text question", q.LE)
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

// validateType checks what only one type of question may have: a text question takes no
// figures' rules, a number question no length or skip.
func (q Question) validateType() error {
	switch q.Type {
	case "", NumberQuestion:
		if q.MaxLen != 0 || q.Optional {
			return fmt.Errorf("max_len and optional are for text questions (type: text)")
		}
	case TextQuestion:
		if q.Min != 0 || q.Max != 0 || q.LE != "" || q.SoftChange != 0 || q.Register != "" {
			return fmt.Errorf("min, max, le, soft_change and register are for number questions")
		}
		if q.MaxLen < 0 || q.MaxLen > 10*MaxText {
			return fmt.Errorf("max_len %d: want 1–%d characters (0 for %d)", q.MaxLen, 10*MaxText, MaxText)
		}
	default:
		return fmt.Errorf("type %q: want number or text", q.Type)
	}
	if q.Register != "" && q.Register != RegisterModels && q.Register != RegisterExemplars {
		return fmt.Errorf("register %q: want %s or %s", q.Register, RegisterModels, RegisterExemplars)
	}
	return nil
}
