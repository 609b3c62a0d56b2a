package transport

import (
	"context"
	"log/slog"
	"time"

	"danvan/bot"
	"danvan/flows"
)

// MaxHandling bounds one update's handling by a transport, the sends of its replies included, so
// a stuck handler or send holds neither its chat nor a shutdown for longer. A webhook request
// that answers once its update is handled answers within it (plus its wait in the chat's queue):
// the HTTP server's write timeout must exceed it.
const MaxHandling = 2 * time.Minute

// Handle runs h on in; a panic is logged as a failed update (under the transport's name) rather
// than ending the process, and nothing is sent.
func Handle(ctx context.Context, h bot.Handler, in bot.Incoming, log *slog.Logger, name string) (replies []flows.Reply) {
	defer func() {
		if p := recover(); p != nil {
			log.Error(name+": handler panicked", "update", in.UpdateID, "chat", in.Chat, "panic", p)
			replies = nil
		}
	}()
	return h.Handle(ctx, in)
}
