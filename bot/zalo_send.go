package bot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"danvan/flows"
)

// zaloMenu is the choices of one message, as a platform without buttons shows them: numbered,
// or lettered where a bare number would be an answer (Reply.Free).
type zaloMenu struct {
	Buttons []flows.Button `json:"b"`
	Free    bool           `json:"free,omitempty"`
}

// key is what the person types for choice i: "1", "2"… or "a", "b"… on a Free screen.
func (m zaloMenu) key(i int) string { return choiceKey(i, m.Free) }

// pick finds the choice s names: by its key, or by the option's text, ignoring case and a
// leading emoji.
func (m zaloMenu) pick(s string) (flows.Button, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "."))
	if s == "" {
		return flows.Button{}, false
	}
	for i, b := range m.Buttons {
		if strings.EqualFold(s, m.key(i)) || strings.EqualFold(s, b.Label) || strings.EqualFold(s, plainLabel(b.Label)) {
			return b, true
		}
	}
	return flows.Button{}, false
}

// zaloRender writes r's text with its choices as options to type, and returns the menu.
// A few short options read as one line ("Trả lời 1 để Gửi, 2 để Sửa, 3 để Hủy"); longer lists
// get a line each.
func zaloRender(r flows.Reply) (string, zaloMenu) { return zaloRenderAfter(r, zaloMenu{}) }

// zaloRenderAfter renders r as options that follow the chat's current menu prev: keys go on
// from prev's, in prev's style, and the menu returned holds both. A message the bot sends of its
// own accord (a reminder) is rendered so: were its options numbered 1, 2 over a question being
// answered, a figure typed for the question would choose a reminder's option instead.
func zaloRenderAfter(r flows.Reply, prev zaloMenu) (string, zaloMenu) {
	m := zaloMenu{Free: r.Free, Buttons: slices.Clone(prev.Buttons)}
	if len(prev.Buttons) > 0 {
		m.Free = prev.Free
	}
	for _, row := range r.Buttons {
		m.Buttons = append(m.Buttons, row...)
	}
	first := len(prev.Buttons)
	if len(m.Buttons) == first {
		return r.Text, prev
	}
	parts, long := make([]string, 0, len(m.Buttons)-first), len(m.Buttons)-first > 4
	for i := first; i < len(m.Buttons); i++ {
		label := plainLabel(m.Buttons[i].Label)
		parts = append(parts, m.key(i)+" để "+label)
		long = long || utf8.RuneCountInString(label) > 24
	}
	var sb strings.Builder
	sb.WriteString(r.Text)
	if !long {
		fmt.Fprintf(&sb, "\n\nTrả lời %s", strings.Join(parts, ", "))
		return sb.String(), m
	}
	if m.Free {
		sb.WriteString("\n\nGõ số liệu, hoặc trả lời bằng chữ cái của lựa chọn:")
	} else {
		sb.WriteString("\n\nTrả lời bằng số của lựa chọn:")
	}
	for i := first; i < len(m.Buttons); i++ {
		fmt.Fprintf(&sb, "\n%s. %s", m.key(i), plainLabel(m.Buttons[i].Label))
	}
	return sb.String(), m
}

// plainLabel drops a leading emoji and its space: "📤 Gửi" reads "Gửi".
func plainLabel(l string) string {
	first, rest, ok := strings.Cut(l, " ")
	if r, _ := utf8.DecodeRuneInString(first); ok && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
		return rest
	}
	return l
}

// choiceKey numbers choices, or letters them where a bare number would be an answer.
func choiceKey(i int, free bool) string {
	if free {
		return string(rune('a' + i))
	}
	return strconv.Itoa(i + 1)
}

// Send delivers r to chat ("zalo:<id>") outside the conversation (a reminder, a notice): its
// choices follow on from the chat's current ones (see zaloRenderAfter). The caller logs the
// error; Send does not.
func (z *Zalo) Send(ctx context.Context, chat string, r flows.Reply) error {
	return z.deliver(ctx, chat, r, false)
}

// deliver sends r: a photo by URL when r carries a chart and files are served, a link for a
// spreadsheet, the file's text when files are not served (or cannot be kept), then the text with
// its choices, in parts of at most 2,000 characters cut at line boundaries. The choices are
// remembered for the chat, so a typed number chooses one: a reply to the chat's own message
// (own) replaces the menu, anything else adds to it (renderChoices).
func (z *Zalo) deliver(ctx context.Context, chat string, r flows.Reply, own bool) error {
	id, ok := strings.CutPrefix(chat, zaloIdentPrefix)
	if !ok || id == "" {
		return fmt.Errorf("send to %s: not a zalo chat", chat)
	}
	link, r := z.publish(ctx, chat, r)
	text, err := z.sendFile(ctx, id, r.File, link, z.renderChoices(ctx, chat, r, own))
	if err != nil {
		return fmt.Errorf("send to %s: %w", chat, err)
	}
	for _, part := range tgSplit(text, zaloMaxMessage) {
		if err := z.retry(ctx, func() error { return z.api.sendMessage(ctx, id, part) }); err != nil {
			return fmt.Errorf("send to %s: %w", chat, err)
		}
	}
	return nil
}

// publish puts r's file, if any, where its URL serves it and returns the URL. Without a file
// server, or when the file cannot be kept, the file's figures go as text instead (withFileText),
// past a limit with a line saying why.
func (z *Zalo) publish(ctx context.Context, chat string, r flows.Reply) (string, flows.Reply) {
	if r.File == nil {
		return "", r
	}
	if z.files == nil {
		return "", withFileText(r)
	}
	link, err := z.files.Put(ctx, chat, *r.File)
	if err == nil {
		return link, r
	}
	z.log.Warn("zalo: file sent as text", "chat", chat, "err", err)
	r = withFileText(r)
	switch {
	case errors.Is(err, errFileTooBig):
		r.Text = strings.TrimSpace(r.Text + "\n\n" + zaloFileTooBig)
	case errors.Is(err, errFileQuota):
		r.Text = strings.TrimSpace(r.Text + "\n\n" + zaloFileQuota)
	}
	return "", r
}

// What a person reads when a file goes as text past ZaloFiles' limits. The transport does not
// know the person's language: Vietnamese, as its numbered options.
const (
	zaloFileTooBig = "(Tệp này quá lớn để gửi qua Zalo, nên số liệu được gửi dưới dạng chữ ở trên.)"
	zaloFileQuota  = "(Bạn đã nhận nhiều tệp trong giờ qua, nên lần này số liệu được gửi dưới dạng chữ ở trên. Mời bạn thử lại sau ít phút.)"
)

// sendFile sends f, if any, by its link and returns the text still to send.
func (z *Zalo) sendFile(ctx context.Context, id string, f *flows.File, link, text string) (string, error) {
	if f == nil || link == "" {
		return text, nil
	}
	if f.Kind != flows.Photo {
		return text + "\n\n📎 " + f.Name + ": " + link, nil
	}
	caption := ""
	if parts := tgSplit(text, zaloMaxMessage); len(parts) == 1 && !strings.Contains(text, "\n\n") {
		caption, text = text, "" // a short caption under the photo; choices go in a message after
	}
	return text, z.retry(ctx, func() error { return z.api.sendPhoto(ctx, id, link, caption) })
}

// withFileText moves r's file into its text, for a channel that cannot show the file: the file's
// Text follows the reply's own, before its choices, and the file is dropped.
func withFileText(r flows.Reply) flows.Reply {
	if r.File == nil {
		return r
	}
	if t := r.File.Text; t != "" && r.Text != "" {
		r.Text += "\n\n" + t
	} else if t != "" {
		r.Text = t
	}
	r.File = nil
	return r
}

// zaloSendAttempts bounds the tries of one send.
const zaloSendAttempts = 3

// retry repeats send after a rate limit or a server error, with backoff. A network error is not
// repeated: the message may have arrived, and a person must not read it twice.
func (z *Zalo) retry(ctx context.Context, send func() error) error {
	for attempt := 0; ; attempt++ {
		err := send()
		if err == nil || ctx.Err() != nil || attempt+1 >= zaloSendAttempts || !zaloRetryable(err) {
			return err
		}
		if err := z.wait(ctx, z.backoff(attempt)); err != nil {
			return err
		}
	}
}

func zaloRetryable(err error) bool {
	var e *ZaloAPIError
	if !errors.As(err, &e) {
		return false
	}
	return e.Code == http.StatusTooManyRequests || e.Code >= 500
}
