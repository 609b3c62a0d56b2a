package config

import (
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"danvan/flows"
)

func TestDefaultValidates(t *testing.T) {
	c := Default()
	if err := c.Validate(); err != nil {
		t.Fatalf("Default().Validate(): got %v, want nil", err)
	}
	counts := []struct {
		name      string
		got, want int
	}{
		{"orgs", len(c.Orgs), 6},
		// the province and its 6 bodies, 38 communes and wards with 5 units each, and the 2023
		// city (its 6 bodies, 7 wards and communes with 5 units each) as history
		{"units", len(c.Units), 1 + 6 + 38*6 + 1 + 6 + 7*6},
		{"forms", len(c.Forms), 2},
		{"calendar", len(c.Calendar), 4},
		{"plans", len(c.Plans), 1},
		{"targets", len(c.Indicators()), 6},
	}
	for _, n := range counts {
		if n.got != n.want {
			t.Errorf("len(%s): got %d, want %d", n.name, n.got, n.want)
		}
	}
}

func TestDefaultDirectory(t *testing.T) {
	d, err := Default().Directory()
	if err != nil {
		t.Fatalf("Directory(): got %v, want nil", err)
	}
	city, province := flows.Date(20250615), flows.Date(20250915)
	tests := []struct {
		day   flows.Date
		scope string
		want  int
	}{
		{0, "", 6 + 38*5 + 6 + 7*5}, // the whole history
		{province, "", 6 + 38*5},
		{province, "lc", 6 + 38*5},
		{province, "lc-tanphong", 5},
		{province, "laichau", 0},
		{city, "", 6 + 7*5},
		{city, "lc", 6 + 7*5},
		{city, "laichau", 6 + 7*5},
		{city, "tanphong", 5},
		{city, "namloong", 5},
	}
	for _, tt := range tests {
		if got := len(d.At(tt.day).Units(tt.scope)); got != tt.want {
			t.Errorf("len(At(%v).Units(%q)): got %d, want %d", tt.day, tt.scope, got, tt.want)
		}
	}
	if got := d.At(province).ChildPlaces("lc"); len(got) != 38 {
		t.Errorf("communes and wards in force on %v: got %d, want 38", province, len(got))
	}
	preds := []struct {
		id   string
		want []string
	}{
		{"lc-tanphong", []string{"tanphong", "dongphong", "santhang"}},
		{"lc-tanphong-phunu", []string{"tanphong-phunu", "dongphong-phunu", "santhang-phunu"}},
		{"lc-doanket-mttq", []string{"doanket-mttq", "quyettien-mttq", "quyetthang-mttq"}},
		{"lc-muongkim-phunu", nil},
	}
	for _, tt := range preds {
		if got := d.Predecessors(tt.id); !slices.Equal(got, tt.want) {
			t.Errorf("Predecessors(%s): got %v, want %v", tt.id, got, tt.want)
		}
	}
	labels := []struct {
		id   string
		lang flows.Lang
		want string
	}{
		{"tanphong-phunu", flows.VI, "Hội LHPN · Phường Tân Phong"},
		{"tanphong-phunu", flows.EN, "Women's Union · Tan Phong ward"},
		{"laichau-congdoan", flows.VI, "Công đoàn · Thành phố Lai Châu"},
		{"namloong", flows.VI, "Xã Nậm Loỏng"},
		{"lc-tanphong-phunu", flows.VI, "Hội LHPN · Phường Tân Phong"},
		{"lc-congdoan", flows.VI, "Công đoàn · Tỉnh Lai Châu"},
		{"lc-khonglao", flows.VI, "Xã Khổng Lào"},
	}
	for _, tt := range labels {
		if got := d.Label(tt.id, tt.lang); got != tt.want {
			t.Errorf("Label(%q, %s): got %q, want %q", tt.id, tt.lang, got, tt.want)
		}
	}
}

func TestDefaultForms(t *testing.T) {
	c := Default()
	for _, f := range c.Forms {
		if err := f.Validate(); err != nil {
			t.Errorf("form %s: got %v, want nil", f.ID, err)
		}
	}
	m := c.Forms[0]
	if got := len(m.For(flows.Q1)); got != 4 {
		t.Errorf("membership questions in Q1: got %d, want 4", got)
	}
	if got := len(m.For(flows.Year)); got != 6 {
		t.Errorf("membership questions in Y: got %d, want 6", got)
	}
}

func TestFlowsCalendar(t *testing.T) {
	cal := Default().FlowsCalendar()
	if got, want := cal.Loc.String(), "Asia/Ho_Chi_Minh"; got != want {
		t.Fatalf("Loc: got %v, want %v", got, want)
	}
	p, ok := cal.Period("2026-Q1")
	if !ok {
		t.Fatalf("Period(2026-Q1): got none, want one")
	}
	if got, want := p.Due, time.Date(2026, 3, 15, 23, 59, 59, 0, cal.Loc); !got.Equal(want) {
		t.Errorf("Q1 due: got %v, want %v", got, want)
	}
	tests := []struct {
		now  time.Time
		want []string
	}{
		{time.Date(2026, 3, 1, 9, 0, 0, 0, cal.Loc), []string{"2026-Q1"}},
		{time.Date(2026, 11, 1, 9, 0, 0, 0, cal.Loc), []string{"2026-Y", "2026-Q3"}},
		// the windows overlap, so some period is open every day of the year
		{time.Date(2026, 2, 1, 9, 0, 0, 0, cal.Loc), []string{"2026-Q1", "2025-Y"}},
		{time.Date(2026, 6, 10, 9, 0, 0, 0, cal.Loc), []string{"2026-H1", "2026-Q1"}},
	}
	for _, tt := range tests {
		var got []string
		for _, p := range cal.Open(tt.now) {
			got = append(got, p.ID)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Open(%v): got %v, want %v", tt.now, got, tt.want)
		}
	}
}

func TestDefaultCalendarHasNoGaps(t *testing.T) {
	cal := Default().FlowsCalendar()
	for d := time.Date(2026, 1, 1, 0, 0, 0, 0, cal.Loc); d.Year() == 2026; d = d.Add(12 * time.Hour) {
		if len(cal.Open(d)) == 0 {
			t.Fatalf("Open(%v): got no period, want one", d)
		}
	}
}

func TestAccessors(t *testing.T) {
	c := Default()
	c.Admins = []int64{7}
	c.LogLevel = "DEBUG"
	checks := []struct {
		name      string
		got, want any
	}{
		{"IsAdmin(7)", c.IsAdmin(7), true},
		{"IsAdmin(8)", c.IsAdmin(8), false},
		{"Webhook()", c.Webhook(), false},
		{"SlogLevel()", c.SlogLevel(), slog.LevelDebug},
		{"InviteTTL", c.InviteTTL, 168 * time.Hour},
		{"FileTTL", c.FileTTL, time.Hour},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s: got %v, want %v", ch.name, ch.got, ch.want)
		}
	}
}

// TestDefault14b: the plan asks each unit for 01–02 "Dân vận khéo" exemplars; a unit with three
// has not failed. A unit meets 1.4b with at least one, and many units are judged by the share
// of them that have one: an average would hide the units with none.
func TestDefault14b(t *testing.T) {
	c := Default()
	targets := c.Indicators()
	i := slices.IndexFunc(targets, func(ind flows.Indicator) bool { return ind.ID == "1.4b" })
	if i < 0 {
		t.Fatal("no 1.4b among the default targets")
	}
	ind := targets[i]
	var f flows.Form
	for _, form := range c.Forms {
		if form.ID == ind.Form {
			f = form
		}
	}
	due := time.Date(2026, 3, 15, 23, 59, 59, 0, c.Location())
	var all flows.Tally
	for ex, met := range map[int64]bool{0: false, 1: true, 2: true, 3: true, 7: true} {
		s := &flows.Submission{Key: flows.Key{Form: ind.Form}, Values: map[string]int64{ind.Num: ex}, At: due.Add(-time.Hour)}
		tl := flows.Contribution(s, targets, due)
		if got := tl.Met[ind.ID] == 1; got != met {
			t.Errorf("a unit with %d exemplars: met %v, want %v", ex, got, met)
		}
		lines := flows.IndicatorLines([]flows.Indicator{ind}, f, flows.Q1, s.Values, flows.VI)
		if want := map[bool]string{true: "✅", false: "⚠️"}[met]; len(lines) != 1 || !strings.HasPrefix(lines[0], want) {
			t.Errorf("a unit with %d exemplars: got %q, want it marked %s", ex, lines, want)
		}
		all.Add(tl)
	}
	fig := flows.Evaluate(ind, all)
	if !fig.OK || !fig.Percent || fig.Value != 0.8 || fig.Met || fig.Target != 0.95 {
		t.Errorf("five units, four with an exemplar: got %+v, want 80%% of units against > 95%%", fig)
	}
}
