package transport

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"danvan/flows"
)

// Menu is the choices of one message, as a platform without buttons shows them: numbered, or
// lettered where a bare number would be an answer (Reply.Free). Its JSON is what a transport
// keeps per chat to read a typed choice back.
type Menu struct {
	Buttons []flows.Button `json:"b"`
	Free    bool           `json:"free,omitempty"`
}

// Key is what the person types for choice i: "1", "2"… or "a", "b"… on a Free screen.
func (m Menu) Key(i int) string { return ChoiceKey(i, m.Free) }

// Pick finds the choice s names: by its key, or by the option's text, ignoring case and a
// leading emoji.
func (m Menu) Pick(s string) (flows.Button, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "."))
	if s == "" {
		return flows.Button{}, false
	}
	for i, b := range m.Buttons {
		if strings.EqualFold(s, m.Key(i)) || strings.EqualFold(s, b.Label) || strings.EqualFold(s, PlainLabel(b.Label)) {
			return b, true
		}
	}
	return flows.Button{}, false
}

// Render writes r's text with its choices as options to type, and returns the menu. A few
// short options read as one line ("Nhắn số để chọn: 1 – Gửi · 2 – Sửa · 3 – Hủy"); more, or
// longer ones, get a line each, which a phone shows without cutting a label in two. The lead
// asks for the key and the options are "key – label", so the line reads whatever the label is:
// a verb ("Gửi"), a period ("Năm 2026"), a place ("Phường Tân Phong").
func Render(r flows.Reply) (string, Menu) { return RenderAfter(r, Menu{}) }

// oneLine bounds the options that go on one line: at most this many, whose "key – label" parts
// joined by optionSep run to at most oneLineRunes characters (a phone shows about 40 a line).
// Options whose labels have a "·" of their own ("Báo cáo ngay · Quý I/2026") get a line each,
// or the eye could not tell where one ends.
const (
	oneLineMax   = 4
	oneLineRunes = 48
	optionSep    = " · "
)

// RenderAfter renders r as options that follow the chat's current menu prev: keys go on from
// prev's, in prev's style, and the menu returned holds both. A message the bot sends of its own
// accord (a reminder) is rendered so: were its options numbered 1, 2 over a question being
// answered, a figure typed for the question would choose a reminder's option instead.
func RenderAfter(r flows.Reply, prev Menu) (string, Menu) {
	m := Menu{Free: r.Free, Buttons: slices.Clone(prev.Buttons)}
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
	parts := make([]string, 0, len(m.Buttons)-first)
	for i := first; i < len(m.Buttons); i++ {
		parts = append(parts, m.Key(i)+" – "+PlainLabel(m.Buttons[i].Label))
	}
	line := strings.Join(parts, optionSep)
	var sb strings.Builder
	sb.WriteString(r.Text)
	sb.WriteString("\n\n" + lead(m.Free, first > 0))
	if len(parts) <= oneLineMax && utf8.RuneCountInString(line) <= oneLineRunes && strings.Count(line, "·") == len(parts)-1 {
		sb.WriteString(" " + line)
		return sb.String(), m
	}
	for _, p := range parts {
		sb.WriteString("\n" + p)
	}
	return sb.String(), m
}

// lead is what comes before the options: which key to type and, on a screen that asks for a
// figure (free), that a number is read as the figure. Options that follow another message's
// (more) only say how to choose: the question above already asked for its figure.
func lead(free, more bool) string {
	switch {
	case free && !more:
		return "Gõ số liệu, hoặc nhắn chữ cái để chọn:"
	case free:
		return "Nhắn chữ cái để chọn:"
	default:
		return "Nhắn số để chọn:"
	}
}

// PlainLabel drops a leading emoji and its space: "📤 Gửi" reads "Gửi".
func PlainLabel(l string) string {
	first, rest, ok := strings.Cut(l, " ")
	if r, _ := utf8.DecodeRuneInString(first); ok && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
		return rest
	}
	return l
}

// ChoiceKey numbers choices, or letters them where a bare number would be an answer.
func ChoiceKey(i int, free bool) string {
	if free {
		return string(rune('a' + i))
	}
	return strconv.Itoa(i + 1)
}
