package flows

import (
	"fmt"
	"strings"
)

// missingPage is how many units one /missing message lists: with their forms and drafts that
// stays well inside Telegram's 4096 characters.
const missingPage = 10

// maxText is the longest text a message may carry on Telegram; longer ones are cut.
const maxText = 4000

// missingUnits lists the units a /missing request covers and the person may see: every unit of
// every home, or of one view; nothing for a view outside the scope.
func missingUnits(env *Env, r leaderReq) []Node {
	var views []View
	switch {
	case r.all:
		views = Homes(env.Person, env.Dir)
	case CanSee(env.Person, env.Dir, r.view):
		views = []View{r.view}
	}
	var out []Node
	seen := map[string]bool{}
	for _, v := range views {
		for _, n := range unitsOfView(env.Dir.In(r.per), v) {
			if !seen[n.ID] {
				seen[n.ID] = true
				out = append(out, n)
			}
		}
	}
	return out
}

// unitsOfView is Directory.ViewUnits of v, except that a view of one unit is that unit whatever
// its organisation filter (none when dir's period does not have it).
func unitsOfView(dir *Directory, v View) []Node {
	if n, ok := dir.Node(v.Node); ok && n.IsUnit() {
		if dir.UnitCount(n.ID, AllOrgs) == 0 {
			return nil
		}
		return []Node{n}
	}
	return dir.ViewUnits(v)
}

// missing shows the units that have not submitted every form of r.per (or were returned), a page
// at a time, with their organisers, drafts and a nudge button each.
func (t *turn) missing(r leaderReq) {
	if !r.all && !CanSee(t.env.Person, t.env.Dir, r.view) {
		t.refuse()
		return
	}
	units := missingUnits(t.env, r)
	var late []Node
	for _, n := range units {
		if t.missingForms(n.ID) > 0 {
			late = append(late, n)
		}
	}
	t.show(t.missingReply(r, units, late))
}

// missingForms counts the forms a unit has not (or no longer) submitted.
func (t *turn) missingForms(unit string) int {
	n := 0
	for _, f := range t.env.Forms {
		if !t.env.Progress[unit].Done(f.ID) {
			n++
		}
	}
	return n
}

func (t *turn) missingReply(r leaderReq, units, late []Node) Reply {
	scope := t.viewLabel(r.view)
	if r.all && len(Homes(t.env.Person, t.env.Dir)) > 1 {
		scope = t.T("miss_all")
	}
	head := t.T("miss_head", r.per.Label(t.lang), scope)
	if len(late) == 0 {
		return Reply{Text: head + "\n" + t.T("miss_none", len(units))}
	}
	pages := (len(late) + missingPage - 1) / missingPage
	page := min(max(r.page, 0), pages-1)
	shown := late[page*missingPage : min(len(late), (page+1)*missingPage)]
	lines := []string{head, t.missingCounts(units)}
	for _, n := range shown {
		lines = append(lines, t.missingLine(r.per, n.ID))
	}
	if pages > 1 {
		lines = append(lines, t.T("miss_page", page+1, pages))
	}
	reach := 0 // the units "Nhắc tất cả" nudges: those the person may nudge now
	for _, n := range late {
		if t.mayNudge(r.per, n.ID) {
			reach++
		}
	}
	return Reply{Text: cut(strings.Join(lines, "\n")), Buttons: t.missingButtons(r, shown, reach, page, pages)}
}

// missingCounts is "Hội viên: 4/6 đơn vị chưa nộp · Hoạt động: 3/6".
func (t *turn) missingCounts(units []Node) string {
	var parts []string
	for _, f := range t.env.Forms {
		n := 0
		for _, u := range units {
			if !t.env.Progress[u.ID].Done(f.ID) {
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

func (t *turn) missingButtons(r leaderReq, shown []Node, total, page, pages int) [][]Button {
	var rows [][]Button
	node, org := r.view.Node, r.view.Org
	if r.all {
		node, org = "", ""
	}
	for _, n := range shown {
		if t.mayNudge(r.per, n.ID) { // the rule the press applies: no button that would be refused
			rows = append(rows, []Button{leaderBtn("🔔 "+t.env.Dir.Label(n.ID, t.lang), "nudge", r.per.ID, n.ID)})
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
