package scaletest

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"danvan/internal/redistest"
)

// SlowMicros is what a scale benchmark's own Redis logs as slow: every command of 10 ms or
// more, so the longest one shows even when it is under the 50 ms the issue allows.
const SlowMicros = 10000

// StartRedis starts a redis-server of the benchmark's own (its SLOWLOG is set up for it, which
// the shared Redis must never be) and returns its address.
func StartRedis(tb testing.TB) string {
	tb.Helper()
	s := redistest.StartServer(tb, "--slowlog-log-slower-than", fmt.Sprint(SlowMicros), "--slowlog-max-len", "100000",
		"--maxmemory-policy", "noeviction")
	return s.Addr
}

// Slowest returns the longest command the SLOWLOG of rdb holds (zero for none: every command
// took less than SlowMicros), leaving out the benchmark's own SLOWLOG and CONFIG, its name, and
// empties the log.
func Slowest(ctx context.Context, rdb *redis.Client) (time.Duration, string, error) {
	entries, err := rdb.SlowLogGet(ctx, -1).Result()
	if err != nil {
		return 0, "", err
	}
	var worst time.Duration
	var name string
	for _, e := range entries {
		if len(e.Args) > 0 && (strings.EqualFold(e.Args[0], "slowlog") || strings.EqualFold(e.Args[0], "config")) {
			continue // the benchmark's own look at the log
		}
		if e.Duration > worst && len(e.Args) > 0 {
			worst, name = e.Duration, fmt.Sprint(e.Args[:min(2, len(e.Args))])
		}
	}
	return worst, name, rdb.SlowLogReset(ctx).Err()
}

// Pinger measures, while it runs, how long Redis takes to answer a PING every few
// milliseconds: what anyone else waits while a benchmark's work runs.
type Pinger struct {
	mu    sync.Mutex
	took  []time.Duration
	stop  chan struct{}
	done  chan struct{}
	start time.Time
}

// StartPinger pings rdb every 5 ms until Stop.
func StartPinger(rdb *redis.Client) *Pinger {
	p := &Pinger{stop: make(chan struct{}), done: make(chan struct{}), start: time.Now()}
	go func() {
		defer close(p.done)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
			}
			at := time.Now()
			_ = rdb.Ping(context.Background()).Err()
			p.mu.Lock()
			p.took = append(p.took, time.Since(at))
			p.mu.Unlock()
		}
	}()
	return p
}

// Stop ends the pings and returns the slowest answer and the 99th percentile.
func (p *Pinger) Stop() (worst, p99 time.Duration) {
	close(p.stop)
	<-p.done
	p.mu.Lock()
	defer p.mu.Unlock()
	return Percentile(p.took, 1), Percentile(p.took, 0.99)
}

// Percentile returns the q-th quantile of ds (0 for none).
func Percentile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[min(len(s)-1, int(q*float64(len(s)-1)+0.5))]
}
