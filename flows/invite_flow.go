package flows

import (
	"slices"
	"strings"
)

func (t *turn) startInvite() {
	if !t.env.Person.Admin {
		t.say(t.T("not_admin"))
		return
	}
	t.reset()
	t.st.Screen = InviteRole
	t.prompt()
}

// inviteAct handles the invite screens' buttons; false means the action is not one of them.
func (t *turn) inviteAct(action, arg string) bool {
	inv := t.st.Invite
	if (t.st.Screen == InviteRole || t.st.Screen == InviteNodes) && !t.env.Person.Admin {
		t.reset() // no longer an admin (config changed), or button data made up by hand
		t.say(t.T("not_admin"))
		return true
	}
	switch {
	case action == "role" && t.st.Screen == InviteRole && (arg == string(Organiser) || arg == string(Leader)):
		t.st.Invite = &Invite{Role: Role(arg)}
		t.st.Screen, t.st.Place = InviteNodes, ""
		if roots := t.env.Dir.At(DateOf(t.now)).Children(""); len(roots) == 1 {
			t.st.Place = roots[0]
		}
	case inv == nil || t.st.Screen != InviteNodes:
		return false
	case action == "n" && t.selectable(arg):
		t.toggle(arg)
	case action == "go" && t.isPlace(arg):
		t.st.Place = arg
	case action == "up":
		n, _ := t.env.Dir.Node(t.st.Place)
		t.st.Place = n.Parent
	case action == "mk" && len(inv.Nodes) > 0:
		t.makeInvite()
		return true
	default:
		return false
	}
	t.prompt()
	return true
}

func (t *turn) isPlace(id string) bool {
	n, ok := t.env.Dir.Node(id)
	return ok && !n.IsUnit()
}

// selectable reports whether id may be chosen for the invite's role: units for organisers,
// places for leaders, or one organisation within a place ("laichau@phunu") for leaders.
func (t *turn) selectable(id string) bool {
	v := ParseScope(id)
	n, ok := t.env.Dir.Node(v.Node)
	if v.Org != "" {
		_, known := t.env.Dir.Org(v.Org)
		return ok && known && !n.IsUnit() && t.st.Invite.Role == Leader
	}
	return ok && n.IsUnit() == (t.st.Invite.Role == Organiser)
}

func (t *turn) toggle(id string) {
	inv := *t.st.Invite
	if i := slices.Index(inv.Nodes, id); i >= 0 {
		inv.Nodes = slices.Delete(slices.Clone(inv.Nodes), i, i+1)
	} else {
		inv.Nodes = append(slices.Clone(inv.Nodes), id)
	}
	t.st.Invite = &inv
}

func (t *turn) makeInvite() {
	inv := *t.st.Invite
	inv.Code = t.env.Code
	inv.By = t.env.Person.ID
	inv.Created = t.now
	inv.Expires = t.now.Add(t.env.InviteTTL)
	t.effect(CreateInvite{Invite: inv})
	link := "/start " + inv.Code
	if t.env.BotName != "" {
		link = "https://t.me/" + t.env.BotName + "?start=" + inv.Code
	}
	loc := t.env.Calendar.Loc
	if loc == nil {
		loc = t.now.Location()
	}
	t.reset()
	t.say(t.T("inv_made", inv.Code, link, inv.Expires.In(loc).Format("15:04 02/01/2006"),
		t.T("role_"+roleKey(inv.Role)), t.labels(inv.Nodes)))
}

func roleKey(r Role) string {
	if r == Leader {
		return "leader"
	}
	return "org"
}

func (t *turn) labels(ids []string) string {
	if len(ids) == 0 {
		return t.T("inv_none")
	}
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = ScopeLabel(t.env.Dir, id, t.lang)
	}
	return strings.Join(out, "; ")
}

func (t *turn) renderInvite() Reply {
	if t.st.Screen == InviteRole || t.st.Invite == nil {
		return Reply{Text: t.T("inv_role"), Buttons: [][]Button{
			{t.btn(t.T("inv_org"), "role", string(Organiser))},
			{t.btn(t.T("inv_leader"), "role", string(Leader))},
			{t.btn(t.T("btn_cancel"), "cancel", "")},
		}}
	}
	inv := t.st.Invite
	key := "inv_nodes_o"
	if inv.Role == Leader {
		key = "inv_nodes_l"
	}
	r := Reply{Text: t.T(key, t.env.Dir.Label(t.st.Place, t.lang), t.labels(inv.Nodes))}
	if inv.Role == Leader && t.st.Place != "" {
		r.Buttons = append(r.Buttons, []Button{t.btn(t.check(t.st.Place)+t.T("inv_all", t.env.Dir.Label(t.st.Place, t.lang)), "n", t.st.Place)})
		r.Buttons = append(r.Buttons, t.orgScopeButtons()...)
	}
	// Only what is in force today can be handed to someone; history stays where it is.
	for _, id := range t.env.Dir.At(DateOf(t.now)).Children(t.st.Place) {
		n, _ := t.env.Dir.Node(id)
		switch {
		case !n.IsUnit():
			r.Buttons = append(r.Buttons, []Button{t.btn("📂 "+n.Name.In(t.lang), "go", id)})
		case inv.Role == Organiser:
			r.Buttons = append(r.Buttons, []Button{t.btn(t.check(id)+t.env.Dir.Label(id, t.lang), "n", id)})
		}
	}
	return t.inviteFooter(r)
}

func (t *turn) inviteFooter(r Reply) Reply {
	var row []Button
	if t.st.Place != "" {
		row = append(row, t.btn(t.T("inv_up"), "up", ""))
	}
	if len(t.st.Invite.Nodes) > 0 {
		row = append(row, t.btn(t.T("inv_make"), "mk", ""))
	}
	row = append(row, t.btn(t.T("btn_cancel"), "cancel", ""))
	r.Buttons = append(r.Buttons, row)
	return r
}

func (t *turn) check(id string) string {
	if slices.Contains(t.st.Invite.Nodes, id) {
		return "☑️ "
	}
	return "⬜ "
}

// orgScopeButtons offer a leader scope of one organisation across the place shown: an
// organisation's chair at city level reads "laichau@phunu".
func (t *turn) orgScopeButtons() [][]Button {
	var row []Button
	for _, o := range t.env.Dir.Orgs() {
		id := t.st.Place + "@" + o.ID
		row = append(row, t.btn(t.check(id)+o.Short.In(t.lang), "n", id))
	}
	return chunk(row, 2)
}
