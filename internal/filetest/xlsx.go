package filetest

import (
	"bytes"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"
)

// UnitCol is the column (from 0) of the unit's name in every per-form sheet: D, after the STT,
// the place and the organisation.
const UnitCol = 3

// MustOpenXLSX reads a workbook back with excelize; it is closed when the test ends.
func MustOpenXLSX(tb testing.TB, data []byte) *excelize.File {
	tb.Helper()
	x, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		tb.Fatalf("open xlsx: %v", err)
	}
	tb.Cleanup(func() { _ = x.Close() })
	return x
}

// MustCell returns a cell's shown value.
func MustCell(tb testing.TB, x *excelize.File, sheet, ref string) string {
	tb.Helper()
	v, err := x.GetCellValue(sheet, ref)
	if err != nil {
		tb.Fatalf("cell %s!%s: %v", sheet, ref, err)
	}
	return v
}

// RowWhere returns the number (from 1) and the cells of the first row of sheet whose column
// col (from 0) holds value.
func RowWhere(tb testing.TB, x *excelize.File, sheet string, col int, value string) (int, []string) {
	tb.Helper()
	rows, err := x.GetRows(sheet)
	if err != nil {
		tb.Fatalf("rows of %s: %v", sheet, err)
	}
	for i, r := range rows {
		if len(r) > col && r[col] == value {
			return i + 1, r
		}
	}
	tb.Fatalf("sheet %s: got no row with %q in column %d", sheet, value, col)
	return 0, nil
}

// RowOf returns the number (from 1) of the row of sheet whose unit is unit.
func RowOf(tb testing.TB, x *excelize.File, sheet, unit string) int {
	tb.Helper()
	n, _ := RowWhere(tb, x, sheet, UnitCol, unit)
	return n
}

// FindRow returns the cells of the row of sheet whose unit is unit.
func FindRow(tb testing.TB, x *excelize.File, sheet, unit string) []string {
	tb.Helper()
	_, r := RowWhere(tb, x, sheet, UnitCol, unit)
	return r
}

// SheetHeader returns the header row of a form's sheet: the row that starts with "STT", below
// the issuing body and the title.
func SheetHeader(tb testing.TB, x *excelize.File, sheet string) []string {
	tb.Helper()
	_, r := RowWhere(tb, x, sheet, 0, "STT")
	return r
}

// UnitRows returns the rows of a form's sheet that are units: those numbered in the STT
// column (subtotals and the total are not).
func UnitRows(tb testing.TB, x *excelize.File, sheet string) [][]string {
	tb.Helper()
	rows, err := x.GetRows(sheet)
	if err != nil {
		tb.Fatalf("rows of %s: %v", sheet, err)
	}
	var out [][]string
	for _, r := range rows {
		if len(r) == 0 {
			continue
		}
		if n, err := strconv.Atoi(r[0]); err == nil && n > 0 {
			out = append(out, r)
		}
	}
	return out
}
