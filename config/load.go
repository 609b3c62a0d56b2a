package config

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// EnvConfigFile names the environment variable holding the path of the YAML file, used when the
// -config flag is not given.
const EnvConfigFile = "DANVAN_CONFIG"

// setting is one scalar setting that the environment or a flag can set. key is its name in the
// file and in errors.
type setting struct {
	key, env, flag, usage string
	set                   func(c *Config, v string) error
}

// settings lists what env and flags can set. Secrets have no flag: a command line is visible to
// every user of the machine through ps.
var settings = []setting{
	{"telegram_token", "TELEGRAM_BOT_TOKEN", "", "Telegram Bot API token", str(func(c *Config) *string { return &c.TelegramToken })},
	{"telegram_api_url", "TELEGRAM_API_URL", "telegram-api", "Telegram Bot API endpoint `url`", str(func(c *Config) *string { return &c.TelegramAPIURL })},
	{"bot_name", "BOT_NAME", "bot-name", "bot user`name` for t.me deep links (default: from getMe)", str(func(c *Config) *string { return &c.BotName })},
	{"zalo_token", "ZALO_BOT_TOKEN", "", "Zalo Bot Platform token", str(func(c *Config) *string { return &c.ZaloToken })},
	{"zalo_api_url", "ZALO_API_URL", "zalo-api", "Zalo Bot Platform endpoint `url`", str(func(c *Config) *string { return &c.ZaloAPIURL })},
	{"zalo_webhook_url", "ZALO_WEBHOOK_URL", "zalo-webhook-url", "public https `url` of the Zalo webhook; empty means getUpdates", str(func(c *Config) *string { return &c.ZaloWebhookURL })},
	{"zalo_webhook_secret", "ZALO_WEBHOOK_SECRET", "", "Zalo webhook secret token (8–256 characters)", str(func(c *Config) *string { return &c.ZaloWebhookSecret })},
	{"zalo_admins", "ZALO_ADMINS", "zalo-admins", "comma list of admin Zalo user `ids`", list(func(c *Config) *[]string { return &c.ZaloAdmins })},
	{"zalo_monthly_quota", "ZALO_MONTHLY_QUOTA", "zalo-monthly-quota", "messages a month the Zalo plan allows (`n`; 0 = unknown)", setZaloQuota},
	{"public_url", "PUBLIC_URL", "public-url", "public base `url` for chart and spreadsheet links (Zalo)", str(func(c *Config) *string { return &c.PublicURL })},
	{"redis_url", "REDIS_URL", "redis", "Redis `url` redis://[:password@]host:port/db", str(func(c *Config) *string { return &c.RedisURL })},
	{"redis_prefix", "REDIS_PREFIX", "redis-prefix", "`prefix` of every Redis key", str(func(c *Config) *string { return &c.RedisPrefix })},
	{"redis_mode", "REDIS_MODE", "redis-mode", "Redis `mode`: auto (ask the server), single, cluster or sentinel", str(func(c *Config) *string { return &c.RedisMode })},
	{"redis_addrs", "REDIS_ADDRS", "redis-addrs", "comma list of host:port `addrs`: Sentinels with -redis-sentinel-master, else Cluster seeds (one is enough) or one server", list(func(c *Config) *[]string { return &c.RedisAddrs })},
	{"redis_sentinel_master", "REDIS_SENTINEL_MASTER", "redis-sentinel-master", "Sentinel master `name`", str(func(c *Config) *string { return &c.RedisSentinelMaster })},
	{"redis_password", "REDIS_PASSWORD", "", "password used with REDIS_ADDRS", str(func(c *Config) *string { return &c.RedisPassword })},
	{"webhook_url", "WEBHOOK_URL", "webhook-url", "public https `url` of the webhook; empty means long polling", str(func(c *Config) *string { return &c.WebhookURL })},
	{"webhook_secret", "WEBHOOK_SECRET", "", "webhook secret token", str(func(c *Config) *string { return &c.WebhookSecret })},
	{"listen_addr", "LISTEN_ADDR", "listen", "HTTP listen `address`", str(func(c *Config) *string { return &c.ListenAddr })},
	{"metrics_addr", "METRICS_ADDR", "metrics-addr", "serve /healthz, /readyz and /metrics on this `address` (such as 127.0.0.1:9090) instead of the listen address", str(func(c *Config) *string { return &c.MetricsAddr })},
	{"admins", "ADMINS", "admins", "comma list of admin Telegram user `ids`", setAdmins},
	{"invite_ttl", "INVITE_TTL", "invite-ttl", "lifetime of invite codes, a `duration` such as 168h", duration(func(c *Config) *time.Duration { return &c.InviteTTL })},
	{"file_ttl", "FILE_TTL", "file-ttl", "lifetime of the chart and spreadsheet links sent to Zalo, a `duration` such as 1h", duration(func(c *Config) *time.Duration { return &c.FileTTL })},
	{"timezone", "TIMEZONE", "timezone", "time `zone` of the calendar", str(func(c *Config) *string { return &c.Timezone })},
	{"log_level", "LOG_LEVEL", "log-level", "log `level`: debug, info, warn or error", str(func(c *Config) *string { return &c.LogLevel })},
	{"log_format", "LOG_FORMAT", "log-format", "log `format`: text or json", str(func(c *Config) *string { return &c.LogFormat })},
	{"directory_file", "DIRECTORY_FILE", "directory-file", "the directory `file` (units: alone) that danvan directory import writes; replaces the units of the configuration", str(func(c *Config) *string { return &c.DirectoryFile })},
}

func str(field func(*Config) *string) func(*Config, string) error {
	return func(c *Config, v string) error {
		*field(c) = strings.TrimSpace(v)
		return nil
	}
}

func list(field func(*Config) *[]string) func(*Config, string) error {
	return func(c *Config, v string) error {
		*field(c) = splitList(v)
		return nil
	}
}

func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func setAdmins(c *Config, v string) error {
	var ids []int64
	for _, s := range splitList(v) {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return fmt.Errorf("%q is not a Telegram user id (a whole number)", s)
		}
		ids = append(ids, id)
	}
	c.Admins = ids
	return nil
}

func duration(field func(*Config) *time.Duration) func(*Config, string) error {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(strings.TrimSpace(v))
		if err != nil {
			return fmt.Errorf("%q is not a duration such as 168h or 90m", v)
		}
		*field(c) = d
		return nil
	}
}

func setZaloQuota(c *Config, v string) error {
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil {
		return fmt.Errorf("%q is not a whole number of messages", v)
	}
	c.ZaloMonthlyQuota = n
	return nil
}

// flagValue is one flag as given, applied after the file and the environment.
type flagValue struct {
	s setting
	v string
}

// Load returns the configuration: defaults, then the YAML file named by the -config flag or
// DANVAN_CONFIG, then the environment read through getenv, then the flags in args (without the
// program name), and checks it with Validate. "-h" returns an error that wraps flag.ErrHelp
// and holds the usage text.
func Load(args []string, getenv func(string) string) (Config, error) {
	return LoadWith("danvan", args, getenv, nil)
}

// LoadWith is Load for a subcommand (`danvan dump`): extra, when not nil, adds the command's own
// flags to the flag set, which parses them along with the configuration's; name is the
// command's, for the usage text.
func LoadWith(name string, args []string, getenv func(string) string, extra func(*flag.FlagSet)) (Config, error) {
	return load(name, args, getenv, extra, false)
}

// LoadForDirectory is LoadWith for `danvan directory import` and `export`: a directory_file that
// does not exist yet leaves the units of the configuration, which the first import is read
// against and export writes.
func LoadForDirectory(name string, args []string, getenv func(string) string, extra func(*flag.FlagSet)) (Config, error) {
	return load(name, args, getenv, extra, true)
}

func load(name string, args []string, getenv func(string) string, extra func(*flag.FlagSet), optionalDir bool) (Config, error) {
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	fs, path, given := newFlagSet(name)
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return Config{}, fmt.Errorf("%w\n%s", err, usage(fs))
		}
		return Config{}, fmt.Errorf("flags: %w", err)
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("flags: unexpected argument %q", fs.Arg(0))
	}
	c := Default()
	if *path == "" {
		*path = strings.TrimSpace(getenv(EnvConfigFile))
	}
	if *path != "" {
		if err := c.loadFile(*path); err != nil {
			return Config{}, err
		}
	}
	if err := c.applyEnv(getenv); err != nil {
		return Config{}, err
	}
	c.applyTenantEnv(getenv)
	if err := c.applyFlags(*given); err != nil {
		return Config{}, err
	}
	c.BotName = strings.TrimPrefix(c.BotName, "@")
	if c.DirectoryFile != "" {
		if err := c.loadDirectory(optionalDir); err != nil {
			return Config{}, err
		}
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// Parse returns the defaults with the YAML data read over them and checked, as Load does with a
// file named name, but without the environment or flags: for tests and tools that hold the
// file in memory.
func Parse(name string, data []byte) (Config, error) {
	c := Default()
	c.file = name
	if err := c.decode(name, data); err != nil {
		return Config{}, err
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

func newFlagSet(name string) (*flag.FlagSet, *string, *[]flagValue) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are returned, usage is in the ErrHelp error
	path := fs.String("config", "", "YAML configuration `file` (env "+EnvConfigFile+")")
	given := new([]flagValue)
	for _, s := range settings {
		if s.flag == "" {
			continue
		}
		fs.Func(s.flag, s.usage+" (env "+s.env+")", func(v string) error {
			*given = append(*given, flagValue{s, v})
			return nil
		})
	}
	return fs, path, given
}

func usage(fs *flag.FlagSet) string {
	var b bytes.Buffer
	fs.SetOutput(&b)
	fmt.Fprintf(&b, "Usage of %s:\n", fs.Name())
	fs.PrintDefaults()
	fmt.Fprintln(&b, "Secrets come from the environment only: TELEGRAM_BOT_TOKEN, ZALO_BOT_TOKEN, WEBHOOK_SECRET, ZALO_WEBHOOK_SECRET, REDIS_PASSWORD;")
	fmt.Fprintln(&b, "a tenant's own bots from TELEGRAM_BOT_TOKEN_<ID> and ZALO_BOT_TOKEN_<ID> (or its tenants: entry).")
	fs.SetOutput(io.Discard)
	return b.String()
}

func (c *Config) loadFile(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("config file: %w", err)
	}
	c.file = path
	return c.decode(path, data)
}

// applyEnv sets what the environment names. An empty variable counts as unset, the way shells
// and container runtimes pass "VAR=".
func (c *Config) applyEnv(getenv func(string) string) error {
	var errs []error
	for _, s := range settings {
		v := getenv(s.env)
		if v == "" {
			continue
		}
		src := "env " + s.env
		if err := s.set(c, v); err != nil {
			errs = append(errs, &FieldError{Field: s.key, Source: src, Err: err})
		}
		c.setSource(s.key, src)
	}
	return errors.Join(errs...)
}

// applyFlags sets the flags given, in the order given: the last of a repeated flag wins.
func (c *Config) applyFlags(given []flagValue) error {
	var errs []error
	for _, g := range given {
		src := "flag -" + g.s.flag
		if err := g.s.set(c, g.v); err != nil {
			errs = append(errs, &FieldError{Field: g.s.key, Source: src, Err: err})
		}
		c.setSource(g.s.key, src)
	}
	return errors.Join(errs...)
}
