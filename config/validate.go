package config

import (
	"cmp"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// FieldError is one thing wrong with the configuration: which field, where its value came from,
// and why it is refused.
type FieldError struct {
	// Field is the path of the field as the file writes it: "forms[0].questions[3].le".
	Field string
	// Source is where the value came from: "config.yaml:42", "env WEBHOOK_SECRET",
	// "flag -listen", or "" for a default in code.
	Source string
	// Err says why the value is refused.
	Err error
}

// Error returns "config.yaml:42: forms[0].questions[3].le: ...".
func (e *FieldError) Error() string {
	if e.Source == "" {
		return e.Field + ": " + e.Err.Error()
	}
	return e.Source + ": " + e.Field + ": " + e.Err.Error()
}

// Unwrap returns the reason.
func (e *FieldError) Unwrap() error { return e.Err }

// checker collects every error of one Validate, so the admin fixes the file in one go.
type checker struct {
	c    *Config
	errs []error
}

func (k *checker) add(field, format string, args ...any) {
	k.errs = append(k.errs, &FieldError{Field: field, Source: k.c.source(field), Err: fmt.Errorf(format, args...)})
}

// Validate checks the whole configuration and returns every problem it finds, each a
// *FieldError naming its field (joined with errors.Join), or nil.
func (c Config) Validate() error {
	k := &checker{c: &c}
	k.telegram()
	k.redis()
	k.http()
	k.zalo()
	k.misc()
	k.directory()
	kinds := k.calendar()
	k.forms(kinds)
	k.targets()
	k.plans()
	k.tenants(kinds)
	k.register()
	k.reminders(kinds)
	return errors.Join(tidy(k.errs, c.file != "")...)
}

// tidy shortens the errors for people: when a file was read, each built-in section that no
// longer fits a section the file replaced is reported once, with what to do; errors come in file
// and line order.
func tidy(errs []error, fromFile bool) []error {
	var out []error
	firsts, more := map[string]*FieldError{}, map[string]int{}
	for _, e := range errs {
		fe, ok := e.(*FieldError)
		if !ok || !fromFile || !strings.HasPrefix(fe.Source, "defaults/") {
			out = append(out, e)
			continue
		}
		sec := fe.Field[:strings.IndexAny(fe.Field+".[", ".[")]
		if firsts[sec] != nil {
			more[sec]++
			continue
		}
		firsts[sec] = fe
		out = append(out, e)
	}
	for sec, fe := range firsts {
		fe.Err = fmt.Errorf("%w (and %d more like it): this is the built-in %s section, which does not fit the sections your file replaced; write a %s: section in the file too", fe.Err, more[sec], sec, sec)
	}
	sortBySource(out)
	return out
}

// sortBySource orders errors by file, in the order files first appear, then by line.
func sortBySource(errs []error) {
	type item struct {
		err         error
		group, line int
	}
	groups, items := map[string]int{}, make([]item, len(errs))
	for i, e := range errs {
		var src string
		if fe, ok := e.(*FieldError); ok {
			src = fe.Source
		}
		file, line := src, 0
		if c := strings.LastIndexByte(src, ':'); c > 0 {
			if n, err := strconv.Atoi(src[c+1:]); err == nil {
				file, line = src[:c], n
			}
		}
		if _, ok := groups[file]; !ok {
			groups[file] = len(groups)
		}
		items[i] = item{e, groups[file], line}
	}
	slices.SortStableFunc(items, func(a, b item) int {
		return cmp.Or(cmp.Compare(a.group, b.group), cmp.Compare(a.line, b.line))
	})
	for i, it := range items {
		errs[i] = it.err
	}
}

// Telegram usernames: 5–32 letters, digits and underscores.
var botName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{4,31}$`)

func (k *checker) telegram() {
	k.endpoint("telegram_api_url", k.c.TelegramAPIURL)
	k.endpoint("zalo_api_url", k.c.ZaloAPIURL)
	if n := k.c.BotName; n != "" && !botName.MatchString(n) {
		k.add("bot_name", "%q is not a Telegram username (5–32 letters, digits, _)", n)
	}
}

// endpoint checks an API base URL: absolute http(s) with a host.
func (k *checker) endpoint(key, v string) {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		k.add(key, "%q is not an http(s) URL such as https://api.telegram.org", v)
	}
}

// Redis key prefixes may not hold braces: storage puts a unit's keys in one Cluster hash slot
// with a {unit} hash tag, and a brace in the prefix would move the tag.
func (k *checker) redis() {
	c := k.c
	if strings.ContainsAny(c.RedisPrefix, "{} \t\n") {
		k.add("redis_prefix", "%q may not hold braces or spaces (they break Cluster hash tags)", c.RedisPrefix)
	}
	k.redisMode()
	if len(c.RedisAddrs) == 0 {
		if c.RedisSentinelMaster != "" {
			k.add("redis_addrs", "Sentinel addresses are required with redis_sentinel_master")
		}
		k.redisURL()
		return
	}
	for i, a := range c.RedisAddrs {
		if _, port, err := net.SplitHostPort(a); err != nil || !validPort(port) {
			k.add(fmt.Sprintf("redis_addrs[%d]", i), "%q is not host:port", a)
		}
	}
}

// redisMode checks the mode against the other Redis fields; whether the server agrees is
// checked at start, when the bot connects.
func (k *checker) redisMode() {
	c := k.c
	switch c.RedisMode {
	case "auto", "single", "cluster":
		if c.RedisSentinelMaster != "" && c.RedisMode != "auto" {
			k.add("redis_mode", "%q with redis_sentinel_master: want sentinel or auto", c.RedisMode)
		}
	case "sentinel":
		if c.RedisSentinelMaster == "" {
			k.add("redis_sentinel_master", "is required with redis_mode sentinel: the name of the master set")
		}
	default:
		k.add("redis_mode", "%q: want auto, single, cluster or sentinel", c.RedisMode)
	}
	if c.RedisMode == "single" && len(c.RedisAddrs) > 1 {
		k.add("redis_addrs", "%d addresses with redis_mode single: want one", len(c.RedisAddrs))
	}
}

func (k *checker) redisURL() {
	u, err := url.Parse(k.c.RedisURL)
	if err != nil {
		k.add("redis_url", "does not parse as a URL (value not shown: it may hold a password)")
		return
	}
	switch {
	case u.Scheme != "redis" && u.Scheme != "rediss" && u.Scheme != "unix":
		k.add("redis_url", "scheme %q: want redis://, rediss:// or unix://", u.Scheme)
	case u.Scheme != "unix" && u.Host == "":
		k.add("redis_url", "has no host; want redis://host:6379/0")
	}
	if db := strings.Trim(u.Path, "/"); u.Scheme != "unix" && db != "" {
		if n, err := strconv.Atoi(db); err != nil || n < 0 {
			k.add("redis_url", "database %q is not a number ≥ 0", db)
		}
	}
}

func validPort(p string) bool {
	n, err := strconv.Atoi(p)
	return err == nil && n > 0 && n < 65536
}

// Telegram's rule for secret_token: 1–256 characters of A-Z a-z 0-9 _ -.
var webhookSecret = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

func (k *checker) http() {
	c := k.c
	if _, port, err := net.SplitHostPort(c.ListenAddr); err != nil || !validPort(port) {
		k.add("listen_addr", "%q is not [host]:port such as :8080", c.ListenAddr)
	}
	if c.MetricsAddr != "" {
		if _, port, err := net.SplitHostPort(c.MetricsAddr); err != nil || !validPort(port) {
			k.add("metrics_addr", "%q is not [host]:port such as 127.0.0.1:9090", c.MetricsAddr)
		} else if c.MetricsAddr == c.ListenAddr {
			k.add("metrics_addr", "%q is listen_addr too; leave it empty to serve health and metrics there", c.MetricsAddr)
		}
	}
	if c.WebhookSecret != "" && !webhookSecret.MatchString(c.WebhookSecret) {
		k.add("webhook_secret", "must be 1–256 characters of A-Z a-z 0-9 _ - (value not shown)")
	}
	if c.WebhookURL == "" {
		return
	}
	u, err := url.Parse(c.WebhookURL)
	switch {
	case err != nil || u.Host == "":
		k.add("webhook_url", "%q is not an absolute URL", c.WebhookURL)
	case u.Scheme != "https" && !(u.Scheme == "http" && isLoopback(u.Hostname())):
		// Telegram only calls https webhooks; plain http is kept for local fakes.
		k.add("webhook_url", "%q: Telegram needs https", c.WebhookURL)
	}
	if c.WebhookSecret == "" {
		k.add("webhook_secret", "is required in webhook mode (webhook_url is set), so forged updates are refused")
	}
}

// zalo checks the Zalo webhook and the public base URL. Zalo's rule for secret_token is 8–256
// characters.
func (k *checker) zalo() {
	c := k.c
	if n := len(c.ZaloWebhookSecret); n > 0 && (n < 8 || n > 256 || strings.ContainsAny(c.ZaloWebhookSecret, " \t\n")) {
		k.add("zalo_webhook_secret", "must be 8–256 characters without spaces (value not shown)")
	}
	for _, f := range []struct{ key, v string }{{"zalo_webhook_url", c.ZaloWebhookURL}, {"public_url", c.PublicURL}} {
		if f.v == "" {
			continue
		}
		u, err := url.Parse(f.v)
		if err != nil || u.Host == "" || (u.Scheme != "https" && !(u.Scheme == "http" && isLoopback(u.Hostname()))) {
			k.add(f.key, "%q is not an absolute https URL", f.v)
		}
	}
	if c.ZaloMonthlyQuota < 0 {
		k.add("zalo_monthly_quota", "%d is negative; 0 means unknown", c.ZaloMonthlyQuota)
	}
	if c.ZaloWebhookURL != "" && c.ZaloWebhookSecret == "" {
		k.add("zalo_webhook_secret", "is required with zalo_webhook_url, so forged updates are refused")
	}
}

func isLoopback(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || (ip != nil && ip.IsLoopback())
}

func (k *checker) misc() {
	c := k.c
	for i, id := range c.Admins {
		if id <= 0 {
			k.add(fmt.Sprintf("admins[%d]", i), "%d is not a Telegram user id (a whole number > 0)", id)
		}
	}
	if c.InviteTTL < time.Minute {
		k.add("invite_ttl", "%v is too short; write a duration such as 168h", c.InviteTTL)
	}
	if c.FileTTL < time.Minute || c.FileTTL > 7*24*time.Hour {
		k.add("file_ttl", "%v: want a duration from 1m to 168h, such as 1h", c.FileTTL)
	}
	if _, err := time.LoadLocation(c.Timezone); err != nil || c.Timezone == "" {
		k.add("timezone", "%q is not a time zone such as Asia/Ho_Chi_Minh", c.Timezone)
	}
	switch strings.ToLower(c.LogLevel) {
	case "debug", "info", "warn", "error":
	default:
		k.add("log_level", "%q: want debug, info, warn or error", c.LogLevel)
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		k.add("log_format", "%q: want text or json", c.LogFormat)
	}
	if c.ReportTemplate != "" {
		if _, err := os.Stat(c.ReportTemplate); err != nil {
			k.add("report_template", "cannot read the report template: %v", err)
		}
	}
}
