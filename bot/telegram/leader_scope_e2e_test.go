package telegram

import (
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"danvan/flows"
	"danvan/internal/faketg"
	"danvan/internal/filetest"
	"danvan/internal/testkit"
)

// otherWards are the places other than Tân Phong, as labels and unit names write them.
var otherWards = []string{"Đoàn Kết", "Quyết Thắng", "Quyết Tiến", "Đông Phong", "San Thàng", "Nậm Loỏng"}

// otherOrgs are the organisations other than the Women's Union, as their units' names and
// short labels write them, and the one organiser of such a unit in these tests.
var otherOrgs = []string{"Đoàn phường", "Đoàn xã", "Thành đoàn", "Đoàn TN", "Nông dân", "MTTQ", "Cựu chiến binh",
	"Liên đoàn", "Vàng A Hùng"}

// scopeCase is one person and what they must, and must not, see.
type scopeCase struct {
	name string
	chat int64
	// figures holds what /figures must show; units the workbook's rows (0: no files at all).
	figures []string
	units   int
	// forbidden are names that must appear in no text and no file the person gets.
	forbidden []string
	// forged is callback data outside the person's scope: each must be refused, changing nothing.
	forged []string
}

func scopeCases() []scopeCase {
	return []scopeCase{
		{name: "city leader", chat: chatCity, units: 41,
			figures: []string{"Thành phố Lai Châu", "Đã báo cáo 3/41 đơn vị"},
			forged:  []string{"*|fig|garbage", "*|ret|2026-Q1 x", "*|fig|2099-Q9 laichau - -"}},
		{name: "ward leader", chat: chatWard, units: 5,
			figures:   []string{"Số liệu Quý I năm 2026 · Phường Tân Phong", "Đã báo cáo 2/5 đơn vị"},
			forbidden: append([]string{"Lai Châu", "Tao Thị Đào"}, otherWards...),
			forged: []string{"*|fig|2026-Q1 doanket - -", "*|fig|2026-Q1 laichau - p", "*|unit|2026-Q1 doanket-phunu",
				"*|ret|2026-Q1 doanket-phunu membership 1", "*|xlsx|2026-Q1 doanket -", "*|csv|2026-Q1 laichau -",
				"*|chart|2026-Q1 laichau - 1.5", "*|miss|2026-Q1 0 laichau -", "*|nudge|2026-Q1 doanket-ccb",
				"*|reo|2026-Q1 tanphong-phunu membership", "*|fig|garbage", "*|ret|2026-Q1 x"}},
		{name: "organisation chair", chat: chatChair, units: 8,
			figures:   []string{"Hội LHPN · Thành phố Lai Châu", "Đã báo cáo 2/8 đơn vị"},
			forbidden: otherOrgs,
			forged: []string{"*|fig|2026-Q1 tanphong - -", "*|fig|2026-Q1 laichau doan -", "*|unit|2026-Q1 tanphong-doan",
				"*|ret|2026-Q1 tanphong-doan membership 1", "*|xlsx|2026-Q1 laichau -", "*|chart|2026-Q1 laichau doan 1.5",
				"*|miss|2026-Q1 0 tanphong -", "*|nudge|2026-Q1 tanphong-doan", "*|fig|garbage"}},
		{name: "organiser", chat: chatLan, units: 1,
			figures:   []string{"🏠 Hội LHPN · Phường Tân Phong · Quý I năm 2026", "Sinh hoạt & hội viên: ✅ đúng hạn"},
			forbidden: append([]string{"Lai Châu", "Tao Thị Đào"}, append(otherWards, otherOrgs...)...),
			forged: []string{"*|fig|2026-Q1 tanphong - -", "*|unit|2026-Q1 tanphong-doan",
				"*|ret|2026-Q1 tanphong-phunu membership 1", "*|xlsx|2026-Q1 tanphong -", "*|chart|2026-Q1 tanphong phunu 1.5",
				"*|miss|2026-Q1 0 tanphong -", "*|nudge|2026-Q1 tanphong-phunu", "*|reo|2026-Q1 doanket-phunu membership",
				"*|fig|garbage"}},
		{name: "stranger", chat: chatNobody,
			figures:   []string{flows.T(flows.VI, "stranger", flows.OfficeName(flows.Text{}, flows.VI))},
			forbidden: append([]string{"Tân Phong", "Hội LHPN", "Lai Châu", "Lò Thị Lan"}, otherWards...),
			forged:    []string{"*|fig|2026-Q1 laichau - -", "*|unit|2026-Q1 tanphong-phunu", "*|xlsx|2026-Q1 laichau -"}},
	}
}

// TestE2ELeaderScopes: a city leader, a ward leader, an organisation's chair, an organiser and a
// stranger each send every leader command and forged button data over the real transport; each
// sees exactly their scope, in texts and in files, and forged data is refused and changes nothing.
func TestE2ELeaderScopes(t *testing.T) {
	x := newLeaderE2E(t)
	x.seedReports()
	want := testkit.TallyOf(1, 0, testkit.LanForm, testkit.HungForm, testkit.DaoForm)
	x.mustTally("laichau", flows.AllOrgs, want)
	for _, c := range scopeCases() {
		t.Run(c.name, func(t *testing.T) {
			x.t = t // the helpers fail the subtest
			mustSee(t, x.say(c.chat, "/figures"), c.figures...)
			for _, cmd := range []string{"/figures", "/missing", "/chart", "/export", "/export csv", "/chart 1.6"} {
				got := x.say(c.chat, cmd)
				if len(got) == 0 {
					t.Fatalf("%s: got no answer, want one", cmd)
				}
				mustNotLeak(t, cmd, got, c.forbidden)
			}
			x.checkFiles(t, c)
			refusal := flows.TFor(flows.Person{Scopes: []string{"x"}}, flows.VI, "refuse") // leaders are "đồng chí"
			if c.name == "organiser" {
				refusal = flows.T(flows.VI, "refuse")
			}
			if c.chat == chatNobody {
				refusal = flows.T(flows.VI, "stranger", flows.OfficeName(flows.Text{}, flows.VI))
			}
			for _, data := range c.forged {
				got := x.do(c.chat, faketg.Callback(c.chat, 1, data))
				if len(got) != 1 || got[0].Method != "sendMessage" || texts(got) != refusal {
					t.Errorf("forged %q: got %d answers %q, want only %q", data, len(got), texts(got), refusal)
				}
			}
			got := x.do(c.chat, faketg.Callback(c.chat, 1, "garbage|||\x01"))
			if len(files(got, "sendPhoto"))+len(files(got, "sendDocument")) > 0 {
				t.Errorf("garbage data: got a file, want none")
			}
			mustNotLeak(t, "garbage data", got, c.forbidden)
		})
	}
	x.t = t
	// Nothing forged changed anything: no report returned, every tally as the organisers left it.
	x.mustTally("laichau", flows.AllOrgs, want)
	x.mustTally("tanphong", flows.AllOrgs, testkit.TallyOf(0, 0, testkit.LanForm, testkit.HungForm))
	if sub := testkit.MustSubmitted(t, x.store); sub.Returned != nil || sub.Version != 1 {
		t.Errorf("Lan's report: got v%d returned %+v, want v1 untouched", sub.Version, sub.Returned)
	}
}

// mustNotLeak fails when an answer names anything forbidden.
func mustNotLeak(tb testing.TB, what string, got []faketg.Request, forbidden []string) {
	tb.Helper()
	s := texts(got)
	for _, f := range forbidden {
		if strings.Contains(s, f) {
			tb.Errorf("%s: got %q, want no %q in it", what, s, f)
		}
	}
}

// checkFiles asks for the chart and the workbook and checks they open and hold exactly the
// person's units; someone with nothing to read gets no file.
func (x *leaderE2E) checkFiles(t *testing.T, c scopeCase) {
	t.Helper()
	chart, sheet := x.say(c.chat, "/chart 1.5"), x.say(c.chat, "/export")
	if c.units == 0 {
		if n := len(files(chart, "sendPhoto")) + len(files(sheet, "sendDocument")); n != 0 {
			t.Fatalf("files: got %d, want none", n)
		}
		return
	}
	filetest.MustPNG(t, mustOneFile(t, chart, "sendPhoto"))
	xf := filetest.MustOpenXLSX(t, mustOneFile(t, sheet, "sendDocument"))
	list := xf.GetSheetList()
	if got := len(filetest.UnitRows(t, xf, list[1])); got != c.units {
		t.Errorf("workbook unit rows: got %d, want %d", got, c.units)
	}
	all := workbookText(t, xf) + zipText(t, mustOneFile(t, x.say(c.chat, "/export csv"), "sendDocument"))
	for _, f := range c.forbidden {
		if strings.Contains(all, f) {
			t.Errorf("workbook or CSV: got %q in it, want none", f)
		}
	}
}

// zipText joins the files of the CSV export's zip.
func zipText(tb testing.TB, data []byte) string {
	tb.Helper()
	var sb strings.Builder
	for _, f := range filetest.MustUnzip(tb, data) {
		sb.Write(f.Data)
	}
	if sb.Len() == 0 {
		tb.Errorf("CSV zip: got no content, want the units' rows")
	}
	return sb.String()
}

// workbookText joins every cell of every sheet.
func workbookText(tb testing.TB, xf *excelize.File) string {
	tb.Helper()
	var sb strings.Builder
	for _, sh := range xf.GetSheetList() {
		sb.WriteString(sh + "\n")
		rows, err := xf.GetRows(sh)
		if err != nil {
			tb.Fatal(err)
		}
		for _, r := range rows {
			sb.WriteString(strings.Join(r, "\t") + "\n")
		}
	}
	return sb.String()
}
