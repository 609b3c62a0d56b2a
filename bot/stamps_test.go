package bot

import (
	"context"
	"strings"
	"testing"
	"time"

	"danvan/config"
	"danvan/flows"
)

// lanSubmits has Lan answer the Membership form lanFigures and send it.
func lanSubmits(tb testing.TB, lan *chat) {
	tb.Helper()
	for _, v := range []string{"1.250", "1100", "20", "khoảng 1.000"} {
		lan.text(v)
	}
	lan.press("Gửi")
	lan.mustSay("Số tham chiếu")
}

// TestDispatcherShowsOtherReplicasWrites: a leader returns Lan's report through replica B while
// replica A keeps Lan's chat; her /mine on A, seconds later, shows the return. Nothing in A's
// process knows of the return: the stamps in Redis do.
func TestDispatcherShowsOtherReplicasWrites(t *testing.T) {
	store, a, b := mustReplicas(t)
	seq := 0
	lan := mustLanAtForm(t, a, &seq)
	lanSubmits(t, lan)
	lan.command("mine", "")
	lan.mustSay("phiên bản 1")

	mustLinkPerson(t, store, "tg:3001", flows.Person{ID: "tg:3001", Name: "Lãnh đạo phường", Scopes: []string{"tanphong"}})
	leader := newChat(t, b, "tg:3001", "Lãnh đạo phường", &seq)
	leader.command("figures", "")
	leader.press("Từng đơn vị")
	leader.press("Hội LHPN · Phường Tân Phong")
	leader.press("Trả lại")
	leader.text("Sai số hội viên")
	leader.mustSay("Đã trả lại")

	lan.command("mine", "")
	lan.mustSay("đã bị trả lại: Sai số hội viên")
}

// TestDispatcherOffersCorrectedPrevious: Lan is at question 1 of the Year report on replica A,
// offered last period's (Q3) figure; then Q3 is corrected to version 2 through replica B. Her
// press on the old "Giữ như kỳ trước" files nothing from version 1, and /report offers the
// corrected figure.
func TestDispatcherOffersCorrectedPrevious(t *testing.T) {
	store, a, b := mustReplicas(t)
	clock := &testClock{t: time.Date(2026, 10, 5, 9, 0, 0, 0, config.Default().Location())}
	a.Now, b.Now = clock.Now, clock.Now
	mustLinkPerson(t, store, "tg:2001", flows.Person{ID: "tg:2001", Name: "Lan", Units: []string{memberKey.Unit}})
	q3 := flows.Key{Unit: memberKey.Unit, Period: "2026-Q3", Form: memberKey.Form}
	v1 := flows.Submission{Key: q3, Ref: "AAAAAA", Values: lanFigures, By: "tg:2001", At: clock.Now().AddDate(0, 0, -25), Version: 1}
	form := mustForm(t, a, q3.Form)
	if err := store.Apply(context.Background(), []flows.Effect{flows.Submit{Submission: v1, Form: form}}); err != nil {
		t.Fatal(err)
	}
	seq := 0
	lan := newChat(t, a, "tg:2001", "Lan", &seq)
	lan.command("report", "")
	lan.press("Năm")
	lan.press("hội viên")
	lan.mustSay("(1/")
	keep := lan.mustButton("Giữ như kỳ trước: 1.250")

	v2 := v1
	v2.Values = map[string]int64{"eligible": 1300, "members": 1100, "new_members": 20, "active": 1000}
	v2.Version, v2.Ref, v2.At = 2, "BBBBBB", clock.Now()
	if err := b.Reports.Apply(context.Background(), []flows.Effect{flows.Submit{Submission: v2, Form: form, Replaces: &v1}}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(10 * time.Second)

	lan.send(flows.Input{Kind: flows.ButtonInput, Data: keep.Data})
	if strings.Contains(lan.said(), "1.250") {
		t.Errorf("press on the old keep button: got %q, want no sign of version 1", lan.said())
	}
	year := flows.Key{Unit: memberKey.Unit, Period: "2026-Y", Form: memberKey.Form}
	infos, err := store.Reports(context.Background(), []flows.ReportQuery{{Key: year, Person: "tg:2001"}})
	if err != nil {
		t.Fatal(err)
	}
	if d := infos[year].Draft; d != nil && d.Answers["eligible"] == 1250 {
		t.Errorf("draft: got eligible 1250 from the superseded version 1, want it not filed")
	}
	lan.command("report", "")
	lan.press("Năm")
	lan.press("hội viên")
	lan.mustSay("(1/")
	lan.mustButton("Giữ như kỳ trước: 1.300")
}

// mustForm is the form of the dispatcher's settings with id.
func mustForm(tb testing.TB, d *Dispatcher, id string) flows.Form {
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
	store, d := mustBot(t)
	clock := &testClock{t: time.Date(2026, 10, 5, 9, 0, 0, 0, config.Default().Location())}
	d.Now = clock.Now
	mustLinkPerson(t, store, "tg:2001", flows.Person{ID: "tg:2001", Name: "Lan", Units: []string{memberKey.Unit}})
	seq := 0
	lan := newChat(t, d, "tg:2001", "Lan", &seq)
	lan.command("report", "")
	lan.press("9 tháng")
	lan.press("hội viên")
	lanSubmits(t, lan)
	if _, ok := d.cache.m["tg:2001"]; !ok {
		t.Fatal("Lan's snapshot after her submission: dropped, want it kept")
	}
	lan.command("report", "")
	lan.press("Năm")
	lan.press("hội viên")
	lan.mustButton("Giữ như kỳ trước: 1.250")
}
