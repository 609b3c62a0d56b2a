package flows

import (
	"fmt"
	"strings"
)

// unitView shows one unit in one period: per form its current submission (values, indicators,
// on time or late), its draft, and its history of versions and returns; under it a "Trả lại"
// button per form a leader may return, and the way up.
func (t *turn) unitView(r leaderReq) {
	if !CanSee(t.env.Person, t.env.Dir, View{Node: r.unit}) {
		t.refuse()
		return
	}
	t.show(t.unitReply(r.per, r.unit))
}

func (t *turn) unitReply(per Period, unit string) Reply {
	prog := t.env.Progress[unit]
	parts := []string{t.T("unit_head", t.env.Dir.Label(unit, t.lang), per.Label(t.lang)), t.organisersText(prog)}
	var rows [][]Button
	// A report can be sent back only while its period is open: after, nobody could correct it.
	lead := CanLead(t.env.Person, t.env.Dir, View{Node: unit}) && t.isOpen(per.ID)
	for _, f := range t.env.Forms {
		parts = append(parts, t.unitForm(per, prog, f))
		if s := prog.Subs[f.ID]; lead && s != nil && s.Returned == nil {
			label := t.T("unit_btn_return", f.Title.In(t.lang))
			rows = append(rows, []Button{leaderBtn(label, "ret", per.ID, unit, f.ID, fmt.Sprint(s.Version))})
		}
	}
	n, _ := t.env.Dir.Node(unit)
	up, ok := t.upView(View{Node: unit}) // the whole place above, or its organisation's part
	if !ok {
		up, ok = t.upView(View{Node: unit, Org: n.Org})
	}
	if ok {
		rows = append(rows, []Button{leaderBtn("⬆️ "+t.viewLabel(up), "fig", per.ID, up.Node, up.Org, "")})
	}
	return Reply{Text: strings.Join(parts, "\n\n"), Buttons: rows}
}

func (t *turn) organisersText(prog UnitProgress) string {
	if len(prog.Organisers) == 0 {
		return t.T("unit_no_org")
	}
	names := make([]string, len(prog.Organisers))
	for i, o := range prog.Organisers {
		if names[i] = t.nameOf(o); names[i] == o {
			return t.T("unit_orgs", len(prog.Organisers)) // ids mean nothing to people
		}
	}
	return t.T("unit_orgs_named", strings.Join(names, ", "))
}

// unitForm is one form's part of a unit view.
func (t *turn) unitForm(per Period, prog UnitProgress, f Form) string {
	s := prog.Subs[f.ID]
	lines := []string{"📋 " + f.Title.In(t.lang) + ": " + t.unitStatus(per, s, prog.Drafts[f.ID], f)}
	if s != nil {
		lines = append(lines, t.T("unit_version", s.Version, s.Ref, t.when(s), t.nameOf(s.By)))
		for _, q := range f.For(per.Kind) {
			if v, ok := s.Values[q.ID]; ok && !q.IsText() {
				lines = append(lines, "  • "+q.Label.In(t.lang)+": "+t.num(v))
			} else if text := s.Texts[q.ID]; q.IsText() && text != "" {
				lines = append(lines, "  • "+q.Label.In(t.lang)+": "+quoteLines(Neutral(text), 1, summaryRunes))
			}
		}
		for _, l := range IndicatorLines(t.env.IndicatorsIn(prog.Unit, per), f, per.Kind, s.Values, t.lang) {
			lines = append(lines, "  "+l)
		}
	}
	return strings.Join(append(lines, t.historyLines(Key{Unit: prog.Unit, Period: per.ID, Form: f.ID})...), "\n")
}

// unitStatus is "✅ đúng hạn", "⏰ trễ hạn", "↩️ đã trả lại: <lý do>" or "❌ chưa nộp · 📝 nháp 3/6".
func (t *turn) unitStatus(per Period, s *Submission, drafts map[string]*Draft, f Form) string {
	switch {
	case s != nil && s.Returned != nil:
		return t.T("unit_returned", Neutral(s.Returned.Reason))
	case s != nil && s.Late(per.Due):
		return t.T("unit_late")
	case s != nil:
		return t.T("unit_ontime")
	}
	out := t.T("unit_missing")
	if n := bestDraft(drafts, f, per.Kind); n > 0 {
		out += " · " + t.T("mark_draft", n, len(f.For(per.Kind)))
	}
	return out
}

// bestDraft is the most answers any organiser's draft holds.
func bestDraft(drafts map[string]*Draft, f Form, k PeriodKind) int {
	best := 0
	for _, d := range drafts {
		if d != nil {
			best = max(best, answered(f, k, d))
		}
	}
	return best
}

// historyLines lists every version of a report and every return, oldest first; under each
// version after the first, the figures it changed, old → new.
func (t *turn) historyLines(k Key) []string {
	hist := t.env.History[k]
	if len(hist) < 2 && (len(hist) == 0 || hist[0].Returned == nil) {
		return nil
	}
	f, _ := t.env.Form(k.Form)
	out := []string{t.T("unit_history")}
	for i, s := range hist {
		out = append(out, t.T("unit_hist_v", s.Version, s.Ref, t.when(&s), t.nameOf(s.By)))
		if i > 0 {
			out = append(out, t.changeLines(f, hist[i-1].Values, s.Values)...)
			out = append(out, t.textChangeLines(f, hist[i-1].Texts, s.Texts)...)
		}
		if r := s.Returned; r != nil {
			out = append(out, t.T("unit_hist_ret", r.At.In(t.loc()).Format("15:04 02/01/2006"), t.nameOf(r.By), Neutral(r.Reason)))
		}
	}
	return out
}

// changeLines are the figures next changed against prev, in the form's order: "• Số hội viên:
// 1.150 → 1.050", "—" for a figure one of them lacks.
func (t *turn) changeLines(f Form, prev, next map[string]int64) []string {
	var out []string
	for _, c := range Changes(f, prev, next) {
		label := c.Field
		if q, ok := f.Question(c.Field); ok {
			label = q.Label.In(t.lang)
		}
		out = append(out, "    • "+label+": "+figureOr(prev, c.Field)+" → "+figureOr(next, c.Field))
	}
	return out
}

// textChangeLines are the written answers next changed against prev: "• Hạn chế, khó khăn: đã
// sửa" (a paragraph old → new is unreadable on a phone; the unit view shows the new one).
func (t *turn) textChangeLines(f Form, prev, next map[string]string) []string {
	var out []string
	for _, id := range TextChanges(f, prev, next) {
		q, _ := f.Question(id)
		out = append(out, "    • "+q.Label.In(t.lang)+": "+t.T("unit_text_edit"))
	}
	return out
}

// figureOr is values[id] as people write it, or "—" when there is none.
func figureOr(values map[string]int64, id string) string {
	if v, ok := values[id]; ok {
		return FormatNumber(v)
	}
	return "—"
}

func (t *turn) when(s *Submission) string { return s.At.In(t.loc()).Format("15:04 02/01/2006") }
