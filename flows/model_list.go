package flows

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// This file shows the "Dân vận khéo" register: an organiser's own units with their models and
// the buttons to register one or record a recognition; a leader's scope grouped by field, by
// place or by organisation. Whose models may be read is CanSee's answer, as for any figure.

// maxListed bounds the models one list message names; the rest are counted.
const maxListed = 60

func init() {
	addTexts(map[string]Text{
		"mh_unit_head":  {Vi: "📒 Sổ mô hình “Dân vận khéo” · %s", En: "📒 “Dân vận khéo” register · %s"},
		"mh_unit_none":  {Vi: "Chưa đăng ký mô hình nào.", En: "No model registered yet."},
		"mh_item":       {Vi: "%s. %s — %s, từ %s", En: "%s. %s — %s, since %s"},
		"mh_item_rec":   {Vi: "   🏅 Điển hình %s", En: "   🏅 Exemplar, recognised by the %s"},
		"mh_unit_foot":  {Vi: "Số liệu “mô hình đang xây dựng” và “điển hình được công nhận” trong biểu Hoạt động được đối chiếu với sổ này.", En: "The Activities form's counts of models and exemplars are checked against this register."},
		"mh_btn_add":    {Vi: "➕ Đăng ký mô hình mới", En: "➕ Register a new model"},
		"mh_btn_add_u":  {Vi: "➕ Đăng ký mô hình · %s", En: "➕ Register a model · %s"},
		"mh_btn_rec":    {Vi: "🏅 Ghi nhận điển hình: %s", En: "🏅 Record an exemplar: %s"},
		"mh_btn_scope":  {Vi: "📚 Mô hình trong phạm vi lãnh đạo", En: "📚 Models in the scope you lead"},
		"mh_scope_head": {Vi: "📒 Mô hình “Dân vận khéo” — %s\n%d mô hình của %d/%d đơn vị; %d được công nhận điển hình.", En: "📒 “Dân vận khéo” models — %s\n%d models of %d/%d units; %d recognised as exemplars."},
		"mh_group":      {Vi: "▸ %s: %d mô hình, %d điển hình", En: "▸ %s: %d models, %d exemplars"},
		"mh_line":       {Vi: "  • %s — %s (từ %s)", En: "  • %s — %s (since %s)"},
		"mh_line_rec":   {Vi: " 🏅 %s", En: " 🏅 %s"},
		"mh_more":       {Vi: "… và %d mô hình khác (đầy đủ trong báo cáo /baocao).", En: "… and %d more models (all of them in the /baocao report)."},
		"mh_scope_none": {Vi: "Chưa đơn vị nào trong phạm vi đăng ký mô hình “Dân vận khéo”.", En: "No unit in the scope has registered a “Dân vận khéo” model yet."},
		"mh_by_field":   {Vi: "Theo lĩnh vực", En: "By field"},
		"mh_by_place":   {Vi: "Theo xã, phường", En: "By commune"},
		"mh_by_org":     {Vi: "Theo tổ chức", En: "By organisation"},
	})
}

// modelReq is a leader's request for the register: grouped by "field" (the default), "place" or
// "org", over view, or over every home of the person (all).
type modelReq struct {
	by   string
	view View
	all  bool
}

// modelButton runs an unbound button of the register; false when action is not one of them.
func (t *turn) modelButton(action, arg string) bool {
	f := strings.Fields(arg)
	switch {
	case action == "mha" && len(f) == 1:
		t.startModel(f[0])
	case action == "mhr" && len(f) == 2:
		t.startRecognise(f[0], f[1])
	case action == "mhl" && len(f) == 3:
		r := modelReq{by: f[0], view: View{Node: undash(f[1]), Org: undash(f[2])}}
		r.all = r.view.Node == ""
		t.modelList(r)
	case action == "mha" || action == "mhr" || action == "mhl":
		t.refuse() // malformed: made up by hand
	default:
		return false
	}
	return true
}

func undash(s string) string {
	if s == "-" {
		return ""
	}
	return s
}

// unitModels shows the register of each unit the person reports for.
func (t *turn) unitModels() {
	var parts []string
	var rows [][]Button
	units := t.units()
	for _, u := range units {
		parts = append(parts, t.unitRegister(u))
		for _, m := range t.env.Models[u] {
			if m.Level == "" && len(rows) < 10 {
				rows = append(rows, []Button{unboundBtn(t.T("mh_btn_rec", shorten(m.Name, 28)), "mhr", u+" "+m.ID)})
			}
		}
	}
	for _, u := range units {
		label := t.T("mh_btn_add")
		if len(units) > 1 {
			label = t.T("mh_btn_add_u", t.env.Dir.Label(u, t.lang))
		}
		rows = append(rows, []Button{unboundBtn(label, "mha", u)})
	}
	if len(Homes(Person{Scopes: t.env.Person.Scopes, AdminOf: t.env.Person.AdminOf, Admin: t.env.Person.Admin}, t.env.Dir)) > 0 {
		rows = append(rows, []Button{unboundBtn(t.T("mh_btn_scope"), "mhl", "field - -")})
	}
	parts = append(parts, t.T("mh_unit_foot"))
	t.show(Reply{Text: strings.Join(parts, "\n\n"), Buttons: rows})
}

// unitRegister lists one unit's models, oldest first.
func (t *turn) unitRegister(unit string) string {
	lines := []string{t.T("mh_unit_head", t.env.Dir.Label(unit, t.lang))}
	ms := t.sortedModels(t.env.Models[unit])
	if len(ms) == 0 {
		lines = append(lines, t.T("mh_unit_none"))
	}
	for _, m := range ms {
		lines = append(lines, t.T("mh_item", m.ID, Neutral(m.Name), t.env.Register.FieldName(m.Field, t.lang), t.month(m.Start)))
		if m.Level != "" {
			lines = append(lines, t.T("mh_item_rec", t.env.Register.LevelName(m.Level, t.lang)))
		}
	}
	return strings.Join(lines, "\n")
}

// modelList shows a leader the models of r's part of the directory, grouped as r asks.
func (t *turn) modelList(r modelReq) {
	if r.by != "place" && r.by != "org" {
		r.by = "field"
	}
	views := t.modelViews(r)
	if len(views) == 0 {
		if len(t.units()) == 0 && len(Homes(t.env.Person, t.env.Dir)) == 0 {
			t.say(t.T("mh_nobody"))
			return
		}
		t.refuse()
		return
	}
	units := t.env.Dir.ViewUnits(views...)
	var all []Model
	with := 0
	for _, u := range units {
		if ms := t.env.Models[u.ID]; len(ms) > 0 {
			with++
			all = append(all, ms...)
		}
	}
	rec := 0
	for _, m := range all {
		if m.Level != "" {
			rec++
		}
	}
	label := t.T("miss_all")
	switch {
	case !r.all:
		label = t.viewLabel(r.view)
	case len(views) == 1 && views[0].Node != "":
		label = t.viewLabel(views[0])
	}
	lines := []string{t.T("mh_scope_head", label, len(all), with, len(units), rec)}
	if len(all) == 0 {
		lines = append(lines, t.T("mh_scope_none"))
	} else {
		lines = append(lines, t.modelGroups(r.by, all)...)
	}
	node, org := dash(r.view.Node), dash(r.view.Org)
	if r.all {
		node, org = "-", "-"
	}
	var row []Button
	for _, by := range []string{"field", "place", "org"} {
		row = append(row, unboundBtn(t.T("mh_by_"+by), "mhl", by+" "+node+" "+org))
	}
	t.show(Reply{Text: strings.Join(lines, "\n"), Buttons: [][]Button{row}})
}

// modelViews is what r may show the person: their whole scope (Narrow) or the view asked, if
// they may see it.
func (t *turn) modelViews(r modelReq) []View {
	if r.all {
		return Narrow(t.env.Person, t.env.Dir, View{})
	}
	if !CanSee(t.env.Person, t.env.Dir, r.view) {
		return nil
	}
	return []View{r.view}
}

// modelGroups lists all under a heading per group, groups in the register's (or directory's)
// order, at most maxListed models named.
func (t *turn) modelGroups(by string, all []Model) []string {
	keys, label := t.grouping(by)
	groups := map[string][]Model{}
	var order []string
	for _, m := range t.sortedModels(all) {
		k := keys(m)
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], m)
	}
	slices.SortStableFunc(order, func(a, b string) int { return t.groupRank(by, a) - t.groupRank(by, b) })
	var out []string
	listed := 0
	for _, k := range order {
		ms := groups[k]
		rec := 0
		for _, m := range ms {
			if m.Level != "" {
				rec++
			}
		}
		out = append(out, t.T("mh_group", label(k), len(ms), rec))
		for _, m := range ms {
			if listed == maxListed {
				break
			}
			listed++
			line := t.T("mh_line", Neutral(m.Name), t.env.Dir.Label(m.Unit, t.lang), t.month(m.Start))
			if m.Level != "" {
				line += t.T("mh_line_rec", t.env.Register.LevelName(m.Level, t.lang))
			}
			out = append(out, line)
		}
	}
	if n := len(all) - listed; n > 0 {
		out = append(out, t.T("mh_more", n))
	}
	return out
}

// grouping returns how models group for by: the key of a model and the label of a key.
func (t *turn) grouping(by string) (func(Model) string, func(string) string) {
	switch by {
	case "place":
		return func(m Model) string {
				n, _ := t.env.Dir.Node(m.Unit)
				return n.Parent
			}, func(k string) string {
				return t.env.Dir.Label(k, t.lang)
			}
	case "org":
		return func(m Model) string {
				n, _ := t.env.Dir.Node(m.Unit)
				return n.Org
			}, func(k string) string {
				if o, ok := t.env.Dir.Org(k); ok {
					return o.Short.In(t.lang)
				}
				return k
			}
	}
	return func(m Model) string { return m.Field }, func(k string) string { return t.env.Register.FieldName(k, t.lang) }
}

// groupRank orders groups: fields and organisations as configured, places as in the directory.
func (t *turn) groupRank(by, key string) int {
	switch by {
	case "field":
		if i := slices.IndexFunc(t.env.Register.Fields, func(f ModelField) bool { return f.ID == key }); i >= 0 {
			return i
		}
	case "org":
		if i := slices.IndexFunc(t.env.Dir.Orgs(), func(o Org) bool { return o.ID == key }); i >= 0 {
			return i
		}
	case "place":
		if i := slices.IndexFunc(t.env.Dir.Nodes(), func(n Node) bool { return n.ID == key }); i >= 0 {
			return i
		}
	}
	return 1 << 20
}

// sortedModels returns ms by unit in directory order, then in the order registered.
func (t *turn) sortedModels(ms []Model) []Model {
	rank := map[string]int{}
	for _, m := range ms {
		rank[m.Unit] = 0
	}
	for i, n := range t.env.Dir.Nodes() {
		if _, ok := rank[n.ID]; ok {
			rank[n.ID] = i
		}
	}
	out := slices.Clone(ms)
	slices.SortStableFunc(out, func(a, b Model) int {
		return cmp.Or(cmp.Compare(rank[a.Unit], rank[b.Unit]), strings.Compare(a.Unit, b.Unit),
			cmp.Compare(len(a.ID), len(b.ID)), strings.Compare(a.ID, b.ID)) // "2" before "10"
	})
	return out
}

// month writes a model's start as "03/2026".
func (t *turn) month(m time.Time) string { return m.In(t.loc()).Format("01/2006") }

// shorten cuts s to n characters for a button, with "…".
func shorten(s string, n int) string {
	r := []rune(NeutralLine(s))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n-1]) + "…"
}

// modelWants names the units whose register a step reads: the model being registered, a press
// on a register button, /mohinh, and a report on a form checked against the register.
func modelWants(env *Env, st State, in Input) []string {
	if len(env.Register.Fields) == 0 {
		return nil
	}
	switch {
	case in.Kind == CommandInput && in.Command == "mohinh":
		return mohinhWants(env, in.Args)
	case in.Kind == ButtonInput && strings.HasPrefix(in.Data, Unbound+"|"):
		if units := buttonModelWants(env, in.Data); units != nil {
			return units
		}
	}
	if st.Model != nil && env.Person.Organises(st.Model.Unit) {
		return []string{st.Model.Unit}
	}
	if !hasRegisterQuestion(env.Forms) {
		return nil
	}
	if (in.Kind == CommandInput && in.Command == "report") || choosing(st.Screen) {
		return slices.Clone(env.Person.Units) // the journey may land on any of them
	}
	if st.Key.Unit != "" && env.Person.Organises(st.Key.Unit) {
		return []string{st.Key.Unit}
	}
	return nil
}

// choosing reports whether s is a screen that chooses a report, on which a choice may open
// another unit's.
func choosing(s Screen) bool {
	return s == PickUnit || s == PickPeriod || s == PickForm || s == PickDraft
}

// mohinhWants names the units /mohinh shows: the person's own, and their scope for a leader's list.
func mohinhWants(env *Env, args string) []string {
	units := slices.Clone(env.Person.Units)
	if by := modelBy(args); by == "add" || (by == "" && len(units) > 0) {
		return units
	}
	for _, n := range env.Dir.ViewUnits(Narrow(env.Person, env.Dir, View{})...) {
		units = append(units, n.ID)
	}
	return units
}

// buttonModelWants names the units an unbound press reads the register of: a register button's,
// or the unit of a reminder's "Báo cáo ngay" that may open the form at a register question. It
// names nothing the person may not see.
func buttonModelWants(env *Env, data string) []string {
	_, rest, _ := strings.Cut(data, "|")
	action, arg, _ := strings.Cut(rest, "|")
	f := strings.Fields(arg)
	switch {
	case (action == "mha" || action == "mhr") && len(f) > 0 && env.Person.Organises(f[0]):
		return []string{f[0]}
	case action == "mhl" && len(f) == 3:
		v := View{Node: undash(f[1]), Org: undash(f[2])}
		if v.Node == "" {
			return mohinhWants(env, "field")
		}
		if !CanSee(env.Person, env.Dir, v) {
			return nil
		}
		var out []string
		for _, n := range env.Dir.ViewUnits(v) {
			out = append(out, n.ID)
		}
		return out
	case action == "rg" || action == "rr" || action == "nx":
		if parts := strings.Split(arg, "|"); len(parts) > 1 && env.Person.Organises(parts[1]) {
			return []string{parts[1]}
		}
	}
	return nil
}

// String writes m for logs: "tanphong-phunu#2".
func (m Model) String() string { return fmt.Sprintf("%s#%s", m.Unit, m.ID) }
