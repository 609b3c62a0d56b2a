package files

import (
	"image"
	"math"
	"reflect"
	"testing"

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
		want    string
	}{
		{0.8812, true, "88,1%"},
		{0.85, true, "85%"},
		{1.5, false, "1,5"},
		{2, false, "2"},
	}
	for _, c := range cases {
		if got := chartValue(c.v, c.percent); got != c.want {
			t.Errorf("chartValue(%v, %v): got %q, want %q", c.v, c.percent, got, c.want)
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
