package flows

import (
	"strconv"
	"strings"
	"time"
)

// Step runs one turn of a chat's conversation: st is the chat's state, in what the person sent,
// env the facts loaded for them and now the time. It returns the next state, the replies to send
// and the effects to store before sending them. It reads nothing else and changes nothing else.
func Step(env *Env, st State, in Input, now time.Time) (State, []Reply, []Effect) {
	t := &turn{env: env, st: st, now: now, lang: langOf(env.Person, st)}
	t.st.Version = st.Version + 1
	t.st.Sent = nil // only the step that submitted confirms it again on a redraw
	t.press = in.Kind == ButtonInput
	t.below = t.press && keepsPressed(in.Data)
	if !env.Person.Known() {
		t.say(t.T("stranger", t.env.OfficeName(t.lang)))
		return st, t.replies, nil
	}
	if !t.run(in) {
		return st, t.replies, nil // a stale press changes nothing, not even the version
	}
	return t.finish()
}

// run handles in; it returns false for a press on an old keyboard.
func (t *turn) run(in Input) bool {
	if t.abandoned() && in.Kind != CommandInput {
		return true
	}
	switch in.Kind {
	case CommandInput:
		t.command(in.Command, strings.TrimSpace(in.Args))
	case ButtonInput:
		return t.button(in.Data)
	case MediaInput:
		t.media(in)
		t.prompt()
	default:
		t.text(strings.TrimSpace(in.Text))
	}
	return true
}

// turn is the work space of one Step.
type turn struct {
	env     *Env
	st      State
	now     time.Time
	lang    Lang
	press   bool
	replies []Reply
	effects []Effect
	draft   *Draft // working copy of the current report's draft, once touched
	dirty   bool   // draft changed: save it at the end
	qs      []Question
	qsKey   Key // the report qs belong to
	periods []Period
	below   bool // the pressed message stays as it is: the replies come as new messages below it
}

// open returns the periods open now, worked out once per step.
func (t *turn) open() []Period {
	if t.periods == nil {
		t.periods = t.env.Calendar.Open(t.now)
	}
	return t.periods
}

// abandoned ends a report this chat can no longer work on: its period closed meanwhile, or the
// person no longer reports for its unit.
func (t *turn) abandoned() bool {
	k := t.st.Key
	switch {
	case k.Unit == "" || t.st.Screen == Idle:
		return false
	case !t.env.Person.Organises(k.Unit):
		t.reset()
		t.say(t.T("not_yours"))
		return true
	case k.Period != "" && !t.isOpen(k.Period):
		label := t.periodLabel(k.Period)
		t.reset()
		t.say(t.T("period_closed", label))
		return true
	}
	return false
}

// finish saves the draft if this step changed it and records what the screen shows.
func (t *turn) finish() (State, []Reply, []Effect) {
	if t.dirty && t.draft != nil {
		t.draft.Version++
		t.draft.Updated = t.now
		if p, ok := t.env.Calendar.Period(t.draft.Key.Period); ok {
			t.draft.Until = p.Closes // kept until its period closes, whatever screen the step ends on
		}
		t.effects = append(t.effects, SaveDraft{Draft: *t.draft})
	}
	t.st.Seen = t.seen()
	if t.press && !t.below && len(t.replies) > 0 && len(t.replies[0].Buttons) > 0 {
		t.replies[0].Edit = true
	}
	return t.st, t.replies, t.effects
}

func langOf(p Person, st State) Lang {
	switch {
	case p.Lang != "":
		return p.Lang
	case st.Lang != "":
		return st.Lang
	}
	return VI
}

func (t *turn) say(text string) { t.replies = append(t.replies, Reply{Text: text}) }

func (t *turn) show(r Reply) { t.replies = append(t.replies, r) }

func (t *turn) effect(e Effect) { t.effects = append(t.effects, e) }

// btn encodes a button's data: the state version it belongs to, an action and its argument.
func (t *turn) btn(label, action, arg string) Button {
	return Button{Label: label, Data: strconv.FormatInt(t.st.Version, 10) + "|" + action + "|" + arg}
}

func (t *turn) command(cmd, args string) {
	switch cmd {
	case "start", "help":
		t.help()
		t.prompt()
	case "cancel":
		if !t.cancelReturn() {
			t.cancel()
		}
	case "lang":
		t.setLang(args)
	case "report":
		t.reset()
		t.startReport()
	case "mine":
		t.mine()
		t.prompt()
	case "invite":
		t.startInvite()
	case "lienket":
		t.startLink()
	case "kenh":
		t.setChannel(args)
	case "figures", "missing", "chart", "export", "baocao":
		t.leaderCommand(cmd, args)
	case "calendar", "reminders", "remind":
		t.remindCommand(cmd, args)
	case "directory":
		t.directory()
	case "mohinh":
		t.modelCommand(args)
	default:
		t.say(t.T("unknown_cmd", cmd))
		t.prompt()
	}
}

func (t *turn) reset() {
	t.st = State{Version: t.st.Version, Lang: t.st.Lang}
}

func (t *turn) cancel() {
	if t.st.Screen == Idle {
		t.say(t.T("nothing"))
		return
	}
	text := t.T("cancelled")
	if t.st.Model != nil {
		text = t.T("mh_cancelled")
	}
	t.reset()
	t.say(text)
}

func (t *turn) setLang(arg string) {
	l, ok := ParseLang(arg)
	if !ok {
		t.say(t.T("lang_usage"))
		return
	}
	t.lang, t.st.Lang = l, l
	p := t.env.Person
	p.Lang = l
	t.effect(SavePerson{Person: p})
	t.say(T(l, "lang_set"))
	t.prompt()
}

// button handles a press; it returns false for a press on an old keyboard.
func (t *turn) button(data string) bool {
	v, rest, _ := strings.Cut(data, "|")
	action, arg, _ := strings.Cut(rest, "|")
	if v == Unbound {
		t.unbound(action, arg)
		return true
	}
	if v != strconv.FormatInt(t.st.Version-1, 10) {
		t.replies = append(t.replies, Reply{Text: t.T("stale"), Notice: t.T("stale")})
		return false
	}
	t.choose(action, arg)
	return true
}

// choose carries out a choice, pressed or typed, unless the report it acts on moved since its
// screen was drawn: then the person sees the report as it is now and chooses again.
func (t *turn) choose(action, arg string) {
	if t.st.Key.Form == "" || t.seen() == t.st.Seen {
		t.act(action, arg)
		return
	}
	t.moved()
}

// hasAnswers reports whether d is a draft with something in it: a submitted report leaves an
// empty one behind.
func hasAnswers(d *Draft) bool { return d.Started() }

// seen is what the current report screen shows: the draft as this step leaves it, the
// submitted version and the previous period's.
func (t *turn) seen() Seen {
	if t.st.Key.Form == "" {
		return Seen{}
	}
	var s Seen
	if t.draft != nil {
		s.Draft = t.draft.Version
	} else if d := t.info().Draft; d != nil {
		s.Draft = d.Version
	}
	if sub := t.info().Submitted; sub != nil {
		s.Sub = sub.Version
	}
	if prev := t.info().Previous; prev != nil {
		s.Prev = prev.Version
	}
	return s
}
