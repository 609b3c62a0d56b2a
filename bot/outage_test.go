package bot_test

import (
	"bufio"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"danvan/internal/redistest"
	"danvan/internal/testkit"
	"danvan/storage"
)

// ownRedis is a redis-server of the test's own on a free port, so an outage can be staged
// without touching the machine's shared Redis. It keeps its data in an append-only file, so a
// restart brings the same data back.
type ownRedis struct {
	tb   testing.TB
	bin  string
	dir  string
	port string
	cmd  *exec.Cmd
}

func mustOwnRedis(tb testing.TB) *ownRedis {
	tb.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if redistest.Required() {
			tb.Fatalf("redis-server not found: %v", err)
		}
		tb.Skipf("redis-server not found: %v", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	l.Close()
	r := &ownRedis{tb: tb, bin: bin, dir: tb.TempDir(), port: port}
	r.start()
	tb.Cleanup(r.stop)
	return r
}

func (r *ownRedis) addr() string { return "127.0.0.1:" + r.port }

// start runs the server and returns once it logs that it is ready.
func (r *ownRedis) start() {
	r.tb.Helper()
	r.cmd = exec.Command(r.bin, "--port", r.port, "--bind", "127.0.0.1", "--save", "",
		"--appendonly", "yes", "--appendfsync", "always", "--dir", r.dir, "--daemonize", "no")
	out, err := r.cmd.StdoutPipe()
	if err != nil {
		r.tb.Fatal(err)
	}
	if err := r.cmd.Start(); err != nil {
		r.tb.Fatal(err)
	}
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(out)
		sent := false
		for sc.Scan() {
			if !sent && strings.Contains(sc.Text(), "Ready to accept connections") {
				ready <- true
				sent = true
			}
		}
		if !sent {
			ready <- false
		}
	}()
	select {
	case ok := <-ready:
		if !ok {
			r.tb.Fatal("redis-server exited before it was ready")
		}
	case <-time.After(10 * time.Second):
		r.tb.Fatal("redis-server not ready after 10s")
	}
}

func (r *ownRedis) stop() {
	if r.cmd != nil && r.cmd.Process != nil {
		_ = r.cmd.Process.Kill()
		_ = r.cmd.Wait()
		r.cmd = nil
	}
}

// TestDispatcherSurvivesRedisOutage stages an outage mid-form: the organiser is told the
// system is busy, nothing already typed is lost, and once Redis is back the same chat goes on
// without any restart of the bot.
func TestDispatcherSurvivesRedisOutage(t *testing.T) {
	rs := mustOwnRedis(t)
	store := storage.New(redis.NewClient(&redis.Options{Addr: rs.addr(), DialTimeout: time.Second}), "outage:")
	t.Cleanup(func() { store.Close() })
	d := testkit.MustDispatcher(t, store, testkit.NewClock(t))
	seq := 0
	lan := testkit.MustLanAtForm(t, d, &seq)
	lan.Text("1250")
	lan.MustSay("(2/4)")

	rs.stop()
	lan.Text("1100")
	if got, want := lan.Said(), "Hệ thống đang bận, vui lòng thử lại sau ít phút."; got != want {
		t.Fatalf("during the outage: got %q, want %q", got, want)
	}

	rs.start()
	lan.Text("1100")
	lan.MustSay("(3/4)")
	if got := testkit.MustDraft(t, store, testkit.Lan); got == nil || got.Answers["eligible"] != 1250 || got.Answers["members"] != 1100 || got.Version != 2 {
		t.Fatalf("got draft %+v, want eligible 1250, members 1100 at version 2", got)
	}
}
