package flows

// This file is /baocao: the draft of the period's written report (a Word document) over the
// person's scope, for leaders and admins. The files make it (Attachment kind DocFile) and cut it
// to the scope again (Narrow); flows decides who may ask.

func init() {
	addTexts(map[string]Text{
		"cmd_baocao": {Vi: "/baocao [kỳ] — dự thảo báo cáo kết quả công tác dân vận (tệp Word) trong phạm vi", En: "/baocao [period] — the draft of the written report (a Word file) over your scope"},
		"att_docx": {Vi: "📄 Dự thảo báo cáo kết quả công tác dân vận %s — %s. Đồng chí mở bằng Word, chỉnh sửa, ký và ban hành.",
			En: "📄 Draft report on mass mobilisation work, %s — %s. Open it in Word, edit, sign and issue it."},
		"bc_leaders":   {Vi: "Dự thảo báo cáo dành cho lãnh đạo và cán bộ quản trị. Bạn có thể gõ /figures để xem số liệu đơn vị mình.", En: "The report draft is for leaders and admins. Type /figures to see your units' figures."},
		"mh_cancelled": {Vi: "Đã hủy, chưa lưu mô hình nào.", En: "Cancelled; no model was saved."},
		"push_chart":   {Vi: "📊 Kỳ báo cáo %[1]s đã qua đợt nhắc cuối. Biểu đồ chỉ tiêu trong phạm vi %[2]s:", En: "📊 The last reminder of %[1]s has gone. The chart of your scope, %[2]s:"},
		"cal_report":   {Vi: "  Gửi lãnh đạo biểu đồ và dự thảo báo cáo: %s", En: "  Leaders get the chart and report draft: %s"},
		"push_docx": {Vi: "📄 Dự thảo báo cáo kết quả công tác dân vận %s — %s, lập từ số liệu các đơn vị đã gửi đến nay. Đồng chí mở bằng Word, chỉnh sửa, ký và ban hành. Gõ /baocao %s để nhận bản mới nhất.",
			En: "📄 Draft report on mass mobilisation work, %s — %s, from what units have sent so far. Open it in Word, edit, sign and issue it. Type /baocao %s for the latest version."},
	})
}

// draftsReports reports whether the person may ask for a report draft: leaders and admins; an
// organiser only is told what they can read instead. The same rule lists /baocao in /help.
func (t *turn) draftsReports() bool {
	if organiserOnly(t.env.Person) {
		t.say(t.T("bc_leaders"))
		return false
	}
	return true
}
