package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"danvan/flows"
)

// Settings are the parts of the configuration the dispatcher needs.
type Settings struct {
	Dir        *flows.Directory
	Forms      []flows.Form
	Calendar   flows.Calendar
	Indicators []flows.Indicator
	InviteTTL  time.Duration
	BotName    string
	// Admins are the platform identities ("tg:12345") named as admins in config.
	Admins map[string]bool
}

// Limits of the dispatcher's guards.
const (
	dedupTTL      = 48 * time.Hour // Telegram redelivers for up to a day
	chatLockTTL   = 30 * time.Second
	codeTries     = 5
	codeWindow    = time.Hour
	conflictTries = 3
)

// Dispatcher runs each Incoming through the flows engine: it loads what the step needs, runs it,
// stores its effects and returns its replies. It is safe for concurrent use; updates of one chat
// are handled one at a time, in this process by a mutex and across processes by a Redis lock.
type Dispatcher struct {
	Sessions Sessions
	Reports  Reports
	People   People
	Invites  Invites
	Guard    Guard
	Settings Settings
	Now      func() time.Time
	NewCode  func() string
	Log      *slog.Logger

	chats keyedMutex
}

// Handle implements Handler. Failures are logged here, once, and the person gets a kind message.
func (d *Dispatcher) Handle(ctx context.Context, in Incoming) []flows.Reply {
	unlock := d.chats.Lock(in.Chat)
	defer unlock()
	if in.UpdateID != "" {
		fresh, err := d.Guard.Claim(ctx, in.UpdateID, dedupTTL)
		if err != nil {
			return d.fail(ctx, in, err)
		}
		if !fresh {
			return nil
		}
	}
	replies, err := d.handleLocked(ctx, in)
	if err != nil {
		if in.UpdateID != "" {
			// Let a redelivery of this update try again once Redis is back.
			_ = d.Guard.Release(ctx, in.UpdateID)
		}
		return d.fail(ctx, in, err)
	}
	return replies
}

func (d *Dispatcher) handleLocked(ctx context.Context, in Incoming) ([]flows.Reply, error) {
	release, err := d.Guard.Lock(ctx, in.Chat, chatLockTTL)
	if err != nil {
		return nil, fmt.Errorf("lock chat %s: %w", in.Chat, err)
	}
	defer release(context.WithoutCancel(ctx))
	if in.Input.Kind == flows.CommandInput && in.Input.Command == "start" && strings.TrimSpace(in.Input.Args) != "" {
		return d.redeem(ctx, in)
	}
	for range conflictTries {
		replies, err := d.step(ctx, in)
		if !errors.Is(err, flows.ErrConflict) {
			return replies, err
		}
	}
	return d.restart(ctx, in)
}

// restart ends a conversation that keeps losing races (its state no longer fits what is stored),
// rather than telling the person "busy" forever: their drafts stay, only the chat starts over.
func (d *Dispatcher) restart(ctx context.Context, in Incoming) ([]flows.Reply, error) {
	st, err := d.Sessions.Session(ctx, in.Chat)
	if err != nil {
		return nil, fmt.Errorf("load session %s: %w", in.Chat, err)
	}
	fresh := flows.State{Version: st.Version + 1, Lang: st.Lang}
	if err := d.Sessions.SaveSession(ctx, in.Chat, fresh, st.Version); err != nil {
		return nil, fmt.Errorf("restart session %s: %w", in.Chat, err)
	}
	d.logger().WarnContext(ctx, "conversation restarted after repeated conflicts", "chat", in.Chat)
	return []flows.Reply{{Text: flows.T(st.Lang, "restarted"), Notice: flows.T(st.Lang, "stale")}}, nil
}

// step runs one flows step with freshly loaded state and stores what it produced: effects
// first, then the session, so a failure in between leaves the chat on the old question with the
// answer already safe in the draft, never the other way round.
func (d *Dispatcher) step(ctx context.Context, in Incoming) ([]flows.Reply, error) {
	p, err := d.person(ctx, in)
	if err != nil {
		return nil, err
	}
	st, err := d.Sessions.Session(ctx, in.Chat)
	if err != nil {
		return nil, fmt.Errorf("load session %s: %w", in.Chat, err)
	}
	now := d.Now()
	env, err := d.env(ctx, p, now)
	if err != nil {
		return nil, err
	}
	next, replies, effects := flows.Step(env, st, in.Input, now)
	if next.Version == st.Version {
		return replies, nil // a stale press: nothing to store
	}
	if err := d.Reports.Apply(ctx, effects); err != nil {
		return nil, fmt.Errorf("apply effects for %s: %w", in.Chat, err)
	}
	if err := d.Sessions.SaveSession(ctx, in.Chat, next, st.Version); err != nil {
		return nil, fmt.Errorf("save session %s: %w", in.Chat, err)
	}
	return replies, nil
}

func (d *Dispatcher) person(ctx context.Context, in Incoming) (flows.Person, error) {
	p, err := d.People.Person(ctx, in.User)
	if err != nil {
		return p, fmt.Errorf("load person %s: %w", in.User, err)
	}
	if p.Unreachable {
		// They wrote to us, so they unblocked the bot: reminders may reach them again.
		p.Unreachable = false
		if err := d.People.Link(ctx, in.User, p); err != nil {
			return p, fmt.Errorf("mark %s reachable: %w", in.User, err)
		}
	}
	if d.Settings.Admins[in.User] {
		p.Admin = true
		if p.ID == "" {
			// An admin named in config gets a record on first contact, so settings such as
			// the language have somewhere to live.
			p.ID, p.Name = in.User, in.Name
			if err := d.People.Link(ctx, in.User, p); err != nil {
				return p, fmt.Errorf("link admin %s: %w", in.User, err)
			}
		}
	}
	return p, nil
}

func (d *Dispatcher) env(ctx context.Context, p flows.Person, now time.Time) (*flows.Env, error) {
	s := d.Settings
	env := &flows.Env{
		Person: p, Dir: s.Dir, Forms: s.Forms, Calendar: s.Calendar, Indicators: s.Indicators,
		InviteTTL: s.InviteTTL, BotName: s.BotName, Code: d.NewCode(),
	}
	qs := flows.ReportQueries(p, s.Forms, s.Calendar, now)
	if len(qs) == 0 {
		return env, nil
	}
	reports, err := d.Reports.Reports(ctx, qs)
	if err != nil {
		return nil, fmt.Errorf("load reports of %s: %w", p.ID, err)
	}
	env.Reports = reports
	return env, nil
}

// fail logs err for operators and tells the person, kindly, to try again.
func (d *Dispatcher) fail(ctx context.Context, in Incoming, err error) []flows.Reply {
	d.logger().ErrorContext(ctx, "handle update", "update", in.UpdateID, "chat", in.Chat, "err", err)
	return []flows.Reply{{Text: flows.T(flows.VI, "busy"), Notice: flows.T(flows.VI, "busy")}}
}

func (d *Dispatcher) logger() *slog.Logger {
	if d.Log != nil {
		return d.Log
	}
	return slog.Default()
}
