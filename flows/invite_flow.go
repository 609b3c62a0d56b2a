package flows

import (
	"slices"
	"strings"
)

func (t *turn) startInvite() {
	if !IsAdmin(t.env.Person) {
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
	if (t.st.Screen == InviteRole || t.st.Screen == InviteNodes) && !IsAdmin(t.env.Person) {
		t.reset() // no longer an admin (config changed), or button data made up by hand
		t.say(t.T("not_admin"))
		return true
	}
	switch {
	case action == "role" && t.st.Screen == InviteRole && inviteRoles[Role(arg)]:
		t.st.Invite = &Invite{Role: Role(arg)}
		t.st.Screen, t.st.Place = InviteNodes, ""
		if tops := t.topPlaces(); len(tops) == 1 {
			t.st.Place = tops[0]
		}
	case inv == nil || t.st.Screen != InviteNodes:
		return false
	case action == "n" && t.selectable(arg):
		t.toggle(arg)
	case action == "go" && t.isPlace(arg) && CanAdmin(t.env.Person, t.env.Dir, arg):
		t.st.Place = arg
	case action == "up":
		t.st.Place = t.above(t.st.Place)
	case action == "mk" && len(inv.Nodes) > 0 && t.allAdministered(inv.Nodes):
		t.makeInvite()
		return true
	default:
		return false
	}
	t.prompt()
	return true
}

// inviteRoles are the roles an admin may hand out.
var inviteRoles = map[Role]bool{Organiser: true, Leader: true, AdminRole: true}

// topPlaces are the places the invite screen starts from: those the person administers at the
// top, in force today (a bootstrap admin's roots, a tenant admin's scopes).
func (t *turn) topPlaces() []string {
	today := t.env.Dir.At(DateOf(t.now))
	var out []string
	for _, n := range AdminHomes(t.env.Person, t.env.Dir) {
		if today.Active(n, DateOf(t.now)) {
			out = append(out, n)
		}
	}
	return out
}

// above is the place "⬆️ Lên trên" leads to from place: its parent while the person administers
// it, else the list of the places they administer at the top ("").
func (t *turn) above(place string) string {
	n, _ := t.env.Dir.Node(place)
	if n.Parent != "" && CanAdmin(t.env.Person, t.env.Dir, n.Parent) {
		return n.Parent
	}
	return ""
}

// allAdministered reports whether the person administers every node an invite names: checked
// again when it is made, since the screen may have been drawn under wider rights.
func (t *turn) allAdministered(ids []string) bool {
	for _, id := range ids {
		if !CanAdmin(t.env.Person, t.env.Dir, ParseScope(id).Node) {
			return false
		}
	}
	return true
}

func (t *turn) isPlace(id string) bool {
	n, ok := t.env.Dir.Node(id)
	return ok && !n.IsUnit()
}

// selectable reports whether id may be chosen for the invite's role, within what the person
// administers: units for organisers, places for leaders and admins, or one organisation within
// a place ("laichau@phunu") for leaders.
func (t *turn) selectable(id string) bool {
	v := ParseScope(id)
	n, ok := t.env.Dir.Node(v.Node)
	if !ok || !CanAdmin(t.env.Person, t.env.Dir, v.Node) {
		return false
	}
	if v.Org != "" {
		_, known := t.env.Dir.Org(v.Org)
		return known && !n.IsUnit() && t.st.Invite.Role == Leader
	}
	return n.IsUnit() == (t.st.Invite.Role == Organiser)
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
	switch r {
	case Leader:
		return "leader"
	case AdminRole:
		return "admin"
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
			{t.btn(t.T("inv_admin"), "role", string(AdminRole))},
			{t.btn(t.T("btn_cancel"), "cancel", "")},
		}}
	}
	inv := t.st.Invite
	key := map[Role]string{Organiser: "inv_nodes_o", Leader: "inv_nodes_l", AdminRole: "inv_nodes_a"}[inv.Role]
	place := t.T("inv_top")
	if t.st.Place != "" {
		place = t.env.Dir.Label(t.st.Place, t.lang)
	}
	r := Reply{Text: t.T(key, place, t.labels(inv.Nodes))}
	if inv.Role != Organiser && t.st.Place != "" {
		r.Buttons = append(r.Buttons, []Button{t.btn(t.check(t.st.Place)+t.T("inv_all", t.env.Dir.Label(t.st.Place, t.lang)), "n", t.st.Place)})
	}
	if inv.Role == Leader && t.st.Place != "" {
		r.Buttons = append(r.Buttons, t.orgScopeButtons()...)
	}
	// Only what is in force today can be handed to someone; history stays where it is.
	for _, id := range t.invitePlaces() {
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

// invitePlaces are the nodes the invite screen lists below its place, in force today: the
// place's children, or at the top the places the person administers.
func (t *turn) invitePlaces() []string {
	if t.st.Place == "" {
		return t.topPlaces()
	}
	if !CanAdmin(t.env.Person, t.env.Dir, t.st.Place) {
		return nil
	}
	return t.env.Dir.At(DateOf(t.now)).Children(t.st.Place)
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
