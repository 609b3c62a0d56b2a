package telegram

import (
	"errors"
	"net/http"
	"time"

	"danvan/bot"
)

// Observer is told what the transport takes in and sends out, and how its calls to the Bot API
// go, for the operators' metrics and readiness; main wires internal/metrics. A nil one in
// Config observes nothing.
type Observer interface {
	// Received counts one update taken from Telegram, by its kind: "text", "command", "button"
	// or "media".
	Received(kind string)
	// Sent counts one message sent or edited (cause "") or given up: "rate_limited" (429s past
	// what the transport waits out), "blocked" (the person blocked the bot), "network" (no
	// answer, a timeout) or "api" (any other refusal).
	Sent(cause string)
	// Polled tells how the last call that takes updates went: a getUpdates or deleteWebhook in
	// polling mode, setWebhook in webhook mode. After a success the next report is due within
	// next; 0 means none is (a webhook waits for Telegram's calls). err is redacted of the token.
	Polled(err error, next time.Duration)
}

// nopObserver is the Observer of a transport configured without one.
type nopObserver struct{}

func (nopObserver) Received(string)             {}
func (nopObserver) Sent(string)                 {}
func (nopObserver) Polled(error, time.Duration) {}

// pollSlack is what a poll may take beyond its timeout: the round trip, a slow proxy. It is
// also the default HTTP client's margin over the poll timeout.
const pollSlack = 15 * time.Second

// polled reports a successful poll: the next one ends within the poll timeout and its slack.
func (t *Transport) polled() { t.obs.Polled(nil, t.pollTimeout+pollSlack) }

// sent reports the outcome of one message.
func (t *Transport) sent(err error) { t.obs.Sent(cause(err)) }

// cause names why a send failed, "" when it did not.
func cause(err error) string {
	if err == nil {
		return ""
	}
	if errors.Is(err, bot.ErrUnreachable) {
		return "blocked"
	}
	if apiErr, ok := apiError(err); ok {
		if apiErr.Code == http.StatusTooManyRequests || apiErr.RetryAfter > 0 {
			return "rate_limited"
		}
		return "api"
	}
	return "network"
}
