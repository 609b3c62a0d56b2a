package files

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"danvan/flows"
)

// BenchmarkLibreOffice opens report drafts in LibreOffice, as an official's Word would: each is
// converted to PDF headless, and the PDF must hold the title, the subject and the figures, on
// A4 pages (the annex landscape) set in Times New Roman or its metric twin. It is a benchmark
// so that it runs only when asked for, by .ci/docx-check, which installs LibreOffice first; it
// fails, never skips, without soffice, pdftotext or pdfinfo. DANVAN_DOCX_KEEP=dir keeps the
// files, to look at (pdftoppm -png).
func BenchmarkLibreOffice(b *testing.B) {
	for _, tool := range []string{"soffice", "pdftotext", "pdfinfo", "pdffonts"} {
		if _, err := exec.LookPath(tool); err != nil {
			b.Fatalf("%s: %v (run .ci/docx-check, which installs it)", tool, err)
		}
	}
	dir := os.Getenv("DANVAN_DOCX_KEEP")
	if dir == "" {
		dir = b.TempDir()
	}
	m, src := mustMaker(b)
	reportSources(m)
	addPrevious(b, src)
	cases := []struct {
		name string
		m    *Maker
		p    flows.Person
		want []string
	}{
		{"city", m, flows.Person{ID: "tg:8", Scopes: []string{"laichau"}}, []string{"86,7%", "1.300 / 1.500", "95,4%",
			"+6,7", "1/41 đơn vị", "Phụ nữ giữ rừng", "PHỤ LỤC 2", "Thành đoàn Lai Châu"}},
		{"ward", m, flows.Person{ID: "tg:7", Scopes: []string{"tanphong"}}, []string{"ĐẢNG ỦY PHƯỜNG TÂN PHONG",
			"1.240 / 1.300", "1/5 đơn vị", "Đoàn phường Tân Phong"}},
		{"province", mustProvinceMaker(b, 38), flows.Person{ID: "tg:1", Admin: true}, []string{"228/228 đơn vị", "Xã số 37"}},
	}
	common := []string{"ĐẢNG CỘNG SẢN VIỆT NAM", "BÁO CÁO", "Kết quả thực hiện công tác dân vận quý I năm 2026", "Nơi nhận:"}
	var took time.Duration
	for b.Loop() {
		for _, c := range cases {
			f, err := c.m.File(context.Background(), c.p, flows.Attachment{Kind: flows.DocFile, Period: "2026-Q1"}, flows.VI)
			if err != nil {
				b.Fatal(err)
			}
			docx := filepath.Join(dir, c.name+".docx")
			if err := os.WriteFile(docx, f.Data, 0o644); err != nil {
				b.Fatal(err)
			}
			start := time.Now()
			pdf := mustConvert(b, dir, docx)
			took += time.Since(start)
			checkPDF(b, pdf, append(common, c.want...))
		}
	}
	b.ReportMetric(took.Seconds()/float64(b.N*len(cases)), "s/convert")
}

// mustConvert converts docx to PDF with a LibreOffice profile of its own, so it runs beside
// anyone else's, and returns the PDF's path.
func mustConvert(b *testing.B, dir, docx string) string {
	b.Helper()
	profile := "file://" + filepath.Join(b.TempDir(), "lo")
	cmd := exec.Command("soffice", "-env:UserInstallation="+profile, "--headless", "--convert-to", "pdf", "--outdir", dir, docx)
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("soffice %s: %v\n%s", docx, err, out)
	}
	pdf := strings.TrimSuffix(docx, ".docx") + ".pdf"
	if _, err := os.Stat(pdf); err != nil {
		b.Fatalf("soffice made no PDF of %s: %v", docx, err)
	}
	return pdf
}

var spaces = regexp.MustCompile(`\s+`)

// checkPDF checks the PDF's text holds want (spaces folded), its first page is A4 portrait and
// its last A4 landscape (the annex), and its text is set in Times New Roman or Liberation Serif.
func checkPDF(b *testing.B, pdf string, want []string) {
	b.Helper()
	out, err := exec.Command("pdftotext", "-layout", pdf, "-").Output()
	if err != nil {
		b.Fatalf("pdftotext %s: %v", pdf, err)
	}
	text := spaces.ReplaceAllString(string(out), " ")
	for _, w := range want {
		if !strings.Contains(text, w) {
			b.Errorf("%s: got no %q in its text", filepath.Base(pdf), w)
		}
	}
	info, err := exec.Command("pdfinfo", "-f", "1", "-l", "999", pdf).Output()
	if err != nil {
		b.Fatalf("pdfinfo %s: %v", pdf, err)
	}
	var sizes []string
	for _, l := range strings.Split(string(info), "\n") {
		if strings.HasPrefix(l, "Page") && strings.Contains(l, " size:") {
			sizes = append(sizes, spaces.ReplaceAllString(l[strings.Index(l, "size:")+5:], " "))
		}
	}
	if len(sizes) < 2 || !strings.HasPrefix(sizes[0], " 595.") || !strings.HasPrefix(sizes[len(sizes)-1], " 841.") {
		b.Errorf("%s: page sizes %q, want A4 portrait first (595 × 842 pt) and the annex landscape last", filepath.Base(pdf), sizes)
	}
	fonts, err := exec.Command("pdffonts", pdf).Output()
	if err != nil {
		b.Fatalf("pdffonts %s: %v", pdf, err)
	}
	if !strings.Contains(string(fonts), "TimesNewRoman") && !strings.Contains(string(fonts), "LiberationSerif") {
		b.Errorf("%s: fonts\n%s\nwant Times New Roman or Liberation Serif (its metric twin)", filepath.Base(pdf), fonts)
	}
}
