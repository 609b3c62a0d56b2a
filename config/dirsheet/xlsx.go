package dirsheet

import (
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"

	"danvan/flows"
)

// XLSXMIME is the media type of a workbook.
const XLSXMIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// orgSheet lists the organisations a row's Tổ chức may name; guideSheet says how to fill in the
// sheet. Import reads neither.
const (
	orgSheet   = "Tổ chức"
	guideSheet = "Hướng dẫn"
)

// colWidths are the columns' widths, in characters.
var colWidths = [numCols]float64{12, 44, 12, 20, 13, 13, 22, 44}

// WriteXLSX writes the directory nodes (with its organisations orgs) as the sheet, a workbook:
// the entries on the sheet "Danh bạ" (streamed, so the nationwide directory takes little
// memory), codes as text so their leading zeros stay, dates as date cells shown dd/mm/yyyy; then
// a sheet listing the organisations and one of guidance.
func WriteXLSX(w io.Writer, orgs []flows.Org, nodes []flows.Node) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetName); err != nil {
		return err
	}
	if err := writeEntries(f, exportRows(orgs, nodes)); err != nil {
		return fmt.Errorf("xlsx %s: %w", SheetName, err)
	}
	if err := writeLines(f, orgSheet, orgLines(orgs)); err != nil {
		return fmt.Errorf("xlsx %s: %w", orgSheet, err)
	}
	if err := writeLines(f, guideSheet, guide); err != nil {
		return fmt.Errorf("xlsx %s: %w", guideSheet, err)
	}
	_, err := f.WriteTo(w)
	return err
}

// entryStyles are the header's style and the dates'.
func entryStyles(f *excelize.File) (header, date int, err error) {
	dateFmt := "dd/mm/yyyy"
	header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return 0, 0, err
	}
	date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	return header, date, err
}

func writeEntries(f *excelize.File, rows []exported) error {
	header, date, err := entryStyles(f)
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(SheetName)
	if err != nil {
		return err
	}
	for c, width := range colWidths {
		if err := sw.SetColWidth(c+1, c+1, width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	head := make([]any, numCols)
	for c, h := range headers {
		head[c] = excelize.Cell{StyleID: header, Value: h}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	cells := make([]any, numCols)
	for i, e := range rows {
		for c, v := range e.cells {
			cells[c] = nil
			if v != "" {
				cells[c] = v
			}
		}
		cells[colFrom], cells[colTo] = dateValue(e.from, date), dateValue(e.to, date)
		if err := sw.SetRow("A"+strconv.Itoa(i+2), cells); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// dateValue is a date cell, or an empty one.
func dateValue(d flows.Date, style int) any {
	if d == 0 {
		return nil
	}
	return excelize.Cell{StyleID: style, Value: d.Time()}
}

func orgLines(orgs []flows.Org) [][]string {
	names := orgLabels(orgs)
	out := [][]string{{"Ghi ở cột Tổ chức", "Tên đầy đủ", "Mã trong bot"}}
	for _, o := range orgs {
		out = append(out, []string{names[o.ID], o.Name.Vi, o.ID})
	}
	return out
}

// guide is the sheet of guidance: how an admin fills in the directory.
var guide = [][]string{
	{"Danh bạ đơn vị — cách điền"},
	{"Mỗi dòng của trang “Danh bạ” là một địa bàn (tỉnh, xã, phường…: không ghi Tổ chức) hoặc một đơn vị báo cáo (một tổ chức ở một địa bàn: ghi Tổ chức)."},
	{"Mã: mã chính thức của địa bàn nếu có (ví dụ mã đơn vị hành chính), hoặc một mã tự đặt (chữ không dấu, chữ số, . _ -). Địa bàn bắt buộc có mã; đơn vị có thể để trống."},
	{"Tên: tên đầy đủ. Tên tiếng Anh: không bắt buộc."},
	{"Cấp trên: Mã của địa bàn chứa dòng này. Tổ chức: một tên ở trang “Tổ chức”."},
	{"Hiệu lực từ / Hiệu lực đến: ngày bắt đầu và ngày cuối cùng hoạt động (ngày/tháng/năm), để trống nếu không giới hạn."},
	{"Sáp nhập từ: Mã các mục mà dòng này thay thế, cách nhau bởi dấu phẩy; các mục đó phải có Hiệu lực đến trước ngày dòng này bắt đầu."},
	{"Không xoá dòng nào: mục không còn trong bảng vẫn được giữ nguyên. Để một đơn vị thôi hoạt động, ghi Hiệu lực đến."},
	{"Gửi tệp cho bot (Telegram) để kiểm tra; người vận hành áp dụng bằng lệnh danvan directory import <tệp>."},
}

// writeLines writes lines on a new sheet, one row each.
func writeLines(f *excelize.File, sheet string, lines [][]string) error {
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, "A", "A", 30); err != nil {
		return err
	}
	for i, line := range lines {
		cells := make([]any, len(line))
		for j, s := range line {
			cells[j] = s
		}
		if err := f.SetSheetRow(sheet, "A"+strconv.Itoa(i+1), &cells); err != nil {
			return err
		}
	}
	return nil
}
