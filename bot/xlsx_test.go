package bot

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Readers of the workbooks the transports deliver, as the files package's tests have them; both
// go to internal/testkit.

// mustOpenXLSX reads a workbook back with excelize.
func mustOpenXLSX(tb testing.TB, data []byte) *excelize.File {
	tb.Helper()
	x, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		tb.Fatalf("open xlsx: %v", err)
	}
	tb.Cleanup(func() { _ = x.Close() })
	return x
}

// mustCell returns a cell's shown value.
func mustCell(tb testing.TB, x *excelize.File, sheet, ref string) string {
	tb.Helper()
	v, err := x.GetCellValue(sheet, ref)
	if err != nil {
		tb.Fatalf("cell %s!%s: %v", sheet, ref, err)
	}
	return v
}

// rowOf returns the number of the row of sheet whose unit is unit.
func rowOf(tb testing.TB, x *excelize.File, sheet, unit string) int {
	tb.Helper()
	rows, err := x.GetRows(sheet)
	if err != nil {
		tb.Fatal(err)
	}
	for i, r := range rows {
		if len(r) > 3 && r[3] == unit {
			return i + 1
		}
	}
	tb.Fatalf("sheet %s: no row for %q", sheet, unit)
	return 0
}

// findRow returns the row of sheet whose column D (the unit) is unit.
func findRow(tb testing.TB, x *excelize.File, sheet, unit string) []string {
	tb.Helper()
	rows, err := x.GetRows(sheet)
	if err != nil {
		tb.Fatal(err)
	}
	for _, r := range rows {
		if len(r) > 3 && r[3] == unit {
			return r
		}
	}
	tb.Fatalf("sheet %s: no row for %q", sheet, unit)
	return nil
}
