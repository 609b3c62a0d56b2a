package flows

import (
	"strings"
)

// leaderCommand runs /figures, /missing, /chart or /export.
func (t *turn) leaderCommand(cmd, args string) {
	if t.st.Screen == ReturnReason {
		t.reset() // a command ends a return waiting for its reason
	}
	t.leader(parseLeaderCmd(t.env, cmd, args, t.now))
	t.prompt()
}

// leaderButton runs a leader's unbound button; false when action is not one.
func (t *turn) leaderButton(action, arg string) bool {
	r := parseLeaderBtn(t.env, action, arg)
	if r.kind == "" {
		return false
	}
	if t.st.Screen == ReturnReason {
		t.reset() // pressing elsewhere ends a return waiting for its reason: typed text is no reason
	}
	t.leader(r)
	return true
}

// leader carries out a parsed request. Every branch checks the person's scope itself.
func (t *turn) leader(r leaderReq) {
	if r.bad != "" {
		t.badRequest(r)
		return
	}
	switch r.kind {
	case "figures", "fig":
		t.figures(r)
	case "unit":
		t.unitView(r)
	case "missing", "miss":
		t.missing(r)
	case "nudge", "nudgeall":
		t.nudge(r)
	case "ret":
		t.startReturn(r)
	case "reo":
		t.reopen(r)
	case "chart", "xlsx", "csv", "csv;":
		t.attach(r)
	}
}

// badRequest answers a request that named an unknown period or indicator, forged data, or came
// from someone with nothing to read.
func (t *turn) badRequest(r leaderReq) {
	switch r.bad {
	case "bad_period":
		t.say(T(t.lang, "bad_period", r.badArg))
	case "bad_ind":
		t.say(T(t.lang, "bad_ind", r.badArg, t.indicatorList()))
	case "no_scope":
		t.say(T(t.lang, "no_scope"))
	default:
		t.refuse()
	}
}

// refuse is the one answer to anything outside the person's scope: it names nothing, so a
// forged id learns nothing about what exists.
func (t *turn) refuse() {
	t.replies = append(t.replies, Reply{Text: T(t.lang, "refuse"), Notice: T(t.lang, "refuse")})
}

func (t *turn) indicatorList() string {
	var out []string
	for _, ind := range t.env.Indicators {
		out = append(out, ind.ID+" — "+ind.Name.In(t.lang))
	}
	return strings.Join(out, "\n")
}

// attach answers /chart, /export and their buttons with a reply the caller renders a file for.
func (t *turn) attach(r leaderReq) {
	if !CanSee(t.env.Person, t.env.Dir, r.view) {
		t.refuse()
		return
	}
	a := &Attachment{Kind: SheetFile, Period: r.per.ID, Node: r.view.Node, Org: r.view.Org}
	caption := T(t.lang, "att_sheet", r.per.Label(t.lang), t.viewLabel(r.view))
	switch r.kind {
	case "csv":
		a.Kind = CSVFile
	case "csv;":
		a.Kind = CSVSemiFile
	case "chart":
		ind, ok := t.indicator(r.ind)
		if !ok {
			t.refuse()
			return
		}
		a.Kind, a.Indicator, a.By = ChartFile, ind.ID, t.chartBy(r.view)
		caption = T(t.lang, "att_chart", ind.ID, ind.Name.In(t.lang), r.per.Label(t.lang), t.viewLabel(r.view))
	}
	t.show(Reply{Text: caption, Attach: a})
}

func (t *turn) indicator(id string) (Indicator, bool) {
	for _, ind := range t.env.Indicators {
		if ind.ID == id {
			return ind, true
		}
	}
	return Indicator{}, false
}

// chartBy groups a chart's bars by the places below the view, or by organisation when the view
// has no places below it.
func (t *turn) chartBy(v View) string {
	if len(t.env.Dir.ChildPlaces(v.Node)) > 0 {
		return "node"
	}
	return "org"
}
