package main

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"danvan/bot/transport"
)

// failsafe bounds the server tests' waits; nothing waits this long when all is well.
const failsafe = 5 * time.Second

// testLimits are small enough for a test to see each bound act.
var testLimits = httpLimits{
	ReadHeader: 200 * time.Millisecond, Read: 300 * time.Millisecond, Write: 3 * time.Second,
	Idle: 200 * time.Millisecond, MaxHeader: 4 << 10, MaxBody: 1 << 10,
}

// mustServe serves h within l on a listener of its own on 127.0.0.1 and returns its address.
func mustServe(t *testing.T, h http.Handler, l httpLimits) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := newServer("", h, l)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().String()
}

// mustDial opens a connection whose reads give up after failsafe.
func mustDial(t *testing.T, addr string) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if err := conn.SetReadDeadline(time.Now().Add(failsafe)); err != nil {
		t.Fatal(err)
	}
	return conn
}

// mustClosedByServer reads from conn until the server closes it; a read that times out (the
// failsafe) means the server kept the connection.
func mustClosedByServer(t *testing.T, conn net.Conn, r *bufio.Reader, what string) {
	t.Helper()
	_, err := r.ReadByte()
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("%s: still open after %v, want it closed by the server", what, failsafe)
	}
	if err == nil {
		t.Fatalf("%s: got more bytes, want the connection closed", what)
	}
}

// An idle kept-alive connection, and one that never sends a request, are closed by the server
// after their timeouts.
func TestServerClosesIdleConnections(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok") })
	addr := mustServe(t, ok, testLimits)

	idle := mustDial(t, addr)
	if _, err := io.WriteString(idle, "GET /healthz HTTP/1.1\r\nHost: bot\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(idle)
	res, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(io.Discard, res.Body); err != nil || res.StatusCode != http.StatusOK || res.Close {
		t.Fatalf("first request: got %d (close %t, %v), want 200 on a kept-alive connection", res.StatusCode, res.Close, err)
	}
	mustClosedByServer(t, idle, r, "idle kept-alive connection")

	silent := mustDial(t, addr)
	mustClosedByServer(t, silent, bufio.NewReader(silent), "connection that never sends a request")
}

// A request handled for longer than the read and idle timeouts (a webhook that answers once its
// update is handled) still gets its answer.
func TestServerLongHandlingFits(t *testing.T) {
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.ReadAll(r.Body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		<-time.After(3 * testLimits.Read) // the handling, not a wait for the test
		io.WriteString(w, "handled")
	})
	addr := mustServe(t, slow, testLimits)
	res, err := http.Post("http://"+addr+"/telegram", "application/json", strings.NewReader(`{"update_id":1}`))
	if err != nil {
		t.Fatalf("POST: got %v, want the answer after the handling", err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil || string(body) != "handled" {
		t.Fatalf("POST: got %q, %v; want %q", body, err, "handled")
	}
}

// Headers and bodies beyond their limits are refused, whatever the handler.
func TestServerRefusesOversizedRequests(t *testing.T) {
	read := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, err := io.ReadAll(r.Body)
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "too big", http.StatusRequestEntityTooLarge)
			return
		}
		io.WriteString(w, "ok")
	})
	addr := mustServe(t, read, testLimits)
	tests := []struct {
		name   string
		header string
		body   string
		want   int
	}{
		{"small", "", "{}", http.StatusOK},
		{"body over the limit", "", strings.Repeat("x", int(testLimits.MaxBody)+1), http.StatusRequestEntityTooLarge},
		{"headers over the limit", strings.Repeat("a", 2*testLimits.MaxHeader), "{}", http.StatusRequestHeaderFieldsTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, "http://"+addr+"/zalo", strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if tt.header != "" {
				req.Header.Set("X-Padding", tt.header)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != tt.want {
				t.Errorf("got %d, want %d", res.StatusCode, tt.want)
			}
		})
	}
}

// The bot's own limits: every timeout set, and a webhook's handling fits in the write timeout.
func TestServerLimits(t *testing.T) {
	l := serverLimits
	if l.ReadHeader <= 0 || l.Read <= 0 || l.Idle <= 0 || l.MaxHeader <= 0 || l.MaxBody <= 0 {
		t.Errorf("limits: got %+v, want every one set", l)
	}
	if l.Write <= transport.MaxHandling {
		t.Errorf("write timeout: got %v, want more than the handling bound %v", l.Write, transport.MaxHandling)
	}
}
