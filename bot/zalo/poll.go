package zalo

import (
	"context"
	"time"
)

// poll is the getUpdates loop. Zalo hands out one update per call and answers 408 when none
// came within the timeout: that is the normal idle state, not a failure, and is not logged.
// Failures back off; only the first of a run is logged as a warning, so an outage of an hour
// writes two lines (failing, recovered), not hundreds.
func (z *Transport) poll(ctx context.Context) error {
	z.clearWebhook(ctx)
	attempt := 0
	for ctx.Err() == nil {
		u, ok, err := z.api.getUpdates(ctx, int(z.pollTimeout/time.Second))
		switch {
		case isTimeout(err):
			z.polled()
			attempt = z.recovered(attempt)
			continue
		case err != nil:
			attempt = z.pollFailed(ctx, "getUpdates", err, attempt)
			continue
		}
		z.polled()
		attempt = z.recovered(attempt)
		if j, keep := z.convert(u); ok && keep {
			z.obs.Received(j.kind())
			if err := z.submit(ctx, j, func() {}); err != nil {
				return nil // ctx ended while every worker was busy; Run waits for them
			}
		}
	}
	return nil
}

// clearWebhook makes sure no webhook is set before polling, as getUpdates and the webhook
// exclude each other. It tries once and never stops polling: working clients report that the
// webhook methods of a bot without a webhook can answer 404, which means there is nothing to
// delete; any other failure is logged once, and getUpdates, which fails while a webhook is set,
// says the rest in its own log line.
func (z *Transport) clearWebhook(ctx context.Context) {
	info, err := z.api.getWebhookInfo(ctx)
	switch {
	case err == nil && info.URL == "", isNotFound(err):
		z.polled() // the API answers: ready, before the first getUpdates has waited out its timeout
		return
	case err != nil:
		z.log.Debug("zalo: getWebhookInfo failed; deleting any webhook anyway", "err", err)
	}
	switch err := z.api.deleteWebhook(ctx); {
	case err == nil || isNotFound(err):
		z.polled()
	case ctx.Err() == nil:
		z.log.Warn("zalo: could not delete the webhook; polling anyway", "err", err)
	}
}

// pollFailed logs err (the first of a run only), waits the backoff and returns the next attempt.
func (z *Transport) pollFailed(ctx context.Context, method string, err error, attempt int) int {
	if ctx.Err() != nil {
		return attempt // shutting down: the error is the cancelled request
	}
	z.obs.Polled(err, 0)
	d := z.backoff(attempt)
	if attempt == 0 {
		z.log.Warn("zalo: "+method+" failing, retrying with backoff", "retry_in", d, "err", err)
	} else {
		z.log.Debug("zalo: "+method+" failed again", "attempt", attempt+1, "retry_in", d, "err", err)
	}
	_ = z.wait(ctx, d) // an error here is ctx ending, which the loop checks
	return attempt + 1
}

// recovered logs the end of a run of failures and resets the attempt count.
func (z *Transport) recovered(attempt int) int {
	if attempt > 0 {
		z.log.Info("zalo: polling recovered", "failures", attempt)
	}
	return 0
}
