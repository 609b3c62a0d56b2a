package zalo

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"danvan/bot"
	"danvan/flows"
	"danvan/internal/fakezalo"
	"danvan/internal/redistest"
	"danvan/internal/testkit"
	"danvan/storage"
)

// replica is one of several stateless replicas behind a load balancer: a Redis client, a
// dispatcher and a Zalo transport in webhook mode of its own, and its own HTTP server with the
// webhook and the file server, as main wires them; only Redis is shared, the webhook's inbox
// with the rest, so an update posted to one replica may be handled by another.
type replica struct {
	d     *bot.Dispatcher
	z     *Transport
	store *storage.Store
	srv   *httptest.Server
}

const replicaSecret = "zalo-replica-secret"

// replicas is a load balancer's view: the test says which replica gets each message. Their
// handlers share sync marks, as any replica may handle a mark.
type replicas struct {
	t      *testing.T
	fake   *fakezalo.Server
	prefix string
	clock  *testkit.Clock
	sync   *testkit.SyncHandler
	seq    int
}

func newReplicas(t *testing.T) *replicas {
	return &replicas{t: t, fake: fakezalo.New(t), prefix: testkit.MustPrefix(t), clock: testkit.NewClock(t),
		sync: testkit.NewSyncHandler(nil)}
}

// start makes a replica and runs it, as a started process.
func (x *replicas) start() *replica {
	x.t.Helper()
	r := x.replica()
	testkit.MustRun(x.t, r.z.Run)
	return r
}

// replica makes a replica that is not running: its webhook acknowledges updates into the
// inbox, and nothing handles them, as in a process that dies right after its 200s.
func (x *replicas) replica() *replica {
	t := x.t
	t.Helper()
	store := testkit.StoreAt(t, redistest.Addr(), x.prefix)
	r := &replica{d: testkit.MustDispatcher(t, store, x.clock), store: store}
	files := &Files{Base: "https://bot.example.org", Store: store}
	cfg := fakeConfig(x.fake)
	cfg.Files, cfg.Menus, cfg.Inbox, cfg.Counter, cfg.Now = files, store, store, store, x.clock.Now
	cfg.WebhookURL, cfg.WebhookSecret = "https://bot.example.org/zalo", replicaSecret
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	z, err := New(context.Background(), cfg, x.sync.Also(r.d))
	if err != nil {
		t.Fatal(err)
	}
	z.wait = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	z.drainEvery = 5 * time.Millisecond // how soon it finds what another replica left
	r.z = z
	mux := http.NewServeMux()
	mux.Handle("POST /zalo", z.WebhookHandler())
	mux.Handle("GET "+FilesPath, files.Handler())
	r.srv = httptest.NewServer(mux)
	t.Cleanup(r.srv.Close)
	return r
}

// post posts text from user to replica r's webhook, which acknowledges it at once.
func (x *replicas) post(r *replica, user, text string) {
	x.t.Helper()
	x.seq++
	u := map[string]any{"ok": true, "result": fakezalo.Event("message.text.received", fmt.Sprintf("r%d", x.seq), user, text)}
	testkit.MustPost(x.t, r.srv.URL+"/zalo", secretHeader, replicaSecret, u, http.StatusOK)
}

// say posts text from user to replica r's webhook and returns what the bot sent back, once the
// chat's updates are all handled (by whichever replica).
func (x *replicas) say(r *replica, user, text string) string {
	x.t.Helper()
	before := len(x.fake.Sent(user))
	x.post(r, user, text)
	x.sync.Barrier(x.t, func(mark string) { x.post(r, user, mark) })
	return fakezalo.Texts(x.fake.Sent(user)[before:])
}

// A menu shown by one replica is chosen by number, or by letter on a question, through another.
func TestZaloReplicasShareMenus(t *testing.T) {
	x := newReplicas(t)
	a, b := x.start(), x.start()
	x.fake.WaitFor(t, "both webhooks set", testkit.Wait, func() bool { return len(x.fake.Calls("setWebhook")) == 2 })
	code := testkit.MustInvite(t, a.d, &x.seq, "Phường Tân Phong", "Hội LHPN · Phường Tân Phong")
	testkit.MustContain(t, x.say(a, "z2001", "/start "+code), "Chào mừng")
	said := x.say(a, "z2001", "/report")
	said = x.say(b, "z2001", mustOption(t, said, "Đổi")) // a letter, on a question
	said = x.say(a, "z2001", mustOption(t, said, "hội viên"))
	testkit.MustContain(t, said, "(1/4)")
	said = x.say(a, "z2001", "1.250")
	testkit.MustContain(t, said, "(2/4)")
	testkit.MustContain(t, x.say(b, "z2001", mustOption(t, said, "Quay lại")), "(1/4)")
}

// A file URL one replica hands out is served by another's file server until it expires.
func TestZaloReplicasShareFiles(t *testing.T) {
	x := newReplicas(t)
	fake := x.fake
	a, b := x.start(), x.start()
	chart := flows.File{Name: "chart.png", Kind: flows.Photo, MIME: "image/png", Data: []byte("PNG")}
	sheet := flows.File{Name: "so-lieu.xlsx", Kind: flows.Document, MIME: "application/vnd.ms-excel", Data: []byte("XLSX")}
	for _, r := range []flows.Reply{{Text: "Chỉ tiêu 1.5", File: &chart}, {Text: "Số liệu", File: &sheet}} {
		if err := a.z.Send(t.Context(), "zalo:u1", r); err != nil {
			t.Fatal(err)
		}
	}
	photo := fake.Calls("sendPhoto")[0].Params["photo"]
	link := linkIn(fake.Calls("sendMessage")[0].Params["text"])
	tests := []struct {
		name, url string
		want      int
		body      string
	}{
		{"chart", photo, http.StatusOK, "PNG"},
		{"sheet", link, http.StatusOK, "XLSX"},
		{"guessed", "https://bot.example.org/files/guessed/chart.png", http.StatusNotFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mustFetch(t, b.srv.URL+strings.TrimPrefix(tt.url, "https://bot.example.org"), tt.want, tt.body)
		})
	}
}

// mustFetch GETs url and checks the status and, when given, the body.
func mustFetch(tb testing.TB, url string, want int, body string) {
	tb.Helper()
	res, err := http.Get(url)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	got, _ := io.ReadAll(res.Body)
	if res.StatusCode != want || (body != "" && string(got) != body) {
		tb.Errorf("GET %s: got %d %q, want %d %q", url, res.StatusCode, got, want, body)
	}
}

// With the shared store down, a chart goes as its text and the reply still goes, without the
// choices it could not keep; a file URL is answered 503, not 404 (the file may well exist), and
// the log line does not hold the URL's token, with which anyone could fetch the file.
func TestZaloStoreDown(t *testing.T) {
	store := testkit.DownStore(t)
	fake := fakezalo.New(t)
	var log bytes.Buffer
	files := &Files{Base: "https://bot.example.org", Store: store, Logger: slog.New(slog.NewTextHandler(&log, nil))}
	cfg := fakeConfig(fake)
	cfg.Files, cfg.Menus = files, store
	cfg.Logger = files.Logger
	z := newTransport(cfg, testkit.HandlerFunc(nil))
	chart := flows.File{Name: "chart.png", Kind: flows.Photo, MIME: "image/png", Data: []byte("PNG"), Text: "Phường Tân Phong: 88%"}
	r := flows.Reply{Text: "Chỉ tiêu 1.5", File: &chart, Buttons: [][]flows.Button{{{Label: "Xem bảng", Data: "1|sheet|"}}}}
	if err := z.Send(t.Context(), "zalo:u1", r); err != nil {
		t.Fatalf("Send: got %v, want nil", err)
	}
	sent := fake.Sent("u1")
	if len(sent) != 1 || sent[0].Method != "sendMessage" {
		t.Fatalf("sent: got %v, want one sendMessage", sent)
	}
	if got, want := sent[0].Params["text"], "Chỉ tiêu 1.5\n\n📝 Biểu đồ được gửi dưới dạng chữ ("+noKeepNote+"):\nPhường Tân Phong: 88%"; got != want {
		t.Errorf("sent: got %q, want %q", got, want)
	}
	const token = "Zq3xY8tokenOfALeadersExport"
	rec := httptest.NewRecorder()
	files.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, FilesPath+token+"/chart.png", nil))
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("GET with the store down: got %d, want %d", rec.Code, http.StatusServiceUnavailable)
	}
	testkit.MustContain(t, log.String(), "file not served")
	if strings.Contains(log.String(), token) {
		t.Errorf("log: got %q, want it without the token", log.String())
	}
}
