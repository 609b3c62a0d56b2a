package storage

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"pgregory.net/rapid"

	"danvan/flows"
	"danvan/internal/redistest"
)

// The tenants' fixture: the merger's province (prov, its city merged into one ward on 1 July
// 2025) and a second province (prov2) with one ward, due a fortnight later in the nine months
// and following a plan of its own whose model target is two models, not one. A report of
// prov2's ward is late, and meets 1.4, by prov2's calendar and plan alone.
var (
	prov2Nodes = []flows.Node{
		{ID: "prov2", Name: flows.Text{Vi: "Tỉnh hai"}},
		{ID: "x1", Name: flows.Text{Vi: "Xã 1"}, Parent: "prov2"},
		{ID: "x1-pn", Name: flows.Text{Vi: "LHPN X1"}, Parent: "x1", Org: "phunu"},
		{ID: "x1-dn", Name: flows.Text{Vi: "Đoàn X1"}, Parent: "x1", Org: "doan"},
	}
	prov2Units = []string{"x1-pn", "x1-dn"}
	prov2Inds  = []flows.Indicator{
		{ID: "1.5", Form: "membership", Num: "members", Den: "eligible", Min: 0.85},
		{ID: "1.4", Form: "activity", Num: "models", Min: 2, Share: 0.95},
	}
)

// mustTenancy returns the two provinces after the merger and their tenants.
func mustTenancy(tb testing.TB) (*flows.Directory, *flows.Tenancy) {
	tb.Helper()
	dir := mustDir(tb, tallyOrgs, append(mergedNodes(), prov2Nodes...))
	cal2 := mergerCal
	cal2.Specs = append([]flows.PeriodSpec(nil), mergerCal.Specs...)
	cal2.Specs[2].Due = flows.MonthDay{Month: 9, Day: 30}
	ten, err := flows.NewTenancy(dir, []flows.Tenant{
		{ID: "prov", Calendar: mergerCal, Plans: []flows.WorkPlan{{ID: "a", Targets: tallyInds}}},
		{ID: "prov2", Calendar: cal2, Plans: []flows.WorkPlan{{ID: "b", From: 2025, Targets: prov2Inds}}},
	})
	if err != nil {
		tb.Fatal(err)
	}
	return dir, ten
}

// The property of tenants, across a merger: whatever the old units of one province filed before
// the merger and whatever both provinces' units filed after it, every tally equals a recount in
// which each report counts by its own tenant's calendar (late or not) and plan (the targets it
// meets), and each province's total of a period is the sum over its own units in force then —
// none of the other province's.
func TestTenantTalliesMatchRecount(t *testing.T) {
	base := redistest.Prefix(t, "tenant-prop")
	dir, ten := mustTenancy(t)
	city := mustDir(t, tallyOrgs, append(cityNodes, prov2Nodes...))
	cityTen, err := flows.NewTenancy(city, []flows.Tenant{{ID: "city", Calendar: mergerCal, Plans: []flows.WorkPlan{{ID: "a", Targets: tallyInds}}},
		{ID: "prov2", Calendar: mergerCal, Plans: []flows.WorkPlan{{ID: "b", Targets: prov2Inds}}}})
	if err != nil {
		t.Fatal(err)
	}
	run := 0
	rapid.Check(t, func(rt *rapid.T) {
		run++
		s := New(newTestClient(), fmt.Sprintf("%s%d:", base, run))
		defer s.Close()
		s.cluster = redistest.Cluster() || rapid.Bool().Draw(rt, "cluster")
		s.UseTenancy(city, cityTen)
		tenantWrites(rt, s, oldUnits, "2025-H1", "before")
		s.UseTenancy(dir, ten)
		if _, err := s.Recount(context.Background(), []flows.Form{{ID: "membership"}, {ID: "activity"}}, mergerNow); err != nil {
			rt.Fatalf("Recount: %v", err)
		}
		tenantWrites(rt, s, append(newUnits, prov2Units...), "2025-Q3", "after")
		tenantWrites(rt, s, prov2Units, "2025-H1", "prov2 late")
		for _, p := range []string{"2025-H1", "2025-Q3"} {
			checkTenants(rt, s, dir, ten, p)
		}
	})
}

// tenantWrites makes a few random writes to units' reports of period, some a day before the
// merger calendar's due time, some a few days after.
func tenantWrites(rt *rapid.T, s *Store, units []string, period, label string) {
	due, _ := mergerCal.Period(period)
	for range rapid.IntRange(0, 10).Draw(rt, label) {
		k := flows.Key{Unit: rapid.SampledFrom(units).Draw(rt, "unit"), Period: period, Form: rapid.SampledFrom(tallyForms).Draw(rt, "form")}
		cur, err := s.Submission(context.Background(), k)
		if err != nil && !errors.Is(err, flows.ErrNotFound) {
			rt.Fatalf("Submission: %v", err)
		}
		values := map[string]int64{}
		for _, q := range []string{"eligible", "members", "models"} {
			values[q] = rapid.Int64Range(0, 3).Draw(rt, q)
		}
		at := due.Due.Add(time.Duration(rapid.IntRange(-1, 5).Draw(rt, "days")) * 24 * time.Hour)
		next := tsub(k.Unit, k.Form, cur.Version+1, at, cur.First(), values)
		next.Key = k
		var replaces *flows.Submission
		if cur.Version > 0 {
			replaces = &cur
		}
		if err := s.Apply(context.Background(), []flows.Effect{flows.Submit{Submission: next, Replaces: replaces}}); err != nil {
			rt.Fatalf("Submit %s: %v", k, err)
		}
	}
}

// checkTenants compares every tally of period with a recount by each unit's tenant, and each
// province's totals with the sum over its own units of the period.
func checkTenants(rt *rapid.T, s *Store, dir *flows.Directory, ten *flows.Tenancy, period string) {
	rt.Helper()
	var all []string
	for _, n := range dir.Units("") {
		all = append(all, n.ID)
	}
	subs, err := s.Submissions(context.Background(), period, all, tallyForms)
	if err != nil {
		rt.Fatalf("Submissions: %v", err)
	}
	want := map[flows.TallyKey]flows.Tally{}
	sum := map[string]flows.Tally{} // per tenant and form, over its units in force in period
	for k, sub := range subs {
		tn, _ := ten.Of(k.Unit)
		per, _ := tn.Calendar.Period(period)
		c := flows.Contribution(&sub, tn.Indicators(per), per.Due)
		n, _ := dir.Node(k.Unit)
		for place := n.Parent; place != ""; {
			for _, o := range []string{flows.AllOrgs, n.Org} {
				tk := flows.TallyKey{Period: period, Node: place, Org: o, Form: k.Form}
				want[tk] = addTally(want[tk], c)
			}
			p, _ := dir.Node(place)
			place = p.Parent
		}
		if dir.In(per).UnitCount(k.Unit, flows.AllOrgs) > 0 {
			sum[tn.ID+"|"+k.Form] = addTally(sum[tn.ID+"|"+k.Form], c)
		}
	}
	keys := allTallyKeys(dir, period, tallyForms...)
	got, err := s.Tallies(context.Background(), keys)
	if err != nil {
		rt.Fatalf("Tallies: %v", err)
	}
	for _, k := range keys {
		if w := normTally(want[k]); !reflect.DeepEqual(got[k], w) {
			rt.Errorf("tally %+v: got %+v, want %+v", k, got[k], w)
		}
	}
	for _, tn := range ten.All() {
		for _, f := range tallyForms {
			k := flows.TallyKey{Period: period, Node: tn.ID, Org: flows.AllOrgs, Form: f}
			if w := normTally(sum[tn.ID+"|"+f]); !reflect.DeepEqual(got[k], w) {
				rt.Errorf("%s's %s total of %s: got %+v, want the sum over its own units of the period %+v", tn.ID, f, period, got[k], w)
			}
		}
	}
}

// A report of prov2's ward counts by prov2's calendar and plan, one of prov's ward by prov's:
// filed at the same moment with the same figures, one is late and the other not, one meets a
// target of one model and the other misses a target of two.
func TestTenantCountsByItsCalendarAndPlan(t *testing.T) {
	s := mustStore(t)
	dir, ten := mustTenancy(t)
	s.UseTenancy(dir, ten)
	per, _ := mergerCal.Period("2025-Q3")
	at := per.Due.Add(24 * time.Hour) // after prov's due day, before prov2's
	for _, u := range []string{"ward-pn", "x1-pn"} {
		sub := tsub(u, "activity", 1, at, time.Time{}, map[string]int64{"models": 1})
		sub.Key.Period = "2025-Q3"
		mustApply(t, s, flows.Submit{Submission: sub})
	}
	got := mustTallies(t, s, flows.TallyKey{Period: "2025-Q3", Node: "prov", Org: flows.AllOrgs, Form: "activity"},
		flows.TallyKey{Period: "2025-Q3", Node: "prov2", Org: flows.AllOrgs, Form: "activity"})
	for _, tt := range []struct {
		node      string
		late, met int
	}{{"prov", 1, 1}, {"prov2", 0, 0}} {
		tl := got[flows.TallyKey{Period: "2025-Q3", Node: tt.node, Org: flows.AllOrgs, Form: "activity"}]
		if tl.Reported != 1 || tl.Late != tt.late || tl.Met["1.4"] != tt.met {
			t.Errorf("%s: got reported %d, late %d, met 1.4 %d; want 1, %d, %d", tt.node, tl.Reported, tl.Late, tl.Met["1.4"], tt.late, tt.met)
		}
	}
}
