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
			t.Add(flows.Contribution(&s, f.inds, per.Due))
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

func TestTelegramSendsChartAsPhoto(t *testing.T) {
	m, _ := mustFileMaker(t)
	city := flows.Person{ID: "tg:8", Scopes: []string{"laichau"}}
	f := mustFile(t, m, city, flows.Attachment{Kind: flows.ChartFile, Period: "2026-Q1", Indicator: "1.5"})
	x := newTgHarness(t, nil, nil)
	btn := [][]flows.Button{{{Label: "⬅️ Quay lại", Data: "*|fig|laichau"}}}
	x.h.reply = tgReplies(flows.Reply{Text: "Biểu đồ chỉ tiêu 1.5 <Quý I>", Buttons: btn, File: &f})
	x.fake.Push(fakeTGText(8, "/chart 1.5"))
	x.run(t)
	req := x.fake.WaitRequests("sendPhoto", 1, tgWait)[0]
	x.stop(t)
	if got, want := req.Params["caption"], "Biểu đồ chỉ tiêu 1.5 &lt;Quý I&gt;"; got != want {
		t.Errorf("caption: got %q, want %q", got, want)
	}
	if got := req.Buttons(); !reflect.DeepEqual(got, btn) {
		t.Errorf("buttons: got %v, want %v", got, btn)
	}
	img, err := png.Decode(bytes.NewReader(x.fake.Upload("sendPhoto", "photo", 0)))
	if err != nil {
		t.Fatalf("uploaded photo: %v", err)
	}
	if got := img.Bounds().Dx(); got != int(chartWidth.Dots(chartDPI)) {
		t.Errorf("photo width: got %d, want %d", got, int(chartWidth.Dots(chartDPI)))
	}
	if got := len(x.fake.Requests("sendMessage")); got != 0 {
		t.Errorf("sendMessage calls: got %d, want 0 (the text is the caption)", got)
	}
}

func TestTelegramSendsSheetAsDocument(t *testing.T) {
	m, _ := mustFileMaker(t)
	ward := flows.Person{ID: "tg:7", Scopes: []string{"tanphong"}}
	f := mustFile(t, m, ward, flows.Attachment{Kind: flows.SheetFile, Period: "2026-Q1"})
	x := newTgHarness(t, nil, nil)
	long := strings.Repeat("Đã báo cáo 2/5 đơn vị. ", 60) // over the 1024-character caption limit
	if err := x.tg.Send(context.Background(), "tg:7", flows.Reply{Text: long, File: &f}); err != nil {
		t.Fatalf("Send: got %v, want nil", err)
	}
	msgs := x.fake.Requests("sendMessage")
	docs := x.fake.Requests("sendDocument")
	if len(msgs) != 1 || len(docs) != 1 || msgs[0].MessageID > docs[0].MessageID {
		t.Fatalf("calls: got %d messages and %d documents, want the text first, then the file", len(msgs), len(docs))
	}
	if got := docs[0].Params["caption"]; got != "" {
		t.Errorf("caption: got %q, want none (the text went first)", got)
	}
	xf := mustOpenXLSX(t, x.fake.Upload("sendDocument", "document", 0))
	sh := "Sinh hoạt & hội viên"
	if got := mustCell(t, xf, sh, "C1"); got != "Đơn vị" {
		t.Errorf("C1: got %q, want %q", got, "Đơn vị")
	}
	rows, _ := xf.GetRows(sh)
	if len(rows) != 6 {
		t.Errorf("rows: got %d, want 6 (header and Tân Phong's 5 units)", len(rows))
	}
	if got := findRow(t, xf, sh, "Đoàn phường Tân Phong")[9]; got != "trễ" {
		t.Errorf("status: got %q, want trễ", got)
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
