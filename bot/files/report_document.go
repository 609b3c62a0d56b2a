package files

import (
	"fmt"
	"strconv"
	"strings"
)

// Document is a report laid out for Word: the header blocks of a Party document (Hướng dẫn
// 36-HD/VPTW), the body as paragraphs and tables, the recipients and the signature, and an
// annex on landscape pages. RenderDOCX writes it.
type Document struct {
	Title           string // the file's title property
	Head            DocHead
	Body            []Block
	RecipientsLabel string // "Nơi nhận:"
	Recipients      []string
	Signer          DocSigner
	Annex           []Block
}

// DocHead is the top of the first page: the issuing body and its superior at the left over the
// separator and the number, the Party's name at the right over the place and date, then the
// title, the subject and the short rule under it.
type DocHead struct {
	Superior, Issuer, Separator, Number string
	Party, Date                         string
	Title, Subject, Rule                string
}

// DocSigner is the signature block: on whose behalf, the signer's title, and their name.
type DocSigner struct {
	OnBehalf, Title, Name string
}

// Block is one paragraph (Style and Text) or one table.
type Block struct {
	// Style is "" (body text), heading1, heading2, italic, title, subtitle, placeholder (a
	// sentence for the official to write) or page_break.
	Style string
	Text  string
	Table *DocTable
}

// DocTable is a table with borders: a header row repeated on every page, then the rows. Widths
// are relative; the writer fits them to the page. TextCol is the column aligned left (names);
// the others are centred.
type DocTable struct {
	Widths  []int
	Header  []string
	Rows    []DocRow
	TextCol int
	Small   bool // 11 pt instead of 12, for the wide annex tables
}

// DocRow is one row; Span writes Cells[0] across the whole row (a group's name).
type DocRow struct {
	Cells []string
	Bold  bool
	Span  bool
}

// Document lays r out with the template's texts: the header, each block of the body and the
// annex (a paragraph whose text comes out empty is left out, as is a table without rows).
func (t *ReportTemplate) Document(r Report) (Document, error) {
	d := Document{
		Title: strings.TrimSpace(r.Title + " " + r.Subject),
		Head: DocHead{Superior: r.Issuer.Superior, Issuer: r.Issuer.Name, Separator: t.spec.Separator,
			Number: r.Number, Party: t.spec.Party, Date: r.Date, Title: r.Title, Subject: r.Subject, Rule: t.spec.Rule},
		RecipientsLabel: t.spec.Recipients, Recipients: r.Issuer.Recipients,
		Signer: DocSigner{OnBehalf: r.Issuer.OnBehalf, Title: r.Issuer.Signer, Name: r.Issuer.SignerName},
	}
	var err error
	if d.Body, err = t.blocks("body", t.spec.Body, r); err != nil {
		return Document{}, err
	}
	if d.Annex, err = t.blocks("annex", t.spec.Annex, r); err != nil {
		return Document{}, err
	}
	return d, nil
}

// blocks lays out one part of the template.
func (t *ReportTemplate) blocks(part string, specs []blockSpec, r Report) ([]Block, error) {
	var out []Block
	for i, b := range specs {
		p := fmt.Sprintf("%s[%d]", part, i)
		switch {
		case b.Style == "page_break":
			out = append(out, Block{Style: b.Style})
		case b.Table != "":
			heads := make([]string, len(b.Headers))
			for j := range b.Headers {
				h, err := t.exec(fmt.Sprintf("%s.headers[%d]", p, j), r)
				if err != nil {
					return nil, err
				}
				heads[j] = h
			}
			if tbl := reportTable(b.Table, heads, r); tbl != nil {
				out = append(out, Block{Table: tbl})
			}
		case len(b.List) > 0:
			items, err := t.listBlocks(p, b, r)
			if err != nil {
				return nil, err
			}
			out = append(out, items...)
		default:
			s, err := t.exec(p+".text", r)
			if err != nil {
				return nil, err
			}
			if strings.TrimSpace(s) != "" {
				out = append(out, Block{Style: b.Style, Text: s})
			}
		}
	}
	return out, nil
}

// listBlocks writes a paragraph per narrative answer to the questions b lists, or b's
// placeholder sentence when nobody wrote one.
func (t *ReportTemplate) listBlocks(p string, b blockSpec, r Report) ([]Block, error) {
	var out []Block
	for _, q := range b.List {
		for _, a := range r.Narratives[q] {
			s, err := t.exec(p+".item", a)
			if err != nil {
				return nil, err
			}
			out = append(out, Block{Style: b.Style, Text: s})
		}
	}
	if len(out) > 0 {
		return out, nil
	}
	s, err := t.exec(p+".empty", r)
	if err != nil || strings.TrimSpace(s) == "" {
		return nil, err
	}
	return []Block{{Style: "placeholder", Text: s}}, nil
}

// reportTable builds the table kind names from r, under heads; nil when it has no rows.
func reportTable(kind string, heads []string, r Report) *DocTable {
	switch kind {
	case "indicators":
		return indicatorTable(heads, r.Indicators)
	case "forms":
		t := &DocTable{Widths: []int{30, 14, 14, 14, 14, 14}, Header: heads}
		for _, c := range r.Completeness.Forms {
			t.Rows = append(t.Rows, DocRow{Cells: []string{c.Form, strconv.Itoa(c.Units), strconv.Itoa(c.Reported),
				strconv.Itoa(c.Late), strconv.Itoa(c.Missing), strconv.Itoa(c.Return)}})
		}
		return nonEmpty(t)
	case "models":
		return modelTable(heads, r)
	case "places":
		return annexTable(heads, r.AnnexColumns, r.Places, r.Total)
	case "orgs":
		return annexTable(heads, r.AnnexColumns, r.Orgs, r.Total)
	}
	return nil
}

func nonEmpty(t *DocTable) *DocTable {
	if len(t.Rows) == 0 {
		return nil
	}
	return t
}

// dash stands for an empty cell of a table that should say there is nothing.
func dash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

func indicatorTable(heads []string, rows []IndicatorRow) *DocTable {
	t := &DocTable{Widths: []int{8, 30, 13, 11, 17, 11, 10, 10}, Header: heads, TextCol: 1}
	for _, r := range rows {
		t.Rows = append(t.Rows, DocRow{Cells: []string{r.ID, r.Name, dash(r.Target), r.Value, r.Basis,
			dash(r.Prev), dash(r.Change), dash(r.Verdict)}})
	}
	return nonEmpty(t)
}

func modelTable(heads []string, r Report) *DocTable {
	if !r.HasRegister || len(r.Models) == 0 {
		return nil
	}
	t := &DocTable{Widths: []int{7, 45, 16, 16, 16}, Header: heads, TextCol: 1}
	for i, m := range r.Models {
		t.Rows = append(t.Rows, DocRow{Cells: []string{strconv.Itoa(i + 1), m.Field, strconv.Itoa(m.Registered),
			strconv.Itoa(m.Recognised), strconv.Itoa(m.Units)}})
	}
	tot := r.ModelTotal
	t.Rows = append(t.Rows, DocRow{Bold: true, Cells: []string{"", tot.Field, strconv.Itoa(tot.Registered),
		strconv.Itoa(tot.Recognised), strconv.Itoa(tot.Units)}})
	return t
}

// annexTable lays out units by group: with several groups, each opens with its name across
// the row and closes with its total when it has more than one unit; units are numbered through;
// the grand total ends the table.
func annexTable(heads, cols []string, groups []AnnexGroup, total AnnexRow) *DocTable {
	if len(groups) == 0 {
		return nil
	}
	t := &DocTable{Header: append(append([]string{heads[0], heads[1]}, cols...), heads[2]), TextCol: 1, Small: true}
	t.Widths = []int{5, 26}
	for range cols {
		t.Widths = append(t.Widths, 8)
	}
	t.Widths = append(t.Widths, 10)
	line := func(no string, r AnnexRow, bold bool) DocRow {
		return DocRow{Bold: bold, Cells: append(append([]string{no, r.Label}, r.Cells...), r.Status)}
	}
	n := 0
	for gi, g := range groups {
		if len(groups) > 1 {
			t.Rows = append(t.Rows, DocRow{Span: true, Bold: true, Cells: []string{roman(gi+1) + ". " + g.Label}})
		}
		for _, r := range g.Rows {
			n++
			t.Rows = append(t.Rows, line(strconv.Itoa(n), r, false))
		}
		if len(groups) > 1 && len(g.Rows) > 1 {
			sub := g.Total
			sub.Label = fmText(reportLang, "subtotal")
			t.Rows = append(t.Rows, line("", sub, true))
		}
	}
	t.Rows = append(t.Rows, line("", total, true))
	return t
}

// roman writes n in Roman numerals, as Vietnamese documents number their groups.
func roman(n int) string {
	var b strings.Builder
	for _, p := range []struct {
		v int
		s string
	}{{1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"}, {50, "L"}, {40, "XL"},
		{10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"}} {
		for ; n >= p.v; n -= p.v {
			b.WriteString(p.s)
		}
	}
	return b.String()
}
