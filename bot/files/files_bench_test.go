package files

import (
	"context"
	"strconv"
	"testing"
	"time"

	"danvan/config"
	"danvan/flows"
	"danvan/internal/filetest"
)

// mapSource is a FigureSource over ready maps, so a benchmark measures Maker, not a fake's
// lookups.
type mapSource struct {
	tallies map[flows.TallyKey]flows.Tally
	subs    map[flows.Key]flows.Submission
	people  map[string]flows.Person
}

func (s *mapSource) Tallies(_ context.Context, keys []flows.TallyKey) (map[flows.TallyKey]flows.Tally, error) {
	out := make(map[flows.TallyKey]flows.Tally, len(keys))
	for _, k := range keys {
		if t, ok := s.tallies[k]; ok {
			out[k] = t
		}
	}
	return out, nil
}

func (s *mapSource) Submissions(context.Context, string, []string, []string) (map[flows.Key]flows.Submission, error) {
	return s.subs, nil
}

func (s *mapSource) People(context.Context, []string) (map[string]flows.Person, error) {
	return s.people, nil
}

// mustBigMaker makes a city of places×5 units (one per organisation but the Trade Union),
// every unit with both forms of 2026-Q1 submitted, and the tallies of every place.
func mustBigMaker(tb testing.TB, places int) *Maker {
	tb.Helper()
	cfg := config.Default()
	nodes := []flows.Node{{ID: "city", Name: flows.Text{Vi: "Tỉnh Lai Châu"}}}
	for i := range places {
		p := "p" + strconv.Itoa(i)
		nodes = append(nodes, flows.Node{ID: p, Parent: "city", Name: flows.Text{Vi: "Phường số " + strconv.Itoa(i)}})
		for _, o := range cfg.Orgs[:5] {
			nodes = append(nodes, flows.Node{ID: p + "-" + o.ID, Parent: p, Org: o.ID, Name: flows.Text{Vi: o.Short.Vi + " phường số " + strconv.Itoa(i)}})
		}
	}
	dir, err := flows.NewDirectory(cfg.Orgs, nodes)
	if err != nil {
		tb.Fatal(err)
	}
	m := &Maker{Dir: dir, Forms: cfg.Forms, Calendar: cfg.FlowsCalendar(), Indicators: cfg.Targets}
	per, _ := m.Calendar.Period("2026-Q1")
	src := &mapSource{tallies: map[flows.TallyKey]flows.Tally{}, subs: map[flows.Key]flows.Submission{},
		people: map[string]flows.Person{"tg:1": {ID: "tg:1", Name: "Lò Thị Mai"}}}
	at := time.Date(2026, 3, 10, 9, 0, 0, 0, cfg.Location())
	for i, u := range dir.Units("") {
		vals := map[string]flows.Submission{
			"membership": {Values: map[string]int64{"eligible": 1000 + int64(i%300), "members": 800 + int64(i%200), "new_members": 5, "active": 700}},
			"activities": {Values: map[string]int64{"meetings": 4, "participants": 90, "models": int64(i % 2), "exemplars": 1, "petitions": 9, "resolved": 6}},
		}
		for form, sub := range vals {
			k := flows.Key{Unit: u.ID, Period: per.ID, Form: form}
			sub.Key, sub.By, sub.At, sub.Version, sub.Ref = k, "tg:1", at, 1, flows.Reference(k, 1, at)
			src.subs[k] = sub
			c := flows.Contribution(&sub, cfg.Targets, per.Due)
			for _, tk := range []flows.TallyKey{
				{Period: per.ID, Node: u.Parent, Org: flows.AllOrgs, Form: form}, {Period: per.ID, Node: u.Parent, Org: u.Org, Form: form},
				{Period: per.ID, Node: "city", Org: flows.AllOrgs, Form: form}, {Period: per.ID, Node: "city", Org: u.Org, Form: form},
			} {
				t := src.tallies[tk]
				t.Add(c)
				src.tallies[tk] = t
			}
		}
	}
	m.Source = src
	return m
}

// benchFile makes attachment a for an admin b.N times and reports the peak live heap.
func benchFile(b *testing.B, m *Maker, a flows.Attachment) {
	admin := flows.Person{ID: "tg:1000", Admin: true}
	b.ReportAllocs()
	h := filetest.StartPeakHeap()
	size := 0
	for b.Loop() {
		f, err := m.File(context.Background(), admin, a, flows.VI)
		if err != nil {
			b.Fatal(err)
		}
		size = len(f.Data)
	}
	peak, base := h.Stop()
	b.ReportMetric(peak, "peak-heap-MB")
	b.ReportMetric(base, "fixture-heap-MB")
	b.ReportMetric(float64(size)/(1<<20), "file-MB")
}

// BenchmarkXLSX10k is the workbook of 10,000 units, each with both forms submitted (target:
// ≤ 2 s and ≤ 200 MB peak heap). The peak includes the fixture's ~40 MB of submissions.
func BenchmarkXLSX10k(b *testing.B) {
	benchFile(b, mustBigMaker(b, 2000), flows.Attachment{Kind: flows.SheetFile, Period: "2026-Q1"})
}

// BenchmarkCSV10k is the same as zipped CSV.
func BenchmarkCSV10k(b *testing.B) {
	benchFile(b, mustBigMaker(b, 2000), flows.Attachment{Kind: flows.CSVFile, Period: "2026-Q1"})
}

// BenchmarkChart is one indicator's chart (target: ≤ 200 ms): the 7 places of the default city,
// 40 places (about a merged province's communes) and 100.
func BenchmarkChart(b *testing.B) {
	small, _ := mustMaker(b)
	for _, c := range []struct {
		name string
		m    *Maker
	}{{"7bars", small}, {"40bars", mustBigMaker(b, 40)}, {"100bars", mustBigMaker(b, 100)}} {
		b.Run(c.name, func(b *testing.B) {
			benchFile(b, c.m, flows.Attachment{Kind: flows.ChartFile, Period: "2026-Q1", Indicator: "1.5"})
		})
	}
}
