package flows

import (
	"strings"
	"unicode"
)

// Neutral returns s fit to show to someone other than its writer, in a chat or a file: without
// the characters that make text display other than it reads, and without control characters.
// It drops the bidirectional controls (U+202A–U+202E embeddings and overrides, U+2066–U+2069
// isolates, the marks U+200E, U+200F and U+061C), with which a name can be made to read as
// another ("RLO" turns "nal" into "lan"), and every other control character but the newline; a
// tab becomes a space. Text people type (names, reasons) goes through it where it enters, and
// everything written into a file goes through it again, for what was stored before.
func Neutral(s string) string {
	if strings.IndexFunc(s, unsafeRune) < 0 {
		return s // the common case: no copy
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t':
			return ' '
		case unsafeRune(r):
			return -1
		}
		return r
	}, s)
}

// NeutralLine is Neutral on one line: newlines and runs of spaces become one space, and the ends
// are trimmed. Names go through it.
func NeutralLine(s string) string {
	return strings.Join(strings.Fields(Neutral(s)), " ")
}

// unsafeRune reports whether r is a bidirectional control or a control character other than the
// newline.
func unsafeRune(r rune) bool {
	switch {
	case r == '\n':
		return false
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x200E, r == 0x200F, r == 0x061C:
		return true
	}
	return unicode.IsControl(r)
}
