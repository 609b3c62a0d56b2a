package flows

import "strings"

// Unbound is the version part of the data of a button not tied to a screen: one under a message
// the bot sent of its own accord (a reminder, a notice, a figures view), which stays valid
// however the chat moves on. Such data is "*|action|arg". Its action must check everything again
// (roles, scope, versions of what it changes), because a client can forge any data.
const Unbound = "*"

// unboundBtn makes a button that is not tied to the current screen.
func unboundBtn(label, action, arg string) Button {
	return Button{Label: label, Data: Unbound + "|" + action + "|" + arg}
}

// keepsPressed reports whether a press on data leaves its message as it is, the replies coming
// below it: "➡️ Tiếp" under a report's confirmation, which holds its reference, and "Mở lại
// báo cáo" under a return, which holds the leader's reason. Step and Redraw both ask it, so a
// redelivered press does not edit what the first delivery kept.
func keepsPressed(data string) bool {
	return strings.HasPrefix(data, Unbound+"|nx|") || strings.HasPrefix(data, Unbound+"|reo|")
}

// unbound carries out the press of an unbound button. Features add their actions here.
func (t *turn) unbound(action, arg string) {
	if t.remindAction(action, arg) {
		return
	}
	if action == "nx" {
		period, rest, _ := strings.Cut(arg, "|")
		unit, form, _ := strings.Cut(rest, "|")
		t.openFromButton(period, unit, form)
		return
	}
	switch {
	case t.leaderButton(action, arg):
	case t.modelButton(action, arg):
	default:
		t.say(t.T("stale"))
		t.prompt()
	}
}
