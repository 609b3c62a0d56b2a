package files

import "danvan/flows"

// withRegister returns the period's submissions with each register question (flows.Question
// .Register: the counts of models and exemplars) answered from the register, for every unit
// that uses it (flows.ModelCount.Used): then indicators 1.4 and 1.4b, the annex and the totals
// all read the register, whatever number was typed. in.models are the models as they stand for
// the period (ModelSource). The submissions it was given are left as they were.
func (m *Maker) withRegister(in reportInput) map[flows.Key]flows.Submission {
	counts := map[string]flows.ModelCount{}
	for _, md := range in.models {
		c := counts[md.Unit]
		c.Built++
		if md.Recognised {
			c.Recognised++
		}
		counts[md.Unit] = c
	}
	if len(counts) == 0 {
		return in.subs
	}
	out := make(map[flows.Key]flows.Submission, len(in.subs))
	for k, s := range in.subs {
		if c, ok := counts[k.Unit]; ok {
			if f, ok := m.form(k.Form); ok {
				s.Values = flows.WithRegister(f, s.Values, c)
			}
		}
		out[k] = s
	}
	return out
}

// form returns the form with id.
func (m *Maker) form(id string) (flows.Form, bool) {
	for _, f := range m.Forms {
		if f.ID == id {
			return f, true
		}
	}
	return flows.Form{}, false
}

// usesRegister reports whether some unit in scope has a model counted in the period: only then
// does the report speak of the register.
func usesRegister(in reportInput) bool {
	inScope := make(map[string]bool, len(in.units))
	for _, u := range in.units {
		inScope[u.ID] = true
	}
	for _, md := range in.models {
		if inScope[md.Unit] {
			return true
		}
	}
	return false
}
