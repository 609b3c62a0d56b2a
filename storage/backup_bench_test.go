package storage

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"danvan/flows"
	"danvan/internal/redistest"
)

var (
	backupUnits = flag.Int("backup.units", 20000, "units of BenchmarkBackup's province (a multiple of 500)")
	backupAddr  = flag.String("backup.addr", "", "run BenchmarkBackup on this Redis `host:port` (a server of your own, left full) instead of prefixes of the shared one")
)

// backupPeriods are two years of quarterly reporting.
var backupPeriods = []string{"2024-Q1", "2024-H1", "2024-Q3", "2024-Y", "2025-Q1", "2025-H1", "2025-Q3", "2025-Y"}

// BenchmarkBackup dumps and restores a province: 20,000 units (100 wards per district, 5
// organisations per ward), an organiser each, two years of quarterly reports (8 periods × 2
// forms, submitted through Store.Apply so tallies and history are real; one in ten resubmitted)
// and a reminder log. Seeding takes minutes and is outside the timers; the dump goes to a file.
// It reports the time of each, the keys, the dump's size and the peak live Go heap.
//
//	go test ./storage -run '^$' -bench Backup -benchtime 1x -timeout 30m
func BenchmarkBackup(b *testing.B) {
	src := backupStore(b, "backup")
	dir, units := backupDirectory(b, *backupUnits)
	src.UseModel(dir, benchCal, nil)
	start := time.Now()
	seedProvince(b, src, units)
	b.Logf("seeded %d units in %v", len(units), time.Since(start).Round(time.Second))
	if *backupAddr != "" {
		b.Logf("redis memory: %s", parseInfo(src.rdb.Info(context.Background(), "memory").Val())["used_memory_human"])
	}
	file := filepath.Join(b.TempDir(), "backup.jsonl.gz")

	b.Run("dump", func(b *testing.B) {
		for b.Loop() {
			f, err := os.Create(file)
			if err != nil {
				b.Fatal(err)
			}
			h := startPeakHeap()
			w := bufio.NewWriterSize(f, 1<<20)
			st, err := src.Dump(context.Background(), w, time.Now())
			if err == nil {
				err = w.Flush()
			}
			peak, _ := h.Stop()
			if err := f.Close(); err != nil {
				b.Fatal(err)
			}
			if err != nil {
				b.Fatalf("Dump: %v", err)
			}
			fi, _ := os.Stat(file)
			b.ReportMetric(float64(st.Keys), "keys")
			b.ReportMetric(float64(fi.Size())/(1<<20), "file-MB")
			b.ReportMetric(peak, "peak-heap-MB")
		}
	})
	b.Run("restore", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			dst := backupStore(b, "restored")
			f, err := os.Open(file)
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			h := startPeakHeap()
			st, err := dst.Restore(context.Background(), f, RestoreOptions{})
			peak, _ := h.Stop()
			f.Close()
			if err != nil {
				b.Fatalf("Restore: %v", err)
			}
			b.ReportMetric(float64(st.Keys), "keys")
			b.ReportMetric(peak, "peak-heap-MB")
		}
	})
}

// backupStore is a Store under a prefix of its own: on the shared Redis, deleted after the
// benchmark, or on -backup.addr.
func backupStore(b *testing.B, name string) *Store {
	b.Helper()
	if *backupAddr == "" {
		return storeAt(b, redistest.Prefix(b, name))
	}
	s := New(redis.NewClient(&redis.Options{Addr: *backupAddr}), fmt.Sprintf("%s:%d:", name, time.Now().UnixNano()))
	b.Cleanup(func() { _ = s.Close() })
	return s
}

// backupDirectory is a province of n units: districts of 100 wards of the 5 benchmark
// organisations.
func backupDirectory(b *testing.B, n int) (*flows.Directory, []string) {
	b.Helper()
	var orgs []flows.Org
	for _, o := range benchOrgs {
		orgs = append(orgs, flows.Org{ID: o, Name: flows.Text{Vi: o}})
	}
	nodes := []flows.Node{{ID: "tinh", Name: flows.Text{Vi: "Tỉnh"}}}
	var units []string
	for d := range n / 500 {
		dist := fmt.Sprintf("d%02d", d)
		nodes = append(nodes, flows.Node{ID: dist, Name: flows.Text{Vi: dist}, Parent: "tinh"})
		for w := range 100 {
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

// seedProvince links an organiser to each unit, submits every report (one in ten twice) and
// marks two reminders sent to one organiser in ten, per period, from many goroutines.
func seedProvince(b *testing.B, s *Store, units []string) {
	b.Helper()
	jobs := make(chan int)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	for range 64 {
		wg.Go(func() {
			for i := range jobs {
				if err := seedUnit(s, i, units[i]); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		})
	}
	for i := range units {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	select {
	case err := <-errs:
		b.Fatalf("seed: %v", err)
	default:
	}
}

func seedUnit(s *Store, i int, unit string) error {
	ctx := context.Background()
	person := fmt.Sprintf("tg:%d", 100000+i)
	if err := s.Link(ctx, person, flows.Person{ID: person, Name: "Cán bộ " + unit, Units: []string{unit}}); err != nil {
		return err
	}
	for p, period := range backupPeriods {
		at := time.Date(2024+p/4, time.Month(3*(p%4)+3), 10, 9, 0, 0, 0, time.UTC)
		var effects []flows.Effect
		for _, form := range tallyForms {
			k := flows.Key{Unit: unit, Period: period, Form: form}
			v1 := flows.Submission{Key: k, Ref: flows.Reference(k, 1, at), Values: benchValues[form], By: person, At: at, Version: 1}
			effects = append(effects, flows.Submit{Submission: v1})
			if i%10 == 0 {
				v2 := v1
				v2.Version, v2.At, v2.FirstAt, v2.Ref = 2, at.Add(time.Hour), at, flows.Reference(k, 2, at.Add(time.Hour))
				effects = append(effects, flows.Submit{Submission: v2, Replaces: &v1})
			}
		}
		if err := s.Apply(ctx, effects); err != nil {
			return err
		}
		if i%10 == 0 {
			for _, step := range []string{"-7d", "-2d"} {
				if err := s.DoneReminder(ctx, period, step, person); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// peakHeap samples the live heap every millisecond while it runs: the bound that matters is the
// peak, not the total allocated.
type peakHeap struct {
	stop       chan struct{}
	done       sync.WaitGroup
	base, peak uint64
}

func startPeakHeap() *peakHeap {
	runtime.GC()
	h := &peakHeap{stop: make(chan struct{})}
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	h.base = sample[0].Value.Uint64()
	h.done.Go(func() {
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			h.peak = max(h.peak, sample[0].Value.Uint64())
			select {
			case <-h.stop:
				return
			case <-tick.C:
			}
		}
	})
	return h
}

// Stop ends sampling and returns the peak and the heap at the start, in MB.
func (h *peakHeap) Stop() (peak, base float64) {
	close(h.stop)
	h.done.Wait()
	return float64(h.peak) / (1 << 20), float64(h.base) / (1 << 20)
}
