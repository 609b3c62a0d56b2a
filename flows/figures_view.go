package flows

import (
	"fmt"
	"strings"
)

// lowCompleteness is the share of reporting units below which a figures view warns that its
// rates stand on part of the units only.
const lowCompleteness = 0.8

// maxHomeViews is how many homes /figures shows a message each; someone with more gets one
// message with a button per home.
const maxHomeViews = 4

// figures shows the figures of r.view in r.per, or the unit view when the view is one unit; for
// all of several homes, each of them.
func (t *turn) figures(r leaderReq) {
	if r.all {
		t.homeFigures(r)
		return
	}
	if !CanSee(t.env.Person, t.env.Dir, r.view) {
		t.refuse()
		return
	}
	if n, _ := t.env.Dir.Node(r.view.Node); n.IsUnit() {
		r.unit = n.ID
		t.unitView(r)
		return
	}
	t.show(t.figuresReply(r.per, r.view, r.mode))
}

// homeFigures shows every home of the person: an organiser of two units sees both.
func (t *turn) homeFigures(r leaderReq) {
	homes := Homes(t.env.Person, t.env.Dir)
	if len(homes) > maxHomeViews {
		t.show(t.homesReply(r.per, homes))
		return
	}
	for _, v := range homes {
		r.view, r.all = v, false
		t.figures(r)
	}
}

// homesReply offers each of many homes as a button.
func (t *turn) homesReply(per Period, homes []View) Reply {
	var rows [][]Button
	for _, v := range homes {
		if n, _ := t.env.Dir.Node(v.Node); n.IsUnit() {
			rows = append(rows, []Button{leaderBtn("🏠 "+t.viewLabel(v), "unit", per.ID, v.Node)})
			continue
		}
		rows = append(rows, []Button{leaderBtn("📊 "+t.viewLabel(v), "fig", per.ID, v.Node, v.Org, "")})
	}
	return Reply{Text: t.T("fig_homes", per.Label(t.lang), len(homes)), Buttons: capRows(rows)}
}

// figuresReply is one figures message: the same text in every mode, the mode's buttons under it.
func (t *turn) figuresReply(per Period, v View, mode string) Reply {
	dir := t.env.Dir.In(per)
	nodes := append([]string{v.Node}, dir.ChildPlaces(v.Node)...)
	counts := unitCounts(dir, nodes)
	return Reply{Text: t.figuresText(per, v, counts), Buttons: t.figuresButtons(per, v, mode, counts)}
}

// planLine names the plan whose targets the figures of node in per are judged against, or says
// none covers per's year; "" when the Env knows no tenants (one plan, not named).
func (t *turn) planLine(node string, per Period) string {
	if t.env.Tenants == nil {
		return ""
	}
	tn, ok := t.env.Tenants.Of(node)
	if !ok {
		tn = t.env.Tenants.Default()
	}
	w, ok := tn.PlanIn(per.Year)
	if !ok {
		return t.T("fig_noplan", per.Year)
	}
	return t.T("fig_plan", w.Name.In(t.lang))
}

// viewLabel names a view: "Phường Tân Phong" or "Hội LHPN · Thành phố Lai Châu".
func (t *turn) viewLabel(v View) string { return ScopeLabel(t.env.Dir, v.String(), t.lang) }

func (t *turn) tally(per string, v View, form string) Tally {
	return t.env.Tallies[TallyKey{Period: per, Node: v.Node, Org: orgKey(v.Org), Form: form}]
}

func (t *turn) figuresText(per Period, v View, counts map[string]map[string]int) string {
	total := counts[v.Node][orgKey(v.Org)]
	parts := []string{t.T("fig_head", per.Label(t.lang), t.viewLabel(v), total)}
	if plan := t.planLine(v.Node, per); plan != "" {
		parts[0] += "\n" + plan
	}
	any := false
	for _, f := range t.env.Forms {
		any = any || t.tally(per.ID, v, f.ID).Reported > 0
	}
	if !any {
		return strings.Join(append(parts, t.completeness(per, v, total), t.T("fig_nodata")), "\n\n")
	}
	for _, f := range t.env.Forms {
		parts = append(parts, t.formSection(per, v, f, total))
	}
	return strings.Join(parts, "\n\n")
}

// completeness lists, per form, how many units reported.
func (t *turn) completeness(per Period, v View, total int) string {
	var lines []string
	for _, f := range t.env.Forms {
		lines = append(lines, t.doneLine(t.tally(per.ID, v, f.ID), f, total))
	}
	return strings.Join(lines, "\n")
}

// doneLine is "Hội viên: Đã báo cáo 28/35 đơn vị (80%) · đúng hạn 25 · trễ 3 · chưa nộp 7".
// A unit removed from the directory after it reported still sits in the tally: the counts are
// capped at the directory's total so the line never reads "36/35".
func (t *turn) doneLine(tl Tally, f Form, total int) string {
	rep, late := min(tl.Reported, total), min(tl.Late, tl.Reported)
	ret := min(tl.Returned, total-rep)
	s := t.T("fig_done", f.Title.In(t.lang), rep, total, shareText(rep, total, t.lang), rep-late, late, total-rep-ret)
	if ret > 0 {
		s += t.T("fig_returned", ret)
	}
	return s
}

// shareText writes n ÷ d as a percentage, "—" when d is zero.
func shareText(n, d int, lang Lang) string {
	if d <= 0 {
		return "—"
	}
	return FormatPercentIn(float64(n)/float64(d), lang)
}

func (t *turn) formSection(per Period, v View, f Form, total int) string {
	tl := t.tally(per.ID, v, f.ID)
	lines := []string{"📋 " + t.doneLine(tl, f, total)}
	for _, ind := range t.env.IndicatorsIn(v.Node, per) {
		if Measures(ind, f, per.Kind) {
			lines = append(lines, t.aggLines(ind, f, per, v)...)
		}
	}
	if rep := min(tl.Reported, total); total > 0 && rep > 0 && float64(rep) < lowCompleteness*float64(total) {
		lines = append(lines, t.T("fig_caveat", rep, total))
	}
	return strings.Join(lines, "\n")
}

// aggLines shows one indicator over a view: value against target, the totals behind it and its
// change against the period before and the same period last year.
func (t *turn) aggLines(ind Indicator, f Form, per Period, v View) []string {
	tl := t.tally(per.ID, v, f.ID)
	fig := Evaluate(ind, tl)
	shown := "—"
	if fig.OK {
		shown = t.aggShown(ind, fig.Value)
	}
	out := []string{fmt.Sprintf("%s %s %s: %s%s", aggMark(ind, fig), ind.ID, ind.Name.In(t.lang), shown, targetNote(ind, t.lang))}
	if d := t.aggDetail(ind, f, tl); d != "" {
		out = append(out, "   "+d)
	}
	if fig.OK {
		if tr := t.trend(ind, f, per, v, fig.Value); tr != "" {
			out = append(out, "   "+tr)
		}
	}
	return out
}

func aggMark(ind Indicator, fig Figure) string {
	switch {
	case ind.Info:
		return "ℹ️"
	case !fig.OK:
		return "▫️"
	case fig.Met:
		return "✅"
	}
	return "⚠️"
}

func (t *turn) aggShown(ind Indicator, val float64) string {
	switch {
	case ind.IsRate():
		return t.pct(val)
	case ind.Share > 0:
		return t.T("fig_of_units", t.pct(val))
	}
	return t.T("fig_per_unit", formatDec(val, t.lang))
}

// aggDetail shows the totals behind a value: "= 1.234 ÷ 1.400 (Số hội viên ÷ Số quần chúng …)".
func (t *turn) aggDetail(ind Indicator, f Form, tl Tally) string {
	if tl.Reported <= 0 {
		return ""
	}
	switch {
	case ind.IsRate():
		return fmt.Sprintf("= %s ÷ %s (%s ÷ %s)", t.num(tl.Sums[ind.Num]), t.num(tl.Sums[ind.Den]),
			t.qLabel(f, ind.Num), t.qLabel(f, ind.Den))
	case ind.Share > 0:
		return t.T("fig_met_of", tl.Met[ind.ID], tl.Reported)
	}
	return t.T("fig_sum_of", t.num(tl.Sums[ind.Num]), t.qLabel(f, ind.Num), tl.Reported)
}

func (t *turn) qLabel(f Form, id string) string {
	if q, ok := f.Question(id); ok {
		return q.Label.In(t.lang)
	}
	return id
}

// trend compares val with the period before and the same period last year, where known; a
// place formed by a merger is compared with the sum of the places it continues.
func (t *turn) trend(ind Indicator, f Form, per Period, v View, val float64) string {
	var parts []string
	for _, p := range t.env.Calendar.Compared(per) {
		tl, n := t.pastTally(p, v, f.ID)
		if pf := Evaluate(ind, tl); pf.OK {
			s := t.T("fig_prev", p.Label(t.lang), t.aggShown(ind, pf.Value), t.delta(ind, val-pf.Value))
			if n > 0 {
				s += t.T("keep_sum", n)
			}
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return t.T("fig_vs") + strings.Join(parts, " · ")
}

// pastNodes are the nodes whose tallies of the earlier period p stand for node's: node itself,
// or, when it was not yet in force on p's due day, the nodes it continues (Predecessors).
func pastNodes(dir *Directory, node string, p Period) []string {
	if preds := dir.Predecessors(node); len(preds) > 0 && !dir.Active(node, DateOf(p.Due)) {
		return preds
	}
	return []string{node}
}

// pastTally is view v's tally of form in the earlier period p, over pastNodes: counts add up,
// so rates are worked out again from the summed counts. n is how many predecessors were summed,
// 0 for the node's own tally.
func (t *turn) pastTally(p Period, v View, form string) (Tally, int) {
	nodes := pastNodes(t.env.Dir, v.Node, p)
	if len(nodes) == 1 && nodes[0] == v.Node {
		return t.tally(p.ID, v, form), 0
	}
	var sum Tally
	for _, n := range nodes {
		sum.Add(t.tally(p.ID, View{Node: n, Org: v.Org}, form))
	}
	return sum, len(nodes)
}

// delta writes a change: "▲ 2,1 điểm" for shares (percentage points), "▼ 0,5" for averages.
func (t *turn) delta(ind Indicator, d float64) string {
	unit := ""
	if ind.IsRate() || ind.Share > 0 {
		d *= 100
		unit = t.T("fig_points")
	}
	switch {
	case d > 0.05:
		return "▲ " + formatDec(d, t.lang) + unit
	case d < -0.05:
		return "▼ " + formatDec(-d, t.lang) + unit
	}
	return "="
}

// formatDec writes f with at most one decimal for readers of lang: 1.5 → "1,5" ("1.5" in
// English), 2.0 → "2".
func formatDec(f float64, lang Lang) string {
	return strings.TrimSuffix(FormatPercentIn(f/100, lang), "%")
}
