package bot

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// poll is the long-polling loop. It is our own rather than the library's GetUpdatesChan,
// which sleeps a fixed 3s on any error, ignores retry_after and cannot be stopped cleanly.
func (t *Telegram) poll(ctx context.Context) error {
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
		}
		updates, err := t.client(ctx).GetUpdates(tgbotapi.UpdateConfig{
			Offset:         offset,
			Timeout:        int(t.pollTimeout / time.Second),
			AllowedUpdates: tgAllowedUpdates,
		})
		if err != nil {
			if apiErr, ok := tgAPIError(err); ok && apiErr.Code == http.StatusConflict {
				needDelete = true
			}
			attempt = t.pollFailed(ctx, "getUpdates", err, attempt)
			continue
		}
		attempt, confirmed = 0, offset
		offset = t.dispatch(ctx, updates, offset)
		// The next getUpdates confirms this batch to Telegram, so it waits until the batch is
		// handled: a process killed mid-batch gets the batch again on restart (the dispatcher
		// drops what it had already committed), instead of losing it.
		t.queues.wait()
	}
	t.queues.wait()
	t.confirm(ctx, offset, confirmed)
	return nil
}

// pollFailed logs err, waits retry_after or the backoff, and returns the next attempt number.
func (t *Telegram) pollFailed(ctx context.Context, method string, err error, attempt int) int {
	if ctx.Err() != nil {
		return attempt // shutting down: the error is the cancelled request
	}
	d := t.backoff(attempt)
	if apiErr, ok := tgAPIError(err); ok && apiErr.RetryAfter > 0 {
		d = time.Duration(apiErr.RetryAfter) * time.Second
	}
	t.log.Warn("telegram: "+method+" failed", "attempt", attempt+1, "retry_in", d, "err", t.redact(err))
	_ = t.wait(ctx, d) // an error here is ctx ending, which the loop checks
	return attempt + 1
}

// dispatch hands each new update to its chat's queue and returns the offset past the last
// update taken. Once ctx is done it takes no more; those left are not confirmed, so Telegram
// delivers them again next time.
func (t *Telegram) dispatch(ctx context.Context, updates []tgbotapi.Update, offset int) int {
	for _, u := range updates {
		if u.UpdateID < offset {
			continue // already taken; Telegram should not resend it, but never handle one twice
		}
		if ctx.Err() != nil {
			return offset
		}
		job, ok := t.convert(u)
		if ok {
			handleCtx := context.WithoutCancel(ctx) // what is in hand finishes, even on shutdown
			if err := t.queues.submit(ctx, job.key(), func() { t.process(handleCtx, job) }); err != nil {
				return offset
			}
		}
		offset = u.UpdateID + 1
	}
	return offset
}

// deleteWebhook switches Telegram to getUpdates, keeping the updates already waiting.
func (t *Telegram) deleteWebhook(ctx context.Context) error {
	_, err := t.client(ctx).Request(tgbotapi.DeleteWebhookConfig{})
	return err
}

// confirm tells Telegram which updates were handled, so a restart does not get them again: the
// offset of a getUpdates call confirms every update below it.
func (t *Telegram) confirm(ctx context.Context, offset, confirmed int) {
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

// tgChatQueues runs jobs of one chat in order and jobs of different chats in parallel, with at
// most max chats in work at once. A chat's worker lives while the chat has jobs.
type tgChatQueues struct {
	mu      sync.Mutex
	idle    *sync.Cond          // signalled when a worker ends
	pending map[string][]func() // a key present means its worker runs
	slots   chan struct{}
}

func newTgChatQueues(max int) *tgChatQueues {
	q := &tgChatQueues{pending: map[string][]func(){}, slots: make(chan struct{}, max)}
	q.idle = sync.NewCond(&q.mu)
	return q
}

// submit queues job behind key's earlier jobs. It blocks while all workers are busy with other
// chats, until ctx is done.
func (q *tgChatQueues) submit(ctx context.Context, key string, job func()) error {
	if q.enqueue(key, job) {
		return nil
	}
	select {
	case q.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	q.mu.Lock()
	if jobs, busy := q.pending[key]; busy {
		// Another submitter started this chat's worker meanwhile.
		q.pending[key] = append(jobs, job)
		q.mu.Unlock()
		<-q.slots
		return nil
	}
	q.pending[key] = nil
	q.mu.Unlock()
	go q.work(key, job)
	return nil
}

// enqueue appends job when key's worker is running.
func (q *tgChatQueues) enqueue(key string, job func()) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	jobs, busy := q.pending[key]
	if busy {
		q.pending[key] = append(jobs, job)
	}
	return busy
}

// work runs key's jobs until none is left.
func (q *tgChatQueues) work(key string, job func()) {
	defer func() { <-q.slots }()
	for {
		job()
		q.mu.Lock()
		jobs := q.pending[key]
		if len(jobs) == 0 {
			delete(q.pending, key)
			q.idle.Broadcast()
			q.mu.Unlock()
			return
		}
		job, q.pending[key] = jobs[0], jobs[1:]
		q.mu.Unlock()
	}
}

// wait returns when every submitted job has finished. Unlike a WaitGroup it may race with
// submit: webhook requests keep arriving while Run shuts down.
func (q *tgChatQueues) wait() {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.pending) > 0 {
		q.idle.Wait()
	}
}

// key is the queue an update belongs to: its chat, or itself when it has none.
func (j tgUpdate) key() string {
	if j.in.Chat != "" {
		return j.in.Chat
	}
	return "tg-update:" + strconv.Itoa(j.updateID)
}
