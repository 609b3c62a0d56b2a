package bot

import (
	"context"
	"errors"

	"danvan/flows"
)

// Incoming is one update from any platform, reduced to what the dispatcher needs.
type Incoming struct {
	// UpdateID is unique per platform ("tg:8841"); a repeated one is handled once.
	UpdateID string
	// Chat is where replies go ("tg:12345"); User is who sent it ("tg:12345"). In a private chat
	// they are the same number, but the bot keeps them apart.
	Chat string
	User string
	// Name is the sender's display name, used when a person is first linked.
	Name  string
	Input flows.Input
	// Upload is the file the message carries (a document), for a MediaInput with Input.File
	// set; nil when none. Its bytes are fetched only when a step needs them.
	Upload *Upload
}

// Upload is a file a person sent. The transport knows how to fetch it; the dispatcher fetches
// it only for what flows asks (an admin's directory sheet), so nobody else's files are
// downloaded.
type Upload struct {
	Name string
	// Size is the size the platform announced, 0 when unknown: a file larger than the
	// dispatcher reads is refused without fetching it.
	Size int64
	// Fetch downloads the file, refusing one larger than limit bytes.
	Fetch func(ctx context.Context, limit int64) ([]byte, error)
}

// Handler turns one Incoming into the replies to send back. The Dispatcher is one; transports
// consume it.
type Handler interface {
	Handle(ctx context.Context, in Incoming) []flows.Reply
}

// Unreachables records people who blocked the bot, so nothing more is sent to them.
type Unreachables interface {
	MarkUnreachable(ctx context.Context, ident string) error
}

// ErrUnreachable is what a transport's send error wraps when the person cannot be reached on
// that channel any more (they blocked the bot, deleted their account). The transport has
// already told Unreachables; retrying is pointless.
var ErrUnreachable = errors.New("chat unreachable")

// Ident is the platform-qualified identity "<prefix>:<id>" of a chat or user; each transport
// has its own prefix ("tg", "zalo").
func Ident(prefix, id string) string { return prefix + ":" + id }
