package testkit

import (
	"context"
	"sync"

	"danvan/bot"
	"danvan/flows"
)

// RecordSender is a bot.Sender of a made-up channel that keeps what it is given, for tests
// of who gets a message on which channel.
type RecordSender struct {
	// Channel is what Prefix returns: the identity prefix the sender serves, such as "tg".
	Channel string

	mu  sync.Mutex
	got []flows.Reply
}

var _ bot.Sender = (*RecordSender)(nil)

// Prefix implements bot.Sender.
func (r *RecordSender) Prefix() string { return r.Channel }

// Send implements bot.Sender: it keeps reply.
func (r *RecordSender) Send(_ context.Context, _ string, reply flows.Reply) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, reply)
	return nil
}

// Texts returns the texts of the replies sent so far, in order.
func (r *RecordSender) Texts() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, g := range r.got {
		out = append(out, g.Text)
	}
	return out
}

// Replies returns the replies sent so far, in order.
func (r *RecordSender) Replies() []flows.Reply {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]flows.Reply(nil), r.got...)
}
