package config

import (
	"fmt"
	"log/slog"
	"net/url"
	"strings"
)

const redacted = "[redacted]"

// attrs lists the configuration for people to read, secrets replaced: a token in a log file is
// a token anyone with the logs can use.
func (c Config) attrs() []slog.Attr {
	return []slog.Attr{
		slog.String("telegram_token", secret(c.TelegramToken)),
		slog.String("telegram_api_url", c.scrub(c.TelegramAPIURL)),
		slog.String("bot_name", c.BotName),
		slog.String("zalo_token", secret(c.ZaloToken)),
		slog.String("zalo_api_url", c.scrub(c.ZaloAPIURL)),
		slog.String("zalo_webhook_url", c.scrub(c.ZaloWebhookURL)),
		slog.String("zalo_webhook_secret", secret(c.ZaloWebhookSecret)),
		slog.Any("zalo_admins", c.ZaloAdmins),
		slog.Int64("zalo_monthly_quota", c.ZaloMonthlyQuota),
		slog.String("public_url", c.scrub(c.PublicURL)),
		slog.String("redis_url", c.scrub(c.RedisURL)),
		slog.String("redis_prefix", c.RedisPrefix),
		slog.String("redis_mode", c.RedisMode),
		slog.String("redis_addrs", strings.Join(c.RedisAddrs, ",")),
		slog.String("redis_sentinel_master", c.RedisSentinelMaster),
		slog.String("redis_password", secret(c.RedisPassword)),
		slog.String("webhook_url", c.scrub(c.WebhookURL)),
		slog.String("webhook_secret", secret(c.WebhookSecret)),
		slog.String("listen_addr", c.ListenAddr),
		slog.String("metrics_addr", c.MetricsAddr),
		slog.Any("admins", c.Admins),
		slog.Duration("invite_ttl", c.InviteTTL),
		slog.Duration("file_ttl", c.FileTTL),
		slog.String("timezone", c.Timezone),
		slog.String("log_level", c.LogLevel),
		slog.String("log_format", c.LogFormat),
		slog.Int("orgs", len(c.Orgs)),
		slog.Int("units", len(c.Units)),
		slog.Int("forms", len(c.Forms)),
		slog.Int("calendar", len(c.Calendar)),
		slog.Int("plans", len(c.WorkPlans())),
		slog.Int("tenants", len(c.Tenants)),
		slog.Int("tenant_bots", c.tenantBots()),
		slog.String("report_template", c.ReportTemplate),
		slog.String("directory_file", c.DirectoryFile),
	}
}

// secret shows whether a secret is set, never what it is.
func secret(s string) string {
	if s == "" {
		return ""
	}
	return redacted
}

// scrub hides the password of a URL and any secret pasted into it (a webhook path ending in the
// bot token is a common habit).
func (c Config) scrub(s string) string {
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil {
		return "[unparsable URL]" // it may hold anything, a password included
	}
	s = u.Redacted()
	secrets := []string{c.TelegramToken, c.ZaloToken, c.WebhookSecret, c.ZaloWebhookSecret, c.RedisPassword}
	for _, t := range c.Tenants {
		secrets = append(secrets, t.TelegramToken, t.ZaloToken)
	}
	for _, sec := range secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, redacted)
		}
	}
	return s
}

// tenantBots counts the tenants' own bots, whose tokens are never shown.
func (c Config) tenantBots() int {
	n := 0
	for _, t := range c.Tenants {
		if t.TelegramToken != "" {
			n++
		}
		if t.ZaloToken != "" {
			n++
		}
	}
	return n
}

// String returns the settings as key=value pairs and the size of each data section, with
// secrets redacted.
func (c Config) String() string {
	var b strings.Builder
	b.WriteString("config{")
	for i, a := range c.attrs() {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s=%v", a.Key, a.Value)
	}
	b.WriteByte('}')
	return b.String()
}

// GoString returns String, so that %#v does not print the secrets either.
func (c Config) GoString() string { return c.String() }

// Format writes String for every verb: without it %d or %x would print the fields, secrets
// included.
func (c Config) Format(f fmt.State, verb rune) { _, _ = f.Write([]byte(c.String())) }

// LogValue returns the configuration as a slog group, with secrets redacted.
func (c Config) LogValue() slog.Value { return slog.GroupValue(c.attrs()...) }
