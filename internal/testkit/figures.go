package testkit

import (
	"context"
	"strconv"
	"testing"
	"time"

	"danvan/flows"
	"danvan/storage"
)

// Membership is one unit's answers to the Membership form.
type Membership struct{ Eligible, Members, NewMembers, Active int64 }

// The figures the organisers send in the end-to-end tests.
var (
	LanForm  = Membership{1250, 1100, 20, 1000}
	HungForm = Membership{500, 400, 12, 300}
	DaoForm  = Membership{800, 700, 10, 650}
)

// Answers are the form's answers in the order it asks them.
func (m Membership) Answers() []int64 { return []int64{m.Eligible, m.Members, m.NewMembers, m.Active} }

// WantTally is what a test expects of a Membership tally.
type WantTally struct {
	Reported, Late, Returned  int
	Eligible, Members, Active int64
}

// TallyOf is the tally of forms, late and returned of them counted apart.
func TallyOf(late, returned int, forms ...Membership) WantTally {
	w := WantTally{Reported: len(forms), Late: late, Returned: returned}
	for _, f := range forms {
		w.Eligible, w.Members, w.Active = w.Eligible+f.Eligible, w.Members+f.Members, w.Active+f.Active
	}
	return w
}

// MustTally reads one Membership tally of Q1 2026 from Redis and checks it against want.
func MustTally(tb testing.TB, store *storage.Store, node, org string, want WantTally) flows.Tally {
	tb.Helper()
	k := flows.TallyKey{Period: "2026-Q1", Node: node, Org: org, Form: "membership"}
	got, err := store.Tallies(context.Background(), []flows.TallyKey{k})
	if err != nil {
		tb.Fatal(err)
	}
	t := got[k]
	have := WantTally{t.Reported, t.Late, t.Returned, t.Sums["eligible"], t.Sums["members"], t.Sums["active"]}
	if have != want {
		tb.Fatalf("tally %s@%s: got %+v, want %+v", node, org, have, want)
	}
	return t
}

// RateLine is the 1.5 line's totals as /figures writes them: "= 2.200 ÷ 2.550".
func RateLine(t flows.Tally) string {
	return "= " + flows.FormatNumber(t.Sums["members"]) + " ÷ " + flows.FormatNumber(t.Sums["eligible"])
}

// DoneLine is the Membership completeness as /figures writes it, without the share.
func DoneLine(t flows.Tally, units int) string {
	return "Sinh hoạt & hội viên: Đã báo cáo " + strconv.Itoa(t.Reported) + "/" + strconv.Itoa(units) + " đơn vị"
}

// MustSubmit stores version 1 of unit's Membership report for Q1 2026, sent by by at at,
// through the store's real submit path (tallies included).
func MustSubmit(tb testing.TB, store *storage.Store, unit, by string, at time.Time, m Membership) {
	tb.Helper()
	form := flows.Form{ID: "membership"}
	for _, f := range Settings(tb).Forms {
		if f.ID == "membership" {
			form = f
		}
	}
	k := flows.Key{Unit: unit, Period: "2026-Q1", Form: form.ID}
	vals := map[string]int64{"eligible": m.Eligible, "members": m.Members, "new_members": m.NewMembers, "active": m.Active}
	sub := flows.Submission{Key: k, Values: vals, By: by, At: at, Version: 1, Ref: flows.Reference(k, 1, at)}
	if err := store.Apply(context.Background(), []flows.Effect{flows.Submit{Submission: sub, Form: form}}); err != nil {
		tb.Fatalf("submit %s: %v", unit, err)
	}
}
