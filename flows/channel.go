package flows

import "strings"

// Channel is a platform people reach the bot on. The engine names none itself: the host hands
// in the ones it runs (Env.Channels), and /kenh, /lienket and the help read them from there.
type Channel struct {
	// ID is the prefix of the platform's identities ("tg" in "tg:12345"), as Person.Channel
	// holds it.
	ID string
	// Name is what people type after /kenh: "telegram".
	Name string
	// Label is how texts name the platform: "Telegram".
	Label string
	// Uploads is set when the bot receives the files people send on the platform (Telegram
	// does; Zalo's Bot Platform does not), such as a directory sheet.
	Uploads bool
}

// IdentChannel returns the Channel.ID of the platform an identity is on: "tg" for "tg:12345",
// and for "tg.lc:12345" too, an identity with a tenant's own bot on that platform (its prefix is
// the channel's, a dot and the bot's).
func IdentChannel(ident string) string {
	prefix, _, _ := strings.Cut(ident, ":")
	ch, _, _ := strings.Cut(prefix, ".")
	return ch
}

// channelNamed returns the channel of chans that people call name: its Name or its ID, in any
// case.
func channelNamed(chans []Channel, name string) (Channel, bool) {
	name = strings.ToLower(strings.TrimSpace(name))
	for _, c := range chans {
		if name != "" && (name == strings.ToLower(c.Name) || name == strings.ToLower(c.ID)) {
			return c, true
		}
	}
	return Channel{}, false
}

func init() {
	addTexts(map[string]Text{
		"list_or":  {Vi: " hoặc ", En: " or "},
		"list_and": {Vi: " và ", En: " and "},
	})
}

// joinList joins items as a sentence does: "a", "a hoặc b", "a, b hoặc c" with the word of
// key ("list_or", "list_and").
func joinList(lang Lang, key string, items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	last := len(items) - 1
	return strings.Join(items[:last], ", ") + T(lang, key) + items[last]
}

// channelTexts lists, for each of chans, what f makes of it.
func channelTexts(chans []Channel, f func(Channel) string) []string {
	out := make([]string, len(chans))
	for i, c := range chans {
		out[i] = f(c)
	}
	return out
}

// channelLabels is "Telegram và Zalo" (key "list_and") or "Telegram hoặc Zalo" ("list_or").
func channelLabels(chans []Channel, lang Lang, key string) string {
	return joinList(lang, key, channelTexts(chans, func(c Channel) string { return c.Label }))
}
