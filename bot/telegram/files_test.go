package telegram

import (
	"bytes"
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"danvan/flows"
	"danvan/internal/faketg"
	"danvan/internal/filetest"
	"danvan/internal/testkit"
)

// mustFile renders a for p with the dispatcher's FileMaker over the real store, after two
// organisers of Tân Phong reported for Q1 2026: the Women's Union on time, the Youth Union late.
func mustFile(tb testing.TB, p flows.Person, a flows.Attachment) flows.File {
	tb.Helper()
	store, d, clock := testkit.MustBot(tb)
	day := func(n int) time.Time { return time.Date(2026, 3, n, 9, 0, 0, 0, clock.Now().Location()) }
	testkit.MustSubmit(tb, store, "tanphong-phunu", "tg:1", day(10), testkit.Membership{Eligible: 1000, Members: 900, NewMembers: 12, Active: 850})
	testkit.MustSubmit(tb, store, "tanphong-doan", "tg:1", day(20), testkit.Membership{Eligible: 500, Members: 400, NewMembers: 3, Active: 390})
	f, err := d.Files.File(context.Background(), p, a, flows.VI)
	if err != nil {
		tb.Fatalf("File(%+v): %v", a, err)
	}
	return f
}

func TestTelegramSendsChartAsPhoto(t *testing.T) {
	city := flows.Person{ID: "tg:8", Scopes: []string{"laichau"}}
	f := mustFile(t, city, flows.Attachment{Kind: flows.ChartFile, Period: "2026-Q1", Indicator: "1.5"})
	x := newHarness(t, nil, nil)
	btn := [][]flows.Button{{{Label: "⬅️ Quay lại", Data: "*|fig|laichau"}}}
	x.h.reply = fixedReplies(flows.Reply{Text: "Biểu đồ chỉ tiêu 1.5 <Quý I>", Buttons: btn, File: &f})
	x.fake.Push(faketg.Text(8, "/chart 1.5"))
	x.run(t)
	req := x.fake.WaitRequests("sendPhoto", 1, failsafe)[0]
	x.stop(t)
	if got, want := req.Params["caption"], "Biểu đồ chỉ tiêu 1.5 &lt;Quý I&gt;"; got != want {
		t.Errorf("caption: got %q, want %q", got, want)
	}
	if got := req.Buttons(); !reflect.DeepEqual(got, btn) {
		t.Errorf("buttons: got %v, want %v", got, btn)
	}
	photo := x.fake.Upload("sendPhoto", "photo", 0)
	filetest.MustPNG(t, photo)
	if !bytes.Equal(photo, f.Data) {
		t.Errorf("uploaded photo: got %d bytes, want the chart's %d bytes as rendered", len(photo), len(f.Data))
	}
	if got := len(x.fake.Requests("sendMessage")); got != 0 {
		t.Errorf("sendMessage calls: got %d, want 0 (the text is the caption)", got)
	}
}

func TestTelegramSendsSheetAsDocument(t *testing.T) {
	ward := flows.Person{ID: "tg:7", Scopes: []string{"tanphong"}}
	f := mustFile(t, ward, flows.Attachment{Kind: flows.SheetFile, Period: "2026-Q1"})
	x := newHarness(t, nil, nil)
	long := strings.Repeat("Đã báo cáo 2/5 đơn vị. ", 60) // over the 1024-character caption limit
	if err := x.tg.Send(context.Background(), "tg:7", flows.Reply{Text: long, File: &f}); err != nil {
		t.Fatalf("Send: got %v, want nil", err)
	}
	msgs := x.fake.Requests("sendMessage")
	docs := x.fake.Requests("sendDocument")
	if len(msgs) != 1 || len(docs) != 1 || msgs[0].MessageID > docs[0].MessageID {
		t.Fatalf("calls: got %d messages and %d documents, want the text first, then the file", len(msgs), len(docs))
	}
	if got := docs[0].Params["caption"]; got != "" {
		t.Errorf("caption: got %q, want none (the text went first)", got)
	}
	xf := filetest.MustOpenXLSX(t, x.fake.Upload("sendDocument", "document", 0))
	sh := "Sinh hoạt & hội viên"
	if got := filetest.SheetHeader(t, xf, sh)[3]; got != "Đơn vị" {
		t.Errorf("header D: got %q, want %q", got, "Đơn vị")
	}
	if got := len(filetest.UnitRows(t, xf, sh)); got != 5 {
		t.Errorf("unit rows: got %d, want Tân Phong's 5 units", got)
	}
	if got := filetest.FindRow(t, xf, sh, "Đoàn phường Tân Phong")[10]; got != "trễ" {
		t.Errorf("status: got %q, want trễ", got)
	}
}
