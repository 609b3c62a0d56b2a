package files

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"danvan/flows"
	"danvan/internal/filetest"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// reportSources gives m narrative answers and a register: two of Tân Phong's units wrote, a
// unit of San Thàng too, and a unit outside the directory (whose answer must never show).
func reportSources(m *Maker) {
	m.Narratives = &fakeNarratives{list: []Narrative{
		{Unit: "tanphong-phunu", Question: "shortcomings", Text: "Một số chi hội sinh hoạt chưa đều.\r\nKinh phí hoạt động còn hạn chế."},
		{Unit: "tanphong-doan", Question: "proposals", Text: "Đề nghị hỗ trợ kinh phí <Tháng Thanh niên> & hoạt động tình nguyện."},
		{Unit: "tanphong-phunu", Question: "results", Text: "Ra mắt mô hình \u202e\"Phụ nữ giữ rừng\"\u202c\x07."},
		{Unit: "santhang-phunu", Question: "shortcomings", Text: "Địa bàn rộng, đi lại khó khăn."},
		{Unit: "ghost", Question: "shortcomings", Text: "Không thuộc địa bàn."},
		{Unit: "tanphong-ccb", Question: "proposals", Text: "   "},
	}}
	m.Models = &fakeModels{list: []Model{
		{Unit: "tanphong-phunu", Name: "Phụ nữ giữ rừng", Field: "Bảo vệ và phát triển rừng", Recognised: true, Level: "tỉnh"},
		{Unit: "tanphong-doan", Name: "Thanh niên làm kinh tế", Field: "Phát triển kinh tế, thay đổi tập quán lạc hậu"},
		{Unit: "tanphong-phunu", Name: "Tổ hợp tác dệt thổ cẩm", Field: "Phát triển kinh tế, thay đổi tập quán lạc hậu"},
		{Unit: "santhang-phunu", Name: "Giữ gìn văn hóa", Field: "Giữ gìn bản sắc văn hóa dân tộc", Recognised: true},
	}}
}

// addPrevious gives two units a report of the Year 2025, the period before Q1 2026.
func addPrevious(tb testing.TB, src *fakeFigures) {
	tb.Helper()
	for unit, v := range map[string]map[string]int64{
		"tanphong-phunu": {"eligible": 1000, "members": 800, "new_members": 0, "active": 700},
		"tanphong-doan":  {"eligible": 500, "members": 400, "new_members": 0, "active": 380},
	} {
		k := flows.Key{Unit: unit, Period: "2025-Y", Form: "membership"}
		at := fixtureAt(tb, 1, 9).AddDate(0, -4, 0)
		src.subs[k] = flows.Submission{Key: k, Values: v, By: "tg:1", At: at, Version: 1}
	}
}

func TestMakerDOCX(t *testing.T) {
	m, src := mustMaker(t)
	reportSources(m)
	addPrevious(t, src)
	city := flows.Person{ID: "tg:8", Scopes: []string{"laichau"}}
	f := mustFile(t, m, city, flows.Attachment{Kind: flows.DocFile, Period: "2026-Q1"})
	if f.Kind != flows.Document || f.Name != "bao-cao-2026-Q1.docx" || f.MIME != DOCXMIME {
		t.Errorf("file: got %s %s %s, want a Word document bao-cao-2026-Q1.docx", f.Kind, f.Name, f.MIME)
	}
	if got, want := src.Calls(), []string{"Submissions", "Tallies"}; !slices.Equal(got, want) {
		t.Errorf("source calls: got %v, want %v", got, want)
	}
	v := filetest.MustReadDOCX(t, f.Data)
	checkPackage(t, v)
	checkHead(t, v, "TỈNH ỦY LAI CHÂU", "BAN TUYÊN GIÁO VÀ DÂN VẬN", "Số        -BC/BTGDV")
	ind := v.TableWith(t, "Chỉ tiêu", "Nội dung")
	want := [][]string{
		{"Chỉ tiêu", "Nội dung", "Mục tiêu", "Kết quả", "Số liệu", "Năm 2025", "Tăng (+), giảm (-)", "Đánh giá"},
		{"1.5", "Tỷ lệ tập hợp quần chúng vào tổ chức", "> 85%", "86,7%", "1.300 / 1.500", "80%", "+6,7", "Đạt"},
		{"1.6", "Tỷ lệ đoàn viên, hội viên sinh hoạt thường xuyên", "> 90%", "95,4%", "1.240 / 1.300", "90%", "+5,4", "Đạt"},
		{"1.4", "Có mô hình “Dân vận khéo”", "> 95% đơn vị đạt ≥ 1", "100%", "1 / 1 đơn vị", "—", "—", "Đạt"},
		{"1.4b", "Có điển hình “Dân vận khéo” (01–02 mỗi đơn vị)", "> 95% đơn vị đạt ≥ 1", "100%", "1 / 1 đơn vị", "—", "—", "Đạt"},
		{"kn", "Tỷ lệ ý kiến, kiến nghị đã giải quyết", "—", "70%", "7 / 10", "—", "—", "—"},
	}
	if !equalRows(ind, want) {
		t.Errorf("indicators table:\ngot  %q\nwant %q", ind, want)
	}
	units := unitNames(m, "laichau")
	for _, head := range []string{"Địa bàn, đơn vị", "Tổ chức, đơn vị"} {
		if got := annexUnits(v.TableWith(t, "STT", head)); !sameSet(got, units) {
			t.Errorf("annex %s: got %d units %q, want the %d units in scope", head, len(got), got, len(units))
		}
	}
	text := strings.Join(v.Lines, "\n")
	for _, s := range []string{
		"- Hội LHPN phường Tân Phong: Một số chi hội sinh hoạt chưa đều.\nKinh phí hoạt động còn hạn chế.",
		"- Đoàn phường Tân Phong: Đề nghị hỗ trợ kinh phí <Tháng Thanh niên> & hoạt động tình nguyện.",
		"- Hội LHPN phường Tân Phong: Ra mắt mô hình \"Phụ nữ giữ rừng\".",
		"- Hội LHPN xã San Thàng: Địa bàn rộng, đi lại khó khăn.",
		"| 2 | Phát triển kinh tế, thay đổi tập quán lạc hậu | 2 | 0 | 2 |",
		"|  | Cộng | 4 | 2 | 3 |",
		"Có 1/41 đơn vị đã báo cáo đầy đủ; 2 đơn vị chưa báo cáo đủ các biểu; 38 đơn vị chưa báo cáo; 1 đơn vị có báo cáo bị trả lại để chỉnh sửa.",
	} {
		if !strings.Contains(text, s) {
			t.Errorf("document: want it to contain %q", s)
		}
	}
	for _, s := range []string{"Không thuộc địa bàn", "\u202e", "\x07"} {
		if strings.Contains(text, s) || bytes.Contains(v.Parts["word/document.xml"], []byte(s)) {
			t.Errorf("document: got %q, want it left out", s)
		}
	}
	checkGolden(t, "report_city_q1.golden", text)
}

// checkPackage checks the parts Word needs are there, each declared and related, and the page
// and fonts of a Party document.
func checkPackage(t *testing.T, v filetest.DOCX) {
	t.Helper()
	types := string(v.Parts["[Content_Types].xml"])
	for _, p := range []string{"word/document.xml", "word/styles.xml", "word/settings.xml", "word/header1.xml",
		"docProps/core.xml", "docProps/app.xml"} {
		if _, ok := v.Parts[p]; !ok {
			t.Errorf("package: no %s", p)
		}
		if !strings.Contains(types, `PartName="/`+p+`"`) {
			t.Errorf("[Content_Types].xml: no override for /%s", p)
		}
	}
	for _, p := range []string{"_rels/.rels", "word/_rels/document.xml.rels"} {
		if _, ok := v.Parts[p]; !ok {
			t.Errorf("package: no %s", p)
		}
	}
	rels := string(v.Parts["word/_rels/document.xml.rels"])
	for _, target := range []string{"styles.xml", "settings.xml", "header1.xml"} {
		if !strings.Contains(rels, `Target="`+target+`"`) {
			t.Errorf("document.xml.rels: no relationship to %s", target)
		}
	}
	if want := []string{"11906x16838", "16838x11906 landscape"}; !slices.Equal(v.Sections, want) {
		t.Errorf("sections: got %q, want A4 portrait then the annex landscape %q", v.Sections, want)
	}
	doc := string(v.Parts["word/document.xml"])
	if !strings.Contains(doc, `<w:pgMar w:top="1134" w:right="851" w:bottom="1134" w:left="1701"`) {
		t.Errorf("margins: want top and bottom 20 mm, left 30 mm, right 15 mm")
	}
	styles := string(v.Parts["word/styles.xml"])
	for _, s := range []string{`w:ascii="Times New Roman"`, `<w:sz w:val="28"/>`, `w:val="vi-VN"`} {
		if !strings.Contains(styles, s) {
			t.Errorf("styles.xml: want %s", s)
		}
	}
}

// checkHead checks the header blocks of Hướng dẫn 36-HD/VPTW and the title.
func checkHead(t *testing.T, v filetest.DOCX, superior, issuer, number string) {
	t.Helper()
	head := v.Tables[0]
	want := [][]string{{superior + " / " + issuer + " / *", "ĐẢNG CỘNG SẢN VIỆT NAM"},
		{number, "Lai Châu, ngày … tháng … năm 2026"}}
	if !equalRows(head, want) {
		t.Errorf("header blocks: got %q, want %q", head, want)
	}
	if p := v.Para(t, issuer); !p.Bold || p.Align != "center" || !p.InTable {
		t.Errorf("issuer: got %+v, want bold and centred at the top left", p)
	}
	if p := v.Para(t, "ĐẢNG CỘNG SẢN VIỆT NAM"); !p.Bold || !p.Underline || p.Size != "30" {
		t.Errorf("party: got %+v, want bold, underlined, 15 pt", p)
	}
	if p := v.Para(t, "Lai Châu, ngày … tháng … năm 2026"); !p.Italic || p.Align != "right" {
		t.Errorf("date: got %+v, want italic at the right", p)
	}
	if p := v.Para(t, "BÁO CÁO"); !p.Bold || p.Align != "center" || p.InTable {
		t.Errorf("title: got %+v, want bold and centred below the header", p)
	}
	if p := v.Para(t, "Kết quả thực hiện công tác dân vận quý I năm 2026"); !p.Bold || p.Align != "center" {
		t.Errorf("subject: got %+v, want bold and centred", p)
	}
	v.Para(t, "Nơi nhận:")
}

// equalRows compares table rows, ignoring cells a row lacks at its end.
func equalRows(got, want [][]string) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if !slices.Equal(got[i], want[i]) {
			return false
		}
	}
	return true
}

// annexUnits returns the unit names of an annex table: the rows numbered 1, 2, ….
func annexUnits(tbl [][]string) []string {
	var out []string
	for _, r := range tbl[min(1, len(tbl)):] {
		if len(r) > 1 && r[0] != "" && r[0] != "STT" && !strings.Contains(r[0], ".") {
			out = append(out, r[1])
		}
	}
	return out
}

func unitNames(m *Maker, scope string) []string {
	var out []string
	for _, u := range m.Dir.Units(scope) {
		out = append(out, u.Name.Vi)
	}
	return out
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// checkGolden compares got with testdata/name, rewriting it with -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden %s: %v (run with -update)", name, err)
	}
	if got+"\n" != string(want) {
		t.Errorf("golden %s differs (run with -update and read the diff):\n%s", name, got)
	}
}

// A commune's leader gets their commune's report: issued by its Party committee, every table
// and every sentence about its units only, checked inside the file.
func TestReportCommuneScope(t *testing.T) {
	m, _ := mustMaker(t)
	reportSources(m)
	ward := flows.Person{ID: "tg:7", Scopes: []string{"tanphong"}}
	f := mustFile(t, m, ward, flows.Attachment{Kind: flows.DocFile, Period: "2026-Q1"})
	v := filetest.MustReadDOCX(t, f.Data)
	checkHead(t, v, "ĐẢNG BỘ TỈNH LAI CHÂU", "ĐẢNG ỦY PHƯỜNG TÂN PHONG", "Số        -BC/ĐU")
	units := unitNames(m, "tanphong")
	for _, head := range []string{"Địa bàn, đơn vị", "Tổ chức, đơn vị"} {
		if got := annexUnits(v.TableWith(t, "STT", head)); !sameSet(got, units) {
			t.Errorf("annex %s: got %q, want %q", head, got, units)
		}
	}
	for name, part := range v.Parts {
		for _, other := range []string{"Đoàn Kết", "Quyết Thắng", "Quyết Tiến", "Đông Phong", "San Thàng", "Nậm Loỏng", "thành phố Lai Châu"} {
			if bytes.Contains(part, []byte(other)) {
				t.Errorf("%s: got %q, want nothing outside Tân Phong", name, other)
			}
		}
	}
	text := strings.Join(v.Lines, "\n")
	for _, s := range []string{"Có 1/5 đơn vị đã báo cáo đầy đủ", "| 1 | Bảo vệ và phát triển rừng | 1 | 1 | 1 |", "|  | Cộng | 3 | 1 | 2 |",
		// Tân Phong's Women's Union typed 1 model and 2 exemplars; its register has 2 and 1, which
		// the report reads (flows.ModelCount.Used).
		"|  | Tổng cộng | 1.500 | 1.300 | 86,7% | 1.240 | 95,4% | 2 | 1 | 10 | 7 | 70% | 1/5 đơn vị |"} {
		if !strings.Contains(text, s) {
			t.Errorf("document: want it to contain %q", s)
		}
	}
}

// Without narrative answers or a register the draft holds a sentence for the official to write
// in each section, and no models section at all.
func TestReportWithoutSources(t *testing.T) {
	m, _ := mustMaker(t)
	chair := flows.Person{ID: "tg:9", Scopes: []string{"laichau@phunu"}}
	f := mustFile(t, m, chair, flows.Attachment{Kind: flows.DocFile, Period: "2026-Q1"})
	v := filetest.MustReadDOCX(t, f.Data)
	for _, s := range []string{"(Nêu những hạn chế, khó khăn và nguyên nhân.)", "(Nêu các đề xuất, kiến nghị với cấp trên.)"} {
		if p := v.Para(t, s); !p.Italic {
			t.Errorf("placeholder %q: got %+v, want italic", s, p)
		}
	}
	text := strings.Join(v.Lines, "\n")
	if strings.Contains(text, "Dân vận khéo\"") || strings.Contains(text, "Lĩnh vực") {
		t.Errorf("document: got a models section, want none without a register:\n%s", text)
	}
	if !strings.Contains(text, "của Hội Liên hiệp Phụ nữ Việt Nam trên địa bàn thành phố Lai Châu") {
		t.Errorf("document: want the opening to name the organisation")
	}
	if got := annexUnits(v.TableWith(t, "STT", "Tổ chức, đơn vị")); !sameSet(got, []string{
		"Hội LHPN thành phố Lai Châu", "Hội LHPN phường Tân Phong", "Hội LHPN phường Đoàn Kết", "Hội LHPN phường Quyết Thắng",
		"Hội LHPN phường Quyết Tiến", "Hội LHPN phường Đông Phong", "Hội LHPN xã San Thàng", "Hội LHPN xã Nậm Loỏng"}) {
		t.Errorf("annex: got %q, want the Women's Union's 8 units", got)
	}
}

func TestReportOutOfScopeAndNoTemplate(t *testing.T) {
	m, src := mustMaker(t)
	ward := flows.Person{ID: "tg:7", Scopes: []string{"tanphong"}}
	a := flows.Attachment{Kind: flows.DocFile, Period: "2026-Q1", Node: "santhang"}
	if _, err := m.File(context.Background(), ward, a, flows.VI); !errors.Is(err, ErrOutOfScope) {
		t.Errorf("another commune's report: got %v, want ErrOutOfScope", err)
	}
	if got := src.Calls(); len(got) != 0 {
		t.Errorf("source calls: got %v, want none", got)
	}
	m.Report = nil
	if _, err := m.File(context.Background(), ward, flows.Attachment{Kind: flows.DocFile, Period: "2026-Q1"}, flows.VI); err == nil {
		t.Errorf("no template: got no error, want one")
	}
}

func TestParseReportErrors(t *testing.T) {
	text, err := os.ReadFile("../../config/defaults/report.yaml")
	if err != nil {
		t.Fatal(err)
	}
	base := string(text)
	tests := []struct {
		name, old, new, want string
	}{
		{"unknown key", `title: "BÁO CÁO"`, `titel: "BÁO CÁO"`, "titel"},
		{"bad syntax", `subject: "Kết quả`, `subject: "{{.Period.Phrase Kết quả`, "subject"},
		{"unknown field", `{{.Issuer.Self}}./.`, `{{.Issuer.Nobody}}./.`, "Nobody"},
		{"unknown table", "table: forms", "table: chart", `table "chart"`},
		{"headers", `headers: ["STT", "Tổ chức, đơn vị", "Tình hình báo cáo"]`, `headers: ["STT"]`, "got 1 headers, want 3"},
		{"two kinds", `- {style: heading1, text: "I. KẾT QUẢ THỰC HIỆN"}`, `- {style: heading1, text: "I.", table: forms}`, "exactly one"},
		{"style", `{style: heading2, text: "3. Kết quả nổi bật"}`, `{style: big, text: "3."}`, `style "big"`},
		{"no issuer", "issuers:", "issuers: []\nunused:", "unused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(base, tt.old) {
				t.Fatalf("the built-in template has no %q to change", tt.old)
			}
			_, err := ParseReport([]byte(strings.Replace(base, tt.old, tt.new, 1)))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseReport: got %v, want an error naming %q", err, tt.want)
			}
		})
	}
	if _, err := ParseReport([]byte("title: \"BÁO CÁO\"\n")); err == nil || !strings.Contains(err.Error(), "issuers") {
		t.Errorf("ParseReport without issuers: got %v, want an error naming issuers", err)
	}
}

func TestCleanText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Lò Thị Mai", "Lò Thị Mai"},
		{"a\r\nb\rc\td", "a\nb c d"},
		{"x\x00y\x1bz\u0085w", "xyz w"},
		{"\u202eevil\u202c \u2066iso\u2069 \u200fmark", "evil iso mark"},
		{"bad \xff utf8", "bad \uFFFD utf8"},
		{"\ufeffbom", "bom"},
	}
	for _, tt := range tests {
		if got := cleanText(tt.in); got != tt.want {
			t.Errorf("cleanText(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
	var b bytes.Buffer
	escapeTo(&b, `<a href="x">&</a>`)
	if got, want := b.String(), "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"; got != want {
		t.Errorf("escapeTo: got %q, want %q", got, want)
	}
}

// An admin's report of everything groups the annex by the places below the single root, as a
// city leader's does.
func TestReportAdminGroups(t *testing.T) {
	m, _ := mustMaker(t)
	r, err := m.buildReport(context.Background(), mustPeriod(t, m, "2026-Q1"), []flows.View{{}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, g := range r.Places {
		got = append(got, g.Label)
	}
	want := []string{"Thành phố Lai Châu", "Phường Tân Phong", "Phường Đoàn Kết", "Phường Quyết Thắng", "Phường Quyết Tiến",
		"Phường Đông Phong", "Xã San Thàng", "Xã Nậm Loỏng"}
	if !slices.Equal(got, want) {
		t.Errorf("groups: got %q, want %q", got, want)
	}
	if r.Node.ID != "laichau" || !r.Node.Root || r.Issuer.Name != "BAN TUYÊN GIÁO VÀ DÂN VẬN" {
		t.Errorf("node and issuer: got %+v %q, want the root and the province's body", r.Node, r.Issuer.Name)
	}
}

func mustPeriod(tb testing.TB, m *Maker, id string) flows.Period {
	tb.Helper()
	p, ok := m.Calendar.Period(id)
	if !ok {
		tb.Fatalf("no period %s", id)
	}
	return p
}

// An organiser's own unit reports as its organisation in its place: the place's Party
// committee issues it, the unit is the annex's one row.
func TestReportOneUnit(t *testing.T) {
	m, _ := mustMaker(t)
	lan := flows.Person{ID: "tg:5", Units: []string{"tanphong-phunu"}}
	f := mustFile(t, m, lan, flows.Attachment{Kind: flows.DocFile, Period: "2026-Q1"})
	v := filetest.MustReadDOCX(t, f.Data)
	checkHead(t, v, "ĐẢNG BỘ TỈNH LAI CHÂU", "ĐẢNG ỦY PHƯỜNG TÂN PHONG", "Số        -BC/ĐU")
	if got := annexUnits(v.TableWith(t, "STT", "Địa bàn, đơn vị")); !slices.Equal(got, []string{"Hội LHPN phường Tân Phong"}) {
		t.Errorf("annex: got %q, want the one unit", got)
	}
	if text := strings.Join(v.Lines, "\n"); !strings.Contains(text, "của Hội Liên hiệp Phụ nữ Việt Nam trên địa bàn phường Tân Phong") {
		t.Errorf("document: want the opening to name the organisation and the ward:\n%s", text)
	}
}

// A mistake in a branch the full sample does not take, or in an issuer other than the first,
// still fails at start.
func TestParseReportDryRuns(t *testing.T) {
	text, err := os.ReadFile("../../config/defaults/report.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ old, new string }{
		{`{{if .Missed}}Chỉ tiêu chưa đạt`, `{{if not .Missed}}{{.Nope}}{{end}}{{if .Missed}}Chỉ tiêu chưa đạt`},
		{`name: "ĐẢNG ỦY {{upper .Node.Name}}"`, `name: "ĐẢNG ỦY {{upper .Node.Nope}}"`},
		{`item: "- {{.Unit}}: {{.Text}}"`, `item: "- {{.Unit}}: {{.Nope}}"`},
	} {
		if _, err := ParseReport([]byte(strings.Replace(string(text), c.old, c.new, 1))); err == nil || !strings.Contains(err.Error(), "Nope") {
			t.Errorf("%s: got %v, want an error naming Nope", c.new, err)
		}
	}
}
