package main

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/xuri/excelize/v2"

	"danvan/bot"
	"danvan/bot/files"
	"danvan/config"
	"danvan/flows"
	"danvan/internal/faketg"
	"danvan/internal/fakezalo"
	"danvan/internal/filetest"
	"danvan/internal/testkit"
	"danvan/reminders"
	"danvan/storage"
)

// Two provinces on one deployment, wired as main wires them: Lai Châu (the default directory)
// on the deployment's Telegram and Zalo bots, and Điện Biên with a Telegram bot of its own. The
// real go-telegram-bot-api client and our Zalo client run against fakes of their APIs, on the
// real Redis.

// tokenDB is the token of Điện Biên's own Telegram bot.
const tokenDB = "654321:FAKE-dienbien-token"

// People of the tests, by identity: the deployment's bots write "tg:" and "zalo:", Điện Biên's
// own bot "tg.db:".
const (
	superAdmin = 1000 // ADMINS: every tenant
	lcLeader   = 3001 // Telegram, scope lc
	lcAdmin    = 3002 // Telegram, admin of lc
	lcOrg      = 4001 // Telegram, organiser in Tân Phong
	stranger   = 3999
	dbOrg      = 5001 // Điện Biên's bot, organiser in Mường Thanh
	dbAdmin    = 5002 // Điện Biên's bot, admin of db
	zaloLeader = "zl-lc"
	zaloAdmin  = "za-lc"
)

// dienBien is a second province: its own bodies, a ward of five organisations and a commune.
func dienBien() []flows.Node {
	nodes := []flows.Node{
		{ID: "db", Code: "11", Name: flows.Text{Vi: "Tỉnh Điện Biên"}},
		{ID: "db-mttq", Parent: "db", Org: "mttq", Name: flows.Text{Vi: "Ủy ban MTTQ tỉnh Điện Biên"}},
		{ID: "db-mt", Parent: "db", Name: flows.Text{Vi: "Phường Mường Thanh"}},
		{ID: "db-tn", Parent: "db", Name: flows.Text{Vi: "Xã Thanh Nưa"}},
		{ID: "db-tn-phunu", Parent: "db-tn", Org: "phunu", Name: flows.Text{Vi: "Hội LHPN xã Thanh Nưa"}},
	}
	for _, o := range []string{"mttq", "doan", "phunu", "nongdan", "ccb"} {
		nodes = append(nodes, flows.Node{ID: "db-mt-" + o, Parent: "db-mt", Org: o, Name: flows.Text{Vi: o + " phường Mường Thanh"}})
	}
	return nodes
}

// dienBienTemplate writes the report template of Điện Biên, the built-in one with its own
// issuing body and place, and returns its path.
func dienBienTemplate(t *testing.T, cfg config.Config) string {
	t.Helper()
	text, err := cfg.ReportTemplateText()
	if err != nil {
		t.Fatal(err)
	}
	text = bytes.ReplaceAll(bytes.ReplaceAll(text, []byte("LAI CHÂU"), []byte("ĐIỆN BIÊN")), []byte("Lai Châu"), []byte("Điện Biên"))
	path := filepath.Join(t.TempDir(), "report-db.yaml")
	if err := os.WriteFile(path, text, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// dbSecrets are what nobody of Lai Châu may read anywhere: Điện Biên's places, its organiser's
// name and its figures (7.777 eligible, 6.666 members), however written.
var dbSecrets = []string{"Điện Biên", "Mường Thanh", "Thanh Nưa", "Quàng Thị Bích", "7.777", "7777", "6.666", "6666", "db-"}

// lcSecrets are what nobody of Điện Biên may read.
var lcSecrets = []string{"Lai Châu", "Tân Phong", "Lò Thị Lan", "1.234", "1234"}

type tenantsE2E struct {
	t          *testing.T
	tgA, tgB   *faketg.Server
	za         *fakezalo.Server
	store      *storage.Store
	disp       *bot.Dispatcher
	sched      reminders.Schedules
	sync       *testkit.SyncHandler
	clock      *testkit.Clock
	mu         sync.Mutex
	zaloSerial int
}

func newTenantsE2E(t *testing.T) *tenantsE2E {
	t.Helper()
	bots := faketg.NewBots(t, faketg.Token, tokenDB)
	x := &tenantsE2E{t: t, tgA: bots[0], tgB: bots[1], za: fakezalo.New(t), store: testkit.MustStore(t), clock: testkit.NewClock(t)}
	cfg := config.Default()
	cfg.TelegramToken, cfg.TelegramAPIURL = x.tgA.Token, x.tgA.URL
	cfg.ZaloToken, cfg.ZaloAPIURL = fakezalo.Token, x.za.URL
	cfg.Admins = []int64{superAdmin}
	cfg.Units = append(cfg.Units, dienBien()...)
	cfg.Tenants = []config.TenantConfig{{ID: "lc"}, {ID: "db",
		Office: flows.Text{Vi: "Ban Tuyên giáo và Dân vận Tỉnh ủy Điện Biên"}, TelegramToken: tokenDB,
		ReportTemplate: dienBienTemplate(t, cfg)}}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	disp, err := newDispatcher(cfg, x.store, x.clock.Now, log)
	if err != nil {
		t.Fatal(err)
	}
	router, sched := addRouting(cfg, x.store, disp, nil, log)
	x.disp, x.sched, x.sync = disp, sched, testkit.NewSyncHandler(disp)
	runs, err := startBots(t.Context(), cfg, x.store, disp, x.sync, router, http.NewServeMux(), newMetrics(x.store, log), log)
	if err != nil {
		t.Fatal(err)
	}
	for _, run := range runs {
		testkit.MustRun(t, run)
	}
	x.seed()
	return x
}

// seed links the people and files one report in each province.
func (x *tenantsE2E) seed() {
	link := func(ident, name string, p flows.Person) {
		p.ID, p.Name = ident, name
		testkit.MustLink(x.t, x.store, ident, p)
	}
	link(tg(lcLeader), "Chủ tịch tỉnh", flows.Person{Scopes: []string{"lc"}})
	link(tg(lcAdmin), "Quản trị Lai Châu", flows.Person{AdminOf: []string{"lc"}})
	link(tg(lcOrg), "Lò Thị Lan", flows.Person{Units: []string{"lc-tanphong-phunu"}})
	link("zalo:"+zaloLeader, "Lãnh đạo Zalo", flows.Person{Scopes: []string{"lc"}})
	link("zalo:"+zaloAdmin, "Quản trị Zalo", flows.Person{AdminOf: []string{"lc"}})
	link(tgDB(dbOrg), "Quàng Thị Bích", flows.Person{Units: []string{"db-mt-phunu"}})
	link(tgDB(dbAdmin), "Quản trị Điện Biên", flows.Person{AdminOf: []string{"db"}})
	at := x.clock.Now().Add(-time.Hour)
	testkit.MustSubmit(x.t, x.store, "lc-tanphong-phunu", tg(lcOrg), at, testkit.Membership{Eligible: 1234, Members: 1100, NewMembers: 20, Active: 1000})
	testkit.MustSubmit(x.t, x.store, "db-mt-phunu", tgDB(dbOrg), at, testkit.Membership{Eligible: 7777, Members: 6666, NewMembers: 5, Active: 5555})
}

func tg(id int64) string   { return "tg:" + strconv.FormatInt(id, 10) }
func tgDB(id int64) string { return "tg.db:" + strconv.FormatInt(id, 10) }

// do delivers u to fake's bot from chat and returns what that bot showed the chat in answer:
// texts with their buttons' labels and data, and the contents of the files, as text.
func (x *tenantsE2E) do(fake *faketg.Server, chat int64, u tgbotapi.Update) string {
	x.t.Helper()
	start := len(fake.Requests(""))
	fake.Push(u)
	x.sync.Barrier(x.t, func(text string) { fake.Push(faketg.Text(chat, text)) })
	var out []string
	for _, r := range fake.Requests("")[start:] {
		if r.Failed || r.ChatID() != chat && r.Method != "answerCallbackQuery" {
			continue
		}
		out = append(out, html.UnescapeString(r.Params["text"]+r.Params["caption"]))
		for _, row := range r.Buttons() {
			for _, b := range row {
				out = append(out, "["+b.Label+"] "+b.Data)
			}
		}
		if doc := r.Files["document"]; doc != nil {
			out = append(out, fileText(x.t, doc))
		}
	}
	return strings.Join(out, "\n")
}

func (x *tenantsE2E) say(fake *faketg.Server, chat int64, text string) string {
	x.t.Helper()
	return x.do(fake, chat, faketg.Text(chat, text))
}

func (x *tenantsE2E) press(fake *faketg.Server, chat int64, data string) string {
	x.t.Helper()
	return x.do(fake, chat, faketg.Callback(chat, 7, data))
}

// zalo types text to the deployment's Zalo bot from user and returns what came back.
func (x *tenantsE2E) zalo(user, text string) string {
	x.t.Helper()
	x.mu.Lock()
	x.zaloSerial++
	id := fmt.Sprintf("m%d", x.zaloSerial)
	x.mu.Unlock()
	before := len(x.za.Sent(user))
	x.za.Push("message.text.received", id, user, text)
	x.sync.Barrier(x.t, func(mark string) { x.za.Push("message.text.received", id+"s", user, mark) })
	return fakezalo.Texts(x.za.Sent(user)[before:])
}

// fileText is what a spreadsheet holds, as text: every cell of every sheet of an XLSX, every
// line of every CSV of a zip.
func fileText(tb testing.TB, data []byte) string {
	tb.Helper()
	var out []string
	entries := filetest.MustUnzip(tb, data)
	if !slices.ContainsFunc(entries, func(f filetest.ZipFile) bool { return strings.HasPrefix(f.Name, "xl/") }) {
		for _, f := range entries {
			out = append(out, string(f.Data))
		}
		return strings.Join(out, "\n")
	}
	x := filetest.MustOpenXLSX(tb, data)
	for _, sheet := range x.GetSheetList() {
		rows, err := x.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			tb.Fatal(err)
		}
		for _, r := range rows {
			out = append(out, strings.Join(r, " | "))
		}
	}
	return strings.Join(out, "\n")
}

// mustNot fails when got holds any of secrets.
func mustNot(tb testing.TB, who, what, got string, secrets []string) {
	tb.Helper()
	for _, s := range secrets {
		if strings.Contains(got, s) {
			tb.Errorf("%s, %s: got %q, want nothing with %q", who, what, got, s)
		}
	}
}

// forgedForLC are button data a Lai Châu leader or admin might make up to reach Điện Biên.
var forgedForLC = []string{
	"*|fig|2026-Q1 db - -", "*|fig|2026-Q1 db - p", "*|fig|2026-Q1 db-mt - u", "*|fig|2026-Q1 db phunu o",
	"*|unit|2026-Q1 db-mt-phunu", "*|miss|2026-Q1 0 db -", "*|nudge|2026-Q1 db-mt-phunu", "*|nudgeall|2026-Q1 db -",
	"*|xlsx|2026-Q1 db -", "*|csv|2026-Q1 db-mt -", "*|chart|2026-Q1 db - 1.5", "*|chart|2026-Q1 db-mt phunu 1.6",
	"*|ret|2026-Q1 db-mt-phunu membership 1", "*|reo|2026-Q1 db-mt-phunu membership", "*|rg|2026-Q1|db-mt-phunu|membership",
	"*|ra|2026-Q1", "*|rn|2026-Q1",
	"*|mhl|field db -", "*|mhl|place db-mt -", "*|mhl|org db phunu", "*|mha|db-mt-phunu", "*|mhr|db-mt-phunu m1",
}

// TestTenantIsolation: a leader and an admin of Lai Châu, on Telegram and on Zalo, type every
// command and (on Telegram) press made-up buttons naming Điện Biên's places, units and reports;
// nothing they get, files included, shows anything of Điện Biên, and Điện Biên's report is not
// returned or reopened. Điện Biên's admin, on its own bot, sees nothing of Lai Châu. A bootstrap
// admin sees both.
func TestTenantIsolation(t *testing.T) {
	x := newTenantsE2E(t)
	commands := []string{"/figures", "/figures 2026-Q1", "/missing", "/chart", "/chart 1.5", "/export", "/export csv", "/help",
		"/baocao", "/mohinh", "/mohinh linhvuc", "/mohinh xa", "/mohinh tochuc", "/calendar", "/reminders", "/invite", "/directory"}
	for _, chat := range []int64{lcLeader, lcAdmin} {
		who := fmt.Sprintf("Telegram %d", chat)
		if got := x.say(x.tgA, chat, "/figures"); !strings.Contains(got, "Tỉnh Lai Châu") {
			t.Fatalf("%s: /figures got %q, want Lai Châu's figures", who, got)
		}
		for _, c := range []string{"/export", "/export csv"} { // the files are read, and hold Lai Châu's figures
			if got := x.say(x.tgA, chat, c); !strings.Contains(got, "Hội LHPN phường Tân Phong") || !strings.Contains(got, "1234") {
				t.Fatalf("%s: %s got %q, want Lai Châu's units and figures in the file", who, c, got)
			}
		}
		for _, c := range commands {
			mustNot(t, who, c, x.say(x.tgA, chat, c), dbSecrets)
		}
		for _, data := range forgedForLC {
			mustNot(t, who, data, x.press(x.tgA, chat, data), dbSecrets)
		}
	}
	x.mustForgedInvite()
	for _, user := range []string{zaloLeader, zaloAdmin} {
		who := "Zalo " + user
		for _, c := range append(commands, "/figures", "2", "1", "/missing", "1") {
			mustNot(t, who, c, x.zalo(user, c), dbSecrets)
		}
	}
	x.mustDocx()
	sub, err := x.store.Submission(t.Context(), flows.Key{Unit: "db-mt-phunu", Period: "2026-Q1", Form: "membership"})
	if err != nil || sub.Returned != nil || sub.Version != 1 {
		t.Errorf("Điện Biên's report: got %+v, %v; want version 1, not returned", sub, err)
	}
	got := x.say(x.tgB, dbAdmin, "/figures")
	if !strings.Contains(got, "Tỉnh Điện Biên") || !strings.Contains(got, "7.777") {
		t.Errorf("Điện Biên's admin: got %q, want Điện Biên's figures", got)
	}
	for _, c := range append(commands, "/export csv") {
		mustNot(t, "Điện Biên's admin", c, x.say(x.tgB, dbAdmin, c), lcSecrets)
	}
	for _, data := range []string{"*|fig|2026-Q1 lc - -", "*|xlsx|2026-Q1 lc -", "*|unit|2026-Q1 lc-tanphong-phunu", "*|miss|2026-Q1 0 lc -"} {
		mustNot(t, "Điện Biên's admin", data, x.press(x.tgB, dbAdmin, data), lcSecrets)
	}
	if got := x.say(x.tgA, superAdmin, "/figures"); !strings.Contains(got, "Tỉnh Lai Châu") || !strings.Contains(got, "Tỉnh Điện Biên") {
		t.Errorf("bootstrap admin: got %q, want both provinces", got)
	}
}

// mustForgedInvite: Lai Châu's admin starts an invite and presses made-up choices of Điện
// Biên's places and units, then "make": no code is made, nothing of Điện Biên is shown.
func (x *tenantsE2E) mustForgedInvite() {
	t := x.t
	x.say(x.tgA, lcAdmin, "/invite")
	for _, role := range []string{"leader", "organiser", "admin"} {
		got := x.say(x.tgA, lcAdmin, "/invite")
		v := versionIn(t, got)
		got = x.press(x.tgA, lcAdmin, v+"|role|"+role)
		v = versionIn(t, got)
		for _, data := range []string{"|go|db", "|go|db-mt", "|n|db", "|n|db-mt-phunu", "|n|db@phunu", "|mk|"} {
			got = x.press(x.tgA, lcAdmin, v+data)
			mustNot(t, "Lai Châu's admin inviting", data, got, dbSecrets)
			if strings.Contains(got, "Mã mời:") {
				t.Errorf("%s %s: got %q, want no invite made", role, data, got)
			}
			if nv := versionIn(t, got); nv != "" {
				v = nv
			}
		}
	}
}

// versionIn returns the state version the newest keyboard in got carries ("" when none).
func versionIn(tb testing.TB, got string) string {
	tb.Helper()
	v := ""
	for _, line := range strings.Split(got, "\n") {
		if _, data, ok := strings.Cut(line, "] "); ok && strings.HasPrefix(line, "[") {
			if n, _, ok := strings.Cut(data, "|"); ok && n != "*" {
				v = n
			}
		}
	}
	return v
}

// mustDocx: the written report's draft, which files render for leaders, holds nothing of Điện
// Biên for Lai Châu's admin, and a draft named for Điện Biên is refused.
func (x *tenantsE2E) mustDocx() {
	t := x.t
	admin := flows.Person{ID: tg(lcAdmin), AdminOf: []string{"lc"}}
	f, err := x.disp.Files.File(t.Context(), admin, flows.Attachment{Kind: flows.DocFile, Period: "2026-Q1"}, flows.VI)
	if err != nil {
		t.Fatalf("docx: %v", err)
	}
	doc := filetest.MustReadDOCX(t, f.Data)
	mustNot(t, "Lai Châu's admin", "the report draft", strings.Join(doc.Lines, "\n"), dbSecrets)
	if !strings.Contains(strings.Join(doc.Lines, "\n"), "1.234") {
		t.Errorf("docx: got %q, want Lai Châu's figures", doc.Lines)
	}
	for _, node := range []string{"db", "db-mt", "db-mt-phunu"} {
		_, err := x.disp.Files.File(t.Context(), admin, flows.Attachment{Kind: flows.DocFile, Period: "2026-Q1", Node: node}, flows.VI)
		if !errors.Is(err, files.ErrOutOfScope) {
			t.Errorf("docx of %s: got %v, want ErrOutOfScope", node, err)
		}
	}
}

// TestTenantBotRouting: each bot answers its own chats, and a reminder leaves through the bot
// the person talks to: Điện Biên's organiser, who also wrote to the deployment's bot as a
// stranger, is reminded through Điện Biên's bot only; Lai Châu's through the deployment's. An
// admin's /remind reaches their own province only. Strangers are told of their bot's office,
// and Điện Biên's admin's invite links open Điện Biên's bot.
func TestTenantBotRouting(t *testing.T) {
	x := newTenantsE2E(t)
	if got := x.say(x.tgA, dbOrg, "/start"); !strings.Contains(got, "Lai Châu") {
		t.Errorf("the deployment's bot to a stranger: got %q, want Lai Châu's office", got)
	}
	if got := x.say(x.tgB, stranger, "/start"); !strings.Contains(got, "Điện Biên") {
		t.Errorf("Điện Biên's bot to a stranger: got %q, want its office", got)
	}
	got := x.say(x.tgB, dbAdmin, "/invite")
	got = x.press(x.tgB, dbAdmin, versionIn(t, got)+"|role|leader")
	got = x.press(x.tgB, dbAdmin, versionIn(t, got)+"|n|db")
	if got = x.press(x.tgB, dbAdmin, versionIn(t, got)+"|mk|"); !strings.Contains(got, "https://t.me/"+faketg.BotName+"_2?start=") {
		t.Errorf("Điện Biên's invite: got %q, want a link to Điện Biên's bot", got)
	}

	// An admin's /remind: Lai Châu's reaches Lai Châu's organiser only.
	x.say(x.tgA, lcAdmin, "/remind 2026-Q1")
	x.press(x.tgA, lcAdmin, "*|rn|2026-Q1")
	x.disp.Wait(time.Minute, nil)
	x.mustReminded(x.tgA, lcOrg, 1)
	x.mustReminded(x.tgA, dbOrg, 0)
	x.mustReminded(x.tgB, dbOrg, 0)

	// The ladder's step two days before the due day reaches each through its own bot.
	x.clock.Set(time.Date(2026, 3, 13, 10, 0, 0, 0, x.clock.Now().Location()))
	if err := x.sched.Tick(t.Context(), x.clock.Now()); err != nil {
		t.Fatalf("Tick: %v", err)
	}
	x.mustReminded(x.tgB, dbOrg, 1)
	x.mustReminded(x.tgA, dbOrg, 0)
	x.mustReminded(x.tgA, lcOrg, 2)
	x.mustReminded(x.tgB, lcOrg, 0)
}

// mustReminded checks how many reminders fake's bot sent to chat.
func (x *tenantsE2E) mustReminded(fake *faketg.Server, chat int64, want int) {
	x.t.Helper()
	n := 0
	for _, r := range fake.Requests("sendMessage") {
		if r.ChatID() == chat && strings.Contains(r.Params["text"], "Nhắc báo cáo kỳ Quý I năm 2026") {
			n++
		}
	}
	if n != want {
		x.t.Errorf("reminders to %d through %s: got %d, want %d", chat, fake.Username, n, want)
	}
}
