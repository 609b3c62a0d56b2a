package flows

func init() {
	addTexts(map[string]Text{
		"dir_head":     {Vi: "📇 Danh bạ đang dùng: %s địa bàn và %s đơn vị báo cáo (kể cả lịch sử); hôm nay %s đơn vị đang hoạt động.", En: "📇 The directory in use: %s places and %s reporting units (history included); %s units are in force today."},
		"dir_sheet":    {Vi: "Tệp kèm theo là danh bạ này dưới dạng bảng tính: mỗi dòng một địa bàn hoặc một đơn vị, các cột Mã, Tên, Cấp trên, Tổ chức, Hiệu lực từ, Hiệu lực đến, Sáp nhập từ.", En: "The file attached is this directory as a spreadsheet: one place or unit a row, in the columns Mã (code), Tên (name), Cấp trên (parent), Tổ chức (organisation), Hiệu lực từ (valid from), Hiệu lực đến (valid to), Sáp nhập từ (merged from)."},
		"dir_upload":   {Vi: "Sửa bảng rồi gửi lại tệp (.xlsx hoặc .csv) vào đây: bot kiểm tra và trả lời từng lỗi theo dòng và cột, hoặc tóm tắt thay đổi. Một đơn vị không bao giờ bị xoá: để một đơn vị thôi hoạt động, ghi ngày vào cột Hiệu lực đến.", En: "Edit it and send the file (.xlsx or .csv) back here: the bot checks it and answers with each error by row and column, or a summary of the changes. A unit is never deleted: to close one, write the day in Hiệu lực đến."},
		"dir_no_up":    {Vi: "%s không cho bot nhận tệp, nên không gửi bảng vào đây được: hãy gửi tệp cho bot qua %s, hoặc nhờ người vận hành chạy lệnh danvan directory import <tệp> trên máy chủ.", En: "%s does not let the bot receive files, so the sheet cannot be sent here: send it to the bot on %s, or ask the operator to run danvan directory import <file> on the server."},
		"dir_no_up1":   {Vi: "%s không cho bot nhận tệp, nên không gửi bảng vào đây được: hãy nhờ người vận hành chạy lệnh danvan directory import <tệp> trên máy chủ.", En: "%s does not let the bot receive files, so the sheet cannot be sent here: ask the operator to run danvan directory import <file> on the server."},
		"dir_here":     {Vi: "Kênh này", En: "This channel"},
		"sheet_apply":  {Vi: "Để áp dụng: người vận hành chạy lệnh danvan directory import %s trên máy chủ (lệnh kiểm tra lại và ghi tệp danh bạ, directory_file), rồi khởi động lại bot. Mọi báo cáo đã nộp được giữ nguyên.", En: "To apply it: the operator runs danvan directory import %s on the server (which checks it again and writes the directory file, directory_file), then restarts the bot. Every submitted report is kept."},
		"sheet_off":    {Vi: "Bot này chưa bật kiểm tra bảng danh bạ. Người vận hành có thể chạy lệnh danvan directory import <tệp> trên máy chủ.", En: "Checking directory sheets is not enabled on this bot. The operator can run danvan directory import <file> on the server."},
		"dir_not_here": {Vi: "Chỉ cán bộ quản trị mới xem và thay đổi được danh bạ đơn vị.", En: "Only admins can read and change the directory of units."},
	})
}

// wantsSheet reports whether in is a file an admin sent, which the caller checks as a directory
// sheet (Want.Sheet) before the step.
func wantsSheet(env *Env, in Input) bool {
	return in.Kind == MediaInput && in.File != "" && env.Person.Admin
}

// media answers what is not text. A file an admin sent is taken for a directory sheet: the reply
// is its check (Env.Sheet), with what applies it. Anything else is asked for again as text.
func (t *turn) media(in Input) {
	switch {
	case !wantsSheet(t.env, in):
		t.say(t.T(t.mediaText()))
	case t.env.Sheet == nil:
		t.say(t.T("sheet_off"))
	default:
		c := *t.env.Sheet
		text := c.Text(t.lang)
		if c.Valid() {
			text += "\n\n" + t.T("sheet_apply", c.File)
		}
		t.say(text)
	}
}

// directory answers an admin's /directory: what the directory in use holds, the same as a
// spreadsheet to edit, and how a new sheet reaches the bot on the chat's platform. It is the
// directory of every tenant, so a bootstrap admin's only: a tenant's admin is refused.
func (t *turn) directory() {
	if !t.env.Person.Admin {
		t.say(t.T("dir_not_here"))
		t.prompt()
		return
	}
	d := t.env.Dir
	places, units := 0, 0
	for _, n := range d.Nodes() {
		if n.IsUnit() {
			units++
		} else {
			places++
		}
	}
	today := len(d.At(DateOf(t.now.In(t.loc()))).Units(""))
	text := t.T("dir_head", count(places, t.lang), count(units, t.lang), count(today, t.lang)) + "\n" + t.T("dir_sheet") + "\n\n" + t.uploadHow()
	t.show(Reply{Text: text, Attach: &Attachment{Kind: DirectoryFile}})
	t.prompt()
}

// uploadHow says how a sheet reaches the bot: here, where the platform takes files, else on
// one that does, or through the operator.
func (t *turn) uploadHow() string {
	if t.env.Via.Uploads {
		return t.T("dir_upload")
	}
	here := t.env.Via.Label
	if here == "" {
		here = t.T("dir_here")
	}
	var takers []Channel
	for _, c := range t.env.Channels {
		if c.Uploads {
			takers = append(takers, c)
		}
	}
	if len(takers) == 0 {
		return t.T("dir_no_up1", here)
	}
	return t.T("dir_no_up", here, channelLabels(takers, t.lang, "list_or"))
}
