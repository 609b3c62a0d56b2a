package files

import (
	"strconv"
	"strings"
)

// documentXML writes word/document.xml: the header blocks, the body, the recipients and the
// signature on A4 portrait pages; the annex, if any, in a section of its own on landscape pages.
func documentXML(d Document) []byte {
	w := &wml{}
	w.Grow(64 << 10)
	w.WriteString(xmlHd + `<w:document xmlns:w="` + nsW + `" xmlns:r="` + nsR + `"><w:body>`)
	w.head(d.Head)
	w.blocks(d.Body, portraitText)
	w.closing(d)
	if len(d.Annex) > 0 {
		// A section ends with the paragraph that carries its properties.
		w.WriteString("<w:p><w:pPr>")
		w.sectPr(false)
		w.WriteString("</w:pPr></w:p>")
		w.blocks(d.Annex, landscapeText)
		w.sectPr(true)
	} else {
		w.sectPr(false)
	}
	w.WriteString("</w:body></w:document>")
	return w.Bytes()
}

// sectPr writes a section's page: A4 portrait, the first page without a page number, or A4
// landscape numbered throughout (the annex).
func (w *wml) sectPr(landscape bool) {
	width, height, orient := a4Short, a4Long, ""
	if landscape {
		width, height, orient = a4Long, a4Short, ` w:orient="landscape"`
	}
	w.WriteString(`<w:sectPr><w:headerReference w:type="default" r:id="` + headerRel + `"/>`)
	w.WriteString(`<w:pgSz w:w="` + strconv.Itoa(width) + `" w:h="` + strconv.Itoa(height) + `"` + orient + `/>`)
	w.WriteString(`<w:pgMar w:top="` + strconv.Itoa(marginTop) + `" w:right="` + strconv.Itoa(marginRight) +
		`" w:bottom="` + strconv.Itoa(marginBottom) + `" w:left="` + strconv.Itoa(marginLeft) +
		`" w:header="` + strconv.Itoa(marginHeader) + `" w:footer="` + strconv.Itoa(marginHeader) + `" w:gutter="0"/>`)
	w.WriteString(`<w:cols w:space="720"/>`)
	if !landscape {
		w.WriteString(`<w:titlePg/>`)
	}
	w.WriteString(`<w:docGrid w:linePitch="360"/></w:sectPr>`)
}

// head writes the top of the first page (Hướng dẫn 36-HD/VPTW): a grid without borders, the
// issuing body under its superior, the separator and the number at the left; "ĐẢNG CỘNG SẢN
// VIỆT NAM" underlined and the place and date in italics at the right; then the title, the
// subject and the rule under it, centred.
func (w *wml) head(h DocHead) {
	// Half each: "BAN TUYÊN GIÁO VÀ DÂN VẬN" in bold 14 pt and "ĐẢNG CỘNG SẢN VIỆT NAM" in bold
	// 15 pt each need about 80 mm of the 165 mm between the margins.
	cols := fit([]int{50, 50}, portraitText)
	center := plain("", "center")
	w.tblStart(cols, false)
	w.WriteString("<w:tr>")
	w.tc(cols[0], 1, "top")
	w.p(center, runProps{}, h.Superior)
	w.p(center, runProps{bold: true}, h.Issuer)
	w.p(center, runProps{}, h.Separator)
	w.WriteString("</w:tc>")
	w.tc(cols[1], 1, "top")
	w.p(center, runProps{bold: true, underline: true, size: 30}, h.Party)
	w.WriteString("</w:tc></w:tr><w:tr>")
	w.tc(cols[0], 1, "top")
	w.p(center, runProps{}, h.Number)
	w.WriteString("</w:tc>")
	w.tc(cols[1], 1, "top")
	w.p(plain("", "right"), runProps{italic: true}, h.Date)
	w.WriteString("</w:tc></w:tr></w:tbl>")
	w.p(para{align: "center", before: 480, after: 0, firstLine: -1}, runProps{bold: true, size: 32}, h.Title)
	w.p(center, runProps{bold: true}, h.Subject)
	w.p(para{align: "center", before: -1, after: 240, firstLine: -1}, runProps{}, h.Rule)
}

// blocks writes paragraphs and tables; tables are fitted to width.
func (w *wml) blocks(bs []Block, width int) {
	for _, b := range bs {
		switch {
		case b.Table != nil:
			w.table(b.Table, width)
		case b.Style == "page_break":
			w.WriteString(`<w:p><w:r><w:br w:type="page"/></w:r></w:p>`)
		default:
			// A line break in a justified paragraph stretches the line before it: each line of
			// a text (an organiser's answer of several lines) is a paragraph of its own.
			pp, rp := blockLook(b.Style)
			for _, line := range strings.Split(b.Text, "\n") {
				if strings.TrimSpace(line) != "" {
					w.p(pp, rp, strings.TrimSpace(line))
				}
			}
		}
	}
}

// blockLook is how each block style looks.
func blockLook(style string) (para, runProps) {
	switch style {
	case "heading1":
		return plain("Heading1", ""), runProps{}
	case "heading2":
		return plain("Heading2", ""), runProps{}
	case "italic", "placeholder":
		return plain("BodyText", ""), runProps{italic: true}
	case "title":
		return para{align: "center", before: 0, after: 0, firstLine: -1, keepNext: true}, runProps{bold: true}
	case "subtitle":
		return para{align: "center", before: 0, after: 240, firstLine: -1, keepNext: true}, runProps{italic: true}
	}
	return plain("BodyText", ""), runProps{}
}

// closing writes the recipients at the left and the signature block at the right, in one row
// that never splits across pages; blank lines leave room to sign.
func (w *wml) closing(d Document) {
	cols := fit([]int{45, 55}, portraitText)
	w.tblStart(cols, false)
	w.WriteString("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
	w.tc(cols[0], 1, "top")
	w.p(para{before: 240, after: 0, firstLine: -1, align: "left"}, runProps{underline: true}, d.RecipientsLabel)
	for _, r := range d.Recipients {
		w.p(plain("", "left"), runProps{size: 24}, "- "+r)
	}
	w.WriteString("</w:tc>")
	w.tc(cols[1], 1, "top")
	top := para{before: 240, after: 0, firstLine: -1, align: "center"}
	if d.Signer.OnBehalf != "" {
		w.p(top, runProps{bold: true}, d.Signer.OnBehalf)
		top = plain("", "center")
	}
	w.p(top, runProps{bold: true}, d.Signer.Title)
	for range 4 {
		w.WriteString("<w:p/>")
	}
	w.p(plain("", "center"), runProps{bold: true}, d.Signer.Name)
	w.WriteString("</w:tc></w:tr></w:tbl><w:p/>")
}
