package flows

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

var leaderNow = time.Date(2026, 3, 25, 9, 0, 0, 0, testLoc)

// leaderWorld is the test directory with a report from each unit for 2026-Q1.
func leaderWorld(tb testing.TB) *world {
	tb.Helper()
	w := newWorld(tb)
	w.now = leaderNow
	for _, u := range []string{"tanphong-phunu", "tanphong-doan", "santhang-phunu"} {
		mustSeed(tb, w, u, "membership", "eligible=100", "members=90", "active=85", "at=2026-03-10T09:00")
	}
	w.people["lan"] = Person{ID: "lan", Units: []string{"tanphong-phunu"}}
	return w
}

func mustSeed(tb testing.TB, w *world, unit, form string, kv ...string) {
	tb.Helper()
	if err := w.seed(unit, "2026-Q1", form, kv); err != nil {
		tb.Fatalf("seed %s: %v", unit, err)
	}
}

// stepAs runs one step for p the way the dispatcher will: Wants, load, Step.
func stepAs(w *world, p Person, st State, in Input) (State, []Reply, []Effect, Want) {
	env := w.env
	env.Person = p
	env.Reports = w.reports(p)
	want := Wants(&env, st, in, w.now)
	w.load(&env, want)
	next, replies, effects := Step(&env, st, in, w.now)
	return next, replies, effects, want
}

var roles = map[string]Person{
	"ward":      {ID: "ward", Scopes: []string{"tanphong"}},
	"chair":     {ID: "chair", Scopes: []string{"laichau@phunu"}},
	"city":      {ID: "city", Scopes: []string{"laichau"}},
	"admin":     {ID: "admin", Admin: true},
	"organiser": {ID: "lan", Units: []string{"tanphong-phunu"}},
	"stranger":  {ID: "x"},
	"empty":     {ID: "ghost", Scopes: []string{"nowhere"}},
}

// TestLeaderScopes: every role sees exactly its scope, for every button a client could send.
func TestLeaderScopes(t *testing.T) {
	tests := []struct {
		data    string
		allowed string // the roles that may, space-separated
	}{
		{"*|fig|2026-Q1 laichau - -", "city admin"},
		{"*|fig|2026-Q1 laichau - o", "city admin"},
		{"*|fig|2026-Q1 tanphong - p", "ward city admin"},
		{"*|fig|2026-Q1 laichau phunu -", "chair city admin"},
		{"*|fig|2026-Q1 santhang phunu -", "chair city admin"},
		{"*|fig|2026-Q1 santhang - -", "city admin"},
		{"*|fig|2026-Q1 tanphong doan -", "ward city admin"},
		{"*|unit|2026-Q1 santhang-phunu", "chair city admin"},
		{"*|unit|2026-Q1 tanphong-doan", "ward city admin"},
		{"*|unit|2026-Q1 tanphong-phunu", "ward chair city admin organiser"},
		{"*|fig|2026-Q1 tanphong-phunu - -", "ward chair city admin organiser"},
		{"*|ret|2026-Q1 tanphong-phunu membership 1", "ward chair city admin"},
		{"*|nudge|2026-Q1 tanphong-doan", "ward city admin"},
		{"*|nudgeall|2026-Q1 santhang -", "city admin"},
		{"*|miss|2026-Q1 0 santhang -", "city admin"},
		{"*|chart|2026-Q1 laichau - 1.5", "city admin"},
		{"*|xlsx|2026-Q1 tanphong phunu", "ward chair city admin"},
		{"*|csv|2026-Q1 laichau doan", "city admin"},
	}
	for _, tt := range tests {
		for role, p := range roles {
			w := leaderWorld(t)
			_, replies, effects, want := stepAs(w, p, State{}, Input{Kind: ButtonInput, Data: tt.data})
			allowed := strings.Contains(" "+tt.allowed+" ", " "+role+" ")
			refused := len(replies) > 0 && (replies[0].Text == TFor(p, VI, "refuse") || replies[0].Text == T(VI, "stranger", OfficeName(Text{}, VI)))
			if refused == allowed {
				t.Errorf("%s by %s: got refused %v, want %v (%q)", tt.data, role, refused, !allowed, allText(replies))
			}
			if !allowed {
				assertNothingLeaks(t, tt.data+" by "+role, replies, effects, want)
			}
			assertShortData(t, tt.data, replies)
		}
	}
}

// assertNothingLeaks checks a refusal: no effects, no file, no names, nothing loaded.
func assertNothingLeaks(tb testing.TB, name string, replies []Reply, effects []Effect, want Want) {
	tb.Helper()
	if len(effects) != 0 {
		tb.Errorf("%s: got effects %v, want none", name, effects)
	}
	if len(want.Tallies)+len(want.Progress)+len(want.History) != 0 {
		tb.Errorf("%s: got want %+v, want nothing loaded", name, want)
	}
	for _, r := range replies {
		if r.Attach != nil || len(r.Buttons) > 0 || strings.Contains(r.Text, "Tân Phong") || strings.Contains(r.Text, "San Thàng") {
			tb.Errorf("%s: got reply %+v, want a refusal naming nothing", name, r)
		}
	}
}

// TestLeaderCommands: each role's commands start from its own scope and show nothing beyond it.
func TestLeaderCommands(t *testing.T) {
	tests := []struct {
		role, cmd string
		want      string
		never     []string
	}{
		{"ward", "figures", "Phường Tân Phong\nSố đơn vị: 2", []string{"San Thàng"}},
		{"chair", "figures", "Hội LHPN · Thành phố Lai Châu\nSố đơn vị: 2", []string{"Đoàn TN"}},
		{"city", "figures", "Thành phố Lai Châu\nSố đơn vị: 3", nil},
		{"admin", "figures", "Thành phố Lai Châu\nSố đơn vị: 3", nil},
		{"organiser", "figures", "🏠 Hội LHPN · Phường Tân Phong", []string{"Đoàn TN", "San Thàng"}},
		{"empty", "figures", TFor(roles["empty"], VI, "no_scope", OfficeName(Text{}, VI)), []string{"Tân Phong"}},
		{"chair", "missing", "Hội viên: 0/2 chưa nộp · Hoạt động: 2/2 chưa nộp", []string{"Đoàn TN"}},
		{"ward", "missing", "Hội viên: 0/2 chưa nộp · Hoạt động: 2/2 chưa nộp", []string{"San Thàng"}},
		{"organiser", "missing", "Hội viên: 0/1 chưa nộp · Hoạt động: 1/1 chưa nộp", []string{"Đoàn TN", "San Thàng"}},
		{"chair", "export", "Hội LHPN · Thành phố Lai Châu", nil},
		{"empty", "chart", TFor(roles["empty"], VI, "no_scope", OfficeName(Text{}, VI)), nil},
		{"stranger", "figures", T(VI, "stranger", OfficeName(Text{}, VI)), nil},
	}
	for _, tt := range tests {
		w := leaderWorld(t)
		_, replies, effects, _ := stepAs(w, roles[tt.role], State{}, Input{Kind: CommandInput, Command: tt.cmd})
		got := allText(replies)
		if !strings.Contains(got, tt.want) {
			t.Errorf("/%s by %s: got %q, want it to contain %q", tt.cmd, tt.role, got, tt.want)
		}
		for _, n := range tt.never {
			if strings.Contains(got, n) {
				t.Errorf("/%s by %s: got %q, want no %q", tt.cmd, tt.role, got, n)
			}
		}
		if len(effects) != 0 {
			t.Errorf("/%s by %s: got effects %v, want none", tt.cmd, tt.role, effects)
		}
	}
}

func allText(replies []Reply) string {
	var b strings.Builder
	for _, r := range replies {
		b.WriteString(r.Text + "\n")
		for _, row := range r.Buttons {
			for _, btn := range row {
				b.WriteString(btn.Label + "\n")
			}
		}
	}
	return b.String()
}

// TestForgedLeaderData: garbage or made-up button data gets a refusal and changes nothing.
func TestForgedLeaderData(t *testing.T) {
	for _, data := range []string{
		"*|fig|", "*|fig|2026-Q9 laichau - -", "*|fig|2026-Q1 laichau", "*|unit|2026-Q1 nowhere",
		"*|ret|2026-Q1 tanphong-phunu membership x", "*|ret|2026-Q1 tanphong-phunu secret 1",
		"*|fig|2026-Q1 laichau ghostorg -", "*|xlsx|2026-Q1 - -", "*|chart|2026-Q1 laichau - 9.9",
		"*|reo|2026-Q1 santhang-phunu membership", "*|nudge|2026-Q1 laichau",
	} {
		w := leaderWorld(t)
		p := roles["ward"]
		if strings.Contains(data, "reo") {
			p = roles["organiser"]
		}
		st := State{Version: 4}
		next, replies, effects, _ := stepAs(w, p, st, Input{Kind: ButtonInput, Data: data})
		if len(replies) != 1 || replies[0].Text != TFor(p, VI, "refuse") {
			t.Errorf("%s: got %q, want one refusal", data, allText(replies))
		}
		if len(effects) != 0 || next.Screen != Idle || next.Return != nil {
			t.Errorf("%s: got effects %v, state %+v, want nothing changed", data, effects, next)
		}
	}
}

// TestReturnRechecks: a return is refused when the reason arrives after the leader lost the
// unit from their scope, or after the unit resubmitted.
func TestReturnRechecks(t *testing.T) {
	st := State{Version: 5, Screen: ReturnReason, Return: &ReturnTarget{Key: Key{Unit: "tanphong-phunu", Period: "2026-Q1", Form: "membership"}, Version: 1}}
	tests := []struct {
		name     string
		person   Person
		version  int
		wantText string
	}{
		{"scope lost", Person{ID: "ward", Scopes: []string{"santhang"}}, 1, "ngoài phạm vi đồng chí được xem"},
		{"resubmitted meanwhile", roles["ward"], 2, T(VI, "ret_moved")},
		{"as shown", roles["ward"], 1, "Đã trả lại"},
	}
	for _, tt := range tests {
		w := leaderWorld(t)
		s := w.subs[st.Return.Key]
		s.Version = tt.version
		w.subs[st.Return.Key] = s
		next, replies, effects, _ := stepAs(w, tt.person, st, Input{Kind: TextInput, Text: "sai số"})
		if got := allText(replies); !strings.Contains(got, tt.wantText) {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.wantText)
		}
		if want := tt.name == "as shown"; (len(effects) > 0) != want || next.Screen != Idle {
			t.Errorf("%s: got effects %v screen %q, want effects %v and idle", tt.name, effects, next.Screen, want)
		}
	}
}

// TestNoReturnOnceClosed: a report of a closed period cannot be returned, since nobody could
// correct it any more: no button, a forged press and a reason typed after the close are refused.
func TestNoReturnOnceClosed(t *testing.T) {
	w := leaderWorld(t)
	w.now = time.Date(2026, 7, 1, 9, 0, 0, 0, w.env.Calendar.Loc) // Q1 closed in June
	if p, _ := w.env.Calendar.Period("2026-Q1"); w.now.Before(p.Closes) {
		t.Fatalf("fixture: want 2026-Q1 closed at %v, it closes %v", w.now, p.Closes)
	}
	_, replies, _, _ := stepAs(w, roles["ward"], State{Version: 3}, Input{Kind: ButtonInput, Data: "*|unit|2026-Q1 tanphong-phunu"})
	if got := allText(replies); strings.Contains(got, "Trả lại") || !strings.Contains(got, "Phiên bản 1") {
		t.Errorf("unit view of a closed period: got %q, want no return button", got)
	}
	for _, tt := range []struct {
		name string
		st   State
		in   Input
	}{
		{"forged press", State{Version: 3}, Input{Kind: ButtonInput, Data: "*|ret|2026-Q1 tanphong-phunu membership 1"}},
		{"reason after the close", State{Version: 3, Screen: ReturnReason, Return: &ReturnTarget{
			Key: Key{Unit: "tanphong-phunu", Period: "2026-Q1", Form: "membership"}, Version: 1}}, Input{Kind: TextInput, Text: "sai số"}},
	} {
		next, replies, effects, _ := stepAs(w, roles["ward"], tt.st, tt.in)
		if got := allText(replies); !strings.Contains(got, "đã đóng") || len(effects) != 0 || next.Screen == ReturnReason {
			t.Errorf("%s: got %q, effects %v, screen %q; want the period closed and nothing changed", tt.name, got, effects, next.Screen)
		}
	}
}

// TestParsePeriod: what leaders type for a period.
func TestParsePeriod(t *testing.T) {
	cal := testCalendar()
	tests := []struct{ in, want string }{
		{"", "2026-Q1"}, {"2026-Q1", "2026-Q1"}, {"2026-q1", "2026-Q1"}, {"Q1", "2026-Q1"}, {"quý 1", "2026-Q1"},
		{"Quý I", "2026-Q1"}, {"q1/2025", "2025-Q1"}, {"6 tháng", "2025-H1"}, {"6 tháng 2026", "2026-H1"},
		{"9 tháng", "2025-Q3"}, {"năm 2025", "2025-Y"}, {"năm", "2025-Y"}, {"2024", "2024-Y"}, {"kỳ q1 2026", "2026-Q1"},
		{"quý 2", ""}, {"abc", ""}, {"q1/20266", ""},
		// the labels the bot writes, typed back
		{"quý I năm 2026", "2026-Q1"}, {"6 tháng đầu năm 2026", "2026-H1"}, {"9 tháng năm 2025", "2025-Q3"},
		{"Năm 2025", "2025-Y"}, {"Q1 2026", "2026-Q1"}, {"First half 2026", "2026-H1"}, {"first half of 2026", "2026-H1"},
		{"Nine months 2025", "2025-Q3"}, {"Year 2025", "2025-Y"}, {"Năm/2025", "2025-Y"},
	}
	for _, tt := range tests {
		p, ok := cal.ParsePeriod(tt.in, leaderNow)
		if got := map[bool]string{true: p.ID, false: ""}[ok]; got != tt.want {
			t.Errorf("ParsePeriod(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestPeriodLabels: periods are named as officials write them, and every label reads back as
// its period.
func TestPeriodLabels(t *testing.T) {
	cal := testCalendar()
	want := map[string][2]string{
		"Q1": {"Quý I năm 2026", "Q1 2026"}, "H1": {"6 tháng đầu năm 2026", "First half 2026"},
		"Q3": {"9 tháng năm 2026", "Nine months 2026"}, "Y": {"Năm 2026", "Year 2026"},
	}
	for _, s := range cal.Specs {
		p := cal.Make(s, 2026)
		for i, lang := range []Lang{VI, EN} {
			if got := p.Label(lang); got != want[string(s.Kind)][i] {
				t.Errorf("%s.Label(%s): got %q, want %q", p.ID, lang, got, want[string(s.Kind)][i])
			}
			for _, typed := range []string{p.Label(lang), strings.ToLower(p.Label(lang))} {
				if q, ok := cal.ParsePeriod(typed, leaderNow); !ok || q.ID != p.ID {
					t.Errorf("ParsePeriod(%q): got %s %t, want %s", typed, q.ID, ok, p.ID)
				}
			}
		}
	}
}

// TestDefaultPeriod: the open period most recently due, else the one being reported, else the
// last one due.
func TestDefaultPeriod(t *testing.T) {
	cal := testCalendar()
	tests := []struct {
		now  time.Time
		want string
	}{
		{time.Date(2026, 3, 10, 9, 0, 0, 0, testLoc), "2026-Q1"},
		{time.Date(2026, 3, 25, 9, 0, 0, 0, testLoc), "2026-Q1"},
		{time.Date(2026, 1, 20, 9, 0, 0, 0, testLoc), "2025-Y"},
		{time.Date(2026, 7, 1, 9, 0, 0, 0, testLoc), "2026-H1"},
	}
	for _, tt := range tests {
		if p, _ := cal.DefaultPeriod(tt.now); p.ID != tt.want {
			t.Errorf("DefaultPeriod(%s): got %s, want %s", tt.now, p.ID, tt.want)
		}
	}
}

// TestAggMetAtTarget: a count with Share must be above it: 19 of 20 units (95%) do not meet
// "> 95%", 39 of 40 do; a rate must be above Min; an average is within Min–Max, ends included.
func TestAggMetAtTarget(t *testing.T) {
	share := Indicator{ID: "s", Num: "m", Min: 1, Share: 0.95}
	rate := Indicator{ID: "r", Num: "a", Den: "b", Min: 0.85}
	avg := Indicator{ID: "v", Num: "m", Min: 1, Max: 2}
	tests := []struct {
		name string
		ind  Indicator
		tl   Tally
		want string
	}{
		{"share at target", share, Tally{Reported: 20, Met: map[string]int{"s": 19}}, "⚠️"},
		{"share above target", share, Tally{Reported: 40, Met: map[string]int{"s": 39}}, "✅"},
		{"rate at target", rate, Tally{Reported: 1, Sums: map[string]int64{"a": 85, "b": 100}}, "⚠️"},
		{"average at Max", avg, Tally{Reported: 2, Sums: map[string]int64{"m": 4}}, "✅"},
	}
	for _, tt := range tests {
		fig := Evaluate(tt.ind, tt.tl)
		if got := aggMark(tt.ind, fig); got != tt.want {
			t.Errorf("%s: aggMark(%+v) = %s, want %s", tt.name, fig, got, tt.want)
		}
		if got := AggMet(tt.ind, fig.Value); got != (tt.want == "✅") {
			t.Errorf("%s: AggMet(%v) = %t", tt.name, fig.Value, got)
		}
	}
}

// TestShareAndAverageLines: a count with Share shows units meeting ÷ reported against the
// share; without, the average per unit against Min–Max.
func TestShareAndAverageLines(t *testing.T) {
	w := leaderWorld(t)
	w.env.Indicators = []Indicator{
		{ID: "1.4", Name: Text{Vi: "Có mô hình"}, Form: "activities", Num: "models", Min: 1, Share: 0.95},
		{ID: "1.4b", Name: Text{Vi: "Buổi sinh hoạt"}, Form: "activities", Num: "meetings", Min: 1, Max: 2},
	}
	mustSeed(t, w, "tanphong-phunu", "activities", "meetings=1", "models=1", "petitions=0", "resolved=0")
	mustSeed(t, w, "tanphong-doan", "activities", "meetings=4", "models=0", "petitions=0", "resolved=0")
	_, replies, _, _ := stepAs(w, roles["city"], State{}, Input{Kind: CommandInput, Command: "figures"})
	got := allText(replies)
	for _, want := range []string{
		"⚠️ 1.4 Có mô hình: 50% đơn vị (mục tiêu > 95% đơn vị đạt ≥ 1)", "= 1 ÷ 2 đơn vị đã báo cáo",
		"⚠️ 1.4b Buổi sinh hoạt: trung bình 2,5/đơn vị (mục tiêu 1–2)", "= 5 (Số buổi sinh hoạt) ÷ 2 đơn vị đã báo cáo",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("got %q, want it to contain %q", got, want)
		}
	}
}

// bigDirectory makes a city of wards × units per ward, each unit of one of two organisations.
func bigDirectory(tb testing.TB, wards, perWard int) *Directory {
	tb.Helper()
	nodes := []Node{{ID: "city", Name: Text{Vi: "Thành phố"}}}
	orgs := []string{"phunu", "doan"}
	for w := range wards {
		ward := fmt.Sprintf("w%d", w)
		nodes = append(nodes, Node{ID: ward, Name: Text{Vi: "Phường " + ward}, Parent: "city"})
		for u := range perWard {
			nodes = append(nodes, Node{ID: fmt.Sprintf("%s-u%d", ward, u), Name: Text{Vi: "Đơn vị"}, Parent: ward, Org: orgs[u%2]})
		}
	}
	d, err := NewDirectory(mustDirectory(tb).Orgs(), nodes)
	if err != nil {
		tb.Fatalf("directory: %v", err)
	}
	return d
}

// TestWantsBounded: the tallies a figures view names depend on the tree's shape, not on how
// many units there are.
func TestWantsBounded(t *testing.T) {
	count := func(perWard int) int {
		env := Env{Person: Person{ID: "a", Admin: true}, Dir: bigDirectory(t, 10, perWard), Forms: testForms(), Calendar: testCalendar()}
		n := 0
		for _, mode := range []string{"", "o", "p"} {
			in := Input{Kind: ButtonInput, Data: "*|fig|2026-Q1 city - " + dash(mode)}
			n += len(Wants(&env, State{}, in, leaderNow).Tallies)
		}
		return n
	}
	if small, big := count(2), count(1000); small != big || small == 0 {
		t.Errorf("got %d tallies for 20 units and %d for 10.000, want the same, more than 0", small, big)
	}
}

// TestMissingPages: a long /missing list comes a page at a time, each within Telegram's limit.
func TestMissingPages(t *testing.T) {
	w := newWorld(t)
	w.env.Dir, w.fullDir, w.now = bigDirectory(t, 3, 9), nil, leaderNow
	p := Person{ID: "a", Admin: true}
	_, replies, _, _ := stepAs(w, p, State{}, Input{Kind: CommandInput, Command: "missing"})
	if len(replies) != 1 || !strings.Contains(replies[0].Text, "Trang 1/3") || len([]rune(replies[0].Text)) > maxText {
		t.Fatalf("got %q, want page 1 of 3 within %d characters", allText(replies), maxText)
	}
	_, replies, _, _ = stepAs(w, p, State{}, Input{Kind: ButtonInput, Data: "*|miss|2026-Q1 2 city -"})
	if got := allText(replies); !strings.Contains(got, "Trang 3/3") || !strings.Contains(got, "Trang trước") || strings.Contains(got, "Trang sau") {
		t.Errorf("got %q, want the last page with only a way back", got)
	}
}

// BenchmarkFigures measures one /figures step for a city of 10.000 units (tallies already
// loaded): the flows part of the ≤ 50 ms budget.
func BenchmarkFigures(b *testing.B) {
	env := Env{Person: Person{ID: "a", Admin: true}, Dir: bigDirectory(b, 100, 100), Forms: testForms(),
		Calendar: testCalendar(), Indicators: testIndicators(), Tallies: map[TallyKey]Tally{}}
	in := Input{Kind: ButtonInput, Data: "*|fig|2026-Q1 city - p"}
	for _, k := range Wants(&env, State{}, in, leaderNow).Tallies {
		env.Tallies[k] = Tally{Reported: 50, Late: 3, Sums: map[string]int64{"eligible": 5000, "members": 4500, "active": 4000}}
	}
	b.ReportAllocs()
	for b.Loop() {
		Step(&env, State{}, in, leaderNow)
	}
}

// assertShortData checks every button's data fits Telegram's 64 bytes of callback data.
func assertShortData(tb testing.TB, name string, replies []Reply) {
	tb.Helper()
	for _, r := range replies {
		for _, row := range r.Buttons {
			for _, b := range row {
				if len(b.Data) > 64 {
					tb.Errorf("%s: got button data %q of %d bytes, want at most 64", name, b.Data, len(b.Data))
				}
			}
		}
	}
}

// TestNudgeNobody: a unit nobody was invited for has no one to nudge, and the leader is told
// how to fix that instead of being told a nudge went out.
func TestNudgeNobody(t *testing.T) {
	w := leaderWorld(t)
	_, replies, effects, _ := stepAs(w, roles["city"], State{Version: 2}, Input{Kind: ButtonInput, Data: "*|nudge|2026-Q1 santhang-phunu"})
	if got := allText(replies); !strings.Contains(got, "/invite") || len(effects) != 0 {
		t.Errorf("got %q and effects %v, want the invite hint and no reminder", got, effects)
	}
}

// TestReopenKeepsTheNotice: "Mở lại báo cáo" sits under the return notice, the only message that
// holds the leader's reason. The reopened report comes as new messages below it, never over it,
// whether the report is still returned (the reason is repeated above the summary) or was
// resubmitted since the notice was sent.
func TestReopenKeepsTheNotice(t *testing.T) {
	k := Key{Unit: "tanphong-phunu", Period: "2026-Q1", Form: "membership"}
	for _, returned := range []bool{true, false} {
		w := leaderWorld(t)
		if returned {
			s := w.subs[k]
			s.Returned = &Return{By: "ward", At: leaderNow, Reason: "Sai số hội viên"}
			w.subs[k] = s
		}
		_, replies, _, _ := stepAs(w, roles["organiser"], State{Version: 4}, Input{Kind: ButtonInput, Data: "*|reo|2026-Q1 tanphong-phunu membership"})
		if len(replies) == 0 {
			t.Fatalf("returned %t: got no reply", returned)
		}
		for i, r := range replies {
			if r.Edit {
				t.Errorf("returned %t: reply %d %q edits the notice, want a new message", returned, i+1, r.Text)
			}
		}
		if got := allText(replies); returned && !strings.Contains(got, "Sai số hội viên") {
			t.Errorf("returned: got %q, want the reason repeated", got)
		}
	}
}
