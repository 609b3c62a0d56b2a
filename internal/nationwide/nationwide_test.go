package nationwide

import (
	"bytes"
	"syscall"
	"testing"
	"time"

	"danvan/config"
	"danvan/flows"
	"danvan/internal/fixture"
)

func TestNationwide(t *testing.T) {
	orgs := fixture.Config(t).Orgs
	d, err := Directory(orgs)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(d.Children("")); got != Provinces {
		t.Errorf("roots: got %d, want %d provinces", got, Provinces)
	}
	communes := 0
	for p := range Provinces {
		communes += len(d.ChildPlaces(ProvinceID(p)))
	}
	if communes != Communes {
		t.Errorf("communes and wards: got %d, want %d", communes, Communes)
	}
	if got, want := len(d.Units("")), (Provinces+Communes)*len(orgs); got != want {
		t.Errorf("units: got %d, want %d", got, want)
	}
	if got := d.UnitCount(CommuneID(2, 5), "*"); got != len(orgs) {
		t.Errorf("units of a commune: got %d, want %d", got, len(orgs))
	}
	if !bytes.Equal(YAML(orgs), YAML(orgs)) {
		t.Error("YAML: got two different files from one call and the next, want the same")
	}
	ten, err := fixture.Config(t).Tenancy(d) // no tenants section: a tenant per province
	if err != nil {
		t.Fatal(err)
	}
	if got := len(ten.All()); got != Provinces {
		t.Errorf("tenants: got %d, want one per province", got)
	}
	if tn, _ := ten.Of(CommuneID(5, 3) + "-phunu"); tn.ID != ProvinceID(5) || tn.Name.Vi != provinceNames[5] {
		t.Errorf("tenant of a unit of province 6: got %s %q, want %s", tn.ID, tn.Name.Vi, ProvinceID(5))
	}
}

// BenchmarkDirectoryLoad is what start-up spends on the nationwide directory (≈ 20,000 units)
// read from a config file: YAML decoding, every check (config's and flows'), and the directory
// with its precomputed views (target: ≤ 1 s).
//
//	go test ./internal/nationwide -run '^$' -bench DirectoryLoad -benchtime 5x
func BenchmarkDirectoryLoad(b *testing.B) {
	data := YAML(fixture.Config(b).Orgs)
	var worst time.Duration
	cpu0 := cpuTime(b)
	for b.Loop() {
		t0 := time.Now()
		c, err := config.Parse("nationwide.yaml", data)
		if err != nil {
			b.Fatal(err)
		}
		dir, err := c.Directory()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := c.Tenancy(dir); err != nil { // a tenant per province, as main builds them
			b.Fatal(err)
		}
		worst = max(worst, time.Since(t0))
	}
	// The process's CPU time per load, garbage collection included: on a machine shared with
	// other work the wall time (ns/op) says more about the neighbours than about the load.
	b.ReportMetric(float64((cpuTime(b)-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(worst.Milliseconds()), "worst-ms")
	b.ReportMetric(float64(len(data))/1e6, "file-MB")
}

// BenchmarkNewDirectory is the directory alone built from the ≈ 23,500 entries (checks, dates,
// predecessors, views), without the YAML file around it.
func BenchmarkNewDirectory(b *testing.B) {
	orgs := fixture.Config(b).Orgs
	nodes := Nodes(orgs)
	for b.Loop() {
		if _, err := flows.NewDirectory(orgs, nodes); err != nil {
			b.Fatal(err)
		}
	}
}

// cpuTime is the CPU time the process used so far, user and system.
func cpuTime(tb testing.TB) time.Duration {
	tb.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
