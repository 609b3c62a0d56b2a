package flows

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// defaultForms reads the forms the bot ships with (config/defaults/forms.yaml), so that the
// journey scripts ("@forms defaults") count the taps of the real forms: 4 + 6 figures a quarter.
func defaultForms() ([]Form, error) {
	b, err := os.ReadFile("../config/defaults/forms.yaml")
	if err != nil {
		return nil, fmt.Errorf("read the default forms: %w", err)
	}
	var doc struct {
		Forms []Form `yaml:"forms"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("parse the default forms: %w", err)
	}
	return doc.Forms, nil
}

// interactions counts what the person sent in a golden script: figures (a number typed, or a
// tap that stands for one: "Giữ như kỳ trước", the register's count), written answers (words
// typed, "Xong", "Bỏ qua"; the journey scripts write no digits in them) and everything else,
// which is getting around: commands, choices, "Gửi", "➡️ Tiếp".
type interactions struct{ figures, written, nav, submits int }

func (n interactions) total() int { return n.figures + n.written + n.nav }

func countInteractions(golden string) interactions {
	var n interactions
	for _, line := range strings.Split(golden, "\n") {
		if strings.HasPrefix(line, "  ! Submit ") {
			n.submits++
		}
		in, ok := strings.CutPrefix(line, "> ")
		if !ok {
			continue
		}
		label, press := strings.CutPrefix(in, "[")
		switch {
		case press && (strings.HasPrefix(label, "Giữ") || strings.HasPrefix(label, "Theo sổ") || strings.HasPrefix(label, "Dùng số")):
			n.figures++
		case press && (strings.HasPrefix(label, "Xong") || strings.HasPrefix(label, "Bỏ qua")):
			n.written++
		case press || strings.HasPrefix(in, "/"):
			n.nav++
		default:
			if _, err := ParseNumber(in, 0); err == nil {
				n.figures++
			} else {
				n.written++
			}
		}
	}
	return n
}

// TestJourneyCounts holds the organiser's journey to its target, counted from the golden
// scripts: a one-unit organiser files both forms of a quarter in the figures and at most 4 more
// messages and taps; each further unit costs one tap more, and so does choosing the first.
func TestJourneyCounts(t *testing.T) {
	tests := []struct {
		script           string
		units            int
		figures, written int
		budget           int // the most messages and taps that are not answers
	}{
		{"journey_quarter", 1, 10, 0, 4},
		{"journey_two_units", 2, 20, 0, 2 * (4 + 1)},
		// For information: a six-month report asks for written answers too (one written,
		// two skipped), so its count is the quarter's and those.
		{"journey_half", 1, 10, 4, 4},
	}
	for _, tt := range tests {
		t.Run(tt.script, func(t *testing.T) {
			b, err := os.ReadFile("testdata/scripts/" + tt.script + ".golden")
			if err != nil {
				t.Fatal(err)
			}
			n := countInteractions(string(b))
			t.Logf("%s: %d messages and taps: %d figures, %d written, %d to get around", tt.script, n.total(), n.figures, n.written, n.nav)
			if n.submits != 2*tt.units {
				t.Errorf("reports submitted: got %d, want %d", n.submits, 2*tt.units)
			}
			if n.figures != tt.figures || n.written != tt.written {
				t.Errorf("answers: got %d figures and %d written, want %d and %d", n.figures, n.written, tt.figures, tt.written)
			}
			if n.nav > tt.budget {
				t.Errorf("messages and taps beyond the answers: got %d, want at most %d", n.nav, tt.budget)
			}
			if !strings.Contains(string(b), T(VI, "period_done")) {
				t.Errorf("got no %q at the end, want the period's reports listed", T(VI, "period_done"))
			}
		})
	}
}

// TestJourneyChoicesChecked: the chooser's and the drafts' choices name reports in their data,
// which a client can forge: another unit's report, a period not open, a form that does not
// exist, a draft that is not there all leave the person where they were, writing nothing.
func TestJourneyChoicesChecked(t *testing.T) {
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, testLoc)
	lan := Person{ID: "lan", Units: []string{"tanphong-phunu"}}
	here := Key{Unit: "tanphong-phunu", Period: "2026-Q1"}
	tests := []struct {
		name string
		st   State
		data string
	}{
		{"another unit", State{Version: 3, Screen: PickForm, Key: here}, "3|u|santhang-phunu"},
		{"a period not open", State{Version: 3, Screen: PickForm, Key: here}, "3|p|2025-Q1"},
		{"a form that does not exist", State{Version: 3, Screen: PickForm, Key: here}, "3|f|nosuch"},
		{"another unit's draft", State{Version: 3, Screen: PickDraft}, "3|d|2026-Q1|santhang-phunu|membership"},
		{"a draft that is not there", State{Version: 3, Screen: PickDraft}, "3|d|2026-Q1|tanphong-phunu|activities"},
		{"the next report of another unit", State{Version: 3}, "*|nx|2026-Q1|santhang-phunu|membership"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := &Env{Person: lan, Dir: mustDirectory(t), Forms: testForms(), Calendar: testCalendar()}
			env.Reports = map[Key]ReportInfo{}
			for _, q := range ReportQueries(lan, env.Dir, env.Forms, env.Calendar, now) {
				env.Reports[q.Key] = ReportInfo{}
			}
			next, _, effects := Step(env, tt.st, Input{Kind: ButtonInput, Data: tt.data}, now)
			if len(effects) != 0 {
				t.Errorf("got effects %v, want none", effects)
			}
			if (next.Key.Unit != "" && next.Key.Unit != "tanphong-phunu") || next.Key.Form == "nosuch" || next.Key.Period == "2025-Q1" {
				t.Errorf("got state on %+v, want none of it", next.Key)
			}
		})
	}
}

// TestTypedChoicesOnAQuestion: on a platform without buttons a choice can be typed, also on a
// question: "đổi" (with or without its marks) opens the chooser on any question, a button's
// label chooses it, and a figure is always the answer.
func TestTypedChoicesOnAQuestion(t *testing.T) {
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, testLoc)
	lan := Person{ID: "lan", Units: []string{"tanphong-phunu"}}
	k := Key{Unit: "tanphong-phunu", Period: "2026-Q1", Form: "membership"}
	tests := []struct {
		typed  string
		step   int
		screen Screen
	}{
		{"đổi", 0, PickForm},
		{"Đổi", 2, PickForm},
		{"doi.", 2, PickForm},
		{"Hủy", 2, Idle},
		{"Quay lại", 2, Asking},
		{"12", 2, Asking},
		{"đổi mới 12", 2, Asking}, // words around a figure: the figure
	}
	for _, tt := range tests {
		t.Run(tt.typed, func(t *testing.T) {
			env := &Env{Person: lan, Dir: mustDirectory(t), Forms: testForms(), Calendar: testCalendar(),
				Reports: map[Key]ReportInfo{k: {Draft: &Draft{Key: k, Person: "lan", Version: 2, Answers: map[string]int64{"eligible": 100, "members": 90}}}}}
			st := State{Version: 5, Screen: Asking, Key: k, Step: tt.step, Seen: Seen{Draft: 2}}
			next, replies, _ := Step(env, st, Input{Kind: TextInput, Text: tt.typed}, now)
			if next.Screen != tt.screen {
				t.Errorf("got screen %q (%q), want %q", next.Screen, allText(replies), tt.screen)
			}
			if tt.screen == Asking && tt.typed != "Quay lại" && next.Step != tt.step+1 {
				t.Errorf("got question %d, want the figure taken and question %d", next.Step+1, tt.step+2)
			}
		})
	}
}
