package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"danvan/flows"
)

// MenuStore keeps per Zalo chat the choices on screen, so "2" can be read as the second one. A
// chat's menu is a list of segments, one per message that offered choices: a reply to the
// chat's own message starts it again, a message the bot sends of its own accord (a reminder)
// adds to it. With a shared store (storage.Store on Redis) a number typed to any replica
// chooses. A segment is opaque to the store: the transport's JSON.
type MenuStore interface {
	// Menu returns the chat's segments, oldest first; nil when there are none.
	Menu(ctx context.Context, chat string) ([][]byte, error)
	// AddMenu appends seg to the chat's menu, emptied first with replace, and returns the
	// segments up to and including seg, all in one step: messages added at once each get the
	// segments before their own. It returns nil, keeping nothing, when the menu is full (a
	// full menu drops nothing: that would renumber the options after). The menu may be
	// forgotten after ttl.
	AddMenu(ctx context.Context, chat string, seg []byte, replace bool, ttl time.Duration) ([][]byte, error)
}

// zaloMenuTTL is how long a chat's menu is kept. An old menu is harmless (its buttons' data
// carries the chat's state version, so flows refuses a stale choice); the TTL only lets Redis
// forget the chats that went quiet.
const zaloMenuTTL = 24 * time.Hour

// zaloMenusMax bounds the chats whose last choices memMenus remembers (a few hundred bytes each).
const zaloMenusMax = 20_000

// zaloMenuSegments bounds the segments of one chat's menu in memMenus, as storage.MenuSegments
// does in Redis: ten messages with choices over one screen is more than a person reads.
const zaloMenuSegments = 10

// menu reads the chat's choices. A menu that cannot be read counts as none: a typed number then
// reaches flows as text, and flows, which never takes a bare number for a choice, shows the
// screen again with its options, so nothing wrong is ever chosen.
func (z *Zalo) menu(ctx context.Context, chat string) zaloMenu {
	segs, err := z.menus.Menu(ctx, chat)
	if err == nil {
		var m zaloMenu
		if m, err = joinMenus(segs); err == nil {
			return m
		}
	}
	z.log.Warn("zalo: menu not read", "chat", chat, "err", err)
	return zaloMenu{}
}

// renderChoices writes r's text with its choices, numbered after the segments already in the
// chat's menu (own: none), and adds them to the menu. Choices that cannot be kept, or find the
// menu full, are left out: an option shown must be one its key chooses, and a key the menu does
// not hold could choose another message's option.
func (z *Zalo) renderChoices(ctx context.Context, chat string, r flows.Reply, own bool) string {
	seg := zaloMenu{Free: r.Free}
	for _, row := range r.Buttons {
		seg.Buttons = append(seg.Buttons, row...)
	}
	if len(seg.Buttons) == 0 {
		return r.Text
	}
	prev, err := z.addMenu(ctx, chat, seg, own)
	if errors.Is(err, errMenuFull) {
		z.log.Info("zalo: choices not offered", "chat", chat, "err", err)
		return r.Text
	}
	if err != nil {
		z.log.Warn("zalo: choices not offered", "chat", chat, "err", err)
		return r.Text
	}
	text, _ := zaloRenderAfter(r, prev)
	return text
}

// errMenuFull reports a menu that takes no more segments.
var errMenuFull = errors.New("menu full")

// addMenu adds seg to the chat's menu and returns the menu before it.
func (z *Zalo) addMenu(ctx context.Context, chat string, seg zaloMenu, replace bool) (zaloMenu, error) {
	raw, err := json.Marshal(seg)
	if err != nil {
		return zaloMenu{}, fmt.Errorf("encode menu: %w", err)
	}
	segs, err := z.menus.AddMenu(ctx, chat, raw, replace, zaloMenuTTL)
	if err != nil {
		return zaloMenu{}, err
	}
	if len(segs) == 0 {
		return zaloMenu{}, errMenuFull
	}
	return joinMenus(segs[:len(segs)-1])
}

// joinMenus reads segments as one menu: their choices in order, keyed in the first one's style
// (zaloRenderAfter renders a later message's keys so).
func joinMenus(segs [][]byte) (zaloMenu, error) {
	var m zaloMenu
	for i, raw := range segs {
		var seg zaloMenu
		if err := json.Unmarshal(raw, &seg); err != nil {
			return zaloMenu{}, fmt.Errorf("decode menu: %w", err)
		}
		if i == 0 {
			m.Free = seg.Free
		}
		m.Buttons = append(m.Buttons, seg.Buttons...)
	}
	return m, nil
}

// input turns a typed line into flows input: a /command, a choice of chat's last menu, or
// text. Only a line that is no command reads the menu: one round trip at most per message.
func (z *Zalo) input(ctx context.Context, chat, text string) flows.Input {
	s := strings.TrimSpace(text)
	if cmd, ok := strings.CutPrefix(s, "/"); ok && cmd != "" {
		name, args, _ := strings.Cut(cmd, " ")
		return flows.Input{Kind: flows.CommandInput, Command: strings.ToLower(name), Args: strings.TrimSpace(args)}
	}
	if b, ok := z.menu(ctx, chat).pick(s); ok {
		return flows.Input{Kind: flows.ButtonInput, Data: b.Data}
	}
	return flows.Input{Kind: flows.TextInput, Text: text}
}

// memMenus is the MenuStore of one process: a map bounded in chats. It ignores the TTL; an old
// menu is harmless. After a restart it is empty, and a typed number shows the screen again.
type memMenus struct {
	mu  sync.Mutex
	m   map[string][][]byte
	max int
}

var _ MenuStore = (*memMenus)(nil)

// Menu returns the chat's segments, nil when none.
func (s *memMenus) Menu(_ context.Context, chat string) ([][]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[chat], nil
}

// AddMenu appends seg under the mutex; past max chats one other chat's menu is forgotten.
func (s *memMenus) AddMenu(_ context.Context, chat string, seg []byte, replace bool, _ time.Duration) ([][]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string][][]byte{}
	}
	segs, ok := s.m[chat]
	if !ok && len(s.m) >= s.max {
		for k := range s.m { // evict one at random: the cost is one screen shown again
			delete(s.m, k)
			break
		}
	}
	if replace {
		segs = nil
	}
	if len(segs) >= zaloMenuSegments {
		return nil, nil
	}
	// A new slice each time: callers hold the old one without the lock.
	segs = append(segs[:len(segs):len(segs)], seg)
	s.m[chat] = segs
	return segs, nil
}
