package files

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"image/png"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"danvan/flows"
)

// ChartData is what a bar chart of one indicator shows: one bar per place or organisation.
// It carries finished text, and Lang only for how numbers are written ("88,1%" or "88.1%"), so
// RenderChart knows no indicator maths.
type ChartData struct {
	Title    string
	Subtitle string
	Bars     []Bar
	// Target is drawn as a line when HasTarget is set, in the same unit as the bars' values.
	Target    float64
	HasTarget bool
	// Percent marks values that are shares (0.88): the axis and labels read "88%".
	Percent bool
	Legend  ChartLegend
	// Lang writes the values and the axis: a decimal comma in Vietnamese, a point in English.
	Lang flows.Lang
}

// ChartLegend names the legend entries; an empty name leaves its entry out.
type ChartLegend struct {
	Met    string // "Đạt mục tiêu"
	Missed string // "Chưa đạt"
	Target string // "Mục tiêu > 85%"
}

// Bar is one bar of a chart. A bar without OK (no report, a zero denominator) is drawn as a
// gap labelled "—", never as 0 or NaN; Met colours it as reaching the target.
type Bar struct {
	Label string
	Value float64
	OK    bool
	Met   bool
}

// Chart colours: a bar that misses the target is orange and one that meets it green, so the two
// differ in lightness too, for readers who do not tell red from green.
var (
	chartMet     = color.RGBA{R: 0x2e, G: 0x7d, B: 0x32, A: 0xff}
	chartMissed  = color.RGBA{R: 0xf5, G: 0x9e, B: 0x0b, A: 0xff}
	chartNeutral = color.RGBA{R: 0x15, G: 0x65, B: 0xc0, A: 0xff}
	chartTarget  = color.RGBA{R: 0xc6, G: 0x28, B: 0x28, A: 0xff}
)

// Chart geometry: bars lie horizontally so long Vietnamese place names stay readable.
const (
	chartWidth    = 8 * vg.Inch
	chartBarRow   = 0.42 * vg.Inch
	chartChrome   = 1.9 * vg.Inch // title, axis and legend
	chartDPI      = 144           // sharp on phone screens after Telegram's recompression
	chartMaxBars  = 120           // at 144 dpi still within Telegram's photo limits (w+h ≤ 10000, ratio ≤ 20)
	chartFontSize = 11
	// chartLegendRow is the strip under the plot where the legend entries stand side by side:
	// inside the plot a legend would cover the longest bars.
	chartLegendRow = 0.4 * vg.Inch
)

// chartRow is the height of one bar's row: narrower when there are many, so a chart of a
// hundred places stays a picture one can scroll through rather than a poster.
func chartRow(n int) vg.Length {
	if n > 20 {
		return chartBarRow * 0.6
	}
	return chartBarRow
}

// chartDPIFor is the resolution of a chart of n bars: a tall chart gets fewer dots, which keeps
// it under 200 ms and a few megapixels; Telegram shrinks it to the screen anyway.
func chartDPIFor(n int) int {
	if n > 40 {
		return 96
	}
	return chartDPI
}

// chartFont is Liberation Sans, which gonum embeds and which has every Vietnamese letter; sans
// reads better than the default serif at phone sizes.
func chartFont(size vg.Length) font.Font {
	return font.From(font.Font{Typeface: "Liberation", Variant: "Sans"}, size)
}

// legendEntry is one entry of the legend strip.
type legendEntry struct {
	name  string
	thumb plot.Thumbnailer
}

// chartLegend draws the entries side by side, each in an equal part of c.
func chartLegend(c draw.Canvas, entries []legendEntry) {
	if len(entries) == 0 {
		return
	}
	w := (c.Max.X - c.Min.X) / vg.Length(len(entries))
	for i, e := range entries {
		l := plot.NewLegend()
		l.TextStyle.Font = chartFont(chartFontSize - 1)
		l.Left, l.Top = true, true
		l.Add(e.name, e.thumb)
		l.Draw(draw.Crop(c, w*vg.Length(i)+vg.Points(16), -w*vg.Length(len(entries)-1-i), 0, 0))
	}
}

// RenderChart draws d as a PNG horizontal bar chart.
func RenderChart(d ChartData) ([]byte, error) {
	if len(d.Bars) == 0 {
		return nil, errors.New("chart: no bars")
	}
	if len(d.Bars) > chartMaxBars {
		return nil, fmt.Errorf("chart: %d bars, at most %d fit", len(d.Bars), chartMaxBars)
	}
	p, legend, err := chartPlot(d)
	if err != nil {
		return nil, err
	}
	h := chartChrome + chartRow(len(d.Bars))*vg.Length(len(d.Bars))
	c := vgimg.NewWith(vgimg.UseWH(chartWidth, h), vgimg.UseDPI(chartDPIFor(len(d.Bars))))
	dc := draw.New(c)
	p.Draw(draw.Crop(dc, vg.Points(8), -vg.Points(8), chartLegendRow, 0))
	chartLegend(draw.Crop(dc, 0, 0, 0, chartLegendRow-h), legend)
	var buf bytes.Buffer
	// Fast compression: a chart is mostly flat colour, and the default level triples the time
	// of a tall chart for a few kilobytes.
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, c.Image()); err != nil {
		return nil, fmt.Errorf("chart: encode png: %w", err)
	}
	return buf.Bytes(), nil
}

// chartPlot lays out the plot: the bars in three colour groups, value labels and the target.
func chartPlot(d ChartData) (*plot.Plot, []legendEntry, error) {
	p := plot.New()
	p.Title.Text = d.Title
	if d.Subtitle != "" {
		p.Title.Text += "\n" + d.Subtitle
	}
	p.Title.TextStyle.Font = chartFont(14)
	p.Title.Padding = 8
	p.Y.Tick.Label.Font = chartFont(chartFontSize)
	p.X.Tick.Label.Font = chartFont(chartFontSize - 1)
	scale := 1.0
	p.X.Tick.Marker = niceTicks{lang: d.Lang}
	if d.Percent {
		scale = 100 // the axis reads 0–100, labels say "%"
		p.X.Tick.Marker = percentTicks{}
	}
	n := len(d.Bars)
	names := make([]string, n)
	for i, b := range d.Bars {
		names[n-1-i] = b.Label // the first bar on top, as people read
	}
	p.NominalY(names...)
	legend, err := chartBars(p, d, scale)
	if err != nil {
		return nil, nil, err
	}
	if err := chartLabels(p, d, scale); err != nil {
		return nil, nil, err
	}
	if d.HasTarget {
		e, err := chartTargetLine(p, d, scale)
		if err != nil {
			return nil, nil, err
		}
		legend = append(legend, e...)
	}
	p.X.Min = 0
	p.X.Max = labelColumn(d, scale) * chartLabelRoom // room for the labels' column
	return p, legend, nil
}

// chartBars adds one bar chart per colour: a bar of another group is 0 there and, with no
// outline, invisible.
func chartBars(p *plot.Plot, d ChartData, scale float64) ([]legendEntry, error) {
	groups := []struct {
		clr    color.Color
		legend string
		in     func(Bar) bool
	}{
		{chartNeutral, "", func(Bar) bool { return !d.HasTarget }},
		{chartMet, d.Legend.Met, func(b Bar) bool { return d.HasTarget && b.Met }},
		{chartMissed, d.Legend.Missed, func(b Bar) bool { return d.HasTarget && !b.Met }},
	}
	n := len(d.Bars)
	var legend []legendEntry
	for _, g := range groups {
		vals := make(plotter.Values, n)
		has := false
		for i, b := range d.Bars {
			if b.OK && g.in(b) && finite(b.Value) {
				vals[n-1-i] = b.Value * scale
				has = true
			}
		}
		if !has {
			continue
		}
		bc, err := plotter.NewBarChart(vals, chartRow(n)*0.7)
		if err != nil {
			return nil, fmt.Errorf("chart: bars: %w", err)
		}
		bc.Horizontal = true
		bc.Color = g.clr
		bc.LineStyle.Width = 0
		p.Add(bc)
		if g.legend != "" {
			legend = append(legend, legendEntry{g.legend, bc})
		}
	}
	return legend, nil
}

// chartLabelRoom is how far the axis runs past the labels' column, as a multiple of where the
// column stands: room for "100%" in the chart's font.
const chartLabelRoom = 1.14

// labelColumn is where the value labels stand: past the longest bar, the target line and the
// axis's last tick, so a label never sits on a bar or under the target line.
func labelColumn(d ChartData, scale float64) float64 {
	return chartMax(d, scale) * 1.02
}

// chartLabels writes each bar's value in a column right of every bar and of the target line
// (at a bar's end it would run through the line when the bar ends near it), "—" where there is
// no value.
func chartLabels(p *plot.Plot, d ChartData, scale float64) error {
	n := len(d.Bars)
	xys := make(plotter.XYs, n)
	labels := make([]string, n)
	col := labelColumn(d, scale)
	for i, b := range d.Bars {
		xys[i], labels[i] = plotter.XY{X: col, Y: float64(n - 1 - i)}, "—"
		if b.OK && finite(b.Value) {
			labels[i] = chartValue(b.Value, d.Percent, d.Lang)
		}
	}
	l, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels})
	if err != nil {
		return fmt.Errorf("chart: labels: %w", err)
	}
	for i := range l.TextStyle {
		l.TextStyle[i].Font = chartFont(chartFontSize)
		l.TextStyle[i].YAlign = text.YCenter
	}
	l.Offset = vg.Point{X: 4}
	p.Add(l)
	return nil
}

// chartTargetLine draws the target as a dashed vertical line across all bars.
func chartTargetLine(p *plot.Plot, d ChartData, scale float64) ([]legendEntry, error) {
	x := d.Target * scale
	line, err := plotter.NewLine(plotter.XYs{{X: x, Y: -0.5}, {X: x, Y: float64(len(d.Bars)) - 0.5}})
	if err != nil {
		return nil, fmt.Errorf("chart: target: %w", err)
	}
	line.Color = chartTarget
	line.Width = vg.Points(2)
	line.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
	p.Add(line)
	if d.Legend.Target == "" {
		return nil, nil
	}
	return []legendEntry{{d.Legend.Target, line}}, nil
}

// chartMax is the largest value the axis must show: the bars and the target, at least 1.
func chartMax(d ChartData, scale float64) float64 {
	m := 0.0
	for _, b := range d.Bars {
		if b.OK && finite(b.Value) {
			m = math.Max(m, b.Value*scale)
		}
	}
	if d.HasTarget {
		m = math.Max(m, d.Target*scale)
	}
	if d.Percent {
		m = math.Max(m, 100) // a share is read against the whole
	}
	return math.Max(m, 1)
}

// chartValue writes a bar's value for readers of lang: "88,1%" or "1,5" in Vietnamese, "88.1%"
// or "1.5" in English.
func chartValue(v float64, percent bool, lang flows.Lang) string {
	if percent {
		return flows.FormatPercentIn(v, lang)
	}
	s := strings.TrimSuffix(strconv.FormatFloat(v, 'f', 1, 64), ".0")
	if lang == flows.EN {
		return s
	}
	return strings.Replace(s, ".", ",", 1)
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// percentTicks marks a 0–100 axis every 10 or 20 percent; a share is never more than the
// whole, so the room the axis leaves past 100 for the value labels has no mark.
type percentTicks struct{}

// Ticks implements plot.Ticker.
func (percentTicks) Ticks(lo, hi float64) []plot.Tick {
	step := 20.0
	if hi <= 60 {
		step = 10
	}
	var out []plot.Tick
	for v := 0.0; v <= min(hi, 100)+1e-9; v += step {
		if v >= lo {
			out = append(out, plot.Tick{Value: v, Label: strconv.Itoa(int(v)) + "%"})
		}
	}
	return out
}

// niceTicks mark an axis of counts or averages at round steps (1, 2 or 5 times a power of
// ten), four to seven of them, each labelled with no more decimals than it needs: 0; 0,5; 1;
// 1,5 … rather than gonum's default of two labels ("0,00" and "2,50") and bare marks.
type niceTicks struct{ lang flows.Lang }

// Ticks implements plot.Ticker.
func (n niceTicks) Ticks(lo, hi float64) []plot.Tick {
	step := niceStep((hi - lo) / 6)
	decimals := max(0, int(math.Ceil(-math.Log10(step)-1e-9)))
	var out []plot.Tick
	scale := math.Pow(10, float64(decimals))
	for i := math.Ceil(lo/step - 1e-9); i*step <= hi+1e-9; i++ {
		v := math.Round(i*step*scale)/scale + 0 // + 0 turns -0 into 0
		s := strconv.FormatFloat(v, 'f', -1, 64)
		if n.lang != flows.EN {
			s = strings.Replace(s, ".", ",", 1)
		}
		out = append(out, plot.Tick{Value: v, Label: s})
	}
	return out
}

// niceStep is the round step (1, 2 or 5 times a power of ten) nearest above raw.
func niceStep(raw float64) float64 {
	if raw <= 0 || !finite(raw) {
		return 1
	}
	pow := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if raw <= m*pow {
			return m * pow
		}
	}
	return 10 * pow
}

// ChartText writes d as text, for a channel that cannot show the picture: a line per bar
// ("Phường Tân Phong: 86,7% ✅", "—" where there is no value), then the target.
func ChartText(d ChartData) string {
	lines := make([]string, 0, len(d.Bars)+1)
	for _, b := range d.Bars {
		lines = append(lines, b.Label+": "+barText(b, d))
	}
	if d.HasTarget && d.Legend.Target != "" {
		lines = append(lines, d.Legend.Target)
	}
	return strings.Join(lines, "\n")
}

// barText is a bar's value with its verdict: ✅ reaching the target, ⚠️ below it.
func barText(b Bar, d ChartData) string {
	switch {
	case !b.OK || !finite(b.Value):
		return "—"
	case !d.HasTarget:
		return chartValue(b.Value, d.Percent, d.Lang)
	case b.Met:
		return chartValue(b.Value, d.Percent, d.Lang) + " ✅"
	}
	return chartValue(b.Value, d.Percent, d.Lang) + " ⚠️"
}
