package zalo

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"danvan/flows"
	"danvan/internal/fakezalo"
	"danvan/internal/filetest"
	"danvan/internal/testkit"
	"danvan/storage"
)

// leader is the whole bot on Zalo, wired as main wires it, with the test's sync marks.
type leader struct {
	t     *testing.T
	fake  *fakezalo.Server
	store *storage.Store
	sync  *testkit.SyncHandler
	seq   int
}

func newLeader(t *testing.T, files *Files) *leader {
	t.Helper()
	x := &leader{t: t, fake: fakezalo.New(t)}
	store, d, _ := testkit.MustBot(t)
	x.store, x.sync = store, testkit.NewSyncHandler(d)
	cfg := fakeConfig(x.fake)
	cfg.Files = files
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	z, err := New(context.Background(), cfg, x.sync)
	if err != nil {
		t.Fatal(err)
	}
	z.wait = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	testkit.MustRouter(t, d).Register(z)
	testkit.MustRun(t, z.Run)
	return x
}

// push queues a text from Zalo user id.
func (x *leader) push(user, text string) {
	x.seq++
	x.fake.Push("message.text.received", "m"+strconv.Itoa(x.seq), user, text)
}

// say sends text from user and returns the bot's sends to them in answer, once all are sent.
func (x *leader) say(user, text string) []fakezalo.Call {
	x.t.Helper()
	before := len(x.fake.Sent(user))
	x.push(user, text)
	x.sync.Barrier(x.t, func(mark string) { x.push(user, mark) })
	return x.fake.Sent(user)[before:]
}

// pick chooses, by its number, the option whose label contains label in the bot's last answer.
func (x *leader) pick(user string, last []fakezalo.Call, label string) []fakezalo.Call {
	x.t.Helper()
	return x.say(user, mustOption(x.t, fakezalo.Texts(last), label))
}

// mustLink links Zalo user id to a new person.
func (x *leader) mustLink(user, name string, units, scopes []string) {
	x.t.Helper()
	id := Ident(user)
	testkit.MustLink(x.t, x.store, id, flows.Person{ID: id, Name: name, Units: units, Scopes: scopes})
}

// submit has the organiser user send the Membership form over Zalo, choosing by number.
func (x *leader) submit(user string, m testkit.Membership) {
	x.t.Helper()
	testkit.MustContain(x.t, fakezalo.Texts(x.say(user, "/report")), "(1/4)")
	for _, v := range m.Answers()[:3] {
		x.say(user, strconv.FormatInt(v, 10))
	}
	summary := x.say(user, strconv.FormatInt(m.Active, 10))
	testkit.MustContain(x.t, fakezalo.Texts(x.pick(user, summary, "Gửi")), "Số tham chiếu")
}

// seed has two organisers of Tân Phong report over Zalo and links a city leader there.
func (x *leader) seed() {
	x.t.Helper()
	x.mustLink("z2001", "Lò Thị Lan", []string{"tanphong-phunu"}, nil)
	x.mustLink("z2002", "Vàng A Hùng", []string{"tanphong-doan"}, nil)
	x.mustLink("z3001", "Chủ tịch", nil, []string{"laichau"})
	x.submit("z2001", testkit.LanForm)
	x.submit("z2002", testkit.HungForm)
}

// TestZaloLeaderFigures: a leader linked on Zalo reads the figures, drills down by typing an
// option's number, and gets the text with the totals Redis keeps.
func TestZaloLeaderFigures(t *testing.T) {
	x := newLeader(t, nil)
	x.seed()
	all := testkit.MustTally(t, x.store, "laichau", flows.AllOrgs, testkit.TallyOf(0, 0, testkit.LanForm, testkit.HungForm))
	fig := x.say("z3001", "/figures")
	got := fakezalo.Texts(fig)
	testkit.MustContain(t, got, "Số liệu Quý I năm 2026 · Thành phố Lai Châu")
	testkit.MustContain(t, got, testkit.DoneLine(all, 41)+" (4,9%) · đúng hạn 2 · trễ 0 · chưa nộp 39")
	testkit.MustContain(t, got, testkit.RateLine(all))
	if strings.Contains(got, "callback") || strings.Contains(got, "*|") {
		t.Errorf("figures on Zalo: got %q, want no button data shown", got)
	}
	wards := x.pick("z3001", fig, "Theo phường")
	testkit.MustContain(t, fakezalo.Texts(wards), "Phường Tân Phong · ")
	ward := fakezalo.Texts(x.pick("z3001", wards, "Phường Tân Phong"))
	tp := testkit.MustTally(t, x.store, "tanphong", flows.AllOrgs, testkit.TallyOf(0, 0, testkit.LanForm, testkit.HungForm))
	testkit.MustContain(t, ward, "Số liệu Quý I năm 2026 · Phường Tân Phong")
	testkit.MustContain(t, ward, testkit.DoneLine(tp, 5)+" (40%)")
	testkit.MustContain(t, ward, testkit.RateLine(tp))
	for _, c := range x.fake.Calls("") {
		if c.Method == "sendMessage" && len([]rune(c.Params["text"])) > maxMessage {
			t.Errorf("message of %d characters: got it sent, want at most %d", len([]rune(c.Params["text"])), maxMessage)
		}
	}
}

// TestZaloLeaderChart: with a file server configured a chart goes by sendPhoto with a URL that
// serves the PNG; without one the leader gets the chart's values as text, a line per ward.
func TestZaloLeaderChart(t *testing.T) {
	for _, served := range []bool{true, false} {
		t.Run(fmt.Sprintf("files=%v", served), func(t *testing.T) {
			var files *Files
			if served {
				files = &Files{}
				srv := httptest.NewServer(files.Handler())
				t.Cleanup(srv.Close)
				files.Base = srv.URL
			}
			x := newLeader(t, files)
			x.seed()
			got := x.say("z3001", "/chart 1.5")
			testkit.MustContain(t, fakezalo.Texts(got), "Chỉ tiêu 1.5")
			var photos []fakezalo.Call
			for _, c := range got {
				if c.Method == "sendPhoto" {
					photos = append(photos, c)
				}
			}
			if !served {
				if len(photos) != 0 {
					t.Fatalf("sendPhoto without a file server: got %d, want none", len(photos))
				}
				tp := testkit.MustTally(t, x.store, "tanphong", flows.AllOrgs, testkit.TallyOf(0, 0, testkit.LanForm, testkit.HungForm))
				rate := float64(tp.Sums["members"]) / float64(tp.Sums["eligible"])
				for _, want := range []string{"Phường Tân Phong: " + flows.FormatPercent(rate), "Phường Đoàn Kết: —", "Mục tiêu > 85%"} {
					testkit.MustContain(t, fakezalo.Texts(got), want)
				}
				return
			}
			if len(photos) != 1 {
				t.Fatalf("sendPhoto: got %d calls (answer %q), want 1", len(photos), fakezalo.Texts(got))
			}
			mustServePNG(t, photos[0].Params["photo"], files.Base)
		})
	}
}

// mustServePNG fetches url, which must be under base, and decodes the PNG it serves.
func mustServePNG(tb testing.TB, url, base string) {
	tb.Helper()
	if !strings.HasPrefix(url, base+FilesPath) {
		tb.Fatalf("photo URL: got %q, want one under %s", url, base+FilesPath)
	}
	res, err := http.Get(url)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatal(err)
	}
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/png" {
		tb.Fatalf("GET photo: got %d %q, want 200 image/png", res.StatusCode, res.Header.Get("Content-Type"))
	}
	filetest.MustPNG(tb, body)
}
