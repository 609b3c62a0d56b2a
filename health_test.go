package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"danvan/internal/faketg"
	"danvan/internal/redistest"
	"danvan/internal/testkit"
)

// runFailsafe bounds every wait of the tests that run the whole bot; nothing waits this long when
// all is well.
const runFailsafe = 20 * time.Second

// mustRunBot runs the bot with vars until the test ends, its log in the returned buffer, and
// checks it stopped cleanly.
func mustRunBot(t *testing.T, vars map[string]string) *testkit.LogBuffer {
	t.Helper()
	logs := &testkit.LogBuffer{}
	old := logOutput
	logOutput = logs
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, strings.NewReader(""), io.Discard, testkit.Env(vars)) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("run: got %v, want nil after the stop", err)
			}
		case <-time.After(runFailsafe):
			t.Errorf("run: still running %v after the stop", runFailsafe)
		}
		logOutput = old
	})
	return logs
}

// get returns the status and body of a GET of url; status 0 when nothing answers.
func get(url string) (int, string) {
	res, err := http.Get(url)
	if err != nil {
		return 0, err.Error()
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// mustEventually asks get(url) until cond holds of the answer, every 20 ms until runFailsafe: what
// the bot serves changes when its Redis or platform does, a moment later.
func mustEventually(t *testing.T, url, what string, cond func(code int, body string) bool) string {
	t.Helper()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(runFailsafe)
	for {
		code, body := get(url)
		if cond(code, body) {
			return body
		}
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatalf("%s: got %d %q from %s for %v", what, code, body, url, runFailsafe)
		}
	}
}

func status(want int) func(int, string) bool {
	return func(code int, _ string) bool { return code == want }
}

// scrape parses the text of /metrics: one value per series `name{label="value",…}` (labels
// sorted); a histogram gives name_count.
func scrape(t *testing.T, body string) map[string]float64 {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	families, err := p.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parse /metrics: %v", err)
	}
	out := map[string]float64{}
	for name, f := range families {
		for _, m := range f.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, fmt.Sprintf("%s=%q", l.GetName(), l.GetValue()))
			}
			sort.Strings(labels)
			suffix := ""
			if len(labels) > 0 {
				suffix = "{" + strings.Join(labels, ",") + "}"
			}
			switch {
			case m.Counter != nil:
				out[name+suffix] = m.GetCounter().GetValue()
			case m.Gauge != nil:
				out[name+suffix] = m.GetGauge().GetValue()
			case m.Histogram != nil:
				out[name+"_count"+suffix] = float64(m.GetHistogram().GetSampleCount())
			}
		}
	}
	return out
}

// handled sums danvan_updates_handled_total.
func handled(m map[string]float64) float64 {
	n := 0.0
	for k, v := range m {
		if strings.HasPrefix(k, "danvan_updates_handled_total") {
			n += v
		}
	}
	return n
}

// TestServeHealthPolling runs the bot as an operator would, polling Telegram (the fake) on a
// Redis of its own with an eviction policy: /healthz, /readyz and /metrics are served on
// LISTEN_ADDR without any webhook; /readyz and the log warn of allkeys-lru; a short
// conversation moves the counters, and the JSON debug log has one line per update with no name,
// text or token; readiness turns false while Redis is down and true once it is back.
func TestServeHealthPolling(t *testing.T) {
	red := redistest.StartServer(t, "--maxmemory-policy", "allkeys-lru")
	fake := faketg.New(t)
	addr := redistest.ClosedAddr(t)
	logs := mustRunBot(t, map[string]string{
		"TELEGRAM_BOT_TOKEN": fake.Token, "TELEGRAM_API_URL": fake.URL, "REDIS_URL": "redis://" + red.Addr + "/0",
		"LISTEN_ADDR": addr, "LOG_LEVEL": "debug", "LOG_FORMAT": "json",
	})
	base := "http://" + addr
	mustEventually(t, base+"/healthz", "healthz", status(200))
	ready := mustEventually(t, base+"/readyz", "ready once Telegram answered", status(200))
	testkit.MustContain(t, ready, "\nok: redis: answered")
	testkit.MustContain(t, ready, "\nok: tg: polled")
	testkit.MustContain(t, ready, "\nwarning: redis at "+red.Addr+" has maxmemory-policy allkeys-lru")
	testkit.MustContain(t, logs.String(), "has maxmemory-policy allkeys-lru")

	fake.Push(faketg.Text(501, "/help"))
	fake.Push(faketg.Text(501, "xin chào"))
	fake.Push(faketg.Photo(501, "ảnh"))
	fake.Push(faketg.Callback(501, 9, "*|rs|2026-Q1"))
	body := mustEventually(t, base+"/metrics", "four updates handled", func(code int, body string) bool {
		return code == 200 && handled(scrape(t, body)) == 4
	})
	got := scrape(t, body)
	for _, kind := range []string{"command", "text", "media", "button"} {
		for _, series := range []string{
			`danvan_updates_received_total{channel="tg",kind="` + kind + `"}`,
			`danvan_updates_handled_total{channel="tg",kind="` + kind + `",outcome="ok"}`,
			`danvan_update_duration_seconds_count{channel="tg",kind="` + kind + `"}`,
		} {
			if got[series] != 1 {
				t.Errorf("%s: got %v, want 1", series, got[series])
			}
		}
	}
	if got[`danvan_messages_sent_total{channel="tg"}`] < 3 {
		t.Errorf("messages sent: got %v, want a reply to each message at least", got[`danvan_messages_sent_total{channel="tg"}`])
	}
	if got[`danvan_redis_duration_seconds_count{op="command"}`]+got[`danvan_redis_duration_seconds_count{op="pipeline"}`] == 0 {
		t.Error("redis round trips: got none timed, want the conversation's")
	}
	if got[`danvan_transport_polls_total{channel="tg",result="ok"}`] < 1 {
		t.Error("polls: got no successful one, want Telegram's")
	}
	mustDebugLines(t, logs.String(), 4, fake.Token)

	red.Stop()
	down := mustEventually(t, base+"/readyz", "unready without Redis", status(503))
	testkit.MustContain(t, down, "not ready\nfailed: redis: ")
	red.Restart(t)
	mustEventually(t, base+"/readyz", "ready with Redis back", status(200))
}

// mustDebugLines checks the JSON log: every line an object, one "update handled" line per
// update with its channel, kind, outcome and time, and nothing about the person.
func mustDebugLines(t *testing.T, log string, want int, token string) {
	t.Helper()
	n := 0
	for line := range strings.Lines(log) {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Errorf("log line %q: got %v, want a JSON object", line, err)
			continue
		}
		if rec["msg"] != "update handled" {
			continue
		}
		n++
		if rec["channel"] != "tg" || rec["outcome"] != "ok" || rec["kind"] == nil || rec["ms"] == nil {
			t.Errorf("debug line %q: want channel tg, kind, outcome ok and ms", line)
		}
		// Nothing else: no chat, person, update id or text can be in it.
		for k := range rec {
			if !slices.Contains([]string{"time", "level", "msg", "channel", "kind", "outcome", "ms"}, k) {
				t.Errorf("debug line %q: got field %q, want only time, level, msg, channel, kind, outcome, ms", line, k)
			}
		}
	}
	if n != want {
		t.Errorf("update handled lines: got %d, want %d", n, want)
	}
	if strings.Contains(log, token) {
		t.Error("log: got the token in it, want it never logged")
	}
}

// TestMetricsAddrSeparates: with METRICS_ADDR, /healthz, /readyz and /metrics are served there
// and not on the public listener, which serves the webhook alone; a webhook bot is ready once
// setWebhook succeeded, with no update yet.
func TestMetricsAddrSeparates(t *testing.T) {
	prefix := redistest.Prefix(t, "mainobs")
	fake := faketg.New(t)
	public, private := redistest.ClosedAddr(t), redistest.ClosedAddr(t)
	mustRunBot(t, map[string]string{
		"TELEGRAM_BOT_TOKEN": fake.Token, "TELEGRAM_API_URL": fake.URL,
		"REDIS_ADDRS": redistest.Addr(), "REDIS_PREFIX": prefix,
		"WEBHOOK_URL": "http://" + public + "/tg", "WEBHOOK_SECRET": "s3cret",
		"LISTEN_ADDR": public, "METRICS_ADDR": private,
	})
	mustEventually(t, "http://"+private+"/readyz", "ready once the webhook is set", status(200))
	if code, body := get("http://" + private + "/metrics"); code != 200 || !strings.Contains(body, "danvan_transport_polls_total") {
		t.Errorf("metrics on METRICS_ADDR: got %d %.200q, want 200 with danvan_ metrics", code, body)
	}
	if code, _ := get("http://" + private + "/healthz"); code != 200 {
		t.Errorf("healthz on METRICS_ADDR: got %d, want 200", code)
	}
	for _, path := range []string{"/healthz", "/readyz", "/metrics"} {
		if code, _ := get("http://" + public + path); code != http.StatusNotFound {
			t.Errorf("GET %s on LISTEN_ADDR: got %d, want 404 (served on METRICS_ADDR only)", path, code)
		}
	}
	res, err := http.Post("http://"+public+"/tg", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("webhook without its secret on LISTEN_ADDR: got %d, want 401", res.StatusCode)
	}
}
