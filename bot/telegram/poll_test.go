package telegram

import (
	"context"
	"strconv"
	"testing"
	"time"

	"danvan/bot"
	"danvan/internal/faketg"
	"danvan/internal/testkit"
)

// TestTelegramSlowChatHoldsNoOther: while one chat's reply waits (its send hangs, or Telegram
// asks it to retry after 30 s), another chat's update is answered; the slow update is not
// confirmed to Telegram until it is finished, so a process that dies meanwhile and starts again
// gets it again.
func TestTelegramSlowChatHoldsNoOther(t *testing.T) {
	tests := []struct {
		name string
		slow func(x *harness) (waiting <-chan struct{}, release func())
	}{
		{"send hangs", func(x *harness) (<-chan struct{}, func()) {
			release := x.fake.Hold(1)
			waiting := make(chan struct{})
			go func() {
				x.fake.WaitRequests("sendMessage", 1, failsafe)
				close(waiting)
			}()
			return waiting, release
		}},
		{"429 retry_after 30", func(x *harness) (<-chan struct{}, func()) {
			x.fake.FailNext("sendMessage", 429, "Too Many Requests: retry after 30", 30)
			waiting, release := make(chan struct{}), make(chan struct{})
			x.tg.wait = func(ctx context.Context, d time.Duration) error {
				if d == 30*time.Second {
					close(waiting)
					select {
					case <-release:
					case <-ctx.Done():
					}
				}
				return ctx.Err()
			}
			return waiting, func() { close(release) }
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newHarness(t, nil, nil)
			waiting, release := tt.slow(x)
			slow := x.fake.Push(faketg.Text(1, "chậm"))
			x.run(t)
			mustClose(t, waiting, "chat 1's reply waiting")

			x.fake.Push(faketg.Text(2, "/help"))
			mustSendTo(t, x.fake, 2)
			for _, r := range x.fake.Requests("getUpdates") {
				if offset, _ := strconv.Atoi(r.Params["offset"]); offset > slow {
					t.Fatalf("getUpdates offset %d confirmed update %d while it was still in hand", offset, slow)
				}
			}

			// The process dies with chat 1's update in hand (it stops polling; its send still
			// waits) and a new one starts: it gets that update again.
			x.cancel()
			again := newStub()
			tg2, err := New(context.Background(), fakeConfig(x.fake), again, nil)
			if err != nil {
				t.Fatal(err)
			}
			testkit.MustRun(t, tg2.Run)
			// Chat 2's update, finished after chat 1's was taken, may come again too: the
			// dispatcher knows it.
			got := map[string]bool{}
			for range 2 {
				got[again.next(t).UpdateID] = true
			}
			if !got["tg:"+strconv.Itoa(slow)] {
				t.Errorf("after the restart: got updates %v, want %d again", got, slow)
			}
			release()
			select {
			case err := <-x.errc:
				if err != nil {
					t.Errorf("Run: got %v, want nil", err)
				}
			case <-time.After(failsafe):
				t.Fatalf("Run: still running %v after the slow reply was released", failsafe)
			}
			x.cancel = nil
		})
	}
}

// mustClose waits for ch to close.
func mustClose(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(failsafe):
		t.Fatalf("%s: got nothing within %v", what, failsafe)
	}
}

// mustSendTo waits for a successful sendMessage to chat.
func mustSendTo(t *testing.T, f *faketg.Server, chat int64) {
	t.Helper()
	deadline := time.After(failsafe)
	for {
		reqs, changed := f.Watch("sendMessage")
		for _, r := range reqs {
			if r.ChatID() == chat && !r.Failed {
				return
			}
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("sendMessage to chat %d: got none within %v, want the reply while another chat waits", chat, failsafe)
		}
	}
}

// TestTelegramFullBatchBehindSlowChat: when a whole getUpdates answer is updates already taken,
// behind one that is still in hand, nothing newer could be seen: those are confirmed, with a
// warning, and the next chat is answered all the same.
func TestTelegramFullBatchBehindSlowChat(t *testing.T) {
	x := newHarness(t, nil, nil)
	x.h.got = make(chan bot.Incoming, 3*pollLimit)
	release := x.fake.Hold(1)
	defer release()
	slow := x.fake.Push(faketg.Text(1, "chậm"))
	x.run(t)
	x.fake.WaitRequests("sendMessage", 1, failsafe)
	for i := range pollLimit {
		x.fake.Push(faketg.Text(2, "tin "+strconv.Itoa(i)))
	}
	x.fake.Push(faketg.Text(3, "/help"))
	mustSendTo(t, x.fake, 3)
	if !confirmedWithin(x.fake, slow, failsafe) {
		t.Errorf("getUpdates offset: got none past %d, want the full batch behind it confirmed", slow)
	}
	testkit.MustContain(t, x.logs.String(), "full batch of updates still in hand")
	release()
}
