package bot

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"danvan/flows"
)

// Settings are the parts of the configuration the dispatcher needs.
type Settings struct {
	Dir        *flows.Directory
	Forms      []flows.Form
	Calendar   flows.Calendar
	Indicators []flows.Indicator
	// Register is the "Dân vận khéo" register's fields and levels; none turn it off.
	Register  flows.Register
	InviteTTL time.Duration
	BotName   string
	// Admins are the platform identities ("tg:12345") named as admins in config.
	Admins map[string]bool
	// Channels are the platforms the bot runs, in the order texts name them; main fills it.
	Channels []flows.Channel
	// Office names the body that runs the bot (flows.Env.Office).
	Office flows.Text
	// Tenants are the provinces the deployment serves; nil runs one with the settings above.
	// With them, each chat reads its person's tenant's calendar, office, plans and bot name.
	Tenants *flows.Tenancy
	// Bots names, for each bot that is a tenant's own, the tenant: by the bot's identity
	// prefix ("tg.lc", BotPrefix). Someone who holds no grant yet (a stranger, a bootstrap
	// admin) reads the settings of the tenant of the bot they write to.
	Bots map[string]string
	// BotNames are the Telegram usernames of the tenants' own bots, by tenant, as getMe gave
	// them at start, for the tenants whose configuration names none: their invite links.
	BotNames map[string]string
}

// Limits of the dispatcher's guards.
const (
	// codeTries is how many invite codes one chat may try an hour, right or wrong.
	codeTries  = 5
	codeWindow = time.Hour
	// wrongCodes is how many wrong codes all chats together may send in wrongWindow before
	// redemption pauses for everyone until the window ends: many chats guessing at once. A
	// meeting of a few hundred people typing codes makes far fewer mistakes than that.
	wrongCodes    = 100
	wrongWindow   = 10 * time.Minute
	conflictTries = 3
)

// Dispatcher runs each Incoming through the flows engine: it loads what the step needs, runs it,
// stores its effects and returns its replies. It is safe for concurrent use.
//
// Updates of one chat are handled one at a time in this process (a mutex per chat). Across
// processes nothing is locked: every write states the version it replaces (the chat's state,
// the draft, the submission), so a step that raced another process writes nothing and is run
// again on fresh data. That is also what makes the snapshot cache safe: a step may run on a
// cached snapshot because the store commits it only when the stamps of what it read (the
// person's record, their units' reports) have not moved since, checked in the same round trip
// as an answer's write; a step on a snapshot another chat or replica has written past writes
// nothing and is run again on stored data.
type Dispatcher struct {
	Sessions Sessions
	Reports  Reports
	People   People
	Invites  Invites
	Throttle Throttle
	Guard    Guard
	// Unreach records people who blocked the bot; the dispatcher passes the transports' reports
	// on to it (see MarkUnreachable).
	Unreach Unreachables
	// Figures, Census, Contacts, Models, Planner, Usage, Reminder, Notifier and Files serve
	// leaders, admins, the register and notices; a nil one turns its feature off (without
	// Census, a /missing list reads every unit's progress).
	Figures  Figures
	Census   Census
	Contacts Contacts
	// Models reads the "Dân vận khéo" register; nil leaves it empty.
	Models   Models
	Planner  Planner
	Usage    []Usage
	Reminder Reminder
	Notifier Notifier
	Files    Files
	// Sheets checks the directory sheets admins send and renders the directory as one (nil:
	// no directory sheets in chats).
	Sheets Sheets
	// Observer counts the updates handled, for metrics; nil counts nothing.
	Observer Observer
	Settings Settings
	// Background is the context of work that outlives an update (reminders asked for by hand);
	// main cancels it at shutdown. Nil detaches such work from the update's context.
	Background context.Context
	Now        func() time.Time
	NewCode    func() string
	Log        *slog.Logger

	chats      keyedMutex
	cache      snapshots
	background sync.WaitGroup
}

// Handle implements Handler. Failures are logged here, once, and the person gets a kind message.
// An update handled before (a platform's redelivery, or another replica) changes nothing; in a
// private chat it gets the chat's current screen again (see redraw).
func (d *Dispatcher) Handle(ctx context.Context, in Incoming) []flows.Reply {
	start := time.Now()
	unlock := d.chats.Lock(in.Chat)
	defer unlock()
	replies, err := d.handle(ctx, in)
	defer d.observe(ctx, in, start, err) // once the replies below are made too
	if errors.Is(err, flows.ErrDuplicate) {
		d.cache.drop(in.Chat) // the first delivery moved the chat on
		return d.redraw(ctx, in)
	}
	if err != nil {
		d.cache.drop(in.Chat)
		return d.fail(ctx, in, err)
	}
	return replies
}

func (d *Dispatcher) handle(ctx context.Context, in Incoming) ([]flows.Reply, error) {
	if isRedeem(in.Input) {
		d.cache.drop(in.Chat)
		if err := d.claim(ctx, in); err != nil {
			return nil, err
		}
		replies, err := d.redeem(ctx, in)
		if err != nil {
			// Let a redelivery of this update try again once the store is back.
			_ = d.Guard.Release(context.WithoutCancel(ctx), in.UpdateID)
		}
		return replies, err
	}
	for range conflictTries {
		replies, err := d.step(ctx, in)
		if !errors.Is(err, flows.ErrConflict) {
			return replies, err
		}
		d.cache.drop(in.Chat)
	}
	return d.restart(ctx, in)
}

// isRedeem reports whether in carries a code to redeem: "/start CODE" (an invite link does this)
// or "/lienket CODE" (a link code typed on the other platform).
func isRedeem(in flows.Input) bool {
	return in.Kind == flows.CommandInput && (in.Command == "start" || in.Command == "lienket") && strings.TrimSpace(in.Args) != ""
}

// claim records in as handled for the steps that commit nothing; flows.ErrDuplicate if it was.
func (d *Dispatcher) claim(ctx context.Context, in Incoming) error {
	if in.UpdateID == "" {
		return nil
	}
	fresh, err := d.Guard.Claim(ctx, in.UpdateID)
	if err == nil && !fresh {
		err = flows.ErrDuplicate
	}
	return err
}

// redraw answers an update handled before with what its chat shows now (flows.Redraw). A
// platform redelivers an update when a crash came between storing its step and sending the
// replies: without them the person would never see the next question, and a value typed again
// would be stored as the next answer. A redelivery whose replies did go out shows the same
// screen twice, which is harmless. Only in a private chat (chat and user the same); a failure
// is logged and nothing is sent, as the update was handled.
func (d *Dispatcher) redraw(ctx context.Context, in Incoming) []flows.Reply {
	if in.Chat != in.User {
		return nil
	}
	now := d.Now()
	snap, err := d.load(ctx, in, now)
	if err != nil {
		d.logger().WarnContext(ctx, "redraw a repeated update", "update", in.UpdateID, "chat", in.Chat, "err", err)
		return nil
	}
	replies := flows.Redraw(d.env(snap, in.Chat), snap.state, in.Input, now)
	return d.attach(ctx, in, snap.person, langOf(snap.person, snap.state), replies)
}

// restart ends a conversation that keeps losing races (its state no longer fits what is stored),
// rather than telling the person "busy" forever: their drafts stay, only the chat starts over.
func (d *Dispatcher) restart(ctx context.Context, in Incoming) ([]flows.Reply, error) {
	st, err := d.Sessions.Session(ctx, in.Chat)
	if err != nil {
		return nil, fmt.Errorf("load session %s: %w", in.Chat, err)
	}
	fresh := flows.State{Version: st.Version + 1, Lang: st.Lang}
	if _, err := d.Sessions.Commit(ctx, in.Chat, in.UpdateID, fresh, st.Version, nil, nil); err != nil {
		return nil, fmt.Errorf("restart session %s: %w", in.Chat, err)
	}
	d.logger().WarnContext(ctx, "conversation restarted after repeated conflicts", "chat", in.Chat)
	return []flows.Reply{{Text: flows.T(st.Lang, "restarted"), Notice: flows.T(st.Lang, "stale")}}, nil
}

// step runs one flows step on the chat's snapshot (cached, or loaded now) and commits what it
// produced. Only after the commit are its replies released, so nobody is told of a write that
// did not happen.
func (d *Dispatcher) step(ctx context.Context, in Incoming) ([]flows.Reply, error) {
	now := d.Now()
	// The periods open are those of the tenant the chat's person belongs to (the cached one's,
	// whose snapshot is only of use when the same periods are still open).
	open := openIDs(d.calendar(d.cache.person(in.Chat), in.Chat), now)
	snap, cached := d.cache.get(in.Chat, now, open)
	if !cached {
		var err error
		if snap, err = d.load(ctx, in, now); err != nil {
			return nil, err
		}
	}
	env := d.env(snap, in.Chat)
	again := func() flows.Want { return flows.Wants(env, snap.state, in.Input, now) }
	w := again()
	if err := d.fill(ctx, env, w, again, now); err != nil {
		return nil, err
	}
	if err := d.checkSheet(ctx, env, w, in); err != nil {
		return nil, err
	}
	next, replies, effects := flows.Step(env, snap.state, in.Input, now)
	if next.Version == snap.state.Version {
		if cached {
			// Refused as stale against a cached state: make sure against the stored one.
			return nil, flows.ErrConflict
		}
		// A stale press, a stranger or a view that changes nothing: nothing to store.
		if err := d.claim(ctx, in); err != nil {
			return nil, err
		}
		return d.attach(ctx, in, snap.person, langOf(snap.person, next), replies), nil
	}
	// The store refuses (flows.ErrConflict) a step on a snapshot it has written past since (its
	// stamps moved); it is run again on stored data.
	stamps, err := d.Sessions.Commit(ctx, in.Chat, in.UpdateID, next, snap.state.Version, effects, snap.stamps)
	switch {
	case errors.Is(err, flows.ErrStateNotSaved) && next.Screen == flows.Idle:
		d.stateLost(ctx, in, err)
	case err != nil:
		return nil, err
	default:
		d.keep(in.Chat, snap, next, effects, stamps, now)
	}
	d.carryOut(ctx, in, flows.Outgoing(effects))
	return d.attach(ctx, in, snap.person, langOf(snap.person, next), replies), nil
}

// stateLost settles a step whose effects the store kept but whose chat state it could not (the
// connection dropped in between), and which ended the conversation: a report submitted, one
// returned. Such a step counts as done: its replies say what was stored, which is true whatever screen the
// stored state still shows, and the next step, run on that state, finds the report as stored
// (flows recognises a submission of its own summary). A step that would leave the chat on a
// screen is reported as failed instead, since its buttons would name a state that was not kept.
func (d *Dispatcher) stateLost(ctx context.Context, in Incoming, err error) {
	d.cache.drop(in.Chat)
	d.logger().WarnContext(ctx, "step stored without its chat state", "update", in.UpdateID, "chat", in.Chat, "err", err)
}

// keep caches what the committed step leaves the chat reading, when the store returned the
// stamps that vouch for it; a chat with nobody linked has nothing worth keeping.
func (d *Dispatcher) keep(chat string, snap snapshot, st flows.State, effects []flows.Effect, stamps *flows.Stamps, now time.Time) {
	if stamps == nil || stamps.Person == "" {
		d.cache.drop(chat)
		return
	}
	d.cache.put(chat, snap.after(st, effects, stamps, now), now)
}

// load reads what a step needs from the store, with the stamps of it.
func (d *Dispatcher) load(ctx context.Context, in Incoming, now time.Time) (snapshot, error) {
	st, stored, stamps, err := d.Sessions.Load(ctx, in.Chat, in.User)
	if err != nil {
		return snapshot{}, err
	}
	p, err := d.settle(ctx, in, stored)
	if err != nil {
		return snapshot{}, err
	}
	cal := d.calendar(p, in.Chat)
	snap := snapshot{state: st, person: p, stamps: &stamps, used: now, open: openIDs(cal, now)}
	if p.ID != stored.ID || p.Unreachable != stored.Unreachable {
		// settle wrote the person, past the stamp just read: this step runs on what it wrote,
		// checks no stamps and is not kept, rather than be refused by its own write.
		snap.stamps = nil
	}
	qs := flows.ReportQueries(p, d.Settings.Dir, d.Settings.Forms, cal, now)
	if len(qs) == 0 {
		return snap, nil
	}
	if snap.reports, stamps.Units, err = d.Reports.StampedReports(ctx, qs); err != nil {
		return snapshot{}, fmt.Errorf("load reports of %s: %w", p.ID, err)
	}
	return snap, nil
}

// person loads the person behind in's sender.
func (d *Dispatcher) person(ctx context.Context, in Incoming) (flows.Person, error) {
	p, err := d.People.Person(ctx, in.User)
	if err != nil {
		return p, fmt.Errorf("load person %s: %w", in.User, err)
	}
	return d.settle(ctx, in, p)
}

// settle brings a loaded person up to date: admins named in config get their flag (and a record
// on first contact), and someone who had blocked the bot and writes again is reachable again.
func (d *Dispatcher) settle(ctx context.Context, in Incoming, p flows.Person) (flows.Person, error) {
	if p.Unreachable {
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
			p.ID, p.Name = in.User, flows.NeutralLine(in.Name)
			if err := d.People.Link(ctx, in.User, p); err != nil {
				return p, fmt.Errorf("link admin %s: %w", in.User, err)
			}
		}
	}
	return p, nil
}

// MarkUnreachable implements Unreachables for the transports: it records that ident blocked the
// bot and forgets the chat's snapshot, so that the next message from them, which means they
// unblocked it, is loaded fresh and marks them reachable again.
func (d *Dispatcher) MarkUnreachable(ctx context.Context, ident string) error {
	d.cache.drop(ident) // in a private chat the chat is the person's identity
	return d.Unreach.MarkUnreachable(ctx, ident)
}

// env is what a step of chat on snap reads: the settings of the person's tenant (or the chat's
// bot's, for someone who holds no grant) and the snapshot.
func (d *Dispatcher) env(snap snapshot, chat string) *flows.Env {
	s := d.Settings
	env := &flows.Env{
		Person: snap.person, Dir: s.Dir, Forms: s.Forms, Calendar: s.Calendar, Indicators: s.Indicators,
		Register: s.Register, Reports: snap.reports, InviteTTL: s.InviteTTL, BotName: s.BotName, Channels: s.Channels,
		Office: s.Office, Code: d.NewCode(), Via: d.channelOf(chat),
	}
	if t, ok := d.tenant(snap.person, chat); ok {
		env.Tenants, env.Calendar, env.Office = s.Tenants, t.Calendar, t.Office
		if name := cmp.Or(t.BotName, s.BotNames[t.ID]); name != "" {
			env.BotName = name
		}
	}
	return env
}

// channelOf is the channel of Settings.Channels whose identities chat's ("tg:12345", or
// "tg.lc:12345" with a tenant's own bot) are.
func (d *Dispatcher) channelOf(chat string) flows.Channel {
	prefix := ChannelOf(chat)
	for _, c := range d.Settings.Channels {
		if c.ID == prefix {
			return c
		}
	}
	return flows.Channel{}
}

// fail logs err for operators and tells the person, kindly, to try again.
func (d *Dispatcher) fail(ctx context.Context, in Incoming, err error) []flows.Reply {
	d.logger().ErrorContext(ctx, "handle update", "update", in.UpdateID, "chat", in.Chat, "err", err)
	return []flows.Reply{{Text: flows.T(flows.VI, "busy"), Notice: flows.T(flows.VI, "busy")}}
}

// langOf is the language replies to p are in, as flows chooses it.
func langOf(p flows.Person, st flows.State) flows.Lang {
	switch {
	case p.Lang != "":
		return p.Lang
	case st.Lang != "":
		return st.Lang
	}
	return flows.VI
}

func (d *Dispatcher) logger() *slog.Logger {
	if d.Log != nil {
		return d.Log
	}
	return slog.Default()
}
