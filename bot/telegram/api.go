package telegram

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"danvan/bot"
	"danvan/bot/transport"
)

// client returns the API bound to ctx. tgbotapi v5.5.1 takes no context, so cancellation
// reaches the HTTP request through a shallow copy whose client attaches ctx.
func (t *Transport) client(ctx context.Context) *tgbotapi.BotAPI {
	api := *t.api
	api.Client = ctxDoer{ctx: ctx, c: t.httpClient}
	return &api
}

// ctxDoer makes every request it sends carry ctx.
type ctxDoer struct {
	ctx context.Context
	c   *http.Client
}

// Do sends req under the doer's context.
func (d ctxDoer) Do(req *http.Request) (*http.Response, error) {
	return d.c.Do(req.WithContext(d.ctx))
}

// retry calls fn, waiting out 429 retry_after; idempotent calls also retry network errors with
// backoff. A 403 on a call for a chat marks it unreachable and returns an error wrapping
// bot.ErrUnreachable. Errors come back redacted of the token.
func (t *Transport) retry(ctx context.Context, chat string, idempotent bool,
	fn func(*tgbotapi.BotAPI) (*tgbotapi.APIResponse, error)) (*tgbotapi.APIResponse, error) {
	for attempt := 0; ; attempt++ {
		resp, err := fn(t.client(ctx))
		if err == nil {
			return resp, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		apiErr, isAPI := apiError(err)
		if isAPI && apiErr.Code == http.StatusForbidden && chat != "" {
			t.markUnreachable(ctx, chat)
			return nil, fmt.Errorf("telegram: blocked by the user: %w: %s", bot.ErrUnreachable, apiErr.Message)
		}
		d, again := t.retryDelay(err, attempt, idempotent)
		if !again || attempt+1 >= t.sendAttempts {
			return nil, t.redact(err)
		}
		if err := t.wait(ctx, d); err != nil {
			return nil, err
		}
	}
}

// retryDelay tells whether err is worth retrying and after how long.
func (t *Transport) retryDelay(err error, attempt int, idempotent bool) (time.Duration, bool) {
	apiErr, isAPI := apiError(err)
	switch {
	case isAPI && apiErr.RetryAfter > 0:
		d := time.Duration(apiErr.RetryAfter) * time.Second
		return d, d <= t.maxRetryAfter
	case isAPI && apiErr.Code == http.StatusTooManyRequests:
		return t.backoff(attempt), true
	case isAPI && apiErr.Code < 500:
		return 0, false // the request itself is wrong; it will fail again
	default:
		// A network error may hide a request that did arrive: only repeat what is safe to repeat.
		return t.backoff(attempt), idempotent
	}
}

// markUnreachable records that chat blocked the bot; a failure is only logged, the send has
// failed anyway.
func (t *Transport) markUnreachable(ctx context.Context, chat string) {
	if t.unreach == nil || chat == "" {
		return
	}
	if err := t.unreach.MarkUnreachable(ctx, chat); err != nil {
		t.log.Error("telegram: mark unreachable failed", "chat", chat, "err", t.redact(err))
	}
}

// apiError finds the Bot API error in err. The library returns *tgbotapi.Error, but Error has a
// value receiver, so a value may turn up too.
func apiError(err error) (tgbotapi.Error, bool) {
	var p *tgbotapi.Error
	if errors.As(err, &p) && p != nil {
		return *p, true
	}
	var v tgbotapi.Error
	if errors.As(err, &v) {
		return v, true
	}
	return tgbotapi.Error{}, false
}

// redact hides the token, which the library's network errors quote inside the request URL.
func (t *Transport) redact(err error) error { return transport.Redact(err, t.token) }
