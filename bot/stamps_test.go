package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"danvan/bot"
	"danvan/config"
	"danvan/flows"
	"danvan/internal/testkit"
)

// lanSubmits has Lan answer the Membership form testkit.LanFigures and send it.
func lanSubmits(tb testing.TB, lan *testkit.Chat) {
	tb.Helper()
	for _, v := range []string{"1.250", "1100", "20", "khoảng 1.000"} {
		lan.Text(v)
	}
	lan.Press("Gửi")
	lan.MustSay("Số tham chiếu")
}

// TestDispatcherShowsOtherReplicasWrites: a leader returns Lan's report through replica B while
// replica A keeps Lan's chat; her /mine on A, seconds later, shows the return. Nothing in A's
// process knows of the return: the stamps in Redis do.
func TestDispatcherShowsOtherReplicasWrites(t *testing.T) {
	store, a, b := mustReplicas(t)
	seq := 0
	lan := testkit.MustLanAtForm(t, a, &seq)
	lanSubmits(t, lan)
	lan.Command("mine", "")
	lan.MustSay("phiên bản 1")

	testkit.MustLink(t, store, "tg:3001", flows.Person{ID: "tg:3001", Name: "Lãnh đạo phường", Scopes: []string{"tanphong"}})
	leader := testkit.NewChat(t, b, "tg:3001", "Lãnh đạo phường", &seq)
	leader.Command("figures", "")
	leader.Press("Từng đơn vị")
	leader.Press("Hội LHPN · Phường Tân Phong")
	leader.Press("Trả lại")
	leader.Text("Sai số hội viên")
	leader.MustSay("Đã trả lại")

	lan.Command("mine", "")
	lan.MustSay("đã bị trả lại: Sai số hội viên")
}

// TestDispatcherOffersCorrectedPrevious: Lan is at question 1 of the Year report on replica A,
// offered last period's (Q3) figure; then Q3 is corrected to version 2 through replica B. Her
// press on the old "Giữ như kỳ trước" files nothing from version 1, and /report offers the
// corrected figure.
func TestDispatcherOffersCorrectedPrevious(t *testing.T) {
	store, a, b := mustReplicas(t)
	clock := testkit.ClockAt(time.Date(2026, 10, 5, 9, 0, 0, 0, config.Default().Location()))
	a.Now, b.Now = clock.Now, clock.Now
	testkit.MustLink(t, store, "tg:2001", flows.Person{ID: "tg:2001", Name: "Lan", Units: []string{testkit.MemberKey.Unit}})
	q3 := flows.Key{Unit: testkit.MemberKey.Unit, Period: "2026-Q3", Form: testkit.MemberKey.Form}
	v1 := flows.Submission{Key: q3, Ref: "AAAAAA", Values: testkit.LanFigures, By: "tg:2001", At: clock.Now().AddDate(0, 0, -25), Version: 1}
	form := mustForm(t, a, q3.Form)
	if err := store.Apply(context.Background(), []flows.Effect{flows.Submit{Submission: v1, Form: form}}); err != nil {
		t.Fatal(err)
	}
	seq := 0
	lan := testkit.NewChat(t, a, "tg:2001", "Lan", &seq)
	lan.Command("report", "")
	lan.Press("Đổi") // /report opens the nine months' Activities, still owed
	lan.Press("Năm")
	lan.MustSay("(1/")
	keep := lan.MustButton("Giữ như kỳ trước: 1.250")

	v2 := v1
	v2.Values = map[string]int64{"eligible": 1300, "members": 1100, "new_members": 20, "active": 1000}
	v2.Version, v2.Ref, v2.At = 2, "BBBBBB", clock.Now()
	if err := b.Reports.Apply(context.Background(), []flows.Effect{flows.Submit{Submission: v2, Form: form, Replaces: &v1}}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(10 * time.Second)

	lan.Send(flows.Input{Kind: flows.ButtonInput, Data: keep.Data})
	if strings.Contains(lan.Said(), "1.250") {
		t.Errorf("press on the old keep button: got %q, want no sign of version 1", lan.Said())
	}
	year := flows.Key{Unit: testkit.MemberKey.Unit, Period: "2026-Y", Form: testkit.MemberKey.Form}
	infos, err := store.Reports(context.Background(), []flows.ReportQuery{{Key: year, Person: "tg:2001"}})
	if err != nil {
		t.Fatal(err)
	}
	if d := infos[year].Draft; d != nil && d.Answers["eligible"] == 1250 {
		t.Errorf("draft: got eligible 1250 from the superseded version 1, want it not filed")
	}
	lan.Command("report", "")
	lan.Press("Đổi") // /report opens the nine months' Activities, still owed
	lan.Press("Năm")
	lan.MustSay("(1/")
	lan.MustButton("Giữ như kỳ trước: 1.300")
}

// mustForm is the form of the dispatcher's settings with id.
func mustForm(tb testing.TB, d *bot.Dispatcher, id string) flows.Form {
	tb.Helper()
	for _, f := range d.Settings.Forms {
		if f.ID == id {
			return f
		}
	}
	tb.Fatalf("no form %q", id)
	return flows.Form{}
}

// TestDispatcherKeepsOwnSubmission: Lan files Q3 for the first time while the Year is open; her
// chat keeps what it read across the submission (no reload), and the Year's form offers the
// figures she just sent as last period's.
func TestDispatcherKeepsOwnSubmission(t *testing.T) {
	store, d, _ := testkit.MustBot(t)
	clock := testkit.ClockAt(time.Date(2026, 10, 5, 9, 0, 0, 0, config.Default().Location()))
	d.Now = clock.Now
	testkit.MustLink(t, store, "tg:2001", flows.Person{ID: "tg:2001", Name: "Lan", Units: []string{testkit.MemberKey.Unit}})
	seq := 0
	lan := testkit.NewChat(t, d, "tg:2001", "Lan", &seq)
	lan.Command("report", "") // the nine months, due last, before the Year
	lanSubmits(t, lan)
	if !bot.Cached(d, testkit.Lan) {
		t.Fatal("Lan's snapshot after her submission: dropped, want it kept")
	}
	lan.Command("report", "")
	lan.Press("Đổi") // /report opens the nine months' Activities, still owed
	lan.Press("Năm")
	lan.MustButton("Giữ như kỳ trước: 1.250")
}
