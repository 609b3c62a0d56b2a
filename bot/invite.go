package bot

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"danvan/flows"
)

// redeem gives the sender of "/start <code>" (an invite link) or "/lienket <code>" what the code
// grants. It runs in two steps: the store binds the code to the sender, then, once the grant is
// stored, spends it; a crash in between leaves the code to the sender alone, who can try again.
func (d *Dispatcher) redeem(ctx context.Context, in Incoming) ([]flows.Reply, error) {
	p, err := d.person(ctx, in)
	if err != nil {
		return nil, err
	}
	lang := p.Lang
	if lang == "" {
		lang = flows.VI
	}
	if refusal, err := d.throttled(ctx, in.Chat); err != nil || refusal != "" {
		return []flows.Reply{{Text: flows.T(lang, refusal)}}, err
	}
	code := NormalizeCode(in.Input.Args)
	inv, err := d.Invites.Redeem(ctx, code, in.User)
	if err == nil && !d.Now().Before(inv.Expires) {
		err = flows.ErrNotFound // Redis forgets it about now; the bot's clock is the one that counts
	}
	if errors.Is(err, flows.ErrNotFound) {
		return d.wrongCode(ctx, lang, d.office(p, in.Chat))
	}
	if err != nil {
		return nil, fmt.Errorf("redeem invite: %w", err)
	}
	var replies []flows.Reply
	if inv.Role == flows.LinkRole {
		replies, err = d.linkIdent(ctx, in, p, inv, lang)
	} else {
		replies, err = d.grant(ctx, in, p, inv, lang)
	}
	if err != nil {
		return nil, err
	}
	if err := d.Invites.Redeemed(ctx, code); err != nil {
		// The grant is stored; the code stays bound to this person until it expires, so nobody
		// else can use it either.
		d.logger().WarnContext(ctx, "spend redeemed invite", "person", p.ID, "err", err)
	}
	return replies, nil
}

// grant links in's sender to what an organiser's or leader's invite gives.
func (d *Dispatcher) grant(ctx context.Context, in Incoming, p flows.Person, inv flows.Invite, lang flows.Lang) ([]flows.Reply, error) {
	if p.ID == "" {
		p.ID = in.User
	}
	if p.Name == "" {
		p.Name = in.Name
	}
	p.Name = flows.NeutralLine(p.Name) // leaders' views and files show it: no bidi tricks
	p = inv.Grant(p)
	if err := d.People.Link(ctx, in.User, p); err != nil {
		return nil, fmt.Errorf("link %s to %s: %w", in.User, p.ID, err)
	}
	d.logger().InfoContext(ctx, "invite redeemed", "person", p.ID, "role", inv.Role, "by", inv.By)
	return flows.Welcome(p, inv, d.Settings.Dir, d.Settings.Channels, lang), nil
}

// anyChat is the throttle key of the wrong codes of every chat together.
const anyChat = "*"

// throttled counts a try at a code from chat and says which refusal applies, if any: the chat
// tried too many codes this hour (right ones count too, so guessing stays slow whatever happens),
// or every chat together sent too many wrong ones lately (many chats guessing at once).
func (d *Dispatcher) throttled(ctx context.Context, chat string) (string, error) {
	tries, err := d.Throttle.Failure(ctx, chat, codeWindow)
	if err != nil {
		return "", fmt.Errorf("count invite tries of %s: %w", chat, err)
	}
	if tries > codeTries {
		return "inv_throttle", nil
	}
	wrong, err := d.Throttle.Failures(ctx, anyChat)
	if err != nil {
		return "", fmt.Errorf("read wrong invite codes: %w", err)
	}
	if wrong >= wrongCodes {
		return "inv_paused", nil
	}
	return "", nil
}

// wrongCode answers a code that is unknown, used, expired or bound to someone else, and counts it
// against every chat's allowance. The one that reaches the limit is logged as an error, once per
// window across replicas: an operator should look, since many chats are guessing codes.
func (d *Dispatcher) wrongCode(ctx context.Context, lang flows.Lang, office flows.Text) ([]flows.Reply, error) {
	n, err := d.Throttle.Failure(ctx, anyChat, wrongWindow)
	if err != nil {
		return nil, fmt.Errorf("count wrong invite codes: %w", err)
	}
	if n == wrongCodes {
		d.logger().ErrorContext(ctx, "invite codes: too many wrong codes from all chats; redemption paused until the window ends (someone may be guessing codes)",
			"wrong", n, "window", wrongWindow)
	}
	return []flows.Reply{{Text: flows.T(lang, "inv_bad", flows.OfficeName(office, lang))}}, nil
}

// codeAlphabet leaves out letters people confuse when reading a code aloud (0/O, 1/I/L).
const codeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// codeLen is an invite code's length: 31^10 codes, about 49 bits.
const codeLen = 10

// NewInviteCode returns a random invite code, safe in a t.me deep link. Each letter is uniform
// over the alphabet: random bytes beyond the largest multiple of its size are drawn again, since
// taking them modulo the size would favour the first letters. With 5 tries an hour per chat and
// a limit across chats, guessing one is hopeless.
func NewInviteCode() string {
	const n = len(codeAlphabet)
	const limit = 256 - 256%n
	out := make([]byte, 0, codeLen)
	buf := make([]byte, 2*codeLen)
	for len(out) < codeLen {
		if _, err := rand.Read(buf); err != nil {
			panic(fmt.Sprintf("crypto/rand: %v", err)) // the kernel's randomness failing is not recoverable
		}
		for _, b := range buf {
			if int(b) < limit && len(out) < codeLen {
				out = append(out, codeAlphabet[int(b)%n])
			}
		}
	}
	return string(out)
}

// NormalizeCode is a code as typed made comparable with the stored one: upper case, without the
// spaces, dashes and other marks people put in when copying it from a printed sheet.
func NormalizeCode(s string) string {
	return strings.Map(func(r rune) rune {
		if r > unicode.MaxASCII || !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return -1
		}
		return unicode.ToUpper(r)
	}, s)
}
