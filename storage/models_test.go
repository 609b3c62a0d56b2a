package storage

import (
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"danvan/flows"
)

func model(unit, id string, v int, level string) flows.Model {
	m := flows.Model{ID: id, Unit: unit, Name: "Mô hình " + id, Field: "rung", By: "tg:1", Version: v,
		Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), At: day}
	if level != "" {
		m.Level, m.RecognisedAt = level, day
	}
	return m
}

// TestSaveModelVersions: a new id is taken once, a recognition replaces only the version it saw,
// and the register reads back in the order registered.
func TestSaveModelVersions(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	unit := "tan-phong/hlphn" // escaped in its key
	for _, id := range []string{"2", "10", "1"} {
		mustApply(t, s, flows.SaveModel{Model: model(unit, id, 1, "")})
	}
	for _, tt := range []struct {
		name string
		m    flows.Model
	}{
		{"an id taken", model(unit, "1", 1, "")},
		{"a version skipped", model(unit, "2", 3, "xa")},
		{"a version of no model", model(unit, "7", 2, "xa")},
	} {
		if err := s.Apply(ctx, []flows.Effect{flows.SaveModel{Model: tt.m}}); !errors.Is(err, flows.ErrConflict) {
			t.Errorf("%s: got %v, want ErrConflict", tt.name, err)
		}
	}
	mustApply(t, s, flows.SaveModel{Model: model(unit, "2", 2, "tinh")})
	got, err := s.Models(ctx, []string{unit, "nowhere"})
	if err != nil {
		t.Fatal(err)
	}
	want := []flows.Model{model(unit, "1", 1, ""), model(unit, "2", 2, "tinh"), model(unit, "10", 1, "")}
	if !reflect.DeepEqual(got[unit], want) {
		t.Errorf("Models = %+v, want %+v", got[unit], want)
	}
	if _, ok := got["nowhere"]; ok || len(got) != 1 {
		t.Errorf("Models of a unit with none: got %v, want no entry", got)
	}
}

// TestSaveModelRace: two organisers registering at once with the same next id: one wins, the
// other is told to run its step again.
func TestSaveModelRace(t *testing.T) {
	s := mustStore(t)
	other := storeAt(t, s.prefix)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, st := range []*Store{s, other} {
		wg.Go(func() {
			m := model("w1-pn", "1", 1, "")
			m.By = []string{"tg:1", "tg:2"}[i]
			errs[i] = st.Apply(t.Context(), []flows.Effect{flows.SaveModel{Model: m}})
		})
	}
	wg.Wait()
	if (errs[0] == nil) == (errs[1] == nil) || !errors.Is(errors.Join(errs...), flows.ErrConflict) {
		t.Errorf("got %v, want one success and one ErrConflict", errs)
	}
}

// TestModelsKeyInUnitSlot: the register lives under the unit's hash tag, with its reports.
func TestModelsKeyInUnitSlot(t *testing.T) {
	s := mustStore(t)
	tag := func(k string) string { return k[strings.Index(k, "{") : strings.Index(k, "}")+1] }
	if a, b := tag(s.modelsKey("w1-pn")), tag(s.subKey(flows.Key{Unit: "w1-pn", Period: "2026-Q1", Form: "m"})); a != b {
		t.Errorf("models tag %s, submissions tag %s: want one slot", a, b)
	}
}

// TestWrittenAnswersKept: a draft's written answers and the question being written survive a
// save; a submission keeps them, and its history says which a second version changed; a draft
// stored before text questions existed still reads.
func TestWrittenAnswersKept(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	f := flows.Form{ID: "activities", Questions: []flows.Question{{ID: "meetings"},
		{ID: "shortcomings", Type: flows.TextQuestion}, {ID: "proposals", Type: flows.TextQuestion}}}
	k := flows.Key{Unit: "w1-pn", Period: "2026-H1", Form: "activities"}
	d := draft(k, "tg:1", 1, map[string]int64{"meetings": 3})
	d.Texts, d.Typing = map[string]string{"shortcomings": "Kinh phí <b>hạn hẹp</b>.\nThiếu tài liệu."}, "shortcomings"
	mustApply(t, s, flows.SaveDraft{Draft: d})
	if got := loadDraft(t, s, k, "tg:1"); got == nil || !reflect.DeepEqual(got.Texts, d.Texts) || got.Typing != "shortcomings" {
		t.Errorf("draft: got %+v, want texts %v typing shortcomings", got, d.Texts)
	}
	v1 := submission(k, 1, "tg:2", map[string]int64{"meetings": 3})
	v1.Texts = map[string]string{"shortcomings": "Kinh phí hạn hẹp."}
	v2 := submission(k, 2, "tg:2", map[string]int64{"meetings": 3})
	v2.Texts = map[string]string{"shortcomings": "Kinh phí hạn hẹp.", "proposals": "Hỗ trợ tài liệu."}
	mustApply(t, s, flows.Submit{Submission: v1, Form: f}, flows.Submit{Submission: v2, Form: f})
	hist, err := s.History(ctx, k)
	if err != nil || len(hist) != 2 {
		t.Fatalf("History = %+v, %v", hist, err)
	}
	if !reflect.DeepEqual(hist[1].Texts, v2.Texts) || !reflect.DeepEqual(hist[1].Edited, []string{"proposals"}) || len(hist[1].Changes) != 0 {
		t.Errorf("v2 entry: got texts %v edited %v changes %v, want v2's texts, edited [proposals], no changes", hist[1].Texts, hist[1].Edited, hist[1].Changes)
	}
	vs, err := s.Histories(ctx, []flows.Key{k})
	if err != nil || len(vs[k]) != 2 || vs[k][1].Texts["proposals"] != "Hỗ trợ tài liệu." {
		t.Errorf("Histories = %+v, %v; want v2 with its texts", vs[k], err)
	}
	old := flows.Key{Unit: "w1-pn", Period: "2025-Y", Form: "activities"}
	if err := s.rdb.Set(ctx, s.draftKey(old, "tg:1"), `{"key":{"unit":"w1-pn","period":"2025-Y","form":"activities"},"person":"tg:1","answers":{"meetings":2},"version":4}`, time.Hour).Err(); err != nil {
		t.Fatal(err)
	}
	if got := loadDraft(t, s, old, "tg:1"); got == nil || got.Answers["meetings"] != 2 || got.Texts != nil || !got.Started() {
		t.Errorf("a draft from before text questions: got %+v, want its answers and no texts", got)
	}
}
