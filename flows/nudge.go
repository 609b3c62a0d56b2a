package flows

import (
	"slices"
	"strings"
	"time"
)

func init() {
	addTexts(map[string]Text{
		"nudge_sent":     {Vi: "🔔 Đang gửi nhắc nhở tới cán bộ phụ trách của %d đơn vị.", En: "🔔 Nudging the organisers of %d unit(s)."},
		"nudge_already":  {Vi: "Đã được nhắc hôm nay nên chưa nhắc lại (mỗi đơn vị một lần mỗi ngày; nhắc lại được từ ngày %s):", En: "Already nudged today, so not again (once a day per unit; next from %s):"},
		"nudge_at":       {Vi: "• %s: đã nhắc lúc %s (%s)", En: "• %s: nudged at %s (%s)"},
		"nudge_notice":   {Vi: "Đang nhắc", En: "Nudging"},
		"nudge_notice_0": {Vi: "Đã nhắc hôm nay", En: "Already nudged today"},
		"miss_nudged":    {Vi: "🔔 đã nhắc lúc %s", En: "🔔 nudged at %s"},
	})
}

// nudgedToday returns the nudge unit had today (the calendar's day), if it had one.
func (t *turn) nudgedToday(unit string) (Nudge, bool) {
	n := t.env.Progress[unit].Nudged
	if n == nil {
		return Nudge{}, false
	}
	return *n, sameDay(n.At, t.now, t.loc())
}

func sameDay(a, b time.Time, loc *time.Location) bool {
	ay, am, ad := a.In(loc).Date()
	by, bm, bd := b.In(loc).Date()
	return ay == by && am == bm && ad == bd
}

// mayNudge is the one rule for a nudge of unit in per, whether a button offers it or a press
// carries it out: the person leads the unit, the period is open, the unit still owes a form, it
// has an organiser to remind, and nobody nudged it today.
func (t *turn) mayNudge(per Period, unit string) bool {
	_, today := t.nudgedToday(unit)
	return CanLead(t.env.Person, t.env.Dir, View{Node: unit}) && t.isOpen(per.ID) && t.missingForms(unit) > 0 &&
		len(t.env.Progress[unit].Organisers) > 0 && !today
}

// nudge asks the reminders to nudge, now, the organisers of one unit (r.unit) or of every unit
// of the view still missing something (nudgeall). It says which of them it reminds and, for a
// unit already nudged today, when that was, by whom and when the next nudge is possible; it
// never claims a send it does not ask for.
func (t *turn) nudge(r leaderReq) {
	var units []string
	if r.kind == "nudge" {
		units = []string{r.unit}
	} else {
		for _, n := range missingUnits(t.env, r) {
			units = append(units, n.ID)
		}
	}
	units = slices.DeleteFunc(units, func(u string) bool {
		return !CanLead(t.env.Person, t.env.Dir, View{Node: u})
	})
	switch {
	case len(units) == 0:
		t.refuse()
		return
	case !t.isOpen(r.per.ID):
		t.say(t.T("nudge_closed", r.per.Label(t.lang)))
		return
	}
	if units = slices.DeleteFunc(units, func(u string) bool { return t.missingForms(u) == 0 }); len(units) == 0 {
		t.say(t.T("nudge_done"))
		return
	}
	if units = slices.DeleteFunc(units, func(u string) bool { return len(t.env.Progress[u].Organisers) == 0 }); len(units) == 0 {
		t.say(t.T("nudge_nobody"))
		return
	}
	var fresh, already []string
	for _, u := range units {
		if t.mayNudge(r.per, u) {
			fresh = append(fresh, u)
		} else {
			already = append(already, u)
		}
	}
	t.nudgeReply(r.per, fresh, already)
}

// nudgeReply asks for the nudge of fresh and says so, and says when each of already was nudged.
func (t *turn) nudgeReply(per Period, fresh, already []string) {
	var lines []string
	notice := t.T("nudge_notice_0")
	if len(fresh) > 0 {
		t.effect(Remind{Period: per.ID, Units: fresh, By: t.env.Person.ID, Nudge: true})
		lines = append(lines, t.T("nudge_sent", len(fresh)))
		notice = t.T("nudge_notice")
	}
	if len(already) > 0 {
		y, m, d := t.now.In(t.loc()).Date()
		next := time.Date(y, m, d+1, 0, 0, 0, 0, t.loc())
		lines = append(lines, t.T("nudge_already", next.Format("02/01/2006")))
		for _, u := range already {
			n, _ := t.nudgedToday(u)
			lines = append(lines, t.T("nudge_at", t.env.Dir.Label(u, t.lang), n.At.In(t.loc()).Format("15:04"), t.nameOf(n.By)))
		}
	}
	t.replies = append(t.replies, Reply{Text: cut(strings.Join(lines, "\n")), Notice: notice})
}

// remindAllReq reads the digest's "📣 Nhắc tất cả" (arg "<period>") as a nudge of every unit the
// person leads that still owes a report; ok is false for an unknown period.
func remindAllReq(env *Env, arg string) (leaderReq, bool) {
	period, _, _ := strings.Cut(arg, "|")
	p, ok := env.Calendar.Period(period)
	return leaderReq{kind: "nudgeall", per: p, all: true}, ok
}
