package config

import (
	"fmt"
	"unicode/utf8"

	"danvan/flows"
)

// maxFieldButton keeps a field's button name on one line of a phone.
const maxFieldButton = 40

// questionType checks what only one type of question may have, naming the field: a text
// question takes no figures' rules; a number question no length or skip; register names a count
// of the register.
func (k *checker) questionType(p string, q flows.Question) {
	switch q.Type {
	case "", flows.NumberQuestion:
		if q.MaxLen != 0 {
			k.add(p+".max_len", "is for text questions (type: text)")
		}
		if q.Optional {
			k.add(p+".optional", "is for text questions (type: text); a figure is always asked")
		}
	case flows.TextQuestion:
		for _, f := range []struct {
			key string
			set bool
		}{{"min", q.Min != 0}, {"max", q.Max != 0}, {"le", q.LE != ""}, {"soft_change", q.SoftChange != 0}, {"register", q.Register != ""}} {
			if f.set {
				k.add(p+"."+f.key, "is for number questions; this one is type: text")
			}
		}
		if q.MaxLen < 0 || q.MaxLen > 10*flows.MaxText {
			k.add(p+".max_len", "%d: want 1–%d characters (absent for %d)", q.MaxLen, 10*flows.MaxText, flows.MaxText)
		}
	default:
		k.add(p+".type", "%q: want number or text", q.Type)
	}
	if q.Register != "" && q.Register != flows.RegisterModels && q.Register != flows.RegisterExemplars {
		k.add(p+".register", "%q: want %s or %s", q.Register, flows.RegisterModels, flows.RegisterExemplars)
	}
}

// register checks the "Dân vận khéo" register's fields and levels, and that a form checked
// against it has a register to check against.
func (k *checker) register() {
	r := k.c.Register
	fields, levels := map[string]bool{}, map[string]bool{}
	for i, f := range r.Fields {
		p := fmt.Sprintf("register.fields[%d]", i)
		k.id(p+".id", f.ID, fields)
		k.text(p+".name", f.Name)
		if n := max(utf8.RuneCountInString(f.Short.Vi), utf8.RuneCountInString(f.Short.En)); n > maxFieldButton {
			k.add(p+".short", "is %d characters; keep it to %d so it fits on a button", n, maxFieldButton)
		}
	}
	for i, l := range r.Levels {
		p := fmt.Sprintf("register.levels[%d]", i)
		k.id(p+".id", l.ID, levels)
		k.text(p+".name", l.Name)
	}
	if len(r.Fields) > 0 && len(r.Levels) == 0 {
		k.add("register.levels", "is empty: list who recognises exemplars (cấp xã, cấp tỉnh, …)")
	}
	if len(r.Fields) > 0 {
		return
	}
	for i, f := range k.c.Forms {
		for j, q := range f.Questions {
			if q.Register != "" {
				k.add(fmt.Sprintf("forms[%d].questions[%d].register", i, j), "the register has no fields: add a register section or drop this")
			}
		}
	}
}
