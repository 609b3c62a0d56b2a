package flows

import "fmt"

// ChannelUsage is what one channel counted of the messages the bot sent in a month, against
// the quota of the platform's plan (0 when unknown), for an admin's /calendar. The caller
// counts; flows only words it.
type ChannelUsage struct {
	Channel string // as people read it: "Zalo"
	// Bot is the identity prefix of the bot that counted ("zalo", "zalo.lc"): the caller shows
	// an admin the deployment's bots and their own tenant's.
	Bot         string
	Year, Month int
	Sent        int64
	Quota       int64
}

// quotaWarnShare is the share of the quota from which /calendar warns.
const quotaWarnShare = 0.8

func init() {
	addTexts(map[string]Text{
		"use_sent":  {Vi: "📨 Tin nhắn %s đã gửi tháng %s: %s", En: "📨 %s messages sent in %s: %s"},
		"use_quota": {Vi: "📨 Tin nhắn %s đã gửi tháng %s: %s / %s theo hạn mức gói (%s)", En: "📨 %s messages sent in %s: %s of the plan's %s (%s)"},
		"use_warn":  {Vi: "⚠️ Đã dùng %s hạn mức tin nhắn %s của tháng. Vui lòng kiểm tra gói dịch vụ của bot trước khi hết hạn mức.", En: "⚠️ %s of this month's %s message quota is used. Please check the bot's plan before it runs out."},
	})
}

// usageLines words what each channel sent this month: the count, against the quota when one is
// configured, and a warning past 80% of it.
func (t *turn) usageLines() []string {
	var lines []string
	for _, u := range t.env.Usage {
		month := fmt.Sprintf("%d/%d", u.Month, u.Year)
		if u.Quota <= 0 {
			lines = append(lines, T(t.lang, "use_sent", u.Channel, month, FormatNumber(u.Sent)))
			continue
		}
		share := FormatPercent(float64(u.Sent) / float64(u.Quota))
		lines = append(lines, T(t.lang, "use_quota", u.Channel, month, FormatNumber(u.Sent), FormatNumber(u.Quota), share))
		if float64(u.Sent) >= quotaWarnShare*float64(u.Quota) {
			lines = append(lines, T(t.lang, "use_warn", share, u.Channel))
		}
	}
	return lines
}
