package config

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestLoadPrecedence(t *testing.T) {
	file := testdata("settings.yaml")
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"defaults", nil, nil, ":8080"},
		{"file by flag", []string{"-config", file}, nil, ":9000"},
		{"file by env", nil, map[string]string{EnvConfigFile: file}, ":9000"},
		{"env over file", []string{"-config", file}, map[string]string{"LISTEN_ADDR": ":9100"}, ":9100"},
		{"flag over env", []string{"-config", file, "-listen", ":9200"}, map[string]string{"LISTEN_ADDR": ":9100"}, ":9200"},
		{"last flag wins", []string{"-listen", ":1", "-listen", ":2"}, nil, ":2"},
		{"empty env is unset", []string{"-config", file}, map[string]string{"LISTEN_ADDR": ""}, ":9000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustLoad(t, tt.args, tt.env)
			if c.ListenAddr != tt.want {
				t.Errorf("ListenAddr: got %v, want %v", c.ListenAddr, tt.want)
			}
		})
	}
}

func TestLoadFileSettings(t *testing.T) {
	c := mustLoad(t, []string{"-config", testdata("settings.yaml")}, nil)
	checks := []struct {
		name      string
		got, want any
	}{
		{"RedisPrefix", c.RedisPrefix, "test:"},
		{"Admins", fmt.Sprint(c.Admins), "[111 222]"},
		{"InviteTTL", c.InviteTTL, 48 * time.Hour},
		{"LogLevel", c.LogLevel, "debug"},
		{"RedisURL (default)", c.RedisURL, "redis://localhost:6379/0"},
		{"units (default)", len(c.Units), len(Default().Units)},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s: got %v, want %v", ch.name, ch.got, ch.want)
		}
	}
}

func TestLoadFileReplacesSection(t *testing.T) {
	c := mustLoad(t, []string{"-config", testdata("units_small.yaml")}, nil)
	def := Default()
	checks := []struct {
		name      string
		got, want int
	}{
		{"orgs", len(c.Orgs), 1},
		{"units", len(c.Units), 2},
		{"forms", len(c.Forms), len(def.Forms)},
		{"calendar", len(c.Calendar), len(def.Calendar)},
		{"targets", len(c.Indicators()), len(def.Indicators())},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("len(%s): got %d, want %d", ch.name, ch.got, ch.want)
		}
	}
	full := mustLoad(t, []string{"-config", testdata("full.yaml")}, nil)
	if got := full.FlowsCalendar().Loc.String(); got != "Asia/Bangkok" {
		t.Errorf("calendar zone: got %v, want %v", got, "Asia/Bangkok")
	}
	if got, want := len(full.Forms[0].Questions), 3; got != want {
		t.Errorf("len(forms[0].questions): got %d, want %d", got, want)
	}
}

func TestLoadEnvAndFlags(t *testing.T) {
	vars := map[string]string{
		"TELEGRAM_BOT_TOKEN":    "123:env-token",
		"ADMINS":                " 1, 2 ,3",
		"INVITE_TTL":            "24h",
		"REDIS_ADDRS":           "s1:26379, s2:26379",
		"REDIS_SENTINEL_MASTER": "mymaster",
		"WEBHOOK_URL":           "https://bot.example.vn/hook",
		"WEBHOOK_SECRET":        "abc_DEF-123",
		"BOT_NAME":              "@danvan_laichau_bot",
		"ZALO_MONTHLY_QUOTA":    "3000",
	}
	c := mustLoad(t, []string{"-admins", "9", "-timezone", "Asia/Bangkok"}, vars)
	checks := []struct {
		name      string
		got, want any
	}{
		{"TelegramToken", c.TelegramToken, "123:env-token"},
		{"Admins", fmt.Sprint(c.Admins), "[9]"},
		{"InviteTTL", c.InviteTTL, 24 * time.Hour},
		{"RedisAddrs", fmt.Sprint(c.RedisAddrs), "[s1:26379 s2:26379]"},
		{"RedisSentinelMaster", c.RedisSentinelMaster, "mymaster"},
		{"RedisMode (default)", c.RedisMode, "auto"},
		{"Webhook()", c.Webhook(), true},
		{"BotName", c.BotName, "danvan_laichau_bot"},
		{"Timezone", c.Timezone, "Asia/Bangkok"},
		{"ZaloMonthlyQuota", c.ZaloMonthlyQuota, int64(3000)},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s: got %v, want %v", ch.name, ch.got, ch.want)
		}
	}
}

func TestLoadFileErrors(t *testing.T) {
	tests := []struct {
		file, line string // line: text of the line the error must name
		want       []string
	}{
		{"bad_le.yaml", "le: nope", []string{`forms[0].questions[1].le: "nope" names no earlier question`}},
		{"unknown_key.yaml", "lsiten_addr", []string{`unknown key "lsiten_addr"`}},
		{"unknown_nested.yaml", "lee:", []string{`unknown key "lee"`, "flows.Question"}},
		{"bad_syntax.yaml", "111", []string{"cannot start any token"}},
		{"bad_type.yaml", "abc", []string{"abc"}},
		{"not_mapping.yaml", "- listen_addr", []string{"want a mapping"}},
		{"bad_admin.yaml", "-5", []string{"admins[1]: -5 is not a Telegram user id"}},
		{"bad_calendar.yaml", "Q2", []string{`calendar[1].kind: "Q2"`}},
		{"bad_calendar.yaml", "31/11", []string{`calendar[2].due: "31/11" does not exist every year`}},
		{"bad_units.yaml", "nowhere", []string{`units[2].parent: "nowhere" names no entry`}},
		{"bad_units.yaml", "hoi-khong-co", []string{`units[3].org: "hoi-khong-co" names no organisation`}},
		{"bad_units.yaml", "parent: city-phunu", []string{`units[3].parent: "city-phunu" is a unit`}},
		{"bad_date.yaml", "valid_from", []string{`units[1].valid_from: "01/07/2025" is not a date written yyyy-mm-dd`}},
		{"bad_history.yaml", "valid_to: 2025-01-01", []string{`units[3].valid_to: 2025-01-01 is before valid_from 2025-07-01`}},
		{"bad_history.yaml", "merged_from: [city, town]", []string{`units[3].merged_from[1]: "town" names no entry`}},
		{"bad_history.yaml", "merged_from: [city]", []string{`units[4].merged_from[0]: an entry merged from others needs valid_from`}},
		{"bad_history.yaml", `code: "a b"`, []string{`units[5].code: "a b"`, `units[5].merged_from[0]: "city": units merge from units`}},
		{"bad_history.yaml", "merged_from: [commune]", []string{`units[6].merged_from[0]: "commune" is still in force on 2025-07-01`}},
		{"bad_target.yaml", "num: member", []string{`targets[0].num: "member" names no question of form membership`}},
		{"bad_target.yaml", "min: 85", []string{`targets[0].min: 85: a rate's target is a share`}},
		{"missing_label.yaml", "label:", []string{"forms[0].questions[0].label.vi: the Vietnamese text is required"}},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.line, func(t *testing.T) {
			err := mustFail(t, []string{"-config", testdata(tt.file)}, nil)
			at := fmt.Sprintf("%s:%d: ", testdata(tt.file), mustLine(t, tt.file, tt.line))
			mustContain(t, err, append([]string{at}, tt.want...)...)
		})
	}
}

func TestLoadOtherErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want []string
	}{
		{"missing file", []string{"-config", testdata("nope.yaml")}, nil, []string{"config file:", "nope.yaml"}},
		{"two documents", []string{"-config", testdata("two_docs.yaml")}, nil, []string{"more than one YAML document"}},
		{"unknown flag", []string{"-lissten", ":1"}, nil, []string{"flags:", "lissten"}},
		{"stray argument", []string{"serve"}, nil, []string{`unexpected argument "serve"`}},
		{"bad env admins", nil, map[string]string{"ADMINS": "1,abc"}, []string{`env ADMINS: admins: "abc" is not a Telegram user id`}},
		{"bad env ttl", nil, map[string]string{"INVITE_TTL": "7 days"}, []string{"env INVITE_TTL: invite_ttl:"}},
		{"bad file ttl", []string{"-file-ttl", "10s"}, nil, []string{"flag -file-ttl: file_ttl:"}},
		{"bad flag zone", []string{"-timezone", "Asia/Hanoi"}, nil, []string{`flag -timezone: timezone: "Asia/Hanoi"`}},
		{"webhook without secret", nil, map[string]string{"WEBHOOK_URL": "https://x.vn/h"}, []string{"webhook_secret: is required in webhook mode"}},
		{"bad secret", nil, map[string]string{"WEBHOOK_SECRET": "has space"}, []string{"env WEBHOOK_SECRET: webhook_secret: must be 1–256"}},
		{"http webhook", []string{"-webhook-url", "http://x.vn/h"}, map[string]string{"WEBHOOK_SECRET": "s"}, []string{"flag -webhook-url: webhook_url:", "needs https"}},
		{"bad redis scheme", []string{"-redis", "http://localhost:6379"}, nil, []string{"flag -redis: redis_url: scheme"}},
		{"sentinel without addrs", nil, map[string]string{"REDIS_SENTINEL_MASTER": "m"}, []string{"redis_addrs: Sentinel addresses are required"}},
		{"bad redis addr", nil, map[string]string{"REDIS_ADDRS": "a:1,b"}, []string{`env REDIS_ADDRS: redis_addrs[1]: "b" is not host:port`}},
		{"bad listen", []string{"-listen", "8080"}, nil, []string{"flag -listen: listen_addr:"}},
		{"bad log level", nil, map[string]string{"LOG_LEVEL": "loud"}, []string{"env LOG_LEVEL: log_level:"}},
		{"bad log format", nil, map[string]string{"LOG_FORMAT": "xml"}, []string{`env LOG_FORMAT: log_format: "xml": want text or json`}},
		{"bad metrics addr", []string{"-metrics-addr", "9090"}, nil, []string{"flag -metrics-addr: metrics_addr:"}},
		{"metrics on the listen addr", nil, map[string]string{"METRICS_ADDR": ":8080"}, []string{`env METRICS_ADDR: metrics_addr: ":8080" is listen_addr too`}},
		{"bad bot name", []string{"-bot-name", "a b"}, nil, []string{"flag -bot-name: bot_name:"}},
		{"bad zalo quota", nil, map[string]string{"ZALO_MONTHLY_QUOTA": "3k"}, []string{"env ZALO_MONTHLY_QUOTA: zalo_monthly_quota:"}},
		{"negative zalo quota", []string{"-zalo-monthly-quota", "-1"}, nil, []string{"flag -zalo-monthly-quota: zalo_monthly_quota: -1 is negative"}},
		{"env over file error", []string{"-config", testdata("bad_admin.yaml")}, map[string]string{"ADMINS": "0"}, []string{"env ADMINS: admins[0]: 0 is not"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mustContain(t, mustFail(t, tt.args, tt.env), tt.want...)
		})
	}
}

func TestLoadHelp(t *testing.T) {
	err := mustFail(t, []string{"-h"}, nil)
	if !errors.Is(err, flag.ErrHelp) {
		t.Errorf("errors.Is(err, flag.ErrHelp): got false, want true (err %v)", err)
	}
	mustContain(t, err, "-redis", "REDIS_URL", "-webhook-url", "TELEGRAM_BOT_TOKEN")
}

func TestLoadEmptyFile(t *testing.T) {
	c := mustLoad(t, []string{"-config", testdata("empty.yaml")}, nil)
	if got, want := len(c.Units), len(Default().Units); got != want {
		t.Errorf("len(Units): got %d, want %d", got, want)
	}
}

func TestLoadReportsEveryError(t *testing.T) {
	err := mustFail(t, []string{"-config", testdata("bad_units.yaml")}, nil)
	var got []string
	for _, fe := range fieldErrors(err) {
		got = append(got, fe.Field)
	}
	for _, want := range []string{"units[2].parent", "units[3].org", "units[3].parent"} {
		if !slices.Contains(got, want) {
			t.Errorf("fields: got %v, want %v among them", got, want)
		}
	}
}

func TestLoadDefaultsThatNoLongerFit(t *testing.T) {
	err := mustFail(t, []string{"-config", testdata("forms_only.yaml")}, nil)
	mustContain(t, err, "defaults/plans.yaml:", "write a plans: section in the file too")
	n := 0
	for _, fe := range fieldErrors(err) {
		if strings.HasPrefix(fe.Field, "plans") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("errors on plans: got %d, want 1 (err %v)", n, err)
	}
}

// A subcommand's flags parse along with the configuration's, and its usage names it.
func TestLoadWith(t *testing.T) {
	var force bool
	extra := func(fs *flag.FlagSet) { fs.BoolVar(&force, "force", false, "replace keys") }
	c, err := LoadWith("danvan restore", []string{"-redis-prefix", "copy:", "-force"}, env(nil), extra)
	if err != nil || c.RedisPrefix != "copy:" || !force {
		t.Fatalf("LoadWith: got prefix %q, force %t, %v; want copy:, true, nil", c.RedisPrefix, force, err)
	}
	_, err = LoadWith("danvan restore", []string{"-h"}, env(nil), extra)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-h: got %v, want flag.ErrHelp", err)
	}
	mustContain(t, err, "Usage of danvan restore:", "-force", "-redis-prefix")
}

// The example environment file of deploy/ names every variable the configuration reads.
func TestEnvExampleNamesEverySetting(t *testing.T) {
	b, err := os.ReadFile("../deploy/danvan.env.example")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range append(settings, setting{env: EnvConfigFile}) {
		if !strings.Contains(string(b), s.env+"=") {
			t.Errorf("deploy/danvan.env.example: got no %s=, want every variable listed", s.env)
		}
	}
}
