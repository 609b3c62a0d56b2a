package flows

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// missingPage is how many units one /missing message lists: with their forms and drafts that
// stays well inside Telegram's 4096 characters.
const missingPage = 10

// maxText is the longest text a message may carry on Telegram; longer ones are cut.
const maxText = 4000

// missingUnits lists the units a /missing request covers and the person may see, those of r.per
// (Directory.In): every unit of every home, or of one view; nothing for a view outside the
// scope. The units come view by view, each in directory order, a unit once, under the first view
// that covers it; a view of one unit is that unit whatever its organisation filter (none when
// the period does not have it).
func missingUnits(env *Env, r leaderReq) []string {
	key := coveredMemo{person: env.Person.ID, period: r.per.ID, all: r.all, view: r.view}
	if m := env.covered; m != nil && m.person == key.person && m.period == key.period && m.all == key.all && m.view == key.view {
		return slices.Clone(m.units)
	}
	key.units = coveredUnits(env, r)
	env.covered = &key
	return slices.Clone(key.units)
}

// coveredMemo is what missingUnits worked out for one person and request, and which of those
// units owe a report once their status is in (owingOf).
type coveredMemo struct {
	person string
	period string
	all    bool
	view   View
	units  []string
	owing  []string
	owed   bool
}

// owingOf is owingUnits of missingUnits(env, r), worked out once per step when the status is in.
func owingOf(env *Env, r leaderReq) ([]string, []string) {
	units := missingUnits(env, r)
	m := env.covered
	if env.Status == nil || m == nil {
		return units, owingUnits(env, units)
	}
	if !m.owed {
		m.owing, m.owed = owingUnits(env, units), true
	}
	return units, slices.Clone(m.owing)
}

func coveredUnits(env *Env, r leaderReq) []string {
	var views []View
	switch {
	case r.all:
		views = Homes(env.Person, env.Dir)
	case CanSee(env.Person, env.Dir, r.view):
		views = []View{r.view}
	}
	type hit struct{ node, view int }
	var hits []hit
	sorted := true // by view already: the common case, an admin's roots or a single view
	dir := env.Dir.In(r.per)
	dir.coveredUnits(views, true, func(node, view int) {
		sorted = sorted && (len(hits) == 0 || hits[len(hits)-1].view <= view)
		hits = append(hits, hit{node, view})
	})
	if !sorted {
		slices.SortStableFunc(hits, func(a, b hit) int { return cmp.Compare(a.view, b.view) })
	}
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = dir.nodes[h.node].ID
	}
	return out
}

// missing shows the units that have not submitted every form of r.per (or were returned), a page
// at a time, with their organisers, drafts and a nudge button each.
func (t *turn) missing(r leaderReq) {
	if !r.all && !CanSee(t.env.Person, t.env.Dir, r.view) {
		t.refuse()
		return
	}
	units, owing := owingOf(t.env, r)
	t.show(t.missingReply(r, units, owing))
}

// owingUnits keeps the units of units that have not (or no longer) submitted every form: one
// status lookup a unit when the status is loaded.
func owingUnits(env *Env, units []string) []string {
	var out []string
	all := len(env.Forms)
	for _, u := range units {
		if st, ok := env.Status[u]; ok && all <= 64 {
			if !st.DoneAll(all) {
				out = append(out, u)
			}
		} else if missingForms(env, u) > 0 {
			out = append(out, u)
		}
	}
	return out
}

// missingForms counts the forms a unit has not (or no longer) submitted.
func (t *turn) missingForms(unit string) int { return missingForms(t.env, unit) }

func missingForms(env *Env, unit string) int {
	n := 0
	for i, f := range env.Forms {
		if !formDone(env, unit, i, f) {
			n++
		}
	}
	return n
}

// formDone reports whether unit has a current, not returned, submission of form f (Forms[i]):
// from its status when loaded (a /missing list), else from its progress.
func formDone(env *Env, unit string, i int, f Form) bool {
	if st, ok := env.Status[unit]; ok {
		return st.DoneForm(i)
	}
	return env.Progress[unit].Done(f.ID)
}

// missingPageOf returns page p of owing (clamped to the pages there are), its number and how
// many pages there are.
func missingPageOf(owing []string, p int) ([]string, int, int) {
	pages := (len(owing) + missingPage - 1) / missingPage
	if pages == 0 {
		return nil, 0, 0
	}
	page := min(max(p, 0), pages-1)
	return owing[page*missingPage : min(len(owing), (page+1)*missingPage)], page, pages
}

func (t *turn) missingReply(r leaderReq, units, late []string) Reply {
	scope := t.viewLabel(r.view)
	if r.all && len(Homes(t.env.Person, t.env.Dir)) > 1 {
		scope = t.T("miss_all")
	}
	head := t.T("miss_head", r.per.Label(t.lang), scope)
	if len(late) == 0 {
		return Reply{Text: head + "\n" + t.T("miss_none", len(units))}
	}
	shown, page, pages := missingPageOf(late, r.page)
	lines := []string{head, t.missingCounts(units)}
	for _, u := range shown {
		lines = append(lines, t.missingLine(r.per, u))
	}
	if pages > 1 {
		lines = append(lines, t.T("miss_page", page+1, pages))
	}
	return Reply{Text: cut(strings.Join(lines, "\n")), Buttons: t.missingButtons(r, shown, t.reach(r.per, late, pages), page, pages)}
}

// reach counts the units "Nhắc tất cả" nudges: those the person may nudge now. Only the page's
// units have their organisers and nudges loaded, so beyond one page it counts every unit still
// owing that the person leads, and the press says which it left out.
func (t *turn) reach(per Period, late []string, pages int) int {
	n := 0
	for _, u := range late {
		if pages <= 1 && t.mayNudge(per, u) || pages > 1 && t.isOpen(per.ID) && CanLead(t.env.Person, t.env.Dir, View{Node: u}) {
			n++
		}
	}
	return n
}

// missingCounts is "Hội viên: 4/6 đơn vị chưa nộp · Hoạt động: 3/6".
func (t *turn) missingCounts(units []string) string {
	var parts []string
	for i, f := range t.env.Forms {
		n := 0
		for _, u := range units {
			if !formDone(t.env, u, i, f) {
				n++
			}
		}
		parts = append(parts, t.T("miss_count", f.Title.In(t.lang), n, len(units)))
	}
	return strings.Join(parts, " · ")
}

// missingLine is one unit: which forms are missing, returned or drafted, and who reports for it.
func (t *turn) missingLine(per Period, unit string) string {
	prog := t.env.Progress[unit]
	var forms []string
	for _, f := range t.env.Forms {
		if prog.Done(f.ID) {
			continue
		}
		forms = append(forms, f.Title.In(t.lang)+": "+t.unitStatus(per, prog.Subs[f.ID], prog.Drafts[f.ID], f))
	}
	line := fmt.Sprintf("• %s — %s — %s", t.env.Dir.Label(unit, t.lang), strings.Join(forms, "; "), t.organisersText(prog))
	if n, ok := t.nudgedToday(unit); ok {
		line += " — " + t.T("miss_nudged", n.At.In(t.loc()).Format("15:04"))
	}
	return line
}

func (t *turn) missingButtons(r leaderReq, shown []string, total, page, pages int) [][]Button {
	var rows [][]Button
	node, org := r.view.Node, r.view.Org
	if r.all {
		node, org = "", ""
	}
	for _, u := range shown {
		if t.mayNudge(r.per, u) { // the rule the press applies: no button that would be refused
			rows = append(rows, []Button{leaderBtn("🔔 "+t.env.Dir.Label(u, t.lang), "nudge", r.per.ID, u)})
		}
	}
	if total > 0 {
		rows = append(rows, []Button{leaderBtn(t.T("miss_btn_all", total), "nudgeall", r.per.ID, node, org)})
	}
	var nav []Button
	if page > 0 {
		nav = append(nav, leaderBtn(t.T("miss_prev"), "miss", r.per.ID, fmt.Sprint(page-1), node, org))
	}
	if page+1 < pages {
		nav = append(nav, leaderBtn(t.T("miss_next"), "miss", r.per.ID, fmt.Sprint(page+1), node, org))
	}
	return nonEmpty(append(rows, nav))
}

// cut shortens s to what a message may carry.
func cut(s string) string {
	r := []rune(s)
	if len(r) <= maxText {
		return s
	}
	return string(r[:maxText-1]) + "…"
}
