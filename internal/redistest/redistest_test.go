package redistest

import (
	"fmt"
	"net"
	"strings"
	"sync/atomic"
	"testing"
)

// notRedis listens on a local port and hangs up on every connection, counting them: a Redis
// that is there but never answers.
func notRedis(t *testing.T) (string, *atomic.Int64) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	n := &atomic.Int64{}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			n.Add(1)
			_ = c.Close()
		}
	}()
	return l.Addr().String(), n
}

// TestUnreachableAskedOnce: without Redis, the tests of a binary ask it once, not once each
// with retries, and the summary counts them.
func TestUnreachableAskedOnce(t *testing.T) {
	addr, conns := notRedis(t)
	t.Setenv("DANVAN_REDIS_ADDR", addr)
	t.Setenv("DANVAN_REDIS_CLUSTER", "")
	t.Setenv("CI", "")
	t.Setenv("DANVAN_REQUIRE_REDIS", "")
	before := skipped.Load()
	const tests = 10
	for i := range tests {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			Prefix(t, "unreachable")
			t.Fatal("Prefix returned without Redis, want the test skipped")
		})
	}
	if got := conns.Load(); got != 1 {
		t.Errorf("connections to Redis: got %d, want 1 (one probe for all %d tests)", got, tests)
	}
	if got := skipped.Load() - before; got != tests {
		t.Errorf("skipped: got %d, want %d", got, tests)
	}
	want := fmt.Sprintf("redis at %s unreachable (", addr)
	if got := Summary(); !strings.Contains(got, want) || !strings.Contains(got, fmt.Sprintf(": %d tests skipped (set DANVAN_REQUIRE_REDIS=1", tests)) {
		t.Errorf("summary: got %q, want it to name %s and count %d tests", got, addr, tests)
	}
}

// TestOptionsFollowTheRun: the shared Redis is a cluster client in a cluster run, and any other
// address (a test's own server) is always one server.
func TestOptionsFollowTheRun(t *testing.T) {
	t.Setenv("DANVAN_REDIS_CLUSTER", "127.0.0.1:7001, 127.0.0.1:7002,127.0.0.1:7003")
	if got := Addr(); got != "127.0.0.1:7001" {
		t.Errorf("Addr: got %s, want the first seed", got)
	}
	if o := Options(Addr()); !o.IsClusterMode || len(o.Addrs) != 3 {
		t.Errorf("Options(Addr()): got cluster %t on %v, want a cluster client on the 3 seeds", o.IsClusterMode, o.Addrs)
	}
	if o := Options("127.0.0.1:6390"); o.IsClusterMode || len(o.Addrs) != 1 {
		t.Errorf("Options of another server: got cluster %t on %v, want one server", o.IsClusterMode, o.Addrs)
	}
	t.Setenv("DANVAN_REDIS_CLUSTER", "")
	t.Setenv("DANVAN_REDIS_ADDR", "127.0.0.1:6390")
	if got, o := Addr(), Options(Addr()); got != "127.0.0.1:6390" || o.IsClusterMode {
		t.Errorf("single run: got %s (cluster %t), want 127.0.0.1:6390, one server", got, o.IsClusterMode)
	}
}
