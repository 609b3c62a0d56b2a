package files

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
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

// xlsxStyles are the cell styles of a workbook, made once per file; the bold ones mark total
// rows.
type xlsxStyles struct {
	title, issuer, header, num, pct, date, text, bold, boldNum, boldPct int
}

func newXLSXStyles(f *excelize.File) (xlsxStyles, error) {
	var s xlsxStyles
	pctFmt, dateFmt := "0.0%", "dd/mm/yyyy hh:mm"
	bold := &excelize.Font{Bold: true}
	specs := []struct {
		dst   *int
		style *excelize.Style
	}{
		{&s.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&s.issuer, &excelize.Style{Font: bold}},
		{&s.header, &excelize.Style{Font: bold,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}}},
		{&s.num, &excelize.Style{NumFmt: 3}}, // #,##0: thousands as the reader's locale writes them
		{&s.pct, &excelize.Style{CustomNumFmt: &pctFmt}},
		{&s.date, &excelize.Style{CustomNumFmt: &dateFmt}},
		{&s.text, &excelize.Style{Alignment: &excelize.Alignment{Vertical: "top"}}},
		{&s.bold, &excelize.Style{Font: bold}},
		{&s.boldNum, &excelize.Style{Font: bold, NumFmt: 3}},
		{&s.boldPct, &excelize.Style{Font: bold, CustomNumFmt: &pctFmt}},
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

// RenderXLSX writes wb as an Excel workbook an official can file: the summary first, then a
// sheet per form, each headed by the issuing body and the period, with a numbered row per unit
// (streamed, so ten thousand units need little memory), subtotals per place and a total, and
// set up to print on A4 landscape, fitted to the width, the header row on every page.
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
	for _, t := range wb.Tables {
		name := sheetName(t.Name, taken)
		taken = append(taken, name)
		if _, err := f.NewSheet(name); err != nil {
			return nil, fmt.Errorf("xlsx sheet %s: %w", name, err)
		}
		if err := writeTable(f, name, wb, t, st); err != nil {
			return nil, fmt.Errorf("xlsx sheet %s: %w", name, err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("xlsx: write: %w", err)
	}
	return buf.Bytes(), nil
}

// topRows are the lines above a sheet's table: the issuing body (its superior, then its
// name in bold), the title in large bold, then one more line.
func topRows(wb Workbook, st xlsxStyles, last string) [][]any {
	var rows [][]any
	for i, l := range wb.Issuer {
		style := st.text
		if i == len(wb.Issuer)-1 {
			style = st.issuer
		}
		rows = append(rows, []any{cell(style, l)})
	}
	return append(rows, []any{cell(st.title, wb.Title)}, []any{last}, []any{})
}

// printSetup sets sh to print on A4 landscape, fitted to one page wide and as many long as
// needed, with row headRow repeated at the top of every page and "page/pages" at the foot. It
// must run before a stream writer opens sh: that writes the sheet's properties first.
func printSetup(f *excelize.File, sh string, headRow int) error {
	a4, landscape, one, any := 9, "landscape", 1, 0
	fit := true
	if err := f.SetSheetProps(sh, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	if err := f.SetPageLayout(sh, &excelize.PageLayoutOptions{Size: &a4, Orientation: &landscape,
		FitToWidth: &one, FitToHeight: &any}); err != nil {
		return err
	}
	if err := f.SetHeaderFooter(sh, &excelize.HeaderFooterOptions{OddFooter: "&C&P/&N"}); err != nil {
		return err
	}
	quoted := "'" + strings.ReplaceAll(sh, "'", "''") + "'"
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: sh,
		RefersTo: fmt.Sprintf("%s!$%d:$%d", quoted, headRow, headRow)})
}

// writeSummary fills the summary sheet: the issuing body and title, indicators against targets
// with their verdict in words, completeness.
func writeSummary(f *excelize.File, sh string, wb Workbook, st xlsxStyles) error {
	l := wb.Lang
	rows := topRows(wb, st, wb.Scope)
	head := len(rows) + 1
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
		rows = append(rows, []any{r.ID, r.Name, v, r.Target, r.Verdict, r.Basis})
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
	return printSetup(f, sh, head)
}

func cell(style int, v any) excelize.Cell { return excelize.Cell{StyleID: style, Value: v} }

// neutral is v fit for a cell: a text, bare or in a styled cell, goes through flows.Neutral, so
// a name or a reason stored with bidirectional controls cannot read as something else in the
// file; other values pass.
func neutral(v any) any {
	switch x := v.(type) {
	case string:
		return flows.Neutral(x)
	case excelize.Cell:
		if s, ok := x.Value.(string); ok {
			x.Value = flows.Neutral(s)
		}
		return x
	}
	return v
}

// neutralRow puts every value of a row about to be streamed through neutral.
func neutralRow(vals []any) {
	for j, v := range vals {
		vals[j] = neutral(v)
	}
}

func headerRow(st xlsxStyles, labels ...string) []any {
	out := make([]any, len(labels))
	for i, l := range labels {
		out[i] = cell(st.header, flows.Neutral(l))
	}
	return out
}

// writeTable streams one form's table under the issuing body and the title: a frozen bold
// header with a filter on every column, a numbered row per unit, subtotals per place and a
// total (formulas, so they follow an official's corrections, with their values cached).
func writeTable(f *excelize.File, sh string, wb Workbook, t Table, st xlsxStyles) error {
	top := topRows(wb, st, t.Name)
	lay := layoutTable(t, len(top)+1, wb.Lang)
	last, _ := excelize.CoordinatesToCellName(len(t.Headers)+1, max(lay.lastRow, lay.head))
	first, _ := excelize.CoordinatesToCellName(1, lay.head)
	// The filter first: it replaces the sheet's properties, which printSetup then extends.
	if err := f.AutoFilter(sh, first+":"+last, nil); err != nil {
		return err
	}
	if err := printSetup(f, sh, lay.head); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sh)
	if err != nil {
		return err
	}
	if err := tableColumns(sw, t); err != nil {
		return err
	}
	topLeft, _ := excelize.CoordinatesToCellName(1, lay.head+1)
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: lay.head, TopLeftCell: topLeft, ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	for i, r := range top {
		neutralRow(r)
		if err := sw.SetRow("A"+strconv.Itoa(i+1), r); err != nil {
			return err
		}
	}
	heads := append([]string{fmText(wb.Lang, "col_no")}, t.Headers...)
	if err := sw.SetRow("A"+strconv.Itoa(lay.head), headerRow(st, heads...), excelize.RowOpts{Height: 48}); err != nil {
		return err
	}
	if err := lay.write(sw, t, st); err != nil {
		return err
	}
	return sw.Flush()
}

// tableColumns sets widths fit for each kind of column.
func tableColumns(sw *excelize.StreamWriter, t Table) error {
	widths := []float64{6, 22, 18, 34}
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
