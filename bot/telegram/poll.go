package telegram

import (
	"context"
	"net/http"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// poll is the long-polling loop. It is our own rather than the library's GetUpdatesChan,
// which sleeps a fixed 3s on any error, ignores retry_after and cannot be stopped cleanly.
func (t *Transport) poll(ctx context.Context) error {
	offset, attempt, needDelete := 0, 0, true
	confirmed := 0 // the offset Telegram has been told about
	for ctx.Err() == nil {
		if needDelete {
			// Telegram refuses getUpdates while a webhook is set.
			if err := t.deleteWebhook(ctx); err != nil {
				attempt = t.pollFailed(ctx, "deleteWebhook", err, attempt)
				continue
			}
			needDelete = false
			t.polled()
		}
		updates, err := t.client(ctx).GetUpdates(tgbotapi.UpdateConfig{
			Offset:         offset,
			Timeout:        int(t.pollTimeout / time.Second),
			AllowedUpdates: allowedUpdates,
		})
		if err != nil {
			if apiErr, ok := apiError(err); ok && apiErr.Code == http.StatusConflict {
				needDelete = true
			}
			attempt = t.pollFailed(ctx, "getUpdates", err, attempt)
			continue
		}
		attempt, confirmed = 0, offset
		t.polled()
		offset = t.dispatch(ctx, updates, offset)
		// The next getUpdates confirms this batch to Telegram, so it waits until the batch is
		// handled: a process killed mid-batch gets the batch again on restart (the dispatcher
		// drops what it had already committed), instead of losing it.
		t.queues.Wait()
	}
	t.queues.Wait()
	t.confirm(ctx, offset, confirmed)
	return nil
}

// pollFailed logs err, waits retry_after or the backoff, and returns the next attempt number.
func (t *Transport) pollFailed(ctx context.Context, method string, err error, attempt int) int {
	if ctx.Err() != nil {
		return attempt // shutting down: the error is the cancelled request
	}
	t.obs.Polled(t.redact(err), 0)
	d := t.backoff(attempt)
	if apiErr, ok := apiError(err); ok && apiErr.RetryAfter > 0 {
		d = time.Duration(apiErr.RetryAfter) * time.Second
	}
	t.log.Warn("telegram: "+method+" failed", "attempt", attempt+1, "retry_in", d, "err", t.redact(err))
	_ = t.wait(ctx, d) // an error here is ctx ending, which the loop checks
	return attempt + 1
}

// dispatch hands each new update to its chat's queue and returns the offset past the last
// update taken. Once ctx is done it takes no more; those left are not confirmed, so Telegram
// delivers them again next time.
func (t *Transport) dispatch(ctx context.Context, updates []tgbotapi.Update, offset int) int {
	for _, u := range updates {
		if u.UpdateID < offset {
			continue // already taken; Telegram should not resend it, but never handle one twice
		}
		if ctx.Err() != nil {
			return offset
		}
		job, ok := t.convert(u)
		if ok {
			t.obs.Received(job.in.Input.Kind.String())
			handleCtx := context.WithoutCancel(ctx) // what is in hand finishes, even on shutdown
			if err := t.queues.Submit(ctx, job.key(), func() { t.process(handleCtx, job) }); err != nil {
				return offset
			}
		}
		offset = u.UpdateID + 1
	}
	return offset
}

// deleteWebhook switches Telegram to getUpdates, keeping the updates already waiting.
func (t *Transport) deleteWebhook(ctx context.Context) error {
	_, err := t.client(ctx).Request(tgbotapi.DeleteWebhookConfig{})
	return err
}

// confirm tells Telegram which updates were handled, so a restart does not get them again: the
// offset of a getUpdates call confirms every update below it.
func (t *Transport) confirm(ctx context.Context, offset, confirmed int) {
	if offset <= confirmed {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	_, err := t.client(ctx).GetUpdates(tgbotapi.UpdateConfig{Offset: offset, Limit: 1})
	if err != nil {
		t.log.Warn("telegram: confirming handled updates failed", "offset", offset, "err", t.redact(err))
	}
}
