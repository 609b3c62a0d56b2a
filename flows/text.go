package flows

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
