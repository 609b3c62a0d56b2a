package flows

// maxListButtons bounds the buttons a drill-down list shows, so a message stays within what
// chat apps accept whatever the directory holds.
const maxListButtons = 24

// figuresButtons are the buttons under a figures view: the drill-down choices, the mode's list,
// the actions on the view and the way up. Every target is checked against the person's scope
// before it is offered, and again when pressed.
func (t *turn) figuresButtons(per Period, v View, mode string, counts map[string]map[string]int) [][]Button {
	rows := [][]Button{t.drillRow(per, v)}
	switch mode {
	case "o":
		rows = append(rows, t.orgButtons(per, v, counts)...)
	case "p":
		rows = append(rows, t.placeButtons(per, v, counts)...)
	case "u":
		rows = append(rows, t.unitButtons(per, v)...)
	case "c":
		rows = append(rows, t.chartButtons(per, v)...)
	}
	rows = append(rows, []Button{
		leaderBtn(t.T("fig_btn_missing"), "miss", per.ID, "0", v.Node, v.Org),
		leaderBtn(t.T("fig_btn_chart"), "fig", per.ID, v.Node, v.Org, "c"),
		leaderBtn(t.T("fig_btn_xlsx"), "xlsx", per.ID, v.Node, v.Org),
	})
	if up, ok := t.upView(v); ok {
		rows = append(rows, []Button{leaderBtn("⬆️ "+t.viewLabel(up), "fig", per.ID, up.Node, up.Org, "")})
	}
	return nonEmpty(rows)
}

// drillRow offers the drill-down lists the view has: by organisation, by place, by unit.
func (t *turn) drillRow(per Period, v View) []Button {
	var row []Button
	if v.Org == "" {
		row = append(row, leaderBtn(t.T("fig_btn_orgs"), "fig", per.ID, v.Node, "", "o"))
	} else if all := (View{Node: v.Node}); CanSee(t.env.Person, t.env.Dir, all) {
		row = append(row, leaderBtn(t.T("fig_btn_allorgs"), "fig", per.ID, v.Node, "", ""))
	}
	if len(t.env.Dir.In(per).ChildPlaces(v.Node)) > 0 {
		row = append(row, leaderBtn(t.T("fig_btn_places"), "fig", per.ID, v.Node, v.Org, "p"))
	}
	if len(t.childUnits(per, v)) > 0 {
		row = append(row, leaderBtn(t.T("fig_btn_units"), "fig", per.ID, v.Node, v.Org, "u"))
	}
	return row
}

// upView is the view one level up, with the organisation filter kept when the person's scope
// needs it; false when there is none they may see.
func (t *turn) upView(v View) (View, bool) {
	n, _ := t.env.Dir.Node(v.Node)
	for _, up := range []View{{Node: n.Parent, Org: v.Org}, {Node: n.Parent}} {
		if n.Parent != "" && CanSee(t.env.Person, t.env.Dir, up) {
			return up, true
		}
	}
	return View{}, false
}

func (t *turn) orgButtons(per Period, v View, counts map[string]map[string]int) [][]Button {
	var rows [][]Button
	for _, o := range t.env.Dir.Orgs() {
		ov := View{Node: v.Node, Org: o.ID}
		total := counts[v.Node][o.ID]
		if total == 0 || !CanSee(t.env.Person, t.env.Dir, ov) {
			continue
		}
		label := o.Short.In(t.lang) + " · " + t.doneShare(per, ov, total)
		rows = append(rows, []Button{leaderBtn(label, "fig", per.ID, v.Node, o.ID, "")})
	}
	return capRows(rows)
}

func (t *turn) placeButtons(per Period, v View, counts map[string]map[string]int) [][]Button {
	var rows [][]Button
	for _, c := range t.env.Dir.In(per).ChildPlaces(v.Node) {
		cv := View{Node: c, Org: v.Org}
		if !CanSee(t.env.Person, t.env.Dir, cv) {
			continue
		}
		label := t.env.Dir.Label(c, t.lang) + " · " + t.doneShare(per, cv, counts[c][orgKey(v.Org)])
		rows = append(rows, []Button{leaderBtn(label, "fig", per.ID, c, v.Org, "")})
	}
	return capRows(rows)
}

func (t *turn) unitButtons(per Period, v View) [][]Button {
	var rows [][]Button
	for _, u := range t.childUnits(per, v) {
		rows = append(rows, []Button{leaderBtn("🏠 "+t.env.Dir.Label(u, t.lang), "unit", per.ID, u)})
	}
	return capRows(rows)
}

// childUnits lists the units of per directly below the view's node that the person may see.
func (t *turn) childUnits(per Period, v View) []string {
	var out []string
	for _, c := range t.env.Dir.In(per).Children(v.Node) {
		n, _ := t.env.Dir.Node(c)
		if n.IsUnit() && (v.Org == "" || n.Org == v.Org) && CanSee(t.env.Person, t.env.Dir, View{Node: c}) {
			out = append(out, c)
		}
	}
	return out
}

func (t *turn) chartButtons(per Period, v View) [][]Button {
	var row []Button
	for _, ind := range t.env.IndicatorsIn(v.Node, per) {
		if f, ok := t.env.Form(ind.Form); ok && Measures(ind, f, per.Kind) {
			row = append(row, leaderBtn("📊 "+ind.ID, "chart", per.ID, v.Node, v.Org, ind.ID))
		}
	}
	return chunk(row, 4)
}

// doneShare is how much of a view reported, over every form: "80%".
func (t *turn) doneShare(per Period, v View, total int) string {
	rep := 0
	for _, f := range t.env.Forms {
		rep += min(t.tally(per.ID, v, f.ID).Reported, total)
	}
	return shareText(rep, total*len(t.env.Forms), t.lang)
}

func capRows(rows [][]Button) [][]Button { return rows[:min(len(rows), maxListButtons)] }

func chunk(row []Button, n int) [][]Button {
	var out [][]Button
	for len(row) > n {
		out, row = append(out, row[:n]), row[n:]
	}
	return append(out, row)
}

func nonEmpty(rows [][]Button) [][]Button {
	out := rows[:0]
	for _, r := range rows {
		if len(r) > 0 {
			out = append(out, r)
		}
	}
	return out
}
