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
	t.press = in.Kind == ButtonInput
	if !env.Person.Known() {
		t.say(T(t.lang, "stranger"))
		return t.finish(st)
	}
	if t.periodClosed() && in.Kind != CommandInput {
		return t.finish(t.st)
	}
	switch in.Kind {
	case CommandInput:
		t.command(in.Command, strings.TrimSpace(in.Args))
	case ButtonInput:
		if !t.button(in.Data) {
			return t.finish(st) // a stale press changes nothing, not even the version
		}
	case MediaInput:
		t.say(T(t.lang, "media"))
		t.prompt()
	default:
		t.text(strings.TrimSpace(in.Text))
	}
	return t.finish(t.st)
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
}

// periodClosed ends a report whose period closed while it was open in this chat.
func (t *turn) periodClosed() bool {
	k := t.st.Key
	if k.Period == "" || t.st.Screen == Idle || t.isOpen(k.Period) {
		return false
	}
	label := t.periodLabel(k.Period)
	t.reset()
	t.say(T(t.lang, "period_closed", label))
	return true
}

func (t *turn) finish(st State) (State, []Reply, []Effect) {
	if t.dirty && t.draft != nil {
		t.effects = append(t.effects, SaveDraft{Draft: *t.draft})
	}
	if t.press && len(t.replies) > 0 && len(t.replies[0].Buttons) > 0 {
		t.replies[0].Edit = true
	}
	return st, t.replies, t.effects
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
		t.cancel()
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
	default:
		t.say(T(t.lang, "unknown_cmd", cmd))
		t.prompt()
	}
}

func (t *turn) reset() {
	t.st = State{Version: t.st.Version, Lang: t.st.Lang}
}

func (t *turn) cancel() {
	if t.st.Screen == Idle {
		t.say(T(t.lang, "nothing"))
		return
	}
	t.reset()
	t.say(T(t.lang, "cancelled"))
}

func (t *turn) setLang(arg string) {
	l, ok := ParseLang(arg)
	if !ok {
		t.say(T(t.lang, "lang_usage"))
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
	if v != strconv.FormatInt(t.st.Version-1, 10) {
		t.replies = append(t.replies, Reply{Text: T(t.lang, "stale"), Notice: T(t.lang, "stale")})
		return false
	}
	t.act(action, arg)
	return true
}
