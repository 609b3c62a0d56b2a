package bot_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/redis/go-redis/v9"

	"danvan/bot"
	"danvan/flows"
	"danvan/internal/redistest"
	"danvan/internal/testkit"
	"danvan/storage"
)

// errDropped is what every command gets while dropAfter has the connection down.
var errDropped = errors.New("read tcp 127.0.0.1:6379: connection reset by peer")

// dropAfter is a go-redis hook that, once armed, lets the first command trigger picks go through
// and then fails every command as a lost connection would, until up is called.
type dropAfter struct {
	trigger func(redis.Cmder) bool

	mu          sync.Mutex
	armed, down bool
}

func (h *dropAfter) arm() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.armed = true
}

func (h *dropAfter) up() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.armed, h.down = false, false
}

// pass reports whether a command may go out: not while the connection is down.
func (h *dropAfter) pass(redis.Cmder) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return !h.down
}

// sent marks the connection down once the armed trigger's command went through.
func (h *dropAfter) sent(cmd redis.Cmder) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.armed && cmd.Err() == nil && h.trigger(cmd) {
		h.down = true
	}
}

func (h *dropAfter) DialHook(next redis.DialHook) redis.DialHook {
	return func(ctx context.Context, network, addr string) (net.Conn, error) { return next(ctx, network, addr) }
}

func (h *dropAfter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if !h.pass(cmd) {
			cmd.SetErr(errDropped)
			return errDropped
		}
		err := next(ctx, cmd)
		h.sent(cmd)
		return err
	}
}

func (h *dropAfter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		for _, cmd := range cmds {
			if !h.pass(cmd) {
				for _, c := range cmds {
					c.SetErr(errDropped)
				}
				return errDropped
			}
		}
		err := next(ctx, cmds)
		for _, cmd := range cmds {
			h.sent(cmd)
		}
		return err
	}
}

// isSubmitScript picks the submission script: the one script whose keys name a report's history.
func isSubmitScript(cmd redis.Cmder) bool {
	args := cmd.Args()
	if len(args) == 0 || !strings.HasPrefix(strings.ToLower(fmt.Sprint(args[0])), "eval") {
		return false
	}
	for _, a := range args {
		if s, ok := a.(string); ok && strings.Contains(s, ":hist:") {
			return true
		}
	}
	return false
}

// TestDispatcherSubmitStoredStateLost: the connection drops after the submission is stored but
// before the chat's state is. Lan is told the truth, that the report came in with its reference,
// and pressing Gửi again (or its redelivery) confirms the same submission, never "busy" or
// "changed elsewhere", and submits nothing twice.
func TestDispatcherSubmitStoredStateLost(t *testing.T) {
	rdb := redistest.Client(redistest.Addr())
	drop := &dropAfter{trigger: isSubmitScript}
	rdb.AddHook(drop)
	store := storage.New(rdb, testkit.MustPrefix(t))
	t.Cleanup(func() { _ = store.Close() })
	d := testkit.MustDispatcher(t, store, testkit.NewClock(t))
	seq := 0
	lan := testkit.MustLanAtForm(t, d, &seq)
	for _, v := range []string{"1.250", "1100", "20", "khoảng 1.000"} {
		lan.Text(v)
	}
	lan.MustSay("Kiểm tra lại trước khi gửi")
	send := lan.MustButton("Gửi")

	drop.arm()
	press := bot.Incoming{UpdateID: "dropped:1", Chat: "tg:2001", User: "tg:2001", Name: "Lan", Input: flows.Input{Kind: flows.ButtonInput, Data: send.Data}}
	first := texts(d.Handle(context.Background(), press))
	drop.up()
	sub := testkit.MustSubmitted(t, store)
	again := mustSaid(lan, send)                                // Lan presses Gửi again
	redelivered := texts(d.Handle(context.Background(), press)) // or the platform redelivers
	for i, said := range []string{first, again, redelivered} {
		if !strings.Contains(said, "✅ Đã gửi báo cáo") || !strings.Contains(said, "Số tham chiếu: "+sub.Ref+" (phiên bản 1)") {
			t.Errorf("answer %d: got %q, want the confirmation of %s version 1", i+1, said, sub.Ref)
		}
		for _, lie := range []string{"bận", "thay đổi ở nơi khác"} {
			if strings.Contains(said, lie) {
				t.Errorf("answer %d: got %q, want no %q", i+1, said, lie)
			}
		}
	}
	if got := testkit.MustSubmitted(t, store); got.Version != 1 {
		t.Errorf("submission: got version %d, want 1", got.Version)
	}
}

// texts joins the texts of replies.
func texts(replies []flows.Reply) string {
	var out []string
	for _, r := range replies {
		out = append(out, r.Text)
	}
	return strings.Join(out, "\n")
}

// mustSaid presses b (a new update each time) and returns what Lan was told.
func mustSaid(c *testkit.Chat, b flows.Button) string {
	c.Send(flows.Input{Kind: flows.ButtonInput, Data: b.Data})
	return c.Said()
}
