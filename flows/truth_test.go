package flows

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// This file holds the tests of issue 10's "telling the truth": buttons offered are buttons
// allowed, nudges say what happened, charts of nothing say so.

// TestOfferedButtonsAreAllowed: every button a screen offers is one its person may press. From
// each role's /figures, /missing and /help, every button reachable in three presses is pressed
// and none is answered "ngoài phạm vi" (an organiser's /missing once offered "Nhắc tất cả").
func TestOfferedButtonsAreAllowed(t *testing.T) {
	for name, p := range roles {
		if name == "stranger" || name == "empty" {
			continue
		}
		w := leaderWorld(t)
		refusal := TFor(p, VI, "refuse")
		seen := map[string]bool{}
		var queue []Reply
		for _, cmd := range []string{"figures", "missing", "chart", "export"} {
			_, replies, _, _ := stepAs(w, p, State{}, Input{Kind: CommandInput, Command: cmd})
			queue = append(queue, replies...)
		}
		for depth := 0; depth < 3; depth++ {
			var next []Reply
			for _, r := range queue {
				for _, row := range r.Buttons {
					for _, b := range row {
						if seen[b.Data] || !strings.HasPrefix(b.Data, Unbound+"|") {
							continue
						}
						seen[b.Data] = true
						_, replies, _, _ := stepAs(w, p, State{}, Input{Kind: ButtonInput, Data: b.Data})
						if len(replies) > 0 && replies[0].Text == refusal {
							t.Errorf("%s: offered %q (%s), pressing it: got %q", name, b.Label, b.Data, refusal)
						}
						next = append(next, replies...)
					}
				}
			}
			queue = next
		}
		if len(seen) == 0 && name != "organiser" { // an organiser's own unit view has nothing to press
			t.Errorf("%s: got no buttons, want some to press", name)
		}
	}
}

// TestNudgeTellsTheTruth: a unit already nudged today is not nudged again, and the answer says
// when it was, by whom and from when the next nudge is possible, instead of "sent".
func TestNudgeTellsTheTruth(t *testing.T) {
	w := leaderWorld(t)
	w.people["hung"] = Person{ID: "hung", Name: "Anh Hùng", Scopes: []string{"laichau"}}
	w.people["binh"] = Person{ID: "binh", Units: []string{"santhang-phunu"}}
	w.nudges["tanphong-phunu"] = Nudge{At: leaderNow.Add(-2 * time.Hour), By: "hung"}
	city := roles["city"]
	_, replies, effects, _ := stepAs(w, city, State{}, Input{Kind: ButtonInput, Data: "*|nudge|2026-Q1 tanphong-phunu"})
	got := allText(replies)
	for _, want := range []string{"đã nhắc lúc " + leaderNow.Add(-2*time.Hour).In(testLoc).Format("15:04") + " (Anh Hùng)",
		"nhắc lại được từ ngày " + leaderNow.In(testLoc).AddDate(0, 0, 1).Format("02/01/2006")} {
		if !strings.Contains(got, want) {
			t.Errorf("nudge of a unit nudged today: got %q, want %q in it", got, want)
		}
	}
	if strings.Contains(got, "Đang gửi") || len(effects) != 0 {
		t.Errorf("nudge of a unit nudged today: got %q, effects %v; want no send claimed or asked", got, effects)
	}
	_, replies, effects, _ = stepAs(w, city, State{}, Input{Kind: ButtonInput, Data: "*|nudgeall|2026-Q1 laichau -"})
	got = allText(replies)
	if len(effects) != 1 || fmt.Sprint(effects[0].(Remind).Units) != "[santhang-phunu]" || !strings.Contains(got, "của 1 đơn vị") ||
		!strings.Contains(got, "Hội LHPN · Phường Tân Phong: đã nhắc lúc") {
		t.Errorf("nudge all: got %q, effects %v; want santhang-phunu nudged and tanphong-phunu said already nudged", got, effects)
	}
	w.now = leaderNow.AddDate(0, 0, 1)
	_, _, effects, _ = stepAs(w, city, State{}, Input{Kind: ButtonInput, Data: "*|nudge|2026-Q1 tanphong-phunu"})
	if len(effects) != 1 {
		t.Errorf("the next day: got effects %v, want the nudge", effects)
	}
}

// TestChartOfNothingSaysSo: a chart nobody in the view reported for, or of an indicator the
// period's form does not ask, is answered in words, as /figures says "nobody reported", instead
// of an empty picture; with a report in the view the chart is made.
func TestChartOfNothingSaysSo(t *testing.T) {
	w := leaderWorld(t)
	tests := []struct {
		p      Person
		args   string
		attach bool
		text   string
	}{
		{roles["city"], "1.5", true, "📊 Chỉ tiêu 1.5"},
		{roles["city"], "1.5 năm 2025", false, "Chưa có đơn vị nào trong Thành phố Lai Châu gửi báo cáo Hội viên kỳ Năm 2025"},
		{roles["city"], "1.4", false, "gửi báo cáo Hoạt động kỳ Quý I năm 2026"},
		{roles["city"], "1.7", false, "Chỉ tiêu 1.7 không tính cho kỳ Quý I năm 2026"},
		{roles["organiser"], "1.5", true, "📊 Chỉ tiêu 1.5"},
		{Person{ID: "lan", Units: []string{"tanphong-phunu", "santhang-phunu"}}, "1.6", true, "phạm vi của bạn"},
	}
	for _, tt := range tests {
		_, replies, _, _ := stepAs(w, tt.p, State{}, Input{Kind: CommandInput, Command: "chart", Args: tt.args})
		if len(replies) != 1 || (replies[0].Attach != nil) != tt.attach || !strings.Contains(replies[0].Text, tt.text) {
			t.Errorf("/chart %s by %s: got %+v, want attachment %v and %q", tt.args, tt.p.ID, replies, tt.attach, tt.text)
		}
	}
}
