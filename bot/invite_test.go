package bot

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
)

// TestRedeemAfterCrash: the process died right after the store bound the code to Lan and before
// she was linked (her update will come again). The code is neither burnt for her nor free for
// anybody else.
func TestRedeemAfterCrash(t *testing.T) {
	store, d := mustBot(t)
	seq := 0
	code := inviteOrganiser(t, d, &seq, "Phường Tân Phong", "Hội LHPN · Phường Tân Phong")
	if _, err := store.Redeem(context.Background(), code, "tg:2001"); err != nil {
		t.Fatalf("bind the code as the crashed process did: got %v, want nil", err)
	}
	hoa := newChat(t, d, "tg:2002", "Hoa", &seq)
	hoa.command("start", code)
	hoa.mustSay("Mã mời không đúng")
	lan := newChat(t, d, "tg:2001", "Lan", &seq)
	lan.command("start", code)
	lan.mustSay("Chào mừng Lan")
	lan.command("start", code)
	lan.mustSay("Mã mời không đúng") // spent once it was used
}

// TestRedeemCodeAsTyped: a code read off a sheet and typed in lower case, with spaces or a dash,
// is the same code, and costs no wrong try.
func TestRedeemCodeAsTyped(t *testing.T) {
	for _, typed := range []func(string) string{
		strings.ToLower,
		func(c string) string { return c[:5] + " " + c[5:] },
		func(c string) string { return strings.ToLower(c[:4]) + "-" + c[4:] },
	} {
		_, d := mustBot(t)
		seq := 0
		code := inviteOrganiser(t, d, &seq, "Phường Tân Phong", "Hội LHPN · Phường Tân Phong")
		lan := newChat(t, d, "tg:2001", "Lan", &seq)
		lan.command("start", typed(code))
		lan.mustSay("Chào mừng Lan")
	}
}

// TestRedeemPausedAcrossChats: many chats each guessing a few codes (under the per-chat limit)
// pause redemption for everybody once they reach the limit across chats, and the operator
// gets one error line to alert on.
func TestRedeemPausedAcrossChats(t *testing.T) {
	_, d := mustBot(t)
	var logs syncBuffer
	d.Log = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelError}))
	seq := 0
	code := inviteOrganiser(t, d, &seq, "Phường Tân Phong", "Hội LHPN · Phường Tân Phong")
	for i := range wrongCodes + 5 {
		g := newChat(t, d, fmt.Sprintf("tg:9%04d", i/codeTries), "Đoán", &seq)
		g.command("start", fmt.Sprintf("GUESS%05d", i))
	}
	lan := newChat(t, d, "tg:2001", "Lan", &seq)
	lan.command("start", code)
	lan.mustSay("tạm ngừng nhận mã mời")
	if got := strings.Count(logs.String(), "too many wrong codes from all chats"); got != 1 {
		t.Errorf("alert lines: got %d, want 1 (logs %q)", got, logs.String())
	}
}

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

// syncBuffer is a log sink safe for the dispatcher's concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
