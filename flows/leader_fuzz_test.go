package flows

import (
	"testing"
	"time"
)

// FuzzParsePeriod: whatever a leader types after /figures, the parser answers without panicking,
// and a period it accepts is one the calendar knows by its id.
func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"", "Q1", "quý 1", "Quý I", "q1/2025", "6 tháng", "9 tháng", "năm 2025", "2024", "kỳ q1 2026", "2026-Y", "năm -1", "q9", "99999999999", "Quý I năm 2026", "6 tháng đầu năm 2026", "9 tháng năm 2026", "Năm 2026", "First half of 2026"} {
		f.Add(s)
	}
	cal := testCalendar()
	now := time.Date(2026, 3, 20, 9, 0, 0, 0, cal.Loc)
	f.Fuzz(func(t *testing.T, s string) {
		p, ok := cal.ParsePeriod(s, now)
		if !ok {
			return
		}
		if q, known := cal.Period(p.ID); !known || q.ID != p.ID {
			t.Errorf("ParsePeriod(%q) = %s, which the calendar does not know", s, p.ID)
		}
	})
}

// FuzzUnboundData: button data is whatever a client sends. For every role, a made-up press never
// panics, and one that changes something comes only from a role allowed to: a stranger changes
// nothing, only leaders and admins return reports or nudge, and nobody gets a draft of a unit
// they do not report for ("➡️ Tiếp", "Báo cáo ngay").
func FuzzUnboundData(f *testing.F) {
	for _, s := range []string{"fig|2026-Q1 laichau - -", "unit|2026-Q1 tanphong-phunu", "ret|2026-Q1 tanphong-phunu membership 1",
		"nudge|2026-Q1 tanphong-phunu", "nudgeall|2026-Q1 laichau -", "reo|2026-Q1 tanphong-phunu membership", "miss|2026-Q1 1 laichau -",
		"chart|2026-Q1 laichau - 1.5", "xlsx|2026-Q1 - -", "rg|2026-Q1|tanphong-phunu", "rs|2026-Q1", "ra|2026-Q1", "rn|2026-Q1", "|||", "fig|",
		"mha|santhang-phunu", "mhr|tanphong-phunu 1", "mhl|field laichau -", "mhl|org - -",
		"nx|2026-Q1|tanphong-phunu|activities", "nx|2026-Q1|santhang-phunu|membership", "rr|2026-Q1|tanphong-phunu|membership"} {
		f.Add(s)
	}
	w := leaderWorld(f)
	f.Fuzz(func(t *testing.T, data string) {
		for name, p := range roles {
			_, _, effects, _ := stepAs(w, p, State{Version: 3}, Input{Kind: ButtonInput, Data: Unbound + "|" + data})
			for _, e := range effects {
				if m, ok := e.(SaveModel); ok && !p.Organises(m.Model.Unit) {
					t.Errorf("%s pressing %q: got %v, want no model of a unit not theirs", name, data, m.Model)
				}
				if d, ok := e.(SaveDraft); ok && !p.Organises(d.Draft.Key.Unit) {
					t.Errorf("%s pressing %q: got a draft of %s, want none of a unit not theirs", name, data, d.Draft.Key)
				}
				switch e.(type) {
				case ReturnSubmission, Remind:
					if name == "organiser" || name == "stranger" || name == "empty" {
						t.Errorf("%s pressing %q: got effect %T, want none", name, data, e)
					}
				}
			}
			if name == "stranger" && len(effects) > 0 {
				t.Errorf("stranger pressing %q: got effects %v, want none", data, effects)
			}
		}
	})
}
