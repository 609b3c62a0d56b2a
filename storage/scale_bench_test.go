package storage

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"danvan/config"
	"danvan/flows"
	"danvan/internal/nationwide"
	"danvan/internal/scaletest"
)

// BenchmarkRecountNation recounts the tallies of a nation (internal/nationwide: 34 provinces,
// 3,321 communes, six organisations each: 20,130 units, nine in ten of them reporting both
// forms in each period the recount reads) on a Redis of its own, after the targets changed, so
// every period is counted again in full. It reports how long the recount takes (recount-s), the
// longest command Redis logged (slowest-cmd-ms: 0 means none of 10 ms or more), how long its
// chunk scripts took (chunk-p50-ms, chunk-p99-ms: the SLOWLOG logs every command during the
// recount) and the slowest PING answered meanwhile (ping-max-ms): what everyone else waited.
// unchanged-ms is a start with nothing changed, which reads one fingerprint per period.
//
//	go test -run '^$' -bench RecountNation -benchtime 3x ./storage
func BenchmarkRecountNation(b *testing.B) {
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Addr: scaletest.StartRedis(b), PoolSize: 64})
	s := New(rdb, "nation:")
	b.Cleanup(func() { _ = s.Close() })
	cfg := config.Default()
	dir, err := nationwide.Directory(cfg.Orgs)
	if err != nil {
		b.Fatal(err)
	}
	cal := cfg.FlowsCalendar()
	now := time.Date(2026, 4, 20, 9, 0, 0, 0, cal.Loc)
	s.UseModel(dir, cal, cfg.Indicators())
	for _, p := range recountPeriods(cal, now) {
		w, err := scaletest.Seed(ctx, s, dir, scaletest.Options{Period: p, Forms: cfg.Forms, Submitted: 0.9, Leaders: -1})
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("seeded %s: %d units, %d submissions in %v", p.ID, len(w.Units), w.Submitted, w.Seeded.Round(time.Millisecond))
	}
	if _, err := s.Recount(ctx, cfg.Forms, now); err != nil { // the tallies as the seed's model counts them
		b.Fatal(err)
	}
	var took, slowest, pingMax time.Duration
	var chunks []time.Duration
	for i := 0; b.Loop(); i++ {
		targets := slices.Clone(cfg.Indicators())
		targets[0].Min += float64(i+1) / 1000 // the admin moved a target: every period is counted again
		s.UseModel(dir, cal, targets)
		_, _, _ = scaletest.Slowest(ctx, rdb)
		if err := rdb.ConfigSet(ctx, "slowlog-log-slower-than", "0").Err(); err != nil { // every command, this once
			b.Fatal(err)
		}
		ping := scaletest.StartPinger(rdb)
		start := time.Now()
		res, err := s.Recount(ctx, cfg.Forms, now)
		took = max(took, time.Since(start))
		worst, _ := ping.Stop()
		pingMax = max(pingMax, worst)
		if err != nil || len(res) == 0 || res[0].Verdict != RecountBuilt {
			b.Fatalf("Recount: got %+v, %v; want every period built", res, err)
		}
		chunks = append(chunks, chunkTimes(ctx, b, rdb)...)
		cmd, name, err := scaletest.Slowest(ctx, rdb)
		if err != nil {
			b.Fatal(err)
		}
		if cmd > slowest {
			slowest = cmd
			b.Logf("slowest command: %s %v", name, cmd)
		}
	}
	b.ReportMetric(float64(scaletest.Percentile(chunks, 0.5).Microseconds())/1000, "chunk-p50-ms")
	b.ReportMetric(float64(scaletest.Percentile(chunks, 0.99).Microseconds())/1000, "chunk-p99-ms")
	start := time.Now()
	if res, err := s.Recount(ctx, cfg.Forms, now); err != nil || res[0].Verdict != RecountFresh {
		b.Fatalf("Recount with nothing changed: got %+v, %v", res, err)
	}
	b.ReportMetric(float64(time.Since(start).Microseconds())/1000, "unchanged-ms")
	b.ReportMetric(took.Seconds(), "recount-s")
	b.ReportMetric(float64(slowest.Microseconds())/1000, "slowest-cmd-ms")
	b.ReportMetric(float64(pingMax.Microseconds())/1000, "ping-max-ms")
}

// chunkTimes returns how long each chunk script of the recount took, from the SLOWLOG (which
// logged every command), and sets the log back to SlowMicros.
func chunkTimes(ctx context.Context, b *testing.B, rdb *redis.Client) []time.Duration {
	b.Helper()
	entries, err := rdb.SlowLogGet(ctx, -1).Result()
	if err != nil {
		b.Fatal(err)
	}
	var out []time.Duration
	for _, e := range entries {
		if len(e.Args) > 1 && e.Args[0] == "evalsha" && e.Args[1] == buildChunkScript.Hash() {
			out = append(out, e.Duration)
		}
	}
	if err := rdb.ConfigSet(ctx, "slowlog-log-slower-than", fmt.Sprint(scaletest.SlowMicros)).Err(); err != nil {
		b.Fatal(err)
	}
	return out
}

// recountPeriods are the periods Recount reads at now: the open ones and those each compares with.
func recountPeriods(cal flows.Calendar, now time.Time) []flows.Period {
	var out []flows.Period
	seen := map[string]bool{}
	for _, p := range cal.Open(now) {
		for _, q := range append([]flows.Period{p}, cal.Compared(p)...) {
			if !seen[q.ID] {
				seen[q.ID] = true
				out = append(out, q)
			}
		}
	}
	return out
}
