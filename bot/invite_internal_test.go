package bot

import "testing"

// TestNewInviteCodeUniform: every letter of the alphabet is equally likely. Taking random bytes
// modulo 31 made the first 8 letters 12.5% more likely than the rest.
func TestNewInviteCodeUniform(t *testing.T) {
	counts := map[rune]int{}
	const codes = 31_000
	for range codes {
		for _, r := range NewInviteCode() {
			counts[r]++
		}
	}
	if len(counts) != len(codeAlphabet) {
		t.Fatalf("letters seen: got %d, want %d", len(counts), len(codeAlphabet))
	}
	want := float64(codes*codeLen) / float64(len(codeAlphabet)) // 10,000; one σ is about 1%
	for _, r := range codeAlphabet {
		if dev := float64(counts[r])/want - 1; dev > 0.06 || dev < -0.06 {
			t.Errorf("letter %c: got %d, want %.0f ± 6%%", r, counts[r], want)
		}
	}
}
