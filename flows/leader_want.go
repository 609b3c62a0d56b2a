package flows

// leaderWants names what a leader request reads. It names nothing for a request outside the
// person's scope, so a forged press cannot make the caller load another scope's data; Step
// checks the scope again before showing anything.
func leaderWants(env *Env, r leaderReq) Want {
	if r.kind == "" || r.bad != "" {
		return Want{}
	}
	w := Want{Period: r.per.ID}
	if r.kind == "figures" && r.all {
		return homesWants(env, r)
	}
	switch r.kind {
	case "figures", "fig":
		if n, ok := env.Dir.Node(r.view.Node); ok && n.IsUnit() {
			return unitWants(env, r.per, n.ID)
		}
		if CanSee(env.Person, env.Dir, r.view) {
			w.Tallies = figuresTallies(env, r.per, r.view, r.mode)
		}
	case "unit":
		return unitWants(env, r.per, r.unit)
	case "chart":
		return chartWants(env, r)
	case "nudge", "ret", "reason":
		if CanLead(env.Person, env.Dir, View{Node: r.unit}) {
			return unitWants(env, r.per, r.unit)
		}
	case "missing", "miss", "nudgeall":
		return missingWants(env, r, w)
	}
	return w
}

// missingWants names, first, the status of every unit a /missing request covers, and once that
// is loaded (Want.Again), the progress of the units its page shows (the organisers and drafts
// of ten units), or, for a press on "Nhắc tất cả", of every unit still owing.
func missingWants(env *Env, r leaderReq, w Want) Want {
	if env.Status == nil {
		units := missingUnits(env, r)
		w.Status, w.Again = units, len(units) > 0
		return w
	}
	_, owing := owingOf(env, r)
	if r.kind != "nudgeall" {
		owing, _, _ = missingPageOf(owing, r.page)
	}
	w.Progress = owing
	return w
}

// homesWants names what the figures of every home read, each home as its own request would.
func homesWants(env *Env, r leaderReq) Want {
	homes := Homes(env.Person, env.Dir)
	w := Want{Period: r.per.ID}
	if len(homes) > maxHomeViews {
		return w
	}
	for _, v := range homes {
		r.view, r.all = v, false
		h := leaderWants(env, r)
		w.Tallies = append(w.Tallies, h.Tallies...)
		w.Progress = append(w.Progress, h.Progress...)
		w.History = append(w.History, h.History...)
	}
	return w
}

// chartWants names what tells whether a chart would show anything: each part's tally of the
// indicator's form, or a unit's progress.
func chartWants(env *Env, r leaderReq) Want {
	ind, ok := indicatorOf(env, r, r.ind)
	if !ok || (!r.all && !CanSee(env.Person, env.Dir, r.view)) {
		return Want{}
	}
	w := Want{Period: r.per.ID}
	for _, v := range chartParts(env, r) {
		if n, _ := env.Dir.Node(v.Node); n.IsUnit() {
			w.Progress = append(w.Progress, v.Node)
			continue
		}
		w.Tallies = append(w.Tallies, TallyKey{Period: r.per.ID, Node: v.Node, Org: orgKey(v.Org), Form: ind.Form})
	}
	return w
}

// unitWants names one unit's progress and the history of each of its reports in per.
func unitWants(env *Env, per Period, unit string) Want {
	if !CanSee(env.Person, env.Dir, View{Node: unit}) {
		return Want{}
	}
	w := Want{Period: per.ID, Progress: []string{unit}}
	for _, f := range env.Forms {
		w.History = append(w.History, Key{Unit: unit, Period: per.ID, Form: f.ID})
	}
	return w
}

// figuresTallies names the aggregates a figures view reads: the view's node in its period, the
// period before and the same period last year, plus what the mode's buttons show (each
// organisation, or each place below). The count depends on the tree's shape, never on how many
// units report.
func figuresTallies(env *Env, per Period, v View, mode string) []TallyKey {
	var keys []TallyKey
	add := func(p, node, org string) {
		for _, f := range env.Forms {
			keys = append(keys, TallyKey{Period: p, Node: node, Org: orgKey(org), Form: f.ID})
		}
	}
	add(per.ID, v.Node, v.Org)
	for _, p := range env.Calendar.Compared(per) {
		for _, n := range pastNodes(env.Dir, v.Node, p) {
			add(p.ID, n, v.Org)
		}
	}
	switch mode {
	case "o":
		for _, o := range env.Dir.Orgs() {
			add(per.ID, v.Node, o.ID)
		}
	case "p":
		for _, c := range env.Dir.In(per).ChildPlaces(v.Node) {
			add(per.ID, c, v.Org)
		}
	}
	return keys
}

// orgKey is the Org of a TallyKey for an organisation filter ("" is all of them).
func orgKey(org string) string {
	if org == "" {
		return AllOrgs
	}
	return org
}
