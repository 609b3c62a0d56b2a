package files

import (
	"fmt"

	"danvan/flows"
)

// fileTexts are the words of charts and spreadsheets, and of the cells of the report's tables
// (the report's sentences are its template's), Vietnamese first.
var fileTexts = map[string]flows.Text{
	"everywhere":     {Vi: "Toàn địa bàn", En: "Everywhere"},
	"own_level":      {Vi: "Trực thuộc %s", En: "Directly under %s"},
	"chart_sub":      {Vi: "Chỉ tiêu %s · %s · đã báo cáo %d/%d đơn vị", En: "Target %s · %s · %d/%d units reported"},
	"met":            {Vi: "Đạt mục tiêu", En: "Target met"},
	"missed":         {Vi: "Chưa đạt", En: "Below target"},
	"target":         {Vi: "Mục tiêu %s", En: "Target %s"},
	"no_target":      {Vi: "không có mục tiêu", En: "no target"},
	"st_ontime":      {Vi: "đúng hạn", En: "on time"},
	"st_late":        {Vi: "trễ", En: "late"},
	"st_missing":     {Vi: "chưa nộp", En: "not submitted"},
	"st_return":      {Vi: "trả lại", En: "returned"},
	"summary":        {Vi: "Tổng hợp", En: "Summary"},
	"sum_title":      {Vi: "Báo cáo công tác dân vận — %s — %s", En: "Mass mobilisation report — %s — %s"},
	"sum_ind":        {Vi: "Chỉ tiêu", En: "Indicator"},
	"sum_name":       {Vi: "Nội dung", En: "Description"},
	"sum_value":      {Vi: "Kết quả", En: "Value"},
	"sum_target":     {Vi: "Mục tiêu", En: "Target"},
	"sum_status":     {Vi: "Đánh giá", En: "Status"},
	"sum_basis":      {Vi: "Số liệu", En: "Totals"},
	"sum_form":       {Vi: "Biểu mẫu", En: "Form"},
	"sum_units":      {Vi: "Số đơn vị", En: "Units"},
	"sum_rep":        {Vi: "Đã báo cáo", En: "Reported"},
	"sum_late":       {Vi: "Trong đó trễ hạn", En: "Of which late"},
	"sum_miss":       {Vi: "Chưa nộp", En: "Missing"},
	"sum_ret":        {Vi: "Trả lại", En: "Returned"},
	"col_no":         {Vi: "STT", En: "No."},
	"sheet_done":     {Vi: "đã nộp %d/%d", En: "%d/%d submitted"},
	"col_place":      {Vi: "Phường/Xã", En: "Ward/commune"},
	"col_org":        {Vi: "Tổ chức", En: "Organisation"},
	"col_unit":       {Vi: "Đơn vị", En: "Unit"},
	"col_status":     {Vi: "Trạng thái", En: "Status"},
	"col_by":         {Vi: "Người gửi", En: "Submitted by"},
	"col_at":         {Vi: "Thời gian gửi", En: "Submitted at"},
	"col_ver":        {Vi: "Phiên bản", En: "Version"},
	"col_ref":        {Vi: "Mã tham chiếu", En: "Reference"},
	"col_reason":     {Vi: "Lý do trả lại", En: "Reason returned"},
	"units":          {Vi: "đơn vị", En: "units"},
	"verdict_met":    {Vi: "Đạt", En: "Met"},
	"verdict_missed": {Vi: "Chưa đạt", En: "Not met"},
	"total":          {Vi: "Cộng", En: "Total"},
	"subtotal":       {Vi: "Cộng", En: "Subtotal"},
	"grand_total":    {Vi: "Tổng cộng", En: "Grand total"},
	"annex_rate":     {Vi: "Tỷ lệ %s", En: "Rate %s"},
	"annex_done":     {Vi: "%d/%d đơn vị", En: "%d/%d units"},
	"st_partial":     {Vi: "nộp %d/%d biểu", En: "%d/%d forms"},
	"txt_done":       {Vi: "Đã báo cáo đủ: %d/%d đơn vị", En: "Fully reported: %d/%d units"},
	"txt_form": {Vi: "%s: đã báo cáo %d/%d đơn vị · trễ hạn %d · chưa nộp %d · trả lại %d",
		En: "%s: %d/%d units reported · %d late · %d missing · %d returned"},
}

// fmText returns the file text key in lang, formatted with args.
func fmText(lang flows.Lang, key string, args ...any) string {
	t, ok := fileTexts[key]
	if !ok {
		return key
	}
	if len(args) == 0 {
		return t.In(lang)
	}
	return fmt.Sprintf(t.In(lang), args...)
}
