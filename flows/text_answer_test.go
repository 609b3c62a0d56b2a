package flows

import (
	"maps"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzTextAnswer: whatever arrives as a message of a written answer (markup, controls, a paste
// of any length, several messages), the step never panics, the answer stored stays within the
// question's limit, and it holds no character that would make it read other than it was typed.
func FuzzTextAnswer(f *testing.F) {
	for _, s := range []string{"Kinh phí còn hạn hẹp.", "<b>đậm</b> & <script>x</script>", "a\u202edcba", "\x00\x1b[31m", "Xong", "xong.",
		strings.Repeat("chữ ", 200), "", "\n\n", "🙂"} {
		f.Add(s, s)
	}
	w := newWorld(f)
	w.now = time.Date(2026, 6, 5, 9, 0, 0, 0, testLoc)
	lan := Person{ID: "lan", Units: []string{"tanphong-phunu"}}
	k := Key{Unit: "tanphong-phunu", Period: "2026-H1", Form: "activities"}
	shortcomings := 5 // the sixth question of Activities in H1
	f.Fuzz(func(t *testing.T, a, b string) {
		st := State{Version: 7, Screen: Asking, Key: k, Step: shortcomings}
		var texts map[string]string
		for _, msg := range []string{a, b} {
			env := w.env
			env.Person = lan
			env.Reports = w.reports(lan)
			if texts != nil {
				env.Reports[k] = ReportInfo{Draft: &Draft{Key: k, Person: "lan", Answers: map[string]int64{}, Texts: texts, Typing: "shortcomings", Version: 1}}
			}
			next, _, effects := Step(&env, st, Input{Kind: TextInput, Text: msg}, w.now)
			st = next
			for _, e := range effects {
				if d, ok := e.(SaveDraft); ok {
					texts = d.Draft.Texts
				}
			}
		}
		got := texts["shortcomings"]
		if n := utf8.RuneCountInString(got); n > 300 {
			t.Errorf("stored %d characters, want at most 300", n)
		}
		if got != Neutral(got) || !utf8.ValidString(got) {
			t.Errorf("stored %q, which is not neutral", got)
		}
	})
}

// TestReopenKeepsWrittenAnswers: a returned report reopens with its written answers in the
// draft, a skipped optional one still skipped, so the summary shows them all.
func TestReopenKeepsWrittenAnswers(t *testing.T) {
	w := newWorld(t)
	w.now = time.Date(2026, 6, 5, 9, 0, 0, 0, testLoc)
	k := Key{Unit: "tanphong-phunu", Period: "2026-H1", Form: "activities"}
	w.subs[k] = Submission{Key: k, Version: 1, By: "lan", At: w.now.Add(-time.Hour), Ref: "AAAAAA",
		Values:   map[string]int64{"meetings": 4, "models": 1, "petitions": 3, "resolved": 2},
		Texts:    map[string]string{"results": "Tổ chức 4 buổi.", "shortcomings": "Kinh phí hạn hẹp."},
		Returned: &Return{By: "ward", At: w.now, Reason: "Thiếu số liệu"}}
	lan := Person{ID: "lan", Units: []string{"tanphong-phunu"}}
	next, replies, effects, _ := stepAs(w, lan, State{Version: 2}, Input{Kind: ButtonInput, Data: "*|reo|2026-H1 tanphong-phunu activities"})
	if next.Screen != Summary || len(effects) != 1 {
		t.Fatalf("reopen: got screen %q, effects %v, want the summary and a draft saved", next.Screen, effects)
	}
	d := effects[0].(SaveDraft).Draft
	want := map[string]string{"results": "Tổ chức 4 buổi.", "shortcomings": "Kinh phí hạn hẹp.", "proposals": ""}
	if !maps.Equal(d.Texts, want) {
		t.Errorf("draft texts: got %q, want %q", d.Texts, want)
	}
	if text := allText(replies); !strings.Contains(text, "6. Hạn chế, khó khăn: Kinh phí hạn hẹp.") || !strings.Contains(text, "7. Đề xuất, kiến nghị: (bỏ qua)") {
		t.Errorf("summary: got %q, want the written answers", text)
	}
}
