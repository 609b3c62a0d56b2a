package flows

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
)

// plan reads "@plan next <when> <period> <step> <person> <unit,unit>" (a coming reminder),
// "@plan step <period> <step> <when> [digest]" (a ladder step) and "@plan period ..." (an open
// period, see planPeriod) into the plan /reminders and /calendar show, as the reminders package
// would load it.
func (w *world) plan(f []string) error {
	if w.env.Plan == nil {
		w.env.Plan = &Plan{}
	}
	switch {
	case len(f) == 6 && f[0] == "next":
		at, err := time.ParseInLocation("2006-01-02T15:04", f[1], testLoc)
		days, digest := stepDays(f[3])
		w.env.Plan.Next = append(w.env.Plan.Next, PlannedReminder{At: at, Period: f[2], Step: f[3], Days: days, Digest: digest,
			Person: f[4], Units: strings.Split(f[5], ",")})
		return err
	case len(f) >= 4 && f[0] == "step":
		at, err := time.ParseInLocation("2006-01-02T15:04", f[3], testLoc)
		days, _ := stepDays(f[2])
		report := len(f) == 5 && f[4] == "report" // the push of the chart and report draft
		w.env.Plan.Ladder = append(w.env.Plan.Ladder, PlannedStep{Period: f[1], Step: f[2], Days: days, At: at,
			Digest: len(f) == 5 && !report, Report: report})
		return err
	case len(f) >= 4 && f[0] == "period":
		return w.planPeriod(f[1:])
	case len(f) >= 6 && f[0] == "fanout":
		return w.planFanout(f[1:])
	case len(f) >= 3 && f[0] == "remind":
		if n := len(w.env.Plan.Periods); n > 0 {
			w.env.Plan.Periods[n-1].Remind = fanoutOf(f[2:])
		}
		return nil
	case len(f) == 1 && f[0] == "empty": // a plan with nothing in it, replacing what came before
		w.env.Plan = &Plan{}
		return nil
	}
	return fmt.Errorf("want @plan next|step|period|empty ...")
}

// planFanout reads "<when> <period> <step> <people> <channel>=<messages>…": the size of a coming
// step's fan-out, at 25 messages a second per channel.
func (w *world) planFanout(f []string) error {
	at, err := time.ParseInLocation("2006-01-02T15:04", f[0], testLoc)
	days, digest := stepDays(f[2])
	w.env.Plan.Fanouts = append(w.env.Plan.Fanouts, PlannedFanout{At: at, Period: f[1], Step: f[2], Days: days, Digest: digest, Fanout: fanoutOf(f[4:])})
	return err
}

// fanoutOf reads "<channel>=<messages>…" at 25 messages a second per channel.
func fanoutOf(f []string) Fanout {
	var out Fanout
	for _, c := range f {
		id, n, _ := strings.Cut(c, "=")
		m, _ := strconv.Atoi(n)
		out.Channels = append(out.Channels, ChannelLoad{Channel: id, Messages: m, PerSecond: 25})
		out.People += m
	}
	return out
}

// planPeriod reads "<period> <missing> <units> [ahead] [last=<when>]": where an open period's
// reminders stand.
func (w *world) planPeriod(f []string) error {
	pp := PlanPeriod{Period: f[0]}
	var err error
	if pp.Missing, err = strconv.Atoi(f[1]); err != nil {
		return err
	}
	if pp.Units, err = strconv.Atoi(f[2]); err != nil {
		return err
	}
	for _, a := range f[3:] {
		if a == "ahead" {
			pp.Ahead = true
		} else if at, ok := strings.CutPrefix(a, "last="); ok {
			if pp.Last, err = time.ParseInLocation("2006-01-02T15:04", at, testLoc); err != nil {
				return err
			}
		}
	}
	w.env.Plan.Periods = append(w.env.Plan.Periods, pp)
	return nil
}

// stepDays reads a default ladder step id ("-7d", "due", "digest+1d") as the reminders package
// configures it: its day relative to the due day and whether it is a digest.
func stepDays(id string) (int, bool) {
	digest := strings.HasPrefix(id, "digest")
	n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(id, "digest"), "d"))
	return n, digest
}

func TestRemindButtons(t *testing.T) {
	now := time.Date(2026, 3, 16, 8, 0, 0, 0, testLoc)
	org := Person{ID: "an", Units: []string{"tanphong-phunu"}}
	leader := Person{ID: "lan", Scopes: []string{"laichau@phunu"}}
	tests := []struct {
		name    string
		p       Person
		data    string
		screen  Screen
		text    string
		effects string
	}{
		// "Báo cáo ngay" lands on the first form owed, at its first question left: the draft's.
		{"report now", org, "*|rg|2026-Q1|tanphong-phunu", Asking, "(3/4) Kết nạp mới", "[]"},
		{"next form after a report", org, "*|nx|2026-Q1|tanphong-phunu|activities", Asking, "(1/4) Số buổi sinh hoạt", "[]"},
		{"next, forged unit", org, "*|nx|2026-Q1|santhang-phunu|activities", Idle, "không còn phụ trách", "[]"},
		{"next, closed period", org, "*|nx|2025-Q1|tanphong-phunu|activities", Idle, "đã đóng", "[]"},
		{"forged unit", org, "*|rg|2026-Q1|santhang-phunu", Idle, "không còn phụ trách", "[]"},
		{"closed period", org, "*|rg|2025-Q1|tanphong-phunu", Idle, "đã đóng", "[]"},
		{"resume", org, "*|rr|2026-Q1|tanphong-phunu|membership", Asking, "(3/4) Kết nạp mới", "[]"},
		{"snooze", org, "*|rs|2026-Q1", Idle, "nhắc lại kỳ Quý I năm 2026 vào ngày mai",
			"[{Person:an Period:2026-Q1 Until:2026-03-17 00:00:00 +0700 +07}]"},
		{"snooze by a leader", leader, "*|rs|2026-Q1", Idle, "không phụ trách đơn vị nào", "[]"},
		{"remind all", leader, "*|ra|2026-Q1", Idle, "2 đơn vị",
			"[{Period:2026-Q1 Units:[tanphong-phunu santhang-phunu] All:false Within:[] By:lan Nudge:true}]"},
		{"remind all forged", org, "*|ra|2026-Q1", Idle, "Chỉ lãnh đạo", "[]"},
		{"remind all, closed period", leader, "*|ra|2025-Q1", Idle, "đã đóng", "[]"},
		{"remind all, scope gone", Person{ID: "x", Scopes: []string{"nowhere"}}, "*|ra|2026-Q1", Idle, "ngoài phạm vi", "[]"},
		{"remind now, closed period", Person{ID: "mai", Admin: true}, "*|rn|2025-Q1", Idle, "đã đóng", "[]"},
		{"remind now by organiser", org, "*|rn|2026-Q1", Idle, "Chỉ cán bộ quản trị", "[]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := Env{Person: tt.p, Dir: mustDirectory(t), Forms: testForms(), Calendar: testCalendar(),
				Progress: map[string]UnitProgress{ // what Wants has the caller load for "ra"
					"tanphong-phunu": {Unit: "tanphong-phunu", Organisers: []string{"an"}},
					"santhang-phunu": {Unit: "santhang-phunu", Organisers: []string{"binh"}},
				}}
			k := Key{Unit: "tanphong-phunu", Period: "2026-Q1", Form: "membership"}
			env.Reports = map[Key]ReportInfo{k: {Draft: &Draft{Key: k, Person: "an", Version: 2,
				Answers: map[string]int64{"eligible": 100, "members": 90}}}}
			st, replies, effects := Step(&env, State{}, Input{Kind: ButtonInput, Data: tt.data}, now)
			if st.Screen != tt.screen {
				t.Errorf("screen: got %v, want %v", st.Screen, tt.screen)
			}
			var texts []string
			for _, r := range replies {
				texts = append(texts, r.Text)
			}
			if all := strings.Join(texts, "\n"); !strings.Contains(all, tt.text) {
				t.Errorf("replies: got %q, want %q in them", all, tt.text)
			}
			if got := fmt.Sprintf("%+v", effects); got != tt.effects {
				t.Errorf("effects: got %s, want %s", got, tt.effects)
			}
		})
	}
}

func TestWantsPlan(t *testing.T) {
	admin, org := &Env{Person: Person{ID: "a", Admin: true}}, &Env{Person: Person{ID: "o", Units: []string{"u"}}}
	tests := []struct {
		env  *Env
		cmd  string
		want bool
	}{{admin, "reminders", true}, {admin, "calendar", true}, {admin, "remind", false}, {admin, "remind 2026-Q1", true}, {org, "reminders", false}}
	for _, tt := range tests {
		cmd, args, _ := strings.Cut(tt.cmd, " ")
		if got := Wants(tt.env, State{}, Input{Kind: CommandInput, Command: cmd, Args: args}, time.Time{}).Plan; got != tt.want {
			t.Errorf("Wants(%s, /%s).Plan: got %v, want %v", tt.env.Person.ID, tt.cmd, got, tt.want)
		}
	}
}
