package flows

import (
	"reflect"
	"testing"
	"time"
)

// TestReadingAfter: what a chat reads after each effect is what the store holds once it is kept.
func TestReadingAfter(t *testing.T) {
	at := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	k := Key{Unit: "u", Period: "2026-Q1", Form: "f"}
	old := Draft{Key: k, Person: "tg:1", Answers: map[string]int64{"a": 1}, Version: 2}
	sub := Submission{Key: k, By: "tg:1", At: at, Version: 1, Values: map[string]int64{"a": 1}}
	ret := Return{By: "tg:9", At: at, Reason: "sai"}
	returned := sub
	returned.Returned = &ret
	start := func() Reading {
		return Reading{Person: Person{ID: "tg:1", Lang: VI}, Reports: map[Key]ReportInfo{k: {Draft: &old}}}
	}
	saved := Draft{Key: k, Person: "tg:1", Answers: map[string]int64{"a": 5}, Version: 3}
	tests := []struct {
		name   string
		from   Reading
		effect Effect
		want   ReportInfo
		lang   Lang
	}{
		{"save draft", start(), SaveDraft{Draft: saved}, ReportInfo{Draft: &saved}, VI},
		{"drop draft", start(), DropDraft{Key: k, Person: "tg:1"}, ReportInfo{}, VI},
		{"submit empties the draft", start(), Submit{Submission: sub, Draft: 2},
			ReportInfo{Submitted: &sub, Draft: &Draft{Key: k, Person: "tg:1", Answers: map[string]int64{}, Version: 3, Updated: at}}, VI},
		{"submit without a draft", start(), Submit{Submission: sub}, ReportInfo{Submitted: &sub}, VI},
		{"return", Reading{Reports: map[Key]ReportInfo{k: {Submitted: &sub}}}, ReturnSubmission{Key: k, Version: 1, Return: ret},
			ReportInfo{Submitted: &returned}, ""},
		{"return of another version", Reading{Reports: map[Key]ReportInfo{k: {Submitted: &sub}}}, ReturnSubmission{Key: k, Version: 2, Return: ret},
			ReportInfo{Submitted: &sub}, ""},
		{"language", start(), SavePerson{Person: Person{ID: "tg:1", Lang: EN, Units: []string{"x"}}}, ReportInfo{Draft: &old}, EN},
		{"notice", start(), Notify{To: "tg:2"}, ReportInfo{Draft: &old}, VI},
		{"invite", start(), CreateInvite{Invite: Invite{Code: "C"}}, ReportInfo{Draft: &old}, VI},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := tt.from.Reports[k]
			got := tt.from.After([]Effect{tt.effect})
			if !reflect.DeepEqual(got.Reports[k], tt.want) {
				t.Errorf("got %+v, want %+v", got.Reports[k], tt.want)
			}
			if got.Person.Lang != tt.lang || len(got.Person.Units) != 0 {
				t.Errorf("got person %+v, want language %q and nothing else changed", got.Person, tt.lang)
			}
			if !reflect.DeepEqual(tt.from.Reports[k], before) {
				t.Errorf("the reading it came from changed: got %+v, want %+v", tt.from.Reports[k], before)
			}
		})
	}
}

// TestReadingAfterLaterPeriods: a submission or a return of one period shows, at once, in the
// later report that counts it as its previous period's: what it offers to keep and compares
// big changes with.
func TestReadingAfterLaterPeriods(t *testing.T) {
	at := time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC)
	q3 := Key{Unit: "u", Period: "2026-Q3", Form: "f"}
	year := Key{Unit: "u", Period: "2026-Y", Form: "f"}
	v1 := Submission{Key: q3, By: "tg:1", At: at, Version: 1, Values: map[string]int64{"a": 1}}
	v2 := v1
	v2.Version, v2.Values = 2, map[string]int64{"a": 2}
	ret := Return{By: "tg:9", At: at, Reason: "sai"}
	returned := v1
	returned.Returned = &ret
	tests := []struct {
		name   string
		prev   *Submission
		effect Effect
		want   *Submission
	}{
		{"first submission", nil, Submit{Submission: v1, Next: []Key{year}}, &v1},
		{"correction", &v1, Submit{Submission: v2, Replaces: &v1, Next: []Key{year}}, &v2},
		{"a period that does not follow", &v1, Submit{Submission: v2, Replaces: &v1}, &v1},
		{"return", &v1, ReturnSubmission{Key: q3, Version: 1, Return: ret}, &returned},
	}
	for _, tt := range tests {
		r := Reading{Reports: map[Key]ReportInfo{q3: {Submitted: &v1}, year: {Previous: tt.prev}}}
		got := r.After([]Effect{tt.effect}).Reports[year].Previous
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got previous %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

// TestOutgoing: the outbound effects, and only they, are picked out to send.
func TestOutgoing(t *testing.T) {
	notify, remind := Notify{To: "tg:1"}, Remind{Period: "2026-Q1", Nudge: true}
	effects := []Effect{SaveDraft{}, notify, Submit{}, remind, Snooze{}}
	got := Outgoing(effects)
	want := Sends{Notices: []Notify{notify}, Reminds: []Remind{remind}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	var outbound int
	for _, e := range effects {
		if e.Outbound() {
			outbound++
		}
	}
	if outbound != len(got.Notices)+len(got.Reminds) {
		t.Errorf("got %d outbound effects, want %d, the ones Outgoing picks", outbound, len(got.Notices)+len(got.Reminds))
	}
}
