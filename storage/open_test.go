package storage

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"danvan/flows"
	"danvan/internal/redistest"
)

func TestOpenErrors(t *testing.T) {
	down := closedAddr(t)
	tests := []struct {
		name string
		opts redis.UniversalOptions
		want string // in the error
	}{
		{"nothing listening", redis.UniversalOptions{Addrs: []string{down}}, "redis at " + down + " is unreachable"},
		{"password kept secret", redis.UniversalOptions{Addrs: []string{down}, Password: "s3cret"}, "unreachable"},
		{"cluster seeds down", redis.UniversalOptions{Addrs: []string{down, down}}, "unreachable"},
		{"no address", redis.UniversalOptions{}, "no address"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.MaxRetries, tc.opts.DialerRetries, tc.opts.DialTimeout = -1, 1, time.Second
			s, err := Open(t.Context(), ModeAuto, tc.opts, "test:")
			if err == nil {
				s.Close()
				t.Fatalf("got nil, want an error containing %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "s3cret") {
				t.Errorf("got %q, want it to contain %q and no password", err, tc.want)
			}
		})
	}
}

// TestOpenModes: one address is enough to reach either deployment (a managed Cluster hands out
// one endpoint), and a mode the server disagrees with fails at Open, not at the first write that
// lands on another node. The shared Redis is a single server, or a Cluster in a cluster run.
func TestOpenModes(t *testing.T) {
	redistest.Need(t)
	addr, is := redistest.Addr(), ModeSingle
	if redistest.Cluster() {
		is = ModeCluster
	}
	tests := []struct {
		name string
		mode Mode
		opts redis.UniversalOptions
		want error // nil: Open works and the store writes keys of many slots
	}{
		{"auto, one address", ModeAuto, redis.UniversalOptions{Addrs: []string{addr}}, nil},
		{"the right mode", is, redis.UniversalOptions{Addrs: []string{addr}}, nil},
		{"single on a cluster, cluster on a single server", other(is), redis.UniversalOptions{Addrs: []string{addr}},
			&ModeError{Want: other(is), Got: is, Addr: addr}},
		{"sentinel", ModeSentinel, redis.UniversalOptions{Addrs: []string{addr}, MasterName: "m"},
			&ModeError{Want: ModeSentinel, Got: is, Addr: addr}},
		{"auto, a master name", ModeAuto, redis.UniversalOptions{Addrs: []string{addr}, MasterName: "m"},
			&ModeError{Want: ModeSentinel, Got: is, Addr: addr}},
	}
	if is == ModeSingle {
		tests = append(tests, struct {
			name string
			mode Mode
			opts redis.UniversalOptions
			want error
		}{"auto, two addresses of a single server", ModeAuto, redis.UniversalOptions{Addrs: []string{addr, addr}},
			&ModeError{Want: ModeCluster, Got: ModeSingle, Addr: addr}})
	} else {
		tests = append(tests, struct {
			name string
			mode Mode
			opts redis.UniversalOptions
			want error
		}{"database 1 on a cluster", ModeAuto, redis.UniversalOptions{Addrs: []string{addr}, DB: 1}, ErrClusterDB})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Open(t.Context(), tt.mode, tt.opts, redistest.Prefix(t, "open"))
			if tt.want != nil {
				mustOpenError(t, s, err, tt.want)
				return
			}
			if err != nil {
				t.Fatalf("Open: got %v, want nil", err)
			}
			defer s.Close()
			if s.cluster != (is == ModeCluster) {
				t.Errorf("cluster: got %t, want %t", s.cluster, is == ModeCluster)
			}
			mustSessions(t, s)
		})
	}
}

func other(m Mode) Mode {
	if m == ModeCluster {
		return ModeSingle
	}
	return ModeCluster
}

// mustOpenError checks Open failed with want (a *ModeError equal to want, or an error that is
// want).
func mustOpenError(t *testing.T, s *Store, err error, want error) {
	t.Helper()
	if err == nil {
		s.Close()
		t.Fatalf("Open: got a store, want %v", want)
	}
	var got, wantMode *ModeError
	if errors.As(want, &wantMode) {
		if !errors.As(err, &got) || *got != *wantMode {
			t.Fatalf("Open: got %v, want %v", err, want)
		}
		return
	}
	if !errors.Is(err, want) {
		t.Fatalf("Open: got %v, want %v", err, want)
	}
}

// mustSessions saves and reads back the sessions of a few chats, whose keys sit on different
// Cluster slots: a single-node client on a Cluster fails here with MOVED.
func mustSessions(t *testing.T, s *Store) {
	t.Helper()
	ctx := t.Context()
	for i := range 8 {
		chat := fmt.Sprintf("tg:%d", i)
		st := flows.State{Version: 1, Screen: flows.Asking}
		if err := s.SaveSession(ctx, chat, st, 0); err != nil {
			t.Fatalf("SaveSession %s: %v", chat, err)
		}
		if got, err := s.Session(ctx, chat); err != nil || got.Version != 1 {
			t.Fatalf("Session %s: got %+v, %v, want version 1", chat, got, err)
		}
	}
}

// TestOpenSentinel: Sentinels are found with the master's name; without it Open says they are
// Sentinels. The test runs a master and a Sentinel of its own, never touching the shared Redis.
func TestOpenSentinel(t *testing.T) {
	redistest.Need(t) // redis-server is there when Redis is
	master, sentinel := closedAddr(t), closedAddr(t)
	mustServer(t, "Ready to accept connections", "--port", port(master), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", t.TempDir())
	dir := t.TempDir()
	conf := filepath.Join(dir, "sentinel.conf")
	text := fmt.Sprintf("port %s\nbind 127.0.0.1\ndir %s\nsentinel monitor m 127.0.0.1 %s 1\n", port(sentinel), dir, port(master))
	if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	mustServer(t, "+monitor master m", conf, "--sentinel")

	s, err := Open(t.Context(), ModeAuto, redis.UniversalOptions{Addrs: []string{sentinel}, MasterName: "m"}, "test:sentinel:")
	if err != nil {
		t.Fatalf("Open with the master's name: got %v, want nil", err)
	}
	mustSessions(t, s)
	s.Close()
	s, err = Open(t.Context(), ModeAuto, redis.UniversalOptions{Addrs: []string{sentinel}}, "test:sentinel:")
	mustOpenError(t, s, err, &ModeError{Want: ModeSingle, Got: ModeSentinel, Addr: sentinel})
}

func port(addr string) string { return strings.TrimPrefix(addr, "127.0.0.1:") }

// mustServer runs redis-server with args until the test ends, and returns once it logs ready.
func mustServer(t *testing.T, ready string, args ...string) {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatalf("redis-server not found: %v", err)
	}
	cmd := exec.Command(bin, args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	found := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(out)
		sent := false
		for sc.Scan() {
			if !sent && strings.Contains(sc.Text(), ready) {
				found <- true
				sent = true
			}
		}
		if !sent {
			found <- false
		}
	}()
	select {
	case ok := <-found:
		if !ok {
			t.Fatalf("redis-server %v exited before %q", args, ready)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("redis-server %v: no %q after 10s", args, ready)
	}
}
