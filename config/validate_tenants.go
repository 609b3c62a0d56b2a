package config

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"

	"danvan/flows"
)

// plans checks the plans section: ids, names, years in order, and each plan's targets.
func (k *checker) plans() {
	seen := map[string]bool{}
	for i, p := range k.c.Plans {
		path := fmt.Sprintf("plans[%d]", i)
		k.id(path+".id", p.ID, seen)
		k.text(path+".name", p.Name)
		k.years(path, p.From, p.To)
		if len(p.Targets) == 0 {
			k.add(path+".targets", "a plan needs at least one target")
		}
		k.targetList(path+".targets", p.Targets)
	}
}

// years checks a span of years at path: each 0 (open) or a year, from not after to.
func (k *checker) years(path string, from, to int) {
	for _, y := range []struct {
		key string
		v   int
	}{{"from", from}, {"to", to}} {
		if y.v != 0 && (y.v < 2000 || y.v > 2100) {
			k.add(path+"."+y.key, "%d is not a year such as 2026 (leave it out for open)", y.v)
		}
	}
	if from != 0 && to != 0 && to < from {
		k.add(path+".to", "%d is before from %d", to, from)
	}
}

// tenants checks the tenants section against the directory, the plans and the calendar: each a
// root place, once; its calendar with the kinds of the deployment's (the forms are checked
// against those); its plans known and never two in one year; its tokens well formed and each
// bot's token used by one bot only. kinds are the deployment calendar's.
func (k *checker) tenants(kinds map[flows.PeriodKind]bool) {
	ids, roots := map[string]bool{}, k.roots()
	for i, t := range k.c.Tenants {
		p := fmt.Sprintf("tenants[%d]", i)
		k.id(p+".id", t.ID, ids)
		if t.ID != "" && roots != nil && !roots[t.ID] {
			k.add(p+".id", "%q is not a root place of units (a place with no parent, such as a province)", t.ID)
		}
		if len(t.Calendar) > 0 {
			if got := k.periods(p+".calendar", t.Calendar); !maps.Equal(got, kinds) {
				k.add(p+".calendar", "defines the periods %s; the forms are written for those of calendar (%s): define the same kinds", kindList(got), kindList(kinds))
			}
		}
		k.tenantPlans(p, t)
		if t.BotName != "" && !botName.MatchString(strings.TrimPrefix(t.BotName, "@")) {
			k.add(p+".bot_name", "%q is not a Telegram username (5–32 letters, digits, _)", t.BotName)
		}
		if t.ReportTemplate != "" {
			if _, err := os.Stat(t.ReportTemplate); err != nil {
				k.add(p+".report_template", "cannot read the report template: %v", err)
			}
		}
	}
	k.tokens()
	for root := range roots {
		if !ids[root] { // a root no entry names is a tenant that follows every plan
			k.defaultPlans("tenants")
			return
		}
	}
}

// roots returns the root places of units; nil when the directory has errors of its own.
func (k *checker) roots() map[string]bool {
	out := map[string]bool{}
	for _, n := range k.c.Units {
		if n.Parent == "" && !n.IsUnit() {
			out[n.ID] = true
		}
	}
	return out
}

// tenantPlans checks the plans tenant t (at path p) follows: known, and never two in one year.
// A tenant choosing none follows every plan, which must then not overlap.
func (k *checker) tenantPlans(p string, t TenantConfig) {
	if len(t.Plans) == 0 {
		k.defaultPlans(p + ".plans")
		return
	}
	for j, ch := range t.Plans {
		q := fmt.Sprintf("%s.plans[%d]", p, j)
		if !slices.ContainsFunc(k.c.Plans, func(pc PlanConfig) bool { return pc.ID == ch.Plan }) {
			k.add(q+".plan", "%q names no plan of plans", ch.Plan)
			return
		}
		k.years(q, ch.From, ch.To)
	}
	chosen := k.c.chosenPlans(t.Plans)
	for j := range chosen {
		if err := overlapping(chosen[:j+1]); err != nil {
			k.add(fmt.Sprintf("%s.plans[%d]", p, j), "%v", err)
			return
		}
	}
}

// defaultPlans checks that the plans, all followed in their own years, never overlap; path is
// where the tenant that follows them all would choose instead.
func (k *checker) defaultPlans(path string) {
	all := k.c.WorkPlans()
	for j := range all {
		if err := overlapping(all[:j+1]); err != nil {
			k.add(fmt.Sprintf("plans[%d]", j), "%v: a tenant that chooses no plans follows them all; give the plans years that do not overlap, or choose in %s", err, path)
			return
		}
	}
}

// overlapping reports whether the last of plans is in force in a year an earlier one is.
func overlapping(plans []flows.WorkPlan) error {
	last := plans[len(plans)-1]
	for _, w := range plans[:len(plans)-1] {
		if lo, hi := max(w.From, last.From), min(openTo(w.To), openTo(last.To)); lo <= hi {
			return fmt.Errorf("plans %s and %s are both in force in %s", w.ID, last.ID, yearsText(lo, hi))
		}
	}
	return nil
}

func openTo(y int) int {
	if y == 0 {
		return 1 << 30
	}
	return y
}

func yearsText(lo, hi int) string {
	switch {
	case lo == 0 && hi == 1<<30:
		return "every year"
	case hi == 1<<30:
		return fmt.Sprintf("%d and after", lo)
	case lo == 0:
		return fmt.Sprintf("every year to %d", hi)
	case lo == hi:
		return fmt.Sprint(lo)
	}
	return fmt.Sprintf("%d–%d", lo, hi)
}

// tokens checks every bot token: well formed, and each used by one bot only (a tenant's own
// bot is another bot than the deployment's). Errors never show a token.
func (k *checker) tokens() {
	used := map[string]string{}
	use := func(path, token string) {
		if token == "" {
			return
		}
		if strings.ContainsAny(token, " /\t\n") {
			k.add(path, "contains a space or a slash; check for a copy-paste mistake")
		}
		if first, dup := used[token]; dup {
			k.add(path, "is the token of %s too; leave it empty to share the deployment's bot", first)
			return
		}
		used[token] = path
	}
	use("telegram_token", k.c.TelegramToken)
	use("zalo_token", k.c.ZaloToken)
	for i, t := range k.c.Tenants {
		use(fmt.Sprintf("tenants[%d].telegram_token", i), t.TelegramToken)
		use(fmt.Sprintf("tenants[%d].zalo_token", i), t.ZaloToken)
	}
}

func kindList(kinds map[flows.PeriodKind]bool) string {
	var out []string
	for _, kind := range []flows.PeriodKind{flows.Q1, flows.H1, flows.Q3, flows.Year} {
		if kinds[kind] {
			out = append(out, string(kind))
		}
	}
	return strings.Join(out, ", ")
}
