package testkit

import (
	"log/slog"
	"os"
	"testing"

	"danvan/bot"
	"danvan/bot/files"
	"danvan/config/dirsheet"
	"danvan/flows"
	"danvan/internal/fixture"
	"danvan/storage"
)

// Admin is the identity the tests' configuration names as admin: Telegram user 1000.
const Admin = "tg:1000"

// BotName is the bot's username in the tests' invite links.
const BotName = "danvan_test_bot"

// Settings are the tests' configuration (internal/fixture: the defaults with the 2023 city as the
// directory): its directory, forms, calendar (in Vietnam) and targets, with Admin as the one
// admin.
func Settings(tb testing.TB) bot.Settings {
	tb.Helper()
	cfg := fixture.Config(tb)
	dir, err := cfg.Directory()
	if err != nil {
		tb.Fatal(err)
	}
	return bot.Settings{Dir: dir, Forms: cfg.Forms, Calendar: cfg.FlowsCalendar(), Indicators: cfg.Indicators(),
		Register: cfg.Register, InviteTTL: cfg.InviteTTL, BotName: BotName, Admins: map[string]bool{Admin: true},
		// The channels main runs (telegram.Channel, zalo.Channel; the kit cannot import the
		// transports, whose own tests use it).
		Channels: []flows.Channel{{ID: "tg", Name: "telegram", Label: "Telegram", Uploads: true}, {ID: "zalo", Name: "zalo", Label: "Zalo"}}}
}

// MustDispatcher wires a dispatcher on store with the default configuration, as main's
// newDispatcher does: the store keeps tallies and serves the figures and the register, a
// FileMaker renders files (the report draft with the written answers and the register), a
// dirsheet.Checker checks the directory sheets admins send, and a Router with no senders yet,
// rendering with the same FileMaker, is the notifier — a test with transports registers them on
// it (see MustRouter). Invite codes are TESTCODEB, TESTCODEC…
func MustDispatcher(tb testing.TB, store *storage.Store, clock *Clock) *bot.Dispatcher {
	tb.Helper()
	settings := Settings(tb)
	store.UseModel(settings.Dir, settings.Calendar, settings.Indicators)
	maker := &files.Maker{Source: store, Dir: settings.Dir, Forms: settings.Forms, Calendar: settings.Calendar,
		Indicators: settings.Indicators, Report: MustReportTemplate(tb),
		Narratives: files.SubmittedNarratives(store, settings.Forms),
		Models:     files.RegisteredModels(store, settings.Calendar, settings.Register)}
	codes := 0
	return &bot.Dispatcher{
		Sessions: store, Reports: store, People: store, Invites: store, Throttle: store, Guard: store, Unreach: store,
		Figures: store, Census: store, Contacts: store, Models: store, Files: maker,
		Sheets:   &dirsheet.Checker{Orgs: fixture.Config(tb).Orgs, Dir: settings.Dir, Counter: store, Now: clock.Now, Loc: settings.Calendar.Loc},
		Notifier: &bot.Router{People: store, Files: maker}, Settings: settings, Now: clock.Now,
		// Errors only: a failing test shows why, a passing one stays quiet.
		Log: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})),
		NewCode: func() string {
			codes++
			return "TESTCODE" + string(rune('A'+codes))
		},
	}
}

// MustRouter returns the dispatcher's router, for a test to register its transports on.
func MustRouter(tb testing.TB, d *bot.Dispatcher) *bot.Router {
	tb.Helper()
	r, ok := d.Notifier.(*bot.Router)
	if !ok {
		tb.Fatalf("notifier: got %T, want *bot.Router", d.Notifier)
	}
	return r
}

// MustBot is one dispatcher on its own store under a fresh prefix, at a NewClock.
func MustBot(tb testing.TB) (*storage.Store, *bot.Dispatcher, *Clock) {
	tb.Helper()
	store, clock := MustStore(tb), NewClock(tb)
	return store, MustDispatcher(tb, store, clock), clock
}

// Env is a getenv reading only m, so no test depends on the process environment.
func Env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// MustReportTemplate parses the built-in report template, as main does at start.
func MustReportTemplate(tb testing.TB) *files.ReportTemplate {
	tb.Helper()
	text, err := fixture.Config(tb).ReportTemplateText()
	if err != nil {
		tb.Fatal(err)
	}
	t, err := files.ParseReport(text)
	if err != nil {
		tb.Fatalf("report template: %v", err)
	}
	return t
}
