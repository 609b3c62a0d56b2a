package dirsheet

import (
	"strings"

	"danvan/flows"
)

// column is one column of the sheet, in the order export writes them.
type column int

const (
	colCode column = iota
	colName
	colParent
	colOrg
	colFrom
	colTo
	colMerged
	colNameEn
	numCols
)

// headers are the columns' headers as export writes them and errors name them.
var headers = [numCols]string{"Mã", "Tên", "Cấp trên", "Tổ chức", "Hiệu lực từ", "Hiệu lực đến", "Sáp nhập từ", "Tên tiếng Anh"}

// Headers returns the sheet's column headers, in the order export writes them.
func Headers() []string { return headers[:] }

func (c column) String() string { return headers[c] }

// headerNames maps a header as people write it (folded by fold) to its column: the Vietnamese
// headers, the same without diacritics, and English ones.
var headerNames = func() map[string]column {
	m := map[string]column{}
	for c, h := range headers {
		m[fold(h)] = column(c)
	}
	for h, c := range map[string]column{
		"ma": colCode, "code": colCode, "ma don vi": colCode,
		"ten": colName, "name": colName, "ten don vi": colName,
		"cap tren": colParent, "parent": colParent,
		"to chuc": colOrg, "organisation": colOrg, "organization": colOrg, "org": colOrg,
		"hieu luc tu": colFrom, "valid from": colFrom, "tu ngay": colFrom,
		"hieu luc den": colTo, "valid to": colTo, "den ngay": colTo,
		"sap nhap tu": colMerged, "merged from": colMerged,
		"ten tieng anh": colNameEn, "english name": colNameEn, "name (en)": colNameEn, "name en": colNameEn,
	} {
		m[h] = c
	}
	return m
}()

// ignoredHeaders are columns admins add for themselves, which the sheet may carry and the bot
// does not read.
var ignoredHeaders = map[string]bool{"ghi chu": true, "ghi chú": true, "notes": true, "note": true, "stt": true, "#": true, "tt": true}

// fold is a header as compared: lower case, single spaces, and "đ" as "d" so that a header typed
// without diacritics ("Cap tren") is recognised as well as "Cấp trên".
func fold(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// foldPlain folds s and drops Vietnamese diacritics.
func foldPlain(s string) string {
	var b strings.Builder
	for _, r := range fold(s) {
		b.WriteRune(plainRune(r))
	}
	return b.String()
}

// plainRune is r without its Vietnamese diacritics.
func plainRune(r rune) rune {
	for base, set := range vietnameseVowels {
		if strings.ContainsRune(set, r) {
			return base
		}
	}
	if r == 'đ' {
		return 'd'
	}
	return r
}

// vietnameseVowels are the lower-case vowels with every tone and shape, by base letter.
var vietnameseVowels = map[rune]string{
	'a': "àáảãạăằắẳẵặâầấẩẫậ",
	'e': "èéẻẽẹêềếểễệ",
	'i': "ìíỉĩị",
	'o': "òóỏõọôồốổỗộơờớởỡợ",
	'u': "ùúủũụưừứửữự",
	'y': "ỳýỷỹỵ",
}

// headerColumn returns the column a header names; ignored reports a column the bot skips.
func headerColumn(h string) (c column, ok, ignored bool) {
	if c, ok := headerNames[fold(h)]; ok {
		return c, true, false
	}
	if c, ok := headerNames[foldPlain(h)]; ok {
		return c, true, false
	}
	return 0, false, ignoredHeaders[fold(h)] || ignoredHeaders[foldPlain(h)]
}

// headerRow is where the sheet's header is: the first of the first rows that names the Tên
// column (titles may stand above it).
const headerSearch = 10

// layout maps the sheet's columns (by index) to ours, read from the header row.
type layout struct {
	row  int            // the header's row number
	cols map[int]column // sheet column index → column
}

// findHeader finds the header among the first rows of grid and maps its columns. The errors
// name the header's row.
func findHeader(grid [][]string) (layout, []flows.SheetError) {
	for i := 0; i < len(grid) && i < headerSearch; i++ {
		for _, cell := range grid[i] {
			if c, ok, _ := headerColumn(cell); ok && c == colName {
				return mapHeader(i+1, grid[i])
			}
		}
	}
	return layout{}, []flows.SheetError{{Row: 0, Msg: msg(
		"không thấy dòng tiêu đề: dòng đầu bảng phải ghi tên các cột Mã, Tên, Cấp trên, Tổ chức, Hiệu lực từ, Hiệu lực đến, Sáp nhập từ",
		"no header row found: the sheet's first row must name the columns Mã, Tên, Cấp trên, Tổ chức, Hiệu lực từ, Hiệu lực đến, Sáp nhập từ")}}
}

func mapHeader(n int, cells []string) (layout, []flows.SheetError) {
	l := layout{row: n, cols: map[int]column{}}
	var errs []flows.SheetError
	seen := map[column]bool{}
	for i, cell := range cells {
		h := strings.TrimSpace(cell)
		if h == "" {
			continue
		}
		c, ok, ignored := headerColumn(h)
		switch {
		case ignored:
		case !ok:
			errs = append(errs, flows.SheetError{Row: n, Column: h, Msg: msg(
				"không phải cột của danh bạ; các cột là "+strings.Join(headers[:], ", ")+" (cột Ghi chú được bỏ qua)",
				"is not a column of the directory; the columns are "+strings.Join(headers[:], ", ")+" (a Ghi chú column is skipped)")})
		case seen[c]:
			errs = append(errs, flows.SheetError{Row: n, Column: h, Msg: msg("cột này có hai lần", "this column appears twice")})
		default:
			seen[c] = true
			l.cols[i] = c
		}
	}
	if !seen[colCode] {
		errs = append(errs, flows.SheetError{Row: n, Msg: msg("thiếu cột Mã", "the column Mã (code) is missing")})
	}
	return l, errs
}

// msg is a message in Vietnamese and English.
func msg(vi, en string) flows.Text { return flows.Text{Vi: vi, En: en} }
