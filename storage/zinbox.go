package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// ErrInboxFull is PushUpdate refusing an update: its chat already has InboxChatMax waiting.
var ErrInboxFull = errors.New("inbox: chat queue full")

// InboxChatMax bounds the updates waiting in one chat's queue of the Zalo inbox.
const InboxChatMax = 100

// The Zalo inbox keeps the updates the webhook acknowledged until they are handled. Its keys
// share the hash tag {zin}, so on Cluster they sit in one slot and one script reads and writes
// them together:
//
//	P{zin}:ready        sorted set of the chats with updates waiting; the score is the moment
//	                    (Unix ms) from which the chat may be claimed: its first push, the end of
//	                    a claim's lease, or the moment its last update was done
//	P{zin}:chat:<chat>  list of the chat's updates, oldest first; each opaque to the store
//
// A chat is in the set exactly while its list has updates: one script appends and adds, one
// drops and removes. A take moves the chat's score to the end of its lease, so nobody else
// claims the chat, and so the chat's next update, until DoneUpdate or the lease runs out.
//
// A tenant's own Zalo bot has an inbox of its own, under the hash tag {zin:<bot>} ("{zin:zalo.lc}"),
// so each bot's transport takes only its own chats' updates (ZaloInbox); the Store's own methods
// are the deployment's bot's, {zin}.
func (s *Store) inboxReady() string           { return ZaloInbox{s: s}.ready() }
func (s *Store) inboxChat(chat string) string { return ZaloInbox{s: s}.chat(chat) }

// ZaloInbox is the inbox of one Zalo bot (zalo.Inbox): the deployment's with bot "zalo" or "",
// a tenant's own bot's with its identity prefix ("zalo.lc").
type ZaloInbox struct {
	s   *Store
	bot string
}

// ZaloInbox returns the inbox of bot, by its identity prefix.
func (s *Store) ZaloInbox(bot string) ZaloInbox {
	if bot == "zalo" {
		bot = ""
	}
	return ZaloInbox{s: s, bot: bot}
}

func (b ZaloInbox) tag() string {
	if b.bot == "" {
		return "{zin}"
	}
	return "{zin:" + b.bot + "}"
}

func (b ZaloInbox) ready() string           { return b.s.prefix + b.tag() + ":ready" }
func (b ZaloInbox) chat(chat string) string { return b.s.prefix + b.tag() + ":chat:" + chat }

// inboxPushScript appends an update to a chat's list and, unless it is waiting or held already,
// adds the chat to the set. KEYS: list, set; ARGV: update, chat, now (ms), maximum. It returns
// 0 when the list is full.
var inboxPushScript = redis.NewScript(`
if redis.call('LLEN', KEYS[1]) >= tonumber(ARGV[4]) then return 0 end
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], 'NX', ARGV[3], ARGV[2])
return 1
`)

// PushUpdate appends update to chat's queue in the Zalo inbox; once it returns nil the update
// survives this process. It fails with ErrInboxFull past InboxChatMax.
func (s *Store) PushUpdate(ctx context.Context, chat string, update []byte, now time.Time) error {
	return ZaloInbox{s: s}.PushUpdate(ctx, chat, update, now)
}

// PushUpdate appends update to chat's queue in the bot's inbox, as Store.PushUpdate does.
func (b ZaloInbox) PushUpdate(ctx context.Context, chat string, update []byte, now time.Time) error {
	n, err := inboxPushScript.Run(ctx, b.s.rdb, []string{b.chat(chat), b.ready()}, update, chat, now.UnixMilli(), InboxChatMax).Int()
	if err != nil {
		return fmt.Errorf("keep update of %s: %w", chat, err)
	}
	if n == 0 {
		return fmt.Errorf("keep update of %s: %w", chat, ErrInboxFull)
	}
	return nil
}

// inboxTakeScript holds the chat that has waited longest and is claimable at ARGV[1] until
// ARGV[1]+ARGV[2] and returns it; false when none is. KEYS: set; ARGV: now (ms), lease (ms).
// Its list is read by inboxHeadScript after: a script may only touch the keys it is given.
var inboxTakeScript = redis.NewScript(`
local c = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1)
if #c == 0 then return false end
redis.call('ZADD', KEYS[1], 'XX', tonumber(ARGV[1]) + tonumber(ARGV[2]), c[1])
return c[1]
`)

// inboxHeadScript returns the head of a chat's list, dropping the chat from the set when the list
// is empty. KEYS: list, set; ARGV: chat.
var inboxHeadScript = redis.NewScript(`
local h = redis.call('LINDEX', KEYS[1], 0)
if h then return h end
redis.call('ZREM', KEYS[2], ARGV[1])
return false
`)

// TakeUpdate takes the oldest update of the chat that has waited longest and is held by no one, and
// holds the chat until now+lease. It returns chat "" when nothing is waiting.
func (s *Store) TakeUpdate(ctx context.Context, now time.Time, lease time.Duration) (string, []byte, error) {
	return ZaloInbox{s: s}.TakeUpdate(ctx, now, lease)
}

// TakeUpdate takes an update of the bot's inbox, as Store.TakeUpdate does.
func (b ZaloInbox) TakeUpdate(ctx context.Context, now time.Time, lease time.Duration) (string, []byte, error) {
	for range 10 { // a chat found empty is dropped, then the next one is tried
		chat, err := inboxTakeScript.Run(ctx, b.s.rdb, []string{b.ready()}, now.UnixMilli(), lease.Milliseconds()).Text()
		if errors.Is(err, redis.Nil) {
			return "", nil, nil
		}
		if err != nil {
			return "", nil, fmt.Errorf("claim an update: %w", err)
		}
		head, err := inboxHeadScript.Run(ctx, b.s.rdb, []string{b.chat(chat), b.ready()}, chat).Text()
		if errors.Is(err, redis.Nil) {
			continue
		}
		if err != nil {
			return "", nil, fmt.Errorf("claim an update of %s: %w", chat, err)
		}
		return chat, []byte(head), nil
	}
	return "", nil, nil
}

// inboxDoneScript drops ARGV[1] from the head of a chat's list when it is still there, then drops
// the chat from the set when its list is empty, or makes it claimable from ARGV[3]. KEYS: list,
// set; ARGV: update, chat, now (ms).
var inboxDoneScript = redis.NewScript(`
if redis.call('LINDEX', KEYS[1], 0) == ARGV[1] then redis.call('LPOP', KEYS[1]) end
if redis.call('LLEN', KEYS[1]) == 0 then
  redis.call('ZREM', KEYS[2], ARGV[2])
else
  redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
end
return 1
`)

// DoneUpdate drops update, handled, from the head of chat's queue and lets the chat's next update be
// claimed. An update no longer at the head (a worker that outlived its lease, whose update
// another one handled) drops nothing.
func (s *Store) DoneUpdate(ctx context.Context, chat string, update []byte, now time.Time) error {
	return ZaloInbox{s: s}.DoneUpdate(ctx, chat, update, now)
}

// DoneUpdate drops a handled update from the bot's inbox, as Store.DoneUpdate does.
func (b ZaloInbox) DoneUpdate(ctx context.Context, chat string, update []byte, now time.Time) error {
	if err := inboxDoneScript.Run(ctx, b.s.rdb, []string{b.chat(chat), b.ready()}, update, chat, now.UnixMilli()).Err(); err != nil {
		return fmt.Errorf("drop handled update of %s: %w", chat, err)
	}
	return nil
}
