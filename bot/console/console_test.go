package console

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"danvan/bot"
	"danvan/flows"
)

// echo answers every input with what it was, under a question with two choices.
type echo struct{ got []flows.Input }

func (e *echo) Handle(_ context.Context, in bot.Incoming) []flows.Reply {
	e.got = append(e.got, in.Input)
	return []flows.Reply{{Text: "Chọn:", Buttons: [][]flows.Button{{{Label: "📤 Gửi", Data: "1|send|"}, {Label: "✖️ Hủy", Data: "1|cancel|"}}}}}
}

// Both styles show the choices and read a typed one back as the button; a /command and text
// go through as they are.
func TestConsoleStyles(t *testing.T) {
	tests := []struct {
		style, shows, pick string
	}{
		{"", "   1) 📤 Gửi\n   2) ✖️ Hủy", "2"},
		{"zalo", "Nhắn số để chọn: 1 – Gửi · 2 – Hủy", "hủy"},
	}
	for _, tt := range tests {
		t.Run("style="+tt.style, func(t *testing.T) {
			h, out := &echo{}, &strings.Builder{}
			c := &Transport{In: strings.NewReader("/report Q1\n" + tt.pick + "\nxin chào\n"), Out: out,
				Handler: h, User: Ident("organiser"), Name: "Mai", Style: tt.style}
			if err := c.Run(context.Background()); err != nil {
				t.Fatalf("Run: got %v, want nil", err)
			}
			if !strings.Contains(out.String(), tt.shows) {
				t.Errorf("output: got %q, want it to contain %q", out.String(), tt.shows)
			}
			want := []flows.Input{
				{Kind: flows.CommandInput, Command: "report", Args: "Q1"},
				{Kind: flows.ButtonInput, Data: "1|cancel|"},
				{Kind: flows.TextInput, Text: "xin chào"},
			}
			if len(h.got) != len(want) {
				t.Fatalf("inputs: got %+v, want %+v", h.got, want)
			}
			for i := range want {
				if h.got[i] != want[i] {
					t.Errorf("input %d: got %+v, want %+v", i, h.got[i], want[i])
				}
			}
		})
	}
}

// notifier is a Handler that, like the dispatcher on a leader's return, sends a notice to
// another of the console's people through the console itself while it handles the line.
type notifier struct{ c *Transport }

func (n notifier) Handle(ctx context.Context, in bot.Incoming) []flows.Reply {
	if err := n.c.Send(ctx, Ident("organiser"), flows.Reply{Text: "↩️ Báo cáo bị trả lại: Sai số liệu"}); err != nil {
		return []flows.Reply{{Text: "send: " + err.Error()}}
	}
	return []flows.Reply{{Text: "Đã trả lại báo cáo."}}
}

// blocker is a Handler that never answers until its context ends.
type blocker struct{ started chan struct{} }

func (b blocker) Handle(ctx context.Context, _ bot.Incoming) []flows.Reply {
	close(b.started)
	<-ctx.Done()
	return []flows.Reply{{Text: "too late"}}
}

// mustReturnWithin runs c until ctx's deadline and returns its error; a Run still going then
// fails the test instead of hanging it.
func mustReturnWithin(t *testing.T, ctx context.Context, run func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- run() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		t.Fatalf("Run: still running at the deadline, want it returned")
		return nil
	}
}

// A notice the handling of a line sends to the console (a leader returns the organiser's
// report) is printed, and the console goes on: it used to wait for itself forever.
func TestConsoleNoticeWhileHandling(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	in, feed := io.Pipe()
	out := &syncBuffer{}
	c := &Transport{In: in, Out: out, User: Ident("leader"), Name: "Hùng"}
	c.Handler = notifier{c}
	go func() {
		_, _ = io.WriteString(feed, "Sai số liệu\n/help\n")
		_ = feed.Close() // Ctrl+D
	}()
	if err := mustReturnWithin(t, ctx, func() error { return c.Run(ctx) }); err != nil {
		t.Fatalf("Run: got %v, want nil", err)
	}
	got := out.String()
	for _, want := range []string{"📨 console:organiser:", "Báo cáo bị trả lại: Sai số liệu", "Đã trả lại báo cáo."} {
		if !strings.Contains(got, want) {
			t.Errorf("output: got %q, want it to contain %q", got, want)
		}
	}
	if n := strings.Count(got, "Đã trả lại báo cáo."); n != 2 {
		t.Errorf("answers: got %d, want 2 (both lines handled)", n)
	}
}

// SIGINT or SIGTERM (ctx ending) stops the console at once: while the reader waits for a
// terminal that sends nothing, and while a line is in the handler.
func TestConsoleStopsWhenCancelled(t *testing.T) {
	tests := []struct {
		name  string
		typed string
	}{
		{"reader waiting", ""},
		{"line in hand", "/report\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			deadline, stop := context.WithTimeout(t.Context(), 10*time.Second)
			defer stop()
			in, feed := io.Pipe()
			defer feed.Close()
			h := blocker{started: make(chan struct{})}
			out := &syncBuffer{}
			c := &Transport{In: in, Out: out, Handler: h, User: Ident("organiser"), Name: "Lan"}
			ctx, cancel := context.WithCancel(deadline)
			go func() {
				if tt.typed != "" {
					_, _ = io.WriteString(feed, tt.typed)
					<-h.started
				}
				cancel() // the signal
			}()
			if err := mustReturnWithin(t, deadline, func() error { return c.Run(ctx) }); !errors.Is(err, context.Canceled) {
				t.Fatalf("Run: got %v, want context.Canceled", err)
			}
			if strings.Contains(out.String(), "too late") {
				t.Errorf("output: got %q, want nothing printed after Run returned", out.String())
			}
		})
	}
}

// syncBuffer is an output the console and the test may use at once.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
