package telegram

import (
	"context"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"danvan/bot"
	"danvan/bot/transport"
	"danvan/flows"
	"danvan/internal/faketg"
)

func TestTelegramSend429Retried(t *testing.T) {
	x := newHarness(t, nil, func(f *faketg.Server) {
		f.FailNext("sendMessage", 429, "Too Many Requests: retry after 3", 3)
	})
	x.fake.Push(faketg.Text(8, "hi"))
	x.run(t)
	x.fake.WaitRequests("sendMessage", 2, failsafe)
	if got := x.nextWait(t); got != 3*time.Second {
		t.Errorf("wait: got %v, want %v", got, 3*time.Second)
	}
	x.stop(t)
	if got, want := x.fake.Sent(), []string{"got: hi"}; !reflect.DeepEqual(got, want) {
		t.Errorf("sent: got %q, want %q", got, want)
	}
	if got := len(x.fake.Requests("sendMessage")); got != 2 {
		t.Errorf("sendMessage calls: got %d, want 2", got)
	}
}

func TestTelegramSend403MarksUnreachable(t *testing.T) {
	x := newHarness(t, nil, func(f *faketg.Server) {
		f.FailNext("sendMessage", 403, "Forbidden: bot was blocked by the user", 0)
	})
	x.h.reply = fixedReplies(flows.Reply{Text: "một"}, flows.Reply{Text: "hai"})
	x.fake.Push(faketg.Text(42, "hi"))
	x.run(t)
	select {
	case got := <-x.un.got:
		if got != "tg:42" {
			t.Errorf("MarkUnreachable: got %q, want %q", got, "tg:42")
		}
	case <-time.After(failsafe):
		t.Fatalf("MarkUnreachable: got no call, want one")
	}
	x.stop(t)
	if got := len(x.fake.Requests("sendMessage")); got != 1 {
		t.Errorf("sendMessage calls: got %d, want 1 (no retry, no second reply)", got)
	}

	// A push to a blocked chat reports it to the caller too.
	x.fake.FailNext("sendMessage", 403, "Forbidden: bot was blocked by the user", 0)
	err := x.tg.Send(context.Background(), "tg:43", flows.Reply{Text: "nhắc"})
	if !errors.Is(err, bot.ErrUnreachable) {
		t.Errorf("Send: got %v, want bot.ErrUnreachable", err)
	}
	if got := <-x.un.got; got != "tg:43" {
		t.Errorf("MarkUnreachable: got %q, want %q", got, "tg:43")
	}
}

func TestTelegramSendPush(t *testing.T) {
	x := newHarness(t, nil, nil)
	r := flows.Reply{Text: "Nhắc: hạn nộp <Q1>", Buttons: [][]flows.Button{{{Label: "Nộp ngay", Data: "report"}}}}
	if err := x.tg.Send(context.Background(), "tg:77", r); err != nil {
		t.Fatalf("Send: got %v, want nil", err)
	}
	req := x.fake.Requests("sendMessage")[0]
	if got := req.ChatID(); got != 77 {
		t.Errorf("chat_id: got %d, want 77", got)
	}
	if got, want := req.Params["text"], "Nhắc: hạn nộp &lt;Q1&gt;"; got != want {
		t.Errorf("text: got %q, want %q", got, want)
	}
	if got := req.Buttons(); !reflect.DeepEqual(got, r.Buttons) {
		t.Errorf("buttons: got %v, want %v", got, r.Buttons)
	}
	err := x.tg.Send(context.Background(), "zalo:77", r)
	if err == nil || !strings.Contains(err.Error(), "send to zalo:77") {
		t.Errorf("Send to zalo: got %v, want a wrapped error", err)
	}
}

func TestTelegramCallbackAlwaysAnswered(t *testing.T) {
	x := newHarness(t, nil, nil)
	x.h.reply = func(_ context.Context, in bot.Incoming) []flows.Reply {
		if in.Input.Data == "notice" {
			return []flows.Reply{{Notice: "Đã lưu"}}
		}
		return nil
	}
	x.fake.Push(faketg.Callback(3, 10, "nothing"))
	x.fake.Push(faketg.Callback(3, 10, "notice"))
	x.run(t)
	ans := x.fake.WaitRequests("answerCallbackQuery", 2, failsafe)
	if got := ans[0].Params["callback_query_id"]; got != "cb-3-10-nothing" {
		t.Errorf("first answer: got %q, want %q", got, "cb-3-10-nothing")
	}
	if got := ans[1].Params["text"]; got != "Đã lưu" {
		t.Errorf("second answer text: got %q, want %q", got, "Đã lưu")
	}
	x.stop(t)
	if got := x.fake.Sent(); len(got) != 0 {
		t.Errorf("sent: got %q, want nothing", got)
	}
}

func TestTelegramHandlerPanicRecovered(t *testing.T) {
	x := newHarness(t, nil, nil)
	x.h.reply = func(_ context.Context, in bot.Incoming) []flows.Reply {
		if in.Input.Data == "boom" {
			panic("boom")
		}
		return []flows.Reply{{Text: "vẫn chạy"}}
	}
	x.fake.Push(faketg.Callback(3, 10, "boom"))
	x.fake.Push(faketg.Text(3, "sau đó"))
	x.run(t)
	x.fake.WaitRequests("answerCallbackQuery", 1, failsafe)
	x.fake.WaitRequests("sendMessage", 1, failsafe)
	x.stop(t)
	if logs := x.logs.String(); !strings.Contains(logs, "handler panicked") {
		t.Errorf("logs: got %q, want the panic logged", logs)
	}
}

func TestTelegramEditOnButton(t *testing.T) {
	step := flows.Reply{Text: "Bước 2", Edit: true, Buttons: [][]flows.Button{{{Label: "Tiếp", Data: "next"}}}}
	x := newHarness(t, nil, nil)
	x.h.reply = fixedReplies(step)
	x.fake.Push(faketg.Callback(42, 77, "go"))
	x.run(t)
	ed := x.fake.WaitRequests("editMessageText", 1, failsafe)[0]
	if got := [2]string{ed.Params["chat_id"], ed.Params["message_id"]}; got != [2]string{"42", "77"} {
		t.Errorf("edited chat, message: got %v, want [42 77]", got)
	}
	if got := ed.Params["parse_mode"]; got != "HTML" {
		t.Errorf("parse_mode: got %q, want HTML", got)
	}
	if got := ed.Buttons(); !reflect.DeepEqual(got, step.Buttons) {
		t.Errorf("buttons: got %v, want %v", got, step.Buttons)
	}

	// An edit that fails becomes a new message.
	x.fake.FailNext("editMessageText", 400, "Bad Request: message is not modified", 0)
	x.fake.Push(faketg.Callback(42, 77, "again"))
	// Edit asked for a typed text has no message to edit: a new message.
	x.fake.Push(faketg.Text(42, "chữ"))
	x.fake.WaitRequests("sendMessage", 2, failsafe)
	x.stop(t)
	if got, want := x.fake.Sent(), []string{"Bước 2", "Bước 2", "Bước 2"}; !reflect.DeepEqual(got, want) {
		t.Errorf("sent: got %q, want %q", got, want)
	}
	if got := len(x.fake.Requests("editMessageText")); got != 2 {
		t.Errorf("editMessageText calls: got %d, want 2", got)
	}
}

func TestTelegramHTMLEscaping(t *testing.T) {
	x := newHarness(t, nil, nil)
	x.h.reply = fixedReplies(flows.Reply{Text: `<b>&"x"`, Buttons: [][]flows.Button{{{Label: "<i>", Data: "i"}}}})
	x.fake.Push(faketg.Text(4, "hi"))
	x.run(t)
	req := x.fake.WaitRequests("sendMessage", 1, failsafe)[0]
	if got, want := req.Params["text"], "&lt;b&gt;&amp;&#34;x&#34;"; got != want {
		t.Errorf("text: got %q, want %q", got, want)
	}
	if got := req.Params["parse_mode"]; got != "HTML" {
		t.Errorf("parse_mode: got %q, want HTML", got)
	}
	if got := req.Buttons()[0][0].Label; got != "<i>" {
		t.Errorf("button label (not parsed by Telegram): got %q, want %q", got, "<i>")
	}
}

func TestTelegramLongMessageSplit(t *testing.T) {
	var lines []string
	for i := range 300 {
		lines = append(lines, "dòng "+strconv.Itoa(i)+": số liệu hội viên")
	}
	text := strings.Join(lines, "\n")
	btn := [][]flows.Button{{{Label: "OK", Data: "ok"}}}
	x := newHarness(t, nil, nil)
	if err := x.tg.Send(context.Background(), "tg:5", flows.Reply{Text: text, Buttons: btn}); err != nil {
		t.Fatalf("Send: got %v, want nil", err)
	}
	reqs := x.fake.Requests("sendMessage")
	if len(reqs) < 2 {
		t.Fatalf("messages: got %d, want 2 or more", len(reqs))
	}
	var parts []string
	for i, r := range reqs {
		parts = append(parts, r.Params["text"])
		if n := len([]rune(r.Params["text"])); n > 4096 {
			t.Errorf("part %d: got %d characters, want ≤ 4096", i, n)
		}
		if has, last := r.Params["reply_markup"] != "", i == len(reqs)-1; has != last {
			t.Errorf("part %d keyboard: got %v, want %v", i, has, last)
		}
	}
	if got := strings.Join(parts, "\n"); got != text {
		t.Errorf("joined parts: got %d bytes, want the %d-byte original", len(got), len(text))
	}
}

func TestTelegramSplit(t *testing.T) {
	long := strings.Repeat("a", 5000)
	emoji := strings.Repeat("😀", 2100) // 2 UTF-16 units each
	cases := []struct {
		name, text string
		want       []int // UTF-16 length of each part
	}{
		{"empty", "", nil},
		{"blank", " \n ", nil},
		{"short", "xin chào", []int{8}},
		{"one long line", long, []int{4096, 904}},
		{"emoji", emoji, []int{4096, 104}},
		{"lines", strings.Repeat("x", 3000) + "\n" + strings.Repeat("y", 3000), []int{3000, 3000}},
	}
	for _, c := range cases {
		var got []int
		for _, p := range transport.Split(c.text, 4096, transport.UTF16) {
			got = append(got, transport.Len(p, transport.UTF16))
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

func TestTelegramLongCallbackDataDropped(t *testing.T) {
	ok64, bad65 := strings.Repeat("a", 64), strings.Repeat("b", 65)
	x := newHarness(t, nil, nil)
	r := flows.Reply{Text: "chọn", Buttons: [][]flows.Button{
		{{Label: "A", Data: ok64}, {Label: "B", Data: bad65}},
		{{Label: "C", Data: bad65}},
	}}
	if err := x.tg.Send(context.Background(), "tg:5", r); err != nil {
		t.Fatalf("Send: got %v, want nil", err)
	}
	want := [][]flows.Button{{{Label: "A", Data: ok64}}}
	if got := x.fake.Requests("sendMessage")[0].Buttons(); !reflect.DeepEqual(got, want) {
		t.Errorf("buttons: got %v, want %v", got, want)
	}
	if logs := x.logs.String(); !strings.Contains(logs, "button dropped") {
		t.Errorf("logs: got %q, want the dropped button logged", logs)
	}
}
