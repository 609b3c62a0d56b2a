package filetest

import (
	"bytes"
	"encoding/xml"
	"io"
	"slices"
	"strings"
	"testing"
)

// DOCXPara is one paragraph of a Word document as a reader meets it: its text, its style, its
// alignment, the first run's formatting, and whether it sits in a table.
type DOCXPara struct {
	Text                    string
	Style, Align            string
	Bold, Italic, Underline bool
	Size                    string // the first run's w:sz, "" for the style's
	InTable                 bool
}

// DOCX is what a test reads back from a .docx: its parts, every paragraph, every table as rows
// of cell texts, each section's page, and the text as lines (a paragraph, "| a | b |" per table
// row, "[page]" for a page break, "[section …]" where a section ends), which a golden file can
// hold.
type DOCX struct {
	Parts    map[string][]byte
	Paras    []DOCXPara
	Tables   [][][]string
	Sections []string // "11906x16838" or "16838x11906 landscape"
	Lines    []string
}

// MustReadDOCX unzips data, checks every XML part is well formed and parses word/document.xml
// into a DOCX.
func MustReadDOCX(tb testing.TB, data []byte) DOCX {
	tb.Helper()
	v := DOCX{Parts: map[string][]byte{}}
	for _, f := range MustUnzip(tb, data) {
		v.Parts[f.Name] = f.Data
		if err := wellFormed(f.Data); err != nil {
			tb.Errorf("docx part %s: not well-formed XML: %v", f.Name, err)
		}
	}
	doc, ok := v.Parts["word/document.xml"]
	if !ok {
		tb.Fatalf("docx: no word/document.xml")
	}
	if err := v.parse(doc); err != nil {
		tb.Fatalf("docx: document.xml: %v", err)
	}
	return v
}

func wellFormed(b []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(b))
	for {
		if _, err := dec.Token(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}

// docxWalk is the parser's state.
type docxWalk struct {
	v            *DOCX
	para         *DOCXPara
	inRun, inT   bool
	runs         int
	tables       int
	cell, row    []string
	orient, size string
}

func (v *DOCX) parse(doc []byte) error {
	w := &docxWalk{v: v}
	dec := xml.NewDecoder(bytes.NewReader(doc))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			w.start(t)
		case xml.EndElement:
			w.end(t.Name.Local)
		case xml.CharData:
			if w.inT && w.para != nil {
				w.para.Text += string(t)
			}
		}
	}
}

func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (w *docxWalk) start(e xml.StartElement) {
	p := w.para
	switch e.Name.Local {
	case "p":
		w.para, w.runs = &DOCXPara{InTable: w.tables > 0}, 0
	case "pStyle":
		p.Style = attr(e, "val")
	case "jc":
		if p != nil {
			p.Align = attr(e, "val")
		}
	case "r":
		w.inRun = true
		w.runs++
	case "b", "i", "u", "sz":
		if p == nil || !w.inRun || w.runs > 1 {
			return
		}
		switch e.Name.Local {
		case "b":
			p.Bold = true
		case "i":
			p.Italic = true
		case "u":
			p.Underline = true
		case "sz":
			p.Size = attr(e, "val")
		}
	case "t":
		w.inT = true
	case "br":
		if attr(e, "type") == "page" {
			w.v.Lines = append(w.v.Lines, "[page]")
		} else if p != nil {
			p.Text += "\n"
		}
	case "tbl":
		w.tables++
		w.v.Tables = append(w.v.Tables, nil)
	case "tr":
		w.row = nil
	case "tc":
		w.cell = nil
	case "pgSz":
		w.size = attr(e, "w") + "x" + attr(e, "h")
		w.orient = attr(e, "orient")
	}
}

func (w *docxWalk) end(name string) {
	v := w.v
	switch name {
	case "t":
		w.inT = false
	case "r":
		w.inRun = false
	case "p":
		v.Paras = append(v.Paras, *w.para)
		if w.para.InTable {
			w.cell = append(w.cell, w.para.Text)
		} else if w.para.Text != "" {
			v.Lines = append(v.Lines, w.para.Text)
		}
		w.para = nil
	case "tc":
		w.row = append(w.row, strings.Join(w.cell, " / "))
	case "tr":
		v.Tables[len(v.Tables)-1] = append(v.Tables[len(v.Tables)-1], w.row)
		v.Lines = append(v.Lines, "| "+strings.Join(w.row, " | ")+" |")
	case "tbl":
		w.tables--
	case "sectPr":
		s := w.size
		if w.orient != "" {
			s += " " + w.orient
		}
		v.Sections = append(v.Sections, s)
		v.Lines = append(v.Lines, "[section "+s+"]")
	}
}

// Para returns the first paragraph whose text is text; the test fails without one.
func (v DOCX) Para(tb testing.TB, text string) DOCXPara {
	tb.Helper()
	for _, p := range v.Paras {
		if p.Text == text {
			return p
		}
	}
	tb.Errorf("docx: no paragraph %q", text)
	return DOCXPara{}
}

// TableWith returns the first table whose header row's first cells are heads; the test fails
// without one.
func (v DOCX) TableWith(tb testing.TB, heads ...string) [][]string {
	tb.Helper()
	for _, t := range v.Tables {
		if len(t) > 0 && len(t[0]) >= len(heads) && slices.Equal(t[0][:len(heads)], heads) {
			return t
		}
	}
	tb.Errorf("docx: no table headed %q", heads)
	return nil
}
