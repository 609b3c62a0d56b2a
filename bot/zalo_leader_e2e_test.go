package bot

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
	"danvan/internal/redistest"
	"danvan/storage"
)

// zaloLeader is the whole bot on Zalo, wired as main wires it, with the test's sync marks.
type zaloLeader struct {
	t     *testing.T
	fake  *fakeZalo
	store *storage.Store
	sync  *syncHandler
	seq   int
}

func newZaloLeader(t *testing.T, files *ZaloFiles) *zaloLeader {
	t.Helper()
	x := &zaloLeader{t: t, fake: newFakeZalo(t), store: mustStore(t, redistest.Addr(), mustPrefix(t))}
	d := mustDispatcher(t, x.store, newClock(t))
	x.sync = newSyncHandler(d)
	cfg := x.fake.Config()
	cfg.Files = files
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	z, err := NewZalo(context.Background(), cfg, x.sync)
	if err != nil {
		t.Fatal(err)
	}
	z.wait = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	mustRouter(t, d).Register("zalo", z)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- z.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: got %v, want nil", err)
		}
	})
	return x
}

// push queues a text from Zalo user id.
func (x *zaloLeader) push(user, text string) {
	x.seq++
	x.fake.updates <- zaloEvent("message.text.received", "m"+strconv.Itoa(x.seq), user, text)
}

// say sends text from user and returns the bot's sends to them in answer, once all are sent.
func (x *zaloLeader) say(user, text string) []fakeZaloCall {
	x.t.Helper()
	before := len(x.fake.Sent(user))
	x.push(user, text)
	x.sync.barrier(x.t, func(mark string) { x.push(user, mark) })
	return x.fake.Sent(user)[before:]
}

// zaloText joins the texts and captions of calls.
func zaloText(calls []fakeZaloCall) string {
	var out []string
	for _, c := range calls {
		out = append(out, c.Params["text"]+c.Params["caption"])
	}
	return strings.Join(out, "\n")
}

// pick chooses, by its number, the option whose label contains label in the bot's last answer.
func (x *zaloLeader) pick(user string, last []fakeZaloCall, label string) []fakeZaloCall {
	x.t.Helper()
	return x.say(user, mustOption(x.t, zaloText(last), label))
}

// mustLink links Zalo user id to a new person.
func (x *zaloLeader) mustLink(user, name string, units, scopes []string) {
	x.t.Helper()
	id := zaloIdentPrefix + user
	if err := x.store.Link(context.Background(), id, flows.Person{ID: id, Name: name, Units: units, Scopes: scopes}); err != nil {
		x.t.Fatal(err)
	}
}

// submit has the organiser user send the Membership form over Zalo, choosing by number.
func (x *zaloLeader) submit(user string, m membership) {
	x.t.Helper()
	menu := x.say(user, "/report")
	mustHave(x.t, zaloText(x.pick(user, menu, "hội viên")), "(1/4)")
	for _, v := range []int64{m.eligible, m.members, m.newMembers} {
		x.say(user, strconv.FormatInt(v, 10))
	}
	summary := x.say(user, strconv.FormatInt(m.active, 10))
	mustHave(x.t, zaloText(x.pick(user, summary, "Gửi")), "Số tham chiếu")
}

// seed has two organisers of Tân Phong report over Zalo and links a city leader there.
func (x *zaloLeader) seed() {
	x.t.Helper()
	x.mustLink("z2001", "Lò Thị Lan", []string{"tanphong-phunu"}, nil)
	x.mustLink("z2002", "Vàng A Hùng", []string{"tanphong-doan"}, nil)
	x.mustLink("z3001", "Chủ tịch", nil, []string{"laichau"})
	x.submit("z2001", lanForm)
	x.submit("z2002", hungForm)
}

// TestZaloLeaderFigures: a leader linked on Zalo reads the figures, drills down by typing an
// option's number, and gets the text with the totals Redis keeps.
func TestZaloLeaderFigures(t *testing.T) {
	x := newZaloLeader(t, nil)
	x.seed()
	all := mustTally(t, x.store, "laichau", flows.AllOrgs, tallyOf(0, 0, lanForm, hungForm))
	fig := x.say("z3001", "/figures")
	got := zaloText(fig)
	mustHave(t, got, "Số liệu Quý I năm 2026 · Thành phố Lai Châu")
	mustHave(t, got, doneLine(all, 41)+" (4,9%) · đúng hạn 2 · trễ 0 · chưa nộp 39")
	mustHave(t, got, rateLine(all))
	if strings.Contains(got, "callback") || strings.Contains(got, "*|") {
		t.Errorf("figures on Zalo: got %q, want no button data shown", got)
	}
	wards := x.pick("z3001", fig, "Theo phường")
	mustHave(t, zaloText(wards), "Phường Tân Phong · ")
	ward := zaloText(x.pick("z3001", wards, "Phường Tân Phong"))
	tp := mustTally(t, x.store, "tanphong", flows.AllOrgs, tallyOf(0, 0, lanForm, hungForm))
	mustHave(t, ward, "Số liệu Quý I năm 2026 · Phường Tân Phong")
	mustHave(t, ward, doneLine(tp, 5)+" (40%)")
	mustHave(t, ward, rateLine(tp))
	for _, c := range x.fake.Calls("") {
		if c.Method == "sendMessage" && len([]rune(c.Params["text"])) > zaloMaxMessage {
			t.Errorf("message of %d characters: got it sent, want at most %d", len([]rune(c.Params["text"])), zaloMaxMessage)
		}
	}
}

// TestZaloLeaderChart: with a file server configured a chart goes by sendPhoto with a URL that
// serves the PNG; without one the leader gets the chart's values as text, a line per ward.
func TestZaloLeaderChart(t *testing.T) {
	for _, served := range []bool{true, false} {
		t.Run(fmt.Sprintf("files=%v", served), func(t *testing.T) {
			var files *ZaloFiles
			if served {
				files = &ZaloFiles{}
				srv := httptest.NewServer(files.Handler())
				t.Cleanup(srv.Close)
				files.Base = srv.URL
			}
			x := newZaloLeader(t, files)
			x.seed()
			got := x.say("z3001", "/chart 1.5")
			mustHave(t, zaloText(got), "Chỉ tiêu 1.5")
			var photos []fakeZaloCall
			for _, c := range got {
				if c.Method == "sendPhoto" {
					photos = append(photos, c)
				}
			}
			if !served {
				if len(photos) != 0 {
					t.Fatalf("sendPhoto without a file server: got %d, want none", len(photos))
				}
				tp := mustTally(t, x.store, "tanphong", flows.AllOrgs, tallyOf(0, 0, lanForm, hungForm))
				rate := float64(tp.Sums["members"]) / float64(tp.Sums["eligible"])
				for _, want := range []string{"Phường Tân Phong: " + flows.FormatPercent(rate), "Phường Đoàn Kết: —", "Mục tiêu > 85%"} {
					mustHave(t, zaloText(got), want)
				}
				return
			}
			if len(photos) != 1 {
				t.Fatalf("sendPhoto: got %d calls (answer %q), want 1", len(photos), zaloText(got))
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
	mustPNG(tb, body)
}
