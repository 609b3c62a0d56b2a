package transport

import (
	"fmt"
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
// short options read as one line ("Trả lời 1 để Gửi, 2 để Sửa, 3 để Hủy"); longer lists get a
// line each.
func Render(r flows.Reply) (string, Menu) { return RenderAfter(r, Menu{}) }

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
	parts, long := make([]string, 0, len(m.Buttons)-first), len(m.Buttons)-first > 4
	for i := first; i < len(m.Buttons); i++ {
		label := PlainLabel(m.Buttons[i].Label)
		parts = append(parts, m.Key(i)+" để "+label)
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
		fmt.Fprintf(&sb, "\n%s. %s", m.Key(i), PlainLabel(m.Buttons[i].Label))
	}
	return sb.String(), m
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
