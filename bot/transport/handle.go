package transport

import (
	"context"
	"log/slog"

	"danvan/bot"
	"danvan/flows"
)

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
