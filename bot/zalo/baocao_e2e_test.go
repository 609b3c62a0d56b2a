package zalo

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"danvan/internal/fakezalo"
	"danvan/internal/filetest"
	"danvan/internal/testkit"
)

// TestZaloReportDraft: /baocao on Zalo comes as a link that serves the Word draft when the bot
// serves files (PUBLIC_URL), else as the draft's summary in text with a line saying so.
func TestZaloReportDraft(t *testing.T) {
	for _, served := range []bool{true, false} {
		t.Run(fmt.Sprintf("files=%v", served), func(t *testing.T) {
			var files *Files
			if served {
				files = &Files{}
				srv := httptest.NewServer(files.Handler())
				t.Cleanup(srv.Close)
				files.Base = srv.URL
			}
			x := newLeader(t, files)
			x.seed()
			got := fakezalo.Texts(x.say("z3001", "/baocao"))
			testkit.MustContain(t, got, "Dự thảo báo cáo kết quả công tác dân vận Quý I năm 2026 — Thành phố Lai Châu")
			link := linkIn(got)
			if !served {
				if link != "" || !strings.Contains(got, asText("Dự thảo báo cáo (Word)")) || !strings.Contains(got, "Đã báo cáo đủ: 0/41 đơn vị") {
					t.Fatalf("without a file server: got %q, want the draft's summary and the note, no link", got)
				}
				return
			}
			if want := "📎 Dự thảo báo cáo (Word) bao-cao-2026-Q1.docx — Zalo không nhận tệp nên bot gửi liên kết"; !strings.Contains(got, want) || !strings.HasPrefix(link, files.Base+FilesPath) {
				t.Fatalf("got %q, want a link to bao-cao-2026-Q1.docx under %s", got, files.Base)
			}
			res, err := http.Get(link)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, err := io.ReadAll(res.Body)
			if err != nil || res.StatusCode != http.StatusOK {
				t.Fatalf("GET draft: got %d, %v", res.StatusCode, err)
			}
			doc := filetest.MustReadDOCX(t, body)
			testkit.MustContain(t, strings.Join(doc.Lines, "\n"), "Kết quả thực hiện công tác dân vận quý I năm 2026")
		})
	}
}
