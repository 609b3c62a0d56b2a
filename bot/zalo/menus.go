package zalo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"danvan/bot/transport"
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

// menuTTL is how long a chat's menu is kept. An old menu is harmless (its buttons' data
// carries the chat's state version, so flows refuses a stale choice); the TTL only lets Redis
// forget the chats that went quiet.
const menuTTL = 24 * time.Hour

// menusMax bounds the chats whose last choices memMenus remembers (a few hundred bytes each).
const menusMax = 20_000

// menuSegments bounds the segments of one chat's menu in memMenus, as storage.MenuSegments
// does in Redis: ten messages with choices over one screen is more than a person reads.
const menuSegments = 10

// menu reads the chat's choices. A menu that cannot be read counts as none: a typed number then
// reaches flows as text, and flows, which never takes a bare number for a choice, shows the
// screen again with its options, so nothing wrong is ever chosen.
func (z *Transport) menu(ctx context.Context, chat string) transport.Menu {
	segs, err := z.menus.Menu(ctx, chat)
	if err == nil {
		var m transport.Menu
		if m, err = joinMenus(segs); err == nil {
			return m
		}
	}
	z.log.Warn("zalo: menu not read", "chat", chat, "err", err)
	return transport.Menu{}
}

// renderChoices writes r's text with its choices, numbered after the segments already in the
// chat's menu (own: none), and adds them to the menu. Choices that cannot be kept, or find the
// menu full, are left out: an option shown must be one its key chooses, and a key the menu does
// not hold could choose another message's option.
func (z *Transport) renderChoices(ctx context.Context, chat string, r flows.Reply, own bool) string {
	seg := transport.Menu{Free: r.Free}
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
	text, _ := transport.RenderAfter(r, prev)
	return text
}

// errMenuFull reports a menu that takes no more segments.
var errMenuFull = errors.New("menu full")

// addMenu adds seg to the chat's menu and returns the menu before it.
func (z *Transport) addMenu(ctx context.Context, chat string, seg transport.Menu, replace bool) (transport.Menu, error) {
	raw, err := json.Marshal(seg)
	if err != nil {
		return transport.Menu{}, fmt.Errorf("encode menu: %w", err)
	}
	segs, err := z.menus.AddMenu(ctx, chat, raw, replace, menuTTL)
	if err != nil {
		return transport.Menu{}, err
	}
	if len(segs) == 0 {
		return transport.Menu{}, errMenuFull
	}
	return joinMenus(segs[:len(segs)-1])
}

// joinMenus reads segments as one menu: their choices in order, keyed in the first one's style
// (transport.RenderAfter renders a later message's keys so).
func joinMenus(segs [][]byte) (transport.Menu, error) {
	var m transport.Menu
	for i, raw := range segs {
		var seg transport.Menu
		if err := json.Unmarshal(raw, &seg); err != nil {
			return transport.Menu{}, fmt.Errorf("decode menu: %w", err)
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
func (z *Transport) input(ctx context.Context, chat, text string) flows.Input {
	if in, ok := transport.Command(text); ok {
		return in
	}
	if b, ok := z.menu(ctx, chat).Pick(text); ok {
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
	if len(segs) >= menuSegments {
		return nil, nil
	}
	// A new slice each time: callers hold the old one without the lock.
	segs = append(segs[:len(segs):len(segs)], seg)
	s.m[chat] = segs
	return segs, nil
}
