package zalo

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"danvan/bot"
	"danvan/bot/transport"
	"danvan/flows"
)

// Send implements bot.Sender: it delivers r to chat ("zalo:<id>") outside the conversation (a
// reminder, a notice); its choices follow on from the chat's current ones (see
// transport.RenderAfter). The caller logs the error; Send does not.
func (z *Transport) Send(ctx context.Context, chat string, r flows.Reply) error {
	return z.deliver(ctx, chat, r, false)
}

// deliver sends r: a photo by URL when r carries a chart and files are served, a link for a
// spreadsheet, the file's text when files are not served (or cannot be kept, or the photo is
// refused), then the text with its choices, in parts of at most 2,000 characters cut at line
// boundaries. The choices are remembered for the chat, so a typed number chooses one: a reply to
// the chat's own message (own) replaces the menu, anything else adds to it (renderChoices).
func (z *Transport) deliver(ctx context.Context, chat string, r flows.Reply, own bool) error {
	id, ok := strings.CutPrefix(chat, z.prefix+":")
	if !ok || id == "" {
		return fmt.Errorf("send to %s: not a zalo chat", chat)
	}
	link, r := z.publish(ctx, chat, r)
	text := z.sendFile(ctx, chat, id, r, link, z.renderChoices(ctx, chat, r, own))
	for _, part := range transport.Split(text, maxMessage, transport.Char) {
		if err := z.sendText(ctx, chat, id, part); err != nil {
			return fmt.Errorf("send to %s: %w", chat, err)
		}
	}
	return nil
}

// publish puts r's file, if any, where its URL serves it and returns the URL. Without a file
// server, or when the file cannot be kept, the file's figures go as text instead
// (transport.FileAsText), with a line saying so and why.
func (z *Transport) publish(ctx context.Context, chat string, r flows.Reply) (string, flows.Reply) {
	if r.File == nil {
		return "", r
	}
	if z.files == nil {
		return "", transport.FileAsText(r, noServerNote)
	}
	link, err := z.files.Put(ctx, chat, *r.File)
	if err == nil {
		return link, r
	}
	z.log.Warn("zalo: file sent as text", "chat", chat, "err", err)
	why := noKeepNote
	switch {
	case errors.Is(err, errFileTooBig):
		why = fileTooBigNote
	case errors.Is(err, errFileQuota):
		why = fileQuotaNote
	}
	return "", transport.FileAsText(r, why)
}

// Why a file goes as text, as people read it. The transport does not know the person's
// language: Vietnamese, as its numbered options.
const (
	noServerNote   = "Zalo không nhận tệp, và bot chưa có địa chỉ công khai PUBLIC_URL để gửi liên kết tải về"
	noKeepNote     = "Zalo không nhận tệp, và lúc này bot không lưu được tệp để gửi liên kết tải về"
	fileTooBigNote = "tệp quá lớn để gửi qua Zalo"
	fileQuotaNote  = "bạn đã nhận nhiều tệp trong giờ qua; mời bạn thử lại sau ít phút để nhận liên kết"
	photoNote      = "Zalo không nhận ảnh biểu đồ lúc này"
)

// linkLine is the line that hands a file over by its link, saying so and until when it works.
func (z *Transport) linkLine(f flows.File, link string) string {
	until := z.now().Add(z.files.ttl()).In(z.loc).Format("15:04 02/01/2006")
	return "📎 " + transport.FileWhat(f) + " " + f.Name + " — Zalo không nhận tệp nên bot gửi liên kết tải về (dùng được đến " +
		until + "): " + link
}

// sendFile sends r's file, if any, by its link and returns the text still to send: text is r's
// text with its choices rendered. A short text goes as the photo's caption, and the choices,
// which need a message of their own to be answered, after it. A photo that cannot be sent
// never takes the screen with it: the text goes anyway, with the file's own text (its figures)
// between the reply's text and its choices, as when files are not served.
func (z *Transport) sendFile(ctx context.Context, chat, id string, r flows.Reply, link, text string) string {
	f := r.File
	if f == nil || link == "" {
		return text
	}
	if f.Kind != flows.Photo { // the link between the reply's text and its choices
		return strings.TrimSpace(r.Text+"\n\n"+z.linkLine(*f, link)) + strings.TrimPrefix(text, r.Text)
	}
	caption, rest := "", text
	if parts := transport.Split(text, maxMessage, transport.Char); len(parts) == 1 && !strings.Contains(text, "\n\n") {
		caption, rest = text, "" // a short caption under the photo; choices go in a message after
	}
	err := z.retry(ctx, func() error { return z.api.sendPhoto(ctx, id, link, caption) })
	z.delivered(err)
	if err == nil {
		z.sent(ctx, chat)
		return rest
	}
	z.log.Warn("zalo: photo not sent; its figures go as text", "chat", chat, "err", err)
	choices := strings.TrimPrefix(text, r.Text) // RenderAfter appends the choices to the text
	return strings.TrimSpace(transport.FileAsText(r, photoNote).Text + choices)
}

// sendText sends one message, counts it, and tells a person who cannot be reached from a
// passing failure (see strikes).
func (z *Transport) sendText(ctx context.Context, chat, id, text string) (err error) {
	defer func() { z.delivered(err) }()
	err = z.retry(ctx, func() error { return z.api.sendMessage(ctx, id, text) })
	switch {
	case err == nil:
		z.strikes.ok(chat)
		z.sent(ctx, chat)
		return nil
	case !permanent(err):
		return err
	}
	if z.strikes.fail(chat) < unreachableAfter {
		return err
	}
	z.log.Info("zalo: chat unreachable after repeated refusals", "chat", chat, "failures", unreachableAfter, "err", err)
	if z.unreach != nil {
		if uerr := z.unreach.MarkUnreachable(ctx, chat); uerr != nil {
			z.log.Warn("zalo: could not mark chat unreachable", "chat", chat, "err", uerr)
		}
	}
	return fmt.Errorf("%w: %w", bot.ErrUnreachable, err)
}

// sendAttempts bounds the tries of one send.
const sendAttempts = 3

// retry repeats send after a rate limit or a server error, with backoff. A network error is not
// repeated: the message may have arrived, and a person must not read it twice.
func (z *Transport) retry(ctx context.Context, send func() error) error {
	for attempt := 0; ; attempt++ {
		err := send()
		if err == nil || ctx.Err() != nil || attempt+1 >= sendAttempts || !retryable(err) {
			return err
		}
		if err := z.wait(ctx, z.backoff(attempt)); err != nil {
			return err
		}
	}
}

// permanent reports whether err is the API refusing a message for good: a 4xx other than a bad
// token (401, every chat's problem), a timeout (408) or a rate limit or used-up quota (429).
func permanent(err error) bool {
	var e *APIError
	if !errors.As(err, &e) {
		return false
	}
	switch e.Code {
	case http.StatusUnauthorized, http.StatusRequestTimeout, http.StatusTooManyRequests:
		return false
	}
	return e.Code >= 400 && e.Code < 500
}

func retryable(err error) bool {
	var e *APIError
	if !errors.As(err, &e) {
		return false
	}
	return e.Code == http.StatusTooManyRequests || e.Code >= 500
}
