package storage

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"danvan/flows"
	"danvan/internal/redistest"
)

// The benchmark city: 25 districts × 80 wards × 5 organisations = 10,000 units, two forms, two
// periods (2026-Q1 and the year before it), a submission for every unit, form and period.
const (
	benchDistricts = 25
	benchWards     = 80
)

var (
	benchOrgs    = []string{"mttq", "doan", "phunu", "nongdan", "ccb"}
	benchPeriods = []string{"2026-Q1", "2025-Y"}
	benchCal     = flows.Calendar{Loc: time.UTC, Specs: []flows.PeriodSpec{
		{Kind: flows.Q1, Name: flows.Text{Vi: "Quý I"}, Due: flows.MonthDay{Month: 3, Day: 15}},
		{Kind: flows.Year, Name: flows.Text{Vi: "Năm"}, Due: flows.MonthDay{Month: 11, Day: 15}},
	}}
	benchValues = map[string]map[string]int64{
		"membership": {"eligible": 1250, "members": 1100, "new": 40, "active": 1000},
		"activity":   {"meetings": 12, "participants": 900, "models": 1, "exemplars": 2, "petitions": 30, "resolved": 27},
	}
)

// benchDirectory returns the benchmark city and its units.
func benchDirectory(b *testing.B) (*flows.Directory, []string) {
	b.Helper()
	var orgs []flows.Org
	for _, o := range benchOrgs {
		orgs = append(orgs, flows.Org{ID: o, Name: flows.Text{Vi: o}})
	}
	nodes := []flows.Node{{ID: "city", Name: flows.Text{Vi: "Thành phố"}}}
	var units []string
	for d := range benchDistricts {
		dist := fmt.Sprintf("d%02d", d)
		nodes = append(nodes, flows.Node{ID: dist, Name: flows.Text{Vi: dist}, Parent: "city"})
		for w := range benchWards {
			ward := fmt.Sprintf("%s-w%02d", dist, w)
			nodes = append(nodes, flows.Node{ID: ward, Name: flows.Text{Vi: ward}, Parent: dist})
			for _, o := range benchOrgs {
				unit := ward + "-" + o
				nodes = append(nodes, flows.Node{ID: unit, Name: flows.Text{Vi: unit}, Parent: ward, Org: o})
				units = append(units, unit)
			}
		}
	}
	return mustDir(b, orgs, nodes), units
}

// seedCity submits every unit's reports through the real submit path, from many goroutines.
func seedCity(b *testing.B, s *Store, units []string) {
	b.Helper()
	type job struct{ unit, period, form string }
	jobs := make(chan job)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	for range 64 {
		wg.Go(func() {
			for j := range jobs {
				k := flows.Key{Unit: j.unit, Period: j.period, Form: j.form}
				sub := flows.Submission{Key: k, Ref: "BENCH1", Values: benchValues[j.form], By: "tg:1", At: day, Version: 1}
				if err := s.Apply(context.Background(), []flows.Effect{flows.Submit{Submission: sub}}); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		})
	}
	for _, u := range units {
		for _, p := range benchPeriods {
			for _, f := range tallyForms {
				jobs <- job{u, p, f}
			}
		}
	}
	close(jobs)
	wg.Wait()
	select {
	case err := <-errs:
		b.Fatalf("seed: %v", err)
	default:
	}
}

// cityView lists the tallies /figures reads for the whole city: the city and each district, for
// each organisation and all of them, each form, this period and the one before.
func cityView(dir *flows.Directory) []flows.TallyKey {
	var keys []flows.TallyKey
	nodes := append([]string{"city"}, dir.Children("city")...)
	for _, p := range benchPeriods {
		for _, n := range nodes {
			for _, o := range append([]string{flows.AllOrgs}, benchOrgs...) {
				for _, f := range tallyForms {
					keys = append(keys, flows.TallyKey{Period: p, Node: n, Org: o, Form: f})
				}
			}
		}
	}
	return keys
}

// BenchmarkCity10k measures the reads of a leader's city-wide figures and of the spreadsheet on a
// city of 10,000 units: ns/op, round trips per call (roundtrips/op) and the 99th percentile of
// the calls' latency (p99-ms).
func BenchmarkCity10k(b *testing.B) {
	s := storeAt(b, redistest.Prefix(b, "bench-city"))
	dir, units := benchDirectory(b)
	s.UseModel(dir, benchCal, tallyInds)
	start := time.Now()
	seedCity(b, s, units)
	b.Logf("seeded %d units × %d forms × %d periods in %v", len(units), len(tallyForms), len(benchPeriods), time.Since(start))
	view := cityView(dir)

	b.Run("Tallies", func(b *testing.B) {
		got, err := s.Tallies(b.Context(), view)
		if err != nil || got[view[0]].Reported != len(units) {
			b.Fatalf("Tallies of the city = %+v, %v; want %d reported", got[view[0]], err, len(units))
		}
		measure(b, s, func(ctx context.Context) error { _, err := s.Tallies(ctx, view); return err })
		b.ReportMetric(float64(len(view)), "keys/op")
	})
	b.Run("Submissions", func(b *testing.B) {
		got, err := s.Submissions(b.Context(), benchPeriods[0], units, tallyForms)
		if err != nil || len(got) != len(units)*len(tallyForms) {
			b.Fatalf("Submissions = %d, %v; want %d", len(got), err, len(units)*len(tallyForms))
		}
		measure(b, s, func(ctx context.Context) error {
			_, err := s.Submissions(ctx, benchPeriods[0], units, tallyForms)
			return err
		})
	})
}

// measure runs call b.N times and reports round trips per call and the p99 latency.
func measure(b *testing.B, s *Store, call func(context.Context) error) {
	b.Helper()
	hook := &countHook{}
	s.rdb.AddHook(hook) // hooks stay on the client: count from here, by difference
	var took []time.Duration
	n := 0
	for b.Loop() {
		t0 := time.Now()
		if err := call(b.Context()); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(t0))
		n++
	}
	slices.Sort(took)
	b.ReportMetric(float64(hook.cmds.Load()+hook.pipes.Load())/float64(n), "roundtrips/op")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
}
