// Command danvan is Dân vận bot: organisers of the mass organisations submit their membership and
// activity figures through short conversational forms, and leaders read them against the plan's
// targets. main only wires the parts together; `danvan demo` runs it in a terminal, and
// `danvan version|dump|restore|migrate` are the operators' commands (ops.go), `danvan directory
// import|export` the directory as the admin's spreadsheet (directory.go).
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"

	"danvan/bot"
	"danvan/bot/telegram"
	"danvan/bot/zalo"
	"danvan/config"
	"danvan/internal/metrics"
	"danvan/storage"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The first signal asks for a graceful stop; after it the default action is back, so a
	// second Ctrl+C or SIGTERM ends the process at once, whatever is still finishing.
	context.AfterFunc(ctx, stop)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Getenv)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprintln(os.Stderr, strings.TrimPrefix(err.Error(), flag.ErrHelp.Error()+"\n"))
	case err != nil:
		fmt.Fprintln(os.Stderr, "danvan:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, in io.Reader, out io.Writer, getenv func(string) string) error {
	if len(args) > 0 && args[0] == "demo" {
		return runDemo(ctx, args[1:], in, out, time.Now)
	}
	if len(args) > 0 && opsCommands[args[0]] != nil {
		return opsCommands[args[0]](ctx, args[1:], in, out, getenv)
	}
	cfg, err := config.Load(args, getenv)
	if err != nil {
		return err
	}
	log := newLog(cfg)
	redis.SetLogger(redisLog{log})
	if len(cfg.Bots()) == 0 {
		return errors.New("ZALO_BOT_TOKEN is not set: create a Zalo bot (README, \"Zalo first\") and set its token, or TELEGRAM_BOT_TOKEN for Telegram (or try the bot without one: go run . demo)")
	}
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	m := newMetrics(store, log)
	problems, err := startChecks(ctx, store, log)
	if err != nil {
		return err
	}
	m.Warn(problems...) // /readyz shows them too, as long as the bot runs
	disp, err := newDispatcher(cfg, store, time.Now, log)
	if err != nil {
		return err
	}
	disp.Observer = m
	// The tallies are recounted in the background, in small steps, while the bot answers; the
	// store closes only once the recount has stopped.
	recounted := recountTallies(ctx, store, cfg, log)
	defer func() { <-recounted }()
	router, sched := addRouting(cfg, store, disp, m.Reminders(), log)
	// Reminders asked for by hand get a grace period at shutdown, then stop; the store closes
	// after them.
	bg, stopBg := context.WithCancel(context.WithoutCancel(ctx))
	defer stopBg()
	disp.Background = bg
	defer disp.Wait(20*time.Second, stopBg)
	mux := http.NewServeMux()
	runs, err := startBots(ctx, cfg, store, disp, disp, router, mux, m, log)
	if err != nil {
		return err
	}
	runs = append(runs, func(ctx context.Context) error { return sched.Run(ctx, cfg.Reminders.Tick) })
	runs = append(runs, func(ctx context.Context) error { return m.CountDrafts(ctx, store, draftsEvery) })
	return serve(ctx, cfg, mux, m.Mount, runs, log)
}

// recountTallies brings the tallies up to date with the directory, forms and targets in the
// background (storage.Recount: nothing to do unless one of them changed) and closes the channel
// it returns when done. A failure leaves the tallies kept along each submission standing; the
// next start tries again.
func recountTallies(ctx context.Context, store *storage.Store, cfg config.Config, log *slog.Logger) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		start := time.Now()
		res, err := store.Recount(ctx, cfg.Forms, start)
		if err != nil {
			log.Warn("tallies not recounted at start", "err", err)
			return
		}
		for _, r := range res {
			log.Info("tallies", "period", r.Period, "recount", r.Verdict, "chunks", r.Chunks, "reread", r.Reread, "took", time.Since(start))
		}
	}()
	return done
}

// startBots connects every bot of the configuration (config.Bots: the deployment's on each
// channel, each tenant's own) with h handling their updates (disp, or a test's wrapper of it),
// registers each with the router under its identity prefix, mounts the webhooks and the Zalo
// file server on mux, and returns their runs.
func startBots(ctx context.Context, cfg config.Config, store *storage.Store, disp *bot.Dispatcher, h bot.Handler, router *bot.Router,
	mux *http.ServeMux, m *metrics.Metrics, log *slog.Logger) ([]func(context.Context) error, error) {
	var files *zalo.Files
	if cfg.PublicURL != "" {
		files = &zalo.Files{Base: cfg.PublicURL, Store: store, TTL: cfg.FileTTL, Logger: log}
		mux.Handle("GET "+zalo.FilesPath, files.Handler())
	}
	var runs []func(context.Context) error
	for _, b := range cfg.Bots() {
		var s interface {
			bot.Sender
			Run(context.Context) error
		}
		var err error
		switch b.Channel {
		case "telegram":
			s, err = startTelegram(ctx, cfg, b, disp, h, mux, m.Transport(bot.BotPrefix(telegram.Prefix, b.Tenant)), log)
		default:
			var z *zalo.Transport
			z, err = startZalo(ctx, cfg, b, store, files, disp, h, mux, m.Transport(bot.BotPrefix(zalo.Prefix, b.Tenant)), log)
			if err == nil {
				disp.Usage = append(disp.Usage, z)
			}
			s = z
		}
		if err != nil {
			return nil, err
		}
		router.Register(s)
		runs = append(runs, s.Run)
	}
	return runs, nil
}

// startTelegram connects Telegram bot b and mounts its webhook on mux in webhook mode: the
// deployment's at WEBHOOK_URL's path, a tenant's own at that path and "/<tenant>".
func startTelegram(ctx context.Context, cfg config.Config, b config.Bot, disp *bot.Dispatcher, h bot.Handler, mux *http.ServeMux,
	obs telegram.Observer, log *slog.Logger) (*telegram.Transport, error) {
	hook := tenantURL(cfg.WebhookURL, b.Tenant)
	tg, err := telegram.New(ctx, telegram.Config{
		Token: b.Token, APIURL: cfg.TelegramAPIURL, Prefix: bot.BotPrefix(telegram.Prefix, b.Tenant),
		WebhookURL: hook, WebhookSecret: cfg.WebhookSecret, Logger: log, Observer: obs,
	}, h, disp)
	if err != nil {
		return nil, fmt.Errorf("start telegram bot %s: %w", botLabel(b), err)
	}
	name := cmp.Or(b.BotName, tg.BotName())
	if b.Tenant == "" && disp.Settings.BotName == "" {
		disp.Settings.BotName = name
	}
	if b.Tenant != "" {
		disp.Settings.BotNames[b.Tenant] = name // the tenant's invite links open its own bot
	}
	log.Info("telegram started", "bot", tg.BotName(), "tenant", b.Tenant, "webhook", cfg.Webhook())
	if cfg.Webhook() {
		mux.Handle("POST "+webhookPath(hook, "/telegram"+tenantPath(b.Tenant)), tg.WebhookHandler())
	}
	return tg, nil
}

// startZalo connects Zalo bot b and mounts its webhook. Served files, each chat's last
// choices, the webhook's inbox (one per bot) and the month's count of messages live in store,
// so every replica serves any file URL, reads any typed number, handles what another
// acknowledged and adds to one count.
func startZalo(ctx context.Context, cfg config.Config, b config.Bot, store *storage.Store, files *zalo.Files,
	disp *bot.Dispatcher, h bot.Handler, mux *http.ServeMux, obs zalo.Observer, log *slog.Logger) (*zalo.Transport, error) {
	prefix := bot.BotPrefix(zalo.Prefix, b.Tenant)
	hook := tenantURL(cfg.ZaloWebhookURL, b.Tenant)
	z, err := zalo.New(ctx, zalo.Config{
		Token: b.Token, APIURL: cfg.ZaloAPIURL, Prefix: prefix, WebhookURL: hook,
		WebhookSecret: cfg.ZaloWebhookSecret, Files: files, Menus: store, Logger: log,
		Inbox: store.ZaloInbox(prefix), Counter: store, MonthlyQuota: cfg.ZaloMonthlyQuota, Location: cfg.Location(),
		Unreachables: disp, Observer: obs,
	}, h)
	if err != nil {
		return nil, fmt.Errorf("start zalo bot %s: %w", botLabel(b), err)
	}
	log.Info("zalo started", "tenant", b.Tenant, "webhook", hook != "", "files", files != nil)
	if hook != "" {
		mux.Handle("POST "+webhookPath(hook, "/zalo"+tenantPath(b.Tenant)), z.WebhookHandler())
	}
	return z, nil
}

// botLabel names bot b in errors: "of tenant lc", or "of the deployment".
func botLabel(b config.Bot) string {
	if b.Tenant == "" {
		return "of the deployment"
	}
	return "of tenant " + b.Tenant
}

// tenantURL is the webhook URL of tenant's own bot: raw with "/<tenant>" after its path; raw
// itself for the deployment's bot ("") or when raw is empty (polling).
func tenantURL(raw, tenant string) string {
	if raw == "" || tenant == "" {
		return raw
	}
	return strings.TrimRight(raw, "/") + "/" + tenant
}

// tenantPath is "/<tenant>", "" for the deployment's bot.
func tenantPath(tenant string) string {
	if tenant == "" {
		return ""
	}
	return "/" + tenant
}

// webhookPath is the path of a webhook URL, def when it has none.
func webhookPath(raw, def string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Path == "" || u.Path == "/" {
		return def
	}
	return u.Path
}

// serve binds the HTTP listeners (listen.go), runs the transports until ctx ends and serves
// HTTP meanwhile: webhooks, files, and the operators' endpoints that mount puts on a mux, in
// every mode. Then it lets the updates in hand finish.
func serve(ctx context.Context, cfg config.Config, mux *http.ServeMux, mount func(*http.ServeMux),
	runs []func(context.Context) error, log *slog.Logger) error {
	srvs, err := listen(cfg, mux, mount)
	if err != nil {
		return err // the port is taken, say: nothing was handled yet
	}
	runErr := make(chan error, len(runs))
	for _, run := range runs {
		go func() { runErr <- run(ctx) }()
	}
	wait := func() error {
		var errs []error
		for range runs {
			errs = append(errs, <-runErr)
		}
		return errors.Join(errs...)
	}
	srvErr := make(chan error, len(srvs))
	for _, s := range srvs {
		go func() {
			log.Info("listening", "addr", s.ln.Addr().String(), "serves", s.serves)
			srvErr <- s.srv.Serve(s.ln)
		}()
	}
	select {
	case err := <-srvErr:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 20*time.Second)
	defer cancel()
	var errs []error
	for _, s := range srvs {
		errs = append(errs, s.srv.Shutdown(shutdown))
	}
	// The transports return once the updates in hand are finished; only then may main close
	// the store.
	return errors.Join(append(errs, wait())...)
}
