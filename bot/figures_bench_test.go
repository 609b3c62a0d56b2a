package bot_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"danvan/bot"
	"danvan/flows"
	"danvan/internal/filetest"
)

// The whole path of a leader's request on a generated city: the dispatcher, the flows step, the
// real store on the real Redis and the rendering of files, wired as main.go wires them. The
// cities are 1 city → districts → wards × 5 organisations; seeding them is setup, outside the
// timer. These are benchmarks only: `go test` without -bench runs none of them.
//
//	go test ./bot -run '^$' -bench 'City$' -benchtime 200x

// citySizes are the cities BenchmarkFiguresCity compares, to show that a view's round trips do
// not grow with the number of units.
var citySizes = []struct {
	name             string
	districts, wards int
}{
	{"units=1000", 5, 40},
	{"units=10000", 25, 80},
}

// BenchmarkFiguresCity is a city leader's /figures, and a drill-down press (the wards of one
// district, reached through the figures message's buttons), on 1,000 and 10,000 units (target:
// ≤ 50 ms p99, round trips independent of the number of units).
func BenchmarkFiguresCity(b *testing.B) {
	for _, size := range citySizes {
		b.Run(size.name, func(b *testing.B) {
			c := mustBigCity(b, size.districts, size.wards)
			b.Run("figures", func(b *testing.B) {
				in := flows.Input{Kind: flows.CommandInput, Command: "figures"}
				c.measure(b, in, c.wantFigures(b, in, "city"))
			})
			b.Run("figures-cold", func(b *testing.B) {
				// As the first request of a chat in this process: no cached snapshot.
				in := flows.Input{Kind: flows.CommandInput, Command: "figures"}
				c.cold = true
				defer func() { c.cold = false }()
				c.measure(b, in, c.wantFigures(b, in, "city"))
			})
			b.Run("drill-ward", func(b *testing.B) {
				in := c.mustDrillToWards(b)
				c.measure(b, in, c.wantFigures(b, in, "d00"))
			})
		})
	}
}

// BenchmarkChartCity is /chart 1.5 for the whole city of 10,000 units, rendering included
// (target: ≤ 200 ms).
func BenchmarkChartCity(b *testing.B) {
	c := mustBigCity(b, 25, 80)
	in := flows.Input{Kind: flows.CommandInput, Command: "chart", Args: "1.5"}
	c.measure(b, in, func(tb testing.TB, r []flows.Reply) {
		filetest.MustDecodePNG(tb, mustReplyFile(tb, r, flows.Photo).Data)
	})
}

// BenchmarkExportCity is /export of the whole city of 10,000 units: every submission and its
// sender read from Redis and an XLSX written (targets: ≤ 2 s and ≤ 200 MB peak heap).
func BenchmarkExportCity(b *testing.B) {
	c := mustBigCity(b, 25, 80)
	in := flows.Input{Kind: flows.CommandInput, Command: "export"}
	mustSheetRows(b, mustReplyFile(b, c.d.Handle(context.Background(), c.incoming(in)), flows.Document), c.units)
	b.ReportAllocs()
	h := filetest.StartPeakHeap()
	c.measure(b, in, func(tb testing.TB, r []flows.Reply) { mustReplyFile(tb, r, flows.Document) })
	peak, base := h.Stop()
	b.ReportMetric(peak, "peak-heap-MB")
	b.ReportMetric(base, "fixture-heap-MB")
}

// measure sends in as the city leader b.N times and reports the latency's p50 and p99 and the
// Redis round trips (commands or pipelines) and commands per update. check sees every answer.
func (c *bigCity) measure(b *testing.B, in flows.Input, check func(testing.TB, []flows.Reply)) {
	b.Helper()
	ctx := context.Background()
	var took []time.Duration
	trips, cmds := c.trips.N.Load(), c.trips.Cmds.Load()
	for b.Loop() {
		up := c.incoming(in)
		if c.cold {
			bot.DropCached(c.d, c.leader)
		}
		t0 := time.Now()
		r := c.d.Handle(ctx, up)
		took = append(took, time.Since(t0))
		check(b, r)
	}
	n := float64(len(took))
	slices.Sort(took)
	b.ReportMetric(float64(c.trips.N.Load()-trips)/n, "roundtrips/op")
	b.ReportMetric(float64(c.trips.Cmds.Load()-cmds)/n, "rediscmds/op")
	b.ReportMetric(ms(took[len(took)/2]), "p50-ms")
	b.ReportMetric(ms(took[(len(took)-1)*99/100]), "p99-ms")
	b.ReportMetric(float64(c.units), "units")
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// wantFigures checks a figures view of node: every unit below it counted as reported.
func (c *bigCity) wantFigures(b *testing.B, in flows.Input, node string) func(testing.TB, []flows.Reply) {
	b.Helper()
	units := len(c.d.Settings.Dir.Units(node))
	want := strconv.Itoa(units) + "/" + strconv.Itoa(units)
	r := c.d.Handle(context.Background(), c.incoming(in))
	if len(r) != 1 || !strings.Contains(r[0].Text, want) || len(r[0].Buttons) == 0 {
		b.Fatalf("figures of %s: got %+v, want one message with %q reported and buttons", node, r, want)
	}
	return func(tb testing.TB, r []flows.Reply) {
		if len(r) != 1 || !strings.Contains(r[0].Text, want) {
			tb.Fatalf("figures of %s: got %+v, want %q reported", node, r, want)
		}
	}
}

// mustDrillToWards presses, from the city's /figures, "by ward, commune", the first district,
// and "by ward, commune" again, and returns that last press: the wards of district d00.
func (c *bigCity) mustDrillToWards(b *testing.B) flows.Input {
	b.Helper()
	r := c.command("figures", "")
	for _, label := range []string{flows.T(flows.VI, "fig_btn_places"), "Quận 1 ·", flows.T(flows.VI, "fig_btn_places")} {
		btn, ok := findButton(r, label)
		if !ok {
			b.Fatalf("no button %q under %+v", label, r)
		}
		in := flows.Input{Kind: flows.ButtonInput, Data: btn.Data}
		if label == flows.T(flows.VI, "fig_btn_places") && strings.Contains(btn.Data, " d00 ") {
			return in
		}
		r = c.d.Handle(context.Background(), c.incoming(in))
	}
	b.Fatalf("no press of the wards of d00 under %+v", r)
	return flows.Input{}
}

// findButton returns the first button of replies whose label contains label.
func findButton(replies []flows.Reply, label string) (flows.Button, bool) {
	for _, r := range replies {
		for _, row := range r.Buttons {
			for _, btn := range row {
				if strings.Contains(btn.Label, label) {
					return btn, true
				}
			}
		}
	}
	return flows.Button{}, false
}

// mustReplyFile returns the file of kind the replies carry.
func mustReplyFile(tb testing.TB, replies []flows.Reply, kind flows.FileKind) flows.File {
	tb.Helper()
	for _, r := range replies {
		if r.File != nil && r.File.Kind == kind && len(r.File.Data) > 0 {
			return *r.File
		}
	}
	tb.Fatalf("got %+v, want a reply with a %s file", replies, kind)
	return flows.File{}
}

// mustSheetRows checks the workbook has a sheet with a row per unit (and a header).
func mustSheetRows(tb testing.TB, f flows.File, units int) {
	tb.Helper()
	x := filetest.MustOpenXLSX(tb, f.Data)
	for _, name := range x.GetSheetList() {
		rows, err := x.GetRows(name)
		if err != nil {
			tb.Fatalf("rows of %s: %v", name, err)
		}
		if len(rows) > units {
			return
		}
	}
	tb.Fatalf("got sheets %v, want one with a row for each of %d units", x.GetSheetList(), units)
}
