package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"danvan/flows"
)

// FigureSource is what FileMaker reads from the store: aggregates for charts, the units'
// submissions and the people who sent them for spreadsheets.
type FigureSource interface {
	// Tallies returns the aggregates keys name; a key with nothing reported may be missing.
	Tallies(ctx context.Context, keys []flows.TallyKey) (map[flows.TallyKey]flows.Tally, error)
	// Submissions returns the current submission of each unit × form of period that has one.
	Submissions(ctx context.Context, period string, units []string, forms []string) (map[flows.Key]flows.Submission, error)
	// People returns the people with ids; unknown ids are missing.
	People(ctx context.Context, ids []string) (map[string]flows.Person, error)
}

// ErrOutOfScope is returned for a file about a place or organisation the person may not see.
var ErrOutOfScope = errors.New("outside the person's scope")

// FileMaker renders the charts and spreadsheets flows asks for (implements Files).
type FileMaker struct {
	Source FigureSource
	// Settings gives the directory, forms, calendar and indicators; the rest is unused.
	Settings Settings
}

var _ Files = (*FileMaker)(nil)

// File implements Files: it checks the scope again, loads the figures and renders the file.
func (m *FileMaker) File(ctx context.Context, p flows.Person, a flows.Attachment, lang flows.Lang) (flows.File, error) {
	per, ok := m.Settings.Calendar.Period(a.Period)
	if !ok {
		return flows.File{}, fmt.Errorf("file %s: unknown period %q", a.Kind, a.Period)
	}
	views, err := Views(m.Settings.Dir, p, a.Node, a.Org)
	if err != nil {
		return flows.File{}, fmt.Errorf("file %s for %s: %w", a.Kind, p.ID, err)
	}
	switch a.Kind {
	case flows.ChartFile:
		return m.chart(ctx, per, views, a, lang)
	case flows.SheetFile, flows.CSVFile:
		return m.sheet(ctx, per, views, a.Kind, lang)
	}
	return flows.File{}, fmt.Errorf("file: unknown kind %q", a.Kind)
}

// View is one part of the directory a file covers: the units at or below Node ("" for the whole
// directory) of organisation Org ("" for all).
type View = flows.View

// Views is what part of the directory p sees when asking about node and org ("" for everything
// they may see), as flows.Narrow decides it; anything beyond it is refused with ErrOutOfScope.
func Views(dir *flows.Directory, p flows.Person, node, org string) ([]View, error) {
	views := flows.Narrow(p, dir, View{Node: node, Org: org})
	if len(views) == 0 {
		return nil, fmt.Errorf("node %q org %q: %w", node, org, ErrOutOfScope)
	}
	return views, nil
}

// viewLabel names what views cover: "Hội LHPN · Thành phố Lai Châu".
func viewLabel(dir *flows.Directory, views []View, lang flows.Lang) string {
	var parts []string
	for _, v := range views {
		s := fmText(lang, "everywhere")
		if v.Node != "" {
			s = dir.Label(v.Node, lang)
		}
		if o, ok := dir.Org(v.Org); ok {
			if n, ok := dir.Node(v.Node); !ok || !n.IsUnit() {
				s = o.Short.In(lang) + " · " + s
			}
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

// indicator returns the indicator with id.
func (m *FileMaker) indicator(id string) (flows.Indicator, bool) {
	i := slices.IndexFunc(m.Settings.Indicators, func(ind flows.Indicator) bool { return ind.ID == id })
	if i < 0 {
		return flows.Indicator{}, false
	}
	return m.Settings.Indicators[i], true
}

// submitters lists the people who sent subs, each once, sorted. A set, not a search of the
// list so far: with an organiser per unit a city's 20,000 submissions have 10,000 senders.
func submitters(subs map[flows.Key]flows.Submission) []string {
	seen := make(map[string]bool, len(subs))
	var out []string
	for _, s := range subs {
		if s.By != "" && !seen[s.By] {
			seen[s.By] = true
			out = append(out, s.By)
		}
	}
	slices.Sort(out)
	return out
}

// formOf returns the form ind is computed from.
func (m *FileMaker) formOf(ind flows.Indicator) (flows.Form, bool) {
	for _, f := range m.Settings.Forms {
		if f.ID == ind.Form {
			return f, true
		}
	}
	return flows.Form{}, false
}

// fileTexts are the words of charts and spreadsheets, Vietnamese first.
var fileTexts = map[string]flows.Text{
	"everywhere": {Vi: "Toàn địa bàn", En: "Everywhere"},
	"chart_sub":  {Vi: "Chỉ tiêu %s · %s · đã báo cáo %d/%d đơn vị", En: "Target %s · %s · %d/%d units reported"},
	"met":        {Vi: "Đạt mục tiêu", En: "Target met"},
	"missed":     {Vi: "Chưa đạt", En: "Below target"},
	"target":     {Vi: "Mục tiêu %s", En: "Target %s"},
	"no_target":  {Vi: "không có mục tiêu", En: "no target"},
	"st_ontime":  {Vi: "đúng hạn", En: "on time"},
	"st_late":    {Vi: "trễ", En: "late"},
	"st_missing": {Vi: "chưa nộp", En: "not submitted"},
	"st_return":  {Vi: "trả lại", En: "returned"},
	"summary":    {Vi: "Tổng hợp", En: "Summary"},
	"sum_title":  {Vi: "Báo cáo công tác dân vận — %s — %s", En: "Mass mobilisation report — %s — %s"},
	"sum_ind":    {Vi: "Chỉ tiêu", En: "Indicator"},
	"sum_name":   {Vi: "Nội dung", En: "Description"},
	"sum_value":  {Vi: "Kết quả", En: "Value"},
	"sum_target": {Vi: "Mục tiêu", En: "Target"},
	"sum_status": {Vi: "Đánh giá", En: "Status"},
	"sum_basis":  {Vi: "Số liệu", En: "Totals"},
	"sum_form":   {Vi: "Biểu mẫu", En: "Form"},
	"sum_units":  {Vi: "Số đơn vị", En: "Units"},
	"sum_rep":    {Vi: "Đã báo cáo", En: "Reported"},
	"sum_late":   {Vi: "Trong đó trễ hạn", En: "Of which late"},
	"sum_miss":   {Vi: "Chưa nộp", En: "Missing"},
	"sum_ret":    {Vi: "Trả lại", En: "Returned"},
	"col_place":  {Vi: "Phường/Xã", En: "Ward/commune"},
	"col_org":    {Vi: "Tổ chức", En: "Organisation"},
	"col_unit":   {Vi: "Đơn vị", En: "Unit"},
	"col_status": {Vi: "Trạng thái", En: "Status"},
	"col_by":     {Vi: "Người gửi", En: "Submitted by"},
	"col_at":     {Vi: "Thời gian gửi", En: "Submitted at"},
	"col_ver":    {Vi: "Phiên bản", En: "Version"},
	"col_ref":    {Vi: "Mã tham chiếu", En: "Reference"},
	"col_reason": {Vi: "Lý do trả lại", En: "Reason returned"},
	"txt_form": {Vi: "%s: đã báo cáo %d/%d đơn vị · trễ hạn %d · chưa nộp %d · trả lại %d",
		En: "%s: %d/%d units reported · %d late · %d missing · %d returned"},
	"txt_sheet": {Vi: "📎 Không gửi được tệp bảng tính qua Zalo lúc này (máy chủ cần địa chỉ công khai PUBLIC_URL và lưu được tệp); hãy mở trên Telegram, thử lại sau hoặc báo quản trị viên.",
		En: "📎 The spreadsheet cannot be sent over Zalo just now (the server needs a public address, PUBLIC_URL, and to be able to keep the file); open it on Telegram, try again later or ask the administrator."},
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
