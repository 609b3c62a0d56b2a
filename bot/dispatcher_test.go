package bot_test

import (
	"context"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"danvan/bot"
	"danvan/flows"
	"danvan/internal/redistest"
	"danvan/internal/testkit"
)

func TestDispatcherRestartMidForm(t *testing.T) {
	prefix := testkit.MustPrefix(t)
	clock := testkit.NewClock(t)
	seq := 0
	d1 := testkit.MustDispatcher(t, testkit.StoreAt(t, redistest.Addr(), prefix), clock)
	code := testkit.MustInvite(t, d1, &seq, "Phường Tân Phong", "Hội LHPN · Phường Tân Phong")
	lan := testkit.NewChat(t, d1, "tg:2001", "Lan", &seq)
	lan.Command("start", code)
	lan.MustSay("Chào mừng Lan")
	lan.Command("report", "")
	lan.Text("1.250")
	lan.Text("1100")

	// The process dies; a new one, with its own Redis client, takes over the same chat.
	clock.Advance(50 * time.Hour) // two days of silence
	store2 := testkit.StoreAt(t, redistest.Addr(), prefix)
	d2 := testkit.MustDispatcher(t, store2, clock)
	lan2 := testkit.NewChat(t, d2, "tg:2001", "Lan", &seq)
	lan2.Text("20")
	lan2.MustSay("(4/4)")
	lan2.Text("khoảng 1.000")
	lan2.MustSay("Kiểm tra lại trước khi gửi")
	lan2.Press("Gửi")
	lan2.MustSay("Số tham chiếu")

	got := testkit.MustSubmitted(t, store2)
	if got.By != "tg:2001" || got.Version != 1 {
		t.Errorf("got by %s version %d, want tg:2001 version 1", got.By, got.Version)
	}
}

// TestDispatcherRepeatedUpdateRedrawn: a crash after an answer is stored but before its reply
// goes out makes the platform deliver the update again. It is not stored twice, and the person
// sees the question they are on again (not silence), so a value typed again answers that
// question, not the next one. The same holds for the confirmation of Gửi.
func TestDispatcherRepeatedUpdateRedrawn(t *testing.T) {
	store, d, _ := testkit.MustBot(t)
	seq := 0
	lan := testkit.MustLanAtForm(t, d, &seq)
	answer := bot.Incoming{UpdateID: "tg:999", Chat: "tg:2001", User: "tg:2001", Input: flows.Input{Kind: flows.TextInput, Text: "1250"}}
	first := d.Handle(context.Background(), answer) // lost in the crash
	again := d.Handle(context.Background(), answer)
	if len(first) == 0 || !reflect.DeepEqual(again, first) {
		t.Fatalf("repeated answer: got %+v, want the lost reply %+v again", again, first)
	}
	if got := testkit.MustDraft(t, store, testkit.Lan); got == nil || got.Version != 1 || len(got.Answers) != 1 {
		t.Fatalf("got draft %+v, want one answer at version 1", got)
	}
	for _, v := range []string{"1100", "20", "khoảng 1.000"} {
		lan.Text(v)
	}
	lan.MustSay("Kiểm tra lại trước khi gửi")
	send := bot.Incoming{UpdateID: "tg:1000", Chat: "tg:2001", User: "tg:2001", Input: flows.Input{Kind: flows.ButtonInput, Data: lan.MustButton("Gửi").Data}}
	d.Handle(context.Background(), send) // lost in the crash
	sub := testkit.MustSubmitted(t, store)
	got := d.Handle(context.Background(), send)
	if len(got) != 1 || !strings.Contains(got[0].Text, "✅ Đã gửi báo cáo") || !strings.Contains(got[0].Text, sub.Ref) {
		t.Fatalf("repeated Gửi: got %+v, want the confirmation with reference %s", got, sub.Ref)
	}
	if again := testkit.MustSubmitted(t, store); again.Version != 1 {
		t.Errorf("submission: got version %d, want 1 (submitted once)", again.Version)
	}
}

func TestDispatcherStaleButtonWritesNothing(t *testing.T) {
	store, d, _ := testkit.MustBot(t)
	seq := 0
	lan := testkit.MustLanAtForm(t, d, &seq)
	old := lan.MustButton("Hủy")
	lan.Text("1250")
	before, _ := store.Session(context.Background(), "tg:2001")
	replies := lan.Send(flows.Input{Kind: flows.ButtonInput, Data: old.Data})
	if len(replies) != 1 || !strings.Contains(replies[0].Text, "Biểu mẫu này đã thay đổi") || replies[0].Notice == "" {
		t.Fatalf("got %+v, want one 'form has moved on' reply with a notice", replies)
	}
	after, _ := store.Session(context.Background(), "tg:2001")
	if after.Version != before.Version || after.Screen != flows.Asking || after.Step != 1 {
		t.Fatalf("got state %+v, want it unchanged from %+v", after, before)
	}
}

func TestDispatcherInviteCodes(t *testing.T) {
	_, d, _ := testkit.MustBot(t)
	seq := 0
	code := testkit.MustInvite(t, d, &seq, "Phường Tân Phong", "Hội LHPN · Phường Tân Phong")

	stranger := testkit.NewChat(t, d, "tg:3001", "Khách", &seq)
	stranger.Command("report", "")
	stranger.MustSay("chưa được mời")

	lan := testkit.NewChat(t, d, "tg:2001", "Lan", &seq)
	lan.Command("start", code)
	lan.MustSay("Hội LHPN · Phường Tân Phong")
	other := testkit.NewChat(t, d, "tg:2002", "Hoa", &seq)
	other.Command("start", code)
	other.MustSay("Mã mời không đúng, đã dùng hoặc đã hết hạn")

	guesser := testkit.NewChat(t, d, "tg:4001", "Đoán", &seq)
	for i := range 5 {
		guesser.Command("start", "WRONG"+strings.Repeat("X", i))
		guesser.MustSay("Mã mời không đúng")
	}
	fresh := testkit.MustInvite(t, d, &seq, "Phường Tân Phong", "Đoàn Thanh niên · Phường Tân Phong")
	guesser.Command("start", fresh)
	guesser.MustSay("quá nhiều lần")
	guesser.Command("report", "")
	guesser.MustSay("chưa được mời")
}

func TestDispatcherRedisDownSaysBusy(t *testing.T) {
	down := testkit.DownStore(t)
	d := testkit.MustDispatcher(t, down, testkit.NewClock(t))
	replies := d.Handle(context.Background(), bot.Incoming{UpdateID: "tg:1", Chat: "tg:5", User: "tg:5", Input: flows.Input{Kind: flows.CommandInput, Command: "report"}})
	if len(replies) != 1 || replies[0].Text != "Hệ thống đang bận, vui lòng thử lại sau ít phút." {
		t.Fatalf("got %+v, want the busy message", replies)
	}
}

// failingLink is a store whose Link fails: the moment between taking an invite and linking.
type failingLink struct{ bot.People }

func (failingLink) Link(context.Context, string, flows.Person) error {
	return errors.New("connection reset")
}

// TestDispatcherRedeemKeepsCodeOnFailure: a failure while linking must not burn the invite.
func TestDispatcherRedeemKeepsCodeOnFailure(t *testing.T) {
	store, d, _ := testkit.MustBot(t)
	seq := 0
	code := testkit.MustInvite(t, d, &seq, "Phường Tân Phong", "Hội LHPN · Phường Tân Phong")
	d.People = failingLink{store}
	lan := testkit.NewChat(t, d, "tg:2001", "Lan", &seq)
	lan.Command("start", code)
	lan.MustSay("Hệ thống đang bận")
	d.People = store
	lan.Command("start", code)
	lan.MustSay("Chào mừng Lan")
}

// TestDispatcherReplicasAlternate: two replicas on one Redis take turns with the same chat, as a
// load balancer may send them. Each replica's cached snapshot goes stale on every turn; the
// version checks catch it and the conversation reads exactly as with one replica.
func TestDispatcherReplicasAlternate(t *testing.T) {
	store2, d2, d1 := mustReplicas(t)
	seq := 0
	code := testkit.MustInvite(t, d1, &seq, "Phường Tân Phong", "Hội LHPN · Phường Tân Phong")
	// Each update goes to the other replica, so every keyboard Lan presses came from the other one.
	turn := 0
	balancer := testkit.HandlerFunc(func(ctx context.Context, in bot.Incoming) []flows.Reply {
		turn++
		return []*bot.Dispatcher{d1, d2}[(turn-1)%2].Handle(ctx, in)
	})
	c := testkit.NewChat(t, balancer, "tg:2001", "Lan", &seq)
	c.Command("start", code)
	c.Command("report", "")
	for i, answer := range []string{"1.250", "1100", "20", "1000"} {
		c.Text(answer)
		if i < 3 {
			c.MustSay("(" + strconv.Itoa(i+2) + "/4)")
		}
	}
	c.MustSay("Kiểm tra lại trước khi gửi")
	c.Press("Gửi")
	testkit.MustSubmitted(t, store2)
}

// TestDispatcherStaleReplicaCannotSubmit: Lan reaches the summary on replica A, cancels through
// replica B, then presses A's old Gửi. A's cached snapshot is stale; nothing may be submitted.
func TestDispatcherStaleReplicaCannotSubmit(t *testing.T) {
	storeA, a, b := mustReplicas(t)
	seq := 0
	lan := testkit.MustLanAtForm(t, a, &seq)
	for _, answer := range []string{"1250", "1100", "20", "1000"} {
		lan.Text(answer)
	}
	lan.MustSay("Kiểm tra lại trước khi gửi")
	send := lan.MustButton("Gửi")
	testkit.NewChat(t, b, "tg:2001", "Lan", &seq).Command("cancel", "")
	lan.Send(flows.Input{Kind: flows.ButtonInput, Data: send.Data})
	lan.MustSay("Biểu mẫu này đã thay đổi")
	if _, err := storeA.Submission(context.Background(), testkit.MemberKey); !errors.Is(err, flows.ErrNotFound) {
		t.Fatalf("got %v, want nothing submitted after the cancel", err)
	}
}

// TestDispatcherStaleReplicaKeepsUnits: a language change on a replica that cached Lan before
// she was given a second unit elsewhere must not take the unit away.
func TestDispatcherStaleReplicaKeepsUnits(t *testing.T) {
	storeA, a, b := mustReplicas(t)
	seq := 0
	testkit.MustLanAtForm(t, a, &seq)
	code := testkit.MustInvite(t, b, &seq, "Phường Tân Phong", "Đoàn Thanh niên · Phường Tân Phong")
	testkit.NewChat(t, b, "tg:2001", "Lan", &seq).Command("start", code)
	testkit.NewChat(t, a, "tg:2001", "Lan", &seq).Command("lang", "en")
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
	store, d, _ := testkit.MustBot(t)
	seq := 0
	lan := testkit.MustLanAtForm(t, d, &seq)
	if err := d.MarkUnreachable(context.Background(), "tg:2001"); err != nil {
		t.Fatal(err)
	}
	if p, _ := store.Person(context.Background(), "tg:2001"); !p.Unreachable {
		t.Fatalf("got %+v, want unreachable after the transport reported a block", p)
	}
	lan.Text("1250")
	lan.MustSay("(2/4)")
	if p, _ := store.Person(context.Background(), "tg:2001"); p.Unreachable {
		t.Fatalf("got %+v, want reachable once they write again", p)
	}
}
