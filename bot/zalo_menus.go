package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"danvan/flows"
)

// MenuStore keeps per Zalo chat the choices of the last message that offered any, so "2" can
// be read as the second one. With a shared store (storage.Store on Redis) a number typed to
// any replica chooses. The menu is opaque to the store: the transport's JSON.
type MenuStore interface {
	// Menu returns the chat's menu as PutMenu kept it, or nil when there is none.
	Menu(ctx context.Context, chat string) ([]byte, error)
	// PutMenu replaces the chat's menu; it may be forgotten after ttl.
	PutMenu(ctx context.Context, chat string, menu []byte, ttl time.Duration) error
}

// zaloMenuTTL is how long a chat's menu is kept. An old menu is harmless (its buttons' data
// carries the chat's state version, so flows refuses a stale choice); the TTL only lets Redis
// forget the chats that went quiet.
const zaloMenuTTL = 24 * time.Hour

// zaloMenusMax bounds the chats whose last choices memMenus remembers (a few hundred bytes each).
const zaloMenusMax = 20_000

// menu reads the chat's last choices. A menu that cannot be read counts as none: a typed number
// then reaches flows as text, and flows, which never takes a bare number for a choice, shows the
// screen again with its options, so nothing wrong is ever chosen.
func (z *Zalo) menu(ctx context.Context, chat string) zaloMenu {
	raw, err := z.menus.Menu(ctx, chat)
	if err != nil {
		z.log.Warn("zalo: menu not read", "chat", chat, "err", err)
		return zaloMenu{}
	}
	var m zaloMenu
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &m); err != nil {
			z.log.Warn("zalo: menu not read", "chat", chat, "err", fmt.Errorf("decode: %w", err))
			return zaloMenu{}
		}
	}
	return m
}

// putMenu keeps m as the chat's choices. A failure is logged, not returned: the message still
// goes, and a number typed for it shows the screen again (see menu).
func (z *Zalo) putMenu(ctx context.Context, chat string, m zaloMenu) {
	raw, err := json.Marshal(m)
	if err == nil {
		err = z.menus.PutMenu(ctx, chat, raw, zaloMenuTTL)
	}
	if err != nil {
		z.log.Warn("zalo: menu not kept", "chat", chat, "err", err)
	}
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
	m   map[string][]byte
	max int
}

var _ MenuStore = (*memMenus)(nil)

// Menu returns the chat's menu, nil when none.
func (s *memMenus) Menu(_ context.Context, chat string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[chat], nil
}

// PutMenu replaces the chat's menu; past max chats one other chat's is forgotten.
func (s *memMenus) PutMenu(_ context.Context, chat string, menu []byte, _ time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string][]byte{}
	}
	if _, ok := s.m[chat]; !ok && len(s.m) >= s.max {
		for k := range s.m { // evict one at random: the cost is one screen shown again
			delete(s.m, k)
			break
		}
	}
	s.m[chat] = menu
	return nil
}
