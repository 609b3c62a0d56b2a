package zalo

import (
	"errors"
	"net/http"
	"time"

	"danvan/bot"
	"danvan/bot/transport"
)

// Observer is told what the transport takes in and sends out, and how its calls to the Zalo
// API go, for the operators' metrics and readiness; main wires internal/metrics. A nil one in
// Config observes nothing.
type Observer interface {
	// Received counts one update taken from Zalo, by its kind: "text", "command" or "media".
	// A typed number that picks an option is text here: only reading it against the chat's
	// menu, when its turn comes, makes it a choice.
	Received(kind string)
	// Sent counts one message or photo sent (cause "") or given up: "rate_limited",
	// "blocked" (the person cannot be reached any more), "network" (no answer, a timeout) or
	// "api" (any other refusal).
	Sent(cause string)
	// Polled tells how the last call that takes updates went: getUpdates (its idle timeout is
	// a success) or the webhook clean-up before it in polling mode, setWebhook in webhook mode.
	// After a success the next report is due within next; 0 means none is (a webhook waits
	// for Zalo's calls). err is redacted of the token.
	Polled(err error, next time.Duration)
}

// nopObserver is the Observer of a transport configured without one.
type nopObserver struct{}

func (nopObserver) Received(string)             {}
func (nopObserver) Sent(string)                 {}
func (nopObserver) Polled(error, time.Duration) {}

// pollSlack is what a getUpdates may take beyond its timeout; the default HTTP client's margin.
const pollSlack = 15 * time.Second

// polled reports a successful call that takes updates.
func (z *Transport) polled() { z.obs.Polled(nil, z.pollTimeout+pollSlack) }

// delivered reports the outcome of one message.
func (z *Transport) delivered(err error) { z.obs.Sent(cause(err)) }

// kind is how Received counts j.
func (j job) kind() string {
	if j.text == "" {
		return j.in.Input.Kind.String()
	}
	if _, ok := transport.Command(j.text); ok {
		return "command"
	}
	return "text"
}

// cause names why a send failed, "" when it did not.
func cause(err error) string {
	var e *APIError
	switch {
	case err == nil:
		return ""
	case errors.Is(err, bot.ErrUnreachable):
		return "blocked"
	case errors.As(err, &e) && e.Code == http.StatusTooManyRequests:
		return "rate_limited"
	case errors.As(err, &e):
		return "api"
	}
	return "network"
}
