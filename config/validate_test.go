package config

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"danvan/flows"
)

func TestValidateNamesField(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(c *Config)
		field string
	}{
		{"telegram api", func(c *Config) { c.TelegramAPIURL = "api.telegram.org" }, "telegram_api_url"},
		{"token with space", func(c *Config) { c.TelegramToken = "123: abc" }, "telegram_token"},
		{"redis db", func(c *Config) { c.RedisURL = "redis://localhost:6379/x" }, "redis_url"},
		{"redis prefix brace", func(c *Config) { c.RedisPrefix = "dv{" }, "redis_prefix"},
		{"redis mode", func(c *Config) { c.RedisMode = "clustered" }, "redis_mode"},
		{"sentinel mode without master", func(c *Config) { c.RedisMode, c.RedisAddrs = "sentinel", []string{"s:26379"} }, "redis_sentinel_master"},
		{"master in cluster mode", func(c *Config) {
			c.RedisMode, c.RedisAddrs, c.RedisSentinelMaster = "cluster", []string{"s:26379"}, "m"
		}, "redis_mode"},
		{"single mode with seeds", func(c *Config) { c.RedisMode, c.RedisAddrs = "single", []string{"a:1", "b:1"} }, "redis_addrs"},
		{"secret too long", func(c *Config) { c.WebhookSecret = strings.Repeat("a", 257) }, "webhook_secret"},
		{"webhook not absolute", func(c *Config) { c.WebhookURL, c.WebhookSecret = "/hook", "s" }, "webhook_url"},
		{"ttl", func(c *Config) { c.InviteTTL = 0 }, "invite_ttl"},
		{"file ttl", func(c *Config) { c.FileTTL = 30 * 24 * time.Hour }, "file_ttl"},
		{"zalo secret short", func(c *Config) { c.ZaloWebhookURL, c.ZaloWebhookSecret = "https://b.example/zalo", "short" }, "zalo_webhook_secret"},
		{"zalo secret missing", func(c *Config) { c.ZaloWebhookURL = "https://b.example/zalo" }, "zalo_webhook_secret"},
		{"zalo webhook http", func(c *Config) { c.ZaloWebhookURL, c.ZaloWebhookSecret = "http://b.example/zalo", "long-enough" }, "zalo_webhook_url"},
		{"public url relative", func(c *Config) { c.PublicURL = "/files" }, "public_url"},
		{"empty timezone", func(c *Config) { c.Timezone = "" }, "timezone"},
		{"no orgs", func(c *Config) { c.Orgs = nil }, "orgs"},
		{"org id accent", func(c *Config) { c.Orgs[0].ID = "mặt trận" }, "orgs[0].id"},
		{"org short long", func(c *Config) { c.Orgs[2].Short.Vi = "Hội Liên hiệp Phụ nữ Việt Nam" }, "orgs[2].short"},
		{"duplicate unit", func(c *Config) { c.Units[2].ID = c.Units[1].ID }, "units[2].id"},
		{"unit name", func(c *Config) { c.Units[3].Name.Vi = "" }, "units[3].name.vi"},
		{"loop", func(c *Config) { c.Units[0].Parent = "tanphong" }, "units[0].parent"},
		{"no reporting unit", func(c *Config) { c.Units = c.Units[:1] }, "units"},
		{"duplicate kind", func(c *Config) { c.Calendar[1].Kind = flows.Q1 }, "calendar[1].kind"},
		{"leap day", func(c *Config) { c.Calendar[0].Due = "29/02" }, "calendar[0].due"},
		{"bad due", func(c *Config) { c.Calendar[0].Due = "March 15" }, "calendar[0].due"},
		{"long window", func(c *Config) { c.Calendar[0].CloseDays = 400 }, "calendar[0].close_days"},
		{"negative days", func(c *Config) { c.Calendar[0].OpenDays = -1 }, "calendar[0].open_days"},
		{"no forms", func(c *Config) { c.Forms, c.Plans = nil, nil }, "forms"},
		{"duplicate form", func(c *Config) { c.Forms[1].ID = "membership" }, "forms[1].id"},
		{"form title", func(c *Config) { c.Forms[0].Title.Vi = "" }, "forms[0].title.vi"},
		{"duplicate question", func(c *Config) { c.Forms[1].Questions[1].ID = "meetings" }, "forms[1].questions[1].id"},
		{"le later", func(c *Config) { c.Forms[0].Questions[1].LE = "active" }, "forms[0].questions[1].le"},
		{"le self", func(c *Config) { c.Forms[0].Questions[1].LE = "members" }, "forms[0].questions[1].le"},
		{"le yearly", func(c *Config) { c.Forms[0].Questions[5].Periods = nil }, "forms[0].questions[5].le"},
		{"min above max", func(c *Config) { c.Forms[1].Questions[0].Min, c.Forms[1].Questions[0].Max = 5, 2 }, "forms[1].questions[0].max"},
		{"negative min", func(c *Config) { c.Forms[1].Questions[0].Min = -1 }, "forms[1].questions[0].min"},
		{"soft change", func(c *Config) { c.Forms[0].Questions[0].SoftChange = -0.5 }, "forms[0].questions[0].soft_change"},
		{"unknown period", func(c *Config) { c.Forms[0].Questions[4].Periods = []flows.PeriodKind{"Q4"} }, "forms[0].questions[4].periods[0]"},
		{"text with le", func(c *Config) { c.Forms[1].Questions[6].LE = "meetings" }, "forms[1].questions[6].le"},
		{"text with min", func(c *Config) { c.Forms[1].Questions[7].Min = 1 }, "forms[1].questions[7].min"},
		{"text too long", func(c *Config) { c.Forms[1].Questions[8].MaxLen = 100_000 }, "forms[1].questions[8].max_len"},
		{"number with max_len", func(c *Config) { c.Forms[1].Questions[0].MaxLen = 5 }, "forms[1].questions[0].max_len"},
		{"number optional", func(c *Config) { c.Forms[1].Questions[0].Optional = true }, "forms[1].questions[0].optional"},
		{"unknown type", func(c *Config) { c.Forms[1].Questions[0].Type = "photo" }, "forms[1].questions[0].type"},
		{"unknown register", func(c *Config) { c.Forms[1].Questions[2].Register = "units" }, "forms[1].questions[2].register"},
		{"target on text", func(c *Config) { c.Plans[0].Targets[3].Num = "results" }, "plans[0].targets[3].num"},
		{"register field id", func(c *Config) { c.Register.Fields[0].ID = "" }, "register.fields[0].id"},
		{"register field short", func(c *Config) { c.Register.Fields[0].Short.Vi = strings.Repeat("rừng ", 10) }, "register.fields[0].short"},
		{"register without levels", func(c *Config) { c.Register.Levels = nil }, "register.levels"},
		{"register off, form on it", func(c *Config) { c.Register = flows.Register{} }, "forms[1].questions[2].register"},
		{"report push before a reminder", func(c *Config) { c.Reminders.Ladder[7].Days = 2 }, "reminders.ladder[7].days"},
		{"report push and digest", func(c *Config) { c.Reminders.Ladder[7].Digest = true }, "reminders.ladder[7].report"},
		{"period not in calendar", func(c *Config) { c.Calendar = c.Calendar[:3] }, "forms[0].questions[4].periods[0]"},
		{"duplicate target", func(c *Config) { c.Plans[0].Targets[1].ID = "1.5" }, "plans[0].targets[1].id"},
		{"target form", func(c *Config) { c.Plans[0].Targets[0].Form = "nope" }, "plans[0].targets[0].form"},
		{"target den", func(c *Config) { c.Plans[0].Targets[0].Den = "nope" }, "plans[0].targets[0].den"},
		{"target den yearly", func(c *Config) { c.Plans[0].Targets[0].Den = "branches" }, "plans[0].targets[0].den"},
		{"rate with max", func(c *Config) { c.Plans[0].Targets[0].Max = 1 }, "plans[0].targets[0].max"},
		{"count max below min", func(c *Config) { c.Plans[0].Targets[4].Max = 0.5 }, "plans[0].targets[4].max"},
		{"target name", func(c *Config) { c.Plans[0].Targets[5].Name = flows.Text{En: "x"} }, "plans[0].targets[5].name.vi"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Default()
			tt.edit(&c)
			err := c.Validate()
			if err == nil {
				t.Fatalf("Validate(): got nil, want an error on %s", tt.field)
			}
			var fields []string
			for _, fe := range fieldErrors(err) {
				fields = append(fields, fe.Field)
			}
			if !slices.Contains(fields, tt.field) {
				t.Errorf("fields: got %v, want %v among them (err %v)", fields, tt.field, err)
			}
		})
	}
}

func TestValidateSourceOfDefaults(t *testing.T) {
	c := Default()
	c.Forms[0].Questions[1].LE = "nope"
	err := c.Validate()
	var fe *FieldError
	if !errors.As(err, &fe) {
		t.Fatalf("errors.As(*FieldError): got false, want true (err %v)", err)
	}
	if got, want := fe.Source, "defaults/forms.yaml:"; !strings.HasPrefix(got, want) {
		t.Errorf("Source: got %v, want prefix %v", got, want)
	}
	if got, want := fe.Field, "forms[0].questions[1].le"; got != want {
		t.Errorf("Field: got %v, want %v", got, want)
	}
}

func TestValidateBackstopsFlows(t *testing.T) {
	// Every form the config accepts, flows accepts too.
	for _, f := range Default().Forms {
		if err := f.Validate(); err != nil {
			t.Errorf("flows refuses form %s: got %v, want nil", f.ID, err)
		}
	}
}

func TestValidateAcceptsVariants(t *testing.T) {
	tests := []struct {
		name string
		edit func(c *Config)
	}{
		{"webhook", func(c *Config) { c.WebhookURL, c.WebhookSecret = "https://bot.example.vn/tg", "s3cret_-" }},
		{"loopback http webhook", func(c *Config) { c.WebhookURL, c.WebhookSecret = "http://127.0.0.1:9999/tg", "s" }},
		{"cluster", func(c *Config) { c.RedisAddrs = []string{"r1:6379", "r2:6379"} }},
		{"cluster, one seed", func(c *Config) { c.RedisMode, c.RedisAddrs = "cluster", []string{"r1:6379"} }},
		{"cluster by url", func(c *Config) { c.RedisMode, c.RedisURL = "cluster", "rediss://:pw@cfg.example.vn:6379" }},
		{"single by addr", func(c *Config) { c.RedisMode, c.RedisAddrs = "single", []string{"r1:6379"} }},
		{"sentinel mode", func(c *Config) {
			c.RedisMode, c.RedisAddrs, c.RedisSentinelMaster = "sentinel", []string{"s:26379"}, "m"
		}},
		{"sentinel", func(c *Config) { c.RedisAddrs, c.RedisSentinelMaster = []string{"s:26379"}, "m" }},
		{"rediss", func(c *Config) { c.RedisURL = "rediss://:pw@redis.example.vn:6380/2" }},
		{"unix socket", func(c *Config) { c.RedisURL = "unix:///run/redis.sock" }},
		{"listen host", func(c *Config) { c.ListenAddr = "127.0.0.1:8081" }},
		{"metrics apart, json logs", func(c *Config) { c.MetricsAddr, c.LogFormat = "127.0.0.1:9090", "json" }},
		{"deeper tree", func(c *Config) {
			c.Units = append(c.Units,
				flows.Node{ID: "to1", Parent: "tanphong", Name: flows.Text{Vi: "Tổ dân phố 1"}},
				flows.Node{ID: "to1-phunu", Parent: "to1", Org: "phunu", Name: flows.Text{Vi: "Chi hội Phụ nữ tổ 1"}})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Default()
			tt.edit(&c)
			if err := c.Validate(); err != nil {
				t.Errorf("Validate(): got %v, want nil", err)
			}
		})
	}
}
