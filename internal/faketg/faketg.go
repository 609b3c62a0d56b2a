// Package faketg is an httptest fake of the Telegram Bot API for tests: it answers getMe,
// long-polls getUpdates from a queue the test fills, records every request, fails calls on
// demand and, for fan-out tests, refuses sends above a rate or to blocked chats as Telegram does.
// Files people "sent" (AddFile) are described by getFile and downloaded from /file/bot<token>/.
//
// It knows the Bot API only, not our transport: any package's tests can drive the real
// go-telegram-bot-api client (through bot/telegram) against it. It never listens anywhere but
// 127.0.0.1.
package faketg

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"danvan/flows"
)

// Token is the token the fake expects; tests check it never reaches a log.
const Token = "123456:FAKE-s3cr3t_token-value"

// BotName is the username getMe reports.
const BotName = "danvan_test_bot"

// Request is one call the fake received.
type Request struct {
	Method string
	// Params holds form fields, or top-level JSON fields (strings unquoted, others raw JSON).
	Params map[string]string
	// Files holds uploaded files (multipart) by field name.
	Files map[string][]byte
	// MessageID is the id the fake gave the message it created or edited, if any.
	MessageID int
	// Failed is true when the fake answered with an error or dropped the connection.
	Failed bool
	At     time.Time
}

// ChatID is the request's chat_id as a number (0 when absent).
func (r Request) ChatID() int64 {
	id, _ := strconv.ParseInt(r.Params["chat_id"], 10, 64)
	return id
}

// Buttons decodes the request's reply_markup inline keyboard.
func (r Request) Buttons() [][]flows.Button {
	var kb tgbotapi.InlineKeyboardMarkup
	if err := json.Unmarshal([]byte(r.Params["reply_markup"]), &kb); err != nil {
		return nil
	}
	var rows [][]flows.Button
	for _, row := range kb.InlineKeyboard {
		var out []flows.Button
		for _, b := range row {
			data := ""
			if b.CallbackData != nil {
				data = *b.CallbackData
			}
			out = append(out, flows.Button{Label: b.Text, Data: data})
		}
		rows = append(rows, out)
	}
	return rows
}

// failure is an answer the fake gives instead of a result.
type failure struct {
	code       int
	desc       string
	retryAfter int
	drop       bool // close the connection instead of answering
}

// Server is the fake Bot API. Safe for concurrent use.
type Server struct {
	URL   string // the Bot API base, for the transport's APIURL
	Token string
	// Username is what getMe reports: BotName unless NewBots named it.
	Username string

	tb   testing.TB
	srv  *httptest.Server
	done chan struct{}

	mu        sync.Mutex
	changed   chan struct{} // closed and replaced on every change, to wake waiters
	requests  []Request
	updates   []tgbotapi.Update // pushed and not yet confirmed by an offset
	nextUpd   int
	nextMsg   int
	failures  map[string][]failure
	confirmed int // highest offset seen
	flood     flood
	held      map[int64]chan struct{} // chats whose sends wait until released (Hold)
	files     map[string][]byte       // file_id → content, for getFile and downloads (AddFile)
}

// New starts a fake Bot API, closed when the test ends.
func New(tb testing.TB) *Server {
	tb.Helper()
	return NewBots(tb, Token)[0]
}

// NewBots starts one fake Bot API serving a bot per token, as Telegram serves every bot at one
// address: each bot has its own updates, requests and failures, and getMe names the second
// and later ones BotName_2, BotName_3…; all are closed when the test ends.
func NewBots(tb testing.TB, tokens ...string) []*Server {
	tb.Helper()
	done := make(chan struct{})
	bots := map[string]*Server{}
	var out []*Server
	for i, token := range tokens {
		f := &Server{
			Token:    token,
			Username: BotName,
			tb:       tb,
			done:     done,
			changed:  make(chan struct{}),
			nextUpd:  1000,
			nextMsg:  500,
			failures: map[string][]failure{},
			flood:    flood{accepted: map[int64]int{}, blocked: map[int64]bool{}},
		}
		if i > 0 {
			f.Username = BotName + "_" + strconv.Itoa(i+1)
		}
		bots[token] = f
		out = append(out, f)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/bot"), "/")
		f, ok := bots[token]
		if !ok {
			f = out[0] // answers 401, as for a wrong token
		}
		f.serve(w, r)
	}))
	for _, f := range out {
		f.srv, f.URL = srv, srv.URL
	}
	tb.Cleanup(func() {
		close(done) // ends pending long polls, or Close would wait for them
		srv.Close()
	})
	return out
}

// Push queues u for getUpdates, giving it the next update_id when it has none; it returns the id.
func (f *Server) Push(u tgbotapi.Update) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if u.UpdateID == 0 {
		u.UpdateID = f.nextUpd
	}
	f.nextUpd = max(f.nextUpd, u.UpdateID) + 1
	f.updates = append(f.updates, u)
	f.notifyLocked()
	return u.UpdateID
}

// Requests returns the calls of method so far, in order; all calls when method is "".
func (f *Server) Requests(method string) []Request {
	got, _ := f.Watch(method)
	return got
}

// Watch returns the calls of method so far ("" for all) and a channel closed at the next
// request or push, so a test can wait for a condition without polling.
func (f *Server) Watch(method string) ([]Request, <-chan struct{}) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Request
	for _, r := range f.requests {
		if method == "" || r.Method == method {
			out = append(out, r)
		}
	}
	return out, f.changed
}

// WaitRequests waits until method has been called at least n times and returns those calls;
// after timeout it fails the test. Call it from the test goroutine.
func (f *Server) WaitRequests(method string, n int, timeout time.Duration) []Request {
	f.tb.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		got, changed := f.Watch(method)
		if len(got) >= n {
			return got
		}
		select {
		case <-changed:
		case <-deadline.C:
			f.tb.Fatalf("%s calls: got %d, want %d within %v", method, len(got), n, timeout)
		}
	}
}

// FailNext makes the next call of method answer code with desc, and retry_after when > 0.
// Calls queue up: FailNext twice fails the next two calls.
func (f *Server) FailNext(method string, code int, desc string, retryAfter int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failures[method] = append(f.failures[method], failure{code: code, desc: desc, retryAfter: retryAfter})
}

// Hold makes every send to chat (send* and edit* calls) hang, as a Bot API that does not answer,
// until release is called or the fake closes; the call is recorded as it arrives.
func (f *Server) Hold(chat int64) (release func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.held == nil {
		f.held = map[int64]chan struct{}{}
	}
	ch := make(chan struct{})
	f.held[chat] = ch
	var once sync.Once
	return func() {
		once.Do(func() {
			f.mu.Lock()
			delete(f.held, chat)
			f.mu.Unlock()
			close(ch)
		})
	}
}

func isSend(method string) bool {
	return strings.HasPrefix(method, "send") || strings.HasPrefix(method, "edit")
}

// DropNext makes the next call of method end with a closed connection: a network error.
func (f *Server) DropNext(method string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failures[method] = append(f.failures[method], failure{drop: true})
}

// Sent returns the texts of the successful sendMessage and editMessageText calls, in order.
func (f *Server) Sent() []string {
	var out []string
	for _, r := range f.Requests("") {
		if !r.Failed && (r.Method == "sendMessage" || r.Method == "editMessageText") {
			out = append(out, r.Params["text"])
		}
	}
	return out
}

// Upload returns the bytes of field (e.g. "photo") uploaded by the i-th successful
// call of method, failing the test when there is none.
func (f *Server) Upload(method, field string, i int) []byte {
	f.tb.Helper()
	var ok []Request
	for _, r := range f.Requests(method) {
		if !r.Failed {
			ok = append(ok, r)
		}
	}
	if i >= len(ok) || ok[i].Files[field] == nil {
		f.tb.Fatalf("%s #%d: got no %q upload among %d calls", method, i, field, len(ok))
	}
	return ok[i].Files[field]
}

// Confirmed is the highest getUpdates offset seen: every update below it is acknowledged.
func (f *Server) Confirmed() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.confirmed
}

func (f *Server) notifyLocked() {
	close(f.changed)
	f.changed = make(chan struct{})
}

func (f *Server) serve(w http.ResponseWriter, r *http.Request) {
	if path, ok := strings.CutPrefix(r.URL.Path, "/file/bot"+f.Token+"/"); ok {
		f.serveFile(w, path)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot"+f.Token+"/")
	if !ok || rest == "" {
		write(w, http.StatusUnauthorized, map[string]any{"ok": false, "error_code": 401, "description": "Unauthorized"})
		return
	}
	req := Request{Method: rest, Params: params(r), Files: files(r), At: time.Now()}
	f.mu.Lock()
	fail, failing := f.popFailureLocked(rest)
	if !failing {
		fail, failing = f.flood.refuse(req)
	}
	req.Failed = failing
	if !failing {
		req.MessageID = f.messageIDLocked(req)
	}
	f.requests = append(f.requests, req)
	f.notifyLocked()
	accepts := f.flood.acceptLocked(req)
	hold := f.held[req.ChatID()]
	f.mu.Unlock()
	if hold != nil && isSend(req.Method) {
		select { // recorded already, so the test sees the call that hangs
		case <-hold:
		case <-r.Context().Done():
			return
		case <-f.done:
			return
		}
	}
	if accepts != nil {
		accepts <- req.ChatID() // outside the lock: the test's buffer may be full a moment
	}
	switch {
	case failing && fail.drop:
		hangUp(w)
	case failing:
		write(w, fail.code, errorBody(fail))
	default:
		write(w, http.StatusOK, map[string]any{"ok": true, "result": f.result(r, req)})
	}
}

func (f *Server) popFailureLocked(method string) (failure, bool) {
	q := f.failures[method]
	if len(q) == 0 {
		return failure{}, false
	}
	f.failures[method] = q[1:]
	return q[0], true
}

// messageIDLocked numbers new messages; an edit keeps the id it names.
func (f *Server) messageIDLocked(req Request) int {
	switch {
	case strings.HasPrefix(req.Method, "send"):
		f.nextMsg++
		return f.nextMsg
	case strings.HasPrefix(req.Method, "edit"):
		id, _ := strconv.Atoi(req.Params["message_id"])
		return id
	}
	return 0
}

// result is what a successful call returns.
func (f *Server) result(r *http.Request, req Request) any {
	switch {
	case req.Method == "getMe":
		return tgbotapi.User{ID: 1, IsBot: true, FirstName: "Dân vận", UserName: f.Username}
	case req.Method == "getUpdates":
		return f.getUpdates(r, req)
	case req.Method == "getFile":
		return f.getFile(req)
	case req.MessageID != 0:
		m := tgbotapi.Message{
			MessageID: req.MessageID,
			Date:      int(time.Now().Unix()),
			Chat:      &tgbotapi.Chat{ID: req.ChatID(), Type: "private"},
			Text:      req.Params["text"],
			Caption:   req.Params["caption"],
		}
		// An upload comes back as Telegram describes it: a file id and the size received.
		if b, ok := req.Files["photo"]; ok {
			m.Photo = []tgbotapi.PhotoSize{{FileID: "photo-" + strconv.Itoa(req.MessageID), FileSize: len(b)}}
		}
		if b, ok := req.Files["document"]; ok {
			m.Document = &tgbotapi.Document{FileID: "doc-" + strconv.Itoa(req.MessageID), FileSize: len(b)}
		}
		return m
	}
	return true
}

// getUpdates drops the updates below offset, as Telegram does, and long-polls for the rest.
func (f *Server) getUpdates(r *http.Request, req Request) []tgbotapi.Update {
	offset, _ := strconv.Atoi(req.Params["offset"])
	limit, _ := strconv.Atoi(req.Params["limit"])
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	timeout, _ := strconv.Atoi(req.Params["timeout"])
	deadline := time.NewTimer(time.Duration(timeout) * time.Second)
	defer deadline.Stop()
	for {
		out, changed := f.takeUpdates(offset, limit)
		if len(out) > 0 || timeout <= 0 {
			return out
		}
		select {
		case <-changed:
		case <-deadline.C:
			return out
		case <-r.Context().Done():
			return out
		case <-f.done:
			return out
		}
	}
}

// takeUpdates forgets the updates below offset and returns up to limit of the rest.
func (f *Server) takeUpdates(offset, limit int) ([]tgbotapi.Update, <-chan struct{}) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.confirmed = max(f.confirmed, offset)
	var keep, out []tgbotapi.Update
	for _, u := range f.updates {
		if u.UpdateID >= offset {
			keep = append(keep, u)
			if len(out) < limit {
				out = append(out, u)
			}
		}
	}
	f.updates = keep
	return out, f.changed
}

// params reads form, multipart or JSON parameters.
func params(r *http.Request) map[string]string {
	out := map[string]string{}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		var m map[string]json.RawMessage
		body, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(body, &m)
		for k, v := range m {
			var s string
			if json.Unmarshal(v, &s) == nil {
				out[k] = s
			} else {
				out[k] = string(v)
			}
		}
	case "multipart/form-data":
		_ = r.ParseMultipartForm(32 << 20)
	default:
		_ = r.ParseForm()
	}
	for k, v := range r.Form {
		out[k] = v[0]
	}
	return out
}

// files reads multipart uploads; call after params.
func files(r *http.Request) map[string][]byte {
	if r.MultipartForm == nil {
		return nil
	}
	out := map[string][]byte{}
	for name, hs := range r.MultipartForm.File {
		if fh, err := hs[0].Open(); err == nil {
			out[name], _ = io.ReadAll(fh)
			fh.Close()
		}
	}
	return out
}

func errorBody(fail failure) map[string]any {
	body := map[string]any{"ok": false, "error_code": fail.code, "description": fail.desc}
	if fail.retryAfter > 0 {
		body["parameters"] = map[string]any{"retry_after": fail.retryAfter}
	}
	return body
}

func write(w http.ResponseWriter, code int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(body)
}

// hangUp closes the connection without an answer.
func hangUp(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("faketg: cannot hijack the connection")
	}
	conn, _, err := hj.Hijack()
	if err == nil {
		conn.Close()
	}
}
