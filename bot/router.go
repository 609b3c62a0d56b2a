package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"danvan/flows"
)

// Sender delivers one reply to a chat of its platform, outside any conversation. Each transport
// is one.
type Sender interface {
	Send(ctx context.Context, chat string, r flows.Reply) error
	// Prefix is the platform's part of its identities: "tg" for "tg:12345".
	Prefix() string
}

// Router implements Notifier: it sends a person's replies on the one channel they prefer
// (Person.Channel, else the first of Person.Idents that has a sender), never on all of them,
// and through the bot of the identity it writes to: a Telegram user id is the same for every
// bot, but a chat with bot A is not one with bot B, so a reminder for someone who talks to
// their tenant's own bot leaves through that bot.
type Router struct {
	// People finds the person. A person's ID is the identity that joined first, which stays
	// linked to them, so it looks them up as an identity.
	People People
	// Home, when set, names the bots a person's tenant runs (their identity prefixes, such
	// as "tg.lc"): of two identities on the preferred channel, the one with the tenant's own
	// bot is written to.
	Home func(flows.Person) []string
	// Files renders the files replies sent outside a conversation ask for (flows.Reply.Attach):
	// the chart and report draft pushed to leaders when a period's reminders end. Nil sends
	// such a reply's text with a line saying files are off.
	Files Files

	mu      sync.RWMutex
	senders map[string]Sender // by bot prefix: "tg", "zalo", "tg.lc"
}

var _ Notifier = (*Router)(nil)

// ErrNoChannel is returned (wrapped) when a person has no identity on a platform with a sender.
var ErrNoChannel = errors.New("no channel to reach the person")

// Register makes s the sender of the identities "<s.Prefix()>:…".
func (r *Router) Register(s Sender) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.senders == nil {
		r.senders = map[string]Sender{}
	}
	r.senders[strings.TrimSuffix(s.Prefix(), ":")] = s
}

// Notify implements Notifier. It stops at the first reply that fails, so the person does not
// read the second half of a message whose first half was lost.
func (r *Router) Notify(ctx context.Context, person string, replies []flows.Reply) error {
	p, err := r.People.Person(ctx, person)
	if err != nil {
		return fmt.Errorf("notify %s: %w", person, err)
	}
	if p.ID == "" {
		return fmt.Errorf("notify %s: %w", person, flows.ErrNotFound)
	}
	if p.Unreachable {
		return nil // they blocked the bot; writing again would only fail again
	}
	chat, s, ok := r.route(p)
	if !ok {
		return fmt.Errorf("notify %s: %w", person, ErrNoChannel)
	}
	for _, reply := range replies {
		reply, err := r.render(ctx, p, reply)
		if err != nil {
			return fmt.Errorf("notify %s: %w", person, err)
		}
		if err := s.Send(ctx, chat, reply); err != nil {
			return fmt.Errorf("notify %s on %s: %w", person, chat, err)
		}
	}
	return nil
}

// Send delivers one reply to p on the channel they prefer: the reminders' fan-out sends this way.
// A person who blocked the bot is not written to (flows.ErrNotFound is not returned: nothing is
// wrong, there is just nobody to tell).
func (r *Router) Send(ctx context.Context, p flows.Person, reply flows.Reply) error {
	if p.Unreachable {
		return nil
	}
	chat, s, ok := r.route(p)
	if !ok {
		return fmt.Errorf("send to %s: %w", p.ID, ErrNoChannel)
	}
	reply, err := r.render(ctx, p, reply)
	if err != nil {
		return fmt.Errorf("send to %s: %w", p.ID, err)
	}
	if err := s.Send(ctx, chat, reply); err != nil {
		return fmt.Errorf("send to %s on %s: %w", p.ID, chat, err)
	}
	return nil
}

// render makes the file reply asks for, for p, in p's language; the transport then sends it as
// it sends any file (a Telegram document, a Zalo link or text). A file that cannot be made is an
// error: the reminders release their claim and try again at the next tick, rather than mark
// sent a message that went without its file.
func (r *Router) render(ctx context.Context, p flows.Person, reply flows.Reply) (flows.Reply, error) {
	if reply.Attach == nil || reply.File != nil {
		return reply, nil
	}
	lang := langOf(p, flows.State{})
	if r.Files == nil {
		reply.Attach, reply.Text = nil, reply.Text+"\n\n"+flows.T(lang, "file_off")
		return reply, nil
	}
	f, err := r.Files.File(ctx, p, *reply.Attach, lang)
	if err != nil {
		return reply, fmt.Errorf("render %s for %s: %w", reply.Attach.Kind, p.ID, err)
	}
	reply.File = &f
	return reply, nil
}

// route picks the identity to write to and its sender: of the identities whose bot has a
// sender, those on the preferred channel (when there are any), and of those one with a bot of
// the person's tenant (Home), else the first.
func (r *Router) route(p flows.Person) (string, Sender, bool) {
	idents := p.Idents
	if len(idents) == 0 {
		idents = []string{p.ID}
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	var reach []string
	for _, id := range idents {
		if _, ok := r.senders[BotOf(id)]; ok {
			reach = append(reach, id)
		}
	}
	if on := slices.DeleteFunc(slices.Clone(reach), func(id string) bool { return ChannelOf(id) != p.Channel }); len(on) > 0 {
		reach = on
	}
	if len(reach) == 0 {
		return "", nil, false
	}
	pick := reach[0]
	if r.Home != nil {
		home := r.Home(p)
		if i := slices.IndexFunc(reach, func(id string) bool { return slices.Contains(home, BotOf(id)) }); i >= 0 {
			pick = reach[i]
		}
	}
	return pick, r.senders[BotOf(pick)], true
}

// Channel returns the bot Send would write to p through now, by its prefix ("tg", "zalo",
// "tg.lc"); "" when there is none. The reminders' fan-out paces each bot's token on its own.
func (r *Router) Channel(p flows.Person) string {
	chat, _, ok := r.route(p)
	if !ok {
		return ""
	}
	return BotOf(chat)
}
