package flows

import (
	"slices"
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
	case "chart", "xlsx", "csv", "csv;", "docx":
		t.attach(r)
	}
}

// badRequest answers a request that named an unknown period or indicator, forged data, or came
// from someone with nothing to read.
func (t *turn) badRequest(r leaderReq) {
	switch r.bad {
	case "bad_period":
		t.say(t.T("bad_period", r.badArg))
	case "bad_ind":
		t.say(t.T("bad_ind", r.badArg, t.indicatorList()))
	case "no_scope":
		t.say(t.T("no_scope", t.env.OfficeName(t.lang)))
	default:
		t.refuse()
	}
}

// refuse is the one answer to anything outside the person's scope: it names nothing, so a
// forged id learns nothing about what exists.
func (t *turn) refuse() {
	t.replies = append(t.replies, Reply{Text: t.T("refuse"), Notice: t.T("refuse")})
}

func (t *turn) indicatorList() string {
	var out []string
	for _, ind := range t.env.Indicators {
		out = append(out, ind.ID+" — "+ind.Name.In(t.lang))
	}
	return strings.Join(out, "\n")
}

// attach answers /chart, /export and their buttons with a reply the caller renders a file for.
// A request for all of the person's homes names no node: the files cut the whole directory
// down to what the person may see (Narrow).
func (t *turn) attach(r leaderReq) {
	if !r.all && !CanSee(t.env.Person, t.env.Dir, r.view) {
		t.refuse()
		return
	}
	if r.all {
		r.view = View{}
	}
	a := &Attachment{Kind: SheetFile, Period: r.per.ID, Node: r.view.Node, Org: r.view.Org}
	caption := t.T("att_sheet", r.per.Label(t.lang), t.reqLabel(r))
	switch r.kind {
	case "csv":
		a.Kind = CSVFile
	case "csv;":
		a.Kind = CSVSemiFile
	case "docx":
		if !t.draftsReports() {
			return
		}
		a.Kind, caption = DocFile, t.T("att_docx", r.per.Label(t.lang), t.reqLabel(r))
	case "chart":
		ind, ok := indicatorOf(t.env, r, r.ind)
		switch {
		case !ok && !slices.ContainsFunc(t.env.Indicators, func(i Indicator) bool { return i.ID == r.ind }):
			t.refuse() // no plan has it: made up
			return
		case !ok:
			t.say(t.T("chart_noplan", r.ind, r.per.Label(t.lang))) // not a target of that year's plan
			return
		}
		if why := t.noChart(r, ind); why != "" {
			t.say(why)
			return
		}
		a.Kind, a.Indicator, a.By = ChartFile, ind.ID, t.chartBy(r.per, r.view)
		caption = t.T("att_chart", ind.ID, ind.Name.In(t.lang), r.per.Label(t.lang), t.reqLabel(r))
	}
	t.show(Reply{Text: caption, Attach: a})
}

// indicatorOf returns the indicator with id of the plan r's figures are judged against: the
// plan in force in r's period for r's node (its first home's for a request of all of them).
func indicatorOf(env *Env, r leaderReq, id string) (Indicator, bool) {
	node := r.view.Node
	if homes := Homes(env.Person, env.Dir); r.all && len(homes) > 0 {
		node = homes[0].Node
	}
	for _, ind := range env.IndicatorsIn(node, r.per) {
		if ind.ID == id {
			return ind, true
		}
	}
	return Indicator{}, false
}

// noChart says why a chart of ind for r would show nothing, "" when it would show something: the
// period's form does not ask what ind is computed from, or nobody in the view reported it.
func (t *turn) noChart(r leaderReq, ind Indicator) string {
	f, ok := t.env.Form(ind.Form)
	switch {
	case !ok:
		return t.T("refuse")
	case !Measures(ind, f, r.per.Kind):
		return t.T("chart_unmeasured", ind.ID, r.per.Label(t.lang))
	}
	for _, v := range chartParts(t.env, r) {
		if n, _ := t.env.Dir.Node(v.Node); n.IsUnit() && t.env.Progress[v.Node].Done(f.ID) || t.tally(r.per.ID, v, f.ID).Reported > 0 {
			return ""
		}
	}
	return t.T("chart_nodata", t.reqLabel(r), f.Title.In(t.lang), r.per.Label(t.lang), ind.ID)
}

// chartParts are the views whose reports a chart for r is drawn from, as the files will cut
// them (Narrow): a place by its tally, a unit by its progress; the whole directory as its roots.
func chartParts(env *Env, r leaderReq) []View {
	views := []View{r.view}
	if r.all {
		views = Narrow(env.Person, env.Dir, View{})
	}
	var out []View
	for _, v := range views {
		if v.Node != "" {
			out = append(out, v)
			continue
		}
		for _, root := range env.Dir.Children("") {
			out = append(out, View{Node: root, Org: v.Org})
		}
	}
	return out
}

// reqLabel names what a request covers: its view, or "phạm vi của bạn" for all of several homes.
func (t *turn) reqLabel(r leaderReq) string {
	if r.all && len(Homes(t.env.Person, t.env.Dir)) > 1 {
		return t.T("miss_all")
	}
	return t.viewLabel(r.view)
}

// chartBy groups a chart's bars by the places below the view, or by organisation when the view
// has no places below it.
func (t *turn) chartBy(per Period, v View) string {
	if len(t.env.Dir.In(per).ChildPlaces(v.Node)) > 0 {
		return "node"
	}
	return "org"
}
