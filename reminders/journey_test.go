package reminders_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"danvan/flows"
	"danvan/internal/redistest"
	"danvan/internal/testkit"
)

// replies is a Sender that keeps every message, by person.
type replies struct {
	mu  sync.Mutex
	got map[string][]flows.Reply
}

func (r *replies) Send(_ context.Context, p flows.Person, m flows.Reply) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got[p.ID] = append(r.got[p.ID], m)
	return nil
}

// TestReminderButtonsLandInTheJourney: the buttons of a reminder as the scheduler builds them,
// pressed in flows: "Báo cáo ngay" opens the unit's first question, no form to choose, and
// "▶️ Tiếp tục" the draft at the question it stopped at.
func TestReminderButtonsLandInTheJourney(t *testing.T) {
	fs := newFakeStore()
	key := flows.Key{Unit: "tp-doan", Period: "2026-H1", Form: "m"}
	fs.drafts["2026-H1|tp-doan|an"] = &flows.Draft{Key: key, Person: "an", Answers: map[string]int64{"a": 5}, Version: 1}
	now := at("2026-06-16 10:00")
	sent := &replies{got: map[string][]flows.Reply{}}
	s := mustScheduler(t, fs, testkit.StoreAt(t, redistest.Addr(), redistest.Prefix(t, "journey")), sent, "a", func() time.Time { return now })
	if err := s.Remind(context.Background(), flows.Remind{Period: "2026-H1", All: true, By: "mai"}); err != nil {
		t.Fatal(err)
	}
	if len(sent.got["an"]) != 1 {
		t.Fatalf("an: got %d messages, want one reminder", len(sent.got["an"]))
	}
	an := fs.people["an"]
	env := &flows.Env{Person: an, Dir: mustDir(t), Forms: testForms, Calendar: testCalendar(), Reports: map[flows.Key]flows.ReportInfo{}}
	for _, q := range flows.ReportQueries(an, env.Dir, env.Forms, env.Calendar, now) {
		env.Reports[q.Key] = flows.ReportInfo{}
	}
	env.Reports[key] = flows.ReportInfo{Draft: fs.drafts["2026-H1|tp-doan|an"]}
	want := map[string]struct {
		unit string
		step int
	}{"rg": {"tp-phunu", 0}, "rr": {"tp-doan", 1}}
	pressed := 0
	for _, row := range sent.got["an"][0].Buttons {
		for _, b := range row {
			parts := strings.Split(b.Data, "|")
			w, ok := want[parts[1]]
			if !ok {
				continue
			}
			pressed++
			st, _, _ := flows.Step(env, flows.State{Version: 4}, flows.Input{Kind: flows.ButtonInput, Data: b.Data}, now)
			if st.Screen != flows.Asking || st.Key.Unit != w.unit || st.Key.Form != "m" || st.Step != w.step {
				t.Errorf("%q: got %s on %v at question %d, want asking %s at question %d", b.Label, st.Screen, st.Key, st.Step+1, w.unit, w.step+1)
			}
		}
	}
	if pressed != 2 {
		t.Errorf("buttons pressed: got %d, want a Báo cáo ngay and a Tiếp tục", pressed)
	}
}
