package bot

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"math"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"danvan/config"
	"danvan/flows"
)

// fakeFigures is an in-memory FigureSource: its tallies are summed from its submissions with
// flows.Contribution, as the store keeps them.
type fakeFigures struct {
	dir  *flows.Directory
	inds []flows.Indicator
	cal  flows.Calendar
	subs map[flows.Key]flows.Submission
	ppl  map[string]flows.Person

	mu    sync.Mutex
	calls []string
}

func (f *fakeFigures) record(call string) {
	f.mu.Lock()
	f.calls = append(f.calls, call)
	f.mu.Unlock()
}

func (f *fakeFigures) Tallies(_ context.Context, keys []flows.TallyKey) (map[flows.TallyKey]flows.Tally, error) {
	f.record("Tallies")
	out := map[flows.TallyKey]flows.Tally{}
	for _, k := range keys {
		per, _ := f.cal.Period(k.Period)
		var t flows.Tally
		for key, s := range f.subs {
			n, ok := f.dir.Node(key.Unit)
			if !ok || key.Period != k.Period || key.Form != k.Form || !f.dir.Within(key.Unit, k.Node) ||
				(k.Org != flows.AllOrgs && n.Org != k.Org) {
				continue
			}
			addTally(&t, flows.Contribution(&s, f.inds, per.Due))
		}
		if t.Reported > 0 || t.Returned > 0 {
			out[k] = t
		}
	}
	return out, nil
}

func (f *fakeFigures) Submissions(_ context.Context, period string, units, forms []string) (map[flows.Key]flows.Submission, error) {
	f.record("Submissions")
	out := map[flows.Key]flows.Submission{}
	for k, s := range f.subs {
		if k.Period == period && slices.Contains(units, k.Unit) && slices.Contains(forms, k.Form) {
			out[k] = s
		}
	}
	return out, nil
}

func (f *fakeFigures) People(_ context.Context, ids []string) (map[string]flows.Person, error) {
	f.record("People")
	out := map[string]flows.Person{}
	for _, id := range ids {
		if p, ok := f.ppl[id]; ok {
			out[id] = p
		}
	}
	return out, nil
}

func (f *fakeFigures) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

// fixtureAt is a time in Vietnam in March 2026; Q1 2026 is due at the end of 15 March.
func fixtureAt(tb testing.TB, day, hour int) time.Time {
	tb.Helper()
	return time.Date(2026, 3, day, hour, 0, 0, 0, config.Default().Location())
}

// mustFileMaker wires a FileMaker on the default configuration and a fake with a few reports:
// Tân Phong's Women's Union on time and its Youth Union late, Đoàn Kết's Women's Union with
// zero eligible people, Quyết Thắng's Veterans returned.
func mustFileMaker(tb testing.TB) (*FileMaker, *fakeFigures) {
	tb.Helper()
	cfg := config.Default()
	dir, err := cfg.Directory()
	if err != nil {
		tb.Fatal(err)
	}
	s := Settings{Dir: dir, Forms: cfg.Forms, Calendar: cfg.FlowsCalendar(), Indicators: cfg.Targets}
	src := &fakeFigures{dir: dir, inds: cfg.Targets, cal: s.Calendar, subs: map[flows.Key]flows.Submission{},
		ppl: map[string]flows.Person{"tg:1": {ID: "tg:1", Name: "Lò Thị Mai"}}}
	add := func(unit, form string, at time.Time, v map[string]int64) *flows.Submission {
		k := flows.Key{Unit: unit, Period: "2026-Q1", Form: form}
		src.subs[k] = flows.Submission{Key: k, Values: v, By: "tg:1", At: at, Version: 1, Ref: flows.Reference(k, 1, at)}
		s := src.subs[k]
		return &s
	}
	add("tanphong-phunu", "membership", fixtureAt(tb, 10, 9), map[string]int64{"eligible": 1000, "members": 900, "new_members": 12, "active": 850})
	add("tanphong-doan", "membership", fixtureAt(tb, 20, 9), map[string]int64{"eligible": 500, "members": 400, "new_members": 3, "active": 390})
	add("doanket-phunu", "membership", fixtureAt(tb, 11, 9), map[string]int64{"eligible": 0, "members": 0, "new_members": 0, "active": 0})
	add("tanphong-phunu", "activities", fixtureAt(tb, 10, 9), map[string]int64{"meetings": 4, "participants": 120, "models": 1, "exemplars": 2, "petitions": 10, "resolved": 7})
	ret := add("quyetthang-ccb", "membership", fixtureAt(tb, 12, 9), map[string]int64{"eligible": 300, "members": 290, "new_members": 1, "active": 280})
	ret.Returned = &flows.Return{By: "tg:9", At: fixtureAt(tb, 13, 9), Reason: "Số hội viên chưa khớp"}
	src.subs[ret.Key] = *ret
	return &FileMaker{Source: src, Settings: s}, src
}

func TestViews(t *testing.T) {
	m, _ := mustFileMaker(t)
	dir := m.Settings.Dir
	cases := []struct {
		name      string
		p         flows.Person
		node, org string
		want      []View
	}{
		{"admin everything", flows.Person{Admin: true}, "", "", []View{{}}},
		{"admin one ward", flows.Person{Admin: true}, "tanphong", "doan", []View{{Node: "tanphong", Org: "doan"}}},
		{"city leader whole scope", flows.Person{Scopes: []string{"laichau"}}, "", "", []View{{Node: "laichau"}}},
		{"city leader drills to a ward", flows.Person{Scopes: []string{"laichau"}}, "doanket", "phunu", []View{{Node: "doanket", Org: "phunu"}}},
		{"ward leader", flows.Person{Scopes: []string{"tanphong"}}, "", "", []View{{Node: "tanphong"}}},
		{"ward leader asks the city: sees the ward", flows.Person{Scopes: []string{"tanphong"}}, "laichau", "", []View{{Node: "tanphong"}}},
		{"org chair narrowed to the org", flows.Person{Scopes: []string{"laichau@phunu"}}, "tanphong", "", []View{{Node: "tanphong", Org: "phunu"}}},
		{"overlapping scopes counted once", flows.Person{Scopes: []string{"tanphong", "laichau", "laichau"}}, "", "", []View{{Node: "laichau"}}},
		{"two wards", flows.Person{Scopes: []string{"tanphong", "doanket"}}, "", "", []View{{Node: "tanphong"}, {Node: "doanket"}}},
		{"organiser's own unit", flows.Person{Units: []string{"tanphong-doan"}}, "", "", []View{{Node: "tanphong-doan"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Views(dir, c.p, c.node, c.org)
			if err != nil || !reflect.DeepEqual(got, c.want) {
				t.Errorf("Views: got %v, %v, want %v", got, err, c.want)
			}
		})
	}
}

func TestViewsRefusesOutsideScope(t *testing.T) {
	m, _ := mustFileMaker(t)
	cases := []struct {
		name      string
		p         flows.Person
		node, org string
	}{
		{"no scope at all", flows.Person{ID: "tg:5"}, "", ""},
		{"another ward", flows.Person{Scopes: []string{"tanphong"}}, "doanket", ""},
		{"another ward's unit", flows.Person{Scopes: []string{"tanphong"}}, "doanket-phunu", ""},
		{"another org", flows.Person{Scopes: []string{"laichau@phunu"}}, "", "doan"},
		{"another org's unit", flows.Person{Scopes: []string{"laichau@phunu"}}, "tanphong-doan", ""},
		{"organiser's other unit", flows.Person{Units: []string{"tanphong-doan"}}, "tanphong-phunu", ""},
		{"unknown node", flows.Person{Admin: true}, "atlantis", ""},
		{"unknown org", flows.Person{Admin: true}, "", "guild"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Views(m.Settings.Dir, c.p, c.node, c.org)
			if !errors.Is(err, ErrOutOfScope) {
				t.Errorf("Views: got %v, %v, want ErrOutOfScope", got, err)
			}
		})
	}
}

func TestFileMakerRefusesBeforeLoading(t *testing.T) {
	m, src := mustFileMaker(t)
	ward := flows.Person{ID: "tg:7", Scopes: []string{"tanphong"}}
	for _, kind := range []flows.AttachKind{flows.ChartFile, flows.SheetFile, flows.CSVFile} {
		a := flows.Attachment{Kind: kind, Period: "2026-Q1", Node: "doanket", Indicator: "1.5"}
		if _, err := m.File(context.Background(), ward, a, flows.VI); !errors.Is(err, ErrOutOfScope) {
			t.Errorf("%s of another ward: got %v, want ErrOutOfScope", kind, err)
		}
	}
	if got := src.Calls(); len(got) != 0 {
		t.Errorf("source calls: got %v, want none", got)
	}
	bad := []flows.Attachment{
		{Kind: flows.ChartFile, Period: "2026-Q9", Indicator: "1.5"},
		{Kind: flows.ChartFile, Period: "2026-Q1", Indicator: "9.9"},
		{Kind: "pdf", Period: "2026-Q1"},
	}
	for _, a := range bad {
		if _, err := m.File(context.Background(), flows.Person{Admin: true}, a, flows.VI); err == nil {
			t.Errorf("File(%+v): got nil error, want one", a)
		}
	}
}

func TestEvaluate(t *testing.T) {
	rate := flows.Indicator{ID: "1.5", Num: "members", Den: "eligible", Min: 0.85}
	share := flows.Indicator{ID: "1.4", Num: "models", Min: 1, Share: 0.95}
	avg := flows.Indicator{ID: "1.4b", Num: "exemplars", Min: 1, Max: 2}
	cases := []struct {
		name string
		ind  flows.Indicator
		t    flows.Tally
		want Figure
	}{
		{"rate met", rate, flows.Tally{Reported: 2, Sums: map[string]int64{"members": 90, "eligible": 100}},
			Figure{Value: 0.9, OK: true, Met: true, Target: 0.85, HasTarg: true, Percent: true}},
		{"rate at target is not above it", rate, flows.Tally{Reported: 1, Sums: map[string]int64{"members": 85, "eligible": 100}},
			Figure{Value: 0.85, OK: true, Target: 0.85, HasTarg: true, Percent: true}},
		{"rate zero denominator", rate, flows.Tally{Reported: 1, Sums: map[string]int64{"members": 0, "eligible": 0}},
			Figure{Target: 0.85, HasTarg: true, Percent: true}},
		{"share", share, flows.Tally{Reported: 4, Met: map[string]int{"1.4": 3}},
			Figure{Value: 0.75, OK: true, Target: 0.95, HasTarg: true, Percent: true}},
		// 19 of 20 is 95%: the target is "> 95%", as in the figures view (flows).
		{"share at target is not above it", share, flows.Tally{Reported: 20, Met: map[string]int{"1.4": 19}},
			Figure{Value: 0.95, OK: true, Target: 0.95, HasTarg: true, Percent: true}},
		{"share above target", share, flows.Tally{Reported: 40, Met: map[string]int{"1.4": 39}},
			Figure{Value: 0.975, OK: true, Met: true, Target: 0.95, HasTarg: true, Percent: true}},
		{"share nobody reported", share, flows.Tally{}, Figure{Target: 0.95, HasTarg: true, Percent: true}},
		{"average in range", avg, flows.Tally{Reported: 2, Sums: map[string]int64{"exemplars": 3}},
			Figure{Value: 1.5, OK: true, Met: true, Target: 1, HasTarg: true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Evaluate(c.ind, c.t); got != c.want {
				t.Errorf("Evaluate: got %+v, want %+v", got, c.want)
			}
		})
	}
}

func TestFileMakerChartData(t *testing.T) {
	m, src := mustFileMaker(t)
	per, _ := m.Settings.Calendar.Period("2026-Q1")
	city := flows.Person{ID: "tg:8", Scopes: []string{"laichau"}}
	views, err := Views(m.Settings.Dir, city, "", "")
	if err != nil {
		t.Fatal(err)
	}
	a := flows.Attachment{Kind: flows.ChartFile, Period: "2026-Q1", Indicator: "1.5", By: "node"}
	d, err := m.chartData(context.Background(), per, views, a, flows.VI)
	if err != nil {
		t.Fatal(err)
	}
	wantBars := []Bar{
		{Label: "Phường Tân Phong", Value: 1300.0 / 1500, OK: true, Met: true},
		{Label: "Phường Đoàn Kết"}, // zero eligible: a gap, not 0 or NaN
		{Label: "Phường Quyết Thắng"},
		{Label: "Phường Quyết Tiến"},
		{Label: "Phường Đông Phong"},
		{Label: "Xã San Thàng"},
		{Label: "Xã Nậm Loỏng"},
	}
	if !reflect.DeepEqual(d.Bars, wantBars) {
		t.Errorf("bars: got %+v, want %+v", d.Bars, wantBars)
	}
	if !d.HasTarget || d.Target != 0.85 || !d.Percent {
		t.Errorf("target: got %v %v %v, want 0.85 shown as a percent", d.Target, d.HasTarget, d.Percent)
	}
	if want := "Chỉ tiêu 1.5 · Quý I/2026 · đã báo cáo 3/41 đơn vị"; d.Subtitle != want {
		t.Errorf("subtitle: got %q, want %q", d.Subtitle, want)
	}
	if got := src.Calls(); !reflect.DeepEqual(got, []string{"Tallies"}) {
		t.Errorf("source calls: got %v, want one Tallies", got)
	}

	a.By = "org"
	chair := flows.Person{ID: "tg:9", Scopes: []string{"laichau@phunu"}}
	views, _ = Views(m.Settings.Dir, chair, "", "")
	d, err = m.chartData(context.Background(), per, views, a, flows.EN)
	if err != nil {
		t.Fatal(err)
	}
	want := []Bar{{Label: "Women's Union", Value: 0.9, OK: true, Met: true}}
	if !reflect.DeepEqual(d.Bars, want) {
		t.Errorf("org chair's bars: got %+v, want %+v", d.Bars, want)
	}
}

func TestFileMakerChartFile(t *testing.T) {
	m, _ := mustFileMaker(t)
	ward := flows.Person{ID: "tg:7", Scopes: []string{"tanphong"}}
	f, err := m.File(context.Background(), ward, flows.Attachment{Kind: flows.ChartFile, Period: "2026-Q1", Indicator: "1.6"}, flows.VI)
	if err != nil {
		t.Fatal(err)
	}
	if f.Kind != flows.Photo || f.MIME != "image/png" || f.Name != "chi-tieu-1.6-2026-Q1.png" {
		t.Errorf("file: got %s %s %s, want a PNG photo chi-tieu-1.6-2026-Q1.png", f.Kind, f.MIME, f.Name)
	}
	img, err := png.Decode(bytes.NewReader(f.Data))
	if err != nil {
		t.Fatalf("decode png: %v", err)
	}
	// A ward has no places below it: one bar per organisation, five of them.
	wantH := int((chartChrome + chartBarRow*5).Dots(chartDPI))
	if b := img.Bounds(); b.Dx() != int(chartWidth.Dots(chartDPI)) || b.Dy() != wantH {
		t.Errorf("size: got %v, want %dx%d", b.Size(), int(chartWidth.Dots(chartDPI)), wantH)
	}
}

// FileMaker writes each file's content as text too, for Zalo without a file server: a chart's
// bars a line each with "—" for a gap, a spreadsheet's completeness and summary.
func TestFileMakerFileText(t *testing.T) {
	m, _ := mustFileMaker(t)
	city := flows.Person{ID: "tg:8", Scopes: []string{"laichau"}}
	tests := []struct {
		name string
		a    flows.Attachment
		want []string
	}{
		{"chart", flows.Attachment{Kind: flows.ChartFile, Period: "2026-Q1", Indicator: "1.5"}, []string{
			"Phường Tân Phong: 86,7% ✅\nPhường Đoàn Kết: —\n", "\nXã Nậm Loỏng: —\nMục tiêu > 85%"}},
		{"xlsx", flows.Attachment{Kind: flows.SheetFile, Period: "2026-Q1"}, []string{
			"Sinh hoạt & hội viên: đã báo cáo 3/41 đơn vị · trễ hạn 1 · chưa nộp 37 · trả lại 1\n",
			"\n1.5 Tỷ lệ tập hợp quần chúng vào tổ chức: 86,7% ✅ (Mục tiêu > 85%)\n",
			"\nkn Tỷ lệ ý kiến, kiến nghị đã giải quyết: 70% ℹ️\n", "PUBLIC_URL"}},
		{"csv", flows.Attachment{Kind: flows.CSVFile, Period: "2026-Q1"}, []string{
			"Hoạt động: đã báo cáo 1/41 đơn vị", "1.6 Tỷ lệ đoàn viên, hội viên sinh hoạt thường xuyên: 95,4% ✅", "PUBLIC_URL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustFile(t, m, city, tt.a).Text
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("text: got %q, want it to contain %q", got, w)
				}
			}
		})
	}
}

func TestChartText(t *testing.T) {
	bars := []Bar{{Label: "A", Value: 0.9, OK: true, Met: true}, {Label: "B", Value: 0.5, OK: true}, {Label: "C"}}
	legend := ChartLegend{Target: "Mục tiêu > 85%"}
	tests := []struct {
		name string
		d    ChartData
		want string
	}{
		{"target", ChartData{Bars: bars, Target: 0.85, HasTarget: true, Percent: true, Legend: legend},
			"A: 90% ✅\nB: 50% ⚠️\nC: —\nMục tiêu > 85%"},
		{"no target", ChartData{Bars: bars, Percent: true, Legend: legend}, "A: 90%\nB: 50%\nC: —"},
		{"count", ChartData{Bars: []Bar{{Label: "A", Value: 1.5, OK: true}}}, "A: 1,5"},
		{"not finite", ChartData{Bars: []Bar{{Label: "A", Value: math.NaN(), OK: true}}}, "A: —"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ChartText(tt.d); got != tt.want {
				t.Errorf("ChartText: got %q, want %q", got, tt.want)
			}
		})
	}
}
