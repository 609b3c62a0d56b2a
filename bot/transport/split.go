package transport

import (
	"strings"
	"unicode/utf16"
)

// Width is how much one character counts against a platform's message limit.
type Width func(r rune) int

// UTF16 counts a character in UTF-16 units, as Telegram does: 2 for most emoji, 1 otherwise.
func UTF16(r rune) int {
	if w := utf16.RuneLen(r); w > 0 {
		return w
	}
	return 1
}

// Char counts every character as one, as Zalo does.
func Char(rune) int { return 1 }

// Len is the length of s under w.
func Len(s string, w Width) int {
	n := 0
	for _, r := range s {
		n += w(r)
	}
	return n
}

// Split cuts text into messages of at most limit (measured by w), at line boundaries where it
// can; a line longer than limit is cut between characters. Blank parts are dropped. Text is
// measured as sent: a transport that escapes it (Telegram's HTML) splits the plain text and
// escapes each part on its own, so no entity is cut in two.
func Split(text string, limit int, w Width) []string {
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
		for _, piece := range hardSplit(line, limit, w) {
			n, sep := Len(piece, w), 0
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

// hardSplit cuts a line longer than limit between characters.
func hardSplit(line string, limit int, w Width) []string {
	if Len(line, w) <= limit {
		return []string{line}
	}
	var parts []string
	start, n := 0, 0
	for i, r := range line {
		if n+w(r) > limit {
			parts = append(parts, line[start:i])
			start, n = i, 0
		}
		n += w(r)
	}
	return append(parts, line[start:])
}
