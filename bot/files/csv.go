package files

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"time"

	"danvan/flows"
)

// utf8BOM starts every CSV: without it Excel reads UTF-8 as the local code page and the
// diacritics come out garbled.
const utf8BOM = "\uFEFF"

// RenderCSV writes each table of wb as a CSV file (UTF-8 with BOM, the same columns as the
// spreadsheet's unit rows) separated by sep, and packs them in one zip: a reply carries one file,
// and there is a CSV per form. sep is ',' or ';': Excel under a Vietnamese (or most European)
// locale, where the comma is the decimal mark, splits columns at semicolons only.
func RenderCSV(wb Workbook, sep rune) ([]byte, error) {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for _, t := range wb.Tables {
		w, err := z.CreateHeader(&zip.FileHeader{Name: t.FormID + ".csv", Method: zip.Deflate, Modified: time.Unix(0, 0)})
		if err != nil {
			return nil, fmt.Errorf("csv %s: %w", t.FormID, err)
		}
		if err := WriteTableCSV(w, t, wb.Lang, sep); err != nil {
			return nil, fmt.Errorf("csv %s: %w", t.FormID, err)
		}
	}
	if err := z.Close(); err != nil {
		return nil, fmt.Errorf("csv zip: %w", err)
	}
	return buf.Bytes(), nil
}

// WriteTableCSV writes one table as CSV with a BOM, fields separated by sep. Numbers are plain
// digits, rates as percents for readers of lang ("88,1%", "88.1%" in English), times
// "2006-01-02 15:04" in the calendar's time zone. Only units' rows: a CSV is read by programs,
// which would count subtotals twice.
func WriteTableCSV(w interface{ Write([]byte) (int, error) }, t Table, lang flows.Lang, sep rune) error {
	if _, err := w.Write([]byte(utf8BOM)); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Comma = sep
	rec := make([]string, len(t.Headers))
	for i, h := range t.Headers {
		rec[i] = csvText(h)
	}
	if err := cw.Write(rec); err != nil {
		return err
	}
	for _, r := range t.Rows {
		csvRecord(rec, r, lang)
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvRecord puts r into rec (reused across rows), in the spreadsheet's column order. Text cells
// go through csvText; numbers, percents and times are written as they are.
func csvRecord(rec []string, r Row, lang flows.Lang) {
	clear(rec)
	rec[0], rec[1], rec[2] = csvText(r.Place), csvText(r.Org), csvText(r.Unit)
	i := 3
	for j, v := range r.Values {
		if r.Has[j] {
			rec[i] = strconv.FormatInt(v, 10)
		}
		i++
	}
	for j, v := range r.Rates {
		switch {
		case r.RateOK[j]:
			rec[i] = flows.FormatPercentIn(v, lang)
		case r.Version > 0:
			rec[i] = "—"
		}
		i++
	}
	rec[i] = csvText(r.Status)
	if r.Version > 0 {
		rec[i+1], rec[i+2], rec[i+3], rec[i+4] = csvText(r.By), r.At.Format("2006-01-02 15:04"), strconv.Itoa(r.Version), csvText(r.Ref)
	}
	rec[i+5] = csvText(r.Reason)
}

// csvText makes a text cell safe. It drops bidirectional controls and control characters
// (flows.Neutral: a tab becomes a space, a carriage return goes), with which a name could read as
// another, and defuses CSV formula injection (OWASP "CSV Injection"): a spreadsheet opening the
// file runs a cell that starts with = + - @ (after spaces, for the lenient ones) as a formula,
// and the sender's display name or a return's reason are whatever a user typed
// ("=HYPERLINK(…)"). Such a text cell gets a leading single quote, so it shows as text. Only
// text cells go through it: numbers stay numbers.
func csvText(s string) string {
	s = flows.Neutral(s)
	if t := strings.TrimLeft(s, " "); t != "" && strings.ContainsRune("=+-@", rune(t[0])) {
		return "'" + s
	}
	return s
}
