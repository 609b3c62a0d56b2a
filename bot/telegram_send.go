package bot

import (
	"context"
	"errors"
	"fmt"
	"html"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"danvan/flows"
)

// Send delivers r to chat ("tg:<id>") outside any conversation, e.g. a reminder. A chat that
// blocked the bot gives an error wrapping ErrTelegramBlocked and is marked unreachable. The
// caller logs the error; Send does not.
func (t *Telegram) Send(ctx context.Context, chat string, r flows.Reply) error {
	id, err := tgParseIdent(chat)
	if err != nil {
		return fmt.Errorf("send to %s: %w", chat, err)
	}
	if err := t.sendReply(ctx, chat, id, r, 0); err != nil {
		return fmt.Errorf("send to %s: %w", chat, err)
	}
	return nil
}

// process handles one update and sends its replies. ctx survives shutdown, so an update in hand
// is finished; handleTimeout still bounds it.
func (t *Telegram) process(ctx context.Context, j tgUpdate) {
	ctx, cancel := context.WithTimeout(ctx, t.handleTimeout)
	defer cancel()
	var replies []flows.Reply
	if j.in.Chat != "" {
		replies = t.handle(ctx, j.in)
	}
	if j.callbackID != "" && !j.inline.offer(tgNotice(replies)) {
		// Until answered, the person's client shows a spinner on the button.
		t.answer(ctx, j, tgNotice(replies))
	}
	editID := 0
	if j.callbackID != "" {
		editID = j.messageID
	}
	for _, r := range replies {
		id := 0
		if r.Edit {
			id, editID = editID, 0 // one message to edit: a second edit would overwrite the first
		}
		err := t.sendReply(ctx, j.in.Chat, j.chatID, r, id)
		switch {
		case errors.Is(err, ErrTelegramBlocked):
			t.log.Info("telegram: chat blocked the bot", "chat", j.in.Chat)
			return
		case err != nil:
			t.log.Warn("telegram: reply failed", "chat", j.in.Chat, "update", j.in.UpdateID, "err", err)
			if ctx.Err() != nil {
				return
			}
		}
	}
}

// handle runs the handler; a panic is logged as a failed update rather than ending the process.
func (t *Telegram) handle(ctx context.Context, in Incoming) (replies []flows.Reply) {
	defer func() {
		if p := recover(); p != nil {
			t.log.Error("telegram: handler panicked", "update", in.UpdateID, "chat", in.Chat, "panic", p)
			replies = nil
		}
	}()
	return t.handler.Handle(ctx, in)
}

// answer acknowledges a button press, with text as a toast when not empty.
func (t *Telegram) answer(ctx context.Context, j tgUpdate, text string) {
	cfg := tgbotapi.NewCallback(j.callbackID, tgTruncate(text, 200))
	_, err := t.retry(ctx, j.in.Chat, true, func(api *tgbotapi.BotAPI) (*tgbotapi.APIResponse, error) {
		return api.Request(cfg) // not api.Send: the result is `true`, not a Message
	})
	if err != nil && !errors.Is(err, ErrTelegramBlocked) {
		t.log.Info("telegram: answerCallbackQuery failed", "chat", j.in.Chat, "err", err)
	}
}

// sendReply sends r as one or more messages, or edits message editID when it is not 0 and the
// text fits one message. A failed edit (too old, not modified…) falls back to a new message.
func (t *Telegram) sendReply(ctx context.Context, chat string, chatID int64, r flows.Reply, editID int) error {
	if r.File != nil {
		return t.sendFile(ctx, chat, chatID, r)
	}
	chunks := tgSplit(r.Text, tgMaxMessage)
	if len(chunks) == 0 {
		if len(r.Buttons) > 0 {
			t.log.Warn("telegram: buttons without text dropped", "chat", chat)
		}
		return nil // a Notice-only reply: the toast was the answer
	}
	kb := t.keyboard(chat, r.Buttons)
	if editID != 0 && len(chunks) == 1 {
		err := t.edit(ctx, chat, chatID, editID, chunks[0], kb)
		if err == nil || errors.Is(err, ErrTelegramBlocked) || ctx.Err() != nil {
			return err
		}
		t.log.Info("telegram: edit failed, sending a new message", "chat", chat, "err", err)
	}
	for i, c := range chunks {
		msg := tgbotapi.NewMessage(chatID, html.EscapeString(c))
		msg.ParseMode = tgbotapi.ModeHTML
		if i == len(chunks)-1 && kb != nil {
			msg.ReplyMarkup = *kb // buttons go under the last part, where the person reads on
		}
		_, err := t.retry(ctx, chat, false, func(api *tgbotapi.BotAPI) (*tgbotapi.APIResponse, error) {
			return api.Request(msg)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// tgMaxCaption is the longest caption Telegram takes under a photo or document.
const tgMaxCaption = 1024

// sendFile uploads r.File as a photo or document with r.Text as its caption and the buttons
// under it. A text too long for a caption goes first as messages of its own.
func (t *Telegram) sendFile(ctx context.Context, chat string, chatID int64, r flows.Reply) error {
	caption := r.Text
	if tgLen(caption) > tgMaxCaption {
		if err := t.sendReply(ctx, chat, chatID, flows.Reply{Text: caption}, 0); err != nil {
			return err
		}
		caption = ""
	}
	file := tgbotapi.FileBytes{Name: r.File.Name, Bytes: r.File.Data}
	var cfg tgbotapi.Chattable
	if r.File.Kind == flows.Photo {
		c := tgbotapi.NewPhoto(chatID, file)
		c.Caption, c.ParseMode = html.EscapeString(caption), tgbotapi.ModeHTML
		if kb := t.keyboard(chat, r.Buttons); kb != nil {
			c.ReplyMarkup = *kb
		}
		cfg = c
	} else {
		c := tgbotapi.NewDocument(chatID, file)
		c.Caption, c.ParseMode = html.EscapeString(caption), tgbotapi.ModeHTML
		if kb := t.keyboard(chat, r.Buttons); kb != nil {
			c.ReplyMarkup = *kb
		}
		cfg = c
	}
	_, err := t.retry(ctx, chat, false, func(api *tgbotapi.BotAPI) (*tgbotapi.APIResponse, error) {
		return api.Request(cfg)
	})
	return err
}

// edit replaces the text and keyboard of message id; a nil kb removes the keyboard.
func (t *Telegram) edit(ctx context.Context, chat string, chatID int64, id int, text string,
	kb *tgbotapi.InlineKeyboardMarkup) error {
	cfg := tgbotapi.NewEditMessageText(chatID, id, html.EscapeString(text))
	cfg.ParseMode = tgbotapi.ModeHTML
	cfg.ReplyMarkup = kb
	_, err := t.retry(ctx, chat, true, func(api *tgbotapi.BotAPI) (*tgbotapi.APIResponse, error) {
		return api.Request(cfg)
	})
	return err
}

// keyboard turns button rows into an inline keyboard. Telegram rejects a whole message over one
// bad button, so a button with empty label or data over 64 bytes is logged and dropped instead.
func (t *Telegram) keyboard(chat string, rows [][]flows.Button) *tgbotapi.InlineKeyboardMarkup {
	var kb [][]tgbotapi.InlineKeyboardButton
	for _, row := range rows {
		var out []tgbotapi.InlineKeyboardButton
		for _, b := range row {
			if b.Label == "" || b.Data == "" || len(b.Data) > tgMaxCallbackData {
				t.log.Error("telegram: button dropped", "chat", chat, "label", b.Label, "data_bytes", len(b.Data))
				continue
			}
			out = append(out, tgbotapi.NewInlineKeyboardButtonData(b.Label, b.Data))
		}
		if len(out) > 0 {
			kb = append(kb, out)
		}
	}
	if len(kb) == 0 {
		return nil
	}
	return &tgbotapi.InlineKeyboardMarkup{InlineKeyboard: kb}
}

// tgNotice is the first non-empty Notice among replies.
func tgNotice(replies []flows.Reply) string {
	for _, r := range replies {
		if r.Notice != "" {
			return r.Notice
		}
	}
	return ""
}

// tgParseIdent reads the chat id out of "tg:<id>".
func tgParseIdent(chat string) (int64, error) {
	rest, ok := strings.CutPrefix(chat, "tg:")
	if !ok {
		return 0, errors.New("not a Telegram chat")
	}
	id, err := strconv.ParseInt(rest, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("bad Telegram chat id: %w", err)
	}
	return id, nil
}

// tgSplit cuts text into messages of at most limit characters, at line boundaries where it can.
// Telegram counts UTF-16 units after entity parsing, so the plain text is measured before
// escaping; each part is escaped on its own so no entity is cut in two.
func tgSplit(text string, limit int) []string {
	var chunks []string
	var cur strings.Builder
	curLen := 0
	flush := func() {
		if strings.TrimSpace(cur.String()) != "" {
			chunks = append(chunks, cur.String())
		}
		cur.Reset()
		curLen = 0
	}
	for _, line := range strings.Split(text, "\n") {
		for _, piece := range tgHardSplit(line, limit) {
			n, sep := tgLen(piece), 0
			if cur.Len() > 0 {
				sep = 1
			}
			if curLen+sep+n > limit {
				flush()
				sep = 0
			}
			if sep == 1 {
				cur.WriteByte('\n')
			}
			cur.WriteString(piece)
			curLen += sep + n
		}
	}
	flush()
	return chunks
}

// tgHardSplit cuts a line longer than limit at rune boundaries.
func tgHardSplit(line string, limit int) []string {
	if tgLen(line) <= limit {
		return []string{line}
	}
	var parts []string
	start, n := 0, 0
	for i, r := range line {
		w := utf16.RuneLen(r)
		if w < 0 {
			w = 1
		}
		if n+w > limit {
			parts = append(parts, line[start:i])
			start, n = i, 0
		}
		n += w
	}
	return append(parts, line[start:])
}

// tgLen is the length of s in UTF-16 units, as Telegram counts.
func tgLen(s string) int {
	n := 0
	for _, r := range s {
		if w := utf16.RuneLen(r); w > 0 {
			n += w
		} else {
			n++
		}
	}
	return n
}

// tgTruncate keeps the first max runes of s.
func tgTruncate(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	return string([]rune(s)[:max])
}
