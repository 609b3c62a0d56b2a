package flows

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestRedrawRepeatsTheLostReply: for every step of filing a report, the redraw of the state it
// left (the store holding its effects) is the reply that step sent, with buttons that work:
// what a person whose reply was lost in a crash sees when the platform redelivers the update.
func TestRedrawRepeatsTheLostReply(t *testing.T) {
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, testLoc)
	key := Key{Unit: "tanphong-phunu", Period: "2026-Q1", Form: "membership"}
	env := &Env{Person: Person{ID: "lan", Units: []string{"tanphong-phunu"}}, Dir: mustDirectory(t),
		Forms: testForms(), Calendar: testCalendar(), Indicators: testIndicators()}
	st := State{Version: 3, Screen: Asking, Key: key}
	inputs := []Input{
		{Kind: TextInput, Text: "1.250"}, {Kind: TextInput, Text: "1100"}, {Kind: TextInput, Text: "20"},
		{Kind: TextInput, Text: "1000"}, {Kind: ButtonInput, Data: "send"},
	}
	for i, in := range inputs {
		if in.Data == "send" {
			in.Data = mustData(t, st, env, now, "Gửi")
		}
		next, replies, effects := Step(env, st, in, now)
		env.Reports = Reading{Person: env.Person, Reports: env.Reports}.After(effects).Reports
		got := Redraw(env, next, in, now)
		if !reflect.DeepEqual(got, replies) {
			t.Fatalf("step %d: redraw got %+v, want the step's reply %+v", i+1, got, replies)
		}
		st = next
	}
	if st.Screen != Idle || st.Sent == nil || *st.Sent != key {
		t.Fatalf("after Gửi: got state %+v, want idle with the report sent", st)
	}
	if got := Redraw(env, st, Input{Kind: TextInput, Text: "1000"}, now); len(got) != 1 || !strings.Contains(got[0].Text, "Số tham chiếu") {
		t.Errorf("redraw after Gửi: got %+v, want the confirmation", got)
	}
	// The next step, whatever it is, leaves the confirmation behind.
	next, _, _ := Step(env, st, Input{Kind: CommandInput, Command: "help"}, now)
	if next.Sent != nil {
		t.Errorf("after /help: got Sent %v, want none", next.Sent)
	}
	if got := Redraw(env, next, Input{Kind: CommandInput, Command: "help"}, now); len(got) != 0 {
		t.Errorf("redraw of an idle chat: got %+v, want nothing", got)
	}
}

// TestRedrawJourney: the same through the rest of the quarter: "➡️ Tiếp" to Activities, its
// answers, "Gửi" and the period done. A redelivered "Tiếp" leaves the confirmation it sits
// under as it is, as the first delivery did.
func TestRedrawJourney(t *testing.T) {
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, testLoc)
	key := Key{Unit: "tanphong-phunu", Period: "2026-Q1", Form: "membership"}
	sent := &Submission{Key: key, Ref: "ABC123", By: "lan", Version: 1, At: now,
		Values: map[string]int64{"eligible": 1250, "members": 1100, "new_members": 20, "active": 1000}}
	env := &Env{Person: Person{ID: "lan", Units: []string{"tanphong-phunu"}}, Dir: mustDirectory(t),
		Forms: testForms(), Calendar: testCalendar(), Indicators: testIndicators(),
		Reports: map[Key]ReportInfo{key: {Submitted: sent}}}
	st := State{Version: 9, Sent: &key}
	inputs := []Input{
		{Kind: ButtonInput, Data: "Tiếp"}, {Kind: TextInput, Text: "4"}, {Kind: TextInput, Text: "1"},
		{Kind: TextInput, Text: "6"}, {Kind: TextInput, Text: "5"}, {Kind: ButtonInput, Data: "Gửi"},
	}
	var last []Reply
	for i, in := range inputs {
		if in.Kind == ButtonInput {
			in.Data = mustData(t, st, env, now, in.Data)
		}
		next, replies, effects := Step(env, st, in, now)
		env.Reports = Reading{Person: env.Person, Reports: env.Reports}.After(effects).Reports
		got := Redraw(env, next, in, now)
		if !reflect.DeepEqual(got, replies) {
			t.Fatalf("step %d: redraw got %+v, want the step's reply %+v", i+1, got, replies)
		}
		if in.Kind == ButtonInput && len(replies) > 0 && replies[0].Edit {
			t.Errorf("step %d: got an edit of the pressed message, want the reply below it", i+1)
		}
		st, last = next, replies
	}
	if len(last) != 1 || !strings.Contains(last[0].Text, "Xong kỳ này") || !strings.Contains(last[0].Text, "Hội viên: ABC123") {
		t.Errorf("after the last Gửi: got %+v, want the period done, with both references", last)
	}
}

// mustData finds the data of the button labelled label on the screen st shows.
func mustData(tb testing.TB, st State, env *Env, now time.Time, label string) string {
	tb.Helper()
	for _, r := range Redraw(env, st, Input{}, now) {
		for _, row := range r.Buttons {
			for _, b := range row {
				if strings.Contains(b.Label, label) {
					return b.Data
				}
			}
		}
	}
	tb.Fatalf("no button %q on the %s screen", label, st.Screen)
	return ""
}

// TestOwnSubmissionConfirmed: a summary whose own draft was submitted while its chat state was
// not saved (the connection dropped in between) answers the next choice with the truth, that the
// report came in, with its reference; a submission by someone else is reported as such.
func TestOwnSubmissionConfirmed(t *testing.T) {
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, testLoc)
	key := Key{Unit: "tanphong-phunu", Period: "2026-Q1", Form: "membership"}
	st := State{Version: 7, Screen: Summary, Key: key, Seen: Seen{Draft: 4}}
	emptied := &Draft{Key: key, Person: "lan", Answers: map[string]int64{}, Version: 5}
	sub := func(by string) *Submission {
		return &Submission{Key: key, Ref: "ABC123", By: by, Version: 1, At: now,
			Values: map[string]int64{"eligible": 1250, "members": 1100, "new_members": 20, "active": 1000}}
	}
	tests := []struct {
		name  string
		info  ReportInfo
		want  string
		avoid string
	}{
		{"own draft submitted", ReportInfo{Submitted: sub("lan"), Draft: emptied}, "✅ Đã gửi báo cáo Hội viên", "thay đổi ở nơi khác"},
		{"someone else submitted", ReportInfo{Submitted: sub("hoa"), Draft: emptied}, "đã được gửi (phiên bản 1, mã ABC123)", "✅ Đã gửi"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := &Env{Person: Person{ID: "lan", Units: []string{"tanphong-phunu"}}, Dir: mustDirectory(t),
				Forms: testForms(), Calendar: testCalendar(), Indicators: testIndicators(), Reports: map[Key]ReportInfo{key: tt.info}}
			for _, in := range []Input{{Kind: ButtonInput, Data: "7|send|"}, {Kind: TextInput, Text: "Gửi"}} {
				next, replies, effects := Step(env, st, in, now)
				var texts []string
				for _, r := range replies {
					texts = append(texts, r.Text)
				}
				got := strings.Join(texts, "\n")
				if !strings.Contains(got, tt.want) || strings.Contains(got, tt.avoid) {
					t.Errorf("%+v: got %q, want %q and not %q", in, got, tt.want, tt.avoid)
				}
				if len(effects) != 0 || next.Screen != Idle {
					t.Errorf("%+v: got effects %v, screen %q; want none, idle", in, effects, next.Screen)
				}
				if strings.Contains(tt.want, "✅") && !strings.Contains(got, "Số tham chiếu: ABC123 (phiên bản 1)") {
					t.Errorf("%+v: got %q, want the reference of the stored submission", in, got)
				}
			}
		})
	}
}
