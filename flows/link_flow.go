package flows

import (
	"slices"
	"strings"
	"time"
)

// LinkRole is the role of an invite that links another platform's account to the person who
// asked for it (/lienket): its Nodes hold that person's ID, and redeeming it grants nothing else.
const LinkRole Role = "link"

// linkTTL is how long a link code lives: it is typed a minute later on the other phone app.
const linkTTL = 30 * time.Minute

func init() {
	addTexts(map[string]Text{
		"link_made": {
			Vi: "Mã liên kết: %s\nMở bot trên ứng dụng kia (%s) và gửi: /lienket %s\nMã dùng một lần, hết hạn lúc %s. Hai tài khoản sẽ dùng chung báo cáo và bản nháp.",
			En: "Link code: %s\nOpen the bot in the other app (%s) and send: /lienket %s\nOne use only, expires %s. Both accounts will share reports and drafts.",
		},
		"link_ok":      {Vi: "Đã liên kết tài khoản này với %s.", En: "This account is now linked to %s."},
		"link_same":    {Vi: "Tài khoản này đã được liên kết rồi.", En: "This account is already linked."},
		"chan_set":     {Vi: "Nhắc nhở và thông báo sẽ được gửi qua %s.", En: "Reminders and notices will come on %s."},
		"chan_usage":   {Vi: "Dùng: %s", En: "Use: %s"},
		"chan_missing": {Vi: "Bạn chưa liên kết tài khoản %s. Gõ /lienket để lấy mã liên kết.", En: "You have not linked a %s account. Type /lienket for a link code."},
		"help_link": {
			Vi: "/lienket — liên kết tài khoản %s\n/kenh %s — nơi nhận nhắc nhở",
			En: "/lienket — link your %s accounts\n/kenh %s — where reminders arrive",
		},
	})
}

// startLink makes a one-time code that links an account on another platform to this person.
// It is an invite of LinkRole, redeemed by the dispatcher like any other ("/lienket CODE" or
// "/start CODE" there).
func (t *turn) startLink() {
	inv := Invite{
		Code: t.env.Code, Role: LinkRole, Nodes: []string{t.env.Person.ID}, By: t.env.Person.ID,
		Created: t.now, Expires: t.now.Add(linkTTL),
	}
	t.effect(CreateInvite{Invite: inv})
	loc := t.env.Calendar.Loc
	if loc == nil {
		loc = t.now.Location()
	}
	chans := t.env.Channels
	t.say(t.T("link_made", inv.Code, channelLabels(chans, t.lang, "list_or"), inv.Code, inv.Expires.In(loc).Format("15:04 02/01/2006")))
	t.say(helpLink(chans, t.lang))
	t.prompt()
}

// helpLink is the help on linking accounts and choosing a channel: "/lienket — liên kết tài khoản
// Telegram và Zalo", "/kenh telegram|zalo — ...".
func helpLink(chans []Channel, lang Lang) string {
	names := channelTexts(chans, func(c Channel) string { return c.Name })
	return T(lang, "help_link", channelLabels(chans, lang, "list_and"), strings.Join(names, "|"))
}

// setChannel stores the platform the person wants the bot's own messages on.
func (t *turn) setChannel(arg string) {
	ch, ok := channelNamed(t.env.Channels, arg)
	if !ok {
		usage := channelTexts(t.env.Channels, func(c Channel) string { return "/kenh " + c.Name })
		t.say(t.T("chan_usage", joinList(t.lang, "list_or", usage)))
		return
	}
	p := t.env.Person
	if !slices.ContainsFunc(append([]string{p.ID}, p.Idents...), func(id string) bool { return IdentChannel(id) == ch.ID }) {
		t.say(t.T("chan_missing", ch.Label))
		return
	}
	p.Channel = ch.ID
	t.effect(SavePerson{Person: p})
	t.say(t.T("chan_set", ch.Label))
	t.prompt()
}
