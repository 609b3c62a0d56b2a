package files

import (
	"fmt"

	"github.com/xuri/excelize/v2"

	"danvan/flows"
)

// A sheet line is a unit's row, a place's subtotal or the total.
const (
	unitLine = iota
	subLine
	totalLine
)

// sheetLine is one row of a form's sheet below the header.
type sheetLine struct {
	kind  int
	unit  int // index in Table.Rows, for a unit's row
	no    int // its number (STT)
	label string
	// from and to are the sheet rows a subtotal or the total adds up; units the Table.Rows
	// it adds, for the cached values.
	from, to int
	units    []int
}

// tableLayout places a table's rows on the sheet: the header at row head, then the units in
// order, a subtotal after each place with two units or more (when there are several places),
// and the total last.
type tableLayout struct {
	head    int
	lines   []sheetLine
	lastRow int
	lang    flows.Lang
}

func layoutTable(t Table, head int, lang flows.Lang) tableLayout {
	lay := tableLayout{head: head, lang: lang, lines: make([]sheetLine, 0, len(t.Rows)+len(t.Rows)/4+1)}
	places := 0
	for i, r := range t.Rows {
		if i == 0 || r.PlaceID != t.Rows[i-1].PlaceID {
			places++
		}
	}
	row, start := head, 0
	all := make([]int, len(t.Rows))
	for i, r := range t.Rows {
		row++
		all[i] = i
		lay.lines = append(lay.lines, sheetLine{kind: unitLine, unit: i, no: i + 1})
		if i+1 < len(t.Rows) && t.Rows[i+1].PlaceID == r.PlaceID {
			continue
		}
		if n := i + 1 - start; places > 1 && n > 1 {
			row++
			lay.lines = append(lay.lines, sheetLine{kind: subLine, label: r.Place, from: row - n, to: row - 1,
				units: all[start : i+1]})
		}
		start = i + 1
	}
	if len(t.Rows) > 0 {
		row++
		lay.lines = append(lay.lines, sheetLine{kind: totalLine, label: fmText(lang, "grand_total"), from: head + 1,
			to: row - 1, units: all})
	}
	lay.lastRow = row
	return lay
}

// write streams the lines.
func (lay tableLayout) write(sw *excelize.StreamWriter, t Table, st xlsxStyles) error {
	vals := make([]any, len(t.Headers)+1)
	row := lay.head
	for _, l := range lay.lines {
		row++
		if l.kind == unitLine {
			fillRow(vals, l.no, t.Rows[l.unit], st)
		} else {
			lay.fillTotal(vals, l, t, st)
		}
		neutralRow(vals)
		ref, _ := excelize.CoordinatesToCellName(1, row)
		if err := sw.SetRow(ref, vals); err != nil {
			return err
		}
	}
	return nil
}

// fillRow puts unit row r, numbered no, into vals (reused across rows): numbers as number
// cells, rates as percents, the time as a date cell, empty where there is no value.
func fillRow(vals []any, no int, r Row, st xlsxStyles) {
	vals[0], vals[1], vals[2], vals[3] = no, r.Place, r.Org, r.Unit
	i := 4
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

// fillTotal puts a subtotal or the total into vals: each figure a SUMIFS of the rows above
// that leaves out returned reports (and, for the total, the subtotals), as the summary does;
// each rate its sums divided; the values cached, so a reader that does not recalculate shows
// them too.
func (lay tableLayout) fillTotal(vals []any, l sheetLine, t Table, st xlsxStyles) {
	clear(vals)
	ret := fmText(lay.lang, "st_return")
	sub := fmText(lay.lang, "total")
	statusCol := 4 + t.Questions + t.Rates
	status := colRange(statusCol, l.from, l.to)
	vals[1], vals[3] = cell(st.bold, l.label), cell(st.bold, sub)
	if l.kind == totalLine {
		vals[1], vals[3] = nil, cell(st.bold, l.label)
	}
	sums, done := totalOf(t, l.units, ret)
	for j := range t.Questions {
		f := fmt.Sprintf(`SUMIFS(%s,%s,"<>%s")`, colRange(4+j, l.from, l.to), status, ret)
		if l.kind == totalLine {
			f = fmt.Sprintf(`SUMIFS(%s,%s,"<>%s",%s,"<>%s")`, colRange(4+j, l.from, l.to),
				colRange(3, l.from, l.to), sub, status, ret)
		}
		vals[4+j] = excelize.Cell{StyleID: st.boldNum, Formula: f, Value: sums[j]}
	}
	row := l.to + 1
	for k, of := range t.RateOf {
		if of[0] < 0 || of[1] < 0 {
			continue
		}
		num, den := cellName(4+of[0], row), cellName(4+of[1], row)
		c := excelize.Cell{StyleID: st.boldPct, Formula: fmt.Sprintf(`IF(%s=0,"",%s/%s)`, den, num, den)}
		if sums[of[1]] != 0 {
			c.Value = float64(sums[of[0]]) / float64(sums[of[1]])
		}
		vals[4+t.Questions+k] = c
	}
	vals[statusCol] = cell(st.bold, fmText(lay.lang, "sheet_done", done, len(l.units)))
}

// totalOf adds up the figures of units, leaving out those not submitted or returned, and counts
// the units it added.
func totalOf(t Table, units []int, returned string) (sums []int64, done int) {
	sums = make([]int64, t.Questions)
	for _, u := range units {
		r := t.Rows[u]
		if r.Version == 0 || r.Status == returned {
			continue
		}
		done++
		for j, v := range r.Values {
			if r.Has[j] {
				sums[j] += v
			}
		}
	}
	return sums, done
}

// cellName names the cell at a zero-based column and a sheet row.
func cellName(col, row int) string {
	ref, _ := excelize.CoordinatesToCellName(col+1, row)
	return ref
}

// colRange names rows from..to of a zero-based column: "F7:F12".
func colRange(col, from, to int) string { return cellName(col, from) + ":" + cellName(col, to) }
