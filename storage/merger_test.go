package storage

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"pgregory.net/rapid"

	"danvan/flows"
	"danvan/internal/redistest"
)

// The merger fixture: a city with two wards as the bot knew it before 1 July 2025 (no dates),
// then the same city as history below a province, its wards merged into one ward of 2025.
var (
	mergerCal = flows.Calendar{Loc: time.UTC, Specs: []flows.PeriodSpec{
		{Kind: flows.Q1, Name: flows.Text{Vi: "Quý I"}, Due: flows.MonthDay{Month: 3, Day: 15}, OpenDays: 45, CloseDays: 90},
		{Kind: flows.H1, Name: flows.Text{Vi: "6 tháng đầu"}, Due: flows.MonthDay{Month: 6, Day: 15}, OpenDays: 45, CloseDays: 90},
		{Kind: flows.Q3, Name: flows.Text{Vi: "9 tháng"}, Due: flows.MonthDay{Month: 9, Day: 15}, OpenDays: 45, CloseDays: 90},
	}}
	cityNodes = []flows.Node{
		{ID: "city", Name: flows.Text{Vi: "Thành phố"}},
		{ID: "w1", Name: flows.Text{Vi: "Phường 1"}, Parent: "city"},
		{ID: "w2", Name: flows.Text{Vi: "Phường 2"}, Parent: "city"},
		{ID: "w1-pn", Name: flows.Text{Vi: "LHPN P1"}, Parent: "w1", Org: "phunu"},
		{ID: "w1-dn", Name: flows.Text{Vi: "Đoàn P1"}, Parent: "w1", Org: "doan"},
		{ID: "w2-pn", Name: flows.Text{Vi: "LHPN P2"}, Parent: "w2", Org: "phunu"},
	}
	oldUnits = []string{"w1-pn", "w1-dn", "w2-pn"}
	newUnits = []string{"ward-pn", "ward-dn", "prov-pn"}
)

// mergedNodes is the directory after the merger: the city (ended 30 June 2025) below the
// province, and the ward formed from its two wards.
func mergedNodes() []flows.Node {
	from := flows.Date(20250701)
	nodes := []flows.Node{{ID: "prov", Name: flows.Text{Vi: "Tỉnh"}}}
	for _, n := range cityNodes {
		if n.ID == "city" {
			n.Parent, n.ValidTo = "prov", 20250630
		}
		nodes = append(nodes, n)
	}
	return append(nodes,
		flows.Node{ID: "ward", Name: flows.Text{Vi: "Phường mới"}, Parent: "prov", ValidFrom: from, MergedFrom: []string{"w1", "w2"}},
		flows.Node{ID: "ward-pn", Name: flows.Text{Vi: "LHPN phường mới"}, Parent: "ward", Org: "phunu"},
		flows.Node{ID: "ward-dn", Name: flows.Text{Vi: "Đoàn phường mới"}, Parent: "ward", Org: "doan"},
		flows.Node{ID: "prov-pn", Name: flows.Text{Vi: "LHPN tỉnh"}, Parent: "prov", Org: "phunu", ValidFrom: from},
	)
}

// mergerNow is a day the nine months of 2025 are open and the first half-year still is.
var mergerNow = time.Date(2025, 9, 10, 9, 0, 0, 0, time.UTC)

// A directory change never loses a submission: the old units' reports and histories are all
// still there after the province is loaded and the tallies recounted, and the province's figures
// of the first half-year are the old city's.
func TestMergerKeepsSubmissions(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	s.UseModel(mustDir(t, tallyOrgs, cityNodes), mergerCal, tallyInds)
	for _, p := range []string{"2025-Q1", "2025-H1"} {
		for i, u := range oldUnits {
			for v := 1; v <= 1+i%2; v++ { // some were corrected once
				k := flows.Key{Unit: u, Period: p, Form: "membership"}
				sub := flows.Submission{Key: k, Values: map[string]int64{"members": int64(10 * v)}, By: "tg:1", At: mergerNow.AddDate(0, -4, 0), Version: v, Ref: "R"}
				var old *flows.Submission
				if v > 1 {
					prev := sub
					prev.Version, prev.Values = v-1, map[string]int64{"members": 10}
					old = &prev
				}
				mustApply(t, s, flows.Submit{Submission: sub, Replaces: old})
			}
		}
	}
	before := mergerCounts(t, s)
	merged := mustDir(t, tallyOrgs, mergedNodes())
	s.UseModel(merged, mergerCal, tallyInds)
	if err := s.Recount(ctx, []flows.Form{{ID: "membership"}, {ID: "activity"}}, mergerNow); err != nil {
		t.Fatalf("Recount: %v", err)
	}
	if after := mergerCounts(t, s); !reflect.DeepEqual(after, before) {
		t.Errorf("submissions and history entries: got %v after the merger, want %v as before", after, before)
	}
	prov := flows.TallyKey{Period: "2025-H1", Node: "prov", Org: flows.AllOrgs, Form: "membership"}
	city := flows.TallyKey{Period: "2025-H1", Node: "city", Org: flows.AllOrgs, Form: "membership"}
	got := mustTallies(t, s, prov, city)
	if got[prov].Reported != len(oldUnits) || !reflect.DeepEqual(got[prov], got[city]) {
		t.Errorf("province's first half-year: got %+v, want the city's %+v (%d units)", got[prov], got[city], len(oldUnits))
	}
}

// mergerCounts counts, per period, the old units' current submissions and history entries.
func mergerCounts(tb testing.TB, s *Store) map[string]int {
	tb.Helper()
	out := map[string]int{}
	for _, p := range []string{"2025-Q1", "2025-H1"} {
		subs, err := s.Submissions(context.Background(), p, oldUnits, []string{"membership"})
		if err != nil {
			tb.Fatal(err)
		}
		out[p+" submissions"] = len(subs)
		for k := range subs {
			h, err := s.History(context.Background(), k)
			if err != nil {
				tb.Fatal(err)
			}
			out[p+" history"] += len(h)
		}
	}
	return out
}

// The property, across a merger: whatever the old units filed before the province was loaded
// and whatever they corrected and the new units filed after it (submissions, corrections,
// returns, stale writes), every tally kept along the writes equals a recount from the stored
// submissions over the directory's whole history, and a province's total of a period is the
// sum over the units in force in that period.
func TestMergerTalliesMatchRecount(t *testing.T) {
	base := redistest.Prefix(t, "merger-prop")
	merged, city := mustDir(t, tallyOrgs, mergedNodes()), mustDir(t, tallyOrgs, cityNodes)
	run := 0
	rapid.Check(t, func(rt *rapid.T) {
		run++
		s := New(newTestClient(), fmt.Sprintf("%s%d:", base, run))
		defer s.Close()
		s.cluster = redistest.Cluster() || rapid.Bool().Draw(rt, "cluster")
		s.UseModel(city, mergerCal, tallyInds)
		writes(rt, s, oldUnits, "2025-H1", "before")
		s.UseModel(merged, mergerCal, tallyInds)
		if err := s.Recount(context.Background(), []flows.Form{{ID: "membership"}, {ID: "activity"}}, mergerNow); err != nil {
			rt.Fatalf("Recount: %v", err)
		}
		writes(rt, s, oldUnits, "2025-H1", "corrections")
		writes(rt, s, newUnits, "2025-Q3", "after")
		for _, p := range []string{"2025-H1", "2025-Q3"} {
			checkHistory(rt, s, merged, p)
		}
	})
}

// writes makes a few random writes to units' reports of period.
func writes(rt *rapid.T, s *Store, units []string, period, label string) {
	for i := range rapid.IntRange(0, 12).Draw(rt, label) {
		unit := rapid.SampledFrom(units).Draw(rt, "unit")
		form := rapid.SampledFrom(tallyForms).Draw(rt, "form")
		randomWrite(rt, s, flows.Key{Unit: unit, Period: period, Form: form}, i)
	}
}

// checkHistory compares every tally of period with a recount over the whole history of dir, and
// the province's totals with the sum over the units of the period.
func checkHistory(rt *rapid.T, s *Store, dir *flows.Directory, period string) {
	rt.Helper()
	ctx := context.Background()
	per, _ := mergerCal.Period(period)
	var all []string
	for _, n := range dir.Units("") {
		all = append(all, n.ID)
	}
	subs, err := s.Submissions(ctx, period, all, tallyForms)
	if err != nil {
		rt.Fatalf("Submissions: %v", err)
	}
	want := map[flows.TallyKey]flows.Tally{}
	sum := map[string]flows.Tally{} // per form, over the units in force in period
	inForce := dir.In(per)
	for k, sub := range subs {
		n, _ := dir.Node(k.Unit)
		c := flows.Contribution(&sub, tallyInds, per.Due)
		for place := n.Parent; place != ""; {
			for _, o := range []string{flows.AllOrgs, n.Org} {
				tk := flows.TallyKey{Period: period, Node: place, Org: o, Form: k.Form}
				want[tk] = addTally(want[tk], c)
			}
			p, _ := dir.Node(place)
			place = p.Parent
		}
		if inForce.UnitCount(k.Unit, flows.AllOrgs) > 0 {
			sum[k.Form] = addTally(sum[k.Form], c)
		}
	}
	keys := allTallyKeys(dir, period, tallyForms...)
	got, err := s.Tallies(ctx, keys)
	if err != nil {
		rt.Fatalf("Tallies: %v", err)
	}
	for _, k := range keys {
		if w := normTally(want[k]); !reflect.DeepEqual(got[k], w) {
			rt.Errorf("tally %+v: got %+v, want %+v", k, got[k], w)
		}
	}
	for _, f := range tallyForms {
		k := flows.TallyKey{Period: period, Node: "prov", Org: flows.AllOrgs, Form: f}
		if w := normTally(sum[f]); !reflect.DeepEqual(got[k], w) {
			rt.Errorf("province's %s total of %s: got %+v, want the sum over its units of the period %+v", f, period, got[k], w)
		}
	}
}
