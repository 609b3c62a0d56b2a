package testkit

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"danvan/bot"
	"danvan/flows"
)

// Wait is the failsafe for every wait of the end-to-end tests; nothing waits this long when
// all is well.
const Wait = 10 * time.Second

// syncMark starts a text the test sends only to learn that a chat's earlier updates are done.
const syncMark = "⟂sync "

// SyncHandler passes updates on to the dispatcher, except the test's sync marks, which it
// swallows (no reply, no state) and reports. Transports handle a chat's updates one at a time,
// each with all its sends, so when a mark arrives every update of that chat delivered before it
// has been answered: no sleeps, no guessing how many replies to await.
type SyncHandler struct {
	next bot.Handler
	*syncMarks
}

// syncMarks are the sync marks sent and not yet seen, shared by the handlers of one test.
type syncMarks struct {
	mu    sync.Mutex
	seq   int
	marks map[string]chan struct{}
}

// NewSyncHandler wraps next.
func NewSyncHandler(next bot.Handler) *SyncHandler {
	return &SyncHandler{next: next, syncMarks: &syncMarks{marks: map[string]chan struct{}{}}}
}

// Also wraps next in a handler that shares h's marks: replicas, each with its own dispatcher,
// where a mark sent to one may be handled by another.
func (h *SyncHandler) Also(next bot.Handler) *SyncHandler {
	return &SyncHandler{next: next, syncMarks: h.syncMarks}
}

// Handle implements bot.Handler.
func (h *SyncHandler) Handle(ctx context.Context, in bot.Incoming) []flows.Reply {
	if tok, ok := strings.CutPrefix(in.Input.Text, syncMark); ok && in.Input.Kind == flows.TextInput {
		h.mu.Lock()
		ch := h.marks[tok]
		delete(h.marks, tok)
		h.mu.Unlock()
		if ch != nil {
			close(ch)
		}
		return nil
	}
	return h.next.Handle(ctx, in)
}

// Barrier sends a mark with send (as text from the chat to wait on) and waits until the
// handler has seen it.
func (h *SyncHandler) Barrier(tb testing.TB, send func(text string)) {
	tb.Helper()
	h.mu.Lock()
	h.seq++
	tok := strconv.Itoa(h.seq)
	ch := make(chan struct{})
	h.marks[tok] = ch
	h.mu.Unlock()
	send(syncMark + tok)
	timer := time.NewTimer(Wait)
	defer timer.Stop()
	select {
	case <-ch:
	case <-timer.C:
		tb.Fatalf("sync mark %s: got no answer within %v, want the chat's updates handled", tok, Wait)
	}
}

// HandlerFunc adapts a function to bot.Handler; nil handles nothing.
type HandlerFunc func(ctx context.Context, in bot.Incoming) []flows.Reply

// Handle calls f.
func (f HandlerFunc) Handle(ctx context.Context, in bot.Incoming) []flows.Reply {
	if f == nil {
		return nil
	}
	return f(ctx, in)
}
