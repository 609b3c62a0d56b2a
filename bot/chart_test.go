package bot

import (
	"bytes"
	"image/png"
	"os"
	"testing"
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

func TestRenderChartSample(t *testing.T) {
	b, err := RenderChart(sampleChart())
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	t.Log(img.Bounds())
	os.WriteFile("/tmp/chart.png", b, 0o644)
}
