package storage

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"pgregory.net/rapid"

	"danvan/flows"
	"danvan/internal/redistest"
)

// The tally fixture: a city with two wards, a third ward under a district, units of two
// organisations, two forms and one indicator of each kind.
var (
	tallyOrgs = []flows.Org{
		{ID: "phunu", Name: flows.Text{Vi: "Hội LHPN"}},
		{ID: "doan", Name: flows.Text{Vi: "Đoàn TN"}},
	}
	tallyNodes = []flows.Node{
		{ID: "city", Name: flows.Text{Vi: "Thành phố"}},
		{ID: "w1", Name: flows.Text{Vi: "Phường 1"}, Parent: "city"},
		{ID: "w2", Name: flows.Text{Vi: "Phường 2"}, Parent: "city"},
		{ID: "dist", Name: flows.Text{Vi: "Quận"}, Parent: "city"},
		{ID: "w3", Name: flows.Text{Vi: "Phường 3"}, Parent: "dist"},
		{ID: "w1-pn", Name: flows.Text{Vi: "LHPN P1"}, Parent: "w1", Org: "phunu"},
		{ID: "w1-dn", Name: flows.Text{Vi: "Đoàn P1"}, Parent: "w1", Org: "doan"},
		{ID: "w2-pn", Name: flows.Text{Vi: "LHPN P2"}, Parent: "w2", Org: "phunu"},
		{ID: "w3-dn", Name: flows.Text{Vi: "Đoàn P3"}, Parent: "w3", Org: "doan"},
		{ID: "top-pn", Name: flows.Text{Vi: "LHPN thành phố"}, Org: "phunu"}, // a unit with no place above
	}
	tallyForms = []string{"membership", "activity"}
	tallyInds  = []flows.Indicator{
		{ID: "1.5", Form: "membership", Num: "members", Den: "eligible", Min: 0.85},
		{ID: "1.4", Form: "activity", Num: "models", Min: 1, Share: 0.95},
		{ID: "ex", Form: "activity", Num: "exemplars", Min: 1, Max: 2},
	}
	tallyCal = flows.Calendar{Loc: time.UTC, Specs: []flows.PeriodSpec{
		{Kind: flows.Q1, Name: flows.Text{Vi: "Quý I"}, Due: flows.MonthDay{Month: 3, Day: 15}, OpenDays: 30, CloseDays: 60},
	}}
	// dueQ1 is the end of 2026-Q1's due day in tallyCal.
	dueQ1 = time.Date(2026, 3, 15, 23, 59, 59, 0, time.UTC)
)

func mustDir(tb testing.TB, orgs []flows.Org, nodes []flows.Node) *flows.Directory {
	tb.Helper()
	d, err := flows.NewDirectory(orgs, nodes)
	if err != nil {
		tb.Fatalf("NewDirectory: %v", err)
	}
	return d
}

// mustModelStore returns a Store on its own prefix that keeps tallies for the fixture.
func mustModelStore(tb testing.TB) *Store {
	tb.Helper()
	s := mustStore(tb)
	s.UseModel(mustDir(tb, tallyOrgs, tallyNodes), tallyCal, tallyInds)
	return s
}

// allTallyKeys lists every tally of period and forms the directory can have: each place × each
// org and AllOrgs × each form.
func allTallyKeys(dir *flows.Directory, period string, forms ...string) []flows.TallyKey {
	var out []flows.TallyKey
	for _, n := range dir.Nodes() {
		if n.IsUnit() {
			continue
		}
		for _, o := range append([]string{flows.AllOrgs}, orgIDs(dir)...) {
			for _, f := range forms {
				out = append(out, flows.TallyKey{Period: period, Node: n.ID, Org: o, Form: f})
			}
		}
	}
	return out
}

func orgIDs(dir *flows.Directory) []string {
	var out []string
	for _, o := range dir.Orgs() {
		out = append(out, o.ID)
	}
	return out
}

// recount computes every tally from subs with flows.Contribution, on its own, for comparison.
func recount(dir *flows.Directory, subs map[flows.Key]flows.Submission) map[flows.TallyKey]flows.Tally {
	out := map[flows.TallyKey]flows.Tally{}
	for k, sub := range subs {
		n, ok := dir.Node(k.Unit)
		if !ok {
			continue
		}
		c := flows.Contribution(&sub, tallyInds, dueQ1)
		for place := n.Parent; place != ""; {
			for _, o := range []string{flows.AllOrgs, n.Org} {
				tk := flows.TallyKey{Period: k.Period, Node: place, Org: o, Form: k.Form}
				out[tk] = addTally(out[tk], c)
			}
			p, _ := dir.Node(place)
			place = p.Parent
		}
	}
	for k, t := range out {
		out[k] = normTally(t)
	}
	return out
}

func addTally(a, b flows.Tally) flows.Tally {
	a.Reported += b.Reported
	a.Late += b.Late
	a.Returned += b.Returned
	if a.Sums == nil {
		a.Sums = map[string]int64{}
	}
	if a.Met == nil {
		a.Met = map[string]int{}
	}
	for q, v := range b.Sums {
		a.Sums[q] += v
	}
	for i, v := range b.Met {
		a.Met[i] += v
	}
	return a
}

// normTally drops zero entries, which the store does not keep: a missing entry reads as 0.
func normTally(t flows.Tally) flows.Tally {
	maps.DeleteFunc(t.Sums, func(_ string, v int64) bool { return v == 0 })
	maps.DeleteFunc(t.Met, func(_ string, v int) bool { return v == 0 })
	if len(t.Sums) == 0 {
		t.Sums = nil
	}
	if len(t.Met) == 0 {
		t.Met = nil
	}
	return t
}

// tbLike is what checkTallies needs of a *testing.T or a *rapid.T.
type tbLike interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// newTestClient is a client of the test Redis that does not retry: failures show at once.
func newTestClient() redis.UniversalClient {
	return redistest.Client(redistest.Addr())
}

// checkTallies compares every tally of the directory with a recount of what is stored.
func checkTallies(tb tbLike, s *Store, dir *flows.Directory, period string, forms ...string) {
	tb.Helper()
	ctx := context.Background()
	var units []string
	for _, n := range tallyNodes { // every unit ever used, also those dir no longer has
		if n.IsUnit() {
			units = append(units, n.ID)
		}
	}
	subs, err := s.Submissions(ctx, period, append(units, "ghost"), forms)
	if err != nil {
		tb.Fatalf("Submissions: %v", err)
	}
	want := recount(dir, subs)
	keys := allTallyKeys(dir, period, forms...)
	got, err := s.Tallies(ctx, keys)
	if err != nil {
		tb.Fatalf("Tallies: %v", err)
	}
	for _, k := range keys {
		if !reflect.DeepEqual(got[k], want[k]) {
			tb.Errorf("tally %+v: got %+v, want %+v", k, got[k], want[k])
		}
	}
}

// tsub makes version v of a report submitted by tg:1 at at, first submitted at first.
func tsub(unit, form string, v int, at, first time.Time, values map[string]int64) flows.Submission {
	k := flows.Key{Unit: unit, Period: "2026-Q1", Form: form}
	s := flows.Submission{Key: k, Ref: flows.Reference(k, v, at), Values: values, By: "tg:1", At: at, Version: v}
	if v > 1 {
		s.FirstAt = first
	}
	return s
}

func mustTallies(tb tbLike, s *Store, keys ...flows.TallyKey) map[flows.TallyKey]flows.Tally {
	tb.Helper()
	got, err := s.Tallies(context.Background(), keys)
	if err != nil {
		tb.Fatalf("Tallies: %v", err)
	}
	return got
}

func tk(node, org, form string) flows.TallyKey {
	return flows.TallyKey{Period: "2026-Q1", Node: node, Org: org, Form: form}
}

func TestTalliesFollowSubmissions(t *testing.T) {
	for _, cluster := range clusterModes() {
		t.Run(fmt.Sprintf("cluster=%t", cluster), func(t *testing.T) {
			s := mustModelStore(t)
			s.cluster = cluster // on Cluster the tallies move in a second script
			late := dueQ1.Add(time.Hour)
			v1 := tsub("w1-pn", "membership", 1, late, late, map[string]int64{"eligible": 100, "members": 90})
			mustApply(t, s, flows.Submit{Submission: v1, Form: testForm})
			mustApply(t, s, flows.Submit{Submission: tsub("w3-dn", "membership", 1, dueQ1, dueQ1, map[string]int64{"eligible": 10, "members": 5})})
			v2 := tsub("w1-pn", "membership", 2, late.Add(time.Hour), late, map[string]int64{"eligible": 100, "members": 80})
			mustApply(t, s, flows.Submit{Submission: v2, Form: testForm, Replaces: &v1})
			got := mustTallies(t, s, tk("w1", "phunu", "membership"), tk("city", flows.AllOrgs, "membership"),
				tk("dist", "doan", "membership"), tk("w1-pn", flows.AllOrgs, "membership"), tk("w2", "phunu", "membership"))
			want := map[flows.TallyKey]flows.Tally{
				// v2 replaced v1: 80 members, not 170; and 80/100 misses 1.5's target, which is a
				// rate and so never counted in Met anyway.
				tk("w1", "phunu", "membership"):          {Reported: 1, Late: 1, Sums: map[string]int64{"eligible": 100, "members": 80}},
				tk("city", flows.AllOrgs, "membership"):  {Reported: 2, Late: 1, Sums: map[string]int64{"eligible": 110, "members": 85}},
				tk("dist", "doan", "membership"):         {Reported: 1, Sums: map[string]int64{"eligible": 10, "members": 5}},
				tk("w1-pn", flows.AllOrgs, "membership"): {}, // the unit itself keeps none
				tk("w2", "phunu", "membership"):          {},
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %+v, want %+v", got, want)
			}
		})
	}
}

func TestTallyCountsMet(t *testing.T) {
	s := mustModelStore(t)
	for i, ex := range []int64{1, 3, 0} { // 1 reaches 1–2, 3 is above, 0 below
		unit := []string{"w1-pn", "w1-dn", "w2-pn"}[i]
		mustApply(t, s, flows.Submit{Submission: tsub(unit, "activity", 1, dueQ1, dueQ1, map[string]int64{"models": 1, "exemplars": ex})})
	}
	got := mustTallies(t, s, tk("city", flows.AllOrgs, "activity"))[tk("city", flows.AllOrgs, "activity")]
	want := flows.Tally{Reported: 3, Sums: map[string]int64{"models": 3, "exemplars": 4}, Met: map[string]int{"1.4": 3, "ex": 1}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

// A submit that loses its version race writes nothing, tallies included.
func TestTallyLostRaceMovesNothing(t *testing.T) {
	s, ctx := mustModelStore(t), t.Context()
	v1 := tsub("w1-pn", "membership", 1, dueQ1, dueQ1, map[string]int64{"members": 7})
	mustApply(t, s, flows.Submit{Submission: v1})
	before := mustTallies(t, s, allTallyKeys(s.model.Load().dir, "2026-Q1", tallyForms...)...)
	returned := v1
	returned.Returned = &flows.Return{By: "tg:9", At: dueQ1, Reason: "sai"}
	stale := []struct {
		name string
		e    flows.Submit
	}{
		{"second version 1", flows.Submit{Submission: tsub("w1-pn", "membership", 1, dueQ1, dueQ1, map[string]int64{"members": 9})}},
		{"version 3 over 1", flows.Submit{Submission: tsub("w1-pn", "membership", 3, dueQ1, dueQ1, map[string]int64{"members": 9})}},
		// The step thought v1 had been returned; it was not, so its tally change would be wrong.
		{"over a return that did not happen", flows.Submit{Submission: tsub("w1-pn", "membership", 2, dueQ1, dueQ1, map[string]int64{"members": 9}), Replaces: &returned}},
	}
	for _, st := range stale {
		if err := s.Apply(ctx, []flows.Effect{st.e}); !errors.Is(err, flows.ErrConflict) {
			t.Errorf("%s: got %v, want ErrConflict", st.name, err)
		}
	}
	after := mustTallies(t, s, allTallyKeys(s.model.Load().dir, "2026-Q1", tallyForms...)...)
	for k, want := range before {
		if !reflect.DeepEqual(after[k], want) {
			t.Errorf("tally %+v after refused submits: got %+v, want %+v", k, after[k], want)
		}
	}
}

// Units the directory does not know, or with no place above them, and a store without a model:
// the submission is stored, and no tally moves.
func TestTallyOutsideTheDirectory(t *testing.T) {
	noModel := mustStore(t)
	for _, c := range []struct {
		name string
		s    *Store
		unit string
	}{
		{"unknown unit", mustModelStore(t), "ghost"},
		{"unit with no place above", mustModelStore(t), "top-pn"},
		{"no model", noModel, "w1-pn"},
	} {
		t.Run(c.name, func(t *testing.T) {
			v1 := tsub(c.unit, "membership", 1, dueQ1, dueQ1, map[string]int64{"members": 3})
			mustApply(t, c.s, flows.Submit{Submission: v1})
			if got, err := c.s.Submission(t.Context(), v1.Key); err != nil || got.Version != 1 {
				t.Errorf("Submission = %+v, %v; want version 1 stored", got, err)
			}
			if n, err := c.s.rdb.SCard(t.Context(), c.s.tallySetKey("2026-Q1")).Result(); err != nil || n != 0 {
				t.Errorf("tally keys written: got %d, %v; want 0", n, err)
			}
		})
	}
	if err := noModel.Rebuild(t.Context(), "2026-Q1", []string{"w1-pn"}, tallyForms); err == nil {
		t.Errorf("Rebuild without a model: got nil, want an error")
	}
}

func TestTalliesZeroValues(t *testing.T) {
	s := mustModelStore(t)
	if got, err := s.Tallies(t.Context(), nil); err != nil || len(got) != 0 {
		t.Errorf("Tallies(nil) = %v, %v; want empty", got, err)
	}
	mustApply(t, s, flows.Submit{Submission: tsub("w1-pn", "membership", 1, dueQ1, dueQ1, map[string]int64{"eligible": 0, "members": 0})})
	got := mustTallies(t, s, tk("w1", "phunu", "membership"), tk("w9", "nobody", "membership"),
		flows.TallyKey{Period: "1999-Q1", Node: "city", Org: flows.AllOrgs, Form: "membership"})
	want := map[flows.TallyKey]flows.Tally{
		tk("w1", "phunu", "membership"):                                           {Reported: 1}, // zero sums are not kept: they read as 0
		tk("w9", "nobody", "membership"):                                          {},
		{Period: "1999-Q1", Node: "city", Org: flows.AllOrgs, Form: "membership"}: {},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

// After the directory changed (a unit moved to another ward, one removed), Rebuild makes the
// tallies agree with the new one, and leaves the other forms alone.
func TestRebuildAfterMove(t *testing.T) {
	s, ctx := mustModelStore(t), t.Context()
	for _, u := range []string{"w1-pn", "w1-dn", "w3-dn"} {
		mustApply(t, s, flows.Submit{Submission: tsub(u, "membership", 1, dueQ1, dueQ1, map[string]int64{"members": 4})})
	}
	mustApply(t, s, flows.Submit{Submission: tsub("w1-dn", "activity", 1, dueQ1, dueQ1, map[string]int64{"models": 1})})
	moved := []flows.Node{}
	for _, n := range tallyNodes {
		switch n.ID {
		case "w1-dn":
			n.Parent = "w2"
		case "w3-dn":
			continue
		}
		moved = append(moved, n)
	}
	dir := mustDir(t, tallyOrgs, moved)
	s.UseModel(dir, tallyCal, tallyInds)
	activity := mustTallies(t, s, tk("w1", flows.AllOrgs, "activity"))
	if err := s.Rebuild(ctx, "2026-Q1", []string{"w1-pn", "w1-dn", "w2-pn"}, []string{"membership"}); err != nil {
		t.Fatalf("Rebuild: %v", err)
	}
	checkTallies(t, s, dir, "2026-Q1", "membership")
	if got := mustTallies(t, s, tk("dist", flows.AllOrgs, "membership"), tk("w3", "doan", "membership")); !reflect.DeepEqual(got,
		map[flows.TallyKey]flows.Tally{tk("dist", flows.AllOrgs, "membership"): {}, tk("w3", "doan", "membership"): {}}) {
		t.Errorf("tallies of the removed unit's places: got %+v, want zero", got)
	}
	if got := mustTallies(t, s, tk("w1", flows.AllOrgs, "activity")); !reflect.DeepEqual(got, activity) {
		t.Errorf("activity tally, not rebuilt: got %+v, want %+v as before", got, activity)
	}
}

// The property: whatever sequence of submissions, resubmissions, returns and stale writes,
// every stored tally equals a recount from the stored submissions.
func TestTalliesMatchRecount(t *testing.T) {
	base := redistest.Prefix(t, "tally-prop")
	dir := mustDir(t, tallyOrgs, tallyNodes)
	units := []string{"w1-pn", "w1-dn", "w2-pn", "w3-dn", "top-pn", "ghost"}
	run := 0
	rapid.Check(t, func(rt *rapid.T) {
		run++
		s := New(newTestClient(), fmt.Sprintf("%s%d:", base, run))
		defer s.Close()
		s.UseModel(dir, tallyCal, tallyInds)
		s.cluster = redistest.Cluster() || rapid.Bool().Draw(rt, "cluster")
		for i := range rapid.IntRange(1, 30).Draw(rt, "steps") {
			unit := rapid.SampledFrom(units).Draw(rt, "unit")
			form := rapid.SampledFrom(tallyForms).Draw(rt, "form")
			randomWrite(rt, s, flows.Key{Unit: unit, Period: "2026-Q1", Form: form}, i)
		}
		checkTallies(rt, s, dir, "2026-Q1", tallyForms...)
	})
}

// randomWrite submits, returns or writes something stale to report k, and checks the verdict.
func randomWrite(rt *rapid.T, s *Store, k flows.Key, step int) {
	ctx := context.Background()
	cur, err := s.Submission(ctx, k)
	if err != nil && !errors.Is(err, flows.ErrNotFound) {
		rt.Fatalf("Submission: %v", err)
	}
	at := dueQ1.Add(time.Duration(rapid.IntRange(-48, 48).Draw(rt, "hours")) * time.Hour)
	stale := rapid.IntRange(0, 5).Draw(rt, "stale") == 0
	var e flows.Effect
	if cur.Version > 0 && cur.Returned == nil && rapid.Bool().Draw(rt, "return") {
		v := cur.Version
		if stale {
			v--
		}
		e = flows.ReturnSubmission{Key: k, Version: v, Return: flows.Return{By: "tg:9", At: at, Reason: "sai"}}
	} else {
		values := map[string]int64{}
		for _, q := range []string{"eligible", "members", "models", "exemplars"} {
			if rapid.Bool().Draw(rt, "has "+q) {
				values[q] = rapid.Int64Range(0, 3).Draw(rt, q)
			}
		}
		next := tsub(k.Unit, k.Form, cur.Version+1, at, cur.First(), values)
		next.Key = k
		var replaces *flows.Submission
		if cur.Version > 0 {
			replaces = &cur
		}
		if stale {
			next.Version++
		}
		e = flows.Submit{Submission: next, Replaces: replaces}
	}
	err = s.Apply(ctx, []flows.Effect{e})
	if stale != errors.Is(err, flows.ErrConflict) || (!stale && err != nil) {
		rt.Fatalf("step %d: %T stale=%t: got %v", step, e, stale, err)
	}
}

// raceHook submits once, from another process, right after the first pipelined read of
// submissions (MGETs on one Redis, GETs on Cluster): in the middle of a Rebuild, between its
// read and its write.
type raceHook struct {
	fired atomic.Bool
	write func()
}

func (h *raceHook) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h *raceHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook { return next }

func (h *raceHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		err := next(ctx, cmds)
		if len(cmds) > 0 && (cmds[0].Name() == "mget" || cmds[0].Name() == "get") && h.fired.CompareAndSwap(false, true) {
			h.write()
		}
		return err
	}
}

// A submission that lands while Rebuild computes makes it start again, so it is not lost.
func TestRebuildRetriesOnWrite(t *testing.T) {
	s := mustModelStore(t)
	other := storeAt(t, s.prefix)
	dir := s.model.Load().dir
	other.UseModel(dir, tallyCal, tallyInds)
	mustApply(t, s, flows.Submit{Submission: tsub("w1-pn", "membership", 1, dueQ1, dueQ1, map[string]int64{"members": 4})})
	hook := &raceHook{write: func() {
		mustApply(t, other, flows.Submit{Submission: tsub("w2-pn", "membership", 1, dueQ1, dueQ1, map[string]int64{"members": 6})})
	}}
	s.rdb.AddHook(hook)
	if err := s.Rebuild(t.Context(), "2026-Q1", []string{"w1-pn", "w2-pn"}, []string{"membership"}); err != nil {
		t.Fatalf("Rebuild: %v", err)
	}
	if !hook.fired.Load() {
		t.Fatalf("the concurrent submission never ran")
	}
	checkTallies(t, s, dir, "2026-Q1", "membership")
	want := flows.Tally{Reported: 2, Sums: map[string]int64{"members": 10}}
	if got := mustTallies(t, s, tk("city", flows.AllOrgs, "membership"))[tk("city", flows.AllOrgs, "membership")]; !reflect.DeepEqual(got, want) {
		t.Errorf("city tally: got %+v, want %+v", got, want)
	}
}

// resendHook sends every run of tallyScript twice, as go-redis does when the reply of the first
// send is lost to a read timeout or a network error: the first run went through all the same.
type resendHook struct{ resent atomic.Int64 }

func (h *resendHook) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h *resendHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		args := cmd.Args()
		if len(args) > 1 && args[0] == "evalsha" && args[1] == tallyScript.Hash() {
			if err := next(ctx, cmd); err == nil {
				h.resent.Add(1)
			}
		}
		return next(ctx, cmd)
	}
}

func (h *resendHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return next
}

// On Cluster the tallies move in a script of their own after the unit's; a retry of that script
// (its first reply lost) must not count the submission or the return twice.
func TestClusterTallyRetriedCountsOnce(t *testing.T) {
	s, ctx := mustModelStore(t), t.Context()
	s.cluster = true
	if err := tallyScript.Load(ctx, s.rdb).Err(); err != nil { // so it runs as EVALSHA only
		t.Fatalf("load tallyScript: %v", err)
	}
	hook := &resendHook{}
	s.rdb.AddHook(hook)
	v1 := tsub("w1-pn", "membership", 1, dueQ1, dueQ1, map[string]int64{"members": 5})
	mustApply(t, s, flows.Submit{Submission: v1, Form: testForm})
	want := map[flows.TallyKey]flows.Tally{tk("w1", "phunu", "membership"): {Reported: 1, Sums: map[string]int64{"members": 5}}}
	if got := mustTallies(t, s, tk("w1", "phunu", "membership")); !reflect.DeepEqual(got, want) {
		t.Errorf("tally after a submit whose tally script was sent twice: got %+v, want %+v", got, want)
	}
	ret := flows.Return{By: "tg:leader", At: dueQ1.Add(time.Hour), Reason: "sai"}
	mustApply(t, s, flows.ReturnSubmission{Key: v1.Key, Version: 1, Return: ret})
	want = map[flows.TallyKey]flows.Tally{tk("w1", "phunu", "membership"): {Returned: 1}}
	if got := mustTallies(t, s, tk("w1", "phunu", "membership")); !reflect.DeepEqual(got, want) {
		t.Errorf("tally after a return whose tally script was sent twice: got %+v, want %+v", got, want)
	}
	if n := hook.resent.Load(); n != 2 {
		t.Fatalf("tally script re-sent %d times, want 2 (the hook missed it)", n)
	}

	// The same change sent once more by hand (the step run again): still counted once.
	returned := v1
	returned.Returned = &ret
	c := s.change(v1.Key, &v1, &returned)
	if err := s.applyTally(ctx, c); err != nil {
		t.Fatalf("applyTally again: %v", err)
	}
	if got := mustTallies(t, s, tk("w1", "phunu", "membership")); !reflect.DeepEqual(got, want) {
		t.Errorf("tally after the return's change applied again: got %+v, want %+v", got, want)
	}
	marker := s.appliedKey(v1.Key, 1, "ret")
	if d := pttl(t, s, marker); d < AppliedTTL-time.Hour || d > AppliedTTL {
		t.Errorf("PTTL %s = %v, want about %v", marker, d, AppliedTTL)
	}
}
