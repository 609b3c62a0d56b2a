package flows

import (
	"strings"
	"testing"
	"time"
)

// registerWorld is the leaders' world with a register: lan reports for Tân Phong's Women's
// Union, which has one model; San Thàng's has one too.
func registerWorld(tb testing.TB) *world {
	tb.Helper()
	w := leaderWorld(tb)
	for _, seed := range [][]string{
		{"tanphong-phunu", "1", "rung", "2025-06", "level=xa", "Giữ", "rừng"},
		{"santhang-phunu", "1", "kinhte", "2026-01", "-", "Thoát", "nghèo"},
	} {
		if err := w.seedModel(seed); err != nil {
			tb.Fatal(err)
		}
	}
	return w
}

// TestForgedModelButtons: a press made up by hand, or kept from a state the person no longer
// fits, never registers or recognises a model of a unit the person does not report for.
func TestForgedModelButtons(t *testing.T) {
	w := registerWorld(t)
	lan := w.people["lan"]
	other := &ModelDraft{Unit: "santhang-phunu", Name: "Mượn danh", Field: "kinhte", Start: "2026-01", Level: "-"}
	tests := []struct {
		name string
		st   State
		in   Input
	}{
		{"add to another unit", State{Version: 3}, Input{Kind: ButtonInput, Data: "*|mha|santhang-phunu"}},
		{"recognise another unit's model", State{Version: 3}, Input{Kind: ButtonInput, Data: "*|mhr|santhang-phunu 1"}},
		{"pick another unit on the unit screen", State{Version: 3, Screen: AskModelUnit, Model: &ModelDraft{}},
			Input{Kind: ButtonInput, Data: "3|mu|santhang-phunu"}},
		{"save a card of another unit", State{Version: 3, Screen: ModelCard, Model: other}, Input{Kind: ButtonInput, Data: "3|msave|"}},
		{"recognise on a level screen of another unit", State{Version: 3, Screen: AskModelLevel,
			Model: &ModelDraft{Unit: "santhang-phunu", ID: "1", Ver: 1, Name: "Thoát nghèo"}}, Input{Kind: ButtonInput, Data: "3|ml|tinh"}},
		{"malformed", State{Version: 3}, Input{Kind: ButtonInput, Data: "*|mhr|santhang-phunu"}},
		{"a leader's list outside the scope", State{Version: 3}, Input{Kind: ButtonInput, Data: "*|mhl|field santhang -"}},
		{"the next report of another unit", State{Version: 3}, Input{Kind: ButtonInput, Data: "*|nx|2026-Q1|santhang-phunu|activities"}},
		{"another unit in the chooser", State{Version: 3, Screen: PickForm, Key: Key{Unit: "tanphong-phunu", Period: "2026-Q1"}},
			Input{Kind: ButtonInput, Data: "3|u|santhang-phunu"}},
		{"another unit's draft", State{Version: 3, Screen: PickDraft}, Input{Kind: ButtonInput, Data: "3|d|2026-Q1|santhang-phunu|activities"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next, replies, effects, want := stepAs(w, lan, tt.st, tt.in)
			if len(effects) != 0 {
				t.Errorf("got effects %v, want none", effects)
			}
			if next.Model != nil && next.Model.Unit == "santhang-phunu" {
				t.Errorf("got state on %+v, want none of another unit", next.Model)
			}
			for _, u := range want.Models {
				if !lan.Organises(u) {
					t.Errorf("loaded the register of %s, which lan does not report for", u)
				}
			}
			if text := allText(replies); strings.Contains(text, "Thoát nghèo") {
				t.Errorf("replies name another unit's model: %q", text)
			}
		})
	}
}

// TestRegisterOwnModel: the same presses for the person's own unit register and recognise.
func TestRegisterOwnModel(t *testing.T) {
	w := registerWorld(t)
	lan := w.people["lan"]
	own := &ModelDraft{Unit: "tanphong-phunu", Name: "Nông thôn mới", Field: "kinhte", Start: "2026-02", Level: "-"}
	_, _, effects, _ := stepAs(w, lan, State{Version: 3, Screen: ModelCard, Model: own}, Input{Kind: ButtonInput, Data: "3|msave|"})
	if len(effects) != 1 {
		t.Fatalf("save: got %v, want one SaveModel", effects)
	}
	m := effects[0].(SaveModel).Model
	if m.Unit != "tanphong-phunu" || m.ID != "2" || m.Version != 1 || m.Level != "" || m.Start.Format("2006-01") != "2026-02" {
		t.Errorf("save: got %+v, want model 2 of tanphong-phunu, version 1, not recognised, from 2026-02", m)
	}
	st := State{Version: 3, Screen: AskModelLevel, Model: &ModelDraft{Unit: "tanphong-phunu", ID: "1", Ver: 1}}
	if _, _, effects, _ := stepAs(w, lan, st, Input{Kind: ButtonInput, Data: "3|ml|tinh"}); len(effects) != 0 {
		t.Errorf("recognise a model recognised already: got %v, want none", effects)
	}
}

func TestParseMonth(t *testing.T) {
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, testLoc)
	tests := []struct {
		in   string
		want string // "" for refused
	}{
		{"03/2026", "2026-03"}, {"3/2026", "2026-03"}, {"3-2026", "2026-03"}, {"2026-01", "2026-01"},
		{"15/02/2026", "2026-02"}, {"tháng 2/2026", "2026-02"}, {"Tháng 2 năm 2026", "2026-02"}, {"T6/2025", "2025-06"},
		{"04/2026", ""}, {"13/2026", ""}, {"0/2026", ""}, {"3/1999", ""}, {"2026", ""}, {"", ""}, {"ba/2026", ""},
		{"32/01/2026", ""}, {"1/2/3/2026", ""}, {"99999999999999/2026", ""},
	}
	for _, tt := range tests {
		got, ok := ParseMonth(tt.in, now)
		if s := got.Format("2006-01"); ok != (tt.want != "") || (ok && s != tt.want) {
			t.Errorf("ParseMonth(%q): got %s %v, want %q", tt.in, s, ok, tt.want)
		}
	}
}

// FuzzParseMonth: whatever is typed, a month accepted is the first of a month, not after now,
// not before 2000, in now's zone.
func FuzzParseMonth(f *testing.F) {
	for _, s := range []string{"03/2026", "tháng 3 năm 2026", "15/02/2026", "2026-01", "1/1/1/1", "9999999999/9", "t/t", "３/２０２６"} {
		f.Add(s)
	}
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, testLoc)
	f.Fuzz(func(t *testing.T, s string) {
		m, ok := ParseMonth(s, now)
		if !ok {
			return
		}
		if m.Day() != 1 || m.Hour() != 0 || m.After(now) || m.Year() < 2000 || m.Location() != testLoc {
			t.Errorf("ParseMonth(%q) = %v", s, m)
		}
	})
}

// TestCountModels: what the register counts for a period, and when it stands in for the form.
func TestCountModels(t *testing.T) {
	cal := testCalendar()
	q1, _ := cal.Period("2026-Q1")
	h1, _ := cal.Period("2026-H1")
	month := func(s string) time.Time {
		m, _ := time.ParseInLocation("2006-01", s, testLoc)
		return m
	}
	ms := []Model{
		{ID: "1", Start: month("2025-06"), Level: "xa", RecognisedAt: q1.Due.AddDate(0, 0, -40)},
		{ID: "2", Start: month("2026-03"), Level: "tinh", RecognisedAt: q1.Closes.AddDate(0, 0, 1)}, // recognised after Q1 closed
		{ID: "3", Start: month("2026-04")}, // started after Q1
	}
	tests := []struct {
		p    Period
		want ModelCount
	}{{q1, ModelCount{Built: 2, Recognised: 1}}, {h1, ModelCount{Built: 3, Recognised: 2}}}
	for _, tt := range tests {
		if got := CountModels(ms, tt.p); got != tt.want {
			t.Errorf("%s: got %+v, want %+v", tt.p.ID, got, tt.want)
		}
	}
	f := Form{ID: "activities", Questions: []Question{
		{ID: "models", Register: RegisterModels}, {ID: "exemplars", Register: RegisterExemplars}, {ID: "meetings"},
	}}
	typed := map[string]int64{"models": 5, "exemplars": 0, "meetings": 3}
	got := WithRegister(f, typed, CountModels(ms, q1))
	if got["models"] != 2 || got["exemplars"] != 1 || got["meetings"] != 3 || typed["models"] != 5 {
		t.Errorf("WithRegister: got %v (typed now %v), want models 2, exemplars 1, meetings 3, typed untouched", got, typed)
	}
	if got := WithRegister(f, typed, CountModels(ms[2:], q1)); got["models"] != 5 {
		t.Errorf("a unit not using the register in Q1: got %v, want the typed figures", got)
	}
}

// TestTextQuestionRules: what only a text question, or only a number question, may have.
func TestTextQuestionRules(t *testing.T) {
	tests := []struct {
		name string
		q    Question
		ok   bool
	}{
		{"text", Question{Type: TextQuestion, Optional: true, MaxLen: 500}, true},
		{"text with le", Question{Type: TextQuestion, LE: "a"}, false},
		{"text with register", Question{Type: TextQuestion, Register: RegisterModels}, false},
		{"number with max_len", Question{MaxLen: 10}, false},
		{"number optional", Question{Type: NumberQuestion, Optional: true}, false},
		{"unknown type", Question{Type: "photo"}, false},
		{"unknown register", Question{Register: "units"}, false},
		{"number on the register", Question{Register: RegisterExemplars}, true},
	}
	for _, tt := range tests {
		q := tt.q
		q.ID, q.Label = "q", Text{Vi: "Q"}
		f := Form{ID: "f", Title: Text{Vi: "F"}, Questions: []Question{{ID: "a", Label: Text{Vi: "A"}}, q}}
		if err := f.Validate(); (err == nil) != tt.ok {
			t.Errorf("%s: got %v, want ok %v", tt.name, err, tt.ok)
		}
	}
	f := Form{ID: "f", Title: Text{Vi: "F"}, Questions: []Question{{ID: "t", Type: TextQuestion, Label: Text{Vi: "T"}}, {ID: "n", LE: "t", Label: Text{Vi: "N"}}}}
	if err := f.Validate(); err == nil {
		t.Error("le naming a text question: got nil, want an error")
	}
}
