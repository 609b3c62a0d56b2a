package telegram

import (
	"context"
	"sync"
	"time"
)

// inHand tracks the updates taken from getUpdates and not finished yet. Its floor is the
// offset the poll loop confirms to Telegram: every update below it is finished, so a process
// killed at any moment gets each unfinished update again on restart. Safe for concurrent use.
type inHand struct {
	mu      sync.Mutex
	ids     map[int]struct{}
	changed chan struct{} // closed and replaced whenever an update finishes
}

func newInHand() *inHand {
	return &inHand{ids: map[int]struct{}{}, changed: make(chan struct{})}
}

// add records update id as taken.
func (h *inHand) add(id int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.ids[id] = struct{}{}
}

// done records update id as finished.
func (h *inHand) done(id int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.ids, id)
	close(h.changed)
	h.changed = make(chan struct{})
}

// floor is the lowest update still in hand, or next (the first not taken) when none is.
func (h *inHand) floor(next int) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	low := next
	for id := range h.ids {
		low = min(low, id)
	}
	return low
}

// forget stops holding the floor back for the updates in hand: they still finish, but a
// process killed now would not get them again.
func (h *inHand) forget() {
	h.mu.Lock()
	defer h.mu.Unlock()
	clear(h.ids)
}

// wait returns when an update finishes, after d, or when ctx is done.
func (h *inHand) wait(ctx context.Context, d time.Duration) {
	h.mu.Lock()
	changed := h.changed
	h.mu.Unlock()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-changed:
	case <-timer.C:
	case <-ctx.Done():
	}
}
