package files

import (
	"context"
	"strconv"
	"strings"
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
	dir := mustGrid(tb, "city", "p", "Phường", places, cfg.Orgs[:5])
	m := &Maker{Dir: dir, Forms: cfg.Forms, Calendar: cfg.FlowsCalendar(), Indicators: cfg.Indicators()}
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
			c := flows.Contribution(&sub, cfg.Indicators(), per.Due)
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

// mustGrid makes a directory of root, "Tỉnh Lai Châu", and n places below it of kind ("Phường",
// "Xã"), ids prefix0, prefix1, …, each with a unit per organisation of orgs.
func mustGrid(tb testing.TB, root, prefix, kind string, n int, orgs []flows.Org) *flows.Directory {
	tb.Helper()
	nodes := []flows.Node{{ID: root, Name: flows.Text{Vi: "Tỉnh Lai Châu"}}}
	for i := range n {
		p, num := prefix+strconv.Itoa(i), " số "+strconv.Itoa(i)
		nodes = append(nodes, flows.Node{ID: p, Parent: root, Name: flows.Text{Vi: kind + num}})
		for _, o := range orgs {
			nodes = append(nodes, flows.Node{ID: p + "-" + o.ID, Parent: p, Org: o.ID, Name: flows.Text{Vi: o.Short.Vi + " " + strings.ToLower(kind) + num}})
		}
	}
	dir, err := flows.NewDirectory(config.Default().Orgs, nodes)
	if err != nil {
		tb.Fatal(err)
	}
	return dir
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

// BenchmarkXLSX20k is the nationwide workbook: 20,000 units (4,000 places × 5), both forms
// submitted (target: ≤ 3 s).
func BenchmarkXLSX20k(b *testing.B) {
	benchFile(b, mustBigMaker(b, 4000), flows.Attachment{Kind: flows.SheetFile, Period: "2026-Q1"})
}

// BenchmarkReportProvince is the province's report draft: 38 communes × 6 organisations, both
// forms of 2026-Q1 and the Year before submitted, three written answers of about 400 characters
// per unit and a model or two each (target: ≤ 1 s, ≤ 100 MB).
func BenchmarkReportProvince(b *testing.B) {
	benchFile(b, mustProvinceMaker(b, 38), flows.Attachment{Kind: flows.DocFile, Period: "2026-Q1"})
}

// mustProvinceMaker makes a province of communes × every organisation, everything reported.
func mustProvinceMaker(tb testing.TB, communes int) *Maker {
	tb.Helper()
	cfg := config.Default()
	dir := mustGrid(tb, "laichau", "xa", "Xã", communes, cfg.Orgs)
	m := &Maker{Dir: dir, Forms: cfg.Forms, Calendar: cfg.FlowsCalendar(), Indicators: cfg.Indicators(), Report: mustReportTemplate(tb)}
	src := &mapSource{tallies: map[flows.TallyKey]flows.Tally{}, subs: map[flows.Key]flows.Submission{}}
	texts, models := &fakeNarratives{}, &fakeModels{}
	fields := []string{"Phát triển kinh tế, thay đổi tập quán lạc hậu", "Bảo vệ và phát triển rừng",
		"Giữ gìn bản sắc văn hóa dân tộc", "Xóa bỏ hủ tục lạc hậu", "An ninh trật tự"}
	words := strings.Repeat("Chi hội tổ chức sinh hoạt định kỳ, vận động hội viên tham gia phát triển kinh tế hộ gia đình. ", 4)
	for _, per := range []string{"2025-Y", "2026-Q1"} {
		p, _ := m.Calendar.Period(per)
		at := p.Due.AddDate(0, 0, -5)
		for i, u := range dir.Units("") {
			for form, v := range map[string]map[string]int64{
				"membership": {"eligible": 1000 + int64(i%300), "members": 850 + int64(i%100), "new_members": 5, "active": 800,
					"branches": 10, "branches_good": 9},
				"activities": {"meetings": 4, "participants": 90, "models": int64(i % 3), "exemplars": 1, "petitions": 9, "resolved": 6},
			} {
				k := flows.Key{Unit: u.ID, Period: per, Form: form}
				sub := flows.Submission{Key: k, Values: v, By: "tg:1", At: at, Version: 1}
				src.subs[k] = sub
				t := src.tallies[flows.TallyKey{Period: per, Node: "laichau", Org: flows.AllOrgs, Form: form}]
				t.Add(flows.Contribution(&sub, cfg.Indicators(), p.Due))
				src.tallies[flows.TallyKey{Period: per, Node: "laichau", Org: flows.AllOrgs, Form: form}] = t
			}
		}
	}
	for i, u := range dir.Units("") {
		for _, q := range []string{"results", "shortcomings", "proposals"} {
			texts.list = append(texts.list, Narrative{Unit: u.ID, Question: q, Text: words})
		}
		for j := range 1 + i%2 {
			models.list = append(models.list, Model{Unit: u.ID, Name: "Mô hình " + strconv.Itoa(j), Field: fields[(i+j)%len(fields)], Recognised: j == 0})
		}
	}
	m.Source, m.Narratives, m.Models = src, texts, models
	return m
}
