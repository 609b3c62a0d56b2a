package dirsheet

import (
	"encoding/csv"
	"io"
	"strings"

	"danvan/flows"
)

// exported is one entry as the sheet writes it: its cells, and its dates as dates (a workbook
// writes them as date cells).
type exported struct {
	cells    [numCols]string
	from, to flows.Date
}

// exportRows writes nodes (a whole directory) as the sheet's rows, in their order. Each entry's
// Mã is what reads back to it against the same directory: its code where that names it alone,
// nothing for a unit whose id is "<place id>-<organisation id>" (and whom no row names), else
// its id.
func exportRows(orgs []flows.Org, nodes []flows.Node) []exported {
	keys := exportKeys(nodes)
	names := orgLabels(orgs)
	out := make([]exported, len(nodes))
	for i, n := range nodes {
		e := &out[i]
		e.cells[colCode] = keys[n.ID]
		e.cells[colName] = n.Name.Vi
		e.cells[colNameEn] = n.Name.En
		e.cells[colParent] = keys[n.Parent]
		e.cells[colOrg] = names[n.Org]
		e.from, e.to = n.ValidFrom, n.ValidTo
		e.cells[colFrom], e.cells[colTo] = showDate(n.ValidFrom), showDate(n.ValidTo)
		merged := make([]string, len(n.MergedFrom))
		for j, id := range n.MergedFrom {
			merged[j] = keys[id]
		}
		e.cells[colMerged] = strings.Join(merged, ", ")
	}
	return out
}

// exportKeys is each entry's Mã (see exportRows).
func exportKeys(nodes []flows.Node) map[string]string {
	ids, codes, named := map[string]bool{}, map[string]int{}, map[string]bool{}
	for _, n := range nodes {
		ids[n.ID] = true
		if n.Code != "" {
			codes[n.Code]++
		}
		for _, id := range n.MergedFrom {
			named[id] = true
		}
	}
	keys := make(map[string]string, len(nodes))
	for _, n := range nodes {
		switch {
		case n.Code != "" && codes[n.Code] == 1 && (!ids[n.Code] || n.Code == n.ID):
			keys[n.ID] = n.Code
		case n.Code == "" && n.IsUnit() && n.Parent != "" && n.ID == n.Parent+"-"+n.Org && !named[n.ID]:
			keys[n.ID] = ""
		default:
			keys[n.ID] = n.ID
		}
	}
	return keys
}

// orgLabels is what the Tổ chức column writes for each organisation: its short Vietnamese name,
// or its id where two share a name.
func orgLabels(orgs []flows.Org) map[string]string {
	count := map[string]int{}
	for _, o := range orgs {
		count[foldPlain(o.Short.Vi)]++
	}
	out := map[string]string{}
	for _, o := range orgs {
		out[o.ID] = o.Short.Vi
		if count[foldPlain(o.Short.Vi)] > 1 || o.Short.Vi == "" {
			out[o.ID] = o.ID
		}
	}
	return out
}

// WriteCSV writes the directory nodes (with its organisations orgs) as the sheet, CSV: UTF-8
// with a BOM, for Excel to read its diacritics, comma-separated, dates dd/mm/yyyy.
func WriteCSV(w io.Writer, orgs []flows.Org, nodes []flows.Node) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(headers[:]); err != nil {
		return err
	}
	rec := make([]string, numCols)
	for _, e := range exportRows(orgs, nodes) {
		for c, v := range e.cells {
			rec[c] = csvText(v)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvText keeps a spreadsheet from running a cell as a formula (CSV injection): a text that
// starts with = + - @ gets a leading quote, which import takes off again.
func csvText(s string) string {
	s = flows.Neutral(s)
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}
