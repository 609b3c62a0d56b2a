package flows

import (
	"fmt"
	"slices"
)

// WorkPlan is a plan of work whose targets a tenant's figures are judged against: plan
// 109-KH/ThU of 2023 today, the next plan tomorrow. It is in force from year From to year To,
// both included, either open when 0; a period belongs to the year it is of (Period.Year).
type WorkPlan struct {
	ID      string
	Name    Text
	From    int
	To      int
	Targets []Indicator
}

// Covers reports whether the plan is in force in year.
func (w WorkPlan) Covers(year int) bool {
	return (w.From == 0 || year >= w.From) && (w.To == 0 || year <= w.To)
}

// Tenant is one province served by a deployment: a root of the directory and everything
// below it, with its own office (the body people are told to contact), reporting calendar
// and plans. Who may see what stays the one rule of scope.go: a tenant's admins are people
// with an admin scope at or below its root, and nothing a tenant holds widens anyone's grants.
type Tenant struct {
	// ID is the tenant's root node in the directory ("lc" for Lai Châu).
	ID       string
	Name     Text
	Office   Text
	Calendar Calendar
	// Plans are the plans the tenant follows, each in the years it chose (a year in none of
	// them has no targets). No two cover one year.
	Plans []WorkPlan
	// BotName is the Telegram username of the bot the tenant's invite links open.
	BotName string
}

// PlanIn returns the plan the tenant follows in year.
func (t Tenant) PlanIn(year int) (WorkPlan, bool) {
	for _, w := range t.Plans {
		if w.Covers(year) {
			return w, true
		}
	}
	return WorkPlan{}, false
}

// Indicators returns the targets the tenant's figures of period per are judged against: those
// of the plan in force in its year; none when no plan covers it.
func (t Tenant) Indicators(per Period) []Indicator {
	w, _ := t.PlanIn(per.Year)
	return w.Targets
}

// Tenancy is the tenants of one deployment, each a root of one directory. It decides nothing
// about access: it only says which tenant a node, a person or a bot belongs to, so the caller
// can pick that tenant's calendar, office and plans.
type Tenancy struct {
	list []Tenant
	root map[string]int
	dir  *Directory
}

// NewTenancy checks that each tenant is a distinct root place of dir and that no year has two
// plans, and returns the tenancy. The first tenant is the default one: of nodes outside every
// tenant, and of people who hold no grant.
func NewTenancy(dir *Directory, tenants []Tenant) (*Tenancy, error) {
	if len(tenants) == 0 {
		return nil, fmt.Errorf("tenants: at least one is required")
	}
	t := &Tenancy{list: slices.Clone(tenants), root: map[string]int{}, dir: dir}
	for i, tn := range t.list {
		n, ok := dir.Node(tn.ID)
		switch {
		case !ok:
			return nil, fmt.Errorf("tenants[%d]: %q names no entry of the directory", i, tn.ID)
		case n.IsUnit() || n.Parent != "":
			return nil, fmt.Errorf("tenants[%d]: %q is not a root place of the directory", i, tn.ID)
		}
		if _, dup := t.root[tn.ID]; dup {
			return nil, fmt.Errorf("tenants[%d]: %q appears twice", i, tn.ID)
		}
		if err := overlap(tn.Plans); err != nil {
			return nil, fmt.Errorf("tenants[%d] %s: %w", i, tn.ID, err)
		}
		t.root[tn.ID] = i
	}
	return t, nil
}

// overlap reports two plans in force in one year.
func overlap(plans []WorkPlan) error {
	for i, a := range plans {
		for _, b := range plans[:i] {
			lo, hi := max(a.From, b.From), min(orMax(a.To), orMax(b.To))
			if lo <= hi {
				return fmt.Errorf("plans %s and %s are both in force in %s", b.ID, a.ID, yearText(lo, hi))
			}
		}
	}
	return nil
}

// yearText names the years from lo to hi, either open: "2026", "2026–2028", "2026 on".
func yearText(lo, hi int) string {
	switch {
	case lo == 0 && hi == 1<<30:
		return "every year"
	case lo == 0:
		return fmt.Sprintf("every year to %d", hi)
	case hi == 1<<30:
		return fmt.Sprintf("%d and after", lo)
	case lo == hi:
		return fmt.Sprint(lo)
	}
	return fmt.Sprintf("%d–%d", lo, hi)
}

func orMax(year int) int {
	if year == 0 {
		return 1 << 30
	}
	return year
}

// All returns the tenants, the default one first.
func (t *Tenancy) All() []Tenant { return t.list }

// Default returns the first tenant.
func (t *Tenancy) Default() Tenant { return t.list[0] }

// Get returns the tenant with id.
func (t *Tenancy) Get(id string) (Tenant, bool) {
	i, ok := t.root[id]
	if !ok {
		return Tenant{}, false
	}
	return t.list[i], true
}

// Of returns the tenant node lies in: the one whose root is node's topmost place. False for a
// node outside every tenant, or unknown.
func (t *Tenancy) Of(node string) (Tenant, bool) {
	root := ""
	for cur := node; cur != ""; {
		n, ok := t.dir.Node(cur)
		if !ok {
			return Tenant{}, false
		}
		root, cur = cur, n.Parent
	}
	return t.Get(root)
}

// OfPerson returns the tenant of the first of p's grants (admin scopes, leader scopes, units)
// that lies in one; false when none does (a bootstrap admin, a stranger).
func (t *Tenancy) OfPerson(p Person) (Tenant, bool) {
	for g := range grants(p, false) {
		if tn, ok := t.Of(g.Node); ok {
			return tn, true
		}
	}
	return Tenant{}, false
}
