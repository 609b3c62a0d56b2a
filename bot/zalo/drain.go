package zalo

import (
	"context"
	"time"
)

// drainEvery is how often an idle drain looks at the Inbox for what no push here announced: the
// updates of a replica that died holding them, once their lease has run out.
const drainEvery = time.Second

// leaseSlack is what a claim's lease gives beyond handleTimeout, so a live worker always ends
// (DoneUpdate) before another may take its chat over.
const leaseSlack = 30 * time.Second

// drain claims the updates the webhook kept, oldest chat first, and hands each to its chat's
// queue until ctx is done. An update claimed is handled even during shutdown (handleTimeout
// bounds it); those not claimed stay in the Inbox for the next process.
func (z *Transport) drain(ctx context.Context) {
	handleCtx := context.WithoutCancel(ctx)
	failing := false
	for ctx.Err() == nil {
		chat, update, err := z.inbox.TakeUpdate(ctx, z.now(), z.lease)
		switch {
		case err != nil && ctx.Err() == nil:
			if !failing {
				z.log.Warn("zalo: inbox not read; retrying", "err", err)
			}
			failing = true
			z.idle(ctx)
		case err != nil:
		case chat == "":
			if failing {
				z.log.Info("zalo: inbox read again")
			}
			failing = false
			z.idle(ctx)
		default:
			failing = false
			// Submit waits only for a free worker, which handleTimeout bounds: the claimed
			// update is handled even if ctx ends meanwhile.
			_ = z.queues.Submit(handleCtx, chat, func() { z.handleKept(handleCtx, chat, update) })
		}
	}
}

// handleKept handles one update the Inbox kept, then drops it from the Inbox and lets the
// chat's next one be claimed. When DoneUpdate fails the update stays and is handled again once its
// lease runs out: the dispatcher, which has seen its id, then sends nothing twice.
func (z *Transport) handleKept(ctx context.Context, chat string, data []byte) {
	u, ok, err := decodeUpdate(data)
	if err != nil {
		z.log.Warn("zalo: kept update unreadable; dropped", "chat", chat, "err", err)
	} else if j, keep := z.convert(u); ok && keep {
		z.process(ctx, j)
	}
	if err := z.inbox.DoneUpdate(ctx, chat, data, z.now()); err != nil {
		z.log.Warn("zalo: handled update not dropped from the inbox; it will be seen again", "chat", chat, "err", err)
	}
	z.kick()
}

// kick wakes the drain: an update was pushed, or a chat's next update became claimable.
func (z *Transport) kick() {
	select {
	case z.wake <- struct{}{}:
	default:
	}
}

// idle waits for a kick, drainEvery, or the end of ctx.
func (z *Transport) idle(ctx context.Context) {
	t := time.NewTimer(z.drainEvery)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-z.wake:
	case <-t.C:
	}
}
