package flows

import (
	"math"
	"testing"
)

// TestEvaluate: the one evaluation of an indicator over a tally. Zero denominators and empty
// tallies are "no value", never NaN or Inf; a share or a rate exactly at its target misses it.
func TestEvaluate(t *testing.T) {
	rate := Indicator{ID: "1.5", Num: "members", Den: "eligible", Min: 0.85}
	share := Indicator{ID: "1.4", Num: "models", Min: 1, Share: 0.95}
	avg := Indicator{ID: "1.4b", Num: "exemplars", Min: 1, Max: 2}
	info := Indicator{ID: "kn", Num: "resolved", Den: "petitions", Info: true}
	tests := []struct {
		name string
		ind  Indicator
		t    Tally
		want Figure
	}{
		{"rate met", rate, Tally{Reported: 2, Sums: map[string]int64{"members": 90, "eligible": 100}},
			Figure{Value: 0.9, OK: true, Met: true, Target: 0.85, HasTarget: true, Percent: true}},
		{"rate at target is not above it", rate, Tally{Reported: 1, Sums: map[string]int64{"members": 85, "eligible": 100}},
			Figure{Value: 0.85, OK: true, Target: 0.85, HasTarget: true, Percent: true}},
		{"rate zero denominator", rate, Tally{Reported: 1, Sums: map[string]int64{"members": 0, "eligible": 0}},
			Figure{Target: 0.85, HasTarget: true, Percent: true}},
		{"rate no denominator", rate, Tally{Reported: 2, Sums: map[string]int64{"members": 3}},
			Figure{Target: 0.85, HasTarget: true, Percent: true}},
		{"rate nothing reported", rate, Tally{}, Figure{Target: 0.85, HasTarget: true, Percent: true}},
		{"share", share, Tally{Reported: 4, Met: map[string]int{"1.4": 3}},
			Figure{Value: 0.75, OK: true, Target: 0.95, HasTarget: true, Percent: true}},
		{"share none met", share, Tally{Reported: 4}, Figure{OK: true, Target: 0.95, HasTarget: true, Percent: true}},
		// 19 of 20 is 95%: the target is "> 95%".
		{"share at target is not above it", share, Tally{Reported: 20, Met: map[string]int{"1.4": 19}},
			Figure{Value: 0.95, OK: true, Target: 0.95, HasTarget: true, Percent: true}},
		{"share above target", share, Tally{Reported: 40, Met: map[string]int{"1.4": 39}},
			Figure{Value: 0.975, OK: true, Met: true, Target: 0.95, HasTarget: true, Percent: true}},
		{"share nobody reported", share, Tally{}, Figure{Target: 0.95, HasTarget: true, Percent: true}},
		{"average in range", avg, Tally{Reported: 2, Sums: map[string]int64{"exemplars": 3}},
			Figure{Value: 1.5, OK: true, Met: true, Target: 1}},
		{"average at Max", avg, Tally{Reported: 2, Sums: map[string]int64{"exemplars": 4}},
			Figure{Value: 2, OK: true, Met: true, Target: 1}},
		{"average above Max", avg, Tally{Reported: 4, Sums: map[string]int64{"exemplars": 10}},
			Figure{Value: 2.5, OK: true, Target: 1}},
		{"average nothing reported", avg, Tally{Returned: 3}, Figure{Target: 1}},
		{"no target is never met", info, Tally{Reported: 1, Sums: map[string]int64{"resolved": 7, "petitions": 10}},
			Figure{Value: 0.7, OK: true, Percent: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.want.HasTarget = !tt.ind.Info
			got := Evaluate(tt.ind, tt.t)
			if got != tt.want || math.IsNaN(got.Value) {
				t.Errorf("Evaluate: got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestTargetText: one text per target, whatever shows it; one unit's report is judged without
// the share across units.
func TestTargetText(t *testing.T) {
	tests := []struct {
		name   string
		ind    Indicator
		lang   Lang
		want   string
		oneVal string // TargetText of ind.OneUnit()
	}{
		{"rate", Indicator{Num: "a", Den: "b", Min: 0.85}, VI, "> 85%", "> 85%"},
		{"rate decimal", Indicator{Num: "a", Den: "b", Min: 0.875}, VI, "> 87,5%", "> 87,5%"},
		{"range", Indicator{Num: "a", Min: 1, Max: 2}, VI, "1–2", "1–2"},
		{"at least", Indicator{Num: "a", Min: 1}, VI, "≥ 1", "≥ 1"},
		{"at least decimal", Indicator{Num: "a", Min: 1.5}, VI, "≥ 1,5", "≥ 1,5"},
		{"at least decimal en", Indicator{Num: "a", Min: 1.5}, EN, "≥ 1.5", "≥ 1.5"},
		{"rate decimal en", Indicator{Num: "a", Den: "b", Min: 0.875}, EN, "> 87.5%", "> 87.5%"},
		{"share", Indicator{Num: "a", Min: 1, Share: 0.95}, VI, "> 95% đơn vị đạt ≥ 1", "≥ 1"},
		{"share en", Indicator{Num: "a", Min: 1, Max: 2, Share: 0.9}, EN, "> 90% of units reach 1–2", "1–2"},
		{"no target", Indicator{Num: "a", Den: "b", Info: true}, VI, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := TargetText(tt.ind, tt.lang); got != tt.want {
				t.Errorf("TargetText: got %q, want %q", got, tt.want)
			}
			if got := TargetText(tt.ind.OneUnit(), tt.lang); got != tt.oneVal {
				t.Errorf("TargetText of one unit: got %q, want %q", got, tt.oneVal)
			}
		})
	}
}

// TestTallyAdd: the tallies of disjoint sets of units add up, into a zero Tally too.
func TestTallyAdd(t *testing.T) {
	var got Tally
	got.Add(Tally{Reported: 2, Late: 1, Sums: map[string]int64{"a": 3}, Met: map[string]int{"x": 1}})
	got.Add(Tally{Reported: 1, Returned: 1, Sums: map[string]int64{"a": 4, "b": 1}})
	got.Add(Tally{})
	if got.Reported != 3 || got.Late != 1 || got.Returned != 1 || got.Sums["a"] != 7 || got.Sums["b"] != 1 || got.Met["x"] != 1 {
		t.Errorf("got %+v, want 3 reported, 1 late, 1 returned, a=7 b=1, x met by 1", got)
	}
}
