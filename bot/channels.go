package bot

import "danvan/flows"

// The platforms of this package's transports, as flows knows them: the prefix of their
// identities, what /kenh takes and how texts name them. main hands the ones it runs to the
// dispatcher in Settings.Channels.
var (
	TelegramChannel = flows.Channel{ID: "tg", Name: "telegram", Label: "Telegram"}
	ZaloChannel     = flows.Channel{ID: "zalo", Name: "zalo", Label: "Zalo"}
)

// channels are the platforms flows offers (Env.Channels): Settings.Channels, or, for a
// dispatcher built without them (the tests' own), the transports of this package.
func (s Settings) channels() []flows.Channel {
	if len(s.Channels) > 0 {
		return s.Channels
	}
	return []flows.Channel{TelegramChannel, ZaloChannel}
}
