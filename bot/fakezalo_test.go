package bot

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeZaloToken is the token the fake expects; tests check it never reaches a log.
const fakeZaloToken = "zalo-FAKE:s3cr3t-token"

// fakeZaloCall is one call the fake received.
type fakeZaloCall struct {
	Method string
	Params map[string]string
	Failed bool
}

// fakeZaloFailure is an injected error envelope for the next call of a method.
type fakeZaloFailure struct {
	status int // HTTP status
	code   int // error_code of the envelope
	desc   string
}

// fakeZalo is an httptest Zalo Bot API: getMe, getUpdates from a queue the test fills (one
// update per call, 408 after a short wait when none), setWebhook/deleteWebhook (they exclude
// getUpdates, as on Zalo), sendMessage and sendPhoto recorded. Safe for concurrent use.
type fakeZalo struct {
	URL string
	srv *httptest.Server

	updates chan map[string]any
	// idle is how long getUpdates waits for an update before its 408: the fake's own long-poll
	// timeout, kept short so a test's shutdown is quick.
	idle time.Duration

	mu       sync.Mutex
	calls    []fakeZaloCall
	fail     map[string][]fakeZaloFailure
	webhook  string
	notify   chan struct{} // signalled on every recorded call
	timeouts int
}

func newFakeZalo(tb testing.TB) *fakeZalo {
	tb.Helper()
	f := &fakeZalo{updates: make(chan map[string]any, 100), idle: 20 * time.Millisecond,
		fail: map[string][]fakeZaloFailure{}, notify: make(chan struct{}, 1)}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	tb.Cleanup(f.srv.Close)
	f.URL = f.srv.URL
	return f
}

// Config is a transport configuration pointing at the fake.
func (f *fakeZalo) Config() ZaloConfig {
	return ZaloConfig{Token: fakeZaloToken, APIURL: f.URL, PollTimeout: time.Second}
}

// Fail makes the next call of method answer with an error envelope.
func (f *fakeZalo) Fail(method string, status, code int, desc string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail[method] = append(f.fail[method], fakeZaloFailure{status, code, desc})
}

// Push queues a text message (or another event) from user id.
func (f *fakeZalo) Push(event, msgID, user, text string) {
	f.updates <- zaloEvent(event, msgID, user, text)
}

// zaloEvent is the JSON of one update as Zalo sends it.
func zaloEvent(event, msgID, user, text string) map[string]any {
	return map[string]any{
		"event_name": event,
		"message": map[string]any{
			"message_id": msgID, "date": 1773108000000, "text": text,
			"from": map[string]any{"id": user, "display_name": "Người " + user, "is_bot": false},
			"chat": map[string]any{"id": user, "chat_type": "PRIVATE"},
		},
	}
}

func (f *fakeZalo) serve(w http.ResponseWriter, r *http.Request) {
	method, ok := strings.CutPrefix(r.URL.Path, "/bot"+fakeZaloToken+"/")
	if !ok || r.Method != http.MethodPost {
		writeZalo(w, http.StatusUnauthorized, map[string]any{"ok": false, "error_code": 401, "description": "Unauthorized"})
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
		f.record(fakeZaloCall{Method: method, Params: params, Failed: true})
		writeZalo(w, fl.status, map[string]any{"ok": false, "error_code": fl.code, "description": fl.desc})
		return
	}
	switch method {
	case "getUpdates":
		f.getUpdates(w, r, params)
		return
	case "setWebhook":
		f.mu.Lock()
		f.webhook = params["url"]
		f.mu.Unlock()
	case "deleteWebhook":
		f.mu.Lock()
		f.webhook = ""
		f.mu.Unlock()
	}
	f.record(fakeZaloCall{Method: method, Params: params})
	result := any(true)
	if method == "getMe" {
		result = map[string]any{"id": "bot1", "account_name": "danvan_zalo_bot"}
	}
	writeZalo(w, http.StatusOK, map[string]any{"ok": true, "result": result})
}

func (f *fakeZalo) getUpdates(w http.ResponseWriter, r *http.Request, params map[string]string) {
	f.mu.Lock()
	hooked := f.webhook != ""
	f.mu.Unlock()
	if hooked {
		f.record(fakeZaloCall{Method: "getUpdates", Params: params, Failed: true})
		writeZalo(w, http.StatusOK, map[string]any{"ok": false, "error_code": 409, "description": "webhook is set"})
		return
	}
	timer := time.NewTimer(f.idle)
	defer timer.Stop()
	select {
	case u := <-f.updates:
		f.record(fakeZaloCall{Method: "getUpdates", Params: params})
		writeZalo(w, http.StatusOK, map[string]any{"ok": true, "result": u})
	case <-timer.C:
		f.mu.Lock()
		f.timeouts++
		f.mu.Unlock()
		f.record(fakeZaloCall{Method: "getUpdates", Params: params, Failed: true})
		writeZalo(w, http.StatusRequestTimeout, map[string]any{"ok": false, "error_code": 408, "description": "Request timeout"})
	case <-r.Context().Done():
	}
}

func writeZalo(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func (f *fakeZalo) takeFailure(method string) (fakeZaloFailure, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	q := f.fail[method]
	if len(q) == 0 {
		return fakeZaloFailure{}, false
	}
	f.fail[method] = q[1:]
	return q[0], true
}

func (f *fakeZalo) record(c fakeZaloCall) {
	f.mu.Lock()
	f.calls = append(f.calls, c)
	f.mu.Unlock()
	select {
	case f.notify <- struct{}{}:
	default:
	}
}

// Calls returns the calls of method ("" for all) so far.
func (f *fakeZalo) Calls(method string) []fakeZaloCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []fakeZaloCall
	for _, c := range f.calls {
		if method == "" || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// Timeouts is how many getUpdates calls ended in 408.
func (f *fakeZalo) Timeouts() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.timeouts
}

// Sent returns the texts (and photo URLs) sent to chat id, successful sends only.
func (f *fakeZalo) Sent(chat string) []fakeZaloCall {
	var out []fakeZaloCall
	for _, c := range f.Calls("") {
		if !c.Failed && (c.Method == "sendMessage" || c.Method == "sendPhoto") && c.Params["chat_id"] == chat {
			out = append(out, c)
		}
	}
	return out
}

// WaitFor waits until cond holds over the recorded calls, or fails the test after d.
func (f *fakeZalo) WaitFor(tb testing.TB, what string, d time.Duration, cond func() bool) {
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
