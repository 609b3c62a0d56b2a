package flows

import (
	"strings"
)

// where is the line a question starts with: form, unit, period, and on the first question of
// a form, the way to change them (" — đổi", with the "🔁 Đổi" button).
func (t *turn) where() string {
	if t.changeable() {
		return t.header() + t.T("where_change")
	}
	return t.header()
}

// changeable reports whether the question shown is where a report starts, which offers the
// chooser in place of "Quay lại".
func (t *turn) changeable() bool {
	return t.st.Screen == Asking && t.st.Step == 0 && !t.st.Editing
}

// questionNav is the last row under a question: "🔁 Đổi" on the first question, "⬅️ Quay lại"
// on the others, and "✖️ Hủy".
func (t *turn) questionNav() []Button {
	if t.changeable() {
		return []Button{t.btn(t.T("btn_change"), "chg", ""), t.btn(t.T("btn_cancel"), "cancel", "")}
	}
	return t.navRow()
}

// unitLabel names one of the person's units; a unit merged away may share its name with its
// successor, so it says until when it was in force.
func (t *turn) unitLabel(u string) string {
	label := t.env.Dir.Label(u, t.lang)
	if _, to := t.env.Dir.Span(u); to != 0 {
		label += t.T("unit_until", to.Time().Format("02/01/2006"))
	}
	return label
}

func (t *turn) renderUnits() Reply {
	r := Reply{Text: t.T("pick_unit")}
	for _, u := range t.units() {
		label := t.unitLabel(u)
		if _, owes := t.firstOwed(u, ""); !owes {
			label += " — " + t.T("mark_done")
		}
		r.Buttons = append(r.Buttons, []Button{t.btn(label, "u", u)})
	}
	r.Buttons = append(r.Buttons, []Button{t.btn(t.T("btn_cancel"), "cancel", "")})
	return r
}

// renderChooser is "🔁 Đổi": the forms of the unit's period, marked sent, returned or begun;
// the unit's other open periods; the person's other units. A chooser opened from a question
// goes back to it.
func (t *turn) renderChooser() Reply {
	k := t.st.Key
	head := t.env.Dir.Label(k.Unit, t.lang)
	if k.Period != "" {
		head += " · " + t.periodLabel(k.Period)
	}
	r := Reply{Text: t.T("change_pick", head)}
	if _, owes := t.firstOwed(k.Unit, k.Period); k.Period != "" && !owes {
		r.Text = t.T("change_done", head)
	}
	if k.Period != "" {
		kind := t.period().Kind
		for _, f := range t.formsOf(kind) {
			r.Buttons = append(r.Buttons, []Button{t.btn(t.formMark(Key{Unit: k.Unit, Period: k.Period, Form: f.ID}, f, kind), "f", f.ID)})
		}
	}
	for _, p := range t.journeyPeriods(k.Unit) {
		if p.ID == k.Period {
			continue
		}
		label := "📅 " + p.Label(t.lang)
		if _, owes := t.firstOwed(k.Unit, p.ID); !owes {
			label += " — " + t.T("mark_done")
		}
		r.Buttons = append(r.Buttons, []Button{t.btn(label, "p", p.ID)})
	}
	for _, u := range t.units() {
		if u != k.Unit && len(t.openFor(u)) > 0 {
			r.Buttons = append(r.Buttons, []Button{t.btn("🏢 "+t.unitLabel(u), "u", u)})
		}
	}
	if k.Form != "" {
		return withRow(r, t.navRow())
	}
	return withRow(r, []Button{t.btn(t.T("btn_cancel"), "cancel", "")})
}

func withRow(r Reply, row []Button) Reply {
	r.Buttons = append(r.Buttons, row)
	return r
}

// formMark is a form's title with what the person has of report k: sent, returned, a draft.
func (t *turn) formMark(k Key, f Form, kind PeriodKind) string {
	label := f.Title.In(t.lang)
	info := t.env.Reports[k]
	switch s := info.Submitted; {
	case s != nil && s.Returned != nil:
		label += " — " + t.T("mark_returned")
	case s != nil:
		label += " — " + t.T("mark_sent")
	}
	if hasAnswers(info.Draft) {
		label += " — " + t.T("mark_draft", answered(f, kind, info.Draft), len(f.For(kind)))
	}
	return label
}

// renderDrafts asks which of several drafts to go on with.
func (t *turn) renderDrafts() Reply {
	drafts := t.drafts()
	r := Reply{Text: t.T("pick_draft", len(drafts))}
	for _, k := range drafts {
		f, _ := t.env.Form(k.Form)
		p, _ := t.env.Calendar.Period(k.Period)
		label := strings.Join([]string{f.Title.In(t.lang), t.env.Dir.Label(k.Unit, t.lang), p.Label(t.lang)}, " · ")
		label += " — " + t.T("mark_draft", answered(f, p.Kind, t.env.Reports[k].Draft), len(f.For(p.Kind)))
		r.Buttons = append(r.Buttons, []Button{t.btn(label, "d", k.Period+"|"+k.Unit+"|"+k.Form)})
	}
	return withRow(r, []Button{t.btn(t.T("btn_cancel"), "cancel", "")})
}

// onward is what follows the confirmation of sub: "➡️ Tiếp" to the next form its unit owes
// for the period; else the period's reports of the unit with their references, and "➡️ Tiếp"
// to another of the person's units that owes the period. The store may or may not hold sub
// yet (a redraw), so sub stands for its own form.
func (t *turn) onward(r *Reply, sub Submission) {
	if next, ok := t.nextOwed(sub.Key); ok {
		r.Buttons = append(r.Buttons, []Button{t.nextBtn(next, false)})
		return
	}
	lines := []string{"", t.T("period_done")}
	for _, f := range t.formsOf(t.periodOf(sub.Key.Period).Kind) {
		s := &sub
		if f.ID != sub.Key.Form {
			s = t.env.Reports[Key{Unit: sub.Key.Unit, Period: sub.Key.Period, Form: f.ID}].Submitted
		}
		if s != nil {
			lines = append(lines, t.T("done_line", f.Title.In(t.lang), s.Ref, s.Version))
		}
	}
	r.Text += "\n" + strings.Join(lines, "\n")
	if next, ok := t.nextUnit(sub.Key); ok {
		r.Buttons = append(r.Buttons, []Button{t.nextBtn(next, true)})
	}
}

// nextBtn leads on to report k; it is unbound, so it still works after /mine or a redraw.
func (t *turn) nextBtn(k Key, unit bool) Button {
	f, _ := t.env.Form(k.Form)
	n := len(f.For(t.periodOf(k.Period).Kind))
	label := t.T("btn_next", f.Title.In(t.lang), n)
	if unit {
		label = t.T("btn_next_unit", t.env.Dir.Label(k.Unit, t.lang), f.Title.In(t.lang), n)
	}
	return unboundBtn(label, "nx", k.Period+"|"+k.Unit+"|"+k.Form)
}

func (t *turn) periodOf(id string) Period {
	p, _ := t.env.Calendar.Period(id)
	return p
}
