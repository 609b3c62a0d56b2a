// Package fakezalo is an httptest fake of the Zalo Bot API for tests: getMe, getUpdates from a
// queue the test fills (one update per call, 408 after a short wait when none),
// setWebhook/deleteWebhook (which exclude getUpdates, as on Zalo), and sendMessage and sendPhoto
// recorded; any call can be failed on demand.
//
// It knows the Zalo API only, not our transport, so any package's tests can use it. It never
// listens anywhere but 127.0.0.1.
package fakezalo

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Token is the token the fake expects; tests check it never reaches a log.
const Token = "zalo-FAKE:s3cr3t-token"

// Call is one call the fake received.
type Call struct {
	Method string
	Params map[string]string
	Failed bool
}

// failure is an injected error envelope for the next call of a method.
type failure struct {
	status int // HTTP status
	code   int // error_code of the envelope
	desc   string
}

// Server is the fake Zalo API. Safe for concurrent use.
type Server struct {
	URL string // the API base, for the transport's APIURL
	srv *httptest.Server

	updates chan map[string]any
	// idle is how long getUpdates waits for an update before its 408: the fake's own long-poll
	// timeout, kept short so a test's shutdown is quick.
	idle time.Duration

	mu       sync.Mutex
	calls    []Call
	fail     map[string][]failure
	webhook  string
	notify   chan struct{} // signalled on every recorded call
	timeouts int
}

// New starts a fake Zalo API, closed when the test ends.
func New(tb testing.TB) *Server {
	tb.Helper()
	f := &Server{updates: make(chan map[string]any, 100), idle: 20 * time.Millisecond,
		fail: map[string][]failure{}, notify: make(chan struct{}, 1)}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	tb.Cleanup(f.srv.Close)
	f.URL = f.srv.URL
	return f
}

// Fail makes the next call of method answer with an error envelope.
func (f *Server) Fail(method string, status, code int, desc string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail[method] = append(f.fail[method], failure{status, code, desc})
}

// Push queues a text message (or another event) from user id for getUpdates.
func (f *Server) Push(event, msgID, user, text string) {
	f.Deliver(Event(event, msgID, user, text))
}

// Deliver queues update u, as Event writes them, for getUpdates.
func (f *Server) Deliver(u map[string]any) { f.updates <- u }

// Event is the JSON of one update as Zalo sends it: event from user in their private chat.
func Event(event, msgID, user, text string) map[string]any {
	return map[string]any{
		"event_name": event,
		"message": map[string]any{
			"message_id": msgID, "date": 1773108000000, "text": text,
			"from": map[string]any{"id": user, "display_name": "Người " + user, "is_bot": false},
			"chat": map[string]any{"id": user, "chat_type": "PRIVATE"},
		},
	}
}

func (f *Server) serve(w http.ResponseWriter, r *http.Request) {
	method, ok := strings.CutPrefix(r.URL.Path, "/bot"+Token+"/")
	if !ok || r.Method != http.MethodPost {
		write(w, http.StatusUnauthorized, map[string]any{"ok": false, "error_code": 401, "description": "Unauthorized"})
		return
	}
	params := map[string]string{}
	var raw map[string]any
	_ = json.NewDecoder(r.Body).Decode(&raw)
	for k, v := range raw {
		if s, ok := v.(string); ok {
			params[k] = s
		}
	}
	if fl, ok := f.takeFailure(method); ok {
		f.record(Call{Method: method, Params: params, Failed: true})
		write(w, fl.status, map[string]any{"ok": false, "error_code": fl.code, "description": fl.desc})
		return
	}
	switch method {
	case "getUpdates":
		f.getUpdates(w, r, params)
		return
	case "setWebhook":
		f.setWebhook(params["url"])
	case "deleteWebhook":
		f.setWebhook("")
	}
	f.record(Call{Method: method, Params: params})
	result := any(true)
	if method == "getMe" {
		result = map[string]any{"id": "bot1", "account_name": "danvan_zalo_bot"}
	}
	write(w, http.StatusOK, map[string]any{"ok": true, "result": result})
}

func (f *Server) setWebhook(url string) {
	f.mu.Lock()
	f.webhook = url
	f.mu.Unlock()
}

func (f *Server) getUpdates(w http.ResponseWriter, r *http.Request, params map[string]string) {
	f.mu.Lock()
	hooked := f.webhook != ""
	f.mu.Unlock()
	if hooked {
		f.record(Call{Method: "getUpdates", Params: params, Failed: true})
		write(w, http.StatusOK, map[string]any{"ok": false, "error_code": 409, "description": "webhook is set"})
		return
	}
	timer := time.NewTimer(f.idle)
	defer timer.Stop()
	select {
	case u := <-f.updates:
		f.record(Call{Method: "getUpdates", Params: params})
		write(w, http.StatusOK, map[string]any{"ok": true, "result": u})
	case <-timer.C:
		f.mu.Lock()
		f.timeouts++
		f.mu.Unlock()
		f.record(Call{Method: "getUpdates", Params: params, Failed: true})
		write(w, http.StatusRequestTimeout, map[string]any{"ok": false, "error_code": 408, "description": "Request timeout"})
	case <-r.Context().Done():
	}
}

func write(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func (f *Server) takeFailure(method string) (failure, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	q := f.fail[method]
	if len(q) == 0 {
		return failure{}, false
	}
	f.fail[method] = q[1:]
	return q[0], true
}

func (f *Server) record(c Call) {
	f.mu.Lock()
	f.calls = append(f.calls, c)
	f.mu.Unlock()
	select {
	case f.notify <- struct{}{}:
	default:
	}
}

// Calls returns the calls of method ("" for all) so far.
func (f *Server) Calls(method string) []Call {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Call
	for _, c := range f.calls {
		if method == "" || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// Timeouts is how many getUpdates calls ended in 408.
func (f *Server) Timeouts() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.timeouts
}

// Sent returns the texts (and photo URLs) sent to chat id, successful sends only.
func (f *Server) Sent(chat string) []Call {
	var out []Call
	for _, c := range f.Calls("") {
		if !c.Failed && (c.Method == "sendMessage" || c.Method == "sendPhoto") && c.Params["chat_id"] == chat {
			out = append(out, c)
		}
	}
	return out
}

// Texts joins the texts and captions of calls, as the person reads them.
func Texts(calls []Call) string {
	var out []string
	for _, c := range calls {
		out = append(out, c.Params["text"]+c.Params["caption"])
	}
	return strings.Join(out, "\n")
}

// WaitFor waits until cond holds over the recorded calls, or fails the test after d.
func (f *Server) WaitFor(tb testing.TB, what string, d time.Duration, cond func() bool) {
	tb.Helper()
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	for !cond() {
		select {
		case <-f.notify:
		case <-deadline.C:
			tb.Fatalf("timed out waiting for %s; calls: %v", what, f.Calls(""))
		}
	}
}
