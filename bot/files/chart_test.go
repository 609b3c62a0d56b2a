package files

import (
	"image"
	"math"
	"reflect"
	"testing"

	"danvan/flows"
	"danvan/internal/filetest"
)

// sampleChart is a rate chart of the wards, with a gap, a bar over and one under the target.
func sampleChart() ChartData {
	return ChartData{
		Title:    "Tỷ lệ tập hợp quần chúng — Phường Tân Phong",
		Subtitle: "Quý I/2026 · 28/35 đơn vị đã báo cáo",
		Bars: []Bar{
			{Label: "Phường Tân Phong", Value: 0.912, OK: true, Met: true},
			{Label: "Phường Đoàn Kết", Value: 0.78, OK: true},
			{Label: "Phường Quyết Thắng", OK: false},
			{Label: "Xã Nậm Loỏng", Value: 0.86, OK: true, Met: true},
			{Label: "Hội Cựu chiến binh · Xã San Thàng", Value: 0.5, OK: true},
		},
		Target: 0.85, HasTarget: true, Percent: true,
		Legend: ChartLegend{Met: "Đạt mục tiêu", Missed: "Chưa đạt", Target: "Mục tiêu > 85%"},
	}
}

// mustChart renders d and decodes the PNG.
func mustChart(tb testing.TB, d ChartData) image.Image {
	tb.Helper()
	b, err := RenderChart(d)
	if err != nil {
		tb.Fatalf("RenderChart: %v", err)
	}
	return filetest.MustDecodePNG(tb, b)
}

// countColour counts the pixels of img that are exactly c.
func countColour(img image.Image, c [3]uint8) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if uint8(r>>8) == c[0] && uint8(g>>8) == c[1] && uint8(bl>>8) == c[2] {
				n++
			}
		}
	}
	return n
}

func TestRenderChart(t *testing.T) {
	met := [3]uint8{chartMet.R, chartMet.G, chartMet.B}
	missed := [3]uint8{chartMissed.R, chartMissed.G, chartMissed.B}
	neutral := [3]uint8{chartNeutral.R, chartNeutral.G, chartNeutral.B}
	counts := sampleChart()
	counts.Percent, counts.HasTarget, counts.Legend = false, false, ChartLegend{}
	counts.Bars = []Bar{{Label: "Ủy ban MTTQ", Value: 1.5, OK: true}, {Label: "Hội LHPN", Value: math.NaN(), OK: true}}
	cases := []struct {
		name       string
		d          ChartData
		height     int
		colourSeen map[[3]uint8]bool
	}{
		{"target met and missed", sampleChart(), 576, map[[3]uint8]bool{met: true, missed: true, neutral: false}},
		{"no target, NaN as a gap", counts, 395, map[[3]uint8]bool{met: false, missed: false, neutral: true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			img := mustChart(t, c.d)
			if got := img.Bounds().Size(); got != (image.Point{X: 1152, Y: c.height}) {
				t.Errorf("size: got %v, want 1152x%d", got, c.height)
			}
			for col, want := range c.colourSeen {
				if got := countColour(img, col) > 500; got != want {
					t.Errorf("colour %v drawn: got %v, want %v", col, got, want)
				}
			}
		})
	}
}

func TestRenderChartRefuses(t *testing.T) {
	many := sampleChart()
	many.Bars = make([]Bar, chartMaxBars+1)
	for _, d := range []ChartData{{Title: "trống"}, many} {
		if _, err := RenderChart(d); err == nil {
			t.Errorf("RenderChart with %d bars: got nil error, want one", len(d.Bars))
		}
	}
}

func TestChartValue(t *testing.T) {
	cases := []struct {
		v       float64
		percent bool
		lang    flows.Lang
		want    string
	}{
		{0.8812, true, flows.VI, "88,1%"},
		{0.85, true, flows.VI, "85%"},
		{1.5, false, flows.VI, "1,5"},
		{2, false, flows.VI, "2"},
		{0.8812, true, flows.EN, "88.1%"},
		{1.5, false, flows.EN, "1.5"},
	}
	for _, c := range cases {
		if got := chartValue(c.v, c.percent, c.lang); got != c.want {
			t.Errorf("chartValue(%v, %v, %s): got %q, want %q", c.v, c.percent, c.lang, got, c.want)
		}
	}
}

func TestPercentTicks(t *testing.T) {
	var got []string
	for _, tk := range (percentTicks{}).Ticks(0, 118) {
		got = append(got, tk.Label)
	}
	if want := []string{"0%", "20%", "40%", "60%", "80%", "100%"}; !reflect.DeepEqual(got, want) {
		t.Errorf("ticks: got %q, want %q", got, want)
	}
}

// TestNiceTicks: an axis of averages is marked at round steps, every mark labelled with no more
// decimals than its step needs (once only "0,00" and "2,50" under 1.4b's chart).
func TestNiceTicks(t *testing.T) {
	tests := []struct {
		lo, hi float64
		lang   flows.Lang
		want   []string
	}{
		{0, 2.95, flows.VI, []string{"0", "0,5", "1", "1,5", "2", "2,5"}},
		{0, 2.95, flows.EN, []string{"0", "0.5", "1", "1.5", "2", "2.5"}},
		{0, 1.18, flows.VI, []string{"0", "0,2", "0,4", "0,6", "0,8", "1"}},
		{0, 47, flows.VI, []string{"0", "10", "20", "30", "40"}},
		{0, 1180, flows.VI, []string{"0", "200", "400", "600", "800", "1000"}},
	}
	for _, tt := range tests {
		var got []string
		for _, tk := range (niceTicks{lang: tt.lang}).Ticks(tt.lo, tt.hi) {
			got = append(got, tk.Label)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Ticks(%v, %v, %s): got %q, want %q", tt.lo, tt.hi, tt.lang, got, tt.want)
		}
	}
}

// TestLabelsClearTheTargetLine: every value label stands right of every bar and of the target
// line, so a bar ending near the target (1.7 at 89,7% against > 90%) keeps its label readable.
func TestLabelsClearTheTargetLine(t *testing.T) {
	d := sampleChart()
	d.Target = 0.9
	d.Bars = []Bar{{Label: "A", Value: 0.897, OK: true}, {Label: "B", Value: 0.875, OK: true}, {Label: "C", Value: 0.91, OK: true, Met: true}}
	p, _, err := chartPlot(d)
	if err != nil {
		t.Fatal(err)
	}
	col := labelColumn(d, 100)
	for _, b := range d.Bars {
		if col <= b.Value*100 {
			t.Errorf("label column at %v: got it on bar %s (%v), want it right of the bar", col, b.Label, b.Value*100)
		}
	}
	if col <= d.Target*100 || p.X.Max <= col {
		t.Errorf("label column at %v: want it right of the target (%v) and inside the axis (to %v)", col, d.Target*100, p.X.Max)
	}
}
