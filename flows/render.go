package flows

import (
	"fmt"
	"strings"
)

func (t *turn) navRow() []Button {
	return []Button{t.btn(t.T("btn_back"), "back", ""), t.btn(t.T("btn_cancel"), "cancel", "")}
}

// answered counts the draft's answers to questions the period asks.
func answered(f Form, k PeriodKind, d *Draft) int {
	n := 0
	for _, q := range f.For(k) {
		if d.Has(q) {
			n++
		}
	}
	return n
}

// renderResume is the screen that asked whether to go on with a draft, before drafts were
// continued without asking: a chat saved on it still shows it.
func (t *turn) renderResume() Reply {
	d := t.info().Draft
	n := 0
	if d != nil {
		n = answered(t.form(), t.period().Kind, d)
	}
	return Reply{
		Text: t.header() + "\n" + t.T("resume", n, len(t.questions())),
		Buttons: [][]Button{
			{t.btn(t.T("btn_continue"), "resume", "continue"), t.btn(t.T("btn_restart"), "resume", "restart")},
			t.navRow(),
		},
	}
}

// header names the report being filled in: form, unit, period.
func (t *turn) header() string {
	k := t.st.Key
	return fmt.Sprintf("%s · %s · %s", t.form().Title.In(t.lang), t.env.Dir.Label(k.Unit, t.lang), t.periodLabel(k.Period))
}

func (t *turn) renderQuestion() Reply {
	q, ok := t.question()
	if !ok {
		return Reply{Text: t.T("idle_text")}
	}
	if q.IsText() {
		return t.renderText(q)
	}
	text := fmt.Sprintf("%s\n(%d/%d) %s", t.where(), t.st.Step+1, len(t.questions()), q.Label.In(t.lang))
	if h := q.Hint.In(t.lang); h != "" {
		text += "\n" + h
	}
	r := Reply{Text: text, Free: true}
	if b, ok := t.registerButton(q); ok {
		r.Buttons = append(r.Buttons, []Button{b})
	}
	if _, label, ok := t.keepValue(q); ok {
		r.Buttons = append(r.Buttons, []Button{t.btn(label, "keep", "")})
	}
	r.Buttons = append(r.Buttons, t.questionNav())
	return r
}

func (t *turn) renderSoft() Reply {
	q, _ := t.question()
	if r, ok := t.renderRegisterSoft(q); ok {
		return r
	}
	var v, p int64
	if t.st.Pending != nil {
		v = *t.st.Pending
	}
	prev, n := t.info().Last()
	if prev != nil {
		p = prev.Values[q.ID]
	}
	dir := t.T("rose")
	if v < p {
		dir = t.T("fell")
	}
	return Reply{
		Free: true,
		Text: t.T("soft", q.Label.In(t.lang), dir, t.num(p), t.num(v)) + t.prevSum(n),
		Buttons: [][]Button{
			{t.btn(t.T("btn_yes", t.num(v)), "ok", ""), t.btn(t.T("btn_retype"), "redo", "")},
			t.navRow(),
		},
	}
}

// prevSum says, when n > 0, that last period's figures are the sum of n former units.
func (t *turn) prevSum(n int) string {
	if n == 0 {
		return ""
	}
	return t.T("prev_sum", n)
}

func (t *turn) renderSummary() Reply {
	var b strings.Builder
	b.WriteString("📋 " + t.T("summary") + "\n" + t.header() + "\n")
	d := t.workDraft()
	answers := d.Answers
	for i, q := range t.questions() {
		if q.IsText() {
			fmt.Fprintf(&b, "%d. %s: %s\n", i+1, q.Label.In(t.lang), t.textPreview(q, d, summaryLines, summaryRunes))
			continue
		}
		val := "—"
		if v, ok := answers[q.ID]; ok {
			val = t.num(v)
		}
		fmt.Fprintf(&b, "%d. %s: %s\n", i+1, q.Label.In(t.lang), val)
	}
	for _, line := range IndicatorLines(t.env.IndicatorsIn(t.st.Key.Unit, t.period()), t.form(), t.period().Kind, answers, t.lang) {
		b.WriteString(line + "\n")
	}
	if cur := t.info().Submitted; cur != nil {
		b.WriteString(t.T("summary_v", cur.Version, cur.Ref, cur.Version+1) + "\n")
	}
	return Reply{
		Text: strings.TrimRight(b.String(), "\n"),
		Buttons: [][]Button{{
			t.btn(t.T("btn_send"), "send", ""), t.btn(t.T("btn_edit"), "edit", ""), t.btn(t.T("btn_cancel"), "cancel", ""),
		}},
	}
}

func (t *turn) renderEditPick() Reply {
	r := Reply{Text: t.T("edit_pick")}
	d := t.workDraft()
	for _, q := range t.questions() {
		label := q.Label.In(t.lang)
		if v, ok := d.Answers[q.ID]; ok && !q.IsText() {
			label += ": " + t.num(v)
		} else if d.Has(q) {
			label += ": " + t.textPreview(q, d, 1, buttonRunes)
		}
		r.Buttons = append(r.Buttons, []Button{t.btn(label, "e", q.ID)})
	}
	r.Buttons = append(r.Buttons, []Button{t.btn(t.T("btn_back"), "back", "")})
	return r
}
