package config

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"danvan/flows"
)

// The default is one tenant, Lai Châu, following plan 109-KH/ThU from 2023, with the
// deployment's office and calendar.
func TestDefaultTenant(t *testing.T) {
	c := Default()
	dir, err := c.Directory()
	if err != nil {
		t.Fatal(err)
	}
	ten, err := c.Tenancy(dir)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(ten.All()); n != 1 {
		t.Fatalf("tenants: got %d, want 1", n)
	}
	lc := ten.Default()
	if lc.ID != "lc" || lc.Name.Vi != "Tỉnh Lai Châu" || lc.Office != c.Office {
		t.Errorf("tenant: got %s %q %q, want lc, Tỉnh Lai Châu and the office", lc.ID, lc.Name.Vi, lc.Office.Vi)
	}
	w, ok := lc.PlanIn(2026)
	if !ok || w.ID != "kh109" || len(w.Targets) != 6 {
		t.Errorf("plan of 2026: got %s with %d targets, want kh109 with 6", w.ID, len(w.Targets))
	}
	if len(c.Bots()) != 0 {
		t.Errorf("bots: got %v, want none without a token", c.Bots())
	}
}

// A file of two provinces: each tenant its office and plans by year, Điện Biên its calendar and
// its own Telegram bot, whose token the environment may give instead of the file.
func TestTenantsFromFile(t *testing.T) {
	c := mustLoad(t, []string{"-config", testdata("tenants.yaml")}, map[string]string{
		"TELEGRAM_BOT_TOKEN": "111:shared-token", "ZALO_BOT_TOKEN_DB": "zalo-db-env-token",
	})
	dir, err := c.Directory()
	if err != nil {
		t.Fatal(err)
	}
	ten, err := c.Tenancy(dir)
	if err != nil {
		t.Fatal(err)
	}
	lc, _ := ten.Get("lc")
	db, _ := ten.Get("db")
	plans := func(tn flows.Tenant) string {
		var out []string
		for _, y := range []int{2022, 2026, 2028, 2030} {
			w, _ := tn.PlanIn(y)
			out = append(out, fmt.Sprintf("%d:%s", y, w.ID))
		}
		return strings.Join(out, " ")
	}
	if got, want := plans(lc), "2022: 2026:kh109 2028:kh2028 2030:kh2028"; got != want {
		t.Errorf("lc's plans: got %s, want %s", got, want)
	}
	if got, want := plans(db), "2022: 2026:kh109 2028:kh109 2030:"; got != want {
		t.Errorf("db's plans: got %s, want %s", got, want)
	}
	q1, _ := db.Calendar.Period("2026-Q1")
	if want := time.Date(2026, 3, 20, 23, 59, 59, 0, c.Location()); !q1.Due.Equal(want) {
		t.Errorf("db's Q1 due: got %v, want %v", q1.Due, want)
	}
	if db.Name.Vi != "Điện Biên" || !strings.Contains(db.Office.Vi, "Điện Biên") || !strings.Contains(lc.Office.Vi, "Lai Châu") {
		t.Errorf("names and offices: got %q %q, %q", db.Name.Vi, db.Office.Vi, lc.Office.Vi)
	}
	var bots []string
	for _, b := range c.Bots() {
		bots = append(bots, b.Channel+"/"+b.Tenant+"/"+b.Token)
	}
	if want := []string{"telegram//111:shared-token", "telegram/db/222:db-file-token", "zalo/db/zalo-db-env-token"}; !slices.Equal(bots, want) {
		t.Errorf("bots: got %v, want %v", bots, want)
	}
	for _, s := range []string{c.String(), fmt.Sprintf("%+v", c)} {
		if strings.Contains(s, "db-file-token") || strings.Contains(s, "zalo-db-env-token") {
			t.Errorf("a tenant's token in %q", s)
		}
	}
}

// A legacy file with a targets section and no plans has one plan of those targets, every year.
func TestLegacyTargetsArePlan(t *testing.T) {
	c := mustLoad(t, []string{"-config", testdata("full.yaml")}, nil)
	w := c.WorkPlans()
	if len(w) != 1 || len(w[0].Targets) != 1 || !w[0].Covers(2000) || !w[0].Covers(2100) {
		t.Errorf("plans: got %+v, want one plan of the file's target, every year", w)
	}
}

// Each mistake in plans and tenants is refused at its field.
func TestValidateTenants(t *testing.T) {
	base := func() Config {
		c, err := Parse("tenants.yaml", mustRead(t, testdata("tenants.yaml")))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	tests := []struct {
		name  string
		edit  func(*Config)
		field string
	}{
		{"not a root", func(c *Config) { c.Tenants[0].ID = "lc-tp" }, "tenants[0].id"},
		{"unknown", func(c *Config) { c.Tenants[1].ID = "hn" }, "tenants[1].id"},
		{"twice", func(c *Config) { c.Tenants[1].ID = "lc" }, "tenants[1].id"},
		{"unknown plan", func(c *Config) { c.Tenants[1].Plans[0].Plan = "nope" }, "tenants[1].plans[0].plan"},
		{"chosen plans overlap", func(c *Config) {
			c.Tenants[1].Plans = append(c.Tenants[1].Plans, PlanChoice{Plan: "kh2028"})
		}, "tenants[1].plans[1]"},
		{"plans overlap", func(c *Config) { c.Plans[0].To = 0 }, "plans[1]"},
		{"plan to before from", func(c *Config) { c.Plans[1].To = 2027 }, "plans[1].to"},
		{"plan year", func(c *Config) { c.Plans[0].From = 23 }, "plans[0].from"},
		{"plan without targets", func(c *Config) { c.Plans[1].Targets = nil }, "plans[1].targets"},
		{"plan target", func(c *Config) { c.Plans[1].Targets[0].Num = "nope" }, "plans[1].targets[0].num"},
		{"duplicate plan", func(c *Config) { c.Plans[1].ID = "kh109" }, "plans[1].id"},
		{"calendar kinds", func(c *Config) { c.Tenants[1].Calendar = c.Tenants[1].Calendar[:2] }, "tenants[1].calendar"},
		{"calendar due", func(c *Config) { c.Tenants[1].Calendar[0].Due = "31/02" }, "tenants[1].calendar[0].due"},
		{"token shared", func(c *Config) { c.TelegramToken = c.Tenants[1].TelegramToken }, "tenants[1].telegram_token"},
		{"token pasted", func(c *Config) { c.Tenants[1].ZaloToken = "a b" }, "tenants[1].zalo_token"},
		{"bot name", func(c *Config) { c.Tenants[1].BotName = "x" }, "tenants[1].bot_name"},
		{"report template", func(c *Config) { c.Tenants[0].ReportTemplate = "/nonexistent.yaml" }, "tenants[0].report_template"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base()
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
				t.Errorf("fields: got %v, want %s among them (%v)", fields, tt.field, err)
			}
			if strings.Contains(err.Error(), "222:db-file-token") {
				t.Errorf("a token in the error %q", err)
			}
		})
	}
}

// TenantEnv writes a tenant's id the way an environment variable's name may hold it.
func TestTenantEnv(t *testing.T) {
	for id, want := range map[string]string{"lc": "LC", "p01": "P01", "lai-chau.2": "LAI_CHAU_2"} {
		if got := TenantEnv(id); got != want {
			t.Errorf("TenantEnv(%s): got %s, want %s", id, got, want)
		}
	}
}

func mustRead(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
