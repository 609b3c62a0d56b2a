package bot

import (
	"bytes"
	"context"
	"html"
	"image/png"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/xuri/excelize/v2"

	"danvan/flows"
	"danvan/internal/redistest"
	"danvan/storage"
)

// The leaders' features end to end (issue 3 "Done when", issue 5 "a leader gets figures"): the
// real tgbotapi client and our Zalo client against fakes of their APIs, the dispatcher wired as
// main wires it (tallies, figures, files, the router), the flows engine and the real Redis.

// syncMark starts a text the test sends only to learn that a chat's earlier updates are done.
const syncMark = "⟂sync "

// syncHandler passes updates on to the dispatcher, except the test's sync marks, which it
// swallows (no reply, no state) and reports on a channel. Both transports handle a chat's
// updates one at a time, each with all its sends, so when a mark arrives every update of that
// chat delivered before it has been answered: no sleeps, no guessing how many replies to await.
type syncHandler struct {
	next Handler

	mu    sync.Mutex
	seq   int
	marks map[string]chan struct{}
}

func newSyncHandler(next Handler) *syncHandler {
	return &syncHandler{next: next, marks: map[string]chan struct{}{}}
}

// Handle implements Handler.
func (h *syncHandler) Handle(ctx context.Context, in Incoming) []flows.Reply {
	if tok, ok := strings.CutPrefix(in.Input.Text, syncMark); ok && in.Input.Kind == flows.TextInput {
		h.mu.Lock()
		ch := h.marks[tok]
		delete(h.marks, tok)
		h.mu.Unlock()
		if ch != nil {
			close(ch)
		}
		return nil
	}
	return h.next.Handle(ctx, in)
}

// barrier sends a mark with send and waits until the handler has seen it.
func (h *syncHandler) barrier(tb testing.TB, send func(text string)) {
	tb.Helper()
	h.mu.Lock()
	h.seq++
	tok := strconv.Itoa(h.seq)
	ch := make(chan struct{})
	h.marks[tok] = ch
	h.mu.Unlock()
	send(syncMark + tok)
	timer := time.NewTimer(e2eWait)
	defer timer.Stop()
	select {
	case <-ch:
	case <-timer.C:
		tb.Fatalf("sync mark %s: got no answer within %v, want the chat's updates handled", tok, e2eWait)
	}
}

// leaderE2E is the whole bot on Telegram with the router wired, so a notice a step addresses to
// someone else reaches their chat through sendMessage on the fake.
type leaderE2E struct {
	*e2e
	d     *Dispatcher
	clock *testClock
	sync  *syncHandler
}

func newLeaderE2E(t *testing.T) *leaderE2E {
	t.Helper()
	fake := newFakeTelegram(t)
	store := mustStore(t, redistest.Addr(), mustPrefix(t))
	clock := newClock(t)
	d := mustDispatcher(t, store, clock)
	h := newSyncHandler(d)
	tg, err := NewTelegram(context.Background(), fake.Config(), h, store)
	if err != nil {
		t.Fatal(err)
	}
	tg.wait = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	mustRouter(t, d).Register("tg", tg)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- tg.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: got %v, want nil", err)
		}
	})
	x := &e2e{t: t, fake: fake, tg: tg, store: store, marked: make(chan string, 10)}
	x.deliver = func(u tgbotapi.Update) { fake.Push(u) }
	return &leaderE2E{e2e: x, d: d, clock: clock, sync: h}
}

// outgoing reports whether r is something the bot showed a chat: a message, an edit, a file.
func outgoing(r fakeRequest) bool {
	switch r.Method {
	case "sendMessage", "editMessageText", "sendPhoto", "sendDocument":
		return !r.Failed
	}
	return false
}

// do delivers u from chat and returns everything the bot showed that chat in answer, once the
// answer is complete.
func (x *leaderE2E) do(chat int64, u tgbotapi.Update) []fakeRequest {
	x.t.Helper()
	start := len(x.fake.Requests(""))
	x.fake.Push(u)
	x.sync.barrier(x.t, func(text string) { x.fake.Push(fakeTGText(chat, text)) })
	var out []fakeRequest
	for _, r := range x.fake.Requests("")[start:] {
		if outgoing(r) && r.ChatID() == chat {
			out = append(out, r)
		}
	}
	return out
}

func (x *leaderE2E) say(chat int64, text string) []fakeRequest {
	x.t.Helper()
	return x.do(chat, fakeTGText(chat, text))
}

// press presses the button whose label contains label on the newest keyboard shown in chat.
func (x *leaderE2E) press(chat int64, label string) []fakeRequest {
	x.t.Helper()
	b, msgID := x.mustButton(chat, label)
	return x.do(chat, fakeTGCallback(chat, msgID, b.Data))
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
func texts(rs []fakeRequest) string {
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

func mustSee(tb testing.TB, rs []fakeRequest, want ...string) {
	tb.Helper()
	got := texts(rs)
	for _, w := range want {
		if !strings.Contains(got, w) {
			tb.Fatalf("got %q, want it to contain %q", got, w)
		}
	}
}

// files returns the uploads of method ("sendPhoto": "photo", "sendDocument": "document") in rs.
func files(rs []fakeRequest, method string) [][]byte {
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
func mustOneFile(tb testing.TB, rs []fakeRequest, method string) []byte {
	tb.Helper()
	got := files(rs, method)
	if len(got) != 1 {
		tb.Fatalf("%s uploads: got %d, want 1 (answer %q)", method, len(got), texts(rs))
	}
	return got[0]
}

func mustPNG(tb testing.TB, data []byte) {
	tb.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		tb.Fatalf("decode PNG of %d bytes: got %v, want an image", len(data), err)
	}
	if b := img.Bounds(); b.Dx() < 100 || b.Dy() < 100 {
		tb.Errorf("chart size: got %v, want at least 100×100", b)
	}
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
	id := "tg:" + strconv.FormatInt(chat, 10)
	if err := x.store.Link(context.Background(), id, flows.Person{ID: id, Name: name, Units: units, Scopes: scopes}); err != nil {
		x.t.Fatal(err)
	}
}

// membership is one unit's answers to the Membership form.
type membership struct{ eligible, members, newMembers, active int64 }

// submitMembership has the organiser of chat fill in and send the Membership form over
// Telegram, and returns the reference the bot gave.
func (x *leaderE2E) submitMembership(chat int64, m membership) string {
	x.t.Helper()
	x.say(chat, "/report")
	mustSee(x.t, x.press(chat, "hội viên"), "(1/4)")
	for _, v := range []int64{m.eligible, m.members, m.newMembers} {
		x.say(chat, strconv.FormatInt(v, 10))
	}
	mustSee(x.t, x.say(chat, strconv.FormatInt(m.active, 10)), "Kiểm tra lại trước khi gửi")
	done := x.press(chat, "Gửi")
	mustSee(x.t, done, "Số tham chiếu")
	_, ref, _ := strings.Cut(texts(done), "Số tham chiếu: ")
	ref, _, _ = strings.Cut(ref, " ")
	return ref
}

// The figures the organisers send in these tests.
var (
	lanForm  = membership{1250, 1100, 20, 1000}
	hungForm = membership{500, 400, 12, 300}
	daoForm  = membership{800, 700, 10, 650}
)

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
	x.submitMembership(chatLan, lanForm)
	x.submitMembership(chatHung, hungForm)
	x.clock.Advance(10 * 24 * time.Hour) // 20 March: Q1 was due on the 15th
	x.submitMembership(chatDao, daoForm)
}

// wantTally is what a test expects of a Membership tally.
type wantTally struct {
	reported, late, returned  int
	eligible, members, active int64
}

// mustTally reads one Membership tally of Q1 2026 from Redis and checks it.
func (x *leaderE2E) mustTally(node, org string, want wantTally) flows.Tally {
	x.t.Helper()
	return mustTally(x.t, x.store, node, org, want)
}

func mustTally(tb testing.TB, store *storage.Store, node, org string, want wantTally) flows.Tally {
	tb.Helper()
	k := flows.TallyKey{Period: "2026-Q1", Node: node, Org: org, Form: "membership"}
	got, err := store.Tallies(context.Background(), []flows.TallyKey{k})
	if err != nil {
		tb.Fatal(err)
	}
	t := got[k]
	have := wantTally{t.Reported, t.Late, t.Returned, t.Sums["eligible"], t.Sums["members"], t.Sums["active"]}
	if have != want {
		tb.Fatalf("tally %s@%s: got %+v, want %+v", node, org, have, want)
	}
	return t
}

// sumOf adds up forms, for the expected tallies.
func sumOf(forms ...membership) (eligible, members, active int64) {
	for _, f := range forms {
		eligible, members, active = eligible+f.eligible, members+f.members, active+f.active
	}
	return
}

func tallyOf(late, returned int, forms ...membership) wantTally {
	e, m, a := sumOf(forms...)
	return wantTally{reported: len(forms), late: late, returned: returned, eligible: e, members: m, active: a}
}

// rateLine is the 1.5 line's totals as /figures writes them: "= 2.200 ÷ 2.550".
func rateLine(t flows.Tally) string {
	return "= " + flows.FormatNumber(t.Sums["members"]) + " ÷ " + flows.FormatNumber(t.Sums["eligible"])
}

// doneLine is the Membership completeness as /figures writes it, without the share.
func doneLine(t flows.Tally, units int) string {
	return "Sinh hoạt & hội viên: Đã báo cáo " + strconv.Itoa(t.Reported) + "/" + strconv.Itoa(units) + " đơn vị"
}

// returnLan has the city leader drill down to Lan's unit and return her Membership report with
// a reason; it returns what Lan's chat received.
func (x *leaderE2E) returnLan(reason string) []fakeRequest {
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
	all := x.mustTally("laichau", flows.AllOrgs, tallyOf(1, 0, lanForm, hungForm, daoForm))
	x.mustTally("tanphong", flows.AllOrgs, tallyOf(0, 0, lanForm, hungForm))
	x.mustTally("laichau", "phunu", tallyOf(1, 0, lanForm, daoForm))

	fig := x.say(chatCity, "/figures")
	mustSee(t, fig, "📊 Số liệu Quý I năm 2026 · Thành phố Lai Châu", doneLine(all, 41)+" (7,3%) · đúng hạn 2 · trễ 1 · chưa nộp 38",
		"1.5 Tỷ lệ tập hợp quần chúng vào tổ chức: 86,3%", rateLine(all), "tính trên 3/41 đơn vị")

	// Drill down by ward, then to one unit.
	wards := x.press(chatCity, "Theo phường")
	if len(wards) != 1 || wards[0].Method != "editMessageText" {
		t.Fatalf("drill-down: got %d replies %q, want the figures edited in place", len(wards), texts(wards))
	}
	ward := x.press(chatCity, "Phường Tân Phong")
	tp := x.mustTally("tanphong", flows.AllOrgs, tallyOf(0, 0, lanForm, hungForm))
	mustSee(t, ward, "Số liệu Quý I năm 2026 · Phường Tân Phong", doneLine(tp, 5), rateLine(tp))
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
	sub := mustSubmitted(t, x.store)
	if sub.Returned == nil || sub.Returned.Reason != reason || sub.Returned.By != "tg:3001" {
		t.Fatalf("stored return: got %+v, want one by tg:3001 with the reason", sub.Returned)
	}
	all = x.mustTally("laichau", flows.AllOrgs, tallyOf(1, 1, hungForm, daoForm))
	x.mustTally("tanphong", flows.AllOrgs, tallyOf(0, 1, hungForm))
	mustSee(t, x.say(chatCity, "/figures"), doneLine(all, 41), "trả lại 1", rateLine(all))

	// Lan reopens the report pre-filled, corrects the members and resubmits.
	mustSee(t, x.press(chatLan, "Mở lại báo cáo"), "Báo cáo bị trả lại với lý do: "+reason, "2. Số đoàn viên, hội viên: 1.100")
	x.press(chatLan, "Sửa")
	mustSee(t, x.press(chatLan, "Số đoàn viên, hội viên:"), "(2/4)")
	mustSee(t, x.say(chatLan, "1.050"), "2. Số đoàn viên, hội viên: 1.050")
	mustSee(t, x.press(chatLan, "Gửi"), "Số tham chiếu", "phiên bản 2")
	fixed := lanForm
	fixed.members = 1050
	all = x.mustTally("laichau", flows.AllOrgs, tallyOf(1, 0, fixed, hungForm, daoForm))
	x.mustTally("tanphong", flows.AllOrgs, tallyOf(0, 0, fixed, hungForm))
	x.mustTally("laichau", "phunu", tallyOf(1, 0, fixed, daoForm))
	again := x.say(chatCity, "/figures")
	mustSee(t, again, doneLine(all, 41)+" (7,3%) · đúng hạn 2 · trễ 1 · chưa nộp 38", rateLine(all))
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
	got, err := x.store.Submission(context.Background(), memberKey)
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
	mustPNG(t, mustOneFile(t, photo, "sendPhoto"))
	mustSee(t, photo, "Chỉ tiêu 1.5")
	byCmd := x.say(chatCity, "/chart 1.6")
	mustPNG(t, mustOneFile(t, byCmd, "sendPhoto"))
	mustSee(t, byCmd, "Chỉ tiêu 1.6")

	x.say(chatCity, "/figures")
	viaButton := mustOneFile(t, x.press(chatCity, "Excel"), "sendDocument")
	sheet := x.say(chatCity, "/export")
	mustSee(t, sheet, "Bảng số liệu Quý I năm 2026")
	xf := mustOpenXLSX(t, mustOneFile(t, sheet, "sendDocument"))
	mustOpenXLSX(t, viaButton)
	list := xf.GetSheetList()
	if len(list) != 3 || list[0] != "Tổng hợp" {
		t.Fatalf("sheets: got %q, want the summary and one per form", list)
	}
	sh := list[1]
	if got := mustCell(t, xf, sh, "A1"); got != "Phường/Xã" {
		t.Errorf("header A1: got %q, want %q", got, "Phường/Xã")
	}
	cases := []struct {
		unit, status, by string
		eligible         int64
	}{
		{"Hội LHPN phường Tân Phong", "trả lại", "Lò Thị Lan", lanForm.eligible},
		{"Đoàn phường Tân Phong", "đúng hạn", "Vàng A Hùng", hungForm.eligible},
		{"Hội LHPN phường Đoàn Kết", "trễ", "Tao Thị Đào", daoForm.eligible},
		{"Hội Nông dân xã Nậm Loỏng", "chưa nộp", "", 0},
	}
	for _, c := range cases {
		row := strconv.Itoa(rowOf(t, xf, sh, c.unit))
		if got := mustCell(t, xf, sh, "J"+row); got != c.status {
			t.Errorf("%s status: got %q, want %q", c.unit, got, c.status)
		}
		if got := mustCell(t, xf, sh, "K"+row); got != c.by {
			t.Errorf("%s sent by: got %q, want %q", c.unit, got, c.by)
		}
		if c.eligible == 0 {
			continue
		}
		raw, _ := xf.GetCellValue(sh, "D"+row, excelize.Options{RawCellValue: true})
		if typ, _ := xf.GetCellType(sh, "D"+row); raw != strconv.FormatInt(c.eligible, 10) || (typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset) {
			t.Errorf("%s eligible: got %q (type %v), want the number %d", c.unit, raw, typ, c.eligible)
		}
	}
	if got := mustCell(t, xf, sh, "O"+strconv.Itoa(rowOf(t, xf, sh, "Hội LHPN phường Tân Phong"))); got != "Sai số hội viên" {
		t.Errorf("return reason: got %q, want %q", got, "Sai số hội viên")
	}
	all := x.mustTally("laichau", flows.AllOrgs, tallyOf(1, 1, hungForm, daoForm))
	basis := flows.FormatNumber(all.Sums["members"]) + " / " + flows.FormatNumber(all.Sums["eligible"])
	if row := summaryRowOf(t, xf, "1.5"); len(row) < 6 || row[5] != basis {
		t.Errorf("summary 1.5: got %q, want the basis %q", row, basis)
	}
}

// summaryRowOf returns the summary sheet's row of indicator id.
func summaryRowOf(tb testing.TB, xf *excelize.File, id string) []string {
	tb.Helper()
	rows, err := xf.GetRows("Tổng hợp")
	if err != nil {
		tb.Fatal(err)
	}
	for _, r := range rows {
		if len(r) > 0 && r[0] == id {
			return r
		}
	}
	tb.Fatalf("summary: got no row for %s among %q", id, rows)
	return nil
}
