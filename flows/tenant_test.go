package flows

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// twoProvinces is a directory of two tenants: Lai Châu (lc) and Điện Biên (db), a commune each.
func twoProvinces(tb testing.TB) *Directory {
	tb.Helper()
	d, err := NewDirectory(
		[]Org{
			{ID: "phunu", Short: Text{Vi: "Hội LHPN"}, Name: Text{Vi: "Hội Liên hiệp Phụ nữ"}},
			{ID: "doan", Short: Text{Vi: "Đoàn TN"}, Name: Text{Vi: "Đoàn TNCS Hồ Chí Minh"}},
		},
		[]Node{
			{ID: "lc", Name: Text{Vi: "Tỉnh Lai Châu"}},
			{ID: "lc-tp", Name: Text{Vi: "Phường Tân Phong"}, Parent: "lc"},
			{ID: "lc-tp-phunu", Name: Text{Vi: "Hội LHPN phường Tân Phong"}, Parent: "lc-tp", Org: "phunu"},
			{ID: "lc-tp-doan", Name: Text{Vi: "Đoàn phường Tân Phong"}, Parent: "lc-tp", Org: "doan"},
			{ID: "db", Name: Text{Vi: "Tỉnh Điện Biên"}},
			{ID: "db-mt", Name: Text{Vi: "Xã Mường Thanh"}, Parent: "db"},
			{ID: "db-mt-phunu", Name: Text{Vi: "Hội LHPN xã Mường Thanh"}, Parent: "db-mt", Org: "phunu"},
		})
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// plansXY are two plans: X to 2027 (a rate met above 85%), Y from 2028 (above 95%).
func plansXY() []WorkPlan {
	ind := testIndicators()[0]
	x, y := ind, ind
	y.Min = 0.95
	return []WorkPlan{
		{ID: "x", Name: Text{Vi: "Kế hoạch X"}, From: 2023, To: 2027, Targets: []Indicator{x}},
		{ID: "y", Name: Text{Vi: "Kế hoạch Y"}, From: 2028, Targets: []Indicator{y}},
	}
}

func mustTenancy(tb testing.TB, dir *Directory) *Tenancy {
	tb.Helper()
	ten, err := NewTenancy(dir, []Tenant{
		{ID: "lc", Name: Text{Vi: "Tỉnh Lai Châu"}, Office: Text{Vi: "Ban Tuyên giáo và Dân vận Tỉnh ủy Lai Châu"}, Calendar: testCalendar(), Plans: plansXY()},
		{ID: "db", Name: Text{Vi: "Tỉnh Điện Biên"}, Office: Text{Vi: "Ban Tuyên giáo và Dân vận Tỉnh ủy Điện Biên"}, Calendar: testCalendar(), Plans: plansXY()[:1]},
	})
	if err != nil {
		tb.Fatal(err)
	}
	return ten
}

func TestNewTenancyRefuses(t *testing.T) {
	dir := twoProvinces(t)
	tests := []struct {
		name    string
		tenants []Tenant
		want    string
	}{
		{"none", nil, "at least one"},
		{"unknown", []Tenant{{ID: "hn"}}, `"hn" names no entry`},
		{"not a root", []Tenant{{ID: "lc-tp"}}, "not a root place"},
		{"a unit", []Tenant{{ID: "lc-tp-phunu"}}, "not a root place"},
		{"twice", []Tenant{{ID: "lc"}, {ID: "lc"}}, "appears twice"},
		{"plans overlap", []Tenant{{ID: "lc", Plans: []WorkPlan{{ID: "x", From: 2023}, {ID: "y", From: 2028}}}}, "both in force in 2028 and after"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewTenancy(dir, tt.tenants); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// A node, a person and a plan year each find their tenant; a person's tenant is that of their
// first grant, whatever its kind.
func TestTenancyOf(t *testing.T) {
	dir := twoProvinces(t)
	ten := mustTenancy(t, dir)
	for node, want := range map[string]string{"lc": "lc", "lc-tp-phunu": "lc", "db-mt": "db", "nowhere": ""} {
		got, _ := ten.Of(node)
		if got.ID != want {
			t.Errorf("Of(%s): got %q, want %q", node, got.ID, want)
		}
	}
	for _, tt := range []struct {
		p    Person
		want string
	}{
		{Person{Units: []string{"db-mt-phunu"}}, "db"},
		{Person{Scopes: []string{"lc-tp@phunu"}}, "lc"},
		{Person{AdminOf: []string{"db"}, Scopes: []string{"lc"}}, "db"},
		{Person{Admin: true}, ""},
	} {
		got, _ := ten.OfPerson(tt.p)
		if got.ID != tt.want {
			t.Errorf("OfPerson(%+v): got %q, want %q", tt.p, got.ID, tt.want)
		}
	}
	lc, _ := ten.Get("lc")
	for year, want := range map[int]string{2022: "", 2023: "x", 2027: "x", 2028: "y", 2040: "y"} {
		if got, _ := lc.PlanIn(year); got.ID != want {
			t.Errorf("PlanIn(%d): got %q, want %q", year, got.ID, want)
		}
	}
}

// A period of 2026 is judged against plan X, one of 2028 against plan Y: the same 90% meets
// X's target (> 85%) and misses Y's (> 95%), and the figures name the plan of each year. The
// tenant that follows X only has no targets in 2028, and says so.
func TestFiguresByPlanOfTheYear(t *testing.T) {
	dir := twoProvinces(t)
	ten := mustTenancy(t, dir)
	tally := Tally{Reported: 1, Sums: map[string]int64{"members": 90, "eligible": 100}}
	tests := []struct {
		node, period string
		want         []string
		not          string
	}{
		{"lc", "2026-Q1", []string{"🎯 Chỉ tiêu theo Kế hoạch X", "✅ 1.5 Tỷ lệ tập hợp: 90% (mục tiêu > 85%)"}, "Kế hoạch Y"},
		{"lc", "2028-Q1", []string{"🎯 Chỉ tiêu theo Kế hoạch Y", "⚠️ 1.5 Tỷ lệ tập hợp: 90% (mục tiêu > 95%)"}, "Kế hoạch X"},
		{"db", "2028-Q1", []string{"🎯 Không có kế hoạch nào áp dụng cho năm 2028"}, "1.5"},
	}
	for _, tt := range tests {
		t.Run(tt.node+" "+tt.period, func(t *testing.T) {
			per, _ := testCalendar().Period(tt.period)
			env := Env{Person: Person{ID: "p", Admin: true}, Dir: dir, Forms: testForms(), Calendar: testCalendar(), Tenants: ten,
				Indicators: plansXY()[0].Targets,
				Tallies:    map[TallyKey]Tally{{Period: per.ID, Node: tt.node, Org: AllOrgs, Form: "membership"}: tally}}
			in := Input{Kind: ButtonInput, Data: leaderBtn("", "fig", per.ID, tt.node, "", "").Data}
			_, replies, _ := Step(&env, State{}, in, per.Due)
			got := joinReplies(replies)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("got %q, want it to contain %q", got, w)
				}
			}
			if strings.Contains(got, tt.not) {
				t.Errorf("got %q, want no %q", got, tt.not)
			}
		})
	}
}

func joinReplies(rs []Reply) string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Text)
		for _, row := range r.Buttons {
			for _, b := range row {
				out = append(out, "["+b.Label+"] "+b.Data)
			}
		}
	}
	return strings.Join(out, "\n")
}

// An admin of one tenant is confined to it by the one scope rule: every part of the other
// tenant is refused to CanSee, CanLead and CanAdmin, Narrow cuts the whole directory down to
// their own province, and their homes are theirs only. A bootstrap admin has both.
func TestAdminScopeConfines(t *testing.T) {
	dir := twoProvinces(t)
	admin := Person{ID: "a", AdminOf: []string{"lc"}}
	boot := Person{ID: "b", Admin: true}
	for _, v := range []View{{Node: "db"}, {Node: "db-mt"}, {Node: "db-mt-phunu"}, {Node: "db", Org: "phunu"}, {Node: ""}} {
		if CanSee(admin, dir, v) || CanLead(admin, dir, v) {
			t.Errorf("%+v: the admin of lc may see or lead it", v)
		}
		if v.Node != "" && !CanSee(boot, dir, v) {
			t.Errorf("%+v: the bootstrap admin may not see it", v)
		}
	}
	for _, n := range []string{"db", "db-mt", "db-mt-phunu", "nowhere"} {
		if CanAdmin(admin, dir, n) {
			t.Errorf("CanAdmin(%s): got true for the admin of lc", n)
		}
	}
	for _, n := range []string{"lc", "lc-tp", "lc-tp-phunu"} {
		if !CanAdmin(admin, dir, n) || !CanSee(admin, dir, View{Node: n}) || !CanLead(admin, dir, View{Node: n}) {
			t.Errorf("%s: the admin of lc may not administer, see or lead it", n)
		}
	}
	if got := Narrow(admin, dir, View{}); fmt.Sprint(got) != "[lc]" {
		t.Errorf("Narrow(everything): got %v, want [lc]", got)
	}
	if got := Narrow(admin, dir, View{Node: "db"}); got != nil {
		t.Errorf("Narrow(db): got %v, want nothing", got)
	}
	if got := Homes(admin, dir); fmt.Sprint(got) != "[lc]" {
		t.Errorf("Homes: got %v, want [lc]", got)
	}
	if got := AdminHomes(boot, dir); !slices.Equal(got, []string{"lc", "db"}) {
		t.Errorf("AdminHomes(bootstrap): got %v, want [lc db]", got)
	}
	if !IsAdmin(admin) || !admin.Known() || !Formal(admin) {
		t.Errorf("an admin scope makes an admin, known and addressed formally")
	}
}

// An admin of Lai Châu inviting: the screen starts at their province and lists nothing of
// Điện Biên; presses made up with Điện Biên's places or units choose nothing, and a made-up
// invite screen holding them makes no code.
func TestTenantAdminInvitesWithinOnly(t *testing.T) {
	dir := twoProvinces(t)
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, testLoc)
	env := Env{Person: Person{ID: "a", AdminOf: []string{"lc"}}, Dir: dir, Forms: testForms(), Calendar: testCalendar(),
		Tenants: mustTenancy(t, dir), InviteTTL: time.Hour, Code: "CODE1"}
	st, replies, _ := Step(&env, State{}, Input{Kind: CommandInput, Command: "invite"}, now)
	st, replies, _ = Step(&env, st, Input{Kind: ButtonInput, Data: replies[0].Buttons[0][0].Data}, now) // organiser
	if got := joinReplies(replies); !strings.Contains(got, "Tỉnh Lai Châu") || strings.Contains(got, "Điện Biên") || strings.Contains(got, "db") {
		t.Fatalf("invite screen: got %q, want Lai Châu only", got)
	}
	v := fmt.Sprint(st.Version)
	for _, data := range []string{v + "|go|db", v + "|go|db-mt", v + "|n|db-mt-phunu", v + "|n|db"} {
		next, replies, effects := Step(&env, st, Input{Kind: ButtonInput, Data: data}, now)
		if next.Invite != nil && len(next.Invite.Nodes) > 0 || next.Place == "db" || next.Place == "db-mt" || len(effects) > 0 {
			t.Errorf("%s: got place %q, invite %+v, effects %v; want nothing chosen", data, next.Place, next.Invite, effects)
		}
		if got := joinReplies(replies); strings.Contains(got, "Điện Biên") || strings.Contains(got, "Mường Thanh") {
			t.Errorf("%s: got %q, want nothing of Điện Biên", data, got)
		}
		st = next
		v = fmt.Sprint(st.Version)
	}
	forged := st
	forged.Invite = &Invite{Role: AdminRole, Nodes: []string{"db"}}
	_, replies, effects := Step(&env, forged, Input{Kind: ButtonInput, Data: v + "|mk|"}, now)
	if len(effects) > 0 || strings.Contains(joinReplies(replies), "CODE1") {
		t.Errorf("a made-up invite for db: got effects %v, replies %q; want no code", effects, joinReplies(replies))
	}
}

// A tenant admin's /remind reminds within their province only (Remind.Within); a bootstrap
// admin's reminds everywhere.
func TestTenantAdminRemindsWithin(t *testing.T) {
	dir := twoProvinces(t)
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, testLoc)
	for _, tt := range []struct {
		p    Person
		want string
	}{
		{Person{ID: "a", AdminOf: []string{"lc"}}, "[lc]"},
		{Person{ID: "b", Admin: true}, "[]"},
	} {
		env := Env{Person: tt.p, Dir: dir, Forms: testForms(), Calendar: testCalendar()}
		_, _, effects := Step(&env, State{}, Input{Kind: ButtonInput, Data: "*|rn|2026-Q1"}, now)
		if len(effects) != 1 {
			t.Fatalf("%s: got effects %v, want one Remind", tt.p.ID, effects)
		}
		if r, ok := effects[0].(Remind); !ok || !r.All || fmt.Sprint(r.Within) != tt.want {
			t.Errorf("%s: got %+v, want All within %s", tt.p.ID, effects[0], tt.want)
		}
	}
}

// Redeeming an admin invite gives the places as admin scopes, and nothing else.
func TestAdminInviteGrants(t *testing.T) {
	p := Invite{Role: AdminRole, Nodes: []string{"lc", "lc"}}.Grant(Person{ID: "x", Scopes: []string{"db"}})
	if !slices.Equal(p.AdminOf, []string{"lc"}) || !slices.Equal(p.Scopes, []string{"db"}) || len(p.Units) > 0 {
		t.Errorf("got %+v, want AdminOf [lc] and the scope kept", p)
	}
}

// An identity with a tenant's own bot is on that bot's platform: /kenh telegram takes it, and
// IdentChannel reads it.
func TestTenantBotIdentityChannel(t *testing.T) {
	for ident, want := range map[string]string{"tg:5": "tg", "tg.db:5": "tg", "zalo.lc.2:z": "zalo", "console:x": "console"} {
		if got := IdentChannel(ident); got != want {
			t.Errorf("IdentChannel(%s): got %s, want %s", ident, got, want)
		}
	}
	p := Person{ID: "zalo:z", Units: []string{"tanphong-phunu"}, Idents: []string{"zalo:z", "tg.db:5"}}
	env := Env{Person: p, Dir: mustDirectory(t), Forms: testForms(), Calendar: testCalendar(), Channels: testChannels()}
	_, replies, effects := Step(&env, State{}, Input{Kind: CommandInput, Command: "kenh", Args: "telegram"}, time.Date(2026, 3, 10, 9, 0, 0, 0, testLoc))
	if sp, ok := firstEffect[SavePerson](effects); !ok || sp.Person.Channel != "tg" {
		t.Errorf("/kenh telegram: got %v (%q), want the channel set to tg", effects, joinReplies(replies))
	}
}

// firstEffect returns the first of effects of type E.
func firstEffect[E Effect](effects []Effect) (E, bool) {
	for _, e := range effects {
		if e, ok := e.(E); ok {
			return e, true
		}
	}
	var zero E
	return zero, false
}
