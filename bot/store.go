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
	// SaveSession stores st if the stored state is still at version prev; else flows.ErrConflict.
	SaveSession(ctx context.Context, chat string, st flows.State, prev int64) error
}

// Reports reads and writes drafts and submissions.
type Reports interface {
	// Reports loads every report qs names, in one round trip.
	Reports(ctx context.Context, qs []flows.ReportQuery) (map[flows.Key]flows.ReportInfo, error)
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

// Invites redeems one-time invite codes and throttles guessing.
type Invites interface {
	// Redeem returns the invite and deletes it in one step; flows.ErrNotFound when the code is
	// unknown, used or expired.
	Redeem(ctx context.Context, code string) (flows.Invite, error)
	// Failure counts a wrong code from chat and returns how many in the current window.
	Failure(ctx context.Context, chat string, window time.Duration) (int64, error)
}

// Guard makes the handling of updates safe with several processes on one Redis.
type Guard interface {
	// Claim returns true the first time an update id is seen within ttl.
	Claim(ctx context.Context, update string, ttl time.Duration) (bool, error)
	// Release forgets a claim, so an update whose handling failed can be handled when redelivered.
	Release(ctx context.Context, update string) error
	// Lock holds chat for one writer across processes until unlock or ttl.
	Lock(ctx context.Context, chat string, ttl time.Duration) (unlock func(context.Context), err error)
}
