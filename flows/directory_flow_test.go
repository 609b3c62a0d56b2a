package flows

import (
	"fmt"
	"strings"
	"testing"
)

// setSheet sets what the caller's check makes of the next files sent: "bad" (errors at rows and
// columns), "ok" (a valid sheet and what it changes), "big" (over the size read), "none" (no
// check made: the feature is off).
func (w *world) setSheet(kind string) error {
	switch kind {
	case "bad":
		w.sheet = &DirectoryCheck{File: "danh-ba.xlsx", Rows: 52, Errors: []SheetError{
			{Row: 14, Column: "Cấp trên", Msg: Text{Vi: "không có đơn vị “xa-abc” (ghi Mã của dòng cấp trên)", En: "there is no entry “xa-abc” (write the Mã of the parent's row)"}},
			{Row: 20, Column: "Hiệu lực từ", Msg: Text{Vi: "“31/02/2025” không phải ngày: viết ngày/tháng/năm, ví dụ 01/07/2025", En: "“31/02/2025” is not a date: write day/month/year, e.g. 01/07/2025"}},
			{Row: 1, Column: "Ghi chu 2", Msg: Text{Vi: "không phải cột của danh bạ", En: "is not a column of the directory"}},
		}}
	case "ok":
		w.sheet = &DirectoryCheck{File: "danh-ba.xlsx", Rows: 9, Change: DirectoryChange{
			Places: 4, Units: 5,
			Added:   []Text{{Vi: "Xã Mới", En: "New commune"}, {Vi: "Hội LHPN · Xã Mới", En: "Women's Union · New commune"}},
			Ended:   []Text{{Vi: "Xã San Thàng", En: "San Thàng commune"}},
			Merged:  []Merger{{Name: Text{Vi: "Xã Mới"}, From: []Text{{Vi: "Xã San Thàng"}}}},
			Changed: 1, Kept: []Text{{Vi: "Phường Cũ"}}, KeptActive: 1, Submissions: 1250, ReadOnly: 12,
		}}
	case "big":
		w.sheet = &DirectoryCheck{File: "danh-ba.xlsx", TooBigMB: 10}
	case "none":
		w.sheet = nil
	default:
		return fmt.Errorf("@sheet bad|ok|big|none, not %q", kind)
	}
	return nil
}

// setVia puts the chat on a platform of testChannels ("none": the console).
func (w *world) setVia(id string) error {
	w.env.Via = Channel{}
	for _, c := range w.env.Channels {
		if c.ID == id {
			w.env.Via = c
		}
	}
	if w.env.Via.ID == "" && id != "none" {
		return fmt.Errorf("@via tg|zalo|none, not %q", id)
	}
	return nil
}

// A long list of errors shows the first ones and how many more; a summary lists the first few
// names of each kind.
func TestDirectoryCheckText(t *testing.T) {
	var c DirectoryCheck
	c.File = "a.csv"
	for i := range 40 {
		c.Errors = append(c.Errors, SheetError{Row: i + 2, Column: "Tên", Msg: Text{Vi: "cần có tên", En: "a name is required"}})
	}
	text := c.Text(VI)
	if !strings.Contains(text, "• Dòng 31, cột Tên: cần có tên\n… và 10 lỗi khác.") || strings.Contains(text, "Dòng 32,") {
		t.Errorf("errors: got %q, want the first 30 and the count of the rest", text)
	}
	ok := DirectoryCheck{File: "a.csv", Rows: 9, Change: DirectoryChange{Places: 1, Units: 8}}
	for i := range 8 {
		ok.Change.Added = append(ok.Change.Added, Text{Vi: fmt.Sprintf("Đơn vị %d", i+1)})
	}
	if got, want := ok.Text(EN), "➕ Added 8: Đơn vị 1, Đơn vị 2, Đơn vị 3, Đơn vị 4, Đơn vị 5 … and 3 more"; !strings.Contains(got, want) {
		t.Errorf("summary: got %q, want it to hold %q", got, want)
	}
	if !ok.Valid() || c.Valid() || (DirectoryCheck{TooBigMB: 10}).Valid() {
		t.Errorf("Valid: got %v, %v, want true for the summary, false for errors and a file too big", ok.Valid(), c.Valid())
	}
}
