package reminders

import (
	"strings"
	"time"

	"danvan/flows"
)

// Button data of the messages the scheduler sends: unbound buttons ("*|action|arg") that
// flows/remind_flow.go handles, re-checking the person's roles on every press.
const (
	ActReport = "rg" // arg "<period>|<unit>": start the report
	ActResume = "rr" // arg "<period>|<unit>|<form>": resume the draft
	ActSnooze = "rs" // arg "<period>": remind me tomorrow
	ActAll    = "ra" // arg "<period>": remind every organiser in the leader's scope
)

func unbound(label, action string, args ...string) flows.Button {
	return flows.Button{Label: label, Data: flows.Unbound + "|" + action + "|" + strings.Join(args, "|")}
}

func lang(p flows.Person) flows.Lang {
	if p.Lang != "" {
		return p.Lang
	}
	return flows.VI
}

// reminder is the one message an organiser gets for a period: every unit still missing, what
// is missing of each, a resume button for a draft and a start button otherwise.
func (s *Scheduler) reminder(pr flows.Person, p flows.Period, now time.Time, units []string, prog map[string]flows.UnitProgress) flows.Reply {
	l := lang(pr)
	due := p.Due.Format("02/01/2006")
	head := flows.T(l, "rm_head", p.Label(l), due)
	if now.After(p.Due) {
		head = flows.T(l, "rm_late", p.Label(l), due)
	}
	lines := []string{head}
	var rows [][]flows.Button
	for _, u := range units {
		label := s.cfg.Dir.Label(u, l)
		up := prog[u]
		lines = append(lines, "• "+label+": "+s.unitState(l, p, up))
		if f, d := s.draftOf(pr.ID, up); d != nil {
			n, total := s.answered(f, p, d)
			lines = append(lines, "  "+flows.T(l, "rm_draft", n, total))
			rows = append(rows, []flows.Button{unbound(flows.T(l, "rm_btn_resume", label), ActResume, p.ID, u, f.ID)})
			continue
		}
		rows = append(rows, []flows.Button{unbound(flows.T(l, "rm_btn_report", label), ActReport, p.ID, u)})
	}
	rows = append(rows, []flows.Button{unbound(flows.T(l, "rm_btn_snooze"), ActSnooze, p.ID)})
	return flows.Reply{Text: strings.Join(lines, "\n"), Buttons: rows}
}

// unitState lists the forms a unit still owes: not sent, or returned for correction.
func (s *Scheduler) unitState(l flows.Lang, p flows.Period, up flows.UnitProgress) string {
	var parts []string
	for _, f := range s.cfg.Forms {
		switch sub := up.Subs[f.ID]; {
		case sub != nil && sub.Returned != nil:
			parts = append(parts, flows.T(l, "rm_returned", f.Title.In(l)))
		case sub == nil:
			parts = append(parts, flows.T(l, "rm_missing", f.Title.In(l)))
		}
	}
	return strings.Join(parts, "; ")
}

// draftOf returns the person's first draft with answers in a form the unit still owes.
func (s *Scheduler) draftOf(person string, up flows.UnitProgress) (flows.Form, *flows.Draft) {
	for _, f := range s.cfg.Forms {
		if up.Done(f.ID) {
			continue
		}
		if d := up.Drafts[f.ID][person]; d.Started() {
			return f, d
		}
	}
	return flows.Form{}, nil
}

// answered counts the draft's answers among the questions the period asks, and those.
func (s *Scheduler) answered(f flows.Form, p flows.Period, d *flows.Draft) (int, int) {
	qs := f.For(p.Kind)
	n := 0
	for _, q := range qs {
		if d.Has(q) {
			n++
		}
	}
	return n, len(qs)
}
