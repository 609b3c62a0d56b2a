package files

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"danvan/config"
	"danvan/flows"
	"danvan/internal/fixture"
)

// The fixtures of this package's tests: a FigureSource over a few submissions. The readers of
// the files made are internal/filetest's, shared with the transports' end-to-end tests.

// fakeFigures is an in-memory FigureSource: its tallies are summed from its submissions with
// flows.Contribution, as the store keeps them.
type fakeFigures struct {
	dir  *flows.Directory
	inds []flows.Indicator
	cal  flows.Calendar
	subs map[flows.Key]flows.Submission
	ppl  map[string]flows.Person

	mu    sync.Mutex
	calls []string
}

func (f *fakeFigures) record(call string) {
	f.mu.Lock()
	f.calls = append(f.calls, call)
	f.mu.Unlock()
}

func (f *fakeFigures) Tallies(_ context.Context, keys []flows.TallyKey) (map[flows.TallyKey]flows.Tally, error) {
	f.record("Tallies")
	out := map[flows.TallyKey]flows.Tally{}
	for _, k := range keys {
		per, _ := f.cal.Period(k.Period)
		var t flows.Tally
		for key, s := range f.subs {
			n, ok := f.dir.Node(key.Unit)
			if !ok || key.Period != k.Period || key.Form != k.Form || !f.dir.Within(key.Unit, k.Node) ||
				(k.Org != flows.AllOrgs && n.Org != k.Org) {
				continue
			}
			t.Add(flows.Contribution(&s, f.inds, per.Due))
		}
		if t.Reported > 0 || t.Returned > 0 {
			out[k] = t
		}
	}
	return out, nil
}

func (f *fakeFigures) Submissions(_ context.Context, period string, units, forms []string) (map[flows.Key]flows.Submission, error) {
	f.record("Submissions")
	out := map[flows.Key]flows.Submission{}
	for k, s := range f.subs {
		if k.Period == period && slices.Contains(units, k.Unit) && slices.Contains(forms, k.Form) {
			out[k] = s
		}
	}
	return out, nil
}

func (f *fakeFigures) People(_ context.Context, ids []string) (map[string]flows.Person, error) {
	f.record("People")
	out := map[string]flows.Person{}
	for _, id := range ids {
		if p, ok := f.ppl[id]; ok {
			out[id] = p
		}
	}
	return out, nil
}

func (f *fakeFigures) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

// fixtureAt is a time in Vietnam in March 2026; Q1 2026 is due at the end of 15 March.
func fixtureAt(tb testing.TB, day, hour int) time.Time {
	tb.Helper()
	return time.Date(2026, 3, day, hour, 0, 0, 0, config.Default().Location())
}

// mustMaker wires a Maker on the default configuration and a fake with a few reports:
// Tân Phong's Women's Union on time and its Youth Union late, Đoàn Kết's Women's Union with
// zero eligible people, Quyết Thắng's Veterans returned.
func mustMaker(tb testing.TB) (*Maker, *fakeFigures) {
	tb.Helper()
	cfg := fixture.Config(tb)
	dir, err := cfg.Directory()
	if err != nil {
		tb.Fatal(err)
	}
	cal := cfg.FlowsCalendar()
	src := &fakeFigures{dir: dir, inds: cfg.Indicators(), cal: cal, subs: map[flows.Key]flows.Submission{},
		ppl: map[string]flows.Person{"tg:1": {ID: "tg:1", Name: "Lò Thị Mai"}}}
	add := func(unit, form string, at time.Time, v map[string]int64) *flows.Submission {
		k := flows.Key{Unit: unit, Period: "2026-Q1", Form: form}
		src.subs[k] = flows.Submission{Key: k, Values: v, By: "tg:1", At: at, Version: 1, Ref: flows.Reference(k, 1, at)}
		s := src.subs[k]
		return &s
	}
	add("tanphong-phunu", "membership", fixtureAt(tb, 10, 9), map[string]int64{"eligible": 1000, "members": 900, "new_members": 12, "active": 850})
	add("tanphong-doan", "membership", fixtureAt(tb, 20, 9), map[string]int64{"eligible": 500, "members": 400, "new_members": 3, "active": 390})
	add("doanket-phunu", "membership", fixtureAt(tb, 11, 9), map[string]int64{"eligible": 0, "members": 0, "new_members": 0, "active": 0})
	add("tanphong-phunu", "activities", fixtureAt(tb, 10, 9), map[string]int64{"meetings": 4, "participants": 120, "models": 1, "exemplars": 2, "petitions": 10, "resolved": 7})
	ret := add("quyetthang-ccb", "membership", fixtureAt(tb, 12, 9), map[string]int64{"eligible": 300, "members": 290, "new_members": 1, "active": 280})
	ret.Returned = &flows.Return{By: "tg:9", At: fixtureAt(tb, 13, 9), Reason: "Số hội viên chưa khớp"}
	src.subs[ret.Key] = *ret
	return &Maker{Source: src, Dir: dir, Forms: cfg.Forms, Calendar: cal, Indicators: cfg.Indicators(),
		Report: mustReportTemplate(tb)}, src
}

// mustReportTemplate parses the built-in report template.
func mustReportTemplate(tb testing.TB) *ReportTemplate {
	tb.Helper()
	text, err := config.Default().ReportTemplateText()
	if err != nil {
		tb.Fatal(err)
	}
	t, err := ParseReport(text)
	if err != nil {
		tb.Fatalf("ParseReport(built-in): %v", err)
	}
	return t
}

// fakeNarratives is a NarrativeSource over a list; it returns every answer, whatever the units
// asked, so a test can see Maker drop those outside the scope.
type fakeNarratives struct{ list []Narrative }

func (f *fakeNarratives) Narratives(context.Context, string, []string) ([]Narrative, error) {
	return f.list, nil
}

// fakeModels is a ModelSource over a list, returned whole like fakeNarratives.
type fakeModels struct{ list []Model }

func (f *fakeModels) Models(context.Context, string, []string) ([]Model, error) { return f.list, nil }

// mustFile renders attachment a for p, failing the test on error.
func mustFile(tb testing.TB, m *Maker, p flows.Person, a flows.Attachment) flows.File {
	tb.Helper()
	f, err := m.File(context.Background(), p, a, flows.VI)
	if err != nil {
		tb.Fatalf("File(%+v): %v", a, err)
	}
	return f
}
