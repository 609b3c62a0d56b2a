package redistest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Server is a redis-server of the test's own on a free port of 127.0.0.1, started with the
// settings the test asks for (an eviction policy, no persistence, a renamed command), which the
// shared Redis must never be given. It is killed when the test ends.
type Server struct {
	// Addr is where the server listens, host:port.
	Addr string
	argv []string
	cmd  *exec.Cmd
}

// StartServer starts a redis-server with args added to its command line (for example
// "--maxmemory-policy", "allkeys-lru") and returns once it accepts connections. Its working
// directory is a temporary one of the test's. Without redis-server the test is skipped, or fails
// when Required.
func StartServer(tb testing.TB, args ...string) *Server {
	tb.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if Required() {
			tb.Fatalf("redis-server not found: %v", err)
		}
		tb.Skipf("redis-server not found: %v", err)
	}
	port := freePort(tb)
	base := []string{"--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--dir", tb.TempDir(), "--daemonize", "no"}
	s := &Server{Addr: "127.0.0.1:" + port, argv: append([]string{bin}, append(base, args...)...)}
	tb.Cleanup(s.stop)
	s.start(tb)
	return s
}

// start runs the server's command and waits until it accepts connections.
func (s *Server) start(tb testing.TB) {
	tb.Helper()
	s.cmd = exec.Command(s.argv[0], s.argv[1:]...)
	out, err := s.cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		tb.Fatalf("start redis-server: %v", err)
	}
	if !waitReady(out) {
		tb.Fatalf("redis-server %v did not become ready", s.argv[1:])
	}
}

// Stop kills the server: an outage. Its data, kept nowhere, is gone.
func (s *Server) Stop() { s.stop() }

// Restart starts the server again on the same port, with the same settings and no data, and
// returns once it accepts connections: the end of an outage.
func (s *Server) Restart(tb testing.TB) {
	tb.Helper()
	s.stop()
	s.start(tb)
}

func freePort(tb testing.TB) string {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}

// waitReady reads the server's log until it says it is ready (true), or ends (false), or 10 s
// pass; the rest of the log is drained so the server never blocks on it.
func waitReady(out io.Reader) bool {
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
		return ok
	case <-time.After(10 * time.Second):
		return false
	}
}

func (s *Server) stop() {
	if s.cmd == nil || s.cmd.Process == nil || s.cmd.ProcessState != nil {
		return // never started, or stopped already
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
}

// StartCluster starts n redis-servers in cluster mode, gives them the 16384 slots in equal ranges
// and waits until the cluster reports ok. It returns their addresses (all masters).
func StartCluster(tb testing.TB, n int) []string {
	tb.Helper()
	nodes := make([]*Server, n)
	addrs := make([]string, n)
	for i := range nodes {
		nodes[i] = StartServer(tb, "--cluster-enabled", "yes", "--cluster-node-timeout", "2000")
		addrs[i] = nodes[i].Addr
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	clients := make([]*redis.Client, n)
	for i, a := range addrs {
		clients[i] = redis.NewClient(&redis.Options{Addr: a})
		defer clients[i].Close()
	}
	for i, c := range clients {
		lo, hi := i*16384/n, (i+1)*16384/n-1
		if err := c.Do(ctx, "cluster", "addslotsrange", lo, hi).Err(); err != nil {
			tb.Fatalf("cluster addslotsrange on %s: %v", addrs[i], err)
		}
		host, port, _ := net.SplitHostPort(addrs[0])
		if err := c.ClusterMeet(ctx, host, port).Err(); err != nil {
			tb.Fatalf("cluster meet from %s: %v", addrs[i], err)
		}
	}
	for _, c := range clients {
		if err := waitClusterOK(ctx, c, n); err != nil {
			tb.Fatal(err)
		}
	}
	return addrs
}

// waitClusterOK polls CLUSTER INFO until the node sees n known nodes and state ok.
func waitClusterOK(ctx context.Context, c *redis.Client, n int) error {
	want := []string{"cluster_state:ok", "cluster_known_nodes:" + strconv.Itoa(n)}
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		info, err := c.ClusterInfo(ctx).Result()
		if err == nil && strings.Contains(info, want[0]) && strings.Contains(info, want[1]) {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("cluster at %s not ok: %v %q", c.Options().Addr, err, info)
		case <-tick.C:
		}
	}
}
