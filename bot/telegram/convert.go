package telegram

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"danvan/bot"
	"danvan/flows"
)

// job is one update reduced to what handling and replying need.
type job struct {
	updateID   int
	in         bot.Incoming
	chatID     int64
	messageID  int    // the message a pressed button sits under
	callbackID string // set for a button press, which must always be answered
	// inline, in webhook mode, takes the callback's answer to the webhook's HTTP response,
	// which saves a Bot API call on every press.
	inline *inline
}

// key is the queue a job belongs to: its chat, or itself when it has none.
func (j job) key() string {
	if j.in.Chat != "" {
		return j.in.Chat
	}
	return "tg-update:" + strconv.Itoa(j.updateID)
}

// convert turns an update into a job. It reports false for what the bot ignores: edited
// messages, channel posts, service messages, commands addressed to another bot.
func (t *Transport) convert(u tgbotapi.Update) (job, bool) {
	j := job{updateID: u.UpdateID}
	j.in.UpdateID = bot.Ident(t.prefix, strconv.Itoa(u.UpdateID))
	switch {
	case u.CallbackQuery != nil:
		return t.convertCallback(j, u.CallbackQuery), true
	case u.Message != nil:
		return t.convertMessage(j, u.Message)
	}
	return j, false
}

// convertCallback fills j from a button press. A press with no message (inline mode, which the
// bot does not use) keeps an empty Chat: it is answered and otherwise ignored.
func (t *Transport) convertCallback(j job, q *tgbotapi.CallbackQuery) job {
	j.callbackID = q.ID
	if q.Message == nil || q.Message.Chat == nil || q.From == nil || !q.Message.Chat.IsPrivate() {
		return j
	}
	j.chatID, j.messageID = q.Message.Chat.ID, q.Message.MessageID
	j.in.Chat = t.ident(q.Message.Chat.ID)
	j.in.User = t.ident(q.From.ID)
	j.in.Name = displayName(q.From)
	j.in.Input = flows.Input{Kind: flows.ButtonInput, Data: q.Data}
	return j
}

// convertMessage fills j from a new message.
func (t *Transport) convertMessage(j job, m *tgbotapi.Message) (job, bool) {
	// Reports are personal: in a group one member could answer another's form, so the bot
	// talks in private chats only.
	if m.Chat == nil || m.From == nil || m.From.IsBot || !m.Chat.IsPrivate() {
		return j, false
	}
	j.chatID = m.Chat.ID
	j.in.Chat = t.ident(m.Chat.ID)
	j.in.User = t.ident(m.From.ID)
	j.in.Name = displayName(m.From)
	switch {
	case strings.HasPrefix(m.Text, "/") && len(strings.Fields(m.Text)[0]) > 1:
		in, mine := t.command(m.Text)
		j.in.Input = in
		return j, mine
	case m.Text != "":
		j.in.Input = flows.Input{Kind: flows.TextInput, Text: m.Text}
	case m.Document != nil:
		name := m.Document.FileName
		if name == "" {
			name = "document"
		}
		j.in.Input = flows.Input{Kind: flows.MediaInput, Text: m.Caption, File: name}
		j.in.Upload = t.upload(j.in.Chat, name, m.Document)
	case isMedia(m):
		j.in.Input = flows.Input{Kind: flows.MediaInput, Text: m.Caption}
	default:
		return j, false // joins, pins, title changes…
	}
	return j, true
}

// command parses "/Report@bot args"; it reports false when the command names another bot.
func (t *Transport) command(text string) (flows.Input, bool) {
	head, args := text, ""
	if i := strings.IndexFunc(text, unicode.IsSpace); i >= 0 {
		head, args = text[:i], text[i:]
	}
	cmd, target, addressed := strings.Cut(head[1:], "@")
	if addressed && t.name != "" && !strings.EqualFold(target, t.name) {
		return flows.Input{}, false
	}
	return flows.Input{
		Kind:    flows.CommandInput,
		Command: strings.ToLower(cmd),
		Args:    strings.TrimSpace(args),
	}, true
}

// isMedia tells whether m carries something other than text that a person sent.
func isMedia(m *tgbotapi.Message) bool {
	return len(m.Photo) > 0 || m.Sticker != nil || m.Voice != nil || m.Document != nil ||
		m.Video != nil || m.VideoNote != nil || m.Audio != nil || m.Animation != nil ||
		m.Location != nil || m.Venue != nil || m.Contact != nil || m.Poll != nil ||
		m.Dice != nil || m.Game != nil
}

// displayName is the display name: first and last name, else the username.
func displayName(u *tgbotapi.User) string {
	if name := strings.TrimSpace(u.FirstName + " " + u.LastName); name != "" {
		return name
	}
	return u.UserName
}

// parseIdent reads the chat id out of "<prefix>:<id>", an identity of this bot.
func (t *Transport) parseIdent(chat string) (int64, error) {
	rest, ok := strings.CutPrefix(chat, t.prefix+":")
	if !ok {
		return 0, errors.New("not a Telegram chat")
	}
	id, err := strconv.ParseInt(rest, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("bad Telegram chat id: %w", err)
	}
	return id, nil
}
