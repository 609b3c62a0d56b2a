package bot_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"danvan/bot"
	"danvan/internal/testkit"
)

// TestRedeemAfterCrash: the process died right after the store bound the code to Lan and before
// she was linked (her update will come again). The code is neither burnt for her nor free for
// anybody else.
func TestRedeemAfterCrash(t *testing.T) {
	store, d, _ := testkit.MustBot(t)
	seq := 0
	code := testkit.MustInvite(t, d, &seq, "Phường Tân Phong", "Hội LHPN · Phường Tân Phong")
	if _, err := store.Redeem(context.Background(), code, "tg:2001"); err != nil {
		t.Fatalf("bind the code as the crashed process did: got %v, want nil", err)
	}
	hoa := testkit.NewChat(t, d, "tg:2002", "Hoa", &seq)
	hoa.Command("start", code)
	hoa.MustSay("Mã mời không đúng")
	lan := testkit.NewChat(t, d, "tg:2001", "Lan", &seq)
	lan.Command("start", code)
	lan.MustSay("Chào mừng Lan")
	lan.Command("start", code)
	lan.MustSay("Mã mời không đúng") // spent once it was used
}

// TestRedeemCodeAsTyped: a code read off a sheet and typed in lower case, with spaces or a dash,
// is the same code, and costs no wrong try.
func TestRedeemCodeAsTyped(t *testing.T) {
	for _, typed := range []func(string) string{
		strings.ToLower,
		func(c string) string { return c[:5] + " " + c[5:] },
		func(c string) string { return strings.ToLower(c[:4]) + "-" + c[4:] },
	} {
		_, d, _ := testkit.MustBot(t)
		seq := 0
		code := testkit.MustInvite(t, d, &seq, "Phường Tân Phong", "Hội LHPN · Phường Tân Phong")
		lan := testkit.NewChat(t, d, "tg:2001", "Lan", &seq)
		lan.Command("start", typed(code))
		lan.MustSay("Chào mừng Lan")
	}
}

// TestRedeemPausedAcrossChats: many chats each guessing a few codes (under the per-chat limit)
// pause redemption for everybody once they reach the limit across chats, and the operator
// gets one error line to alert on.
func TestRedeemPausedAcrossChats(t *testing.T) {
	_, d, _ := testkit.MustBot(t)
	var logs testkit.LogBuffer
	d.Log = logs.Logger(slog.LevelError)
	seq := 0
	code := testkit.MustInvite(t, d, &seq, "Phường Tân Phong", "Hội LHPN · Phường Tân Phong")
	for i := range bot.WrongCodes + 5 {
		g := testkit.NewChat(t, d, fmt.Sprintf("tg:9%04d", i/bot.CodeTries), "Đoán", &seq)
		g.Command("start", fmt.Sprintf("GUESS%05d", i))
	}
	lan := testkit.NewChat(t, d, "tg:2001", "Lan", &seq)
	lan.Command("start", code)
	lan.MustSay("tạm ngừng nhận mã mời")
	if got := strings.Count(logs.String(), "too many wrong codes from all chats"); got != 1 {
		t.Errorf("alert lines: got %d, want 1 (logs %q)", got, logs.String())
	}
}
