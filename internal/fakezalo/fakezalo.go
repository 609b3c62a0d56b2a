// Package fakezalo is an httptest fake of the Zalo Bot API for tests, as strict as the API's
// documentation: getMe; getUpdates from a queue the test fills (one update per call, 408 after
// a short wait when none); setWebhook, deleteWebhook and getWebhookInfo, a webhook excluding
// getUpdates as on Zalo; sendMessage, sendPhoto and sendChatAction recorded. A call the docs
// do not allow (unknown method or parameter, missing one, a value not a string, an empty or
// over-long text or caption, a body not JSON) is refused with 400 and recorded as such. With a
// webhook set, what the test delivers is POSTed to it in the documented envelope
// {"ok": true, "result": {"event_name", "message"}} with the secret in X-Bot-Api-Secret-Token.
// Any call can be failed on demand.
//
// It knows the Zalo API only, not our transport, so any package's tests can use it. It never
// listens, nor posts, anywhere but 127.0.0.1.
package fakezalo

import (
	"encoding/json"
	"io"
	"mime"
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
	// Refused says why the fake refused the call as the docs would ("" when it did not).
	Refused string
}

// failure is an injected error envelope for the next call of a method.
type failure struct {
	status int // HTTP status
	code   any // error_code of the envelope: a number, or a string as some deployments send
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
	hook     webhook
	notFound bool // webhook methods answer 404 while no webhook is set
	verify   any  // setWebhook's "verification", when set
	notify   chan struct{}
	timeouts int
}

// webhook is the webhook set, if any.
type webhook struct {
	url, secret string
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

// Fail makes the next call of method answer with an error envelope: HTTP status, error_code
// code (an int, or a string as some deployments send it) and description desc.
func (f *Server) Fail(method string, status int, code any, desc string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail[method] = append(f.fail[method], failure{status, code, desc})
}

// NotFoundWithoutWebhook makes getWebhookInfo and deleteWebhook answer 404 while no webhook is
// set, as working clients report of the real service.
func (f *Server) NotFoundWithoutWebhook() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.notFound = true
}

// Verification makes setWebhook's result carry v as its "verification".
func (f *Server) Verification(v any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.verify = v
}

// Push queues a text message (or another event) from user id, as Deliver does.
func (f *Server) Push(event, msgID, user, text string) {
	f.Deliver(Event(event, msgID, user, text))
}

// Deliver hands update u, as Event writes them, to the bot: POSTed to the webhook in the
// documented envelope when one is set (see PostWebhook), queued for getUpdates otherwise.
func (f *Server) Deliver(u map[string]any) {
	if f.webhook().url != "" {
		_, _ = f.PostWebhook(u)
		return
	}
	f.updates <- u
}

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
	params, why := readParams(r, method)
	if why != "" {
		f.record(Call{Method: method, Params: params, Failed: true, Refused: why})
		write(w, http.StatusBadRequest, map[string]any{"ok": false, "error_code": 400, "description": "Bad Request: " + why})
		return
	}
	if fl, ok := f.takeFailure(method); ok {
		f.record(Call{Method: method, Params: params, Failed: true})
		write(w, fl.status, map[string]any{"ok": false, "error_code": fl.code, "description": fl.desc})
		return
	}
	if method == "getUpdates" {
		f.getUpdates(w, r, params)
		return
	}
	status, body := f.answer(method, params)
	f.record(Call{Method: method, Params: params, Failed: status != http.StatusOK})
	write(w, status, body)
}

// answer is the fake's answer to a call the docs allow.
func (f *Server) answer(method string, params map[string]string) (int, map[string]any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	info := func() map[string]any { return map[string]any{"url": f.hook.url, "updated_at": 1773108000000} }
	switch method {
	case "getMe":
		return ok(map[string]any{"id": "bot1", "account_name": "danvan_zalo_bot", "account_type": "BASIC", "can_join_groups": false})
	case "setWebhook":
		f.hook = webhook{url: params["url"], secret: params["secret_token"]}
		res := info()
		if f.verify != nil {
			res["verification"] = f.verify
		}
		return ok(res)
	case "deleteWebhook", "getWebhookInfo":
		if f.notFound && f.hook.url == "" {
			return http.StatusNotFound, map[string]any{"ok": false, "error_code": 404, "description": "Not Found"}
		}
		if method == "deleteWebhook" {
			f.hook = webhook{}
		}
		return ok(info())
	case "sendChatAction":
		return ok(nil)
	}
	return ok(map[string]any{"message_id": "sent-" + params["chat_id"], "date": 1773108000000})
}

func ok(result any) (int, map[string]any) {
	if result == nil {
		return http.StatusOK, map[string]any{"ok": true}
	}
	return http.StatusOK, map[string]any{"ok": true, "result": result}
}

func (f *Server) webhook() webhook {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hook
}

func (f *Server) getUpdates(w http.ResponseWriter, r *http.Request, params map[string]string) {
	if f.webhook().url != "" {
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

// Refused returns the calls the fake refused as the docs would.
func (f *Server) Refused() []Call {
	var out []Call
	for _, c := range f.Calls("") {
		if c.Refused != "" {
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

// isJSON reports whether a Content-Type names JSON.
func isJSON(ct string) bool {
	t, _, err := mime.ParseMediaType(ct)
	return err == nil && t == "application/json"
}

// drain reads what is left of a body, so the connection can be reused.
func drain(r io.Reader) { _, _ = io.Copy(io.Discard, r) }
