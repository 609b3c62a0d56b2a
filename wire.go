package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"danvan/bot"
	"danvan/bot/files"
	"danvan/bot/telegram"
	"danvan/bot/zalo"
	"danvan/config"
	"danvan/config/dirsheet"
	"danvan/flows"
	"danvan/internal/demo"
	"danvan/internal/metrics"
	"danvan/reminders"
	"danvan/storage"
)

// The store must serve every interface the bot consumes.
var (
	_ bot.Models       = (*storage.Store)(nil)
	_ bot.Sessions     = (*storage.Store)(nil)
	_ bot.Reports      = (*storage.Store)(nil)
	_ bot.People       = (*storage.Store)(nil)
	_ bot.Invites      = (*storage.Store)(nil)
	_ bot.Throttle     = (*storage.Store)(nil)
	_ bot.Guard        = (*storage.Store)(nil)
	_ bot.Unreachables = (*storage.Store)(nil)
	_ bot.Census       = (*storage.Store)(nil)
	_ zalo.FileStore   = (*storage.Store)(nil)
	_ zalo.MenuStore   = (*storage.Store)(nil)
	_ zalo.Inbox       = (*storage.Store)(nil)
	_ zalo.SentCounter = (*storage.Store)(nil)
	_ bot.Usage        = (*zalo.Transport)(nil)
)

// The files package renders for the dispatcher without knowing it: its Maker serves the bot's
// Files port, reading the store through its own FigureSource, and the written answers and the
// register through the files' adapters over the store (SubmittedNarratives, RegisteredModels).
// The directory's sheets are dirsheet's, which counts reports through its own Counter.
var (
	_ bot.Files            = (*files.Maker)(nil)
	_ files.FigureSource   = (*storage.Store)(nil)
	_ files.RegisterSource = (*storage.Store)(nil)
	_ bot.Sheets           = (*dirsheet.Checker)(nil)
	_ dirsheet.Counter     = (*storage.Store)(nil)
)

// The store and the router must serve what the reminders and the demo consume.
var (
	_ reminders.Store   = (*storage.Store)(nil)
	_ reminders.Survey  = (*storage.Store)(nil)
	_ reminders.Steps   = (*storage.Store)(nil)
	_ reminders.Claims  = (*storage.Store)(nil)
	_ reminders.Snoozes = (*storage.Store)(nil)
	_ reminders.Nudges  = (*storage.Store)(nil)
	_ reminders.Sender  = (*bot.Router)(nil)
	_ reminders.Rate    = (*storage.FanoutRate)(nil)
	_ bot.Planner       = (*reminders.Scheduler)(nil)
	_ bot.Reminder      = (*reminders.Scheduler)(nil)
	_ bot.Planner       = reminders.Schedules(nil)
	_ bot.Reminder      = reminders.Schedules(nil)
	_ demo.Schedule     = reminders.Schedules(nil)
	_ zalo.Inbox        = storage.ZaloInbox{}
	_ demo.Store        = (*storage.Store)(nil)
)

// The operators' metrics observe every part through the ports those declare, and read the
// store through their own.
var (
	_ bot.Observer         = (*metrics.Metrics)(nil)
	_ telegram.Observer    = (*metrics.Transport)(nil)
	_ zalo.Observer        = (*metrics.Transport)(nil)
	_ reminders.Observer   = metrics.Reminders{}
	_ metrics.Pinger       = (*storage.Store)(nil)
	_ metrics.DraftCounter = (*storage.Store)(nil)
)

// newDispatcher builds the dispatcher from the configuration and the store.
func newDispatcher(cfg config.Config, store *storage.Store, now func() time.Time, log *slog.Logger) (*bot.Dispatcher, error) {
	dir, err := cfg.Directory()
	if err != nil {
		return nil, err
	}
	tenants, err := cfg.Tenancy(dir)
	if err != nil {
		return nil, err
	}
	settings := bot.Settings{
		Dir: dir, Forms: cfg.Forms, Calendar: cfg.FlowsCalendar(), Indicators: cfg.Indicators(),
		Register: cfg.Register, InviteTTL: cfg.InviteTTL, BotName: cfg.BotName, Admins: bootstrapAdmins(cfg), Office: cfg.Office,
		// The platforms people may choose with /kenh and link with /lienket: both transports main
		// can run, whether or not each has a token now; the router sends on another of the
		// person's platforms while their choice has no transport.
		Channels: []flows.Channel{telegram.Channel, zalo.Channel},
		Tenants:  tenants, Bots: tenantBots(cfg), BotNames: map[string]string{},
	}
	maker, err := newMaker(cfg, store, dir, tenants)
	if err != nil {
		return nil, err
	}
	// The store keeps the leaders' tallies along each submission; it needs the tree to know a
	// unit's places, and each unit's tenant's calendar to know who is late and plan to count
	// units that met its targets.
	store.UseTenancy(dir, tenants)
	return &bot.Dispatcher{
		Sessions: store, Reports: store, People: store, Invites: store, Throttle: store, Guard: store, Unreach: store,
		Figures: store, Census: store, Contacts: store, Models: store, Files: maker,
		Sheets:   &dirsheet.Checker{Orgs: cfg.Orgs, Dir: dir, Counter: store, Now: now, Loc: cfg.Location()},
		Settings: settings, Now: now, NewCode: bot.NewInviteCode, Log: log,
	}, nil
}

// newMaker builds the files' maker with the report templates. A template is data an admin may
// replace: one that does not work stops the start here rather than failing a leader's report
// later.
func newMaker(cfg config.Config, store *storage.Store, dir *flows.Directory, tenants *flows.Tenancy) (*files.Maker, error) {
	text, err := cfg.ReportTemplateText()
	if err != nil {
		return nil, err
	}
	report, err := files.ParseReport(text)
	if err != nil {
		return nil, err
	}
	own, err := cfg.ReportTemplates()
	if err != nil {
		return nil, err
	}
	reports := map[string]*files.ReportTemplate{}
	for id, text := range own {
		if reports[id], err = files.ParseReport(text); err != nil {
			return nil, fmt.Errorf("report template of tenant %s: %w", id, err)
		}
	}
	cal := cfg.FlowsCalendar()
	return &files.Maker{Source: store, Dir: dir, Forms: cfg.Forms, Calendar: cal, Indicators: cfg.Indicators(),
		Report: report, Narratives: files.SubmittedNarratives(store, cfg.Forms),
		Models:  files.RegisteredModels(store, cal, cfg.Register),
		Tenants: tenants, Reports: reports}, nil
}

// bootstrapAdmins are the identities of ADMINS and ZALO_ADMINS, on every bot of their channel:
// a Telegram user id is the same person to the deployment's bot and to each tenant's own.
func bootstrapAdmins(cfg config.Config) map[string]bool {
	tg, za := []string{telegram.Prefix}, []string{zalo.Prefix}
	for _, b := range cfg.Bots() {
		switch {
		case b.Tenant == "":
		case b.Channel == "telegram":
			tg = append(tg, bot.BotPrefix(telegram.Prefix, b.Tenant))
		default:
			za = append(za, bot.BotPrefix(zalo.Prefix, b.Tenant))
		}
	}
	admins := map[string]bool{}
	for _, id := range cfg.Admins {
		for _, p := range tg {
			admins[bot.Ident(p, strconv.FormatInt(id, 10))] = true
		}
	}
	for _, id := range cfg.ZaloAdmins {
		for _, p := range za {
			admins[bot.Ident(p, id)] = true
		}
	}
	return admins
}

// tenantBots maps the identity prefix of each tenant's own bot to the tenant.
func tenantBots(cfg config.Config) map[string]string {
	out := map[string]string{}
	for _, b := range cfg.Bots() {
		if b.Tenant == "" {
			continue
		}
		ch := zalo.Prefix
		if b.Channel == "telegram" {
			ch = telegram.Prefix
		}
		out[bot.BotPrefix(ch, b.Tenant)] = b.Tenant
	}
	return out
}

// addRouting gives disp its router, which sends what a step addresses to someone else on the
// person's preferred channel, and the reminder schedule, which sends through the same router on
// disp's clock, at the pace of the channel each message goes on. The transports register with
// the router.
func addRouting(cfg config.Config, store *storage.Store, disp *bot.Dispatcher, obs reminders.Observer, log *slog.Logger) (*bot.Router, reminders.Schedules) {
	// The router renders the files the reminders' last step pushes to leaders, as the
	// dispatcher renders those of a conversation.
	router := &bot.Router{People: store, Home: homeBots(disp.Settings), Files: disp.Files}
	disp.Notifier = router
	pace := fanoutRates(cfg, store, router.Channel)
	sched := newSchedules(cfg, store, disp.Settings, reminders.NewSharedFanout(router, pace, blocked), disp.Now, obs, log)
	disp.Planner, disp.Reminder = sched, sched
	return router, sched
}

// homeBots tells the router the bots of a person's tenant (their identity prefixes), so a
// person who talks to their tenant's own bot is written to through it.
func homeBots(s bot.Settings) func(flows.Person) []string {
	byTenant := map[string][]string{}
	for prefix, t := range s.Bots {
		byTenant[t] = append(byTenant[t], prefix)
	}
	return func(p flows.Person) []string {
		t, ok := s.Tenants.OfPerson(p)
		if !ok {
			return nil
		}
		return byTenant[t.ID]
	}
}

// blocked tells a send error that means the person blocked the bot.
func blocked(err error) bool {
	return errors.Is(err, bot.ErrUnreachable) || errors.Is(err, reminders.ErrUnreachable)
}

// newSchedules builds the reminder schedule of each tenant from the configuration: on the
// tenant's calendar, over its units; each reads the store, sends through sender (paced
// already) and keeps its claims under this process's name. The first tenant's claims are named
// as a deployment of one tenant names them, so adding a tenant resends nothing.
func newSchedules(cfg config.Config, store *storage.Store, s bot.Settings, sender reminders.Sender,
	now func() time.Time, obs reminders.Observer, log *slog.Logger) reminders.Schedules {
	r := cfg.Reminders
	var out reminders.Schedules
	for i, t := range s.Tenants.All() {
		tag := t.ID
		if i == 0 {
			tag = ""
		}
		out = append(out, reminders.New(reminders.Config{
			Store: store, Survey: store, Steps: store, Claims: store, Snoozes: store, Nudges: store, Sender: sender,
			Calendar: t.Calendar, Dir: s.Dir, Root: t.ID, Tag: tag, Forms: cfg.Forms, Indicators: cfg.Indicators(), Plans: t.Plans,
			Rules: reminderRules(r), PerSecond: r.Rate,
			Lease: r.Lease, Holder: holder(), Unreachable: blocked, Now: now, Log: log.With("tenant", t.ID), Observer: obs,
		}))
	}
	return out
}

// channelRates is the fan-out's pace: per channel, the rate its bot token shares with every
// replica on this Redis; a channel without a token (the demo's console) has a pace of this
// process alone.
type channelRates struct {
	channel func(flows.Person) string
	shared  map[string]reminders.Rate
	local   reminders.Rate
}

var _ reminders.Rate = channelRates{}

// Take implements reminders.Rate on the rate of the channel p's message goes on.
func (c channelRates) Take(ctx context.Context, p flows.Person) (time.Duration, error) {
	if r, ok := c.shared[c.channel(p)]; ok {
		return r.Take(ctx, p)
	}
	return c.local.Take(ctx, p)
}

// fanoutRates shares reminders.rate per token across the replicas: one Redis limit for each
// bot (the deployment's Telegram and Zalo bots, each tenant's own), keyed by a hash of its
// token, so every token has its own ~30 messages a second.
func fanoutRates(cfg config.Config, store *storage.Store, channel func(flows.Person) string) channelRates {
	r := cfg.Reminders.Rate
	c := channelRates{channel: channel, shared: map[string]reminders.Rate{}, local: reminders.LocalRate(r, time.Now)}
	for _, b := range cfg.Bots() {
		ch := zalo.Prefix
		if b.Channel == "telegram" {
			ch = telegram.Prefix
		}
		c.shared[bot.BotPrefix(ch, b.Tenant)] = store.FanoutRate(ch, b.Token, r)
	}
	return c
}

// reminderRules turns the reminders section into the scheduler's rules: the default ladder and
// the ladders of the period kinds that have their own.
func reminderRules(r config.RemindersConfig) reminders.Rules {
	start, end := r.Window()
	rules := reminders.Rules{Steps: steps(r.Ladder), Start: start, End: end, Skip: r.Weekdays(), Holidays: r.HolidayDates()}
	for kind, p := range r.Periods {
		if rules.ByKind == nil {
			rules.ByKind = map[flows.PeriodKind][]reminders.Step{}
		}
		rules.ByKind[kind] = steps(p.Ladder)
	}
	return rules
}

// steps converts a ladder of the configuration.
func steps(ladder []config.StepConfig) []reminders.Step {
	var out []reminders.Step
	for _, s := range ladder {
		out = append(out, reminders.Step{ID: s.ID, Days: s.Days, At: s.Clock(), Digest: s.Digest, Report: s.Report})
	}
	return out
}

// holder names this process in reminder claims; replicas must differ.
func holder() string {
	host, err := os.Hostname()
	if err != nil {
		host = "bot"
	}
	return fmt.Sprintf("%s:%d", host, os.Getpid())
}

// runDemo runs the demo of the default configuration; real is the clock it shifts.
func runDemo(ctx context.Context, args []string, in io.Reader, out io.Writer, real func() time.Time) error {
	cfg := config.Default()
	if err := cfg.Validate(); err != nil {
		return err
	}
	dir, err := cfg.Directory()
	if err != nil {
		return err
	}
	m := demo.Model{Calendar: cfg.FlowsCalendar(), Dir: dir, Forms: cfg.Forms, Tick: cfg.Reminders.Tick}
	return demo.Demo{Model: m, Build: demoBuild(cfg), Real: real}.Run(ctx, args, in, out)
}

// demoBuild builds the demo's bot: the real dispatcher and schedule on an in-process Redis, so
// the demo needs neither a token nor a server, and nothing it stores outlives it.
func demoBuild(cfg config.Config) demo.Build {
	return func(now func() time.Time, admins map[string]bool) (demo.Bot, error) {
		mr, err := miniredis.Run()
		if err != nil {
			return demo.Bot{}, fmt.Errorf("start the demo's in-memory redis: %w", err)
		}
		store := storage.New(redis.NewClient(&redis.Options{Addr: mr.Addr()}), "demo:")
		closeAll := func() {
			_ = store.Close()
			mr.Close()
		}
		quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
		disp, err := newDispatcher(cfg, store, now, quiet)
		if err != nil {
			closeAll()
			return demo.Bot{}, err
		}
		disp.Settings.Admins = admins
		router, sched := addRouting(cfg, store, disp, nil, quiet)
		return demo.Bot{Handler: disp, Schedule: sched, Store: store, Route: router.Register, Close: closeAll}, nil
	}
}
