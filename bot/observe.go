package bot

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"danvan/flows"
)

// Observer is told of every update the dispatcher handled, for the operators' metrics; main
// wires internal/metrics. A nil Observer observes nothing.
type Observer interface {
	// Handled records one update: channel is the platform prefix of its chat ("tg", "zalo"),
	// kind its input's (flows.InputKind.String), outcome one of OutcomeOK, OutcomeFailed,
	// OutcomeDuplicate, and d the time from Handle's call to its return.
	Handled(channel, kind, outcome string, d time.Duration)
}

// The outcomes of an update, as Observer and the debug log name them.
const (
	// OutcomeOK is an update handled, whatever it said to the person.
	OutcomeOK = "ok"
	// OutcomeFailed is an update that failed (the store, a timeout): the person was told to
	// try again.
	OutcomeFailed = "failed"
	// OutcomeDuplicate is an update handled before, by this process or another, dropped.
	OutcomeDuplicate = "duplicate"
)

// observe reports one handled update to the Observer and, at debug level, in one log line. The
// line carries no name, id or text: the chat's platform, the input's kind, the outcome and
// the time taken, so a debug log can be shared without exposing anyone. The time is the real
// clock's, not d.Now, which the demo and the tests move by hand.
func (d *Dispatcher) observe(ctx context.Context, in Incoming, start time.Time, err error) {
	took := time.Since(start)
	outcome := OutcomeOK
	switch {
	case errors.Is(err, flows.ErrDuplicate):
		outcome = OutcomeDuplicate
	case err != nil:
		outcome = OutcomeFailed
	}
	channel, _, _ := strings.Cut(in.Chat, ":")
	kind := in.Input.Kind.String()
	if d.Observer != nil {
		d.Observer.Handled(channel, kind, outcome, took)
	}
	if log := d.logger(); log.Enabled(ctx, slog.LevelDebug) {
		log.LogAttrs(ctx, slog.LevelDebug, "update handled", slog.String("channel", channel),
			slog.String("kind", kind), slog.String("outcome", outcome),
			slog.Float64("ms", float64(took.Microseconds())/1000))
	}
}
