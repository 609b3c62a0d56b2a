package zalo

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"danvan/internal/testkit"
)

// Zalo gives bots no files: an admin's /directory there says so and where the sheet can go
// instead (Telegram, or the operator's import), and brings the directory itself as a link when
// files are served (PUBLIC_URL), else as text saying it cannot come here. A file sent anyway
// reaches the bot as an unsupported message and is asked for as text.
func TestZaloDirectoryTakesNoFiles(t *testing.T) {
	for _, served := range []bool{true, false} {
		t.Run(fmt.Sprintf("files=%v", served), func(t *testing.T) {
			var files *Files
			if served {
				files = &Files{}
				srv := httptest.NewServer(files.Handler())
				t.Cleanup(srv.Close)
				files.Base = srv.URL
			}
			x := newE2E(t, false, files)
			x.d.Settings.Admins["zalo:z1000"] = true
			said := x.text("z1000", "/directory", 1)
			testkit.MustContain(t, said, "📇 Danh bạ đang dùng: 8 địa bàn và 41 đơn vị báo cáo")
			testkit.MustContain(t, said, "Zalo không cho bot nhận tệp, nên không gửi bảng vào đây được: hãy gửi tệp cho bot qua Telegram, hoặc nhờ người vận hành chạy lệnh danvan directory import <tệp> trên máy chủ.")
			if served {
				testkit.MustContain(t, said, "📎 Bảng tính Excel danh-ba.xlsx — Zalo không nhận tệp nên bot gửi liên kết tải về (dùng được đến ")
				if !strings.HasPrefix(linkIn(said), files.Base+FilesPath) {
					t.Errorf("got %q, want a link under %s", said, files.Base)
				}
			} else {
				testkit.MustContain(t, said, "Danh bạ: bảng 49 dòng. Tệp bảng tính không gửi được qua kênh này")
			}
			if strings.Contains(said, "gửi lại tệp (.xlsx hoặc .csv) vào đây") {
				t.Errorf("got %q, want no invitation to send the file here", said)
			}
			said = x.say("z1000", "message.unsupported.received", "", 1)
			testkit.MustContain(t, said, "Bot chỉ đọc được chữ và số")
		})
	}
}
