package zalo

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Inbox keeps the updates the webhook has acknowledged until they are handled, in order per
// chat. The webhook answers Zalo once the update is pushed, not once it is handled (handling and
// sending can take minutes, and Zalo counts a slow webhook as unreachable); so an update lives
// in the Inbox from the 200 until its replies are sent. With a shared store (storage.Store on
// Redis) a process that dies after the 200 loses nothing: once the claim's lease runs out,
// another replica, or the process started again, claims the update and handles it. Updates are
// opaque to the store: the transport's JSON.
type Inbox interface {
	// PushUpdate appends update to chat's queue, durably once it returns nil; now orders the chats
	// waiting to be claimed. It fails with ErrInboxFull past the queue's bound.
	PushUpdate(ctx context.Context, chat string, update []byte, now time.Time) error
	// TakeUpdate takes the oldest update of a chat no one holds and holds that chat until
	// now+lease, so its next update waits for DoneUpdate: one update per chat in hand at a time,
	// across processes. An empty chat ("") means nothing is waiting.
	TakeUpdate(ctx context.Context, now time.Time, lease time.Duration) (chat string, update []byte, err error)
	// DoneUpdate drops update from the head of chat's queue, when it is still there, and lets the
	// chat's next update be claimed.
	DoneUpdate(ctx context.Context, chat string, update []byte, now time.Time) error
}

// ErrInboxFull is PushUpdate refusing an update because its chat has too many waiting; the webhook
// answers 503, and Zalo delivers the update again later.
var ErrInboxFull = errors.New("zalo inbox: chat queue full")

// InboxChatMax bounds the updates waiting in one chat's queue: a person types far fewer before
// the bot answers, so more means the bot is stuck or someone floods it.
const InboxChatMax = 100

// memInbox is the Inbox of one process: what it holds is lost if the process dies, so it suits
// the demo and tests, not replicas. A chat is claimable from its at, in order of at.
type memInbox struct {
	mu    sync.Mutex
	chats map[string]*memChat
}

type memChat struct {
	updates [][]byte
	at      time.Time // claimable from then: its push, or the end of its claim
}

var _ Inbox = (*memInbox)(nil)

// PushUpdate appends update to chat's queue.
func (b *memInbox) PushUpdate(_ context.Context, chat string, update []byte, now time.Time) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.chats == nil {
		b.chats = map[string]*memChat{}
	}
	c := b.chats[chat]
	if c == nil {
		c = &memChat{at: now}
		b.chats[chat] = c
	}
	if len(c.updates) >= InboxChatMax {
		return ErrInboxFull
	}
	c.updates = append(c.updates, update)
	return nil
}

// TakeUpdate takes the head of the chat that has waited longest and is held by no one.
func (b *memInbox) TakeUpdate(_ context.Context, now time.Time, lease time.Duration) (string, []byte, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	best := ""
	for chat, c := range b.chats {
		if !c.at.After(now) && (best == "" || c.at.Before(b.chats[best].at)) {
			best = chat
		}
	}
	if best == "" {
		return "", nil, nil
	}
	c := b.chats[best]
	c.at = now.Add(lease)
	return best, c.updates[0], nil
}

// DoneUpdate drops update from the head of chat's queue and makes the chat claimable again.
func (b *memInbox) DoneUpdate(_ context.Context, chat string, update []byte, now time.Time) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	c := b.chats[chat]
	if c == nil {
		return nil
	}
	if len(c.updates) > 0 && string(c.updates[0]) == string(update) {
		c.updates = c.updates[1:]
	}
	if len(c.updates) == 0 {
		delete(b.chats, chat)
		return nil
	}
	c.at = now
	return nil
}
