package bot

import (
	"context"
	"time"

	"danvan/flows"
)

// Sessions keeps each chat's conversation state.
type Sessions interface {
	// Session returns the chat's state, or the zero State for a chat never seen.
	Session(ctx context.Context, chat string) (flows.State, error)
	// Load returns the chat's state, the person linked to ident (empty ID when none) and the
	// stamp of the person's record (flows.Stamps, Units left empty), in one round trip where it
	// can.
	Load(ctx context.Context, chat, ident string) (flows.State, flows.Person, flows.Stamps, error)
	// Commit stores a step's effects (the outbound ones are the caller's) and then st, if the
	// stored state is still at version prev (else flows.ErrConflict), and records update as
	// handled (flows.ErrDuplicate if it was). An answer (one draft save) is stored whole or not
	// at all. When a stamp of seen (what the step read; nil for nothing) has moved, it writes
	// nothing and returns flows.ErrConflict. It returns the stamps after the step's own writes,
	// or nil when the caller must not keep what the step read. Effects stored without the state
	// that follows them give an error wrapping flows.ErrStateNotSaved, and the update stays recorded.
	Commit(ctx context.Context, chat, update string, st flows.State, prev int64, effects []flows.Effect, seen *flows.Stamps) (*flows.Stamps, error)
}

// Reports reads and writes drafts and submissions.
type Reports interface {
	// Reports loads every report qs names, in one round trip.
	Reports(ctx context.Context, qs []flows.ReportQuery) (map[flows.Key]flows.ReportInfo, error)
	// StampedReports is Reports with the stamps of the units qs name (flows.Stamps.Units), read
	// in the same round trip, before the reports.
	StampedReports(ctx context.Context, qs []flows.ReportQuery) (map[flows.Key]flows.ReportInfo, map[string]int64, error)
	// Apply makes effects durable. Each effect is atomic; a versioned one that lost a race
	// returns flows.ErrConflict and writes nothing.
	Apply(ctx context.Context, effects []flows.Effect) error
}

// People maps platform identities ("tg:12345") to people.
type People interface {
	// Person returns the person linked to ident, or a Person with an empty ID.
	Person(ctx context.Context, ident string) (flows.Person, error)
	// Link stores p and links ident to it.
	Link(ctx context.Context, ident string, p flows.Person) error
}

// Invites redeems one-time invite codes in two steps, so a crash between them never burns a code.
type Invites interface {
	// Redeem binds the invite under code to holder and returns it; holder may redeem it again,
	// anyone else gets flows.ErrNotFound, as for an unknown, used or expired code.
	Redeem(ctx context.Context, code, holder string) (flows.Invite, error)
	// Redeemed spends the code once what it gives is granted.
	Redeemed(ctx context.Context, code string) error
}

// Throttle counts failures in fixed windows, to keep guessing invite codes slow.
type Throttle interface {
	// Failure counts one under key and returns how many in the current window.
	Failure(ctx context.Context, key string, window time.Duration) (int64, error)
	// Failures returns the count under key without adding one.
	Failures(ctx context.Context, key string) (int64, error)
}

// Guard makes sure an update delivered twice (Telegram retries, several replicas) is handled once.
type Guard interface {
	// Claim returns true the first time an update id is seen, for updates no Commit records.
	Claim(ctx context.Context, update string) (bool, error)
	// Release forgets a claim, so an update whose handling failed can be handled when redelivered.
	Release(ctx context.Context, update string) error
}

// Notifier delivers what a step asks to send to someone else (flows.Notify), on the channel
// that person prefers.
type Notifier interface {
	Notify(ctx context.Context, person string, replies []flows.Reply) error
}

// Files renders the attachments flows asks for (flows.Reply.Attach): charts and spreadsheets.
type Files interface {
	File(ctx context.Context, p flows.Person, a flows.Attachment, lang flows.Lang) (flows.File, error)
}

// Figures reads what leaders' views show: the tallies, where units stand, a report's versions.
type Figures interface {
	Tallies(ctx context.Context, keys []flows.TallyKey) (map[flows.TallyKey]flows.Tally, error)
	Progress(ctx context.Context, period string, units []string, forms []string) (map[string]flows.UnitProgress, error)
	Histories(ctx context.Context, keys []flows.Key) (map[flows.Key][]flows.Submission, error)
}

// Census reads where many units stand at once, without their figures: what a /missing list
// pages through.
type Census interface {
	// Status returns, for each of units, a bit per form of forms set when it is in.
	Status(ctx context.Context, period string, units, forms []string) (map[string]flows.UnitStatus, error)
}

// Planner previews what the reminder schedule will send next, for an admin's /reminders: what
// admin may see of it (flows.Narrow), nothing of another tenant.
type Planner interface {
	Plan(ctx context.Context, now time.Time, admin flows.Person) (*flows.Plan, error)
}

// Usage reports, per channel that counts them, the messages the bot sent in now's month against
// the plan's quota, for an admin's /calendar.
type Usage interface {
	Usage(ctx context.Context, now time.Time) ([]flows.ChannelUsage, error)
}

// Reminder sends reminders now: an admin's /remind, a leader's "Nhắc ngay".
type Reminder interface {
	Remind(ctx context.Context, e flows.Remind) error
}

// Models reads the "Dân vận khéo" register a step names (flows.Want.Models).
type Models interface {
	// Models returns the models of each of units that has any.
	Models(ctx context.Context, units []string) (map[string][]flows.Model, error)
}

// Contacts finds the people a leader's view names, by person id.
type Contacts interface {
	People(ctx context.Context, ids []string) (map[string]flows.Person, error)
}
