package files

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"

	"danvan/flows"
)

// wml writes WordprocessingML. Element order inside pPr, rPr, tblPr, tcPr and sectPr follows
// the schema's sequences: Word refuses, or offers to repair, a file that breaks them.
type wml struct{ bytes.Buffer }

// para is a paragraph's properties.
type para struct {
	style     string // a style id of styles.xml, "" for Normal
	keepNext  bool
	before    int // spacing before, twips; -1 leaves the style's
	after     int
	firstLine int    // first-line indent, twips; -1 leaves the style's
	align     string // left, center, right, both; "" leaves the style's
}

// runProps is a run's character properties; size is in half-points, 0 for the style's.
type runProps struct {
	bold, italic, underline bool
	size                    int
}

// plain is a paragraph with the style's spacing and indent.
func plain(style, align string) para {
	return para{style: style, before: -1, after: -1, firstLine: -1, align: align}
}

// p writes one paragraph of text in one run; a line break in text becomes <w:br/>.
func (w *wml) p(pp para, rp runProps, text string) {
	w.WriteString("<w:p>")
	w.pPr(pp)
	w.run(rp, text)
	w.WriteString("</w:p>")
}

func (w *wml) pPr(pp para) {
	w.WriteString("<w:pPr>")
	if pp.style != "" {
		w.WriteString(`<w:pStyle w:val="` + pp.style + `"/>`)
	}
	if pp.keepNext {
		w.WriteString("<w:keepNext/>")
	}
	if pp.before >= 0 || pp.after >= 0 {
		w.WriteString("<w:spacing")
		if pp.before >= 0 {
			w.WriteString(` w:before="` + strconv.Itoa(pp.before) + `"`)
		}
		if pp.after >= 0 {
			w.WriteString(` w:after="` + strconv.Itoa(pp.after) + `"`)
		}
		w.WriteString("/>")
	}
	if pp.firstLine >= 0 {
		w.WriteString(`<w:ind w:firstLine="` + strconv.Itoa(pp.firstLine) + `"/>`)
	}
	if pp.align != "" {
		w.WriteString(`<w:jc w:val="` + pp.align + `"/>`)
	}
	w.WriteString("</w:pPr>")
}

// run writes text with rp; nothing for an empty text.
func (w *wml) run(rp runProps, text string) {
	text = cleanText(text)
	if text == "" {
		return
	}
	w.WriteString("<w:r>")
	if rp != (runProps{}) {
		w.WriteString("<w:rPr>")
		if rp.bold {
			w.WriteString("<w:b/><w:bCs/>")
		}
		if rp.italic {
			w.WriteString("<w:i/><w:iCs/>")
		}
		if rp.size > 0 {
			s := strconv.Itoa(rp.size)
			w.WriteString(`<w:sz w:val="` + s + `"/><w:szCs w:val="` + s + `"/>`)
		}
		if rp.underline {
			w.WriteString(`<w:u w:val="single"/>`)
		}
		w.WriteString("</w:rPr>")
	}
	for i, line := range strings.Split(text, "\n") {
		if i > 0 {
			w.WriteString("<w:br/>")
		}
		if line != "" {
			w.WriteString(`<w:t xml:space="preserve">`)
			escapeTo(&w.Buffer, line)
			w.WriteString("</w:t>")
		}
	}
	w.WriteString("</w:r>")
}

// cleanText makes s safe for XML and for a document people read: invalid UTF-8 replaced, CRLF
// made a line feed, other breaks a space, the characters XML refuses or a reader would not see
// (U+FEFF, U+FFFE, U+FFFF) removed, then flows.Neutral: control characters and the
// bidirectional controls that can make text display in another order than it is stored
// (Trojan Source) gone, tabs made spaces.
func cleanText(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Map(func(r rune) rune {
		switch r {
		case '\r', '\v', '\f', 0x85, 0x2028, 0x2029:
			return ' '
		case 0xFEFF, 0xFFFE, 0xFFFF:
			return -1
		}
		return r
	}, s)
	return flows.Neutral(s)
}

// escapeTo writes s with XML's special characters escaped.
func escapeTo(b *bytes.Buffer, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '"':
			esc = "&quot;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(esc)
		last = i + 1
	}
	b.WriteString(s[last:])
}

// fit scales relative widths to total twips; the last column takes what rounding leaves.
func fit(widths []int, total int) []int {
	sum := 0
	for _, w := range widths {
		sum += w
	}
	out := make([]int, len(widths))
	left := total
	for i, w := range widths {
		out[i] = total * w / max(sum, 1)
		left -= out[i]
	}
	if len(out) > 0 {
		out[len(out)-1] += left
	}
	return out
}

// tblStart opens a table of cols with all borders single (ruled) or none (a layout grid).
func (w *wml) tblStart(cols []int, ruled bool) {
	total := 0
	for _, c := range cols {
		total += c
	}
	border := `w:val="single" w:sz="4" w:space="0" w:color="000000"`
	if !ruled {
		border = `w:val="none" w:sz="0" w:space="0" w:color="auto"`
	}
	w.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="` + strconv.Itoa(total) + `" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>`)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		w.WriteString(`<w:` + side + ` ` + border + `/>`)
	}
	w.WriteString(`</w:tblBorders><w:tblLayout w:type="fixed"/>`)
	w.WriteString(`<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>`)
	for _, c := range cols {
		w.WriteString(`<w:gridCol w:w="` + strconv.Itoa(c) + `"/>`)
	}
	w.WriteString("</w:tblGrid>")
}

// tc opens a cell of width twips spanning span grid columns, its content vertically aligned
// valign (top, center).
func (w *wml) tc(width, span int, valign string) {
	w.WriteString(`<w:tc><w:tcPr><w:tcW w:w="` + strconv.Itoa(width) + `" w:type="dxa"/>`)
	if span > 1 {
		w.WriteString(`<w:gridSpan w:val="` + strconv.Itoa(span) + `"/>`)
	}
	w.WriteString(`<w:vAlign w:val="` + valign + `"/></w:tcPr>`)
}

// table writes t fitted to width: the header row bold and repeated on each page, rows never
// split across pages, names left and figures centred.
func (w *wml) table(t *DocTable, width int) {
	cols := fit(t.Widths, width)
	size := 24
	if t.Small {
		size = 22
	}
	w.tblStart(cols, true)
	w.row(cols, t.Header, size, true, true, -1)
	for _, r := range t.Rows {
		if r.Span {
			w.WriteString("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
			w.tc(width, len(cols), "center")
			// A group's name stays on the page of its first unit.
			pp := plain("TableText", "left")
			pp.keepNext = true
			w.p(pp, runProps{bold: r.Bold, size: size}, r.Cells[0])
			w.WriteString("</w:tc></w:tr>")
			continue
		}
		w.row(cols, r.Cells, size, r.Bold, false, t.TextCol)
	}
	w.WriteString("</w:tbl>")
	// Word joins two tables that touch, and a table must not end a table cell or the body: a
	// small empty paragraph keeps them apart.
	w.WriteString(`<w:p><w:pPr><w:spacing w:before="0" w:after="0"/><w:rPr><w:sz w:val="12"/><w:szCs w:val="12"/></w:rPr></w:pPr></w:p>`)
}

// row writes one row of cells; textCol is left-aligned, the others centred.
func (w *wml) row(cols []int, cells []string, size int, bold, header bool, textCol int) {
	w.WriteString("<w:tr><w:trPr><w:cantSplit/>")
	if header {
		w.WriteString("<w:tblHeader/>")
	}
	w.WriteString("</w:trPr>")
	for i, c := range cols {
		w.tc(c, 1, "center")
		align := "center"
		if i == textCol {
			align = "left"
		}
		text := ""
		if i < len(cells) {
			text = cells[i]
		}
		w.p(plain("TableText", align), runProps{bold: bold, size: size}, text)
		w.WriteString("</w:tc>")
	}
	w.WriteString("</w:tr>")
}
