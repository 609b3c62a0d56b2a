package flows

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

func init() {
	addTexts(map[string]Text{
		"rm_head":       {Vi: "⏰ Nhắc báo cáo kỳ %s — hạn %s. Đơn vị của bạn chưa báo cáo:", En: "⏰ Reminder: %s report due %s. Your units still to report:"},
		"rm_late":       {Vi: "⚠️ Báo cáo kỳ %s đã quá hạn (%s). Đơn vị của bạn chưa báo cáo:", En: "⚠️ The %s report is overdue (due %s). Your units still to report:"},
		"rm_missing":    {Vi: "chưa gửi %s", En: "%s not sent"},
		"rm_returned":   {Vi: "%s bị trả lại, cần gửi lại", En: "%s returned, please resubmit"},
		"rm_draft":      {Vi: "Bạn còn bản nháp %d/%d — Tiếp tục", En: "You have a draft %d/%d — Continue"},
		"rm_btn_report": {Vi: "Báo cáo ngay · %s", En: "Report now · %s"},
		"rm_btn_resume": {Vi: "▶️ Tiếp tục · %s", En: "▶️ Continue · %s"},
		"rm_btn_snooze": {Vi: "Nhắc lại ngày mai", En: "Remind me tomorrow"},
		"rm_btn_all":    {Vi: "📣 Nhắc tất cả", En: "📣 Remind them all"},
		"rm_snoozed":    {Vi: "Đã hoãn: bot sẽ nhắc lại kỳ %s vào ngày mai (mỗi kỳ chỉ hoãn được một lần).", En: "Snoozed: the bot will remind you of %s tomorrow (once per period)."},
		"rm_not_leader": {Vi: "Chỉ lãnh đạo hoặc cán bộ quản trị mới gửi nhắc nhở được.", En: "Only leaders and admins can send reminders."},
		"rm_not_org":    {Vi: "Bạn không phụ trách đơn vị nào nên không có nhắc nhở để hoãn.", En: "You report for no unit, so there is no reminder to snooze."},
		"dg_head":       {Vi: "📋 Tổng hợp kỳ %s (hạn %s): %d/%d đơn vị đã báo cáo.", En: "📋 %s summary (due %s): %d/%d units reported."},
		"dg_missing":    {Vi: "Chưa báo cáo (%d):", En: "Not reported (%d):"},
		"dg_late":       {Vi: "Báo cáo muộn (%d):", En: "Reported late (%d):"},
		"dg_unreach":    {Vi: "Không liên lạc được với cán bộ (%d):", En: "Organisers who cannot be reached (%d):"},
		"dg_by_place":   {Vi: "Theo địa bàn: %d/%d nơi còn đơn vị chưa báo cáo, thiếu nhiều nhất:", En: "By place: %d/%d places with units yet to report, furthest behind:"},
		"dg_by_org":     {Vi: "Theo tổ chức: %d/%d tổ chức còn đơn vị chưa báo cáo:", En: "By organisation: %d/%d with units yet to report:"},
		"dg_group":      {Vi: "• %s: %d/%d đã báo cáo", En: "• %s: %d/%d reported"},
		"dg_group_late": {Vi: ", %d muộn", En: ", %d late"},
		"dg_more":       {Vi: "• … và %d nữa", En: "• … and %d more"},
		"dg_file":       {Vi: "📎 Danh sách đầy đủ từng đơn vị trong tệp đính kèm.", En: "📎 Every unit is in the attached file."},
		"rm_admin_only": {Vi: "Chỉ cán bộ quản trị mới dùng được lệnh này.", En: "Only admins can use this command."},
		"cal_head":      {Vi: "📅 Lịch báo cáo năm %d (giờ Việt Nam)", En: "📅 Reporting calendar %d (Vietnam time)"},
		"cal_period":    {Vi: "• %s: hạn %s, nhận báo cáo %s – %s", En: "• %s: due %s, open %s – %s"},
		"cal_steps":     {Vi: "  Nhắc cán bộ: %s", En: "  Organisers reminded: %s"},
		"cal_digest":    {Vi: "  Tổng hợp cho lãnh đạo: %s", En: "  Leaders' summary: %s"},
		"plan_head":     {Vi: "🔎 Nhắc nhở sắp tới (xem trước, chưa gửi):", En: "🔎 Coming reminders (preview, nothing sent):"},
		"plan_none":     {Vi: "Không có nhắc nhở nào sắp tới: hiện không có kỳ báo cáo nào đang mở.", En: "No reminders coming: no reporting period is open."},
		"plan_all_in":   {Vi: "✅ Kỳ %s: mọi đơn vị đã báo cáo, không cần nhắc.", En: "✅ %s: every unit has reported; nothing to remind."},
		"plan_ran_out":  {Vi: "⚠️ Kỳ %s đang mở, còn %d/%d đơn vị chưa báo cáo, nhưng các đợt nhắc tự động của kỳ này đã gửi hết (đợt cuối lúc %s). Gõ /remind %s để nhắc ngay.", En: "⚠️ %s is open and %d/%d units have not reported, but all of its automatic reminders have gone (the last at %s). Type /remind %s to remind them now."},
		"plan_no_steps": {Vi: "⚠️ Kỳ %s đang mở, còn %d/%d đơn vị chưa báo cáo, nhưng lịch nhắc không có đợt nào cho kỳ này. Gõ /remind %s để nhắc ngay.", En: "⚠️ %s is open and %d/%d units have not reported, but the reminder ladder has no step for it. Type /remind %s to remind them now."},
		"plan_nobody":   {Vi: "⚠️ Kỳ %s: còn %d/%d đơn vị chưa báo cáo nhưng chưa có cán bộ phụ trách nào để nhắc. Mời cán bộ bằng /invite.", En: "⚠️ %s: %d/%d units have not reported but have no organiser to remind. Invite them with /invite."},
		"plan_missing":  {Vi: "Không xem được kế hoạch nhắc nhở lúc này. Vui lòng thử lại sau.", En: "The reminder plan cannot be read right now. Please try again later."},
		"plan_group":    {Vi: "%s · %s · %s — %s người:", En: "%s · %s · %s — %s people:"},
		"plan_more":     {Vi: "  … và %s người khác", En: "  … and %s more"},
		"remind_usage":  {Vi: "Dùng: /remind <kỳ>, ví dụ /remind %s. Các kỳ đang mở: %s", En: "Use: /remind <period>, e.g. /remind %s. Open periods: %s"},
		"remind_ask":    {Vi: "Gửi nhắc nhở ngay kỳ %s đến cán bộ của mọi đơn vị chưa báo cáo?", En: "Send %s reminders now to the organisers of every unit that has not reported?"},
		"remind_go":     {Vi: "✅ Gửi ngay", En: "✅ Send now"},
		"remind_sent":   {Vi: "Đang gửi nhắc nhở kỳ %s. Ai đã báo cáo sẽ không bị nhắc.", En: "Sending %s reminders. Those who reported are not reminded."},
		"remind_no":     {Vi: "Đã hủy, không gửi nhắc nhở nào.", En: "Cancelled, no reminder sent."},
	})
}

// wantsPlan reports whether in is an admin command that shows the reminder plan: /reminders,
// /calendar, and /remind and its confirmation, which say what the fan-out will take.
func wantsPlan(env *Env, in Input) bool {
	if !IsAdmin(env.Person) {
		return false
	}
	switch in.Kind {
	case CommandInput:
		return in.Command == "reminders" || in.Command == "calendar" || in.Command == "remind" && in.Args != ""
	case ButtonInput:
		return strings.HasPrefix(in.Data, Unbound+"|rn|")
	}
	return false
}

// remindCommand handles /calendar, /reminders and /remind; false for any other command.
func (t *turn) remindCommand(cmd, args string) bool {
	switch cmd {
	case "calendar", "reminders", "remind":
	default:
		return false
	}
	if !IsAdmin(t.env.Person) {
		t.say(t.T("rm_admin_only"))
		return true
	}
	switch cmd {
	case "calendar":
		t.calendar()
	case "reminders":
		t.planView()
	default:
		t.remindAsk(args)
	}
	return true
}

// hm writes a moment as people read it: "08/03 07:30".
func hm(at time.Time, loc *time.Location) string {
	if loc != nil {
		at = at.In(loc)
	}
	return at.Format("02/01 15:04")
}

// calendar shows the year's periods, due dates and, from the plan, when each step goes.
func (t *turn) calendar() {
	cal := t.env.Calendar
	year := t.now.In(cal.Loc).Year()
	lines := []string{t.T("cal_head", year)}
	for _, s := range cal.Specs {
		p := cal.Make(s, year)
		lines = append(lines, t.T("cal_period", p.Label(t.lang), p.Due.Format("02/01/2006"),
			p.Opens.In(cal.Loc).Format("02/01"), p.Closes.In(cal.Loc).Format("02/01/2006")))
		var steps, digests, reports []string
		if t.env.Plan != nil {
			for _, st := range t.env.Plan.Ladder {
				if st.Period != p.ID {
					continue
				}
				item := hm(st.At, cal.Loc) + " (" + StepName(st.Days, false, t.lang) + ")"
				switch {
				case st.Report:
					reports = append(reports, hm(st.At, cal.Loc))
				case st.Digest:
					digests = append(digests, item)
				default:
					steps = append(steps, item)
				}
			}
		}
		if len(steps) > 0 {
			lines = append(lines, t.T("cal_steps", strings.Join(steps, " · ")))
		}
		if len(digests) > 0 {
			lines = append(lines, t.T("cal_digest", strings.Join(digests, " · ")))
		}
		if len(reports) > 0 {
			lines = append(lines, t.T("cal_report", strings.Join(reports, " · ")))
		}
	}
	lines = append(lines, t.usageLines()...)
	t.say(strings.Join(lines, "\n"))
}

// planView previews the coming reminders, grouped by moment, period and step, then says of each
// open period the preview has nothing for why: everyone reported, its ladder has run out (so
// /remind is the way), or nobody can be reminded.
func (t *turn) planView() {
	plan := t.env.Plan
	if plan == nil {
		t.say(t.T("plan_missing"))
		return
	}
	var lines []string
	if len(plan.Next) > 0 {
		lines = append(t.planNext(plan), "")
	}
	for _, pp := range plan.Periods {
		if l := t.planPeriodLine(pp, plan.Next); l != "" {
			lines = append(lines, l)
		}
	}
	if len(plan.Periods) == 0 && len(plan.Next) == 0 {
		lines = append(lines, t.T("plan_none"))
	}
	t.say(cut(strings.TrimSpace(strings.Join(lines, "\n"))))
}

// planPeriodLine explains an open period the coming reminders do not cover; "" when they do.
func (t *turn) planPeriodLine(pp PlanPeriod, next []PlannedReminder) string {
	label := t.periodLabel(pp.Period)
	coming := slices.ContainsFunc(next, func(r PlannedReminder) bool { return r.Period == pp.Period && !r.Digest })
	switch {
	case pp.Missing == 0:
		return t.T("plan_all_in", label)
	case !pp.Ahead && !pp.Last.IsZero():
		return t.T("plan_ran_out", label, pp.Missing, pp.Units, hm(pp.Last, t.env.Calendar.Loc), pp.Period)
	case !pp.Ahead:
		return t.T("plan_no_steps", label, pp.Missing, pp.Units, pp.Period)
	case !coming:
		return t.T("plan_nobody", label, pp.Missing, pp.Units)
	}
	return ""
}

// planNext lists the coming reminders, a group per moment, period and step, ten people each,
// with how many the step reaches in all and what its fan-out takes when the plan says.
func (t *turn) planNext(plan *Plan) []string {
	next := plan.Next
	lines := []string{t.T("plan_head")}
	for i := 0; i < len(next); {
		j := i
		for j < len(next) && next[j].At.Equal(next[i].At) && next[j].Period == next[i].Period && next[j].Step == next[i].Step {
			j++
		}
		total, fan := j-i, ""
		if f, ok := plannedFanout(plan, next[i]); ok {
			total, fan = max(total, f.People), t.fanoutText("plan_fanout", f.Fanout)
		}
		lines = append(lines, t.T("plan_group", hm(next[i].At, t.env.Calendar.Loc), t.periodLabel(next[i].Period),
			StepName(next[i].Days, next[i].Digest, t.lang), FormatNumberIn(int64(total), t.lang)))
		for k := i; k < j && k < i+10; k++ {
			lines = append(lines, "  • "+t.nameOf(next[k].Person)+": "+t.unitLabels(next[k].Units))
		}
		if shown := min(j-i, 10); total > shown {
			lines = append(lines, t.T("plan_more", FormatNumberIn(int64(total-shown), t.lang)))
		}
		if fan != "" {
			lines = append(lines, fan)
		}
		i = j
	}
	return lines
}

func (t *turn) unitLabels(units []string) string {
	out := make([]string, len(units))
	for i, u := range units {
		out[i] = t.env.Dir.Label(u, t.lang)
	}
	return strings.Join(out, "; ")
}

// remindAsk asks an admin to confirm /remind <period>.
func (t *turn) remindAsk(arg string) {
	if _, ok := t.env.Calendar.Period(arg); !ok {
		var ids []string
		for _, p := range t.open() {
			ids = append(ids, p.ID)
		}
		example := fmt.Sprintf("%d-Q1", t.now.Year())
		if len(ids) > 0 {
			example = ids[0]
		}
		t.say(t.T("remind_usage", example, strings.Join(ids, ", ")))
		return
	}
	text := t.T("remind_ask", t.periodLabel(arg))
	if fan := t.remindFanout(arg); fan != "" {
		text += "\n" + fan
	}
	t.show(Reply{Text: text, Buttons: [][]Button{{
		unboundBtn(t.T("remind_go"), "rn", arg), unboundBtn(t.T("btn_cancel"), "rx", ""),
	}}})
}

// remindAction carries out a press on a reminder's or digest's unbound button; false for an
// action that is not one of them. Each re-checks the person's roles: the data can be forged.
func (t *turn) remindAction(action, arg string) bool {
	parts := strings.Split(arg, "|")
	for len(parts) < 3 {
		parts = append(parts, "")
	}
	period, unit, form := parts[0], parts[1], parts[2]
	switch action {
	case "rg", "rr":
		t.openFromButton(period, unit, form)
	case "rs":
		t.snooze(period)
	case "ra":
		t.remindAll(arg)
	case "rn":
		t.remindNow(period)
	case "rx":
		t.say(t.T("remind_no"))
	default:
		return false
	}
	return true
}

// snooze puts off the person's reminders of period until tomorrow; the scheduler sends them at
// tomorrow's first allowed moment.
func (t *turn) snooze(period string) {
	p, ok := t.env.Calendar.Period(period)
	switch {
	case len(t.env.Person.Units) == 0:
		t.say(t.T("rm_not_org"))
		return
	case !ok:
		t.say(t.T("stale"))
		return
	}
	now := t.now.In(t.env.Calendar.Loc)
	y, m, d := now.Date()
	until := time.Date(y, m, d+1, 0, 0, 0, 0, now.Location())
	t.effect(Snooze{Person: t.env.Person.ID, Period: p.ID, Until: until})
	t.say(t.T("rm_snoozed", p.Label(t.lang)))
}

// remindAll is the digest's "📣 Nhắc tất cả": a nudge of every unit the leader leads that still
// owes a report, under the rules of /missing's "Nhắc tất cả".
func (t *turn) remindAll(arg string) {
	r, ok := remindAllReq(t.env, arg)
	switch {
	case !ok || organiserOnly(t.env.Person):
		t.say(t.T("rm_not_leader"))
	case !t.isOpen(r.per.ID):
		t.say(t.T("period_closed", r.per.Label(t.lang)))
	default:
		t.nudge(r)
	}
}

// remindNow is an admin's confirmed /remind: every unit of the period a bootstrap admin
// administers (all of them), or a tenant's admin (those within their admin scopes).
func (t *turn) remindNow(period string) {
	if _, ok := t.env.Calendar.Period(period); !ok || !IsAdmin(t.env.Person) {
		t.say(t.T("rm_admin_only"))
		return
	}
	if !t.isOpen(period) {
		t.say(t.T("period_closed", t.periodLabel(period)))
		return
	}
	e := Remind{Period: period, All: true, By: t.env.Person.ID}
	if !t.env.Person.Admin {
		e.Within = AdminHomes(t.env.Person, t.env.Dir)
		if len(e.Within) == 0 {
			t.say(t.T("rm_admin_only")) // every admin scope is gone from the directory
			return
		}
	}
	t.effect(e)
	text := t.T("remind_sent", t.periodLabel(period))
	if fan := t.remindFanout(period); fan != "" {
		text += "\n" + fan
	}
	t.say(text)
}
