package flows

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// act carries out a button's action, or the same choice typed as text.
func (t *turn) act(action, arg string) {
	switch action {
	case "cancel":
		t.cancel()
	case "back":
		t.back()
	case "u":
		t.pickUnit(arg)
	case "p":
		t.pickPeriod(arg)
	case "f":
		t.pickForm(arg)
	case "d":
		t.pickDraft(arg)
	case "chg":
		t.change()
	case "resume":
		t.resume(arg == "continue")
	case "keep":
		t.keep()
	case "ok":
		t.confirmSoft()
	case "redo":
		t.st.Screen, t.st.Pending = Asking, nil
		t.prompt()
	case "send":
		t.submit()
	case "edit":
		t.st.Screen = EditPick
		t.prompt()
	case "e":
		t.editField(arg)
	default:
		if !t.textAct(action) && !t.modelAct(action, arg) && !t.inviteAct(action, arg) {
			t.prompt()
		}
	}
}

// text handles typed text: an answer while a question is open, else a choice typed by its
// number or label (platforms without buttons work this way), else a hint.
func (t *turn) text(s string) {
	switch t.st.Screen {
	case Asking, SoftConfirm:
		t.typedAnswer(s)
		return
	case Idle:
		t.say(t.T("idle_text"))
		return
	case ReturnReason:
		t.typedReason(s)
		return
	case AskModelName, AskModelStart:
		if t.typedModel(s) {
			return
		}
	}
	r := t.render()
	if b, ok := matchChoice(r.Buttons, s); ok {
		_, rest, _ := strings.Cut(b.Data, "|")
		action, arg, _ := strings.Cut(rest, "|")
		t.choose(action, arg)
		return
	}
	t.say(t.T("choose"))
	t.show(r)
}

// matchChoice finds the button whose label s repeats, ignoring case. Bare numbers are not
// choices here: on a platform with buttons "1" on the summary must never submit; transports
// that show numbered options map numbers themselves.
func matchChoice(rows [][]Button, s string) (Button, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "."))
	for _, row := range rows {
		for _, b := range row {
			if strings.EqualFold(s, b.Label) || strings.EqualFold(s, plainLabel(b.Label)) {
				return b, true
			}
		}
	}
	return Button{}, false
}

// plainLabel drops a leading emoji and its space, so typing "Gửi" chooses "📤 Gửi".
func plainLabel(l string) string {
	first, rest, ok := strings.Cut(l, " ")
	if r, _ := utf8.DecodeRuneInString(first); ok && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
		return rest
	}
	return l
}

// prompt shows the current screen again, so the person always sees what is asked of them.
func (t *turn) prompt() {
	if t.st.Screen == Idle {
		return
	}
	t.show(t.render())
}

// render draws the current screen.
func (t *turn) render() Reply {
	switch t.st.Screen {
	case PickUnit:
		return t.renderUnits()
	case PickPeriod, PickForm:
		return t.renderChooser()
	case PickDraft:
		return t.renderDrafts()
	case AskResume:
		return t.renderResume()
	case Asking:
		return t.renderQuestion()
	case SoftConfirm:
		return t.renderSoft()
	case Summary:
		return t.renderSummary()
	case EditPick:
		return t.renderEditPick()
	case InviteRole, InviteNodes:
		return t.renderInvite()
	case ReturnReason:
		return t.renderReturnAsk()
	case AskModelUnit, AskModelName, AskModelField, AskModelStart, AskModelLevel, ModelCard:
		return t.renderModel()
	}
	return Reply{Text: t.T("idle_text")}
}

// back goes one screen back: through the questions, to the chooser from the first one and from
// the chooser to the question it was opened from. Before a report is open, it cancels.
func (t *turn) back() {
	if t.modelBack() {
		return
	}
	switch t.st.Screen {
	case Asking:
		t.st.Pending = nil
		switch {
		case t.st.Editing:
			t.st.Screen, t.st.Editing = Summary, false
		case t.st.Step > 0:
			t.st.Step--
		default:
			t.st.Screen = PickForm
		}
	case SoftConfirm:
		t.st.Screen, t.st.Pending = Asking, nil
	case Summary:
		t.st.Screen, t.st.Step = Asking, len(t.questions())-1
	case EditPick:
		t.st.Screen = Summary
	case AskResume:
		t.st.Screen = PickForm
	case PickUnit, PickPeriod, PickForm, PickDraft:
		if !t.backFromChooser() {
			t.cancel()
			return
		}
	case InviteNodes:
		t.st.Screen = InviteRole
	}
	t.prompt()
}
