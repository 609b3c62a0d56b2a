package flows

import "strings"

// DirectoryCheck is what the check of a directory sheet found: the caller reads the sheet an
// admin sent (outside flows) and hands the result in (Env.Sheet); flows only shows it.
type DirectoryCheck struct {
	// File is the sheet's name as sent ("danh-ba.xlsx").
	File string
	// Rows is how many rows of units and places the sheet holds, its header left out.
	Rows int
	// TooBigMB, when not 0, is the size limit in MB the file broke: it was not read.
	TooBigMB int
	// Errors are the sheet's problems, each at its row and column; none means it is valid.
	Errors []SheetError
	// Change is what applying the sheet would do to the directory in force; valid sheets only.
	Change DirectoryChange
}

// Valid reports whether the sheet can be applied.
func (c DirectoryCheck) Valid() bool { return c.TooBigMB == 0 && len(c.Errors) == 0 }

// SheetError is one problem of a sheet: the row as the spreadsheet numbers it (the header is
// one of them; 0 for the file as a whole), the column by its header ("Cấp trên"; "" for the
// whole row), and what is wrong.
type SheetError struct {
	Row    int
	Column string
	Msg    Text
}

func init() {
	addTexts(map[string]Text{
		"sheet_at_cell": {Vi: "Dòng %d, cột %s: %s", En: "Row %d, column %s: %s"},
		"sheet_at_row":  {Vi: "Dòng %d: %s", En: "Row %d: %s"},
		"sheet_at_file": {Vi: "Tệp: %s", En: "File: %s"},
	})
}

// In writes e for people: "Dòng 14, cột Cấp trên: không có đơn vị 'xa-abc'".
func (e SheetError) In(lang Lang) string {
	msg := e.Msg.In(lang)
	switch {
	case e.Row == 0:
		return T(lang, "sheet_at_file", msg)
	case e.Column == "":
		return T(lang, "sheet_at_row", e.Row, msg)
	}
	return T(lang, "sheet_at_cell", e.Row, e.Column, msg)
}

// Error implements error, in Vietnamese: the language of the sheet's headers.
func (e SheetError) Error() string { return e.In(VI) }

// DirectoryChange is what a valid sheet changes, against the directory in force. Names are the
// entries' own, for people; lists are complete, and the text shows the first few.
type DirectoryChange struct {
	// Places and Units count the entries of the new directory, history included.
	Places, Units int
	// Added are the entries new to the directory; Ended those the sheet ends (Hiệu lực đến set
	// or moved); Merged those whose predecessors (Sáp nhập từ) are new; Changed counts the
	// entries renamed, moved or redated.
	Added, Ended []Text
	Merged       []Merger
	Changed      int
	// Kept are the entries of the directory in force the sheet leaves out: they stay, as they
	// were (a directory never loses an entry), and KeptActive of them are still in force.
	Kept       []Text
	KeptActive int
	// Submissions counts the reports already submitted for the directory's units, all of which
	// stay; ReadOnly of them belong to units no longer in force, whose reports are read only.
	Submissions, ReadOnly int
}

// Merger is one entry and the entries it continues.
type Merger struct {
	Name Text
	From []Text
}

// Empty reports whether the sheet changes nothing.
func (c DirectoryChange) Empty() bool {
	return len(c.Added)+len(c.Ended)+len(c.Merged)+c.Changed == 0
}

func init() {
	addTexts(map[string]Text{
		"sheet_bad":       {Vi: "❌ Bảng danh bạ “%s” có %s lỗi, chưa áp dụng được:", En: "❌ The directory sheet “%s” has %s errors and cannot be applied:"},
		"sheet_more_errs": {Vi: "… và %s lỗi khác.", En: "… and %s more errors."},
		"sheet_fix":       {Vi: "Sửa các lỗi trên rồi gửi lại tệp.", En: "Fix these and send the file again."},
		"sheet_big":       {Vi: "❌ Tệp “%s” lớn quá (tối đa %d MB), bot không đọc. Một bảng danh bạ cả nước chỉ khoảng 1 MB: hãy kiểm tra lại tệp.", En: "❌ The file “%s” is too large (at most %d MB) and was not read. A directory of the whole country is about 1 MB: please check the file."},
		"sheet_ok":        {Vi: "✅ Bảng danh bạ “%s” hợp lệ: %s dòng. Danh bạ mới có %s địa bàn và %s đơn vị báo cáo (kể cả lịch sử).", En: "✅ The directory sheet “%s” is valid: %s rows. The new directory has %s places and %s reporting units (history included)."},
		"sheet_same":      {Vi: "Không có thay đổi nào so với danh bạ đang dùng.", En: "Nothing changes against the directory in use."},
		"sheet_added":     {Vi: "➕ Thêm %s: %s", En: "➕ Added %s: %s"},
		"sheet_ended":     {Vi: "⏹ Kết thúc %s: %s", En: "⏹ Ended %s: %s"},
		"sheet_merged":    {Vi: "🔀 Sáp nhập %s: %s", En: "🔀 Merged %s: %s"},
		"sheet_changed":   {Vi: "✏️ Đổi tên, chuyển cấp trên hoặc đổi ngày hiệu lực: %s mục.", En: "✏️ Renamed, moved or redated: %s entries."},
		"sheet_kept":      {Vi: "📌 %s mục của danh bạ đang dùng không có trong bảng: được giữ nguyên (danh bạ không bao giờ xoá một mục).", En: "📌 %s entries of the directory in use are not in the sheet: they are kept as they are (a directory never drops an entry)."},
		"sheet_kept_on":   {Vi: "⚠️ %s mục trong đó vẫn còn hiệu lực: nếu chúng đã thôi hoạt động, thêm dòng của chúng vào bảng với Hiệu lực đến.", En: "⚠️ %s of them are still in force: if they have closed, add their rows to the sheet with Hiệu lực đến (valid to)."},
		"sheet_subs":      {Vi: "🗂 Giữ nguyên toàn bộ %s báo cáo đã nộp; %s trong đó thuộc đơn vị đã kết thúc, chỉ xem được.", En: "🗂 All %s submitted reports are kept; %s of them belong to units that have ended, and are read only."},
		"sheet_more":      {Vi: "%s … và %s mục khác", En: "%s … and %s more"},
		"sheet_from":      {Vi: "%s ← %s", En: "%s ← %s"},
	})
}

// sheetListMax is how many names a line of the summary shows.
const sheetListMax = 5

// sheetErrorsMax is how many errors a reply lists: the admin fixes them and sends again.
const sheetErrorsMax = 30

// Text writes the check for people: the errors, each at its row and column, or the summary of
// what the sheet changes.
func (c DirectoryCheck) Text(lang Lang) string {
	switch {
	case c.TooBigMB > 0:
		return T(lang, "sheet_big", c.File, c.TooBigMB)
	case len(c.Errors) > 0:
		lines := []string{T(lang, "sheet_bad", c.File, count(len(c.Errors), lang))}
		for i, e := range c.Errors {
			if i == sheetErrorsMax {
				lines = append(lines, T(lang, "sheet_more_errs", count(len(c.Errors)-i, lang)))
				break
			}
			lines = append(lines, "• "+e.In(lang))
		}
		return strings.Join(append(lines, T(lang, "sheet_fix")), "\n")
	}
	ch := c.Change
	lines := []string{T(lang, "sheet_ok", c.File, count(c.Rows, lang), count(ch.Places, lang), count(ch.Units, lang))}
	return strings.Join(append(lines, ch.lines(lang)...), "\n")
}

// lines are the summary's lines after its first.
func (ch DirectoryChange) lines(lang Lang) []string {
	var out []string
	if ch.Empty() {
		out = append(out, T(lang, "sheet_same"))
	}
	if len(ch.Added) > 0 {
		out = append(out, T(lang, "sheet_added", count(len(ch.Added), lang), names(ch.Added, lang)))
	}
	if len(ch.Ended) > 0 {
		out = append(out, T(lang, "sheet_ended", count(len(ch.Ended), lang), names(ch.Ended, lang)))
	}
	if len(ch.Merged) > 0 {
		merged := make([]string, len(ch.Merged))
		for i, m := range ch.Merged {
			merged[i] = T(lang, "sheet_from", m.Name.In(lang), strings.Join(textsIn(m.From, lang), ", "))
		}
		out = append(out, T(lang, "sheet_merged", count(len(ch.Merged), lang), listSome(merged, lang, "; ")))
	}
	if ch.Changed > 0 {
		out = append(out, T(lang, "sheet_changed", count(ch.Changed, lang)))
	}
	if len(ch.Kept) > 0 {
		out = append(out, T(lang, "sheet_kept", count(len(ch.Kept), lang)))
		if ch.KeptActive > 0 {
			out = append(out, T(lang, "sheet_kept_on", count(ch.KeptActive, lang)))
		}
	}
	return append(out, T(lang, "sheet_subs", count(ch.Submissions, lang), count(ch.ReadOnly, lang)))
}

func textsIn(ts []Text, lang Lang) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.In(lang)
	}
	return out
}

// names lists the first few of ts, and how many more there are.
func names(ts []Text, lang Lang) string { return listSome(textsIn(ts, lang), lang, ", ") }

func listSome(items []string, lang Lang, sep string) string {
	if len(items) <= sheetListMax {
		return strings.Join(items, sep)
	}
	return T(lang, "sheet_more", strings.Join(items[:sheetListMax], sep), count(len(items)-sheetListMax, lang))
}

// count writes n as people of lang read it: 23.485, 23,485.
func count(n int, lang Lang) string { return FormatNumberIn(int64(n), lang) }
