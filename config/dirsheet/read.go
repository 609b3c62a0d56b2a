package dirsheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"danvan/flows"
)

// SheetName is the workbook sheet export writes the directory on, and import reads when a
// workbook has it (else its first sheet).
const SheetName = "Danh bạ"

// row is one row of the sheet as read: its number in the sheet and its cells by column,
// trimmed. Dates from a workbook's date cells arrive written yyyy-mm-dd.
type row struct {
	n     int
	cells [numCols]string
}

func (r row) cell(c column) string { return r.cells[c] }

// sheet is what a file holds: its rows, and which columns its header has. A column it does
// not have leaves the entries the sheet names as they are in the directory in force.
type sheet struct {
	rows []row
	has  [numCols]bool
}

// read reads the rows of the sheet in data, told by name's extension: an .xlsx workbook or a
// .csv file (UTF-8, with or without a BOM, separated by commas or semicolons).
func read(name string, data []byte) (sheet, []flows.SheetError) {
	var (
		grid, raw [][]string
		err       error
	)
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx", ".xlsm":
		grid, raw, err = readXLSX(data)
	case ".csv", ".txt":
		grid, err = readCSV(data)
	default:
		return sheet{}, []flows.SheetError{{Msg: msg(
			fmt.Sprintf("“%s” không phải bảng tính .xlsx hoặc .csv", name),
			fmt.Sprintf("“%s” is not an .xlsx or .csv spreadsheet", name))}}
	}
	if err != nil {
		return sheet{}, []flows.SheetError{{Msg: msg(
			fmt.Sprintf("không đọc được “%s” (%v); lưu lại bằng Excel dưới dạng .xlsx hoặc CSV UTF-8", name, err),
			fmt.Sprintf("“%s” cannot be read (%v); save it from Excel as .xlsx or CSV UTF-8", name, err))}}
	}
	l, errs := findHeader(grid)
	if len(errs) > 0 {
		return sheet{}, errs
	}
	sh := sheet{rows: rows(grid, raw, l)}
	for _, c := range l.cols {
		sh.has[c] = true
	}
	return sh, nil
}

// rows turns the grid below the header into rows, leaving out empty ones. raw, for a workbook,
// holds the cells' stored values, which tell a date cell from text.
func rows(grid, raw [][]string, l layout) []row {
	var out []row
	for i := l.row; i < len(grid); i++ {
		r := row{n: i + 1}
		empty := true
		for j, cell := range grid[i] {
			c, ok := l.cols[j]
			if !ok {
				continue
			}
			if c == colFrom || c == colTo {
				cell = dateCell(cell, rawCell(raw, i, j))
			}
			r.cells[c] = clean(cell, c == colMerged)
			if r.cells[c] != "" {
				empty = false
			}
		}
		if !empty {
			out = append(out, r)
		}
	}
	return out
}

func rawCell(raw [][]string, i, j int) string {
	if i < len(raw) && j < len(raw[i]) {
		return raw[i][j]
	}
	return ""
}

// dateCell is a date column's cell: a workbook's date cell (stored as a serial number, shown as
// its number format makes it) becomes yyyy-mm-dd; text stays as typed.
func dateCell(shown, stored string) string {
	if stored == "" || stored == shown {
		return shown
	}
	if d, ok := serialDate(stored); ok {
		return d.String()
	}
	return shown
}

// clean trims a cell, takes off the quote export puts before a text that a spreadsheet would
// run as a formula, and drops the characters that make text read other than it is. Lists keep
// their line breaks, which separate items.
func clean(s string, list bool) string {
	s = strings.TrimSpace(s)
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@", rune(s[1])) {
		s = s[1:]
	}
	if list {
		return flows.Neutral(s)
	}
	return flows.NeutralLine(s)
}

// maxUnzipped is the most a workbook may unpack to: the nationwide directory unpacks to under
// 10 MB.
const maxUnzipped = 256 << 20

// readXLSX reads the directory's sheet of a workbook twice: as shown (a code keeps the leading
// zeros its number format gives it) and as stored (a date cell is a serial number, whatever
// format shows it).
func readXLSX(data []byte) (grid, raw [][]string, err error) {
	// A workbook is a zip: bound what it may unpack to, so a small file cannot fill the memory.
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxUnzipped})
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, nil, errors.New("the workbook has no sheet")
	}
	sheet := sheets[0]
	for _, s := range sheets {
		if s == SheetName {
			sheet = s
		}
	}
	if grid, err = f.GetRows(sheet); err != nil {
		return nil, nil, err
	}
	if raw, err = f.GetRows(sheet, excelize.Options{RawCellValue: true}); err != nil {
		return nil, nil, err
	}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil && *props.Date1904 {
		convert1904(raw)
	}
	return grid, raw, nil
}

// convert1904 moves the serial numbers of a workbook that counts from 1904 (old Mac Excel) to
// the 1900 system serialDate reads: 1,462 days apart.
func convert1904(raw [][]string) {
	for _, r := range raw {
		for j, v := range r {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				r[j] = strconv.FormatFloat(f+1462, 'f', -1, 64)
			}
		}
	}
}

// readCSV reads a CSV file: UTF-8 with or without a BOM, its separator the comma or, as Excel
// writes it under a Vietnamese locale, the semicolon (whichever the first line has more of).
func readCSV(data []byte) ([][]string, error) {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	first, _, _ := bytes.Cut(data, []byte("\n"))
	r := csv.NewReader(bytes.NewReader(data))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		r.Comma = ';'
	}
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var grid [][]string
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return grid, nil
		}
		if err != nil {
			return nil, err
		}
		grid = append(grid, rec)
	}
}
