package reminders

import (
	"context"
	"errors"
	"time"

	"danvan/flows"
)

// Store reads what a reminder is about at the moment it is sent: where units stand, who people
// are and who leads. storage.Store implements it.
type Store interface {
	// Progress returns where each of units stands in period for forms.
	Progress(ctx context.Context, period string, units []string, forms []string) (map[string]flows.UnitProgress, error)
	// People returns the people with ids; unknown ids are left out.
	People(ctx context.Context, ids []string) (map[string]flows.Person, error)
	// Leaders returns the ids of every person with a leader's scope.
	Leaders(ctx context.Context) ([]string, error)
}

// Claims makes each (period, step, person) go out once across processes: a claim with a lease,
// marked done after a successful send. storage.Store implements it on Redis.
type Claims interface {
	// ClaimReminder takes the claim for holder until now+lease, now being the moment of the
	// claim, or extends it when holder has it already; false when it is done, or held by
	// another holder whose lease has not run out.
	ClaimReminder(ctx context.Context, period, step, person, holder string, now time.Time, lease time.Duration) (bool, error)
	// DoneReminder marks the reminder sent, for good.
	DoneReminder(ctx context.Context, period, step, person string) error
	// ReleaseReminder gives up holder's claim so the next tick tries again.
	ReleaseReminder(ctx context.Context, period, step, person, holder string) error
}

// Survey reads where every unit stands at once, in a few round trips whatever the size of the
// directory: what a tick, a digest and the plan start from. storage.Store implements it.
type Survey interface {
	// Status returns where each of units stands in period with each of forms (bit i of a
	// flows.UnitStatus is forms[i]); every unit asked for has an entry.
	Status(ctx context.Context, period string, units, forms []string) (map[string]flows.UnitStatus, error)
	// Organisers returns the ids of the people who report for each of units, sorted.
	Organisers(ctx context.Context, units []string) (map[string][]string, error)
	// Revision is a number that moves whenever something may give somebody a reminder to get:
	// a report returned, a person linked (a new organiser or leader, a blocked person back),
	// a snooze. A step settled at one revision stays settled while it does not move.
	Revision(ctx context.Context) (int64, error)
}

// Steps remembers, across processes and restarts, how far each (period, step) has gone: who has
// had it, and a mark once everybody it is for has been settled, so a tick with nothing due reads
// the marks and stops. storage.Store implements it on Redis.
type Steps interface {
	// StepMarks returns the marks of keys ("<period>|<step>") that have one.
	StepMarks(ctx context.Context, keys []string) (map[string]string, error)
	// MarkStep stores key's mark.
	MarkStep(ctx context.Context, key, mark string) error
	// Reached returns the people DoneReminder marked for (period, step), in one round trip.
	Reached(ctx context.Context, period, step string) (map[string]bool, error)
}

// Snoozes tells whether a person put off the reminders of a period ("Nhắc lại ngày mai").
type Snoozes interface {
	// Snoozed returns when each snooze of period ends, by person, in one round trip.
	Snoozed(ctx context.Context, period string) (map[string]time.Time, error)
}

// Nudges keeps a leader's "Nhắc ngay" to once a day per unit, and records it for /missing.
type Nudges interface {
	// NudgeOnce records n and returns true the first time unit is nudged on day ("2006-01-02").
	NudgeOnce(ctx context.Context, unit, day string, n flows.Nudge) (bool, error)
	// ForgetNudge drops the day's mark of unit, after a nudge that did not reach anyone.
	ForgetNudge(ctx context.Context, unit, day string) error
}

// Sender delivers one message to a person on the channel they prefer. main wires it to the
// transports (the router of issue 5, or Telegram's Send).
type Sender interface {
	Send(ctx context.Context, p flows.Person, r flows.Reply) error
}

// Rate is the pace of a fan-out, shared by every replica that sends on the same bot token so
// that together they stay within it: storage.FanoutRate keeps it in Redis, LocalRate in this
// process alone.
type Rate interface {
	// Take asks to send one message to p now: zero when it may go, else how long to wait
	// before asking again.
	Take(ctx context.Context, p flows.Person) (time.Duration, error)
}

// ErrUnreachable is what a Sender wraps when the person blocked the bot; main's Sender maps the
// transports' errors (bot.ErrUnreachable) to it, or sets Config.Unreachable.
var ErrUnreachable = errors.New("reminders: person unreachable")

// Observer is told how reminders go, for the operators' metrics; main wires internal/metrics.
// A nil one in Config observes nothing.
type Observer interface {
	// Reminded counts one reminder of step (a ladder step's id, SnoozeStep, or NowStep for
	// one sent by hand): outcome is "claimed" (this process took it), "sent", "failed" (it
	// goes again at a later tick) or "unreachable" (the person blocked the bot).
	Reminded(step, outcome string)
	// Queued moves by delta the number of people a fan-out still has to get through: the
	// depth of the reminders' queue.
	Queued(delta int)
}

// NowStep is the step Observer is told for a reminder sent by hand (Remind): it has no place on
// the ladder.
const NowStep = "now"

// nopObserver is the Observer of a Config without one.
type nopObserver struct{}

func (nopObserver) Reminded(string, string) {}
func (nopObserver) Queued(int)              {}
