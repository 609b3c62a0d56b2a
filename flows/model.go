package flows

import (
	"slices"
	"strconv"
	"time"
)

// This file is the register of "Dân vận khéo" models (plan 109-KH/ThU, indicator 1.4): what a
// model is, the fields of Kết luận 69-KL/TU it belongs to (data: Register), and the one rule
// that says what the register counts for a period and when it stands in for the typed counts.

// Model is one "Dân vận khéo" model a unit registered: a way of working with the people that
// the unit builds, and that a level of the Party may recognise as an exemplar (điển hình).
type Model struct {
	ID    string    `json:"id"` // "1", "2", … within its unit
	Unit  string    `json:"unit"`
	Name  string    `json:"name"`
	Field string    `json:"field"` // a ModelField's ID
	Start time.Time `json:"start"` // the first day of the month it started, in the calendar's zone
	// Level is the ModelLevel that recognised it as an exemplar; "" while it is not one.
	Level string `json:"level,omitempty"`
	// RecognisedAt is when the recognition was recorded.
	RecognisedAt time.Time `json:"recognised_at,omitzero"`
	By           string    `json:"by"` // who registered it
	At           time.Time `json:"at"`
	// Version counts the writes of the model; a write states the one it replaces.
	Version int `json:"v"`
}

// ModelField is one field of "Dân vận khéo" models: Kết luận 69-KL/TU names economic development
// and changing backward practices, forests, ethnic culture, outdated customs, security and order.
type ModelField struct {
	ID   string `yaml:"id" json:"id"`
	Name Text   `yaml:"name" json:"name"`
	// Short names it on a button; empty uses Name.
	Short Text `yaml:"short,omitempty" json:"short,omitempty"`
}

// Button names f on a button: Short, else Name.
func (f ModelField) Button(lang Lang) string {
	if s := f.Short.In(lang); s != "" {
		return s
	}
	return f.Name.In(lang)
}

// ModelLevel is a level that recognises exemplars: commune, province, the centre.
type ModelLevel struct {
	ID   string `yaml:"id" json:"id"`
	Name Text   `yaml:"name" json:"name"`
}

// Register is the register's data: its fields and recognising levels, in the order people pick
// them. With no fields the register is off.
type Register struct {
	Fields []ModelField `yaml:"fields" json:"fields"`
	Levels []ModelLevel `yaml:"levels" json:"levels"`
}

// Field returns the field with id.
func (r Register) Field(id string) (ModelField, bool) {
	i := slices.IndexFunc(r.Fields, func(f ModelField) bool { return f.ID == id })
	if i < 0 {
		return ModelField{}, false
	}
	return r.Fields[i], true
}

// Level returns the level with id.
func (r Register) Level(id string) (ModelLevel, bool) {
	i := slices.IndexFunc(r.Levels, func(l ModelLevel) bool { return l.ID == id })
	if i < 0 {
		return ModelLevel{}, false
	}
	return r.Levels[i], true
}

// FieldName names field id for people: its name, or the id itself for a field the register no
// longer has (a model registered before the data changed keeps its field).
func (r Register) FieldName(id string, lang Lang) string {
	if f, ok := r.Field(id); ok {
		return f.Name.In(lang)
	}
	return id
}

// LevelName names level id for people, as FieldName does fields.
func (r Register) LevelName(id string, lang Lang) string {
	if l, ok := r.Level(id); ok {
		return l.Name.In(lang)
	}
	return id
}

// CountsIn reports whether m counts in period p: it had started by p's due day. A model
// registered later for an earlier start counts too: the register may be filled in after the fact.
func (m Model) CountsIn(p Period) bool { return !m.Start.After(p.Due) }

// RecognisedIn reports whether m counts as an exemplar in p: it counts in p, and its recognition
// was recorded before p closed (the bot does not ask when a recognition was made, so one entered
// while p's reports were still being taken is p's).
func (m Model) RecognisedIn(p Period) bool {
	return m.Level != "" && m.CountsIn(p) && m.RecognisedAt.Before(p.Closes)
}

// ModelsIn returns the models of ms that count in p, each as it stands for p: a recognition
// recorded after p closed is left off. The report draft reads the register through it.
func ModelsIn(ms []Model, p Period) []Model {
	var out []Model
	for _, m := range ms {
		if !m.CountsIn(p) {
			continue
		}
		if !m.RecognisedIn(p) {
			m.Level, m.RecognisedAt = "", time.Time{}
		}
		out = append(out, m)
	}
	return out
}

// ModelCount is what one unit's register counts for a period.
type ModelCount struct {
	Built      int // models that count in the period
	Recognised int // of which exemplars
}

// CountModels counts ms for period p.
func CountModels(ms []Model, p Period) ModelCount {
	var c ModelCount
	for _, m := range ModelsIn(ms, p) {
		c.Built++
		if m.Level != "" {
			c.Recognised++
		}
	}
	return c
}

// Used reports whether the unit uses the register for the period: it has registered a model that
// counts in it. Then the register, not a typed number, is the unit's count of models and
// exemplars (indicators 1.4 and 1.4b in the report); before that, the form's numbers are.
func (c ModelCount) Used() bool { return c.Built > 0 }

// Of returns the count a question's Register tag names; ok is false for no tag.
func (c ModelCount) Of(tag string) (int64, bool) {
	switch tag {
	case RegisterModels:
		return int64(c.Built), true
	case RegisterExemplars:
		return int64(c.Recognised), true
	}
	return 0, false
}

// WithRegister returns values with the answers to f's register questions replaced by c's counts,
// when c says the register is used; values itself is never changed.
func WithRegister(f Form, values map[string]int64, c ModelCount) map[string]int64 {
	if !c.Used() {
		return values
	}
	out := make(map[string]int64, len(values))
	for k, v := range values {
		out[k] = v
	}
	for _, q := range f.Questions {
		if n, ok := c.Of(q.Register); ok {
			if _, asked := values[q.ID]; asked {
				out[q.ID] = n
			}
		}
	}
	return out
}

// nextModelID is the id a new model of a unit whose models are ms gets: one more than the
// highest. Two registering at once both pick it; the store takes the first and the second step
// runs again on the register as it is then.
func nextModelID(ms []Model) string {
	top := 0
	for _, m := range ms {
		if n, err := strconv.Atoi(m.ID); err == nil && n > top {
			top = n
		}
	}
	return strconv.Itoa(top + 1)
}

// hasRegisterQuestion reports whether some question of forms is checked against the register.
func hasRegisterQuestion(forms []Form) bool {
	for _, f := range forms {
		for _, q := range f.Questions {
			if q.Register != "" {
				return true
			}
		}
	}
	return false
}
