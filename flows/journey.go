package flows

import (
	"slices"
	"strings"
)

// This file is the organiser's way through a period's reports, kept short because every extra
// screen on a phone in a commune office is a chance to give up. /report (and a reminder's "Báo
// cáo ngay") goes straight to the first question of the first form the unit still owes, in the
// period most recently due; the question's first line says where that is, and "🔁 Đổi" (or
// "đổi" typed) opens one small chooser of the unit's forms, its other open periods and the
// person's other units. A draft is continued where it stopped; with several, the person picks
// one. After "Gửi" the confirmation leads on to the next form owed (received, in redraw.go).

func init() {
	addTexts(map[string]Text{
		"where_change":  {Vi: " — đổi", En: " — change"},
		"btn_change":    {Vi: "🔁 Đổi", En: "🔁 Change"},
		"change_pick":   {Vi: "%s\nChọn biểu mẫu, kỳ hoặc đơn vị:", En: "%s\nChoose a form, period or unit:"},
		"change_done":   {Vi: "%s\n✅ Đã gửi đủ báo cáo kỳ này. Chọn biểu mẫu để xem lại, sửa và gửi lại:", En: "%s\n✅ Every report of this period is in. Choose a form to review, change and resubmit:"},
		"mark_returned": {Vi: "↩️ bị trả lại", En: "↩️ returned"},
		"mark_done":     {Vi: "✅ đã gửi đủ", En: "✅ all sent"},
		"pick_draft":    {Vi: "Bạn có %d bản nháp chưa gửi. Tiếp tục bản nào?", En: "You have %d unsent drafts. Which one shall we go on with?"},
		"btn_next":      {Vi: "➡️ Tiếp: %s (%d câu)", En: "➡️ Next: %s (%d questions)"},
		"btn_next_unit": {Vi: "➡️ Tiếp: %s — %s (%d câu)", En: "➡️ Next: %s — %s (%d questions)"},
		"period_done":   {Vi: "✅ Xong kỳ này — đã gửi đủ:", En: "✅ This period is done — all sent:"},
		"done_line":     {Vi: "• %s: %s (phiên bản %d)", En: "• %s: %s (version %d)"},
	})
}

// startReport is /report: a draft to continue, the units to choose from when several owe
// reports, or straight to the one unit's first report owed.
func (t *turn) startReport() {
	units := t.units()
	switch {
	case len(units) == 0:
		t.say(t.T("no_units"))
		return
	case len(t.open()) == 0:
		t.say(t.T("no_period"))
		return
	}
	switch drafts := t.drafts(); len(drafts) {
	case 0:
	case 1:
		t.openReport(drafts[0])
		return
	default:
		t.st.Screen = PickDraft
		t.prompt()
		return
	}
	var owing []string
	for _, u := range units {
		if _, ok := t.firstOwed(u, ""); ok {
			owing = append(owing, u)
		}
	}
	switch len(owing) {
	case 0:
		t.land(units[0], "")
	case 1:
		t.land(owing[0], "")
	default:
		t.st.Screen = PickUnit
		t.prompt()
	}
}

// journeyPeriods lists the open periods unit reports for, the one most recently due first
// (those whose due day has passed, latest first), then those still to come, soonest first: of
// the late nine months and the coming year, the nine months are owed now.
func (t *turn) journeyPeriods(unit string) []Period {
	ps := t.openFor(unit)
	past := func(p Period) bool { return t.now.After(p.Due) }
	slices.SortStableFunc(ps, func(a, b Period) int {
		switch pa, pb := past(a), past(b); {
		case pa != pb && pa:
			return -1
		case pa != pb:
			return 1
		case pa:
			return b.Due.Compare(a.Due)
		}
		return a.Due.Compare(b.Due)
	})
	return ps
}

// owed reports whether report k still has to be filed: never submitted, or returned.
func (t *turn) owed(k Key) bool {
	s := t.env.Reports[k].Submitted
	return s == nil || s.Returned != nil
}

// formsOf lists the forms that ask something in periods of kind k.
func (t *turn) formsOf(k PeriodKind) []Form {
	var out []Form
	for _, f := range t.env.Forms {
		if len(f.For(k)) > 0 {
			out = append(out, f)
		}
	}
	return out
}

// firstOwed returns the first report unit owes, in journey order: periods (only period, when
// one is named), then forms.
func (t *turn) firstOwed(unit, period string) (Key, bool) {
	for _, p := range t.journeyPeriods(unit) {
		if period != "" && p.ID != period {
			continue
		}
		for _, f := range t.formsOf(p.Kind) {
			if k := (Key{Unit: unit, Period: p.ID, Form: f.ID}); t.owed(k) {
				return k, true
			}
		}
	}
	return Key{}, false
}

// drafts lists the reports the person has begun and not sent, in journey order.
func (t *turn) drafts() []Key {
	var out []Key
	for _, u := range t.units() {
		for _, p := range t.journeyPeriods(u) {
			for _, f := range t.formsOf(p.Kind) {
				if k := (Key{Unit: u, Period: p.ID, Form: f.ID}); hasAnswers(t.env.Reports[k].Draft) {
					out = append(out, k)
				}
			}
		}
	}
	return out
}

// land takes the person to unit's first report owed (in period, when one is named). When the
// unit owes nothing there, the chooser shows what was sent, to review and resubmit.
func (t *turn) land(unit, period string) {
	if k, ok := t.firstOwed(unit, period); ok {
		t.openReport(k)
		return
	}
	if period == "" {
		ps := t.journeyPeriods(unit)
		if len(ps) == 0 {
			t.reset()
			t.say(t.T("no_period"))
			return
		}
		period = ps[0].ID
	}
	t.st.Key = Key{Unit: unit, Period: period}
	t.st.Step, t.st.Editing, t.st.Pending = 0, false, nil
	t.st.Screen = PickForm
	t.prompt()
}

// openReport shows report k at its first question not answered yet (the first question of a
// report not begun, the summary of one fully answered). A returned report opens as "Mở lại
// báo cáo" does: filled from the version sent back, with the leader's reason.
func (t *turn) openReport(k Key) {
	t.st.Key = k
	t.st.Step, t.st.Editing, t.st.Pending = 0, false, nil
	if s := t.info().Submitted; s != nil && s.Returned != nil {
		t.reopenReport(*s)
		return
	}
	t.toFirstUnanswered()
	t.prompt()
}

// toFirstUnanswered moves to the first question the draft has no answer to, or to the summary.
func (t *turn) toFirstUnanswered() {
	t.st.Screen, t.st.Step = Asking, t.firstUnanswered()
	if t.st.Step >= len(t.questions()) {
		t.st.Screen, t.st.Step = Summary, 0
	}
}

// pickUnit is a choice of unit, on the list of units or in the chooser.
func (t *turn) pickUnit(unit string) {
	if !t.env.Person.Organises(unit) || len(t.openFor(unit)) == 0 {
		t.prompt()
		return
	}
	t.land(unit, "")
}

// pickPeriod is a choice of another open period of the chooser's unit.
func (t *turn) pickPeriod(id string) {
	if t.st.Key.Unit == "" || !slices.ContainsFunc(t.openFor(t.st.Key.Unit), func(p Period) bool { return p.ID == id }) {
		t.prompt()
		return
	}
	t.land(t.st.Key.Unit, id)
}

// pickForm is a choice of form in the chooser, for its unit and period.
func (t *turn) pickForm(id string) {
	if _, ok := t.env.Form(id); !ok || t.st.Key.Period == "" {
		t.prompt()
		return
	}
	t.openReport(Key{Unit: t.st.Key.Unit, Period: t.st.Key.Period, Form: id})
}

// pickDraft is a choice among the person's drafts; arg is "period|unit|form". The data names a
// report, so it must be one of the person's drafts; one sent meanwhile from another chat (or
// made up) starts /report afresh, which shows what is left.
func (t *turn) pickDraft(arg string) {
	period, rest, _ := strings.Cut(arg, "|")
	unit, form, _ := strings.Cut(rest, "|")
	k := Key{Unit: unit, Period: period, Form: form}
	if !slices.Contains(t.drafts(), k) {
		t.reset()
		t.startReport()
		return
	}
	t.openReport(k)
}

// change opens the chooser from a question; "Quay lại" there comes back to the question.
func (t *turn) change() {
	if (t.st.Screen != Asking && t.st.Screen != SoftConfirm) || t.st.Key.Form == "" || t.st.Editing {
		t.prompt()
		return
	}
	t.st.Screen, t.st.Pending = PickForm, nil
	t.prompt()
}

// backFromChooser returns to the question the chooser was opened from; without one it cancels.
func (t *turn) backFromChooser() bool {
	if t.st.Screen != PickForm || t.st.Key.Form == "" {
		return false
	}
	t.st.Screen = Asking
	if t.st.Step >= len(t.questions()) {
		t.st.Screen, t.st.Step = Summary, 0
	}
	return true
}

// isChange reports whether s asks for the chooser: "đổi", typed with or without its marks.
func isChange(s string) bool {
	switch strings.ToLower(strings.Trim(strings.TrimSpace(s), ".!")) {
	case "đổi", "doi", "change":
		return true
	}
	return false
}

// nextOwed returns the first form of sub's unit and period other than sub's that is still owed.
func (t *turn) nextOwed(sub Key) (Key, bool) {
	p, ok := t.env.Calendar.Period(sub.Period)
	if !ok {
		return Key{}, false
	}
	for _, f := range t.formsOf(p.Kind) {
		if k := (Key{Unit: sub.Unit, Period: sub.Period, Form: f.ID}); f.ID != sub.Form && t.owed(k) {
			return k, true
		}
	}
	return Key{}, false
}

// nextUnit returns the first report owed in sub's period by another of the person's units.
func (t *turn) nextUnit(sub Key) (Key, bool) {
	for _, u := range t.units() {
		if u == sub.Unit {
			continue
		}
		if k, ok := t.firstOwed(u, sub.Period); ok {
			return k, true
		}
	}
	return Key{}, false
}

// openFromButton is an unbound button's way into a report: a reminder's "Báo cáo ngay" (no
// form: the unit's first report owed in period) or "▶️ Tiếp tục", and the "➡️ Tiếp" after a
// report is sent. The data can be forged, so the person's unit and the period are checked.
func (t *turn) openFromButton(period, unit, form string) {
	switch {
	case !t.env.Person.Organises(unit):
		t.reset()
		t.say(t.T("not_yours"))
		return
	case !t.isOpen(period):
		t.reset()
		t.say(t.T("period_closed", t.periodLabel(period)))
		return
	}
	t.reset()
	if !slices.ContainsFunc(t.openFor(unit), func(p Period) bool { return p.ID == period }) {
		t.say(t.T("stale"))
		return
	}
	if _, ok := t.env.Form(form); ok {
		t.openReport(Key{Unit: unit, Period: period, Form: form})
		return
	}
	t.land(unit, period)
}
