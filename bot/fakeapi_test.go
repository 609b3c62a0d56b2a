package bot

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

// fakeTGToken is the token the fake expects; tests check it never reaches a log.
const fakeTGToken = "123456:FAKE-s3cr3t_token-value"

// fakeTGBotName is the username getMe reports.
const fakeTGBotName = "danvan_test_bot"

// fakeRequest is one call the fake received.
type fakeRequest struct {
	Method string
	// Params holds form fields, or top-level JSON fields (strings unquoted, others raw JSON).
	Params map[string]string
	// Files holds uploaded files (multipart) by field name.
	Files map[string][]byte
	// MessageID is the id the fake gave the message it created or edited, if any.
	MessageID int
	// Failed is true when the fake answered with an injected error or dropped the connection.
	Failed bool
	At     time.Time
}

// ChatID is the request's chat_id as a number (0 when absent).
func (r fakeRequest) ChatID() int64 {
	id, _ := strconv.ParseInt(r.Params["chat_id"], 10, 64)
	return id
}

// Buttons decodes the request's reply_markup inline keyboard.
func (r fakeRequest) Buttons() [][]flows.Button {
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

// fakeTGFailure is an injected answer for the next call of a method.
type fakeTGFailure struct {
	code       int
	desc       string
	retryAfter int
	drop       bool // close the connection instead of answering
}

// fakeTelegram is an httptest Bot API: it answers getMe, long-polls getUpdates from a queue the
// test fills, records every request and fails calls on demand. Safe for concurrent use.
type fakeTelegram struct {
	URL   string // give to TelegramConfig.APIURL
	Token string

	tb   testing.TB
	srv  *httptest.Server
	done chan struct{}

	mu        sync.Mutex
	changed   chan struct{} // closed and replaced on every change, to wake waiters
	requests  []fakeRequest
	updates   []tgbotapi.Update // pushed and not yet confirmed by an offset
	nextUpd   int
	nextMsg   int
	failures  map[string][]fakeTGFailure
	confirmed int // highest offset seen
}

// newFakeTelegram starts a fake Bot API, closed when the test ends.
func newFakeTelegram(tb testing.TB) *fakeTelegram {
	tb.Helper()
	f := &fakeTelegram{
		Token:    fakeTGToken,
		tb:       tb,
		done:     make(chan struct{}),
		changed:  make(chan struct{}),
		nextUpd:  1000,
		nextMsg:  500,
		failures: map[string][]fakeTGFailure{},
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	f.URL = f.srv.URL
	tb.Cleanup(func() {
		close(f.done) // ends pending long polls, or Close would wait for them
		f.srv.Close()
	})
	return f
}

// Config is a TelegramConfig for polling against the fake.
func (f *fakeTelegram) Config() TelegramConfig {
	return TelegramConfig{Token: f.Token, APIURL: f.URL, PollTimeout: 5 * time.Second}
}

// Push queues u for getUpdates, giving it the next update_id when it has none; it returns the id.
func (f *fakeTelegram) Push(u tgbotapi.Update) int {
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
func (f *fakeTelegram) Requests(method string) []fakeRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requestsLocked(method)
}

func (f *fakeTelegram) requestsLocked(method string) []fakeRequest {
	var out []fakeRequest
	for _, r := range f.requests {
		if method == "" || r.Method == method {
			out = append(out, r)
		}
	}
	return out
}

// WaitRequests waits until method has been called at least n times and returns those calls;
// after timeout it fails the test. Call it from the test goroutine.
func (f *fakeTelegram) WaitRequests(method string, n int, timeout time.Duration) []fakeRequest {
	f.tb.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		f.mu.Lock()
		got, changed := f.requestsLocked(method), f.changed
		f.mu.Unlock()
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
func (f *fakeTelegram) FailNext(method string, code int, desc string, retryAfter int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failures[method] = append(f.failures[method], fakeTGFailure{code: code, desc: desc, retryAfter: retryAfter})
}

// DropNext makes the next call of method end with a closed connection: a network error.
func (f *fakeTelegram) DropNext(method string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failures[method] = append(f.failures[method], fakeTGFailure{drop: true})
}

// Sent returns the texts of the successful sendMessage and editMessageText calls, in order.
func (f *fakeTelegram) Sent() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, r := range f.requests {
		if !r.Failed && (r.Method == "sendMessage" || r.Method == "editMessageText") {
			out = append(out, r.Params["text"])
		}
	}
	return out
}

// Upload returns the bytes of field (e.g. "photo") uploaded by the i-th successful
// call of method, failing the test when there is none.
func (f *fakeTelegram) Upload(method, field string, i int) []byte {
	f.tb.Helper()
	var ok []fakeRequest
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
func (f *fakeTelegram) Confirmed() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.confirmed
}

func (f *fakeTelegram) notifyLocked() {
	close(f.changed)
	f.changed = make(chan struct{})
}

func (f *fakeTelegram) serve(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot"+f.Token+"/")
	if !ok || rest == "" {
		fakeTGWrite(w, http.StatusUnauthorized, map[string]any{"ok": false, "error_code": 401, "description": "Unauthorized"})
		return
	}
	req := fakeRequest{Method: rest, Params: fakeTGParams(r), Files: fakeTGFiles(r), At: time.Now()}
	f.mu.Lock()
	fail, failing := f.popFailureLocked(rest)
	req.Failed = failing
	if !failing {
		req.MessageID = f.messageIDLocked(req)
	}
	f.requests = append(f.requests, req)
	f.notifyLocked()
	f.mu.Unlock()
	switch {
	case failing && fail.drop:
		fakeTGHangUp(w)
	case failing:
		fakeTGWrite(w, fail.code, fakeTGErrorBody(fail))
	default:
		fakeTGWrite(w, http.StatusOK, map[string]any{"ok": true, "result": f.result(r, req)})
	}
}

func (f *fakeTelegram) popFailureLocked(method string) (fakeTGFailure, bool) {
	q := f.failures[method]
	if len(q) == 0 {
		return fakeTGFailure{}, false
	}
	f.failures[method] = q[1:]
	return q[0], true
}

// messageIDLocked numbers new messages; an edit keeps the id it names.
func (f *fakeTelegram) messageIDLocked(req fakeRequest) int {
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
func (f *fakeTelegram) result(r *http.Request, req fakeRequest) any {
	switch {
	case req.Method == "getMe":
		return tgbotapi.User{ID: 1, IsBot: true, FirstName: "Dân vận", UserName: fakeTGBotName}
	case req.Method == "getUpdates":
		return f.getUpdates(r, req)
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
func (f *fakeTelegram) getUpdates(r *http.Request, req fakeRequest) []tgbotapi.Update {
	offset, _ := strconv.Atoi(req.Params["offset"])
	limit, _ := strconv.Atoi(req.Params["limit"])
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	timeout, _ := strconv.Atoi(req.Params["timeout"])
	deadline := time.NewTimer(time.Duration(timeout) * time.Second)
	defer deadline.Stop()
	for {
		f.mu.Lock()
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
		changed := f.changed
		f.mu.Unlock()
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

// fakeTGParams reads form, multipart or JSON parameters.
func fakeTGParams(r *http.Request) map[string]string {
	params := map[string]string{}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		var m map[string]json.RawMessage
		body, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(body, &m)
		for k, v := range m {
			var s string
			if json.Unmarshal(v, &s) == nil {
				params[k] = s
			} else {
				params[k] = string(v)
			}
		}
	case "multipart/form-data":
		_ = r.ParseMultipartForm(32 << 20)
	default:
		_ = r.ParseForm()
	}
	for k, v := range r.Form {
		params[k] = v[0]
	}
	return params
}

// fakeTGFiles reads multipart uploads; call after fakeTGParams.
func fakeTGFiles(r *http.Request) map[string][]byte {
	if r.MultipartForm == nil {
		return nil
	}
	files := map[string][]byte{}
	for name, hs := range r.MultipartForm.File {
		if fh, err := hs[0].Open(); err == nil {
			files[name], _ = io.ReadAll(fh)
			fh.Close()
		}
	}
	return files
}

func fakeTGErrorBody(fail fakeTGFailure) map[string]any {
	body := map[string]any{"ok": false, "error_code": fail.code, "description": fail.desc}
	if fail.retryAfter > 0 {
		body["parameters"] = map[string]any{"retry_after": fail.retryAfter}
	}
	return body
}

func fakeTGWrite(w http.ResponseWriter, code int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(body)
}

// fakeTGHangUp closes the connection without an answer.
func fakeTGHangUp(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("fakeTelegram: cannot hijack the connection")
	}
	conn, _, err := hj.Hijack()
	if err == nil {
		conn.Close()
	}
}

// fakeTGUser is the sender of fake updates in chat id: a private chat, so user id = chat id.
func fakeTGUser(id int64) *tgbotapi.User {
	return &tgbotapi.User{ID: id, FirstName: "Lò Thị", LastName: "Mai", UserName: "mai" + strconv.FormatInt(id, 10)}
}

func fakeTGMessage(chatID int64) *tgbotapi.Message {
	return &tgbotapi.Message{
		MessageID: int(chatID%1000) + 1,
		From:      fakeTGUser(chatID),
		Chat:      &tgbotapi.Chat{ID: chatID, Type: "private"},
		Date:      int(time.Now().Unix()),
	}
}

// fakeTGText is a text message (a command when it starts with "/") from person chatID.
func fakeTGText(chatID int64, text string) tgbotapi.Update {
	m := fakeTGMessage(chatID)
	m.Text = text
	if strings.HasPrefix(text, "/") {
		cmd, _, _ := strings.Cut(text, " ")
		m.Entities = []tgbotapi.MessageEntity{{Type: "bot_command", Offset: 0, Length: len(cmd)}}
	}
	return tgbotapi.Update{Message: m}
}

// fakeTGCallback is a press of the button with data under message messageID in chat chatID.
func fakeTGCallback(chatID int64, messageID int, data string) tgbotapi.Update {
	m := fakeTGMessage(chatID)
	m.MessageID = messageID
	m.Text = "(the message with the button)"
	m.From = &tgbotapi.User{ID: 1, IsBot: true, FirstName: "Dân vận", UserName: fakeTGBotName}
	return tgbotapi.Update{CallbackQuery: &tgbotapi.CallbackQuery{
		ID:      "cb-" + strconv.FormatInt(chatID, 10) + "-" + strconv.Itoa(messageID) + "-" + data,
		From:    fakeTGUser(chatID),
		Message: m,
		Data:    data,
	}}
}

// fakeTGPhoto is a photo with a caption from person chatID.
func fakeTGPhoto(chatID int64, caption string) tgbotapi.Update {
	m := fakeTGMessage(chatID)
	m.Photo = []tgbotapi.PhotoSize{{FileID: "photo-1", FileUniqueID: "u1", Width: 90, Height: 90}}
	m.Caption = caption
	return tgbotapi.Update{Message: m}
}
