package files

import (
	"context"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"danvan/flows"
	"danvan/internal/filetest"
)

func TestMakerRefusesBeforeLoading(t *testing.T) {
	m, src := mustMaker(t)
	ward := flows.Person{ID: "tg:7", Scopes: []string{"tanphong"}}
	for _, kind := range []flows.AttachKind{flows.ChartFile, flows.SheetFile, flows.CSVFile, flows.CSVSemiFile, flows.DocFile} {
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

func TestMakerChartData(t *testing.T) {
	m, src := mustMaker(t)
	per, _ := m.Calendar.Period("2026-Q1")
	city := flows.Person{ID: "tg:8", Scopes: []string{"laichau"}}
	views := flows.Narrow(city, m.Dir, flows.View{})
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
		{Label: "Cấp thành phố"}, // the city's own organisations, a bar of their own
	}
	if !reflect.DeepEqual(d.Bars, wantBars) {
		t.Errorf("bars: got %+v, want %+v", d.Bars, wantBars)
	}
	if !d.HasTarget || d.Target != 0.85 || !d.Percent {
		t.Errorf("target: got %v %v %v, want 0.85 shown as a percent", d.Target, d.HasTarget, d.Percent)
	}
	if want := "Chỉ tiêu 1.5 · Quý I năm 2026 · đã báo cáo 3/41 đơn vị"; d.Subtitle != want {
		t.Errorf("subtitle: got %q, want %q", d.Subtitle, want)
	}
	if got := src.Calls(); !reflect.DeepEqual(got, []string{"Tallies", "Submissions"}) {
		t.Errorf("source calls: got %v, want the places' tallies and the city units' submissions", got)
	}

	a.By = "org"
	chair := flows.Person{ID: "tg:9", Scopes: []string{"laichau@phunu"}}
	views = flows.Narrow(chair, m.Dir, flows.View{})
	d, err = m.chartData(context.Background(), per, views, a, flows.EN)
	if err != nil {
		t.Fatal(err)
	}
	want := []Bar{{Label: "Women's Union", Value: 0.9, OK: true, Met: true}}
	if !reflect.DeepEqual(d.Bars, want) {
		t.Errorf("org chair's bars: got %+v, want %+v", d.Bars, want)
	}
}

func TestMakerChartFile(t *testing.T) {
	m, _ := mustMaker(t)
	ward := flows.Person{ID: "tg:7", Scopes: []string{"tanphong"}}
	f, err := m.File(context.Background(), ward, flows.Attachment{Kind: flows.ChartFile, Period: "2026-Q1", Indicator: "1.6"}, flows.VI)
	if err != nil {
		t.Fatal(err)
	}
	if f.Kind != flows.Photo || f.MIME != "image/png" || f.Name != "chi-tieu-1.6-2026-Q1.png" {
		t.Errorf("file: got %s %s %s, want a PNG photo chi-tieu-1.6-2026-Q1.png", f.Kind, f.MIME, f.Name)
	}
	img := filetest.MustDecodePNG(t, f.Data)
	// A ward has no places below it: one bar per organisation, five of them.
	wantH := int((chartChrome + chartBarRow*5).Dots(chartDPI))
	if b := img.Bounds(); b.Dx() != int(chartWidth.Dots(chartDPI)) || b.Dy() != wantH {
		t.Errorf("size: got %v, want %dx%d", b.Size(), int(chartWidth.Dots(chartDPI)), wantH)
	}
}

// Maker writes each file's content as text too, for Zalo without a file server: a chart's
// bars a line each with "—" for a gap, a spreadsheet's completeness and summary. Why it comes
// as text is the transport's to say, not the file's.
func TestMakerFileText(t *testing.T) {
	m, _ := mustMaker(t)
	city := flows.Person{ID: "tg:8", Scopes: []string{"laichau"}}
	tests := []struct {
		name string
		a    flows.Attachment
		want []string
	}{
		{"chart", flows.Attachment{Kind: flows.ChartFile, Period: "2026-Q1", Indicator: "1.5"}, []string{
			"Phường Tân Phong: 86,7% ✅\nPhường Đoàn Kết: —\n", "\nXã Nậm Loỏng: —\nCấp thành phố: —\nMục tiêu > 85%"}},
		{"xlsx", flows.Attachment{Kind: flows.SheetFile, Period: "2026-Q1"}, []string{
			"Sinh hoạt & hội viên: đã báo cáo 3/41 đơn vị · trễ hạn 1 · chưa nộp 37 · trả lại 1\n",
			"\n1.5 Tỷ lệ tập hợp quần chúng vào tổ chức: 86,7% ✅ (Mục tiêu > 85%)\n",
			"\nkn Tỷ lệ ý kiến, kiến nghị đã giải quyết: 70% ℹ️"}},
		{"csv", flows.Attachment{Kind: flows.CSVFile, Period: "2026-Q1"}, []string{
			"Hoạt động: đã báo cáo 1/41 đơn vị", "1.6 Tỷ lệ đoàn viên, hội viên sinh hoạt thường xuyên: 95,4% ✅"}},
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

// TestTargetsAgree: a chart's legend and a workbook's summary write every target as
// flows.TargetText does, as the figures view does: 1.4b reads "> 95% đơn vị đạt ≥ 1" in all three.
func TestTargetsAgree(t *testing.T) {
	m, _ := mustMaker(t)
	ctx := context.Background()
	per, _ := m.Calendar.Period("2026-Q1")
	views := flows.Narrow(flows.Person{Admin: true}, m.Dir, flows.View{})
	wb, err := m.workbook(ctx, per, views, flows.VI)
	if err != nil {
		t.Fatal(err)
	}
	inSummary := map[string]string{}
	for _, r := range wb.Summary {
		inSummary[r.ID] = r.Target
	}
	if got, want := inSummary["1.4b"], "> 95% đơn vị đạt ≥ 1"; got != want {
		t.Errorf("workbook target of 1.4b: got %q, want %q", got, want)
	}
	for _, ind := range m.Indicators {
		want := flows.TargetText(ind, flows.VI)
		if got, ok := inSummary[ind.ID]; ok && got != want {
			t.Errorf("workbook target of %s: got %q, want %q", ind.ID, got, want)
		}
		d, err := m.chartData(ctx, per, views, flows.Attachment{Kind: flows.ChartFile, Period: per.ID, Indicator: ind.ID}, flows.VI)
		if err != nil {
			t.Fatal(err)
		}
		if got := d.Legend.Target; d.HasTarget && got != "Mục tiêu "+want {
			t.Errorf("chart legend of %s: got %q, want %q", ind.ID, got, "Mục tiêu "+want)
		}
		if want := "Mục tiêu > 95% đơn vị đạt ≥ 1"; ind.ID == "1.4b" && d.Legend.Target != want {
			t.Errorf("chart legend of 1.4b: got %q, want %q", d.Legend.Target, want)
		}
	}
}

// TestChartBarsOfUnits: the city's own organisations (units attached at the city, not at a
// ward) are a bar, "Cấp thành phố"; an organiser of two units gets a bar per unit, computed from
// their reports (no tally is kept per unit).
func TestChartBarsOfUnits(t *testing.T) {
	m, src := mustMaker(t)
	per, _ := m.Calendar.Period("2026-Q1")
	k := flows.Key{Unit: "laichau-phunu", Period: "2026-Q1", Form: "membership"}
	src.subs[k] = flows.Submission{Key: k, Values: map[string]int64{"eligible": 200, "members": 150, "active": 100}, By: "tg:1",
		At: fixtureAt(t, 10, 9), Version: 1}
	city := flows.Person{ID: "tg:8", Scopes: []string{"laichau"}}
	a := flows.Attachment{Kind: flows.ChartFile, Period: "2026-Q1", Indicator: "1.5", By: "node"}
	d, err := m.chartData(context.Background(), per, flows.Narrow(city, m.Dir, flows.View{}), a, flows.VI)
	if err != nil {
		t.Fatal(err)
	}
	if last := d.Bars[len(d.Bars)-1]; last.Label != "Cấp thành phố" || !last.OK || last.Value != 0.75 || last.Met {
		t.Errorf("city level bar: got %+v, want Cấp thành phố at 75%%, below the target", last)
	}
	lan := flows.Person{ID: "tg:1", Units: []string{"tanphong-phunu", "tanphong-doan"}}
	d, err = m.chartData(context.Background(), per, flows.Narrow(lan, m.Dir, flows.View{}), a, flows.VI)
	if err != nil {
		t.Fatal(err)
	}
	want := []Bar{
		{Label: "Hội LHPN · Phường Tân Phong", Value: 0.9, OK: true, Met: true},
		{Label: "Đoàn Thanh niên · Phường Tân Phong", Value: 0.8, OK: true},
	}
	if !reflect.DeepEqual(d.Bars, want) {
		t.Errorf("organiser of two units: got %+v, want %+v", d.Bars, want)
	}
	if want := "Chỉ tiêu 1.5 · Quý I năm 2026 · đã báo cáo 2/2 đơn vị"; d.Subtitle != want {
		t.Errorf("subtitle: got %q, want %q", d.Subtitle, want)
	}
}
