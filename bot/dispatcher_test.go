package bot

import (
	"context"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"danvan/flows"
	"danvan/internal/redistest"
)

// inviteOrganiser has the admin make an invite for unit and returns the code.
func inviteOrganiser(tb testing.TB, d *Dispatcher, seq *int, ward, unit string) string {
	tb.Helper()
	admin := newChat(tb, d, testAdmin, "Admin", seq)
	admin.command("invite", "")
	admin.press("Cán bộ phụ trách")
	admin.press(ward)
	admin.press(unit)
	admin.press("Tạo mã")
	admin.mustSay("Mã mời: ")
	_, rest, _ := strings.Cut(admin.said(), "Mã mời: ")
	code, _, _ := strings.Cut(rest, "\n")
	return code
}

func TestDispatcherRestartMidForm(t *testing.T) {
	prefix := mustPrefix(t)
	clock := newClock(t)
	seq := 0
	d1 := mustDispatcher(t, mustStore(t, redistest.Addr(), prefix), clock)
	code := inviteOrganiser(t, d1, &seq, "Phường Tân Phong", "Hội LHPN · Phường Tân Phong")
	lan := newChat(t, d1, "tg:2001", "Lan", &seq)
	lan.command("start", code)
	lan.mustSay("Chào mừng Lan")
	lan.command("report", "")
	lan.press("hội viên")
	lan.text("1.250")
	lan.text("1100")

	// The process dies; a new one, with its own Redis client, takes over the same chat.
	clock.Advance(50 * time.Hour) // two days of silence
	store2 := mustStore(t, redistest.Addr(), prefix)
	d2 := mustDispatcher(t, store2, clock)
	lan2 := newChat(t, d2, "tg:2001", "Lan", &seq)
	lan2.text("20")
	lan2.mustSay("(4/4)")
	lan2.text("khoảng 1.000")
	lan2.mustSay("Kiểm tra lại trước khi gửi")
	lan2.buttons = lan2.last[0].Buttons[0]
	lan2.press("Gửi")
	lan2.mustSay("Số tham chiếu")

	got := mustSubmitted(t, store2)
	if got.By != "tg:2001" || got.Version != 1 {
		t.Errorf("got by %s version %d, want tg:2001 version 1", got.By, got.Version)
	}
}

// TestDispatcherRepeatedUpdateRedrawn: a crash after an answer is stored but before its reply
// goes out makes the platform deliver the update again. It is not stored twice, and the person
// sees the question they are on again (not silence), so a value typed again answers that
// question, not the next one. The same holds for the confirmation of Gửi.
func TestDispatcherRepeatedUpdateRedrawn(t *testing.T) {
	store, d := mustBot(t)
	seq := 0
	lan := mustLanAtForm(t, d, &seq)
	answer := Incoming{UpdateID: "tg:999", Chat: "tg:2001", User: "tg:2001", Input: flows.Input{Kind: flows.TextInput, Text: "1250"}}
	first := d.Handle(context.Background(), answer) // lost in the crash
	again := d.Handle(context.Background(), answer)
	if len(first) == 0 || !reflect.DeepEqual(again, first) {
		t.Fatalf("repeated answer: got %+v, want the lost reply %+v again", again, first)
	}
	if got := mustDraft(t, store); got == nil || got.Version != 1 || len(got.Answers) != 1 {
		t.Fatalf("got draft %+v, want one answer at version 1", got)
	}
	for _, v := range []string{"1100", "20", "khoảng 1.000"} {
		lan.text(v)
	}
	lan.mustSay("Kiểm tra lại trước khi gửi")
	send := Incoming{UpdateID: "tg:1000", Chat: "tg:2001", User: "tg:2001", Input: flows.Input{Kind: flows.ButtonInput, Data: lan.mustButton("Gửi").Data}}
	d.Handle(context.Background(), send) // lost in the crash
	sub := mustSubmitted(t, store)
	got := d.Handle(context.Background(), send)
	if len(got) != 1 || !strings.Contains(got[0].Text, "✅ Đã gửi báo cáo") || !strings.Contains(got[0].Text, sub.Ref) {
		t.Fatalf("repeated Gửi: got %+v, want the confirmation with reference %s", got, sub.Ref)
	}
	if again := mustSubmitted(t, store); again.Version != 1 {
		t.Errorf("submission: got version %d, want 1 (submitted once)", again.Version)
	}
}

func TestDispatcherStaleButtonWritesNothing(t *testing.T) {
	store, d := mustBot(t)
	seq := 0
	lan := mustLanAtForm(t, d, &seq)
	old := lan.mustButton("Hủy")
	lan.text("1250")
	before, _ := store.Session(context.Background(), "tg:2001")
	replies := lan.send(flows.Input{Kind: flows.ButtonInput, Data: old.Data})
	if len(replies) != 1 || !strings.Contains(replies[0].Text, "Biểu mẫu này đã thay đổi") || replies[0].Notice == "" {
		t.Fatalf("got %+v, want one 'form has moved on' reply with a notice", replies)
	}
	after, _ := store.Session(context.Background(), "tg:2001")
	if after.Version != before.Version || after.Screen != flows.Asking || after.Step != 1 {
		t.Fatalf("got state %+v, want it unchanged from %+v", after, before)
	}
}

func TestDispatcherInviteCodes(t *testing.T) {
	_, d := mustBot(t)
	seq := 0
	code := inviteOrganiser(t, d, &seq, "Phường Tân Phong", "Hội LHPN · Phường Tân Phong")

	stranger := newChat(t, d, "tg:3001", "Khách", &seq)
	stranger.command("report", "")
	stranger.mustSay("chưa được mời")

	lan := newChat(t, d, "tg:2001", "Lan", &seq)
	lan.command("start", code)
	lan.mustSay("Hội LHPN · Phường Tân Phong")
	other := newChat(t, d, "tg:2002", "Hoa", &seq)
	other.command("start", code)
	other.mustSay("Mã mời không đúng, đã dùng hoặc đã hết hạn")

	guesser := newChat(t, d, "tg:4001", "Đoán", &seq)
	for i := range 5 {
		guesser.command("start", "WRONG"+strings.Repeat("X", i))
		guesser.mustSay("Mã mời không đúng")
	}
	fresh := inviteOrganiser(t, d, &seq, "Phường Tân Phong", "Đoàn Thanh niên · Phường Tân Phong")
	guesser.command("start", fresh)
	guesser.mustSay("quá nhiều lần")
	guesser.command("report", "")
	guesser.mustSay("chưa được mời")
}

func TestDispatcherRedisDownSaysBusy(t *testing.T) {
	down := mustStore(t, "127.0.0.1:1", "test:down:")
	d := mustDispatcher(t, down, newClock(t))
	replies := d.Handle(context.Background(), Incoming{UpdateID: "tg:1", Chat: "tg:5", User: "tg:5", Input: flows.Input{Kind: flows.CommandInput, Command: "report"}})
	if len(replies) != 1 || replies[0].Text != "Hệ thống đang bận, vui lòng thử lại sau ít phút." {
		t.Fatalf("got %+v, want the busy message", replies)
	}
}

// failingLink is a store whose Link fails: the moment between taking an invite and linking.
type failingLink struct{ People }

func (failingLink) Link(context.Context, string, flows.Person) error {
	return errors.New("connection reset")
}

// TestDispatcherRedeemKeepsCodeOnFailure: a failure while linking must not burn the invite.
func TestDispatcherRedeemKeepsCodeOnFailure(t *testing.T) {
	store, d := mustBot(t)
	seq := 0
	code := inviteOrganiser(t, d, &seq, "Phường Tân Phong", "Hội LHPN · Phường Tân Phong")
	d.People = failingLink{store}
	lan := newChat(t, d, "tg:2001", "Lan", &seq)
	lan.command("start", code)
	lan.mustSay("Hệ thống đang bận")
	d.People = store
	lan.command("start", code)
	lan.mustSay("Chào mừng Lan")
}

// TestDispatcherReplicasAlternate: two replicas on one Redis take turns with the same chat, as a
// load balancer may send them. Each replica's cached snapshot goes stale on every turn; the
// version checks catch it and the conversation reads exactly as with one replica.
func TestDispatcherReplicasAlternate(t *testing.T) {
	store2, d2, d1 := mustReplicas(t)
	seq := 0
	code := inviteOrganiser(t, d1, &seq, "Phường Tân Phong", "Hội LHPN · Phường Tân Phong")
	via := []*chat{newChat(t, d1, "tg:2001", "Lan", &seq), newChat(t, d2, "tg:2001", "Lan", &seq)}
	turn := 0
	next := func() *chat {
		c := via[turn%2]
		turn++
		c.buttons = via[turn%2].buttons // the keyboard the person sees came from the other replica
		return c
	}
	next().command("start", code)
	next().command("report", "")
	c := next()
	c.press("hội viên")
	for i, answer := range []string{"1.250", "1100", "20", "1000"} {
		c = next()
		c.text(answer)
		if i < 3 {
			c.mustSay("(" + strconv.Itoa(i+2) + "/4)")
		}
	}
	c.mustSay("Kiểm tra lại trước khi gửi")
	send := c.mustButton("Gửi")
	next().send(flows.Input{Kind: flows.ButtonInput, Data: send.Data})
	mustSubmitted(t, store2)
}

// TestDispatcherStaleReplicaCannotSubmit: Lan reaches the summary on replica A, cancels through
// replica B, then presses A's old Gửi. A's cached snapshot is stale; nothing may be submitted.
func TestDispatcherStaleReplicaCannotSubmit(t *testing.T) {
	storeA, a, b := mustReplicas(t)
	seq := 0
	lan := mustLanAtForm(t, a, &seq)
	for _, answer := range []string{"1250", "1100", "20", "1000"} {
		lan.text(answer)
	}
	lan.mustSay("Kiểm tra lại trước khi gửi")
	send := lan.mustButton("Gửi")
	newChat(t, b, "tg:2001", "Lan", &seq).command("cancel", "")
	lan.send(flows.Input{Kind: flows.ButtonInput, Data: send.Data})
	lan.mustSay("Biểu mẫu này đã thay đổi")
	if _, err := storeA.Submission(context.Background(), memberKey); !errors.Is(err, flows.ErrNotFound) {
		t.Fatalf("got %v, want nothing submitted after the cancel", err)
	}
}

// TestDispatcherStaleReplicaKeepsUnits: a language change on a replica that cached Lan before
// she was given a second unit elsewhere must not take the unit away.
func TestDispatcherStaleReplicaKeepsUnits(t *testing.T) {
	storeA, a, b := mustReplicas(t)
	seq := 0
	mustLanAtForm(t, a, &seq)
	code := inviteOrganiser(t, b, &seq, "Phường Tân Phong", "Đoàn Thanh niên · Phường Tân Phong")
	newChat(t, b, "tg:2001", "Lan", &seq).command("start", code)
	newChat(t, a, "tg:2001", "Lan", &seq).command("lang", "en")
	p, err := storeA.Person(context.Background(), "tg:2001")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Units) != 2 || p.Lang != flows.EN {
		t.Fatalf("got units %v lang %q, want both units and lang en", p.Units, p.Lang)
	}
}

// TestDispatcherUnblockedPersonReachableAgain: someone who blocked the bot and writes again is
// reachable again at once, although their chat's snapshot was cached when they were marked.
func TestDispatcherUnblockedPersonReachableAgain(t *testing.T) {
	store, d := mustBot(t)
	seq := 0
	lan := mustLanAtForm(t, d, &seq)
	if err := d.MarkUnreachable(context.Background(), "tg:2001"); err != nil {
		t.Fatal(err)
	}
	if p, _ := store.Person(context.Background(), "tg:2001"); !p.Unreachable {
		t.Fatalf("got %+v, want unreachable after the transport reported a block", p)
	}
	lan.text("1250")
	lan.mustSay("(2/4)")
	if p, _ := store.Person(context.Background(), "tg:2001"); p.Unreachable {
		t.Fatalf("got %+v, want reachable once they write again", p)
	}
}
