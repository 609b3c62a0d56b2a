package bot

import (
	"strings"

	"danvan/flows"
)

// tenant returns the tenant whose settings (calendar, office, plans, bot) a chat of p reads: the
// tenant of p's grants (flows.Tenancy.OfPerson), else that of the bot the chat is with, else the
// default one. It reports false when the dispatcher runs without tenants. It grants nothing:
// what p may see is flows' scope rule alone.
func (d *Dispatcher) tenant(p flows.Person, chat string) (flows.Tenant, bool) {
	ten := d.Settings.Tenants
	if ten == nil {
		return flows.Tenant{}, false
	}
	if t, ok := ten.OfPerson(p); ok {
		return t, true
	}
	if t, ok := ten.Get(d.Settings.Bots[BotOf(chat)]); ok {
		return t, true
	}
	return ten.Default(), true
}

// calendar is the calendar a chat of p reports on: its tenant's, or the settings'.
func (d *Dispatcher) calendar(p flows.Person, chat string) flows.Calendar {
	if t, ok := d.tenant(p, chat); ok {
		return t.Calendar
	}
	return d.Settings.Calendar
}

// office is the body a chat of p is told to contact: its tenant's, or the settings'.
func (d *Dispatcher) office(p flows.Person, chat string) flows.Text {
	if t, ok := d.tenant(p, chat); ok {
		return t.Office
	}
	return d.Settings.Office
}

// BotOf returns the bot an identity or chat belongs to, its part before the colon: "tg" for
// "tg:12345" (the deployment's Telegram bot), "tg.lc:12345" for the Telegram bot of tenant lc.
// A Telegram user is the same person to every bot, but a chat with one bot is not a chat with
// another: replies and reminders go through the bot of the identity they are addressed to.
func BotOf(ident string) string {
	bot, _, _ := strings.Cut(ident, ":")
	return bot
}

// ChannelOf returns the platform of an identity or bot, as flows.Channel.ID names it: "tg" for
// "tg:12345" and "tg.lc:12345" alike.
func ChannelOf(ident string) string { return flows.IdentChannel(ident) }

// BotPrefix is the prefix of the identities of tenant's own bot on channel ("tg", "zalo"):
// "tg.lc". A bot shared by every tenant has the channel's prefix alone.
func BotPrefix(channel, tenant string) string {
	if tenant == "" {
		return channel
	}
	return channel + "." + tenant
}
