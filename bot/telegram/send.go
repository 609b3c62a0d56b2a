package telegram

import (
	"context"
	"errors"
	"fmt"
	"html"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"danvan/bot"
	"danvan/bot/transport"
	"danvan/flows"
)

// maxCaption is the longest caption Telegram takes under a photo or document.
const maxCaption = 1024

// Send implements bot.Sender: it delivers r to chat ("tg:<id>") outside any conversation, e.g. a
// reminder. A chat that blocked the bot gives an error wrapping bot.ErrUnreachable and is marked
// unreachable. The caller logs the error; Send does not.
func (t *Transport) Send(ctx context.Context, chat string, r flows.Reply) error {
	id, err := t.parseIdent(chat)
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
func (t *Transport) process(ctx context.Context, j job) {
	ctx, cancel := context.WithTimeout(ctx, t.handleTimeout)
	defer cancel()
	var replies []flows.Reply
	if j.in.Chat != "" {
		replies = transport.Handle(ctx, t.handler, j.in, t.log, "telegram")
	}
	if j.callbackID != "" && !j.inline.offer(notice(replies)) {
		// Until answered, the person's client shows a spinner on the button.
		t.answer(ctx, j, notice(replies))
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
		case errors.Is(err, bot.ErrUnreachable):
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

// answer acknowledges a button press, with text as a toast when not empty.
func (t *Transport) answer(ctx context.Context, j job, text string) {
	cfg := tgbotapi.NewCallback(j.callbackID, truncate(text, 200))
	_, err := t.retry(ctx, j.in.Chat, true, func(api *tgbotapi.BotAPI) (*tgbotapi.APIResponse, error) {
		return api.Request(cfg) // not api.Send: the result is `true`, not a Message
	})
	if err != nil && !errors.Is(err, bot.ErrUnreachable) {
		t.log.Info("telegram: answerCallbackQuery failed", "chat", j.in.Chat, "err", err)
	}
}

// sendReply sends r as one or more messages, or edits message editID when it is not 0 and the
// text fits one message. A failed edit (too old, not modified…) falls back to a new message.
func (t *Transport) sendReply(ctx context.Context, chat string, chatID int64, r flows.Reply, editID int) error {
	if r.File != nil {
		return t.sendFile(ctx, chat, chatID, r)
	}
	// Telegram counts UTF-16 units after entity parsing, so the plain text is measured before
	// escaping; each part is escaped on its own so no entity is cut in two.
	chunks := transport.Split(r.Text, maxMessage, transport.UTF16)
	if len(chunks) == 0 {
		if len(r.Buttons) > 0 {
			t.log.Warn("telegram: buttons without text dropped", "chat", chat)
		}
		return nil // a Notice-only reply: the toast was the answer
	}
	kb := t.keyboard(chat, r.Buttons)
	if editID != 0 && len(chunks) == 1 {
		err := t.edit(ctx, chat, chatID, editID, chunks[0], kb)
		if err == nil || errors.Is(err, bot.ErrUnreachable) || ctx.Err() != nil {
			t.sent(err)
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
		t.sent(err)
		if err != nil {
			return err
		}
	}
	return nil
}

// sendFile uploads r.File as a photo or document with r.Text as its caption and the buttons
// under it. A text too long for a caption goes first as messages of its own.
func (t *Transport) sendFile(ctx context.Context, chat string, chatID int64, r flows.Reply) error {
	caption := r.Text
	if transport.Len(caption, transport.UTF16) > maxCaption {
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
	t.sent(err)
	return err
}

// edit replaces the text and keyboard of message id; a nil kb removes the keyboard.
func (t *Transport) edit(ctx context.Context, chat string, chatID int64, id int, text string,
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
func (t *Transport) keyboard(chat string, rows [][]flows.Button) *tgbotapi.InlineKeyboardMarkup {
	var kb [][]tgbotapi.InlineKeyboardButton
	for _, row := range rows {
		var out []tgbotapi.InlineKeyboardButton
		for _, b := range row {
			if b.Label == "" || b.Data == "" || len(b.Data) > maxCallbackData {
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

// notice is the first non-empty Notice among replies.
func notice(replies []flows.Reply) string {
	for _, r := range replies {
		if r.Notice != "" {
			return r.Notice
		}
	}
	return ""
}

// truncate keeps the first max runes of s.
func truncate(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	return string([]rune(s)[:max])
}
