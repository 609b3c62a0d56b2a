package flows

import (
	"strings"
	"testing"
	"time"
)

// TestUnitViewFollowsVersionInForce: a report filed on time and corrected 78 days after the due
// date is shown late, since the figures in force came in then; its history shows what the
// correction changed, old → new.
func TestUnitViewFollowsVersionInForce(t *testing.T) {
	w := leaderWorld(t)
	k := Key{Unit: "tanphong-phunu", Period: "2026-Q1", Form: "membership"}
	v1 := w.subs[k]
	due := time.Date(2026, 3, 15, 23, 59, 59, 0, testLoc)
	v2 := Submission{Key: k, Ref: "FIX002", By: "lan", Version: 2, At: due.AddDate(0, 0, 78), FirstAt: v1.At,
		Values: map[string]int64{"eligible": 100, "members": 95, "active": 85, "new_members": 4}}
	w.subs[k], w.hist[k] = v2, append(w.hist[k], v2)
	w.now = v2.At.Add(time.Hour)
	if w.now.After(time.Date(2026, 6, 13, 0, 0, 0, 0, testLoc)) {
		t.Fatalf("test clock %v: want Q1 still open", w.now)
	}
	_, replies, _, _ := stepAs(w, roles["ward"], State{Version: 3}, Input{Kind: ButtonInput, Data: "*|unit|2026-Q1 tanphong-phunu"})
	got := allText(replies)
	for _, want := range []string{T(VI, "unit_late"), "• Số hội viên: 90 → 95", "• Kết nạp mới: — → 4"} {
		if !strings.Contains(got, want) {
			t.Errorf("got %q, want it to contain %q", got, want)
		}
	}
	if strings.Contains(got, T(VI, "unit_ontime")) {
		t.Errorf("got %q, want no %q", got, T(VI, "unit_ontime"))
	}
}

// TestContributionLateByVersionInForce: the tallies count a unit late by its current version.
func TestContributionLateByVersionInForce(t *testing.T) {
	due := time.Date(2026, 3, 15, 23, 59, 59, 0, testLoc)
	tests := []struct {
		name      string
		at, first time.Time
		late      int
	}{
		{"first version on time", due.Add(-time.Hour), time.Time{}, 0},
		{"first version late", due.Add(time.Hour), time.Time{}, 1},
		{"corrected after the due date", due.AddDate(0, 0, 78), due.Add(-time.Hour), 1},
		{"corrected before it", due.Add(-time.Minute), due.Add(-time.Hour), 0},
	}
	for _, tt := range tests {
		s := Submission{At: tt.at, FirstAt: tt.first, Version: 2}
		if got := Contribution(&s, nil, due).Late; got != tt.late {
			t.Errorf("%s: got late %d, want %d", tt.name, got, tt.late)
		}
	}
}
