package reminders_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata"

	"danvan/flows"
	"danvan/reminders"
	"danvan/storage"
)

var loc = mustLoc("Asia/Ho_Chi_Minh")

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		panic(err)
	}
	return t
}

// testCalendar puts Q1's due day in Tết (20/02/2026, Tết off 14–22/02) to test holidays; the
// other periods are the defaults.
func testCalendar() flows.Calendar {
	return flows.Calendar{Loc: loc, Specs: []flows.PeriodSpec{
		{Kind: flows.Q1, Name: flows.Text{Vi: "Quý I", En: "Q1"}, Due: flows.MonthDay{Month: 2, Day: 20}, OpenDays: 45, CloseDays: 90},
		{Kind: flows.H1, Name: flows.Text{Vi: "6 tháng", En: "H1"}, Due: flows.MonthDay{Month: 6, Day: 15}, OpenDays: 45, CloseDays: 90},
		{Kind: flows.Q3, Name: flows.Text{Vi: "9 tháng", En: "Q3"}, Due: flows.MonthDay{Month: 9, Day: 15}, OpenDays: 45, CloseDays: 90},
		{Kind: flows.Year, Name: flows.Text{Vi: "Năm", En: "Year"}, Due: flows.MonthDay{Month: 11, Day: 15}, OpenDays: 45, CloseDays: 90},
	}}
}

func testRules() reminders.Rules {
	r := reminders.DefaultRules()
	for d := at("2026-02-14 00:00"); !d.After(at("2026-02-22 00:00")); d = d.AddDate(0, 0, 1) {
		r.Holidays = append(r.Holidays, d.Format(time.DateOnly))
	}
	return r
}

func mustDir(tb testing.TB) *flows.Directory {
	tb.Helper()
	d, err := flows.NewDirectory(
		[]flows.Org{{ID: "phunu", Short: flows.Text{Vi: "Hội LHPN"}, Name: flows.Text{Vi: "Hội LHPN"}}, {ID: "doan", Short: flows.Text{Vi: "Đoàn TN"}, Name: flows.Text{Vi: "Đoàn TN"}}},
		[]flows.Node{
			{ID: "laichau", Name: flows.Text{Vi: "Thành phố Lai Châu"}},
			{ID: "tanphong", Parent: "laichau", Name: flows.Text{Vi: "Phường Tân Phong"}},
			{ID: "santhang", Parent: "laichau", Name: flows.Text{Vi: "Xã San Thàng"}},
			{ID: "tp-phunu", Parent: "tanphong", Org: "phunu", Name: flows.Text{Vi: "Hội LHPN Tân Phong"}},
			{ID: "tp-doan", Parent: "tanphong", Org: "doan", Name: flows.Text{Vi: "Đoàn Tân Phong"}},
			{ID: "st-phunu", Parent: "santhang", Org: "phunu", Name: flows.Text{Vi: "Hội LHPN San Thàng"}},
		})
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

var testForms = []flows.Form{{ID: "m", Title: flows.Text{Vi: "Hội viên", En: "Membership"}, Questions: []flows.Question{
	{ID: "a", Label: flows.Text{Vi: "A"}}, {ID: "b", Label: flows.Text{Vi: "B"}}, {ID: "c", Label: flows.Text{Vi: "C"}},
}}}

// fakeStore is an in-memory stand-in for the store's progress, people and leaders.
type fakeStore struct {
	mu      sync.Mutex
	rev     int64                        // moved by giveBack and add, as the store's returns and links move it
	subs    map[string]*flows.Submission // "<period>|<unit>"
	drafts  map[string]*flows.Draft      // "<period>|<unit>|<person>"
	people  map[string]flows.Person
	leaders []string
}

func newFakeStore() *fakeStore {
	f := &fakeStore{subs: map[string]*flows.Submission{}, drafts: map[string]*flows.Draft{}, people: map[string]flows.Person{}}
	f.add(flows.Person{ID: "an", Name: "An", Units: []string{"tp-phunu", "tp-doan"}})
	f.add(flows.Person{ID: "binh", Name: "Bình", Units: []string{"st-phunu"}})
	f.add(flows.Person{ID: "chi", Name: "Chi", Units: []string{"st-phunu"}, Unreachable: true})
	f.add(flows.Person{ID: "lan", Name: "Lan", Scopes: []string{"tanphong"}})
	f.add(flows.Person{ID: "minh", Name: "Minh", Scopes: []string{"laichau@phunu"}})
	f.leaders = []string{"lan", "minh"}
	return f
}

func (f *fakeStore) add(p flows.Person) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.people[p.ID] = p
	f.rev++
}

// submit files unit's report for period at t; returned marks it sent back.
func (f *fakeStore) submit(period, unit string, t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	first := t
	if old := f.subs[period+"|"+unit]; old != nil {
		first = old.First()
	}
	f.subs[period+"|"+unit] = &flows.Submission{Key: flows.Key{Unit: unit, Period: period, Form: "m"}, At: t, FirstAt: first, Version: 1}
}

func (f *fakeStore) giveBack(period, unit string, t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := *f.subs[period+"|"+unit]
	s.Returned = &flows.Return{By: "lan", At: t}
	f.subs[period+"|"+unit] = &s
	f.rev++
}

// Status implements reminders.Survey from the submissions, late after testCalendar's due time.
func (f *fakeStore) Status(_ context.Context, period string, units, forms []string) (map[string]flows.UnitStatus, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p, _ := testCalendar().Period(period)
	out := map[string]flows.UnitStatus{}
	for _, u := range units {
		var st flows.UnitStatus
		for i, form := range forms {
			if s := f.subs[period+"|"+u]; s != nil && form == "m" && s.Returned == nil {
				st.Done |= 1 << i
				if s.Late(p.Due) {
					st.Late |= 1 << i
				}
			}
		}
		out[u] = st
	}
	return out, nil
}

// Organisers implements reminders.Survey.
func (f *fakeStore) Organisers(_ context.Context, units []string) (map[string][]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string][]string{}
	for _, u := range units {
		for _, id := range sortedIDs(f.people) {
			if slices.Contains(f.people[id].Units, u) {
				out[u] = append(out[u], id)
			}
		}
	}
	return out, nil
}

// Revision implements reminders.Survey.
func (f *fakeStore) Revision(context.Context) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.rev, nil
}

func (f *fakeStore) Progress(_ context.Context, period string, units, _ []string) (map[string]flows.UnitProgress, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]flows.UnitProgress{}
	for _, u := range units {
		up := flows.UnitProgress{Unit: u, Subs: map[string]*flows.Submission{}, Drafts: map[string]map[string]*flows.Draft{}}
		if s := f.subs[period+"|"+u]; s != nil {
			up.Subs["m"] = s
		}
		for _, id := range sortedIDs(f.people) {
			if slices.Contains(f.people[id].Units, u) {
				up.Organisers = append(up.Organisers, id)
				if d := f.drafts[period+"|"+u+"|"+id]; d != nil {
					up.Drafts["m"] = map[string]*flows.Draft{id: d}
				}
			}
		}
		out[u] = up
	}
	return out, nil
}

func (f *fakeStore) People(_ context.Context, ids []string) (map[string]flows.Person, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]flows.Person{}
	for _, id := range ids {
		if p, ok := f.people[id]; ok {
			out[id] = p
		}
	}
	return out, nil
}

func (f *fakeStore) Leaders(context.Context) ([]string, error) { return f.leaders, nil }

func sortedIDs(m map[string]flows.Person) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// recorder is a Sender that writes down, per person, one line per message: the moment on the
// test's clock and what the message is about, read from its buttons and first line.
type recorder struct {
	mu    sync.Mutex
	clock func() time.Time
	got   map[string][]string
	texts map[string][]string
	fail  func(p flows.Person) error
}

func newRecorder(clock func() time.Time) *recorder {
	return &recorder{clock: clock, got: map[string][]string{}, texts: map[string][]string{}}
}

func (r *recorder) Send(_ context.Context, p flows.Person, m flows.Reply) error {
	if r.fail != nil {
		if err := r.fail(p); err != nil {
			return err
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got[p.ID] = append(r.got[p.ID], r.clock().Format("01-02 15:04")+" "+summary(m))
	r.texts[p.ID] = append(r.texts[p.ID], m.Text)
	return nil
}

// summary reads a message as "<kind> <period> <units>": kind from the first line's mark.
func summary(m flows.Reply) string {
	kind := map[string]string{"⏰": "remind", "⚠": "late", "📋": "digest"}
	k := "?"
	for mark, name := range kind {
		if strings.HasPrefix(m.Text, mark) {
			k = name
		}
	}
	var period string
	var units []string
	for _, row := range m.Buttons {
		for _, b := range row {
			parts := strings.Split(b.Data, "|")
			period = parts[2]
			if len(parts) > 3 {
				units = append(units, parts[3])
			}
		}
	}
	if k == "digest" {
		head, _, _ := strings.Cut(m.Text, "\n")
		return fmt.Sprintf("digest %s", head[strings.LastIndex(head, ":")+2:])
	}
	return fmt.Sprintf("%s %s %s", k, period, strings.Join(units, ","))
}

// mustScheduler builds a scheduler on fake progress and real Redis claims.
func mustScheduler(tb testing.TB, fs *fakeStore, rs *storage.Store, send reminders.Sender, holder string, clock func() time.Time) *reminders.Scheduler {
	tb.Helper()
	return mustSchedulerRules(tb, fs, rs, send, holder, clock, testRules())
}

// mustSchedulerRules is mustScheduler with rules of the test's own.
func mustSchedulerRules(tb testing.TB, fs *fakeStore, rs *storage.Store, send reminders.Sender, holder string,
	clock func() time.Time, rules reminders.Rules) *reminders.Scheduler {
	tb.Helper()
	return reminders.New(reminders.Config{
		Store: fs, Survey: fs, Steps: rs, Claims: rs, Snoozes: rs, Nudges: rs, Sender: send,
		Calendar: testCalendar(), Dir: mustDir(tb), Forms: testForms, Rules: rules,
		Lease: 5 * time.Minute, Holder: holder, Workers: 4, Now: clock,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
}

func slogDiscard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
