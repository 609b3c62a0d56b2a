package testkit

import (
	"bytes"
	"context"
	"image/png"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"danvan/flows"
	"danvan/storage"
)

// MustPNG decodes data as a PNG of at least 100×100, as a chart is.
func MustPNG(tb testing.TB, data []byte) {
	tb.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		tb.Fatalf("decode PNG of %d bytes: got %v, want an image", len(data), err)
	}
	if b := img.Bounds(); b.Dx() < 100 || b.Dy() < 100 {
		tb.Errorf("chart size: got %v, want at least 100×100", b)
	}
}

// MustOpenXLSX reads a workbook back with excelize.
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

// RowOf returns the number of the row of sheet whose column D (the unit, after the STT, the
// place and the organisation) is unit.
func RowOf(tb testing.TB, x *excelize.File, sheet, unit string) int {
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

// FindRow returns the row of sheet whose column D (the unit) is unit.
func FindRow(tb testing.TB, x *excelize.File, sheet, unit string) []string {
	tb.Helper()
	rows, err := x.GetRows(sheet)
	if err != nil {
		tb.Fatal(err)
	}
	return rows[RowOf(tb, x, sheet, unit)-1]
}

// SheetHeader returns the header row of a form's sheet: the row that starts with "STT", below
// the issuing body and the title.
func SheetHeader(tb testing.TB, x *excelize.File, sheet string) []string {
	tb.Helper()
	rows, err := x.GetRows(sheet)
	if err != nil {
		tb.Fatal(err)
	}
	for _, r := range rows {
		if len(r) > 0 && r[0] == "STT" {
			return r
		}
	}
	tb.Fatalf("sheet %s: no header row", sheet)
	return nil
}

// UnitRows returns the rows of a form's sheet that are units: those numbered in the STT
// column (subtotals and the total are not).
func UnitRows(tb testing.TB, x *excelize.File, sheet string) [][]string {
	tb.Helper()
	rows, err := x.GetRows(sheet)
	if err != nil {
		tb.Fatal(err)
	}
	var out [][]string
	for _, r := range rows {
		if n, err := strconv.Atoi(firstCell(r)); err == nil && n > 0 {
			out = append(out, r)
		}
	}
	return out
}

func firstCell(r []string) string {
	if len(r) == 0 {
		return ""
	}
	return r[0]
}

// MustSubmit stores version 1 of unit's Membership report for Q1 2026, sent by by at at,
// through the store's real submit path (tallies included).
func MustSubmit(tb testing.TB, store *storage.Store, unit, by string, at time.Time, m Membership) {
	tb.Helper()
	form := flows.Form{ID: "membership"}
	for _, f := range Settings(tb).Forms {
		if f.ID == "membership" {
			form = f
		}
	}
	k := flows.Key{Unit: unit, Period: "2026-Q1", Form: form.ID}
	vals := map[string]int64{"eligible": m.Eligible, "members": m.Members, "new_members": m.NewMembers, "active": m.Active}
	sub := flows.Submission{Key: k, Values: vals, By: by, At: at, Version: 1, Ref: flows.Reference(k, 1, at)}
	if err := store.Apply(context.Background(), []flows.Effect{flows.Submit{Submission: sub, Form: form}}); err != nil {
		tb.Fatalf("submit %s: %v", unit, err)
	}
}
