package telegram

import (
	"flag"
	"testing"

	"github.com/redis/go-redis/v9"

	"danvan/bot"
	"danvan/internal/metrics"
	"danvan/internal/redistest"
	"danvan/internal/testkit"
	"danvan/storage"
)

var loadMetrics = flag.String("load.metrics", "off", "BenchmarkLoad's bot without the Prometheus observers (off), with them (on), or both in turn")

// loadSetup is one bot BenchmarkLoad drives: a Redis client of its own on the shared prefix,
// its store and dispatcher and, with metrics, the observers wired as main wires them.
type loadSetup struct {
	rdb   *redis.Client
	trips *testkit.RoundTrips
	store *storage.Store
	d     *bot.Dispatcher
	obs   Observer // nil without metrics
	runs  []*loadRun
}

// loadSetups are the bots -load.metrics asks for, the one the benchmark's main figures are of
// first.
func loadSetups(b *testing.B, n int) []*loadSetup {
	b.Helper()
	prefix := testkit.MustPrefix(b)
	switch *loadMetrics {
	case "off":
		return []*loadSetup{newLoadSetup(b, prefix, n, false)}
	case "on":
		return []*loadSetup{newLoadSetup(b, prefix, n, true)}
	case "both":
		return []*loadSetup{newLoadSetup(b, prefix, n, false), newLoadSetup(b, prefix, n, true)}
	}
	b.Fatalf("-load.metrics %q: want off, on or both", *loadMetrics)
	return nil
}

func newLoadSetup(b *testing.B, prefix string, n int, withMetrics bool) *loadSetup {
	b.Helper()
	s := &loadSetup{rdb: redis.NewClient(&redis.Options{Addr: redistest.Addr(), PoolSize: 4 * maxWorkers}), trips: &testkit.RoundTrips{}}
	s.rdb.AddHook(s.trips)
	var m *metrics.Metrics
	if withMetrics {
		m = metrics.New(metrics.Options{})
		s.rdb.AddHook(m.RedisHook())
		s.obs = m.Transport(Prefix)
	}
	s.store = storage.New(s.rdb, prefix)
	b.Cleanup(func() { s.store.Close() })
	s.d = loadDispatcher(b, s.store, n)
	if m != nil {
		s.d.Observer = m
	}
	return s
}

// reportMetricsCost reports, when both bots ran, the one with metrics against the one without:
// throughput and CPU time per update (the steadier figure on a shared machine) of each, medians
// of the rounds (the main figures aggregate the rounds instead), and the ratios.
func reportMetricsCost(b *testing.B, setups []*loadSetup) {
	if len(setups) < 2 {
		return
	}
	rate := func(s *loadSetup) (float64, float64) {
		var perSec, cpu []float64
		for _, r := range s.runs {
			perSec, cpu = append(perSec, r.perSecond()), append(cpu, r.cpuPerUpdate())
		}
		return median(perSec), median(cpu)
	}
	offRate, offCPU := rate(setups[0])
	onRate, onCPU := rate(setups[1])
	b.ReportMetric(offRate, "metrics-off-updates/s")
	b.ReportMetric(offCPU, "metrics-off-cpu-µs/update")
	b.ReportMetric(onRate, "metrics-updates/s")
	b.ReportMetric(onCPU, "metrics-cpu-µs/update")
	b.ReportMetric(100*onRate/offRate, "metrics-%-of-throughput")
	b.ReportMetric(100*(onCPU/offCPU-1), "metrics-%-more-cpu")
}
