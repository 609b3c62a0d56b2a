package flows

import (
	"maps"
	"strings"
	"unicode"
)

// maxReason bounds a return's reason, in characters.
const maxReason = 500

// startReturn begins returning the version of a report a unit view showed: the leader is asked
// why. It is refused outside the leader's scope, and when the report moved since the view was
// drawn (resubmitted, or returned by someone else).
func (t *turn) startReturn(r leaderReq) {
	if !CanLead(t.env.Person, t.env.Dir, View{Node: r.unit}) {
		t.refuse()
		return
	}
	f, ok := t.env.Form(r.form)
	if !ok {
		t.refuse()
		return
	}
	if !t.isOpen(r.per.ID) {
		t.say(t.T("period_closed", r.per.Label(t.lang)))
		return
	}
	if s := t.env.Progress[r.unit].Subs[f.ID]; s == nil || s.Version != r.version || s.Returned != nil {
		t.say(t.T("ret_moved"))
		t.show(t.unitReply(r.per, r.unit))
		return
	}
	t.reset()
	t.st.Screen = ReturnReason
	t.st.Return = &ReturnTarget{Key: Key{Unit: r.unit, Period: r.per.ID, Form: f.ID}, Version: r.version}
	t.prompt()
}

func (t *turn) renderReturnAsk() Reply {
	k := t.st.Return.Key
	return Reply{Free: true, Text: t.T("ret_ask", t.formTitle(k.Form), t.env.Dir.Label(k.Unit, t.lang),
		t.periodLabel(k.Period), t.st.Return.Version)}
}

// typedReason takes the reason for a return: checks scope and version again, then returns the
// report and tells each of the unit's organisers, with a button to reopen it.
func (t *turn) typedReason(text string) {
	tg := t.st.Return
	if tg == nil || !CanLead(t.env.Person, t.env.Dir, View{Node: tg.Key.Unit}) {
		t.reset()
		t.refuse()
		return
	}
	if !t.isOpen(tg.Key.Period) {
		t.reset()
		t.say(t.T("period_closed", t.periodLabel(tg.Key.Period)))
		return
	}
	reason := NeutralLine(text) // organisers, leaders and files show it: nothing in it may reorder it
	if !hasWord(reason) {
		t.say(t.T("ret_empty"))
		t.prompt()
		return
	}
	if r := []rune(reason); len(r) > maxReason {
		reason = string(r[:maxReason])
	}
	prog := t.env.Progress[tg.Key.Unit]
	s := prog.Subs[tg.Key.Form]
	t.reset()
	if s == nil || s.Version != tg.Version || s.Returned != nil {
		t.say(t.T("ret_moved"))
		return
	}
	ret := Return{By: t.env.Person.ID, At: t.now, Reason: reason}
	t.effect(ReturnSubmission{Key: tg.Key, Version: tg.Version, Return: ret})
	for _, o := range prog.Organisers {
		t.effect(Notify{To: o, Replies: []Reply{t.returnNotice(*s, reason, t.langOf(o))}})
	}
	t.say(t.T("ret_done", t.formTitle(tg.Key.Form), t.env.Dir.Label(tg.Key.Unit, t.lang), len(prog.Organisers)))
}

// returnNotice is what an organiser reads, in their language, when their unit's report comes back.
func (t *turn) returnNotice(s Submission, reason string, lang Lang) Reply {
	k := s.Key
	f, _ := t.env.Form(k.Form)
	p, _ := t.env.Calendar.Period(k.Period)
	return Reply{
		Text:    T(lang, "ret_notice", f.Title.In(lang), t.env.Dir.Label(k.Unit, lang), p.Label(lang), s.Version, s.Ref, reason),
		Buttons: [][]Button{{leaderBtn(T(lang, "ret_btn_reopen"), "reo", k.Period, k.Unit, k.Form)}},
	}
}

// langOf is the language of person id, as loaded into Contacts; Vietnamese when not known.
func (t *turn) langOf(id string) Lang {
	if p, ok := t.env.Contacts[id]; ok && p.Lang != "" {
		return p.Lang
	}
	return VI
}

// nameOf names person id in a leader's view: their name when loaded, else their id. Names are
// neutralised when people are linked; this covers records linked before that.
func (t *turn) nameOf(id string) string {
	if p, ok := t.env.Contacts[id]; ok {
		if name := NeutralLine(p.Name); name != "" {
			return name
		}
	}
	return id
}

// cancelReturn ends a return waiting for its reason; false when none is.
func (t *turn) cancelReturn() bool {
	if t.st.Screen != ReturnReason {
		return false
	}
	t.reset()
	t.say(t.T("ret_cancelled"))
	return true
}

// hasWord reports whether s holds a letter or a digit: a reason of emoji or dots says nothing.
func hasWord(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}

// reopen is the organiser's "Mở lại báo cáo": it starts the report again with a draft filled
// from the submitted values (or their own draft, when they already began correcting) and shows
// the summary to edit and resubmit. Only an organiser of the unit may, while the period is open.
func (t *turn) reopen(r leaderReq) {
	k := Key{Unit: r.unit, Period: r.per.ID, Form: r.form}
	_, known := t.env.Dir.Node(r.unit)
	_, okf := t.env.Form(r.form)
	if !known || !okf || !t.env.Person.Organises(r.unit) {
		t.refuse()
		return
	}
	if !t.isOpen(k.Period) {
		t.say(t.T("period_closed", r.per.Label(t.lang)))
		return
	}
	info := t.env.Reports[k]
	if info.Submitted == nil {
		t.say(t.T("reo_none"))
		return
	}
	t.reset()
	t.st.Key = k
	t.reopenReport(*info.Submitted)
}

// reopenReport opens the current report, submitted as sub, to correct and send again: a draft
// filled from sub (unless the person already began correcting), at the summary or the first
// question left to answer, with the leader's reason when sub was returned.
func (t *turn) reopenReport(sub Submission) {
	per := t.period()
	if d := t.workDraft(); !hasAnswers(t.info().Draft) {
		for _, q := range t.form().For(per.Kind) {
			if v, ok := sub.Values[q.ID]; ok && !q.IsText() {
				d.Answers[q.ID] = v
			}
		}
		d.Texts = submittedTexts(t.form(), per.Kind, sub)
		d.Confirmed = maps.Clone(sub.Values)
		t.dirty = true
	}
	t.toFirstUnanswered()
	if ret := sub.Returned; ret != nil {
		t.say(t.T("reo_reason", ret.Reason))
	}
	t.prompt()
}

// submittedTexts are the written answers of s as a draft holds them: an optional text question
// s left out was skipped (""); another one is asked again.
func submittedTexts(f Form, k PeriodKind, s Submission) map[string]string {
	out := map[string]string{}
	for _, q := range f.For(k) {
		text, ok := s.Texts[q.ID]
		if q.IsText() && (ok || q.Optional) {
			out[q.ID] = text
		}
	}
	return out
}
