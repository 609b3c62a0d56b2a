package telegram

import (
	"context"
	"html"
	"strconv"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/xuri/excelize/v2"

	"danvan/bot"
	"danvan/flows"
	"danvan/internal/faketg"
	"danvan/internal/filetest"
	"danvan/internal/testkit"
)

// The leaders' features end to end (issue 3 "Done when", issue 5 "a leader gets figures"): the
// real tgbotapi client and our Zalo client against fakes of their APIs, the dispatcher wired as
// main wires it (tallies, figures, files, the router), the flows engine and the real Redis.

// leaderE2E is the whole bot on Telegram with the router wired, so a notice a step addresses to
// someone else reaches their chat through sendMessage on the fake.
type leaderE2E struct {
	*e2e
	d     *bot.Dispatcher
	clock *testkit.Clock
	sync  *testkit.SyncHandler
}

func newLeaderE2E(t *testing.T) *leaderE2E {
	t.Helper()
	fake := faketg.New(t)
	store, d, clock := testkit.MustBot(t)
	h := testkit.NewSyncHandler(d)
	tg, err := New(context.Background(), fakeConfig(fake), h, store)
	if err != nil {
		t.Fatal(err)
	}
	tg.wait = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	testkit.MustRouter(t, d).Register(tg)
	testkit.MustRun(t, tg.Run)
	x := &e2e{t: t, fake: fake, tg: tg, store: store, marked: make(chan string, 10)}
	x.deliver = func(u tgbotapi.Update) { fake.Push(u) }
	return &leaderE2E{e2e: x, d: d, clock: clock, sync: h}
}

// outgoing reports whether r is something the bot showed a chat: a message, an edit, a file.
func outgoing(r faketg.Request) bool {
	switch r.Method {
	case "sendMessage", "editMessageText", "sendPhoto", "sendDocument":
		return !r.Failed
	}
	return false
}

// do delivers u from chat and returns everything the bot showed that chat in answer, once the
// answer is complete.
func (x *leaderE2E) do(chat int64, u tgbotapi.Update) []faketg.Request {
	x.t.Helper()
	start := len(x.fake.Requests(""))
	x.fake.Push(u)
	x.sync.Barrier(x.t, func(text string) { x.fake.Push(faketg.Text(chat, text)) })
	var out []faketg.Request
	for _, r := range x.fake.Requests("")[start:] {
		if outgoing(r) && r.ChatID() == chat {
			out = append(out, r)
		}
	}
	return out
}

func (x *leaderE2E) say(chat int64, text string) []faketg.Request {
	x.t.Helper()
	return x.do(chat, faketg.Text(chat, text))
}

// press presses the button whose label contains label on the newest keyboard shown in chat.
func (x *leaderE2E) press(chat int64, label string) []faketg.Request {
	x.t.Helper()
	b, msgID := x.mustButton(chat, label)
	return x.do(chat, faketg.Callback(chat, msgID, b.Data))
}

// mustButton finds the button whose label contains label on the newest keyboard in chat, and
// the message that carries it.
func (x *leaderE2E) mustButton(chat int64, label string) (flows.Button, int) {
	x.t.Helper()
	reqs := x.fake.Requests("")
	for i := len(reqs) - 1; i >= 0; i-- {
		r := reqs[i]
		if !outgoing(r) || r.ChatID() != chat || len(r.Buttons()) == 0 {
			continue
		}
		var labels []string
		for _, row := range r.Buttons() {
			for _, b := range row {
				if strings.Contains(b.Label, label) {
					return b, r.MessageID
				}
				labels = append(labels, b.Label)
			}
		}
		x.t.Fatalf("chat %d: got buttons %q, want one labelled %q", chat, labels, label)
	}
	x.t.Fatalf("chat %d: got no keyboard, want a button %q", chat, label)
	return flows.Button{}, 0
}

// texts joins the texts and captions of rs as a person reads them (the transport escapes them
// for Telegram's HTML), each followed by its buttons' labels in brackets.
func texts(rs []faketg.Request) string {
	var out []string
	for _, r := range rs {
		out = append(out, html.UnescapeString(r.Params["text"]+r.Params["caption"]))
		for _, row := range r.Buttons() {
			for _, b := range row {
				out = append(out, "["+b.Label+"]")
			}
		}
	}
	return strings.Join(out, "\n")
}

func mustSee(tb testing.TB, rs []faketg.Request, want ...string) {
	tb.Helper()
	got := texts(rs)
	for _, w := range want {
		if !strings.Contains(got, w) {
			tb.Fatalf("got %q, want it to contain %q", got, w)
		}
	}
}

// files returns the uploads of method ("sendPhoto": "photo", "sendDocument": "document") in rs.
func files(rs []faketg.Request, method string) [][]byte {
	field := map[string]string{"sendPhoto": "photo", "sendDocument": "document"}[method]
	var out [][]byte
	for _, r := range rs {
		if r.Method == method && r.Files[field] != nil {
			out = append(out, r.Files[field])
		}
	}
	return out
}

// mustOneFile returns the one upload of method in rs.
func mustOneFile(tb testing.TB, rs []faketg.Request, method string) []byte {
	tb.Helper()
	got := files(rs, method)
	if len(got) != 1 {
		tb.Fatalf("%s uploads: got %d, want 1 (answer %q)", method, len(got), texts(rs))
	}
	return got[0]
}

// Chat ids of the people in these tests.
const (
	chatLan    = 2001 // organiser, Hội LHPN phường Tân Phong
	chatHung   = 2002 // organiser, Đoàn phường Tân Phong
	chatDao    = 2003 // organiser, Hội LHPN phường Đoàn Kết
	chatCity   = 3001 // leader, scope laichau
	chatWard   = 3002 // leader, scope tanphong
	chatChair  = 3003 // the Women's Union's city chair, scope laichau@phunu
	chatNobody = 3999 // never linked
)

// mustLink links a Telegram chat to a new person, as an invite would.
func (x *leaderE2E) mustLink(chat int64, name string, units, scopes []string) {
	x.t.Helper()
	id := Ident(chat)
	testkit.MustLink(x.t, x.store, id, flows.Person{ID: id, Name: name, Units: units, Scopes: scopes})
}

// submitMembership has the organiser of chat fill in and send the Membership form over
// Telegram, and returns the reference the bot gave.
func (x *leaderE2E) submitMembership(chat int64, m testkit.Membership) string {
	x.t.Helper()
	mustSee(x.t, x.say(chat, "/report"), "(1/4)")
	for _, v := range m.Answers()[:3] {
		x.say(chat, strconv.FormatInt(v, 10))
	}
	mustSee(x.t, x.say(chat, strconv.FormatInt(m.Active, 10)), "Kiểm tra lại trước khi gửi")
	done := x.press(chat, "Gửi")
	mustSee(x.t, done, "Số tham chiếu")
	_, ref, _ := strings.Cut(texts(done), "Số tham chiếu: ")
	ref, _, _ = strings.Cut(ref, " ")
	return ref
}

// seedReports links the organisers and the leaders, and has three organisers report over
// Telegram: two in Tân Phong on time, one in Đoàn Kết after the due date (15 March).
func (x *leaderE2E) seedReports() {
	x.t.Helper()
	x.mustLink(chatLan, "Lò Thị Lan", []string{"tanphong-phunu"}, nil)
	x.mustLink(chatHung, "Vàng A Hùng", []string{"tanphong-doan"}, nil)
	x.mustLink(chatDao, "Tao Thị Đào", []string{"doanket-phunu"}, nil)
	x.mustLink(chatCity, "Chủ tịch", nil, []string{"laichau"})
	x.mustLink(chatWard, "Bí thư phường", nil, []string{"tanphong"})
	x.mustLink(chatChair, "Chủ tịch Hội LHPN", nil, []string{"laichau@phunu"})
	x.submitMembership(chatLan, testkit.LanForm)
	x.submitMembership(chatHung, testkit.HungForm)
	x.clock.Advance(10 * 24 * time.Hour) // 20 March: Q1 was due on the 15th
	x.submitMembership(chatDao, testkit.DaoForm)
}

// mustTally reads one Membership tally of Q1 2026 from Redis and checks it.
func (x *leaderE2E) mustTally(node, org string, want testkit.WantTally) flows.Tally {
	x.t.Helper()
	return testkit.MustTally(x.t, x.store, node, org, want)
}

// returnLan has the city leader drill down to Lan's unit and return her Membership report with
// a reason; it returns what Lan's chat received.
func (x *leaderE2E) returnLan(reason string) []faketg.Request {
	x.t.Helper()
	x.say(chatCity, "/figures")
	mustSee(x.t, x.press(chatCity, "Theo phường"), "Phường Tân Phong · ", "Phường Đoàn Kết · ")
	mustSee(x.t, x.press(chatCity, "Phường Tân Phong"), "Số liệu Quý I năm 2026 · Phường Tân Phong")
	x.press(chatCity, "Từng đơn vị")
	unit := x.press(chatCity, "Hội LHPN · Phường Tân Phong")
	mustSee(x.t, unit, "Hội LHPN · Phường Tân Phong · Quý I năm 2026", "Phiên bản 1", "Số đoàn viên, hội viên: 1.100")
	mustSee(x.t, x.press(chatCity, "Trả lại"), "Vui lòng gõ lý do")
	before := len(x.messages(chatLan))
	mustSee(x.t, x.say(chatCity, reason), "Đã trả lại báo cáo Sinh hoạt & hội viên · Hội LHPN · Phường Tân Phong")
	return x.messages(chatLan)[before:]
}

// TestE2ELeaderJourney: organisers report over Telegram; a city leader reads the figures,
// drills down by ward and to one unit, returns a report with a reason; the organiser is told,
// reopens it, corrects and resubmits; the figures count the unit again. Redis's tallies agree
// at every step.
func TestE2ELeaderJourney(t *testing.T) {
	x := newLeaderE2E(t)
	x.seedReports()
	all := x.mustTally("laichau", flows.AllOrgs, testkit.TallyOf(1, 0, testkit.LanForm, testkit.HungForm, testkit.DaoForm))
	x.mustTally("tanphong", flows.AllOrgs, testkit.TallyOf(0, 0, testkit.LanForm, testkit.HungForm))
	x.mustTally("laichau", "phunu", testkit.TallyOf(1, 0, testkit.LanForm, testkit.DaoForm))

	fig := x.say(chatCity, "/figures")
	mustSee(t, fig, "📊 Số liệu Quý I năm 2026 · Thành phố Lai Châu", testkit.DoneLine(all, 41)+" (7,3%) · đúng hạn 2 · trễ 1 · chưa nộp 38",
		"1.5 Tỷ lệ tập hợp quần chúng vào tổ chức: 86,3%", testkit.RateLine(all), "tính trên 3/41 đơn vị")

	// Drill down by ward, then to one unit.
	wards := x.press(chatCity, "Theo phường")
	if len(wards) != 1 || wards[0].Method != "editMessageText" {
		t.Fatalf("drill-down: got %d replies %q, want the figures edited in place", len(wards), texts(wards))
	}
	ward := x.press(chatCity, "Phường Tân Phong")
	tp := x.mustTally("tanphong", flows.AllOrgs, testkit.TallyOf(0, 0, testkit.LanForm, testkit.HungForm))
	mustSee(t, ward, "Số liệu Quý I năm 2026 · Phường Tân Phong", testkit.DoneLine(tp, 5), testkit.RateLine(tp))
	x.press(chatCity, "Từng đơn vị")
	unit := x.press(chatCity, "Hội LHPN · Phường Tân Phong")
	mustSee(t, unit, "Phiên bản 1", "· Lò Thị Lan", "Cán bộ phụ trách: Lò Thị Lan", "Số đoàn viên, hội viên: 1.100", "Số quần chúng trong diện tập hợp: 1.250")

	// Return with a reason: Lan's chat gets the notice through the router.
	mustSee(t, x.press(chatCity, "Trả lại"), "Vui lòng gõ lý do")
	reason := "Số hội viên cao bất thường, vui lòng kiểm tra lại."
	before := len(x.messages(chatLan))
	mustSee(t, x.say(chatCity, reason), "Đã báo cho 1 cán bộ phụ trách")
	notice := x.messages(chatLan)[before:]
	if len(notice) != 1 || notice[0].Method != "sendMessage" {
		t.Fatalf("notice to the organiser: got %d messages %q, want 1 sendMessage", len(notice), texts(notice))
	}
	mustSee(t, notice, "đã được trả lại để sửa", "Lý do: "+reason)
	sub := testkit.MustSubmitted(t, x.store)
	if sub.Returned == nil || sub.Returned.Reason != reason || sub.Returned.By != "tg:3001" {
		t.Fatalf("stored return: got %+v, want one by tg:3001 with the reason", sub.Returned)
	}
	all = x.mustTally("laichau", flows.AllOrgs, testkit.TallyOf(1, 1, testkit.HungForm, testkit.DaoForm))
	x.mustTally("tanphong", flows.AllOrgs, testkit.TallyOf(0, 1, testkit.HungForm))
	mustSee(t, x.say(chatCity, "/figures"), testkit.DoneLine(all, 41), "trả lại 1", testkit.RateLine(all))

	// Lan reopens the report pre-filled, corrects the members and resubmits. The notice, the
	// only message with the reason, stays: the report comes as new messages below it.
	reopened := x.press(chatLan, "Mở lại báo cáo")
	mustSee(t, reopened, "Báo cáo bị trả lại với lý do: "+reason, "2. Số đoàn viên, hội viên: 1.100")
	for _, m := range reopened {
		if strings.HasPrefix(m.Method, "edit") {
			t.Errorf("reopen: got %s %q, want new messages only, the notice left as it was", m.Method, m.Params["text"])
		}
	}
	x.press(chatLan, "Sửa")
	mustSee(t, x.press(chatLan, "Số đoàn viên, hội viên:"), "(2/4)")
	mustSee(t, x.say(chatLan, "1.050"), "2. Số đoàn viên, hội viên: 1.050")
	mustSee(t, x.press(chatLan, "Gửi"), "Số tham chiếu", "phiên bản 2")
	fixed := testkit.LanForm
	fixed.Members = 1050
	// The corrected version came in after the due date (20 March): the figures in force are late.
	all = x.mustTally("laichau", flows.AllOrgs, testkit.TallyOf(2, 0, fixed, testkit.HungForm, testkit.DaoForm))
	x.mustTally("tanphong", flows.AllOrgs, testkit.TallyOf(1, 0, fixed, testkit.HungForm))
	x.mustTally("laichau", "phunu", testkit.TallyOf(2, 0, fixed, testkit.DaoForm))
	again := x.say(chatCity, "/figures")
	mustSee(t, again, testkit.DoneLine(all, 41)+" (7,3%) · đúng hạn 1 · trễ 2 · chưa nộp 38", testkit.RateLine(all))
	if strings.Contains(texts(again), "trả lại") {
		t.Errorf("figures after the resubmission: got %q, want no unit counted as returned", texts(again))
	}
	if got := mustSubmitted2(t, x); got.Version != 2 || got.Returned != nil {
		t.Errorf("stored submission: got v%d returned %v, want v2 not returned", got.Version, got.Returned)
	}
}

// mustSubmitted2 is Lan's stored Membership report after her correction.
func mustSubmitted2(tb testing.TB, x *leaderE2E) flows.Submission {
	tb.Helper()
	got, err := x.store.Submission(context.Background(), testkit.MemberKey)
	if err != nil {
		tb.Fatal(err)
	}
	if got.Values["members"] != 1050 {
		tb.Errorf("members: got %d, want 1050", got.Values["members"])
	}
	return got
}

// TestE2ELeaderChartAndSpreadsheet: the leader's chart and workbook arrive as uploads that open:
// the PNG decodes, and the XLSX read back with excelize holds the figures and statuses sent.
func TestE2ELeaderChartAndSpreadsheet(t *testing.T) {
	x := newLeaderE2E(t)
	x.seedReports()
	x.returnLan("Sai số hội viên")
	x.say(chatCity, "/figures")
	charts := x.press(chatCity, "Biểu đồ")
	mustSee(t, charts, "Số liệu Quý I năm 2026")
	photo := x.press(chatCity, "📊 1.5")
	filetest.MustPNG(t, mustOneFile(t, photo, "sendPhoto"))
	mustSee(t, photo, "Chỉ tiêu 1.5")
	byCmd := x.say(chatCity, "/chart 1.6")
	filetest.MustPNG(t, mustOneFile(t, byCmd, "sendPhoto"))
	mustSee(t, byCmd, "Chỉ tiêu 1.6")

	x.say(chatCity, "/figures")
	viaButton := mustOneFile(t, x.press(chatCity, "Excel"), "sendDocument")
	sheet := x.say(chatCity, "/export")
	mustSee(t, sheet, "Bảng số liệu Quý I năm 2026")
	xf := filetest.MustOpenXLSX(t, mustOneFile(t, sheet, "sendDocument"))
	filetest.MustOpenXLSX(t, viaButton)
	list := xf.GetSheetList()
	if len(list) != 3 || list[0] != "Tổng hợp" {
		t.Fatalf("sheets: got %q, want the summary and one per form", list)
	}
	sh := list[1]
	if got := filetest.SheetHeader(t, xf, sh)[1]; got != "Phường/Xã" {
		t.Errorf("header B: got %q, want %q", got, "Phường/Xã")
	}
	cases := []struct {
		unit, status, by string
		eligible         int64
	}{
		{"Hội LHPN phường Tân Phong", "trả lại", "Lò Thị Lan", testkit.LanForm.Eligible},
		{"Đoàn phường Tân Phong", "đúng hạn", "Vàng A Hùng", testkit.HungForm.Eligible},
		{"Hội LHPN phường Đoàn Kết", "trễ", "Tao Thị Đào", testkit.DaoForm.Eligible},
		{"Hội Nông dân xã Nậm Loỏng", "chưa nộp", "", 0},
	}
	for _, c := range cases {
		row := strconv.Itoa(filetest.RowOf(t, xf, sh, c.unit))
		if got := filetest.MustCell(t, xf, sh, "K"+row); got != c.status {
			t.Errorf("%s status: got %q, want %q", c.unit, got, c.status)
		}
		if got := filetest.MustCell(t, xf, sh, "L"+row); got != c.by {
			t.Errorf("%s sent by: got %q, want %q", c.unit, got, c.by)
		}
		if c.eligible == 0 {
			continue
		}
		raw, _ := xf.GetCellValue(sh, "E"+row, excelize.Options{RawCellValue: true})
		if typ, _ := xf.GetCellType(sh, "E"+row); raw != strconv.FormatInt(c.eligible, 10) || (typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset) {
			t.Errorf("%s eligible: got %q (type %v), want the number %d", c.unit, raw, typ, c.eligible)
		}
	}
	if got := filetest.MustCell(t, xf, sh, "P"+strconv.Itoa(filetest.RowOf(t, xf, sh, "Hội LHPN phường Tân Phong"))); got != "Sai số hội viên" {
		t.Errorf("return reason: got %q, want %q", got, "Sai số hội viên")
	}
	all := x.mustTally("laichau", flows.AllOrgs, testkit.TallyOf(1, 1, testkit.HungForm, testkit.DaoForm))
	basis := flows.FormatNumber(all.Sums["members"]) + " / " + flows.FormatNumber(all.Sums["eligible"])
	// The summary sheet has a row per indicator, its id in column A.
	if _, row := filetest.RowWhere(t, xf, "Tổng hợp", 0, "1.5"); len(row) < 6 || row[5] != basis {
		t.Errorf("summary 1.5: got %q, want the basis %q", row, basis)
	}
}
