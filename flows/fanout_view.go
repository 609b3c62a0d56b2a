package flows

import (
	"strconv"
	"strings"
	"time"
)

func init() {
	addTexts(map[string]Text{
		"plan_fanout":  {Vi: "  📨 %s tin nhắn (%s), gửi xong sau khoảng %s (%s tin/giây mỗi kênh)", En: "  📨 %s messages (%s), all sent in about %s (%s a second per channel)"},
		"remind_plan":  {Vi: "📨 %s tin nhắn (%s), gửi xong sau khoảng %s (%s tin/giây mỗi kênh).", En: "📨 %s messages (%s), all sent in about %s (%s a second per channel)."},
		"dur_hm":       {Vi: "%d giờ %d phút", En: "%d h %d min"},
		"dur_m":        {Vi: "%d phút", En: "%d min"},
		"dur_s":        {Vi: "%d giây", En: "%d s"},
		"channel_none": {Vi: "chưa có kênh", En: "no channel"},
	})
}

// fanoutText says what a fan-out takes: "1.234 tin nhắn (Telegram 1.000 · Zalo 234), gửi xong
// sau khoảng 50 giây (25 tin/giây mỗi kênh)", in the text of key; "" for none.
func (t *turn) fanoutText(key string, f Fanout) string {
	if f.People == 0 || len(f.Channels) == 0 {
		return ""
	}
	var parts []string
	var total int
	for _, c := range f.Channels {
		parts = append(parts, t.channelLabel(c.Channel)+" "+FormatNumberIn(int64(c.Messages), t.lang))
		total += c.Messages
	}
	rate := strconv.FormatFloat(f.Channels[0].PerSecond, 'f', -1, 64)
	return t.T(key, FormatNumberIn(int64(total), t.lang), strings.Join(parts, " · "), t.duration(f.Takes()), rate)
}

// channelLabel names a channel by its id ("tg": Telegram), as the host's channels call it.
func (t *turn) channelLabel(id string) string {
	for _, c := range t.env.Channels {
		if c.ID == id {
			return c.Label
		}
	}
	if id == "" {
		return t.T("channel_none")
	}
	return id
}

// duration writes d as people read a wait: "2 giờ 13 phút", "13 phút", "40 giây".
func (t *turn) duration(d time.Duration) string {
	switch {
	case d >= time.Hour:
		m := int(d.Round(time.Minute) / time.Minute)
		return t.T("dur_hm", m/60, m%60)
	case d >= time.Minute:
		return t.T("dur_m", int(d.Round(time.Minute)/time.Minute))
	}
	return t.T("dur_s", max(1, int(d.Round(time.Second)/time.Second)))
}

// plannedFanout finds the fan-out of the coming step r belongs to.
func plannedFanout(plan *Plan, r PlannedReminder) (PlannedFanout, bool) {
	for _, f := range plan.Fanouts {
		if f.At.Equal(r.At) && f.Period == r.Period && f.Step == r.Step {
			return f, true
		}
	}
	return PlannedFanout{}, false
}

// remindFanout is what a /remind of period would send now, from the plan when it was loaded.
func (t *turn) remindFanout(period string) string {
	if t.env.Plan == nil {
		return ""
	}
	for _, pp := range t.env.Plan.Periods {
		if pp.Period == period {
			return t.fanoutText("remind_plan", pp.Remind)
		}
	}
	return ""
}
