package flows

// Unbound is the version part of the data of a button not tied to a screen: one under a message
// the bot sent of its own accord (a reminder, a notice, a figures view), which stays valid
// however the chat moves on. Such data is "*|action|arg". Its action must check everything again
// (roles, scope, versions of what it changes), because a client can forge any data.
const Unbound = "*"

// unboundBtn makes a button that is not tied to the current screen.
func unboundBtn(label, action, arg string) Button {
	return Button{Label: label, Data: Unbound + "|" + action + "|" + arg}
}

// unbound carries out the press of an unbound button. Features add their actions here.
func (t *turn) unbound(action, arg string) {
	if t.remindAction(action, arg) {
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
