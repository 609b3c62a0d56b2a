package metrics

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Pinger is the readiness check's Redis; storage.Store implements it.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Warn adds what an operator must hear about at /readyz without the bot being unready: the
// start checks' findings on Redis (an eviction policy, no persistence).
func (m *Metrics) Warn(problems ...string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.warnings = append(m.warnings, problems...)
}

// Ready runs the readiness checks: Redis answers a PING within PingTimeout, and every
// transport made a successful call that takes updates recently. It returns whether all pass
// and one line per check, then one per warning.
func (m *Metrics) Ready(ctx context.Context) (bool, []string) {
	ok, lines := true, []string{}
	if m.opts.Redis != nil {
		line, err := m.pingRedis(ctx)
		ok = ok && err == nil
		lines = append(lines, line)
	}
	now := m.opts.Now()
	m.mu.Lock()
	transports, warnings := m.transports, m.warnings
	m.mu.Unlock()
	for _, t := range transports {
		ready, says := t.ready(now)
		ok = ok && ready
		lines = append(lines, mark(ready)+t.channel+": "+says)
	}
	for _, w := range warnings {
		lines = append(lines, "warning: "+w)
	}
	return ok, lines
}

func (m *Metrics) pingRedis(ctx context.Context) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, m.opts.PingTimeout)
	defer cancel()
	start := time.Now()
	if err := m.opts.Redis.Ping(ctx); err != nil {
		return mark(false) + "redis: " + err.Error(), err
	}
	return mark(true) + fmt.Sprintf("redis: answered in %s", time.Since(start).Round(time.Microsecond)), nil
}

func mark(ok bool) string {
	if ok {
		return "ok: "
	}
	return "failed: "
}

// readyz answers 200 when the bot is ready and 503 when not, with a line per check in the body,
// marked "ok:" or "failed:", and the warnings last.
func (m *Metrics) readyz(w http.ResponseWriter, r *http.Request) {
	ok, lines := m.Ready(r.Context())
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	head := "ready"
	if !ok {
		head = "not ready"
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	_, _ = io.WriteString(w, head+"\n"+strings.Join(lines, "\n")+"\n")
}

// healthz answers 200 while the process serves HTTP at all: liveness, which asks nothing of
// Redis or the platforms (restarting the bot would not bring them back).
func healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(w, "ok\n")
}
