package bot_test

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"danvan/bot"
	"danvan/flows"
	"danvan/internal/testkit"
)

// handledLog records what the dispatcher tells its Observer.
type handledLog struct {
	mu  sync.Mutex
	got []string // "channel kind outcome"
}

func (h *handledLog) Handled(channel, kind, outcome string, d time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if d <= 0 {
		outcome += " (no time)"
	}
	h.got = append(h.got, channel+" "+kind+" "+outcome)
}

func (h *handledLog) last(n int) []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.got[len(h.got)-n:]...)
}

// TestDispatcherObserves: every update is reported once with its platform, kind and outcome (a
// redelivered one as a duplicate, one the store fails as failed), and the debug log has one
// line per update that names nobody and quotes nothing typed.
func TestDispatcherObserves(t *testing.T) {
	_, d, _ := testkit.MustBot(t)
	obs, logs := &handledLog{}, &testkit.LogBuffer{}
	d.Observer, d.Log = obs, logs.Logger(slog.LevelDebug)
	seq := 0
	testkit.MustLanAtForm(t, d, &seq)
	in := bot.Incoming{UpdateID: "tg:999", Chat: "tg:2001", User: "tg:2001", Name: "Lan", Input: flows.Input{Kind: flows.TextInput, Text: "1250"}}
	d.Handle(context.Background(), in)
	d.Handle(context.Background(), in)
	down := testkit.MustDispatcher(t, testkit.DownStore(t), testkit.NewClock(t))
	down.Observer = obs
	down.Handle(context.Background(), bot.Incoming{UpdateID: "zalo:1", Chat: "zalo:77", User: "zalo:77", Input: flows.Input{Kind: flows.CommandInput, Command: "help"}})

	want := []string{"tg text ok", "tg text duplicate", "zalo command failed"}
	if got := obs.last(3); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("observed: got %q, want %q", got, want)
	}
	// The admin's and Lan's setup, then the answer and its redelivery: one line each.
	lines := strings.Count(logs.String(), `msg="update handled"`)
	if lines != seq+2 {
		t.Errorf("debug lines: got %d, want %d (one per update)", lines, seq+2)
	}
	testkit.MustContain(t, logs.String(), `msg="update handled" channel=tg kind=text outcome=duplicate ms=`)
	for _, leak := range []string{"Lan", "2001", "1250", "tg:999"} {
		for line := range strings.Lines(logs.String()) {
			_, attrs, _ := strings.Cut(line, " msg=") // after the time, whose digits mean nothing
			if strings.Contains(attrs, "update handled") && strings.Contains(attrs, leak) {
				t.Errorf("debug line %q: got %q in it, want no name, id or text", line, leak)
			}
		}
	}
}
