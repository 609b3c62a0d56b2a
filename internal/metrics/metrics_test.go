package metrics

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/redis/go-redis/v9"

	"danvan/internal/redistest"
)

// mustServe serves m's endpoints on a test server and returns its URL.
func mustServe(tb testing.TB, m *Metrics) string {
	tb.Helper()
	mux := http.NewServeMux()
	m.Mount(mux)
	srv := httptest.NewServer(mux)
	tb.Cleanup(srv.Close)
	return srv.URL
}

// mustGet returns the status and body of a GET of url.
func mustGet(tb testing.TB, url string) (int, string) {
	tb.Helper()
	res, err := http.Get(url)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return res.StatusCode, string(b)
}

// mustScrape GETs /metrics and parses it as Prometheus scrapes it: one value per series, named
// `name{label="value",…}` with the labels sorted; a histogram gives name_count and name_sum.
func mustScrape(tb testing.TB, base string) map[string]float64 {
	tb.Helper()
	code, body := mustGet(tb, base+"/metrics")
	if code != http.StatusOK {
		tb.Fatalf("GET /metrics: got %d, want 200", code)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	families, err := p.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		tb.Fatalf("parse /metrics: %v", err)
	}
	out := map[string]float64{}
	for name, f := range families {
		for _, m := range f.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, fmt.Sprintf("%s=%q", l.GetName(), l.GetValue()))
			}
			sort.Strings(labels)
			series := name
			if len(labels) > 0 {
				series += "{" + strings.Join(labels, ",") + "}"
			}
			switch {
			case m.Counter != nil:
				out[series] = m.GetCounter().GetValue()
			case m.Gauge != nil:
				out[series] = m.GetGauge().GetValue()
			case m.Histogram != nil:
				out[strings.Replace(series, name, name+"_count", 1)] = float64(m.GetHistogram().GetSampleCount())
				out[strings.Replace(series, name, name+"_sum", 1)] = m.GetHistogram().GetSampleSum()
			}
		}
	}
	return out
}

// TestMetricsCount: what the observers are told shows in a scrape, under the documented names
// and labels.
func TestMetricsCount(t *testing.T) {
	m := New(Options{Log: slog.New(slog.DiscardHandler)})
	m.Handled("tg", "text", "ok", 3*time.Millisecond)
	m.Handled("tg", "text", "duplicate", time.Millisecond)
	m.Handled("zalo", "button", "failed", 2*time.Second)
	tg := m.Transport("tg")
	tg.Received("text")
	tg.Received("text")
	tg.Sent("")
	tg.Sent("blocked")
	tg.Polled(nil, time.Minute)
	tg.Polled(errors.New("502"), 0)
	r := m.Reminders()
	r.Reminded("-7d", "claimed")
	r.Reminded("-7d", "sent")
	r.Queued(5)
	r.Queued(-2)
	if err := m.RefreshDrafts(context.Background(), drafts(7)); err != nil {
		t.Fatal(err)
	}
	got := mustScrape(t, mustServe(t, m))
	for series, want := range map[string]float64{
		`danvan_updates_handled_total{channel="tg",kind="text",outcome="ok"}`:         1,
		`danvan_updates_handled_total{channel="tg",kind="text",outcome="duplicate"}`:  1,
		`danvan_updates_handled_total{channel="zalo",kind="button",outcome="failed"}`: 1,
		`danvan_update_duration_seconds_count{channel="tg",kind="text"}`:              2,
		`danvan_update_duration_seconds_sum{channel="zalo",kind="button"}`:            2,
		`danvan_updates_received_total{channel="tg",kind="text"}`:                     2,
		`danvan_messages_sent_total{channel="tg"}`:                                    1,
		`danvan_messages_failed_total{cause="blocked",channel="tg"}`:                  1,
		`danvan_transport_polls_total{channel="tg",result="ok"}`:                      1,
		`danvan_transport_polls_total{channel="tg",result="failed"}`:                  1,
		`danvan_reminders_total{outcome="claimed",step="-7d"}`:                        1,
		`danvan_reminders_total{outcome="sent",step="-7d"}`:                           1,
		`danvan_reminders_queued`:                                                     3,
		`danvan_drafts_open`:                                                          7,
	} {
		if got[series] != want {
			t.Errorf("%s: got %v, want %v", series, got[series], want)
		}
	}
	if got[`danvan_transport_last_ok_timestamp_seconds{channel="tg"}`] == 0 {
		t.Errorf("last ok timestamp: got 0, want the time of the successful poll")
	}
	if got[`process_resident_memory_bytes`] == 0 && got[`go_goroutines`] == 0 {
		t.Errorf("got no Go or process metrics, want them registered too")
	}
}

type drafts int64

func (d drafts) OpenDrafts(context.Context) (int64, error) { return int64(d), nil }

// TestMetricsLabels: no metric of ours has a label that could carry a person, a chat, a unit or
// a text; only the few closed sets below.
func TestMetricsLabels(t *testing.T) {
	m := New(Options{})
	m.Handled("tg", "text", "ok", time.Millisecond)
	tr := m.Transport("tg")
	tr.Received("text")
	tr.Sent("network")
	tr.Polled(nil, time.Minute)
	m.Reminders().Reminded("-7d", "sent")
	m.RedisHook()
	families, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	allowed := []string{"channel", "kind", "outcome", "cause", "result", "step", "op"}
	for _, f := range families {
		if !strings.HasPrefix(f.GetName(), "danvan_") {
			continue
		}
		for _, s := range f.GetMetric() {
			for _, l := range s.GetLabel() {
				if !slices.Contains(allowed, l.GetName()) {
					t.Errorf("%s: got label %q, want only %v", f.GetName(), l.GetName(), allowed)
				}
			}
		}
	}
}

// TestRedisHook: every command and pipeline is timed, a missing key is no error, a Redis that is
// down counts dial and command errors.
func TestRedisHook(t *testing.T) {
	m := New(Options{})
	prefix := redistest.Prefix(t, "metrics")
	rdb := redistest.Client(redistest.Addr())
	defer rdb.Close()
	rdb.AddHook(m.RedisHook())
	ctx := context.Background()
	if err := rdb.Set(ctx, prefix+"k", "v", time.Minute).Err(); err != nil {
		t.Fatal(err)
	}
	if err := rdb.Get(ctx, prefix+"none").Err(); !errors.Is(err, redis.Nil) {
		t.Fatalf("get a missing key: got %v, want redis.Nil", err)
	}
	if _, err := rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.Get(ctx, prefix+"k")
		p.Get(ctx, prefix+"none")
		return nil
	}); err != nil && !errors.Is(err, redis.Nil) {
		t.Fatal(err)
	}
	down := redis.NewClient(&redis.Options{Addr: redistest.ClosedAddr(t), MaxRetries: -1, DialerRetries: 1})
	defer down.Close()
	down.AddHook(m.RedisHook())
	if err := down.Ping(ctx).Err(); err == nil {
		t.Fatal("ping a closed port: got nil, want an error")
	}
	got := mustScrape(t, mustServe(t, m))
	for series, want := range map[string]float64{
		`danvan_redis_errors_total{op="command"}`:  1,
		`danvan_redis_errors_total{op="pipeline"}`: 0,
	} {
		if got[series] != want {
			t.Errorf("%s: got %v, want %v", series, got[series], want)
		}
	}
	if n := got[`danvan_redis_errors_total{op="dial"}`]; n < 1 {
		t.Errorf("dial errors: got %v, want at least 1 (go-redis dials again on its own)", n)
	}
	if n := got[`danvan_redis_duration_seconds_count{op="command"}`]; n < 3 {
		t.Errorf("commands timed: got %v, want at least 3", n)
	}
	if n := got[`danvan_redis_duration_seconds_count{op="pipeline"}`]; n != 1 {
		t.Errorf("pipelines timed: got %v, want 1", n)
	}
}

// fakeRedis answers PING as told.
type fakeRedis struct {
	mu  sync.Mutex
	err error
}

func (f *fakeRedis) Ping(context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.err
}

func (f *fakeRedis) set(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.err = err
}

// clock is a clock the test moves.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// TestReadiness: ready once Redis answers and every transport has taken updates recently;
// unready, saying which check failed, when Redis does not answer, before a transport's first
// success, and when a polling transport has gone more than twice its interval without one; a
// webhook transport stays ready through any silence. Warnings show and leave it ready.
func TestReadiness(t *testing.T) {
	red, clk := &fakeRedis{}, &clock{t: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)}
	m := New(Options{Redis: red, Now: clk.now})
	base := mustServe(t, m)
	tg, zalo := m.Transport("tg"), m.Transport("zalo")
	m.Warn("redis at 127.0.0.1:6399 has maxmemory-policy allkeys-lru")
	steps := []struct {
		name  string
		do    func()
		code  int
		lines []string
	}{
		{"nothing polled yet", func() {}, 503, []string{"ok: redis", "failed: tg: no successful call", "failed: zalo: no successful call"}},
		{"both up", func() { tg.Polled(nil, 45*time.Second); zalo.Polled(nil, 0) }, 200, []string{"ok: tg: polled 0s ago", "ok: zalo: webhook set"}},
		{"a poll fails, within the window", func() { clk.advance(80 * time.Second); tg.Polled(errors.New("getUpdates: 502 Bad Gateway"), 0) }, 200, []string{"ok: tg: polled 1m20s ago; last failure 0s ago: getUpdates: 502"}},
		{"past twice the interval", func() { clk.advance(11 * time.Second) }, 503, []string{"failed: tg: no successful poll for 1m31s (one is due every 45s); last failure 11s ago: getUpdates: 502", "ok: zalo: webhook set 1m31s ago"}},
		{"polling again", func() { tg.Polled(nil, 45*time.Second) }, 200, []string{"ok: tg: polled 0s ago"}},
		{"a day of silence on the webhook", func() { clk.advance(24 * time.Hour); tg.Polled(nil, 45*time.Second) }, 200, []string{"ok: zalo: webhook set 24h1m31s ago"}},
		{"redis down", func() { red.set(errors.New("dial tcp 127.0.0.1:6399: connection refused")) }, 503, []string{"failed: redis: dial tcp 127.0.0.1:6399: connection refused"}},
		{"redis back", func() { red.set(nil) }, 200, []string{"ok: redis: answered in"}},
	}
	for _, s := range steps {
		s.do()
		code, body := mustGet(t, base+"/readyz")
		if code != s.code {
			t.Errorf("%s: got %d %q, want %d", s.name, code, body, s.code)
		}
		for _, want := range append(s.lines, "warning: redis at 127.0.0.1:6399 has maxmemory-policy allkeys-lru") {
			if !strings.Contains(body, "\n"+want) {
				t.Errorf("%s: got %q, want a line starting %q", s.name, body, want)
			}
		}
	}
	if code, body := mustGet(t, base+"/healthz"); code != 200 || body != "ok\n" {
		t.Errorf("healthz: got %d %q, want 200 ok", code, body)
	}
}
