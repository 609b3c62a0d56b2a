package flows

import "time"

// Redraw is what the chat shows now, drawn again for an update handled before: a platform
// redelivers an update whose replies were lost in a crash, and the person must see the question
// they are on, or the confirmation of the report they sent, rather than nothing. It draws the
// current screen of st; on an idle chat whose last step submitted a report, that report's
// confirmation; nothing on an idle chat otherwise. It changes no state and has no effects, so
// drawing twice is harmless, and its buttons carry st's version, so they work. in is the
// repeated update: a repeated press edits its message, as the first delivery did.
func Redraw(env *Env, st State, in Input, now time.Time) []Reply {
	if !env.Person.Known() {
		return nil
	}
	t := &turn{env: env, st: st, now: now, lang: langOf(env.Person, st), press: in.Kind == ButtonInput}
	t.below = t.press && keepsPressed(in.Data)
	switch {
	case st.Screen == Idle && st.Sent != nil:
		if sub := env.Reports[*st.Sent].Submitted; sub != nil {
			t.received(*sub)
		}
	case st.Key.Form != "" && t.seen() != st.Seen:
		t.moved()
	default:
		t.prompt()
	}
	if t.press && !t.below && len(t.replies) > 0 && len(t.replies[0].Buttons) > 0 {
		t.replies[0].Edit = true
	}
	return t.replies
}

// received ends the conversation on the confirmation that sub came in, with its reference, and
// the way on (onward). It comes below the summary, which stays in the chat as the record of
// what was sent.
func (t *turn) received(sub Submission) {
	key := sub.Key
	t.reset()
	t.st.Sent = &key
	t.below = true
	r := Reply{Text: t.T("submitted", t.formTitle(key.Form), t.env.Dir.Label(key.Unit, t.lang), t.periodLabel(key.Period), sub.Ref, sub.Version)}
	t.onward(&r, sub)
	t.show(r)
}

// moved answers a choice on a report that moved since its screen was drawn: the person sees it
// as it is now and chooses again; a report submitted meanwhile ends the conversation. When
// what moved it is this screen's own draft being submitted (a step whose chat state was not
// saved, the connection lost in between), the truth is that it came in: that is confirmed.
func (t *turn) moved() {
	info := t.info()
	sub := info.Submitted
	if t.ownSubmission(info) {
		t.received(*sub)
		return
	}
	t.replies = append(t.replies, Reply{Text: t.T("moved"), Notice: t.T("moved")})
	if sub != nil && !hasAnswers(info.Draft) && sub.Version > t.st.Seen.Sub {
		key := t.st.Key
		t.reset()
		t.say(t.T("sent_elsewhere", t.formTitle(key.Form), sub.Version, sub.Ref))
		return
	}
	t.prompt()
}

// ownSubmission reports whether the stored submission is the one the draft on this chat's
// summary produced: by this person, the version after the one the summary showed, and the
// draft it showed emptied by it (the store empties it one version on, Submit.Emptied).
func (t *turn) ownSubmission(info ReportInfo) bool {
	sub, d := info.Submitted, info.Draft
	return t.st.Screen == Summary && sub != nil && d != nil &&
		sub.By == t.env.Person.ID && sub.Version == t.st.Seen.Sub+1 &&
		!hasAnswers(d) && d.Version == t.st.Seen.Draft+1
}
