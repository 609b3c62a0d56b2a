package telegram

import (
	"context"
	"net/http"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// pollLimit is how many updates one getUpdates returns at most (Telegram's maximum).
const pollLimit = 100

// poll is the long-polling loop. It is our own rather than the library's GetUpdatesChan,
// which sleeps a fixed 3s on any error, ignores retry_after and cannot be stopped cleanly.
//
// Each update goes to its chat's queue and the loop polls again at once: a chat that waits (a
// send that hangs, a 429 retry_after) never holds the others. The offset it sends, which
// confirms every update below it to Telegram, is the lowest update still in hand, so a process
// killed at any moment gets every unfinished update again on restart (the dispatcher knows the
// ones it had committed). While one is in hand Telegram answers at once with it, so the loop
// then waits for an update to finish, or busyPoll, before it asks again.
func (t *Transport) poll(ctx context.Context) error {
	hand := newInHand()
	next, attempt, needDelete := 0, 0, true // next: the first update not taken yet
	confirmed := 0                          // the offset Telegram has been told about
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
		offset := hand.floor(next)
		updates, err := t.getUpdates(ctx, offset)
		if err != nil {
			if apiErr, ok := apiError(err); ok && apiErr.Code == http.StatusConflict {
				needDelete = true
			}
			attempt = t.pollFailed(ctx, "getUpdates", err, attempt)
			continue
		}
		attempt, confirmed = 0, offset
		t.polled()
		var taken int
		next, taken = t.dispatch(ctx, updates, next, hand)
		if taken == 0 && offset < next {
			t.behind(ctx, hand, len(updates), offset)
		}
	}
	t.queues.Wait()
	t.confirm(ctx, hand.floor(next), confirmed)
	return nil
}

// getUpdates long-polls for the updates from offset on, confirming those below it.
func (t *Transport) getUpdates(ctx context.Context, offset int) ([]tgbotapi.Update, error) {
	return t.client(ctx).GetUpdates(tgbotapi.UpdateConfig{
		Offset: offset, Limit: pollLimit, Timeout: int(t.pollTimeout / time.Second), AllowedUpdates: allowedUpdates,
	})
}

// behind paces the loop while Telegram answers only with updates already in hand. When they
// fill a whole answer, nothing newer can be seen past them: they are given up for redelivery
// (confirmed with the next offset) so that the other chats are not held, and that is logged.
func (t *Transport) behind(ctx context.Context, hand *inHand, n, offset int) {
	if n >= pollLimit {
		t.log.Warn("telegram: a full batch of updates still in hand; confirming them so that other chats go on",
			"from", offset, "count", n)
		hand.forget()
		return
	}
	hand.wait(ctx, t.busyPoll)
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

// dispatch hands each update not taken yet to its chat's queue, recording it in hand until it
// is finished. It returns the first update not taken and how many it took. Once ctx is done it
// takes no more; those left are not confirmed, so Telegram delivers them again next time.
func (t *Transport) dispatch(ctx context.Context, updates []tgbotapi.Update, next int, hand *inHand) (int, int) {
	taken := 0
	for _, u := range updates {
		if u.UpdateID < next {
			continue // taken before: in hand, or finished behind one that is
		}
		if ctx.Err() != nil {
			return next, taken
		}
		if job, ok := t.convert(u); ok {
			t.obs.Received(job.in.Input.Kind.String())
			id := u.UpdateID
			hand.add(id)
			handleCtx := context.WithoutCancel(ctx) // what is in hand finishes, even on shutdown
			err := t.queues.Submit(ctx, job.key(), func() {
				defer hand.done(id)
				t.process(handleCtx, job)
			})
			if err != nil {
				hand.done(id)
				return next, taken
			}
		}
		next, taken = u.UpdateID+1, taken+1
	}
	return next, taken
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
