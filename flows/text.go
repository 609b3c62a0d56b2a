package flows

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Lang is a language people read the bot in.
type Lang string

// The languages the bot speaks. Vietnamese is the default everywhere.
const (
	VI Lang = "vi"
	EN Lang = "en"
)

// ParseLang returns the Lang named by s ("vi", "en", any case), and false when s names none.
func ParseLang(s string) (Lang, bool) {
	switch s {
	case "vi", "VI", "Vi", "tiếng việt", "Tiếng Việt":
		return VI, true
	case "en", "EN", "En", "english", "English":
		return EN, true
	}
	return "", false
}

// Text is one piece of text in both languages. Vietnamese is always present; English falls back
// to Vietnamese when it is missing.
type Text struct {
	Vi string `yaml:"vi" json:"vi"`
	En string `yaml:"en" json:"en,omitempty"`
}

// In returns t in lang.
func (t Text) In(lang Lang) string {
	if lang == EN && t.En != "" {
		return t.En
	}
	return t.Vi
}

// Formal reports whether the bot addresses p as "đồng chí", as officials write to one another:
// leaders and admins, whatever else they are. An organiser only is addressed as "bạn": the
// grassroots cán bộ who fill in the forms are often young union members, not all of them Party
// members, and "bạn" is the neutral, friendly form the form's questions were written in.
func Formal(p Person) bool { return IsAdmin(p) || len(p.Scopes) > 0 }

// comrade rewrites the second person "bạn" of a Vietnamese text as "đồng chí" ("Bạn" as "Đồng
// chí"), as a whole word only.
func comrade(s string) string {
	if !strings.Contains(s, "ạn") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if w, n := pronounAt(s, i); n > 0 {
			b.WriteString(w)
			i += n
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// pronounAt returns what the word "bạn" at s[i:] becomes and its length; 0 when there is none.
func pronounAt(s string, i int) (string, int) {
	for _, w := range [][2]string{{"bạn", "đồng chí"}, {"Bạn", "Đồng chí"}} {
		if strings.HasPrefix(s[i:], w[0]) && !letterBefore(s, i) && !letterAt(s, i+len(w[0])) {
			return w[1], len(w[0])
		}
	}
	return "", 0
}

func letterBefore(s string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return i > 0 && unicode.IsLetter(r)
}

func letterAt(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return i < len(s) && unicode.IsLetter(r)
}
