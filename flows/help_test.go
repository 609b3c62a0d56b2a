package flows

import (
	"fmt"
	"strings"
	"testing"
)

// TestHelpListsEveryCommand: /help lists every command the person's roles allow, and none they
// may not use, for each role and for several roles at once.
func TestHelpListsEveryCommand(t *testing.T) {
	all := []string{"/report", "/mine", "/figures", "/missing", "/chart", "/export", "/baocao", "/mohinh", "/invite", "/calendar", "/reminders",
		"/remind ", "/lienket", "/kenh", "/cancel", "/lang", "/help"}
	tests := []struct {
		name string
		p    Person
		want []string // of all, the commands listed
	}{
		{"organiser", Person{ID: "o", Units: []string{"tanphong-phunu"}},
			[]string{"/report", "/mine", "/figures", "/missing", "/chart", "/export", "/mohinh", "/lienket", "/kenh", "/cancel", "/lang", "/help"}},
		{"leader", Person{ID: "l", Scopes: []string{"tanphong"}},
			[]string{"/figures", "/missing", "/chart", "/export", "/baocao", "/mohinh", "/lienket", "/kenh", "/cancel", "/lang", "/help"}},
		{"admin", Person{ID: "a", Admin: true},
			[]string{"/figures", "/missing", "/chart", "/export", "/baocao", "/mohinh", "/invite", "/calendar", "/reminders", "/remind ", "/lienket", "/kenh",
				"/cancel", "/lang", "/help"}},
		{"admin and organiser", Person{ID: "ao", Admin: true, Units: []string{"santhang-phunu"}}, all},
		{"leader and organiser", Person{ID: "lo", Scopes: []string{"laichau@phunu"}, Units: []string{"tanphong-doan"}},
			[]string{"/report", "/mine", "/figures", "/missing", "/chart", "/export", "/baocao", "/mohinh", "/lienket", "/kenh", "/cancel", "/lang", "/help"}},
		{"leader of a scope gone", Person{ID: "g", Scopes: []string{"nowhere"}},
			[]string{"/lienket", "/kenh", "/cancel", "/lang", "/help"}},
	}
	dir := mustDirectory(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Help(tt.p, dir, testChannels(), VI)
			for _, cmd := range all {
				listed := strings.Contains(got, "\n"+cmd)
				if want := containsStr(tt.want, cmd); listed != want {
					t.Errorf("%s listed: got %v, want %v in\n%s", cmd, listed, want, got)
				}
			}
		})
	}
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestOrganiserOfTwoUnitsSeesBoth: /figures, /chart and /export of an organiser of two units
// cover both, not only the first.
func TestOrganiserOfTwoUnitsSeesBoth(t *testing.T) {
	w := leaderWorld(t)
	p := Person{ID: "lan", Units: []string{"tanphong-phunu", "santhang-phunu"}}
	w.people["lan"] = p
	_, replies, _, _ := stepAs(w, p, State{}, Input{Kind: CommandInput, Command: "figures"})
	got := allText(replies)
	for _, want := range []string{"🏠 Hội LHPN · Phường Tân Phong", "🏠 Hội LHPN · Xã San Thàng", "Số quần chúng trong diện tập hợp: 100"} {
		if !strings.Contains(got, want) {
			t.Errorf("/figures: got %q, want it to contain %q", got, want)
		}
	}
	for _, cmd := range []string{"chart", "export"} {
		_, replies, _, _ := stepAs(w, p, State{}, Input{Kind: CommandInput, Command: cmd})
		if len(replies) != 1 || replies[0].Attach == nil {
			t.Fatalf("/%s: got %+v, want one attachment", cmd, replies)
		}
		a := replies[0].Attach
		views := Narrow(p, w.env.Dir, View{Node: a.Node, Org: a.Org})
		if units := w.env.Dir.ViewUnits(views...); len(units) != 2 {
			t.Errorf("/%s: attachment %+v covers %v, want both units", cmd, a, units)
		}
		if !strings.Contains(replies[0].Text, "phạm vi của bạn") {
			t.Errorf("/%s caption: got %q, want it to name the person's scope", cmd, replies[0].Text)
		}
	}
}

// TestHomesChooser: someone with more homes than one message each fits gets a button per home.
func TestHomesChooser(t *testing.T) {
	w := leaderWorld(t)
	orgs := w.env.Dir.Orgs()
	nodes := []Node{{ID: "tinh", Name: Text{Vi: "Tỉnh Lai Châu"}}}
	var scopes []string
	for i := range 5 {
		ward := fmt.Sprintf("p%d", i)
		nodes = append(nodes, Node{ID: ward, Name: Text{Vi: "Phường " + ward}, Parent: "tinh"},
			Node{ID: ward + "-phunu", Name: Text{Vi: "Hội LHPN " + ward}, Parent: ward, Org: "phunu"})
		scopes = append(scopes, ward)
	}
	dir, err := NewDirectory(orgs, nodes)
	if err != nil {
		t.Fatal(err)
	}
	w.env.Dir, w.fullDir = dir, dir
	p := Person{ID: "many", Scopes: scopes}
	_, replies, _, want := stepAs(w, p, State{}, Input{Kind: CommandInput, Command: "figures"})
	if len(replies) != 1 || len(replies[0].Buttons) != 5 {
		t.Fatalf("got %q, want one message with a button per home", allText(replies))
	}
	if len(want.Tallies)+len(want.Progress) != 0 {
		t.Errorf("wants: got %+v, want nothing loaded for a chooser", want)
	}
	p.Scopes = scopes[:4]
	if _, replies, _, _ = stepAs(w, p, State{}, Input{Kind: CommandInput, Command: "figures"}); len(replies) != 4 {
		t.Errorf("four homes: got %d messages, want one each", len(replies))
	}
}

// TestFormalAddress: leaders and admins are addressed as "đồng chí", organisers as "bạn"; what a
// text brings in (a name, a reason) is never rewritten.
func TestFormalAddress(t *testing.T) {
	dir := mustDirectory(t)
	tests := []struct {
		p    Person
		want string
	}{
		{Person{ID: "l", Name: "Hùng", Scopes: []string{"laichau"}}, "Xin chào đồng chí Hùng! Đồng chí có thể dùng các lệnh sau:"},
		{Person{ID: "a", Admin: true}, "Xin chào đồng chí! Đồng chí có thể dùng các lệnh sau:"},
		{Person{ID: "o", Name: "Lan", Units: []string{"tanphong-phunu"}}, "Xin chào Lan! Bạn có thể dùng các lệnh sau:"},
		{Person{ID: "o", Units: []string{"tanphong-phunu"}}, "Xin chào bạn! Bạn có thể dùng các lệnh sau:"},
	}
	for _, tt := range tests {
		if got := Help(tt.p, dir, nil, VI); !strings.HasPrefix(got, tt.want) {
			t.Errorf("Help(%s): got %q, want it to start %q", tt.p.ID, got, tt.want)
		}
	}
	leader := Person{ID: "l", Scopes: []string{"laichau"}}
	if got, want := TFor(leader, VI, "refuse"), "Xin lỗi, nội dung này nằm ngoài phạm vi đồng chí được xem."; got != want {
		t.Errorf("refuse: got %q, want %q", got, want)
	}
	if got, want := TFor(leader, VI, "ret_notice", "a", "b", "c", 1, "r", "bạn nhập sai"), "Lý do: bạn nhập sai"; !strings.Contains(got, want) {
		t.Errorf("a reason: got %q, want it kept as typed (%q)", got, want)
	}
	for in, want := range map[string]string{"bạn bè": "đồng chí bè", "Bạn.": "Đồng chí.", "bạnh": "bạnh", "abạn": "abạn"} {
		if got := comrade(in); got != want {
			t.Errorf("comrade(%q): got %q, want %q", in, got, want)
		}
	}
}

// TestEnglishNumbers: English readers get 1,250 and 88.1%; Vietnamese ones 1.250 and 88,1%.
func TestEnglishNumbers(t *testing.T) {
	tests := []struct {
		lang       Lang
		n, pct     string
		target, dc string
	}{
		{VI, "1.250", "88,1%", "> 87,5%", "1,5"},
		{EN, "1,250", "88.1%", "> 87.5%", "1.5"},
	}
	for _, tt := range tests {
		if got := FormatNumberIn(1250, tt.lang); got != tt.n {
			t.Errorf("FormatNumberIn(%s): got %q, want %q", tt.lang, got, tt.n)
		}
		if got := FormatPercentIn(0.8812, tt.lang); got != tt.pct {
			t.Errorf("FormatPercentIn(%s): got %q, want %q", tt.lang, got, tt.pct)
		}
		if got := TargetText(Indicator{Num: "a", Den: "b", Min: 0.875}, tt.lang); got != tt.target {
			t.Errorf("TargetText(%s): got %q, want %q", tt.lang, got, tt.target)
		}
		if got := formatDec(1.5, tt.lang); got != tt.dc {
			t.Errorf("formatDec(%s): got %q, want %q", tt.lang, got, tt.dc)
		}
	}
	w := leaderWorld(t)
	p := Person{ID: "city", Scopes: []string{"laichau"}, Lang: EN}
	mustSeed(t, w, "tanphong-phunu", "membership", "eligible=1250", "members=1100", "active=990")
	_, replies, _, _ := stepAs(w, p, State{}, Input{Kind: CommandInput, Command: "figures"})
	if got := allText(replies); !strings.Contains(got, "1,450") || strings.Contains(got, "1.450") || !strings.Contains(got, "88.3%") {
		t.Errorf("/figures in English: got %q, want 1,450 and 88.3%%", got)
	}
}

// TestStepName: the Vietnamese calendar names reminder steps in words, not configuration codes.
func TestStepName(t *testing.T) {
	tests := []struct {
		days   int
		digest bool
		lang   Lang
		want   string
	}{
		{-7, false, VI, "7 ngày trước hạn"},
		{0, false, VI, "ngày đến hạn"},
		{3, false, VI, "3 ngày sau hạn"},
		{1, true, VI, "tổng hợp gửi lãnh đạo 1 ngày sau hạn"},
		{-2, false, EN, "2 days before the due date"},
		{1, true, EN, "leaders' summary 1 day after the due date"},
	}
	for _, tt := range tests {
		if got := StepName(tt.days, tt.digest, tt.lang); got != tt.want {
			t.Errorf("StepName(%d, %v, %s): got %q, want %q", tt.days, tt.digest, tt.lang, got, tt.want)
		}
	}
	w := newWorld(t)
	w.env.Plan = &Plan{Ladder: []PlannedStep{{Period: "2026-Q1", Step: "-7d", Days: -7, At: w.now}}}
	env := w.env
	env.Person = Person{ID: "a", Admin: true}
	_, replies, _ := Step(&env, State{}, Input{Kind: CommandInput, Command: "calendar"}, w.now)
	if got := allText(replies); !strings.Contains(got, "(7 ngày trước hạn)") || strings.Contains(got, "(-7d)") {
		t.Errorf("/calendar: got %q, want the step in words", got)
	}
}
