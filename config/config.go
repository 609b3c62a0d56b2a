// Package config gathers everything Dân vận bot is told at start: connection settings and the
// data the admin edits (organisations, units, forms, calendar, targets). Values come from
// defaults in code, then a YAML file, then the environment, then flags, each winning over the
// one before; Validate checks the result once, so the rest of the program can trust it.
//
// Only main imports this package: the other packages take the flows types it builds. It reads
// files, the environment and flags only; it never connects to Redis or a platform and never
// logs.
package config

import (
	"embed"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // the bot must know Asia/Ho_Chi_Minh even in a scratch container

	"danvan/flows"
)

// Config is the whole configuration of the bot. Secrets (tokens, passwords) never leave it in
// clear through String, Format, LogValue or JSON.
type Config struct {
	// TelegramToken is the Bot API token; empty runs without Telegram (console, Zalo).
	TelegramToken string `yaml:"telegram_token" json:"-"`
	// TelegramAPIURL is the Bot API endpoint; the bot appends /bot<token>/<method>.
	TelegramAPIURL string `yaml:"telegram_api_url" json:"telegram_api_url"`
	// BotName is the bot's username, for deep links t.me/<BotName>?start=<code>; empty means
	// "ask getMe".
	BotName string `yaml:"bot_name" json:"bot_name"`
	// ZaloToken is the Zalo Bot Platform token; empty runs without Zalo.
	ZaloToken string `yaml:"zalo_token" json:"-"`
	// ZaloAPIURL is the Zalo Bot Platform endpoint; the client appends /bot<token>/<method>.
	ZaloAPIURL string `yaml:"zalo_api_url" json:"zalo_api_url"`
	// ZaloWebhookURL, when set, switches Zalo from getUpdates to webhook mode; its path is
	// where the shared HTTP server takes Zalo's calls.
	ZaloWebhookURL string `yaml:"zalo_webhook_url" json:"zalo_webhook_url,omitempty"`
	// ZaloWebhookSecret is the secret_token Zalo sends back in X-Bot-Api-Secret-Token; 8–256
	// characters, required with ZaloWebhookURL.
	ZaloWebhookSecret string `yaml:"zalo_webhook_secret" json:"-"`
	// ZaloAdmins are the Zalo user ids of the admins (Admins are Telegram ids).
	ZaloAdmins []string `yaml:"zalo_admins" json:"zalo_admins,omitempty"`
	// ZaloMonthlyQuota is how many messages a month the Zalo bot's plan allows; 0 = unknown.
	// At 80% of it the bot logs a warning and admins' /calendar shows one.
	ZaloMonthlyQuota int64 `yaml:"zalo_monthly_quota" json:"zalo_monthly_quota,omitempty"`
	// PublicURL is the bot's public base URL; set, charts and spreadsheets are served from it
	// to Zalo (which takes photos by URL only) at unguessable, expiring addresses.
	PublicURL string `yaml:"public_url" json:"public_url,omitempty"`

	// RedisURL is the one Redis the bot normally uses: redis://[:password@]host:port/db.
	RedisURL string `yaml:"redis_url" json:"redis_url"`
	// RedisPrefix starts every key, so several bots can share one Redis.
	RedisPrefix string `yaml:"redis_prefix" json:"redis_prefix"`
	// RedisMode is the kind of deployment: "auto" (the default) asks the server at start
	// (INFO's redis_mode), "single", "cluster" or "sentinel" say it, and the bot refuses to
	// start when the server disagrees.
	RedisMode string `yaml:"redis_mode" json:"redis_mode"`
	// RedisAddrs, when set, replaces RedisURL's host: Sentinel addresses when
	// RedisSentinelMaster is set, else Cluster seed nodes (one is enough) or one server
	// (host:port each).
	RedisAddrs []string `yaml:"redis_addrs" json:"redis_addrs,omitempty"`
	// RedisSentinelMaster names the Sentinel master set; it needs RedisAddrs.
	RedisSentinelMaster string `yaml:"redis_sentinel_master" json:"redis_sentinel_master,omitempty"`
	// RedisPassword is the password used with RedisAddrs; RedisURL carries its own.
	RedisPassword string `yaml:"redis_password" json:"-"`

	// WebhookURL, when set, switches Telegram from long polling to webhook mode.
	WebhookURL string `yaml:"webhook_url" json:"webhook_url,omitempty"`
	// WebhookSecret is the secret_token Telegram sends back with every update; required with
	// WebhookURL.
	WebhookSecret string `yaml:"webhook_secret" json:"-"`
	// ListenAddr is where the HTTP server (webhooks, files; health and metrics unless
	// MetricsAddr is set) listens.
	ListenAddr string `yaml:"listen_addr" json:"listen_addr"`
	// MetricsAddr, when set, is where /healthz, /readyz and /metrics are served instead of
	// ListenAddr: an address the public cannot reach, such as 127.0.0.1:9090.
	MetricsAddr string `yaml:"metrics_addr" json:"metrics_addr,omitempty"`

	// Admins are the Telegram user ids of the admins (staff of Ban Dân vận).
	Admins []int64 `yaml:"admins" json:"admins"`
	// InviteTTL is how long an invite code lives ("168h" in files).
	InviteTTL time.Duration `yaml:"invite_ttl" json:"invite_ttl"`
	// FileTTL is how long a chart or spreadsheet link sent to Zalo works (and Redis keeps the
	// file): longer suits people who open it later, shorter exposes less.
	FileTTL time.Duration `yaml:"file_ttl" json:"file_ttl"`
	// Timezone names the zone of the calendar and reminders.
	Timezone string `yaml:"timezone" json:"timezone"`
	// LogLevel is debug, info, warn or error.
	LogLevel string `yaml:"log_level" json:"log_level"`
	// LogFormat is text (logfmt, for people) or json (one object a line, for a log shipper).
	LogFormat string `yaml:"log_format" json:"log_format"`

	// Orgs, Units, Forms, Calendar and Targets are data: a section in the file replaces the
	// whole default section, so the admin never has to know what the defaults held.
	Orgs     []flows.Org    `yaml:"orgs" json:"orgs"`
	Units    []flows.Node   `yaml:"units" json:"units"`
	Forms    []flows.Form   `yaml:"forms" json:"forms"`
	Calendar []PeriodConfig `yaml:"calendar" json:"calendar"`
	// Plans are the plans of work whose targets figures are judged against, each in its years.
	// Targets is the older way of writing one plan's targets for every year: a file with a
	// "targets" section and no "plans" gets one such plan (WorkPlans).
	Plans   []PlanConfig      `yaml:"plans" json:"plans,omitempty"`
	Targets []flows.Indicator `yaml:"targets" json:"targets,omitempty"`
	// Tenants lists the provinces the deployment serves with settings of their own (office,
	// calendar, plans, bots); every root of the directory not listed is a tenant with the
	// deployment's settings (TenantList).
	Tenants []TenantConfig `yaml:"tenants" json:"tenants,omitempty"`
	// Office names the body that runs the bot and that people are told to contact: since 2025
	// the province's "Ban Tuyên giáo và Dân vận Tỉnh ủy". Data, like the directory.
	Office flows.Text `yaml:"office" json:"office"`
	// Register is the "Dân vận khéo" register's fields and recognising levels (defaults in
	// defaults/register.yaml); a file's section replaces it whole, and no fields turn it off.
	Register flows.Register `yaml:"register" json:"register"`
	// Reminders is the reminder ladder, sending hours and fan-out pace (config/reminders.go).
	Reminders RemindersConfig `yaml:"reminders" json:"reminders"`
	// ReportTemplate is the path of the written report's template, the words of the .docx
	// draft (a copy of defaults/report.yaml, edited); empty uses the built-in one. A relative
	// path is read from the working directory.
	ReportTemplate string `yaml:"report_template" json:"report_template,omitempty"`
	// DirectoryFile is the path of the directory file: the units: section alone, as `danvan
	// directory import` writes it from an admin's spreadsheet. Set, it replaces the units of
	// everything else; the bot reads it at start. Empty keeps the units of the configuration.
	DirectoryFile string `yaml:"directory_file" json:"directory_file,omitempty"`

	// sources maps a field path ("forms[0].questions[3].le") to where its value came from
	// ("config.yaml:42", "env WEBHOOK_URL"), so errors can point there.
	sources map[string]string
	// file is the YAML file read over the defaults, "" when none was.
	file string
}

// PeriodConfig is one period of the calendar as the file writes it.
type PeriodConfig struct {
	Kind      flows.PeriodKind `yaml:"kind" json:"kind"`           // Q1, H1, Q3 or Y
	Name      flows.Text       `yaml:"name" json:"name"`           // "Quý I"
	Due       string           `yaml:"due" json:"due"`             // "15/03"
	OpenDays  int              `yaml:"open_days" json:"open_days"` // reporting opens this many days before due
	CloseDays int              `yaml:"close_days" json:"close_days"`
}

//go:embed defaults/*.yaml
var defaultFiles embed.FS

// defaultSections lists the embedded files in the order they are read.
var defaultSections = []string{"office", "orgs", "units", "forms", "calendar", "plans", "register", "reminders"}

// Default returns the built-in configuration: the settings below and the data of Lai Châu
// province as of 1 July 2025 (with the 2023 city as its history) from the embedded
// defaults/*.yaml files.
func Default() Config {
	c := Config{
		TelegramAPIURL: "https://api.telegram.org",
		ZaloAPIURL:     "https://bot-api.zaloplatforms.com",
		RedisURL:       "redis://localhost:6379/0",
		RedisPrefix:    "danvan:",
		RedisMode:      "auto",
		ListenAddr:     ":8080",
		InviteTTL:      7 * 24 * time.Hour,
		FileTTL:        time.Hour,
		Timezone:       "Asia/Ho_Chi_Minh",
		LogLevel:       "info",
		LogFormat:      "text",
		sources:        map[string]string{},
	}
	for _, s := range defaultSections {
		name := "defaults/" + s + ".yaml"
		data, err := defaultFiles.ReadFile(name)
		if err == nil {
			err = c.decode(name, data)
		}
		if err != nil {
			// The files are compiled in and a test reads them: this is a build mistake.
			panic(fmt.Sprintf("config: embedded %s: %v", name, err))
		}
	}
	return c
}

// Location returns the time zone named by Timezone, or UTC when it names none (Validate refuses
// that, so a loaded Config always has its zone).
func (c Config) Location() *time.Location {
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// SlogLevel returns LogLevel as a slog.Level, info when it names none.
func (c Config) SlogLevel() slog.Level {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return slog.LevelInfo
	}
	return l
}

// FlowsCalendar returns the calendar in the form flows uses. Periods whose due date does not
// parse are left out; Validate refuses them, so a loaded Config loses none.
func (c Config) FlowsCalendar() flows.Calendar { return calendarOf(c.Calendar, c.Location()) }

// Directory builds the directory of places and units. It cannot fail on a Config that passed
// Validate.
func (c Config) Directory() (*flows.Directory, error) {
	return flows.NewDirectory(slices.Clone(c.Orgs), slices.Clone(c.Units))
}

// ReportTemplateText returns the report template to parse: the file ReportTemplate names, or
// the built-in defaults/report.yaml.
func (c Config) ReportTemplateText() ([]byte, error) {
	if c.ReportTemplate == "" {
		return defaultFiles.ReadFile("defaults/report.yaml")
	}
	b, err := os.ReadFile(c.ReportTemplate)
	if err != nil {
		return nil, fmt.Errorf("report_template: %w", err)
	}
	return b, nil
}

// IsAdmin reports whether the Telegram user id is one of Admins.
func (c Config) IsAdmin(telegramID int64) bool { return slices.Contains(c.Admins, telegramID) }

// Zalo reports whether the Zalo transport is configured.
func (c Config) Zalo() bool { return c.ZaloToken != "" }

// Webhook reports whether the bot runs in webhook mode rather than long polling.
func (c Config) Webhook() bool { return strings.TrimSpace(c.WebhookURL) != "" }
