package metrics

import (
	"fmt"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Transport observes one transport: it implements telegram.Observer and zalo.Observer, and
// readiness reads from it whether the transport's last call that takes updates is recent.
type Transport struct {
	channel  string
	received *prometheus.CounterVec
	sent     prometheus.Counter
	failed   *prometheus.CounterVec
	pollOK   prometheus.Counter
	pollBad  prometheus.Counter
	lastOK   prometheus.Gauge
	now      func() time.Time

	mu    sync.Mutex
	okAt  time.Time     // the last success
	due   time.Duration // the next report is due within due of okAt; 0: none is
	err   error         // the last failure since okAt, nil when none
	errAt time.Time
}

// Transport returns the observer of the transport of channel (its identities' prefix: "tg",
// "zalo") and makes readiness wait for it: the bot is not ready until each transport made
// one successful call that takes updates, nor while one has not made one for too long.
func (m *Metrics) Transport(channel string) *Transport {
	t := &Transport{
		channel:  channel,
		received: m.received.MustCurryWith(prometheus.Labels{"channel": channel}),
		sent:     m.sent.WithLabelValues(channel),
		failed:   m.failed.MustCurryWith(prometheus.Labels{"channel": channel}),
		pollOK:   m.polls.WithLabelValues(channel, "ok"),
		pollBad:  m.polls.WithLabelValues(channel, "failed"),
		lastOK:   m.lastPoll.WithLabelValues(channel),
		now:      m.opts.Now,
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.transports = append(m.transports, t)
	return t
}

// Received implements the transports' Observer.
func (t *Transport) Received(kind string) { t.received.WithLabelValues(kind).Inc() }

// Sent implements the transports' Observer.
func (t *Transport) Sent(cause string) {
	if cause == "" {
		t.sent.Inc()
		return
	}
	t.failed.WithLabelValues(cause).Inc()
}

// Polled implements the transports' Observer.
func (t *Transport) Polled(err error, next time.Duration) {
	now := t.now()
	t.mu.Lock()
	defer t.mu.Unlock()
	if err != nil {
		t.pollBad.Inc()
		t.err, t.errAt = err, now
		return
	}
	t.pollOK.Inc()
	t.lastOK.Set(float64(now.UnixNano()) / 1e9)
	t.okAt, t.due, t.err = now, next, nil
}

// staleAfter is how many times its promised interval a transport may go without a success
// before it is unready: one poll may fail, or hang for its whole timeout, and the next one
// succeed, without anyone being paged.
const staleAfter = 2

// ready says whether the transport took updates recently at now, and how it stands.
func (t *Transport) ready(now time.Time) (bool, string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	last := ""
	if t.err != nil {
		last = fmt.Sprintf("; last failure %s ago: %v", ago(now, t.errAt), t.err)
	}
	switch {
	case t.okAt.IsZero():
		return false, "no successful call to the platform yet" + last
	case t.due == 0:
		return true, fmt.Sprintf("webhook set %s ago; updates come when people write", ago(now, t.okAt))
	case now.Sub(t.okAt) > staleAfter*t.due:
		return false, fmt.Sprintf("no successful poll for %s (one is due every %s)%s", ago(now, t.okAt), t.due, last)
	}
	return true, fmt.Sprintf("polled %s ago", ago(now, t.okAt)) + last
}

// ago is how long before now t was, to the second.
func ago(now, t time.Time) time.Duration { return now.Sub(t).Round(time.Second) }
