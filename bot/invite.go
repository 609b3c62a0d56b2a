package bot

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"

	"danvan/flows"
)

// redeem links the sender of "/start <code>" to the invite's units or scopes. Every try counts
// against the chat's hourly allowance, right ones too, so guessing stays slow whatever happens.
func (d *Dispatcher) redeem(ctx context.Context, in Incoming) ([]flows.Reply, error) {
	tries, err := d.Invites.Failure(ctx, in.Chat, codeWindow)
	if err != nil {
		return nil, fmt.Errorf("count invite tries of %s: %w", in.Chat, err)
	}
	p, err := d.person(ctx, in)
	if err != nil {
		return nil, err
	}
	lang := p.Lang
	if lang == "" {
		lang = flows.VI
	}
	if tries > codeTries {
		return []flows.Reply{{Text: flows.T(lang, "inv_throttle")}}, nil
	}
	code := strings.TrimSpace(in.Input.Args)
	inv, err := d.Invites.Redeem(ctx, code)
	if err == nil && !d.Now().Before(inv.Expires) {
		err = flows.ErrNotFound // Redis forgets it about now; the bot's clock is the one that counts
	}
	if errors.Is(err, flows.ErrNotFound) {
		return []flows.Reply{{Text: flows.T(lang, "inv_bad")}}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("redeem invite: %w", err)
	}
	if inv.Role == flows.LinkRole {
		return d.linkIdent(ctx, in, p, inv, lang)
	}
	if p.ID == "" {
		p.ID = in.User
	}
	if p.Name == "" {
		p.Name = in.Name
	}
	p.Name = flows.NeutralLine(p.Name) // leaders' views and files show it: no bidi tricks
	p = inv.Grant(p)
	if err := d.People.Link(ctx, in.User, p); err != nil {
		// Put the code back, so the person can use it again once the store answers.
		if putErr := d.Reports.Apply(ctx, []flows.Effect{flows.CreateInvite{Invite: inv}}); putErr != nil {
			err = errors.Join(err, fmt.Errorf("put invite back: %w", putErr))
		}
		return nil, fmt.Errorf("link %s to %s: %w", in.User, p.ID, err)
	}
	d.logger().InfoContext(ctx, "invite redeemed", "person", p.ID, "role", inv.Role, "by", inv.By)
	return flows.Welcome(p, inv, d.Settings.Dir, d.Settings.Channels, lang), nil
}

// codeAlphabet leaves out letters people confuse when reading a code aloud (0/O, 1/I/L).
const codeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// NewInviteCode returns a random 10-character invite code (about 49 bits), safe in a t.me deep
// link. With 5 tries an hour per chat, guessing one is hopeless.
func NewInviteCode() string {
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err)) // the kernel's randomness failing is not recoverable
	}
	for i := range b {
		b[i] = codeAlphabet[int(b[i])%len(codeAlphabet)]
	}
	return string(b)
}
