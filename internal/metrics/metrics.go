package metrics

import (
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Options configure a Metrics.
type Options struct {
	// Redis answers the readiness check's PING; nil leaves Redis out of readiness.
	Redis Pinger
	// PingTimeout bounds that PING; 1s when zero. A probe that waits longer than this for
	// Redis learns nothing more: it is down, or too slow to serve anyone.
	PingTimeout time.Duration
	// Now is the clock readiness reads the transports' reports on; time.Now when nil.
	Now func() time.Time
	// Log takes the few lines the package writes (a draft count that failed); slog.Default()
	// when nil.
	Log *slog.Logger
}

// Metrics holds the bot's metrics on a registry of its own, so tests and benchmarks never
// share counters, and what readiness needs. It is safe for concurrent use.
type Metrics struct {
	reg  *prometheus.Registry
	opts Options

	received *prometheus.CounterVec
	handled  *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	sent     *prometheus.CounterVec
	failed   *prometheus.CounterVec
	polls    *prometheus.CounterVec
	lastPoll *prometheus.GaugeVec

	reminders *prometheus.CounterVec
	queued    prometheus.Gauge

	redisTime *prometheus.HistogramVec
	redisErrs *prometheus.CounterVec
	drafts    prometheus.Gauge

	mu         sync.Mutex
	warnings   []string
	transports []*Transport
}

// New registers the bot's metrics, and Go's and the process's own, on a fresh registry.
func New(o Options) *Metrics {
	if o.PingTimeout <= 0 {
		o.PingTimeout = time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	m := &Metrics{reg: prometheus.NewRegistry(), opts: o}
	m.updateMetrics()
	m.otherMetrics()
	m.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewBuildInfoCollector())
	return m
}

// Latency buckets: an update takes milliseconds, a chart or spreadsheet up to seconds; a Redis
// round trip takes a fraction of a millisecond on the same host, milliseconds across a network.
var (
	updateBuckets = prometheus.ExponentialBuckets(0.001, 2.5, 11)  // 1 ms … 9.5 s
	redisBuckets  = prometheus.ExponentialBuckets(0.0001, 2.5, 10) // 0.1 ms … 0.38 s
)

// updateMetrics are those of updates and messages, labelled by channel: the platform prefix of
// identities ("tg", "zalo").
func (m *Metrics) updateMetrics() {
	m.received = m.counter("danvan_updates_received_total", "Updates taken from a platform, by channel and kind of input (text, command, button, media).", "channel", "kind")
	m.handled = m.counter("danvan_updates_handled_total", "Updates the dispatcher handled, by channel, kind and outcome: ok, failed (the person was told to try again) or duplicate (a redelivery, dropped).", "channel", "kind", "outcome")
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "danvan_update_duration_seconds", Help: "Time the dispatcher took over an update, from its arrival to its replies, by channel and kind.",
		Buckets: updateBuckets,
	}, []string{"channel", "kind"})
	m.sent = m.counter("danvan_messages_sent_total", "Messages sent (replies, notices, reminders; an edit counts), by channel.", "channel")
	m.failed = m.counter("danvan_messages_failed_total", "Messages given up, by channel and cause: rate_limited, blocked, network, api.", "channel", "cause")
	m.polls = m.counter("danvan_transport_polls_total", "Calls that take updates (getUpdates, webhook set-up), by channel and result: ok or failed.", "channel", "result")
	m.lastPoll = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "danvan_transport_last_ok_timestamp_seconds", Help: "Unix time of the last successful call that takes updates, by channel.",
	}, []string{"channel"})
	m.reg.MustRegister(m.latency, m.lastPoll)
}

// otherMetrics are those of reminders, Redis and drafts.
func (m *Metrics) otherMetrics() {
	m.reminders = m.counter("danvan_reminders_total", "Reminders by ladder step (now: sent by hand) and outcome: claimed, sent, failed, unreachable.", "step", "outcome")
	m.queued = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "danvan_reminders_queued", Help: "People the running reminder fan-outs have still to get through.",
	})
	m.redisTime = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "danvan_redis_duration_seconds", Help: "Redis round trips, by op: command or pipeline (several commands in one trip).",
		Buckets: redisBuckets,
	}, []string{"op"})
	m.redisErrs = m.counter("danvan_redis_errors_total", "Redis calls that failed, by op: command, pipeline or dial. A missing key is not an error.", "op")
	m.drafts = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "danvan_drafts_open", Help: "Drafts with at least one answer, not yet submitted; counted every few minutes, not at each scrape.",
	})
	m.reg.MustRegister(m.queued, m.redisTime, m.drafts)
}

func (m *Metrics) counter(name, help string, labels ...string) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
	m.reg.MustRegister(c)
	return c
}

// Registry is where the metrics are, for a test to gather.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Mount serves GET /healthz, /readyz and /metrics on mux.
func (m *Metrics) Mount(mux *http.ServeMux) {
	mux.HandleFunc("GET /healthz", healthz)
	mux.HandleFunc("GET /readyz", m.readyz)
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg}))
}

// Handled implements bot.Observer.
func (m *Metrics) Handled(channel, kind, outcome string, d time.Duration) {
	m.handled.WithLabelValues(channel, kind, outcome).Inc()
	m.latency.WithLabelValues(channel, kind).Observe(d.Seconds())
}
