package dirsheet

import (
	"bytes"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"danvan/flows"
)

// A workbook as an admin makes it: a title above the header, headers without diacritics, a
// notes column, a code stored as a number shown with its leading zero, dates as date cells in
// Excel's default format and as text.
func TestAdminsWorkbook(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	sh := "Sheet1"
	zeros, dmy := "00000", 14 // 14: Excel's default date format, which excelize shows mm-dd-yy
	code, err := f.NewStyle(&excelize.Style{CustomNumFmt: &zeros})
	if err != nil {
		t.Fatal(err)
	}
	date, err := f.NewStyle(&excelize.Style{NumFmt: dmy})
	if err != nil {
		t.Fatal(err)
	}
	rows := [][]any{
		{"DANH BẠ ĐƠN VỊ TỈNH THỬ"},
		{},
		{"Ma", "Ten", "Cap tren", "To chuc", "Hieu luc tu", "Hieu luc den", "Ghi chú"},
		{"T", "Tỉnh Thử", nil, nil, nil, nil, "tỉnh"},
		{3387, "Xã Một", "T", nil, time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC), "31/12/2030", ""},
		{nil, "Hội LHPN xã Một", "03387", "hoi lhpn", nil, nil, "không dấu"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sh, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SetCellStyle(sh, "A5", "A5", code); err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStyle(sh, "E5", "E5", date); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	cur := city(t)
	res := mustValid(t, "tinh-thu.xlsx", buf.Bytes(), Current{Orgs: cur.Orgs}, Options{})
	x := mustNode(t, res.Dir, "03387")
	if x.Code != "03387" || x.ValidFrom != flows.Date(20250701) || x.ValidTo != flows.Date(20301231) || x.Parent != "T" {
		t.Errorf("the commune: got %+v, want code 03387 under T from 2025-07-01 to 2030-12-31", x)
	}
	if u := mustNode(t, res.Dir, "03387-phunu"); u.Org != "phunu" {
		t.Errorf("its Women's Union: got %+v, want org phunu", u)
	}
	if got := res.Check.Rows; got != 3 {
		t.Errorf("rows: got %d, want 3", got)
	}
}

// Excel under a Vietnamese locale saves CSV with semicolons; the BOM is optional.
func TestSemicolonCSV(t *testing.T) {
	data := "Mã;Tên;Cấp trên;Tổ chức;Hiệu lực từ\nT;Tỉnh Thử;;;\nX;Xã, thôn Một;T;;1/7/2025\n;'=Hội LHPN;X;Hội LHPN;\n"
	res := mustValid(t, "a.csv", []byte(data), Current{Orgs: city(t).Orgs}, Options{})
	if x := mustNode(t, res.Dir, "X"); x.Name.Vi != "Xã, thôn Một" || x.ValidFrom != flows.Date(20250701) {
		t.Errorf("the commune: got %+v, want its name with a comma and 2025-07-01", x)
	}
	if u := mustNode(t, res.Dir, "X-phunu"); u.Name.Vi != "=Hội LHPN" {
		t.Errorf("a name export quoted against formulas: got %q, want the quote taken off", u.Name.Vi)
	}
}
