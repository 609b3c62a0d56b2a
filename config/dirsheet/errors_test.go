package dirsheet

import (
	"strings"
	"testing"

	"danvan/flows"
)

// base is a small valid sheet: a province (row 2), a commune (row 3), a unit (row 4) and a
// unit with its own code (row 5). Cases add rows from row 6.
const base = "Mã,Tên,Cấp trên,Tổ chức,Hiệu lực từ,Hiệu lực đến,Sáp nhập từ\n" +
	"T,Tỉnh Thử,,,,,\n" +
	"X1,Xã Một,T,,,,\n" +
	",Hội LHPN xã Một,X1,Hội LHPN,,,\n" +
	"U1,Hội Nông dân xã Một,X1,nongdan,,,\n"

// Every kind of error names its row and column.
func TestErrorsNameRowAndColumn(t *testing.T) {
	cur := city(t)
	cur.Dir = nil // a first import: nothing to keep, so every reference is the sheet's own
	for _, tc := range []struct {
		name, rows string
		want       []flows.SheetError // Msg.Vi is a part of the message
	}{
		{"unknown parent", "X2,Xã Hai,xa-abc,,,,\n",
			[]flows.SheetError{{Row: 6, Column: "Cấp trên", Msg: msg("không có đơn vị “xa-abc”", "")}}},
		{"duplicate code", "X1,Xã Một (lần nữa),T,,,,\n",
			[]flows.SheetError{{Row: 6, Column: "Mã", Msg: msg("mã “X1” đã có ở dòng 3", "")}}},
		{"bad date", "X2,Xã Hai,T,,31/02/2025,,\n",
			[]flows.SheetError{{Row: 6, Column: "Hiệu lực từ", Msg: msg("“31/02/2025” không phải ngày", "")}}},
		{"two-digit year", "X2,Xã Hai,T,,,1/7/25,\n",
			[]flows.SheetError{{Row: 6, Column: "Hiệu lực đến", Msg: msg("“1/7/25” không phải ngày", "")}}},
		{"valid_to before valid_from", "X2,Xã Hai,T,,01/07/2025,30/06/2025,\n",
			[]flows.SheetError{{Row: 6, Column: "Hiệu lực đến", Msg: msg("30/06/2025 trước Hiệu lực từ 01/07/2025", "")}}},
		{"merged_from unknown", "X2,Xã Hai,T,,01/07/2025,,\"X1, X9\"\n",
			[]flows.SheetError{{Row: 6, Column: "Sáp nhập từ", Msg: msg("không có đơn vị “X9”", "")}}},
		{"merged_from still in force", "X2,Xã Hai,T,,01/07/2025,,X1\n",
			[]flows.SheetError{{Row: 6, Column: "Sáp nhập từ", Msg: msg("“X1” vẫn còn hiệu lực ngày 01/07/2025", "")}}},
		{"merged_from a unit into a place", "X2,Xã Hai,T,,01/07/2025,,U1\n",
			[]flows.SheetError{{Row: 6, Column: "Sáp nhập từ", Msg: msg("đơn vị sáp nhập từ đơn vị", "")}}},
		{"unit under a unit", ",Chi hội Bản Một,U1,Hội LHPN,,,\n",
			[]flows.SheetError{{Row: 6, Column: "Cấp trên", Msg: msg("“U1” là một đơn vị", "")}}},
		{"unknown organisation", ",Hội Phụ nữ xã Một,X1,Hội Phụ nữ,,,\n",
			[]flows.SheetError{{Row: 6, Column: "Tổ chức", Msg: msg("không có tổ chức “Hội Phụ nữ”; các tổ chức là Ủy ban MTTQ", "")}}},
		{"cycle", "A,Xã A,B,,,,\nB,Xã B,A,,,,\n",
			[]flows.SheetError{{Row: 6, Column: "Cấp trên", Msg: msg("“B” dẫn ngược về chính dòng này", "")},
				{Row: 7, Column: "Cấp trên", Msg: msg("“A” dẫn ngược về chính dòng này", "")}}},
		{"a place without a code", ",Xã Hai,T,,,,\n",
			[]flows.SheetError{{Row: 6, Column: "Mã", Msg: msg("một địa bàn (dòng không ghi Tổ chức) cần có mã", "")}}},
		{"a code with spaces", "Xã 2,Xã Hai,T,,,,\n",
			[]flows.SheetError{{Row: 6, Column: "Mã", Msg: msg("“Xã 2” không phải mã", "")}}},
		{"two units of one organisation in one place", ",Hội LHPN xã Một (2),X1,Hội LHPN,,,\n",
			[]flows.SheetError{{Row: 6, Column: "Tổ chức", Msg: msg("dòng 4 đã là Hội LHPN ở cùng cấp trên", "")}}},
		{"no name", "X2,,T,,,,\n",
			[]flows.SheetError{{Row: 6, Column: "Tên", Msg: msg("cần có tên", "")}}},
		{"dates outside the parent's", "P,Tỉnh Cũ,,,,31/12/2024,\nY,Xã Y,P,,01/01/2025,,\n",
			[]flows.SheetError{{Row: 7, Column: "Hiệu lực từ", Msg: msg("ngày hiệu lực nằm ngoài ngày hiệu lực của cấp trên “P”", "")}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := Check("danh-ba.csv", []byte(base+tc.rows), cur, Options{Today: today})
			sameErrors(t, res.Check.Errors, tc.want)
			if res.Dir != nil {
				t.Errorf("directory of a sheet with errors: got one, want none")
			}
		})
	}
}

// Problems of the file as a whole name the header's row, or the file.
func TestFileErrors(t *testing.T) {
	cur := city(t)
	for _, tc := range []struct {
		name, file, data string
		want             flows.SheetError
	}{
		{"not a spreadsheet", "danh-ba.pdf", "%PDF", flows.SheetError{Msg: msg("“danh-ba.pdf” không phải bảng tính .xlsx hoặc .csv", "")}},
		{"a broken workbook", "danh-ba.xlsx", "PK not a zip", flows.SheetError{Msg: msg("không đọc được “danh-ba.xlsx”", "")}},
		{"no header", "danh-ba.csv", "1,2,3\n", flows.SheetError{Msg: msg("không thấy dòng tiêu đề", "")}},
		{"an unknown column", "danh-ba.csv", "Mã,Tên,Cấp trên 2\n", flows.SheetError{Row: 1, Column: "Cấp trên 2", Msg: msg("không phải cột của danh bạ", "")}},
		{"no code column", "danh-ba.csv", "Tên,Cấp trên\nXã A,\n", flows.SheetError{Row: 1, Msg: msg("thiếu cột Mã", "")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := Check(tc.file, []byte(tc.data), cur, Options{Today: today})
			sameErrors(t, res.Check.Errors, []flows.SheetError{tc.want})
		})
	}
}

// sameErrors compares errors by row, column and the start of the Vietnamese message, and checks
// each says where it is in both languages.
func sameErrors(tb testing.TB, got, want []flows.SheetError) {
	tb.Helper()
	if len(got) != len(want) {
		tb.Fatalf("errors: got %d %v, want %d %v", len(got), got, len(want), want)
	}
	for i, w := range want {
		g := got[i]
		if g.Row != w.Row || g.Column != w.Column || !strings.Contains(g.Msg.Vi, w.Msg.Vi) {
			tb.Errorf("error %d: got row %d, column %q, %q; want row %d, column %q, %q", i, g.Row, g.Column, g.Msg.Vi, w.Row, w.Column, w.Msg.Vi)
		}
		if g.Msg.En == "" || g.Msg.En == g.Msg.Vi && w.Row > 0 {
			tb.Errorf("error %d: got English %q, want a translation", i, g.Msg.En)
		}
	}
}

// An error reads as the issue writes it.
func TestSheetErrorText(t *testing.T) {
	e := flows.SheetError{Row: 14, Column: "Cấp trên", Msg: msg("không có đơn vị “xa-abc”", "there is no entry “xa-abc”")}
	if got, want := e.Error(), "Dòng 14, cột Cấp trên: không có đơn vị “xa-abc”"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := e.In(flows.EN), "Row 14, column Cấp trên: there is no entry “xa-abc”"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
