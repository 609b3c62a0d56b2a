package telegram

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"danvan/internal/filetest"
)

// The written report end to end (issue 13): organisers register a "Dân vận khéo" model and write
// their results, shortcomings and proposals over Telegram, a message or two at a time; /baocao
// then returns a Word draft that quotes them, each under its unit's name, and counts the model
// by field. A ward's leader gets a draft of the ward alone.

// fillActivities has the organiser of chat answer the six-month Activities form: the counts of
// models and exemplars from the register when it offers them, the written answers as given
// ("" skips one), each a message per line, then "Xong".
func (x *leaderE2E) fillActivities(chat int64, written ...string) {
	x.t.Helper()
	mustSee(x.t, x.say(chat, "/report"), "(1/4)") // Membership, owed first
	x.press(chat, "Đổi")
	mustSee(x.t, x.press(chat, "Hoạt động"), "(1/9)")
	for _, v := range []string{"6", "180"} {
		x.say(chat, v)
	}
	for _, q := range []string{"(4/9)", "(5/9)"} { // models, exemplars: the register's, or typed
		if strings.Contains(texts(x.messages(chat)[len(x.messages(chat))-1:]), "Theo sổ mô hình") {
			mustSee(x.t, x.press(chat, "Theo sổ mô hình"), q)
		} else {
			mustSee(x.t, x.say(chat, "0"), q)
		}
	}
	x.say(chat, "12")
	mustSee(x.t, x.say(chat, "9"), "(7/9) Kết quả nổi bật")
	for _, text := range written {
		if text == "" {
			x.press(chat, "Bỏ qua")
			continue
		}
		for _, line := range strings.Split(text, "\n") {
			mustSee(x.t, x.say(chat, line), "Đã nhận")
		}
		x.press(chat, "Xong")
	}
	mustSee(x.t, x.press(chat, "Gửi"), "Số tham chiếu")
}

// registerModel has the organiser of chat register a model started this month and recognised
// by the province, through /mohinh.
func (x *leaderE2E) registerModel(chat int64, name, field string) {
	x.t.Helper()
	x.say(chat, "/mohinh")
	mustSee(x.t, x.press(chat, "Đăng ký mô hình"), "(1/4) Tên mô hình")
	mustSee(x.t, x.say(chat, name), "(2/4)")
	mustSee(x.t, x.press(chat, field), "(3/4)")
	mustSee(x.t, x.press(chat, "Tháng này"), "(4/4)")
	mustSee(x.t, x.press(chat, "Cấp tỉnh"), "Kiểm tra trước khi lưu", name)
	mustSee(x.t, x.press(chat, "Lưu"), "Đã đăng ký mô hình")
}

func TestE2EReportDraft(t *testing.T) {
	x := newLeaderE2E(t)
	x.mustLink(chatLan, "Lò Thị Lan", []string{"tanphong-phunu"}, nil)
	x.mustLink(chatDao, "Tao Thị Đào", []string{"doanket-phunu"}, nil)
	x.mustLink(chatCity, "Chủ tịch", nil, []string{"laichau"})
	x.mustLink(chatWard, "Bí thư phường", nil, []string{"tanphong"})
	// 14 June: Q1's reports closed yesterday, the six months' are open; the written answers are
	// asked in the six-month report.
	x.clock.Set(time.Date(2026, 6, 14, 10, 0, 0, 0, x.clock.Now().Location()))
	x.registerModel(chatLan, "Phụ nữ bản Sin Suối Hồ giữ rừng", "rừng")
	x.fillActivities(chatLan,
		"Tổ chức 6 buổi tuyên truyền về phòng, chống ma túy.\nVận động 40 hội viên <tham gia> trồng rừng & bảo vệ rừng đầu nguồn.",
		"Một số chi hội ở bản xa sinh hoạt chưa đều.",
		"")
	x.fillActivities(chatDao, "", "Địa bàn phường Đoàn Kết đông dân, hội viên đi làm xa.", "Đề nghị hỗ trợ kinh phí cho chi hội.")

	city := x.say(chatCity, "/baocao")
	mustSee(t, city, "Dự thảo báo cáo kết quả công tác dân vận 6 tháng đầu năm 2026 — Thành phố Lai Châu")
	doc := filetest.MustReadDOCX(t, mustOneFile(t, city, "sendDocument"))
	text := strings.Join(doc.Lines, "\n")
	for _, want := range []string{
		"BÁO CÁO",
		"Kết quả thực hiện công tác dân vận 6 tháng đầu năm 2026",
		"- Hội LHPN phường Tân Phong: Tổ chức 6 buổi tuyên truyền về phòng, chống ma túy.\nVận động 40 hội viên <tham gia> trồng rừng & bảo vệ rừng đầu nguồn.",
		"- Hội LHPN phường Tân Phong: Một số chi hội ở bản xa sinh hoạt chưa đều.",
		"- Hội LHPN phường Đoàn Kết: Địa bàn phường Đoàn Kết đông dân, hội viên đi làm xa.",
		"- Hội LHPN phường Đoàn Kết: Đề nghị hỗ trợ kinh phí cho chi hội.",
		"Các đơn vị đã đăng ký xây dựng 1 mô hình \"Dân vận khéo\" (1 đơn vị có mô hình), trong đó 1 mô hình được công nhận",
		"| 1 | Bảo vệ và phát triển rừng | 1 | 1 | 1 |",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("city's draft: want it to contain %q", want)
		}
	}

	ward := x.say(chatWard, "/baocao 6 tháng")
	wdoc := filetest.MustReadDOCX(t, mustOneFile(t, ward, "sendDocument"))
	wtext := strings.Join(wdoc.Lines, "\n")
	for _, want := range []string{"ĐẢNG ỦY PHƯỜNG TÂN PHONG", "- Hội LHPN phường Tân Phong: Một số chi hội ở bản xa sinh hoạt chưa đều."} {
		if !strings.Contains(wtext, want) {
			t.Errorf("ward's draft: want it to contain %q", want)
		}
	}
	for name, part := range wdoc.Parts {
		if bytes.Contains(part, []byte("Đoàn Kết")) || bytes.Contains(part, []byte("hỗ trợ kinh phí")) {
			t.Errorf("ward's draft %s: holds Đoàn Kết's report, want Tân Phong's only", name)
		}
	}
}
