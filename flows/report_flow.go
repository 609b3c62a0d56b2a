package flows

import (
	"errors"
	"maps"
	"strings"
)

// units lists the person's units that the directory knows and that report for an open period
// (all it knows when none is open, so the person hears that no period is open).
func (t *turn) units() []string {
	var out []string
	for _, u := range t.env.Person.Units {
		if _, ok := t.env.Dir.Node(u); ok && (len(t.open()) == 0 || len(t.openFor(u)) > 0) {
			out = append(out, u)
		}
	}
	return out
}

// openFor lists the open periods unit reports for: those whose due day finds it in force
// (Directory.In), so a unit merged away stops being asked and its successor starts.
func (t *turn) openFor(unit string) []Period {
	var out []Period
	for _, p := range t.open() {
		if t.env.Dir.In(p).UnitCount(unit, AllOrgs) > 0 {
			out = append(out, p)
		}
	}
	return out
}

func (t *turn) isOpen(id string) bool {
	for _, p := range t.open() {
		if p.ID == id {
			return true
		}
	}
	return false
}

func (t *turn) resume(cont bool) {
	d := t.workDraft()
	if !cont {
		d.Answers, d.Confirmed, d.Texts, d.Typing = map[string]int64{}, nil, nil, ""
		t.dirty = true
	}
	t.toFirstUnanswered()
	t.prompt()
}

func (t *turn) firstUnanswered() int {
	d := t.workDraft()
	for i, q := range t.questions() {
		if !d.Has(q) {
			return i
		}
	}
	return len(t.questions())
}

// info is what the store knew of the current report when the step began.
func (t *turn) info() ReportInfo { return t.env.Reports[t.st.Key] }

func (t *turn) form() Form {
	f, _ := t.env.Form(t.st.Key.Form)
	return f
}

func (t *turn) period() Period {
	p, _ := t.env.Calendar.Period(t.st.Key.Period)
	return p
}

// questions are the current form's questions asked in the current period. A step asks for them
// many times, so they are worked out once per report.
func (t *turn) questions() []Question {
	if t.qs == nil || t.qsKey != t.st.Key {
		t.qs, t.qsKey = t.form().For(t.period().Kind), t.st.Key
	}
	return t.qs
}

func (t *turn) question() (Question, bool) {
	qs := t.questions()
	if t.st.Step < 0 || t.st.Step >= len(qs) {
		return Question{}, false
	}
	return qs[t.st.Step], true
}

// workDraft returns the draft being edited in this turn, copied from the store's on first use
// so the Env is never changed.
func (t *turn) workDraft() *Draft {
	if t.draft != nil && t.draft.Key == t.st.Key {
		return t.draft
	}
	d := Draft{Key: t.st.Key, Person: t.env.Person.ID, Answers: map[string]int64{}}
	if old := t.info().Draft; old != nil {
		d.Version = old.Version
		maps.Copy(d.Answers, old.Answers)
		d.Confirmed = maps.Clone(old.Confirmed)
		d.Texts, d.Typing = maps.Clone(old.Texts), old.Typing
	}
	t.draft = &d
	return t.draft
}

func (t *turn) typedAnswer(s string) {
	q, ok := t.question()
	if !ok {
		t.prompt()
		return
	}
	if q.IsText() {
		t.typedText(q, s)
		return
	}
	if t.typedChoice(s) {
		return
	}
	if t.st.Screen == SoftConfirm {
		switch yesNo(s) {
		case "yes":
			t.confirmSoft()
			return
		case "no":
			t.act("redo", "")
			return
		}
	}
	v, err := ParseNumber(s, q.Limit())
	if err != nil {
		t.say(numberMessage(t.lang, err, q))
		t.prompt()
		return
	}
	if t.st.Screen == SoftConfirm && t.st.Pending != nil && *t.st.Pending == v {
		t.confirmSoft()
		return
	}
	t.answer(q, v, false)
}

// typedChoice carries out a choice of the question's screen typed by its label ("Giữ như kỳ
// trước", "Hủy"), or "đổi" for the chooser on any question; false when s is neither, and s is
// then the answer. No label of a figure's screen is a number, so a figure never chooses.
func (t *turn) typedChoice(s string) bool {
	if isChange(s) {
		t.change()
		return true
	}
	b, ok := matchChoice(t.render().Buttons, s)
	if !ok {
		return false
	}
	_, rest, _ := strings.Cut(b.Data, "|")
	action, arg, _ := strings.Cut(rest, "|")
	t.choose(action, arg)
	return true
}

// answer checks v against q's rules and, when it passes, records it and moves on.
func (t *turn) answer(q Question, v int64, kept bool) {
	if msg := t.violation(q, v); msg != "" {
		t.st.Screen, t.st.Pending = Asking, nil
		t.say(msg)
		t.prompt()
		return
	}
	if (!kept && t.bigChange(q, v)) || t.registerDiffers(q, v) {
		t.st.Screen, t.st.Pending = SoftConfirm, &v
		t.prompt()
		return
	}
	d := t.workDraft()
	d.Answers[q.ID] = v
	t.dirty = true
	t.advance()
}

func (t *turn) advance() {
	t.st.Screen, t.st.Pending = Asking, nil
	switch {
	case t.st.Editing:
		t.st.Screen, t.st.Editing = Summary, false
	case t.st.Step+1 >= len(t.questions()):
		t.st.Screen = Summary
	default:
		t.st.Step++
	}
	t.prompt()
}

// violation returns the message for an answer that breaks a hard rule, or "".
func (t *turn) violation(q Question, v int64) string {
	if v < q.Min {
		return t.T("err_min", t.num(q.Min))
	}
	answers := t.workDraft().Answers
	if q.LE != "" {
		if limit, ok := answers[q.LE]; ok && v > limit {
			other, _ := t.form().Question(q.LE)
			return t.T("err_le", q.Label.In(t.lang), t.num(v), other.Label.In(t.lang), t.num(limit))
		}
	}
	for _, other := range t.questions() {
		if w, ok := answers[other.ID]; ok && other.LE == q.ID && w > v {
			return t.T("err_le", other.Label.In(t.lang), t.num(w), q.Label.In(t.lang), t.num(v))
		}
	}
	return ""
}

// bigChange reports whether v moved from the previous period's figure by more than q allows
// and the person has not confirmed it yet.
func (t *turn) bigChange(q Question, v int64) bool {
	prev, _ := t.info().Last()
	if c, ok := t.workDraft().Confirmed[q.ID]; q.SoftChange <= 0 || prev == nil || (ok && c == v) {
		return false
	}
	p, ok := prev.Values[q.ID]
	if !ok || p == 0 {
		return false
	}
	diff := float64(v-p) / float64(p)
	return diff > q.SoftChange || -diff > q.SoftChange
}

func (t *turn) confirmSoft() {
	q, ok := t.question()
	if !ok || t.st.Pending == nil {
		t.prompt()
		return
	}
	d := t.workDraft()
	if d.Confirmed == nil {
		d.Confirmed = map[string]int64{}
	}
	d.Confirmed[q.ID] = *t.st.Pending
	t.answer(q, *t.st.Pending, true)
}

// keepValue is the value the "keep" button offers for q and the text on the button.
func (t *turn) keepValue(q Question) (int64, string, bool) {
	if v, ok := t.workDraft().Answers[q.ID]; ok {
		return v, t.T("btn_keep_cur", t.num(v)), true
	}
	if s := t.info().Submitted; s != nil {
		if v, ok := s.Values[q.ID]; ok {
			return v, t.T("btn_keep_sent", t.num(v)), true
		}
	}
	if s, n := t.info().Last(); s != nil {
		if v, ok := s.Values[q.ID]; ok {
			if n > 0 {
				return v, t.T("btn_keep", t.num(v)) + t.T("keep_sum", n), true
			}
			return v, t.T("btn_keep", t.num(v)), true
		}
	}
	return 0, "", false
}

func (t *turn) keep() {
	q, ok := t.question()
	if !ok || (t.st.Screen != Asking && t.st.Screen != SoftConfirm) {
		t.prompt()
		return
	}
	if q.IsText() {
		t.keepText(q)
		return
	}
	v, _, ok := t.keepValue(q)
	if !ok {
		t.prompt()
		return
	}
	t.answer(q, v, true)
}

func (t *turn) editField(id string) {
	for i, q := range t.questions() {
		if q.ID == id {
			t.st.Screen, t.st.Step, t.st.Editing = Asking, i, true
			t.prompt()
			return
		}
	}
	t.prompt()
}

func (t *turn) submit() {
	if t.st.Screen != Summary {
		t.prompt()
		return
	}
	if i := t.firstUnanswered(); i < len(t.questions()) {
		t.st.Screen, t.st.Step = Asking, i
		t.prompt()
		return
	}
	s := t.newSubmission()
	t.effect(Submit{Submission: s, Form: t.form(), Draft: t.workDraft().Version, Replaces: t.info().Submitted, Next: t.following(s.Key)})
	t.dirty = false
	t.received(s)
}

// following lists the reports of k's unit and form, in the periods open now, whose previous
// period is k's.
func (t *turn) following(k Key) []Key {
	var out []Key
	for _, p := range t.open() {
		if prev, ok := t.env.Calendar.Previous(p); ok && prev.ID == k.Period {
			out = append(out, Key{Unit: k.Unit, Period: p.ID, Form: k.Form})
		}
	}
	return out
}

func (t *turn) newSubmission() Submission {
	version := 1
	if cur := t.info().Submitted; cur != nil {
		version = cur.Version + 1
	}
	values := map[string]int64{}
	d := t.workDraft()
	var texts map[string]string
	for _, q := range t.questions() {
		switch {
		case !q.IsText():
			values[q.ID] = d.Answers[q.ID]
		case d.Texts[q.ID] != "": // a skipped one is left out
			if texts == nil {
				texts = map[string]string{}
			}
			texts[q.ID] = d.Texts[q.ID]
		}
	}
	s := Submission{
		Key: t.st.Key, Values: values, Texts: texts, By: t.env.Person.ID, At: t.now, Version: version,
		Ref: Reference(t.st.Key, version, t.now),
	}
	if cur := t.info().Submitted; cur != nil {
		s.FirstAt = cur.First()
	}
	return s
}

func (t *turn) formTitle(id string) string {
	f, _ := t.env.Form(id)
	return f.Title.In(t.lang)
}

func (t *turn) periodLabel(id string) string {
	p, ok := t.env.Calendar.Period(id)
	if !ok {
		return id
	}
	return p.Label(t.lang)
}

// yesNo reads a typed answer to a yes/no question: "yes", "no" or "" when it is neither.
func yesNo(s string) string {
	switch strings.ToLower(strings.Trim(strings.TrimSpace(s), ".!")) {
	case "có", "co", "đúng", "dung", "đúng rồi", "ừ", "vâng", "ok", "yes", "y", "phải":
		return "yes"
	case "không", "khong", "sai", "no", "n", "nhập lại", "nhap lai":
		return "no"
	}
	return ""
}

// numberMessage explains, kindly and in the person's language, why an answer was not taken.
func numberMessage(lang Lang, err error, q Question) string {
	var ne NumberError
	if !errors.As(err, &ne) {
		return T(lang, "ask_number")
	}
	key := map[NumberError]string{
		ErrEmpty: "num_empty", ErrNotNumber: "num_word", ErrNegative: "num_negative",
		ErrFraction: "num_fraction", ErrAmbiguous: "num_ambiguous", ErrTooLarge: "num_large",
		ErrSeveral: "num_several",
	}[ne]
	if key == "" {
		return T(lang, "ask_number")
	}
	if ne == ErrTooLarge {
		return T(lang, key, FormatNumberIn(q.Limit(), lang))
	}
	return T(lang, key)
}
