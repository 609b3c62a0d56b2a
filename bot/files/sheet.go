package files

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"danvan/flows"
)

// sheetName makes a valid, unique worksheet name: at most 31 characters, none of []:*?/\.
func sheetName(name string, taken []string) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '-'
		}
		return r
	}, flows.NeutralLine(name))
	rs := []rune(name)
	if len(rs) > 28 {
		rs = rs[:28]
	}
	out := string(rs)
	for i := 2; slices.Contains(taken, out); i++ {
		out = fmt.Sprintf("%s %d", string(rs), i)
	}
	return out
}

// xlsxStyles are the cell styles of a workbook, made once per file.
type xlsxStyles struct {
	title, header, num, pct, date, text int
}

func newXLSXStyles(f *excelize.File) (xlsxStyles, error) {
	var s xlsxStyles
	pctFmt, dateFmt := "0.0%", "dd/mm/yyyy hh:mm"
	specs := []struct {
		dst   *int
		style *excelize.Style
	}{
		{&s.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&s.header, &excelize.Style{Font: &excelize.Font{Bold: true},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}}},
		{&s.num, &excelize.Style{NumFmt: 3}}, // #,##0: thousands as the reader's locale writes them
		{&s.pct, &excelize.Style{CustomNumFmt: &pctFmt}},
		{&s.date, &excelize.Style{CustomNumFmt: &dateFmt}},
		{&s.text, &excelize.Style{Alignment: &excelize.Alignment{Vertical: "top"}}},
	}
	for _, sp := range specs {
		id, err := f.NewStyle(sp.style)
		if err != nil {
			return s, fmt.Errorf("xlsx style: %w", err)
		}
		*sp.dst = id
	}
	return s, nil
}

// RenderXLSX writes wb as an Excel workbook: the summary first, then a sheet per form, each
// streamed row by row so ten thousand units need little memory.
func RenderXLSX(wb Workbook) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newXLSXStyles(f)
	if err != nil {
		return nil, err
	}
	summary := fmText(wb.Lang, "summary")
	if err := f.SetSheetName("Sheet1", summary); err != nil {
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	if err := writeSummary(f, summary, wb, st); err != nil {
		return nil, fmt.Errorf("xlsx summary: %w", err)
	}
	taken := []string{summary}
	for i, t := range wb.Tables {
		name := sheetName(t.Name, taken)
		taken = append(taken, name)
		if _, err := f.NewSheet(name); err != nil {
			return nil, fmt.Errorf("xlsx sheet %s: %w", name, err)
		}
		if err := writeTable(f, name, fmt.Sprintf("Bang%d", i+1), t, st); err != nil {
			return nil, fmt.Errorf("xlsx sheet %s: %w", name, err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("xlsx: write: %w", err)
	}
	return buf.Bytes(), nil
}

// writeSummary fills the summary sheet: title, indicators against targets, completeness.
func writeSummary(f *excelize.File, sh string, wb Workbook, st xlsxStyles) error {
	l := wb.Lang
	rows := [][]any{{cell(st.title, wb.Title)}, {wb.Scope}, {}}
	rows = append(rows, headerRow(st, fmText(l, "sum_ind"), fmText(l, "sum_name"), fmText(l, "sum_value"),
		fmText(l, "sum_target"), fmText(l, "sum_status"), fmText(l, "sum_basis")))
	for _, r := range wb.Summary {
		var v any = "—"
		switch {
		case r.Figure.OK && r.Figure.Percent:
			v = cell(st.pct, r.Figure.Value)
		case r.Figure.OK:
			v = r.Figure.Value
		}
		rows = append(rows, []any{r.ID, r.Name, v, r.Target, r.Status, r.Basis})
	}
	rows = append(rows, []any{}, headerRow(st, fmText(l, "sum_form"), fmText(l, "sum_units"), fmText(l, "sum_rep"),
		fmText(l, "sum_late"), fmText(l, "sum_miss"), fmText(l, "sum_ret")))
	for _, c := range wb.Completeness {
		rows = append(rows, []any{c.Form, c.Units, c.Reported, c.Late, c.Missing, c.Return})
	}
	for i, r := range rows {
		for j, v := range r {
			ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if c, ok := v.(excelize.Cell); ok {
				if err := f.SetCellStyle(sh, ref, ref, c.StyleID); err != nil {
					return err
				}
				v = c.Value
			}
			if err := f.SetCellValue(sh, ref, neutral(v)); err != nil {
				return err
			}
		}
	}
	for col, w := range map[string]float64{"A": 24, "B": 48, "C": 14, "D": 14, "E": 12, "F": 26} {
		if err := f.SetColWidth(sh, col, col, w); err != nil {
			return err
		}
	}
	return nil
}

func cell(style int, v any) excelize.Cell { return excelize.Cell{StyleID: style, Value: v} }

// neutral is v fit for a cell: a text goes through flows.Neutral, so a name or a reason stored
// with bidirectional controls cannot read as something else in the file; other values pass.
func neutral(v any) any {
	if s, ok := v.(string); ok {
		return flows.Neutral(s)
	}
	return v
}

func headerRow(st xlsxStyles, labels ...string) []any {
	out := make([]any, len(labels))
	for i, l := range labels {
		out[i] = cell(st.header, flows.Neutral(l))
	}
	return out
}

// writeTable streams one form's table: a frozen bold header, a row per unit, and a table over
// it all so Excel offers filters on every column.
func writeTable(f *excelize.File, sh, table string, t Table, st xlsxStyles) error {
	sw, err := f.NewStreamWriter(sh)
	if err != nil {
		return err
	}
	if err := tableColumns(sw, t); err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := sw.SetRow("A1", headerRow(st, uniqueHeaders(t.Headers)...), excelize.RowOpts{Height: 48}); err != nil {
		return err
	}
	vals := make([]any, len(t.Headers))
	for i, r := range t.Rows {
		fillRow(vals, r, st)
		for j, v := range vals {
			vals[j] = neutral(v)
		}
		ref, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(ref, vals); err != nil {
			return err
		}
	}
	if len(t.Rows) > 0 {
		last, _ := excelize.CoordinatesToCellName(len(t.Headers), len(t.Rows)+1)
		off := false
		if err := sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: table, StyleName: "TableStyleLight1",
			ShowRowStripes: &off}); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// tableColumns sets widths fit for each kind of column.
func tableColumns(sw *excelize.StreamWriter, t Table) error {
	widths := []float64{22, 18, 34}
	for range t.Questions {
		widths = append(widths, 14)
	}
	for range t.Rates {
		widths = append(widths, 14)
	}
	widths = append(widths, 12, 22, 17, 9, 12, 30)
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	return nil
}

// fillRow puts r into vals (reused across rows): numbers as number cells, rates as percents,
// the time as a date cell, empty where there is no value.
func fillRow(vals []any, r Row, st xlsxStyles) {
	vals[0], vals[1], vals[2] = r.Place, r.Org, r.Unit
	i := 3
	for j, v := range r.Values {
		vals[i] = nil
		if r.Has[j] {
			vals[i] = cell(st.num, v)
		}
		i++
	}
	for j, v := range r.Rates {
		switch {
		case r.RateOK[j]:
			vals[i] = cell(st.pct, v)
		case r.Version > 0:
			vals[i] = "—" // submitted, but nothing to divide by
		default:
			vals[i] = nil
		}
		i++
	}
	vals[i], vals[i+1], vals[i+2], vals[i+3], vals[i+4], vals[i+5] = r.Status, nil, nil, nil, nil, nil
	if r.Version > 0 {
		vals[i+1], vals[i+2], vals[i+3], vals[i+4] = r.By, cell(st.date, r.At), r.Version, r.Ref
	}
	if r.Reason != "" {
		vals[i+5] = r.Reason
	}
}

// uniqueHeaders makes headers unique, as an Excel table needs: a repeat gets " (2)".
func uniqueHeaders(hs []string) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h
		for n := 2; slices.Contains(out[:i], out[i]); n++ {
			out[i] = fmt.Sprintf("%s (%d)", h, n)
		}
	}
	return out
}
