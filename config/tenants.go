package config

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"danvan/flows"
)

// PlanConfig is one entry of the "plans" section: a plan of work and the targets its figures are
// judged against, in force from year From to year To (both included, 0 open).
type PlanConfig struct {
	ID      string            `yaml:"id" json:"id"`
	Name    flows.Text        `yaml:"name" json:"name"`
	From    int               `yaml:"from" json:"from,omitempty"`
	To      int               `yaml:"to" json:"to,omitempty"`
	Targets []flows.Indicator `yaml:"targets" json:"targets"`
}

// TenantConfig is one entry of the "tenants" section: a province the deployment serves, whose id
// is the province's root in the units section. Everything but id may be left out: the tenant
// then takes the deployment's office, calendar and plans, and the deployment's bots.
type TenantConfig struct {
	ID       string         `yaml:"id" json:"id"`
	Name     flows.Text     `yaml:"name" json:"name,omitzero"`
	Office   flows.Text     `yaml:"office" json:"office,omitzero"`
	Calendar []PeriodConfig `yaml:"calendar" json:"calendar,omitempty"`
	// Plans chooses the plans the tenant follows and in which years; empty follows every plan
	// of the "plans" section in its own years.
	Plans []PlanChoice `yaml:"plans" json:"plans,omitempty"`
	// TelegramToken and ZaloToken give the tenant a bot of its own on that channel, with its own
	// ~30 messages a second; empty shares the deployment's bot. TELEGRAM_BOT_TOKEN_<ID> and
	// ZALO_BOT_TOKEN_<ID> set them from the environment (the id in capitals, "-" and "." as "_").
	TelegramToken string `yaml:"telegram_token" json:"-"`
	ZaloToken     string `yaml:"zalo_token" json:"-"`
	// BotName is the username of the tenant's own Telegram bot; empty asks getMe.
	BotName string `yaml:"bot_name" json:"bot_name,omitempty"`
	// ReportTemplate is the path of the tenant's own report template (the issuing body at the
	// top of the .docx); empty uses report_template.
	ReportTemplate string `yaml:"report_template" json:"report_template,omitempty"`
}

// PlanChoice is a plan a tenant follows: the plan's id, and the years it follows it (0: the
// plan's own). A file may write just the id: `plans: [kh109]`.
type PlanChoice struct {
	Plan string `yaml:"plan" json:"plan"`
	From int    `yaml:"from" json:"from,omitempty"`
	To   int    `yaml:"to" json:"to,omitempty"`
}

// UnmarshalYAML reads a plan choice written as a mapping or as the plan's id alone.
func (p *PlanChoice) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		p.Plan = n.Value
		return nil
	}
	type plain PlanChoice
	return n.Decode((*plain)(p))
}

// WorkPlans returns the plans as flows takes them. A file with a legacy "targets" section and no
// "plans" has one plan of those targets, in force every year.
func (c Config) WorkPlans() []flows.WorkPlan {
	if len(c.Plans) == 0 {
		return []flows.WorkPlan{{ID: "targets", Name: flows.Text{Vi: "Mục tiêu", En: "Targets"}, Targets: slices.Clone(c.Targets)}}
	}
	out := make([]flows.WorkPlan, len(c.Plans))
	for i, p := range c.Plans {
		out[i] = flows.WorkPlan{ID: p.ID, Name: p.Name, From: p.From, To: p.To, Targets: slices.Clone(p.Targets)}
	}
	return out
}

// Indicators returns every target the plans define, each id once (the first plan's first): what
// /chart may name, and the targets of a deployment that has one plan.
func (c Config) Indicators() []flows.Indicator {
	var out []flows.Indicator
	for _, w := range c.WorkPlans() {
		for _, ind := range w.Targets {
			if !slices.ContainsFunc(out, func(o flows.Indicator) bool { return o.ID == ind.ID }) {
				out = append(out, ind)
			}
		}
	}
	return out
}

// TenantList returns every tenant: those of the "tenants" section in its order, then one for
// each root place of dir that none of them names, in directory order, with the deployment's
// office, calendar and plans. The first is the default tenant. dir is the directory of c.
func (c Config) TenantList(dir *flows.Directory) []flows.Tenant {
	var out []flows.Tenant
	listed := map[string]bool{}
	for _, tc := range c.Tenants {
		listed[tc.ID] = true
		out = append(out, c.tenant(dir, tc))
	}
	for _, root := range dir.Children("") {
		if n, _ := dir.Node(root); !listed[root] && !n.IsUnit() {
			out = append(out, c.tenant(dir, TenantConfig{ID: root}))
		}
	}
	return out
}

// tenant fills in what tc leaves to the deployment.
func (c Config) tenant(dir *flows.Directory, tc TenantConfig) flows.Tenant {
	t := flows.Tenant{ID: tc.ID, Name: tc.Name, Office: tc.Office, Calendar: c.FlowsCalendar(), BotName: tc.BotName}
	if t.Name.Vi == "" {
		n, _ := dir.Node(tc.ID)
		t.Name = n.Name
	}
	if t.Office.Vi == "" {
		t.Office = c.Office
	}
	if len(tc.Calendar) > 0 {
		t.Calendar = calendarOf(tc.Calendar, c.Location())
	}
	t.Plans = c.chosenPlans(tc.Plans)
	if t.BotName == "" && tc.TelegramToken == "" {
		t.BotName = c.BotName // the shared bot's; main fills in getMe's when it is empty
	}
	return t
}

// chosenPlans returns the plans a tenant's choice names, each in the years chosen; all plans in
// their own years when it names none. Plans the choice names wrongly are left out (Validate
// refuses them).
func (c Config) chosenPlans(choice []PlanChoice) []flows.WorkPlan {
	all := c.WorkPlans()
	if len(choice) == 0 {
		return all
	}
	var out []flows.WorkPlan
	for _, ch := range choice {
		i := slices.IndexFunc(all, func(w flows.WorkPlan) bool { return w.ID == ch.Plan })
		if i < 0 {
			continue
		}
		w := all[i]
		if ch.From != 0 {
			w.From = ch.From
		}
		if ch.To != 0 {
			w.To = ch.To
		}
		out = append(out, w)
	}
	return out
}

// Tenancy builds the tenants of c over dir, c's directory. It cannot fail on a Config that
// passed Validate.
func (c Config) Tenancy(dir *flows.Directory) (*flows.Tenancy, error) {
	return flows.NewTenancy(dir, c.TenantList(dir))
}

// calendarOf returns periods as flows takes them, in loc; periods whose due date does not parse
// are left out (Validate refuses them).
func calendarOf(periods []PeriodConfig, loc *time.Location) flows.Calendar {
	cal := flows.Calendar{Loc: loc}
	for _, p := range periods {
		due, err := flows.ParseMonthDay(p.Due)
		if err != nil {
			continue
		}
		cal.Specs = append(cal.Specs, flows.PeriodSpec{
			Kind: p.Kind, Name: p.Name, Due: due, OpenDays: p.OpenDays, CloseDays: p.CloseDays,
		})
	}
	return cal
}

// TenantEnv is the suffix of the environment variables of tenant id's tokens:
// TELEGRAM_BOT_TOKEN_<TenantEnv(id)>. "lc-2" is "LC_2".
func TenantEnv(id string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '.' {
			return '_'
		}
		return r
	}, strings.ToUpper(id))
}

// applyTenantEnv sets each tenant's tokens from the environment.
func (c *Config) applyTenantEnv(getenv func(string) string) {
	for i := range c.Tenants {
		t := &c.Tenants[i]
		for _, f := range []struct {
			env   string
			field *string
			key   string
		}{
			{"TELEGRAM_BOT_TOKEN_" + TenantEnv(t.ID), &t.TelegramToken, "telegram_token"},
			{"ZALO_BOT_TOKEN_" + TenantEnv(t.ID), &t.ZaloToken, "zalo_token"},
		} {
			if v := strings.TrimSpace(getenv(f.env)); v != "" {
				*f.field = v
				c.setSource(fmt.Sprintf("tenants[%d].%s", i, f.key), "env "+f.env)
			}
		}
	}
}

// Bot is one bot the deployment runs: the deployment's own on a channel (Tenant ""), shared by
// every tenant without one, or a tenant's own.
type Bot struct {
	// Channel is "telegram" or "zalo".
	Channel string
	// Tenant is the id of the tenant whose bot it is; "" for the deployment's.
	Tenant string
	// Token is the bot's token: a secret, never logged.
	Token string
	// BotName is the Telegram username from the configuration; "" asks getMe.
	BotName string
}

// Bots lists the bots to run: the deployment's Telegram and Zalo bots where their tokens are
// set, then each tenant's own.
func (c Config) Bots() []Bot {
	var out []Bot
	if c.TelegramToken != "" {
		out = append(out, Bot{Channel: "telegram", Token: c.TelegramToken, BotName: c.BotName})
	}
	if c.ZaloToken != "" {
		out = append(out, Bot{Channel: "zalo", Token: c.ZaloToken})
	}
	for _, t := range c.Tenants {
		if t.TelegramToken != "" {
			out = append(out, Bot{Channel: "telegram", Tenant: t.ID, Token: t.TelegramToken, BotName: strings.TrimPrefix(t.BotName, "@")})
		}
		if t.ZaloToken != "" {
			out = append(out, Bot{Channel: "zalo", Tenant: t.ID, Token: t.ZaloToken})
		}
	}
	return out
}

// ReportTemplates returns the text of each tenant's own report template, by tenant id.
func (c Config) ReportTemplates() (map[string][]byte, error) {
	out := map[string][]byte{}
	for i, t := range c.Tenants {
		if t.ReportTemplate == "" {
			continue
		}
		b, err := os.ReadFile(t.ReportTemplate)
		if err != nil {
			return nil, fmt.Errorf("tenants[%d].report_template: %w", i, err)
		}
		out[t.ID] = b
	}
	return out, nil
}
