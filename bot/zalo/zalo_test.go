package zalo

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"danvan/bot"
	"danvan/bot/transport"
	"danvan/flows"
	"danvan/internal/fakezalo"
	"danvan/internal/testkit"
	"danvan/reminders"
)

// A person linked on Telegram and Zalo sees one draft from either side, and reminders go to
// the channel they chose with /kenh only.
func TestZaloLinkedPersonSharesDraft(t *testing.T) {
	x := newE2E(t, false, nil)
	lan := testkit.MustLanAtForm(t, x.d, &x.seq)
	lan.Text("1.250")
	lan.Command("lienket", "")
	lan.MustSay("Mã liên kết: ")
	_, rest, _ := strings.Cut(lan.Said(), "Mã liên kết: ")
	code, _, _ := strings.Cut(rest, "\n")

	testkit.MustContain(t, x.text("z3001", "/lienket "+code, 1), "Đã liên kết tài khoản này với Lan")
	said := x.text("z3001", "/report", 1) // the one draft goes on where Telegram left it
	testkit.MustContain(t, said, "(2/4)")
	x.text("z3001", "1100", 1)
	d := testkit.MustDraft(t, x.store, testkit.Lan)
	if d == nil || d.Answers["eligible"] != 1250 || d.Answers["members"] != 1100 {
		t.Fatalf("draft: got %+v, want eligible 1250 (Telegram) and members 1100 (Zalo)", d)
	}
	if again := x.text("z3001", "/lienket "+code, 1); !strings.Contains(again, "không đúng") {
		t.Errorf("second use of a link code: got %q, want it refused", again)
	}

	// Reminders: Telegram until Lan chooses Zalo, then Zalo only.
	tg := &testkit.RecordSender{Channel: "tg"}
	r := &bot.Router{People: x.store}
	r.Register(tg)
	r.Register(x.z)
	mustNotify(t, r, "tg:2001", "nhắc 1")
	lan.Command("kenh", "zalo")
	lan.MustSay("qua Zalo")
	before := len(x.fake.Sent("z3001"))
	mustNotify(t, r, "tg:2001", "nhắc 2")
	if got := tg.Texts(); len(got) != 1 || got[0] != "nhắc 1" {
		t.Errorf("telegram got %v, want only [nhắc 1]", got)
	}
	if sent := x.fake.Sent("z3001")[before:]; len(sent) != 1 || sent[0].Params["text"] != "nhắc 2" {
		t.Errorf("zalo got %v, want only nhắc 2", sent)
	}

	// A real reminder, from the schedule through the router, reaches Zalo only as well.
	now := x.d.Now()
	sched := reminders.New(reminders.Config{
		Store: x.store, Survey: x.store, Steps: x.store, Claims: x.store, Snoozes: x.store, Nudges: x.store, Sender: r,
		Calendar: x.d.Settings.Calendar, Dir: x.d.Settings.Dir, Forms: x.d.Settings.Forms,
		Rules: reminders.DefaultRules(), Now: x.d.Now, Log: slog.New(slog.DiscardHandler),
	})
	before = len(x.fake.Sent("z3001"))
	period := x.d.Settings.Calendar.Open(now)[0]
	if err := sched.Remind(context.Background(), flows.Remind{Period: period.ID, Units: []string{"tanphong-phunu"}, By: "leader", Nudge: true}); err != nil {
		t.Fatalf("remind: got %v, want nil", err)
	}
	sent := x.fake.Sent("z3001")[before:]
	if len(sent) != 1 || !strings.Contains(sent[0].Params["text"], "Hội LHPN · Phường Tân Phong") || !strings.Contains(sent[0].Params["text"], "\nc – Tiếp tục") {
		t.Errorf("zalo got %v, want one reminder about Hội LHPN · Phường Tân Phong, its draft lettered after the question's choices", sent)
	}
	if got := tg.Texts(); len(got) != 1 {
		t.Errorf("telegram got %v, want nothing more than [nhắc 1]", got)
	}
}

func mustNotify(tb testing.TB, r *bot.Router, person, text string) {
	tb.Helper()
	if err := r.Notify(context.Background(), person, []flows.Reply{{Text: text}}); err != nil {
		tb.Fatalf("Notify: got %v, want nil", err)
	}
}

// Webhook calls without the right secret are refused and not handled.
func TestZaloWebhookSecret(t *testing.T) {
	x := newE2E(t, true, nil)
	if got := x.fake.Calls("setWebhook")[0].Params["secret_token"]; got != "zalo-e2e-secret" {
		t.Errorf("setWebhook secret_token: got %q, want the configured one", got)
	}
	for _, secret := range []string{"", "wrong-secret", "zalo-e2e-secre"} {
		x.post(x.hook, fakezalo.Event("message.text.received", "forged", "z9", "/help"), secret, http.StatusUnauthorized)
	}
	testkit.MustContain(t, x.text("z9", "/help", 1), "Xin chào")
	if got := len(x.fake.Sent("z9")); got != 1 {
		t.Errorf("messages to z9: got %d, want 1 (forged calls handled)", got)
	}
}

// Idle getUpdates answers 408: no log line, no backoff; failures back off and log once.
func TestZaloPollTimeoutsAndErrors(t *testing.T) {
	x := newE2E(t, false, nil)
	x.fake.WaitFor(t, "three 408s", testkit.Wait, func() bool { return x.fake.Timeouts() >= 3 })
	if got := x.log.String(); got != "" {
		t.Errorf("log after 408s: got %q, want nothing", got)
	}
	x.mu.Lock()
	waits := len(x.waits)
	x.mu.Unlock()
	if waits != 0 {
		t.Errorf("backoff waits after 408s: got %d, want 0", waits)
	}
	for range 3 {
		x.fake.Fail("getUpdates", http.StatusInternalServerError, 500, "internal error")
	}
	testkit.MustContain(t, x.text("z9", "/help", 1), "Xin chào")
	x.mu.Lock()
	waits = len(x.waits)
	x.mu.Unlock()
	if waits != 3 {
		t.Errorf("backoff waits: got %d, want 3", waits)
	}
	log := x.log.String()
	if n := strings.Count(log, "level=WARN"); n != 1 {
		t.Errorf("warnings: got %d in %q, want 1", n, log)
	}
	testkit.MustContain(t, log, "polling recovered")
	if strings.Contains(log, fakezalo.Token) {
		t.Errorf("log holds the token: %q", log)
	}
	calls := x.fake.Calls("")
	if calls[1].Method != "getWebhookInfo" || calls[2].Method != "getUpdates" {
		t.Errorf("calls after getMe: got %s, %s, want getWebhookInfo, then getUpdates (no webhook to delete)", calls[1].Method, calls[2].Method)
	}
}

// Images, stickers and unsupported messages get a polite request for text; sends that hit a
// rate limit are retried.
func TestZaloMediaAndRetry(t *testing.T) {
	x := newE2E(t, false, nil)
	code := testkit.MustInvite(t, x.d, &x.seq, "Phường Tân Phong", "Hội LHPN · Phường Tân Phong")
	x.text("z2001", "/start "+code, 2)
	for _, ev := range []string{"message.image.received", "message.sticker.received", "message.unsupported.received"} {
		testkit.MustContain(t, x.say("z2001", ev, "", 1), "chỉ đọc được chữ")
	}
	x.fake.Fail("sendMessage", http.StatusTooManyRequests, 429, "too many requests")
	testkit.MustContain(t, x.text("z2001", "/help", 1), "Xin chào")
}

// A choice typed after a restart (no menu in memory) never chooses: flows shows the screen again.
func TestZaloChoiceAfterRestart(t *testing.T) {
	x := newE2E(t, false, nil)
	code := testkit.MustInvite(t, x.d, &x.seq, "Phường Tân Phong", "Hội LHPN · Phường Tân Phong")
	x.text("z2001", "/start "+code, 2)
	x.text("z2001", "/report", 1)
	said := x.text("z2001", "đổi", 1) // the chooser: numbered options
	x.z.menus.(*memMenus).forget()    // what a restart leaves
	said = x.text("z2001", mustOption(t, said, "hội viên"), 2)
	testkit.MustContain(t, said, "Vui lòng chọn")
	testkit.MustContain(t, x.text("z2001", mustOption(t, said, "hội viên"), 1), "(1/4)")
	// On a question, numbers are answers; choices are letters.
	said = x.text("z2001", "1.250", 1)
	testkit.MustContain(t, said, "(2/4)")
	testkit.MustContain(t, x.text("z2001", mustOption(t, said, "Quay lại"), 1), "(1/4)")
}

// forget drops every menu: what a restart leaves.
func (s *memMenus) forget() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m = nil
}

// Long texts are cut at line boundaries into messages of at most 2,000 characters; charts go as
// a photo by URL, spreadsheets as a link, both served until they expire.
func TestZaloSendSplitsAndServesFiles(t *testing.T) {
	fake := fakezalo.New(t)
	clock := testkit.NewClock(t)
	files := &Files{Base: "https://bot.example.org", TTL: time.Hour, Now: clock.Now}
	cfg := fakeConfig(fake)
	cfg.Files = files
	z := newTransport(cfg, testkit.HandlerFunc(nil))
	line := strings.Repeat("á", 99) // 100 characters with its newline
	long := strings.TrimSuffix(strings.Repeat(line+"\n", 45), "\n")
	tests := []struct {
		name      string
		reply     flows.Reply
		wantCalls int
	}{
		{"long text", flows.Reply{Text: long, Buttons: [][]flows.Button{{{Label: "📤 Gửi", Data: "1|send|"}}}}, 3},
		{"chart", flows.Reply{Text: "Chỉ tiêu 1.5", File: &flows.File{Name: "chart.png", Kind: flows.Photo, MIME: "image/png", Data: []byte("PNG")}}, 1},
		{"sheet", flows.Reply{Text: "Số liệu", File: &flows.File{Name: "so-lieu.xlsx", Kind: flows.Document, MIME: "application/vnd.ms-excel", Data: []byte("XLSX")}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(fake.Sent("u1"))
			if err := z.Send(context.Background(), "zalo:u1", tt.reply); err != nil {
				t.Fatal(err)
			}
			sent := fake.Sent("u1")[before:]
			if len(sent) != tt.wantCalls {
				t.Fatalf("calls: got %d, want %d", len(sent), tt.wantCalls)
			}
			for _, c := range sent {
				if n := utf8.RuneCountInString(c.Params["text"]); n > maxMessage {
					t.Errorf("message of %d characters, want ≤ %d", n, maxMessage)
				}
				if txt := c.Params["text"]; c.Method == "sendMessage" && !strings.HasSuffix(txt, "á") && !strings.Contains(txt, "Gửi") && !strings.Contains(txt, "xlsx") {
					t.Errorf("message not cut at a line end: ends %q", txt[len(txt)-10:])
				}
			}
		})
	}
	photo := fake.Calls("sendPhoto")[0].Params["photo"]
	mustGet(t, files, photo, http.StatusOK, "PNG")
	sheet := fake.Sent("u1")[len(fake.Sent("u1"))-1].Params["text"]
	link := linkIn(sheet)
	if want := "📎 Bảng tính Excel so-lieu.xlsx — Zalo không nhận tệp nên bot gửi liên kết tải về (dùng được đến "; !strings.Contains(sheet, want) {
		t.Errorf("sheet: got %q, want it to say it sends a link: %q", sheet, want)
	}
	mustGet(t, files, link, http.StatusOK, "XLSX")
	clock.Advance(time.Hour)
	mustGet(t, files, photo, http.StatusNotFound, "")
	mustGet(t, files, "https://bot.example.org/files/guessed/chart.png", http.StatusNotFound, "")
}

func mustGet(tb testing.TB, files *Files, url string, want int, body string) {
	tb.Helper()
	path := strings.TrimPrefix(url, "https://bot.example.org")
	rec := httptest.NewRecorder()
	files.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	got, _ := io.ReadAll(rec.Body)
	if rec.Code != want || (body != "" && string(got) != body) {
		tb.Errorf("GET %s: got %d %q, want %d %q", path, rec.Code, got, want, body)
	}
}

// Menus render choices as the issue shows them and read them back by number or text; on a
// screen that asks for a figure, letters.
func TestZaloMenus(t *testing.T) {
	r := flows.Reply{Text: "Kiểm tra", Buttons: [][]flows.Button{{{Label: "📤 Gửi", Data: "4|send|"}, {Label: "✏️ Sửa", Data: "4|edit|"}}, {{Label: "✖️ Hủy", Data: "4|cancel|"}}}}
	text, menu := transport.Render(r)
	if want := "Kiểm tra\n\nNhắn số để chọn: 1 – Gửi · 2 – Sửa · 3 – Hủy"; text != want {
		t.Errorf("got %q, want %q", text, want)
	}
	free := r
	free.Free = true
	freeText, freeMenu := transport.Render(free)
	testkit.MustContain(t, freeText, "Gõ số liệu, hoặc nhắn chữ cái để chọn: a – Gửi · b – Sửa · c – Hủy")
	tests := []struct {
		menu  transport.Menu
		typed string
		want  string
	}{
		{menu, "2", "4|edit|"},
		{menu, " gửi. ", "4|send|"},
		{menu, "✖️ Hủy", "4|cancel|"},
		{menu, "4", ""},
		{freeMenu, "1", ""},
		{freeMenu, "c", "4|cancel|"},
	}
	for _, tt := range tests {
		b, _ := tt.menu.Pick(tt.typed)
		if b.Data != tt.want {
			t.Errorf("pick %q (free %v): got %q, want %q", tt.typed, tt.menu.Free, b.Data, tt.want)
		}
	}
}

// A reminder arriving while a figure is being asked adds its options after the question's,
// lettered on: a typed figure stays an answer, and the reminder's options can still be chosen.
func TestZaloPushedMenuFollowsCurrent(t *testing.T) {
	question := flows.Reply{Text: "(3/4) Kết nạp mới", Free: true, Buttons: [][]flows.Button{{{Label: "⬅️ Quay lại", Data: "7|back|"}, {Label: "✖️ Hủy", Data: "7|cancel|"}}}}
	_, asked := transport.Render(question)
	reminder := flows.Reply{Text: "⏰ Nhắc báo cáo", Buttons: [][]flows.Button{{{Label: "Báo cáo ngay", Data: "*|rg|2026-Q1|u"}}, {{Label: "Nhắc lại ngày mai", Data: "*|rs|2026-Q1"}}}}
	text, menu := transport.RenderAfter(reminder, asked)
	testkit.MustContain(t, text, "Nhắn chữ cái để chọn: c – Báo cáo ngay · d – Nhắc lại ngày mai")
	tests := []struct{ typed, want string }{
		{"2", ""}, // a figure, not a choice
		{"a", "7|back|"},
		{"c", "*|rg|2026-Q1|u"},
		{"nhắc lại ngày mai", "*|rs|2026-Q1"},
	}
	for _, tt := range tests {
		if b, _ := menu.Pick(tt.typed); b.Data != tt.want {
			t.Errorf("pick %q: got %q, want %q", tt.typed, b.Data, tt.want)
		}
	}
	// With nothing on screen, a reminder's options are numbered from 1.
	if text, _ := transport.RenderAfter(reminder, transport.Menu{}); !strings.Contains(text, "Nhắn số để chọn: 1 – Báo cáo ngay · 2 – Nhắc lại ngày mai") {
		t.Errorf("got %q, want options numbered from 1", text)
	}
}

// asText is the line that says a file of what kind comes as text because no file server is
// set, before its text.
func asText(what string) string {
	return "📝 " + what + " được gửi dưới dạng chữ (" + noServerNote + "):\n"
}

// linkIn returns the first http(s) URL of text, up to the next space or line end.
func linkIn(text string) string {
	i := strings.Index(text, "http")
	if i < 0 {
		return ""
	}
	link, _, _ := strings.Cut(text[i:], "\n")
	link, _, _ = strings.Cut(link, " ")
	return link
}

// Without a file server a chart or spreadsheet goes as text: the reply's text, then a line
// saying what file comes as text and why, the file's text, then the choices, cut into messages
// of at most 2,000 characters; no photo, no link.
func TestZaloSendsFileAsText(t *testing.T) {
	fake := fakezalo.New(t)
	z := newTransport(fakeConfig(fake), testkit.HandlerFunc(nil))
	chart := &flows.File{Name: "chart.png", Kind: flows.Photo, Data: []byte("PNG"), Text: "Phường Tân Phong: 86,7% ✅\nPhường Đoàn Kết: —\nMục tiêu > 85%"}
	sheet := &flows.File{Name: "so-lieu.xlsx", Kind: flows.Document, Data: []byte("XLSX"), Text: "1.5 Tỷ lệ: 86,7% ✅"}
	line := strings.Repeat("á", 99)
	long := &flows.File{Name: "chart.png", Kind: flows.Photo, Data: []byte("PNG"), Text: strings.TrimSuffix(strings.Repeat(line+"\n", 45), "\n")}
	tests := []struct {
		name     string
		reply    flows.Reply
		wantMsgs int
		want     string // the messages joined by newlines
	}{
		{"chart", flows.Reply{Text: "Chỉ tiêu 1.5", File: chart, Buttons: [][]flows.Button{{{Label: "🏢 Theo tổ chức", Data: "1|org|"}}}}, 1,
			"Chỉ tiêu 1.5\n\n" + asText("Biểu đồ") + chart.Text + "\n\nNhắn số để chọn: 1 – Theo tổ chức"},
		{"sheet", flows.Reply{Text: "Số liệu", File: sheet}, 1, "Số liệu\n\n" + asText("Bảng tính Excel") + sheet.Text},
		{"no text", flows.Reply{Text: "Số liệu", File: &flows.File{Name: "a.xlsx", Kind: flows.Document}}, 1,
			"Số liệu\n\n📝 Bảng tính Excel không gửi được qua kênh này (" + noServerNote + ")."},
		{"long", flows.Reply{Text: "Chỉ tiêu 1.5", File: long}, 3, "Chỉ tiêu 1.5\n\n" + asText("Biểu đồ") + long.Text},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(fake.Sent("u1"))
			if err := z.Send(context.Background(), "zalo:u1", tt.reply); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range fake.Sent("u1")[before:] {
				if c.Method != "sendMessage" {
					t.Errorf("call: got %s, want sendMessage only", c.Method)
				}
				if n := utf8.RuneCountInString(c.Params["text"]); n > maxMessage {
					t.Errorf("message of %d characters, want ≤ %d", n, maxMessage)
				}
				got = append(got, c.Params["text"])
			}
			if len(got) != tt.wantMsgs || strings.Join(got, "\n") != tt.want {
				t.Errorf("messages: got %d %q, want %d %q", len(got), got, tt.wantMsgs, tt.want)
			}
		})
	}
}

// A webhook update Zalo posts twice (same message_id) moves the form on once: the second
// delivery shows the same question again (its first reply may have been lost) and does not
// answer the next question.
func TestZaloWebhookDuplicateHandledOnce(t *testing.T) {
	x := newE2E(t, true, nil)
	code := testkit.MustInvite(t, x.d, &x.seq, "Phường Tân Phong", "Hội LHPN · Phường Tân Phong")
	x.text("z2001", "/start "+code, 2)
	testkit.MustContain(t, x.text("z2001", "/report", 1), "(1/4)")
	before := len(x.fake.Sent("z2001"))
	for range 2 {
		x.deliver(fakezalo.Event("message.text.received", "dup-1", "z2001", "1.250"))
	}
	// The chat's updates are handled in order: once /help is answered, both copies are done.
	x.deliver(fakezalo.Event("message.text.received", "after-dup", "z2001", "/help"))
	x.fake.WaitFor(t, "the answer to /help", testkit.Wait, func() bool {
		return strings.Contains(fakezalo.Texts(x.fake.Sent("z2001")[before:]), "Xin chào")
	})
	sent := x.fake.Sent("z2001")[before:]
	mustHandledOnce(t, sent[:len(sent)-1], x.store, "zalo:z2001")
}

// The same holds when getUpdates hands out one update twice.
func TestZaloPollDuplicateHandledOnce(t *testing.T) {
	x := newLeader(t, nil)
	x.mustLink("z2001", "Lò Thị Lan", []string{"tanphong-phunu"}, nil)
	testkit.MustContain(t, fakezalo.Texts(x.say("z2001", "/report")), "(1/4)")
	before := len(x.fake.Sent("z2001"))
	for range 2 {
		x.fake.Deliver(fakezalo.Event("message.text.received", "dup-1", "z2001", "1.250"))
	}
	x.sync.Barrier(t, func(mark string) { x.push("z2001", mark) })
	mustHandledOnce(t, x.fake.Sent("z2001")[before:], x.store, "zalo:z2001")
}

// mustHandledOnce checks the answer to "1.250" sent twice: the second question, shown again for
// the repeat, and a draft holding the first figure only.
func mustHandledOnce(tb testing.TB, sent []fakezalo.Call, r bot.Reports, person string) {
	tb.Helper()
	if len(sent) != 2 || sent[0].Params["text"] != sent[1].Params["text"] {
		tb.Fatalf("replies to a repeated update: got %d (%q), want the same question twice", len(sent), fakezalo.Texts(sent))
	}
	testkit.MustContain(tb, fakezalo.Texts(sent[:1]), "(2/4)")
	d := testkit.MustDraft(tb, r, person)
	if d == nil || d.Answers["eligible"] != 1250 || len(d.Answers) != 1 {
		tb.Errorf("draft: got %+v, want eligible 1250 only", d)
	}
}
