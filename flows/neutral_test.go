package flows

import "testing"

// TestNeutral: bidirectional controls and control characters go, newlines stay (in Neutral),
// and text without either comes back as it was.
func TestNeutral(t *testing.T) {
	tests := []struct {
		name, in, want, line string
	}{
		{"plain Vietnamese", "Lò Thị Lan", "Lò Thị Lan", "Lò Thị Lan"},
		{"right-to-left override", "Lan\u202Efdp.exe", "Lanfdp.exe", "Lanfdp.exe"},
		{"every bidi control", "a\u202Ab\u202Bc\u202Cd\u202De\u202Ef\u2066g\u2067h\u2068i\u2069j\u200Ek\u200Fl\u061Cm",
			"abcdefghijklm", "abcdefghijklm"},
		{"control characters", "a\x00b\x07c\x1bd\x7fe\u0085f\rg", "abcdefg", "abcdefg"},
		{"a newline and a tab", "Sai số\n\thội viên", "Sai số\n hội viên", "Sai số hội viên"},
		{"emoji joined", "👨\u200D👩\u200D👧 ok", "👨\u200D👩\u200D👧 ok", "👨\u200D👩\u200D👧 ok"},
		{"only controls", "\u202E\u2066", "", ""},
	}
	for _, tt := range tests {
		if got := Neutral(tt.in); got != tt.want {
			t.Errorf("%s: Neutral got %q, want %q", tt.name, got, tt.want)
		}
		if got := NeutralLine(tt.in); got != tt.line {
			t.Errorf("%s: NeutralLine got %q, want %q", tt.name, got, tt.line)
		}
	}
}
