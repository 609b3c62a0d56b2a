package main

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"danvan/config"
	"danvan/internal/metrics"
	"danvan/storage"
)

// draftsEvery is how often the drafts gauge is counted (metrics.CountDrafts says why not at
// each scrape).
const draftsEvery = 5 * time.Minute

// newMetrics is the operators' view of the bot: metrics on a registry of its own, the Redis
// hook on the store's client, and readiness asking the store.
func newMetrics(store *storage.Store, log *slog.Logger) *metrics.Metrics {
	m := metrics.New(metrics.Options{Redis: store, Log: log})
	store.AddHook(m.RedisHook())
	return m
}

// httpServer is one HTTP server with its listener bound, and what it serves, for the log.
type httpServer struct {
	srv    *http.Server
	ln     net.Listener
	serves string
}

// listen binds the HTTP servers before anything runs, so a taken port stops the bot before it
// takes an update. The operators' endpoints (mount) go on their own server at MetricsAddr when
// it is set, else on the public one at ListenAddr, which then runs in every mode; without them
// the public server runs only for what is mounted on public (webhooks, files).
func listen(cfg config.Config, public *http.ServeMux, mount func(*http.ServeMux)) ([]httpServer, error) {
	publicServes := "webhooks, files"
	if cfg.MetricsAddr == "" {
		mount(public)
		publicServes = "webhooks, files, health, metrics"
	}
	var out []httpServer
	if cfg.MetricsAddr == "" || cfg.Webhook() || cfg.ZaloWebhookURL != "" || cfg.PublicURL != "" {
		s, err := bind(cfg.ListenAddr, public, publicServes)
		if err != nil {
			return nil, fmt.Errorf("listen_addr (LISTEN_ADDR): %w", err)
		}
		out = append(out, s)
	}
	if cfg.MetricsAddr != "" {
		ops := http.NewServeMux()
		mount(ops)
		s, err := bind(cfg.MetricsAddr, ops, "health, metrics")
		if err != nil {
			for _, o := range out {
				_ = o.ln.Close()
			}
			return nil, fmt.Errorf("metrics_addr (METRICS_ADDR): %w", err)
		}
		out = append(out, s)
	}
	return out, nil
}

// bind listens on addr and returns the server of h there, not yet serving.
func bind(addr string, h http.Handler, serves string) (httpServer, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return httpServer{}, err
	}
	return httpServer{srv: newServer(addr, h, serverLimits), ln: ln, serves: serves}, nil
}
