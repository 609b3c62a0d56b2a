package telegram

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"danvan/bot"
	"danvan/config/dirsheet"
	"danvan/flows"
	"danvan/internal/faketg"
	"danvan/internal/fixture"
	"danvan/internal/testkit"
)

// citySheet is the tests' directory (the 2023 city) as a CSV sheet with more rows after it.
func citySheet(tb testing.TB, more string) []byte {
	tb.Helper()
	var b bytes.Buffer
	cfg := fixture.Config(tb)
	if err := dirsheet.WriteCSV(&b, cfg.Orgs, fixture.Directory(tb).Nodes()); err != nil {
		tb.Fatal(err)
	}
	return append(b.Bytes(), more...)
}

// send has person p send data as the document name and waits for the replies it expects.
func (p *person) send(fileID, name string, data []byte, replies int) faketg.Request {
	p.x.t.Helper()
	p.x.fake.AddFile(fileID, data)
	p.x.deliver(faketg.Document(p.id, fileID, name, len(data)))
	return p.wait(replies)
}

// An admin sends directory sheets over the Telegram Bot API: the bot downloads each (getFile,
// then the file) and answers with the errors at their rows and columns, or with what a valid
// sheet changes, the reports it keeps and how to apply it. /directory sends the directory as a
// workbook that reads back as itself. Nobody else's files are downloaded.
func TestE2EDirectorySheet(t *testing.T) {
	x := newE2E(t, false)
	testkit.MustSubmit(t, x.store, "tanphong-phunu", "tg:2001", time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC),
		testkit.Membership{Eligible: 100, Members: 80, NewMembers: 5, Active: 70})
	admin := &person{x: x, id: 1000}

	bad := admin.send("f1", "danh-ba.csv", citySheet(t, "xa-moi,Xã Mới,xa-abc,,,,,\n,Hội LHPN xã Mới,xa-moi,Hội Phụ nữ,,,,\n"), 1)
	mustContain(t, bad, "❌ Bảng danh bạ “danh-ba.csv” có 2 lỗi")
	mustContain(t, bad, "• Dòng 51, cột Cấp trên: không có đơn vị “xa-abc”")
	mustContain(t, bad, "• Dòng 52, cột Tổ chức: không có tổ chức “Hội Phụ nữ”")

	good := admin.send("f2", "danh-ba.csv", citySheet(t, "xa-moi,Xã Mới,laichau,,01/04/2026,,,\n,Hội LHPN xã Mới,xa-moi,Hội LHPN,,,,\n"), 1)
	for _, want := range []string{"✅ Bảng danh bạ “danh-ba.csv” hợp lệ: 51 dòng", "➕ Thêm 2: Xã Mới, Hội LHPN · Xã Mới",
		"🗂 Giữ nguyên toàn bộ 1 báo cáo đã nộp; 0 trong đó", "danvan directory import danh-ba.csv"} {
		mustContain(t, good, want)
	}
	if got := x.fake.Downloads(); got != 2 {
		t.Errorf("downloads: got %d, want 2 (one a sheet)", got)
	}

	admin.x.deliver(faketg.Text(admin.id, "/directory"))
	doc := x.fake.WaitRequests("sendDocument", 1, e2eWait)[0]
	testkit.MustContain(t, doc.Params["caption"], "📇 Danh bạ đang dùng: 8 địa bàn và 41 đơn vị báo cáo")
	testkit.MustContain(t, doc.Params["caption"], "gửi lại tệp (.xlsx hoặc .csv) vào đây")
	cur := dirsheet.Current{Orgs: fixture.Config(t).Orgs, Dir: fixture.Directory(t)}
	back := dirsheet.Check("danh-ba.xlsx", x.fake.Upload("sendDocument", "document", 0), cur, dirsheet.Options{})
	if !back.Check.Valid() || !back.Check.Change.Empty() {
		t.Errorf("the workbook /directory sent, read back: got %v, want the same directory", back.Check.Errors)
	}

	x.deliver(faketg.Document(admin.id, "f4", "to.xlsx", (bot.MaxSheetMB+1)<<20))
	mustContain(t, admin.wait(1), "lớn quá (tối đa 10 MB)")

	lan := &person{x: x, id: 2001}
	testkit.MustLink(t, x.store, "tg:2001", flows.Person{ID: "tg:2001", Name: "Lan", Units: []string{"tanphong-phunu"}})
	mustContain(t, lan.send("f5", "danh-ba.csv", citySheet(t, ""), 1), "Bot chỉ đọc được chữ và số")
	if got := x.fake.Downloads(); got != 2 {
		t.Errorf("downloads: got %d, want still 2 (none for a file too big or an organiser's)", got)
	}
	if got := len(x.fake.Requests("getFile")); got != 2 {
		t.Errorf("getFile: got %d calls, want 2", got)
	}
	if strings.Contains(strings.Join(x.fake.Sent(), "\n"), faketg.Token) {
		t.Errorf("a reply holds the token")
	}
}
