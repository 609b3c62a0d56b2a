package flows

import (
	"strings"
	"testing"
	"time"
)

// TestAnswerBelowMin: a question with a minimum refuses smaller answers kindly and asks again.
func TestAnswerBelowMin(t *testing.T) {
	forms := testForms()
	forms[1].Questions[0].Min = 1 // at least one meeting a quarter
	env := &Env{
		Person: Person{ID: "lan", Units: []string{"tanphong-phunu"}}, Dir: mustDirectory(t),
		Forms: forms, Calendar: testCalendar(), Indicators: testIndicators(),
	}
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, testLoc)
	st := State{Version: 3, Screen: Asking, Key: Key{Unit: "tanphong-phunu", Period: "2026-Q1", Form: "activities"}}
	tests := []struct {
		answer    string
		wantText  string
		wantSaved bool
	}{
		{"0", "Số này phải từ 1 trở lên.", false},
		{"không", "Số này phải từ 1 trở lên.", false},
		{"1", "(2/4)", true},
	}
	for _, tt := range tests {
		next, replies, effects := Step(env, st, Input{Kind: TextInput, Text: tt.answer}, now)
		var texts []string
		for _, r := range replies {
			texts = append(texts, r.Text)
		}
		if got := strings.Join(texts, "\n"); !strings.Contains(got, tt.wantText) {
			t.Errorf("%q: got %q, want it to contain %q", tt.answer, got, tt.wantText)
		}
		if got := len(effects) == 1; got != tt.wantSaved {
			t.Errorf("%q: got saved %v, want %v", tt.answer, got, tt.wantSaved)
		}
		if !tt.wantSaved && (next.Screen != Asking || next.Step != 0) {
			t.Errorf("%q: got screen %s step %d, want the same question again", tt.answer, next.Screen, next.Step)
		}
	}
}

// TestForgedButtons: button data are typed by clients and can be made up; a made-up press
// never reaches beyond the person's role.
func TestForgedButtons(t *testing.T) {
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, testLoc)
	lan := Person{ID: "lan", Units: []string{"tanphong-phunu"}}
	tests := []struct {
		name   string
		person Person
		st     State
		data   string
		want   string
	}{
		{"another unit", lan, State{Version: 2, Screen: PickUnit}, "2|u|santhang-phunu", "Bạn báo cáo cho đơn vị nào?"},
		{"invite without being admin", lan, State{Version: 2, Screen: InviteNodes, Invite: &Invite{Role: Organiser, Nodes: []string{"tanphong-phunu"}}}, "2|mk|", "Chỉ cán bộ quản trị"},
		{"an unknown form", lan, State{Version: 2, Screen: PickForm, Key: Key{Unit: "tanphong-phunu", Period: "2026-Q1"}}, "2|f|secret", "Chọn biểu mẫu"},
	}
	for _, tt := range tests {
		env := &Env{Person: tt.person, Dir: mustDirectory(t), Forms: testForms(), Calendar: testCalendar(), Code: "CODE"}
		next, replies, effects := Step(env, tt.st, Input{Kind: ButtonInput, Data: tt.data}, now)
		if len(effects) != 0 {
			t.Errorf("%s: got effects %v, want none", tt.name, effects)
		}
		if next.Key.Unit == "santhang-phunu" || next.Key.Form == "secret" {
			t.Errorf("%s: got state %+v, want no foreign unit or form in it", tt.name, next)
		}
		if len(replies) == 0 || !strings.Contains(replies[len(replies)-1].Text+replies[0].Text, tt.want) {
			t.Errorf("%s: got %+v, want a reply containing %q", tt.name, replies, tt.want)
		}
	}
}
