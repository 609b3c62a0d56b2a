package telegram

import (
	"context"
	"encoding/json"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"danvan/bot"
	"danvan/flows"
	"danvan/internal/faketg"
)

func TestTelegramBotNameAndCommands(t *testing.T) {
	x := newHarness(t, nil, nil)
	if got := x.tg.BotName(); got != faketg.BotName {
		t.Errorf("BotName: got %q, want %q", got, faketg.BotName)
	}
	x.run(t)
	req := x.fake.WaitRequests("setMyCommands", 1, failsafe)[0]
	var cmds []tgbotapi.BotCommand
	if err := json.Unmarshal([]byte(req.Params["commands"]), &cmds); err != nil {
		t.Fatalf("commands: got %v, want JSON", err)
	}
	var names []string
	for _, c := range cmds {
		names = append(names, c.Command)
		if len(c.Description) < 3 {
			t.Errorf("description of %s: got %q, want 3+ characters", c.Command, c.Description)
		}
	}
	want := []string{"start", "report", "mine", "help", "cancel", "lang", "figures", "missing", "chart", "export",
		"lienket", "kenh", "invite", "calendar", "reminders", "remind", "directory"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("commands: got %v, want %v", names, want)
	}
}

func TestTelegramPollingDeletesWebhookFirst(t *testing.T) {
	x := newHarness(t, nil, nil)
	x.run(t)
	x.fake.WaitRequests("getUpdates", 1, failsafe)
	var methods []string
	for _, r := range x.fake.Requests("") {
		if r.Method == "deleteWebhook" || r.Method == "getUpdates" {
			methods = append(methods, r.Method)
		}
	}
	if got := methods[:2]; !reflect.DeepEqual(got, []string{"deleteWebhook", "getUpdates"}) {
		t.Errorf("first calls: got %v, want [deleteWebhook getUpdates]", got)
	}
	gu := x.fake.Requests("getUpdates")[0]
	if got := gu.Params["timeout"]; got != "5" {
		t.Errorf("getUpdates timeout: got %q, want %q", got, "5")
	}
	if got := gu.Params["allowed_updates"]; !strings.Contains(got, "callback_query") {
		t.Errorf("allowed_updates: got %q, want callback_query in it", got)
	}
}

func TestTelegramPollingKinds(t *testing.T) {
	x := newHarness(t, nil, nil)
	f := x.fake
	edited := faketg.Text(42, "sửa")
	f.Push(tgbotapi.Update{EditedMessage: edited.Message})
	f.Push(tgbotapi.Update{ChannelPost: faketg.Text(-100, "kênh").Message})
	f.Push(tgbotapi.Update{Message: &tgbotapi.Message{MessageID: 3, Chat: &tgbotapi.Chat{ID: 42}}}) // a service message
	idText := f.Push(faketg.Text(42, "xin chào"))
	idCmd := f.Push(faketg.Text(42, "/Report@danvan_test_bot  Q1 2025"))
	f.Push(faketg.Text(42, "/start@other_bot"))
	idBtn := f.Push(faketg.Callback(42, 77, "pick:1"))
	idPhoto := f.Push(faketg.Photo(42, "ảnh biên bản"))
	x.run(t)

	base := bot.Incoming{Chat: "tg:42", User: "tg:42", Name: "Lò Thị Mai"}
	want := []bot.Incoming{base, base, base, base}
	want[0].UpdateID, want[0].Input = "tg:"+strconv.Itoa(idText), flows.Input{Kind: flows.TextInput, Text: "xin chào"}
	want[1].UpdateID, want[1].Input = "tg:"+strconv.Itoa(idCmd), flows.Input{Kind: flows.CommandInput, Command: "report", Args: "Q1 2025"}
	want[2].UpdateID, want[2].Input = "tg:"+strconv.Itoa(idBtn), flows.Input{Kind: flows.ButtonInput, Data: "pick:1"}
	want[3].UpdateID, want[3].Input = "tg:"+strconv.Itoa(idPhoto), flows.Input{Kind: flows.MediaInput, Text: "ảnh biên bản"}
	for i, w := range want {
		if got := x.h.next(t); got != w {
			t.Errorf("incoming %d: got %+v, want %+v", i, got, w)
		}
	}
	ans := f.WaitRequests("answerCallbackQuery", 1, failsafe)[0]
	if got, want := ans.Params["callback_query_id"], "cb-42-77-pick:1"; got != want {
		t.Errorf("answered callback: got %q, want %q", got, want)
	}
	f.WaitRequests("sendMessage", 4, failsafe)
	x.stop(t)
	if got := len(x.h.handled()); got != 4 {
		t.Errorf("handled updates: got %d, want 4 (edited, channel, service and other-bot ignored)", got)
	}
}

func TestTelegramOffsetsAdvance(t *testing.T) {
	x := newHarness(t, nil, nil)
	id1 := x.fake.Push(faketg.Text(1, "một"))
	id2 := x.fake.Push(faketg.Text(2, "hai"))
	x.run(t)
	x.h.next(t)
	x.h.next(t)
	waitOffset(t, x.fake, id2+1)
	id3 := x.fake.Push(faketg.Text(1, "ba"))
	x.h.next(t)
	waitOffset(t, x.fake, id3+1)
	x.stop(t)

	var ids []string
	for _, in := range x.h.handled() {
		ids = append(ids, in.UpdateID)
	}
	for _, want := range []int{id1, id2, id3} {
		n := 0
		for _, id := range ids {
			if id == "tg:"+strconv.Itoa(want) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("update %d handled: got %d times, want once (all: %v)", want, n, ids)
		}
	}
	last := 0
	for _, r := range x.fake.Requests("getUpdates") {
		off, _ := strconv.Atoi(r.Params["offset"])
		if off < last {
			t.Errorf("getUpdates offset: got %d after %d, want non-decreasing", off, last)
		}
		last = off
	}
}

func TestTelegramGetUpdates429(t *testing.T) {
	x := newHarness(t, nil, func(f *faketg.Server) {
		f.FailNext("getUpdates", 429, "Too Many Requests: retry after 7", 7)
	})
	x.fake.Push(faketg.Text(5, "chờ"))
	x.run(t)
	if got := x.h.next(t).Input.Text; got != "chờ" {
		t.Errorf("handled: got %q, want %q", got, "chờ")
	}
	if got := x.nextWait(t); got != 7*time.Second {
		t.Errorf("wait after 429: got %v, want %v", got, 7*time.Second)
	}
	reqs := x.fake.Requests("getUpdates")
	if len(reqs) < 2 || !reqs[0].Failed || reqs[1].Failed {
		t.Errorf("getUpdates: got %d calls (first failed %v), want a failed one then a good one", len(reqs), len(reqs) > 0 && reqs[0].Failed)
	}
}

func TestTelegramNetworkErrorBackoff(t *testing.T) {
	x := newHarness(t, nil, func(f *faketg.Server) {
		f.DropNext("getUpdates")
		f.DropNext("getUpdates")
	})
	x.fake.Push(faketg.Text(5, "một"))
	x.run(t)
	x.h.next(t)
	for i, want := range []time.Duration{time.Millisecond, 2 * time.Millisecond} {
		if got := x.nextWait(t); got != want {
			t.Errorf("wait %d: got %v, want %v", i, got, want)
		}
	}
	// After a success the backoff starts again from the first step.
	x.fake.DropNext("getUpdates")
	x.fake.Push(faketg.Text(5, "hai"))
	x.h.next(t)
	if got := x.nextWait(t); got != time.Millisecond {
		t.Errorf("wait after recovery: got %v, want %v", got, time.Millisecond)
	}
	x.stop(t)
	if logs := x.logs.String(); !strings.Contains(logs, "getUpdates failed") {
		t.Errorf("logs: got %q, want the failure logged", logs)
	}
}

func TestTelegramChatsOrderedAndParallel(t *testing.T) {
	release := make(chan struct{})
	x := newHarness(t, nil, nil)
	x.h.reply = func(_ context.Context, in bot.Incoming) []flows.Reply {
		if in.Input.Text == "first" {
			<-release
		}
		return []flows.Reply{{Text: "got: " + in.Input.Text}}
	}
	x.fake.Push(faketg.Text(1, "first"))
	x.fake.Push(faketg.Text(1, "second"))
	x.fake.Push(faketg.Text(2, "other"))
	x.run(t)
	// Chat 2 is handled while chat 1's first update is still in the handler.
	seen := map[string]bool{}
	for range 2 {
		seen[x.h.next(t).Input.Text] = true
	}
	if !seen["first"] || !seen["other"] {
		t.Fatalf("started before release: got %v, want first and other", seen)
	}
	close(release)
	if got := x.h.next(t).Input.Text; got != "second" {
		t.Errorf("after release: got %q, want %q", got, "second")
	}
	x.stop(t)
	var chat1 []string
	for _, in := range x.h.handled() {
		if in.Chat == "tg:1" {
			chat1 = append(chat1, in.Input.Text)
		}
	}
	if !reflect.DeepEqual(chat1, []string{"first", "second"}) {
		t.Errorf("chat 1 order: got %v, want [first second]", chat1)
	}
	if len(x.h.overlap) != 0 {
		t.Errorf("chats handled twice at once: got %v, want none", x.h.overlap)
	}
}

func TestTelegramGracefulShutdown(t *testing.T) {
	release := make(chan struct{})
	var handlerCtxErr error
	x := newHarness(t, nil, nil)
	x.h.reply = func(ctx context.Context, in bot.Incoming) []flows.Reply {
		<-release
		handlerCtxErr = ctx.Err()
		return []flows.Reply{{Text: "xong"}}
	}
	id := x.fake.Push(faketg.Text(6, "chậm"))
	x.run(t)
	x.h.next(t)
	x.cancel()
	select {
	case err := <-x.errc:
		t.Fatalf("Run: returned %v while an update was in hand, want it to wait", err)
	default:
	}
	x.fake.Push(faketg.Text(6, "muộn")) // after the cancel: must not be taken
	close(release)
	x.mustReturn(t, "the handler finished")
	if got, want := x.fake.Sent(), []string{"xong"}; !reflect.DeepEqual(got, want) {
		t.Errorf("sent when Run returned: got %q, want %q", got, want)
	}
	if handlerCtxErr != nil {
		t.Errorf("handler ctx: got %v, want nil (shutdown must not cut the update in hand)", handlerCtxErr)
	}
	if got := len(x.h.handled()); got != 1 {
		t.Errorf("handled: got %d, want 1", got)
	}
	if got := x.fake.Confirmed(); got != id+1 {
		t.Errorf("confirmed offset: got %d, want %d", got, id+1)
	}
}

func TestTelegramTokenNeverLogged(t *testing.T) {
	x := newHarness(t, nil, func(f *faketg.Server) {
		f.DropNext("getUpdates")
		for range 4 {
			f.DropNext("setMyCommands")
		}
		f.DropNext("sendMessage")
		f.FailNext("answerCallbackQuery", 400, "Bad Request: query is too old", 0)
	})
	x.fake.Push(faketg.Text(7, "hi"))
	x.fake.Push(faketg.Callback(7, 1, "x"))
	x.run(t)
	x.fake.WaitRequests("answerCallbackQuery", 1, failsafe)
	x.fake.WaitRequests("setMyCommands", 4, failsafe)
	x.stop(t)
	logs := x.logs.String()
	for _, secret := range []string{faketg.Token, url.PathEscape(faketg.Token), "FAKE-s3cr3t"} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs: got the token (%q) in %q, want it redacted", secret, logs)
		}
	}
	if !strings.Contains(logs, "<token>") {
		t.Errorf("logs: got %q, want network errors with <token> in place of the token", logs)
	}

	// getMe failing at construction: the error must not carry it either.
	f := faketg.New(t)
	f.DropNext("getMe")
	_, err := New(context.Background(), fakeConfig(f), newStub(), nil)
	if err == nil || strings.Contains(err.Error(), faketg.Token) {
		t.Errorf("New error: got %v, want an error without the token", err)
	}
}

func TestTelegramBadToken(t *testing.T) {
	f := faketg.New(t)
	cfg := fakeConfig(f)
	cfg.Token = "999:wrong"
	_, err := New(context.Background(), cfg, newStub(), nil)
	if err == nil || !strings.Contains(err.Error(), "Unauthorized") {
		t.Errorf("New with a wrong token: got %v, want Unauthorized", err)
	}
}

// TestTelegramBatchConfirmedOnlyWhenHandled: the offset that confirms a batch to Telegram is
// only sent once the batch is handled, so a process killed mid-batch gets it again on restart.
func TestTelegramBatchConfirmedOnlyWhenHandled(t *testing.T) {
	release := make(chan struct{})
	x := newHarness(t, nil, nil)
	x.h.reply = func(ctx context.Context, in bot.Incoming) []flows.Reply {
		<-release
		return []flows.Reply{{Text: "ok"}}
	}
	id := x.fake.Push(faketg.Text(6, "chậm"))
	x.run(t)
	x.h.next(t) // the update is in hand
	// A confirmation would come at once; proving one does not come needs a bound on the wait.
	if confirmedWithin(x.fake, id, 300*time.Millisecond) {
		t.Fatalf("offset past update %d sent while it was still in hand", id)
	}
	close(release)
	if !confirmedWithin(x.fake, id, failsafe) {
		t.Fatalf("offset past update %d never sent after it was handled", id)
	}
}

// confirmedWithin reports whether a getUpdates past update id reaches the fake within d. It reads
// the recorded requests, which the fake announces, rather than Confirmed, which it does not.
func confirmedWithin(f *faketg.Server, id int, d time.Duration) bool {
	deadline := time.After(d)
	for {
		reqs, changed := f.Watch("getUpdates")
		for _, r := range reqs {
			if offset, _ := strconv.Atoi(r.Params["offset"]); offset > id {
				return true
			}
		}
		select {
		case <-changed:
		case <-deadline:
			return false
		}
	}
}
