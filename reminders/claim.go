package reminders

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"danvan/flows"
)

// settleTimeout bounds the writes that settle a claim after its send (done or released): they
// run even when the fan-out's context has ended, so a stop neither loses a done mark nor leaves
// an unsent reminder locked for its lease.
const settleTimeout = 5 * time.Second

// once runs the claim protocol around one send: claim (period, step, person) with a lease from
// this moment, build the message at send time, send while holding the claim, then mark it done
// or release it. A crash leaves the claim to expire after the lease. settled is true when the
// reminder needs nothing more: sent, nothing to say, or the person unreachable; false when
// another holder has the claim, or the send failed.
func (s *Scheduler) once(ctx context.Context, p flows.Period, st Step, pr flows.Person,
	build func() (flows.Reply, bool, error)) (bool, error) {
	c := s.cfg
	token := c.Holder + "#" + strconv.FormatUint(s.claims.Add(1), 10)
	ok, err := c.Claims.ClaimReminder(ctx, p.ID, s.claimStep(st), pr.ID, token, c.Now(), c.Lease)
	if err != nil || !ok {
		return false, err
	}
	c.Observer.Reminded(st.ID, "claimed")
	stopHold := s.hold(ctx, p.ID, s.claimStep(st), pr.ID, token)
	r, send, err := build()
	if err == nil && send {
		err = c.Sender.Send(ctx, pr, r)
	}
	stopHold()
	settle, cancel := context.WithTimeout(context.WithoutCancel(ctx), settleTimeout)
	defer cancel()
	return s.settle(settle, p, st, pr, token, send, err)
}

// settle marks a sent reminder done, or releases the claim of one that was not sent: nothing
// to say now (the unit submitted meanwhile) or the send failed, and a later tick decides again
// rather than marking a reminder sent that nobody received.
func (s *Scheduler) settle(ctx context.Context, p flows.Period, st Step, pr flows.Person, token string, send bool, err error) (bool, error) {
	c := s.cfg
	switch {
	case err == nil && send:
		c.Observer.Reminded(st.ID, "sent")
		c.Log.Info("reminders: sent", "period", p.ID, "step", st.ID, "person", pr.ID)
		if err := c.Claims.DoneReminder(ctx, p.ID, s.claimStep(st), pr.ID); err != nil {
			return false, err
		}
		return true, nil
	case err != nil && c.Unreachable(err):
		c.Observer.Reminded(st.ID, "unreachable")
		c.Log.Info("reminders: person unreachable", "period", p.ID, "step", st.ID, "person", pr.ID)
		err = nil
	case err != nil:
		c.Observer.Reminded(st.ID, "failed")
	}
	if rerr := c.Claims.ReleaseReminder(ctx, p.ID, s.claimStep(st), pr.ID, token); rerr != nil {
		err = errors.Join(err, rerr)
	}
	if err != nil {
		return false, fmt.Errorf("remind %s of %s step %s: %w", pr.ID, p.ID, st.ID, err)
	}
	return true, nil
}

// hold extends the claim of token every third of the lease while its send runs, on the
// scheduler's clock: a send slowed by the shared rate, 429s or retries keeps its claim, and no
// other replica takes it over to send it a second time. The function it returns stops it and
// returns once it has stopped, so no extension runs after the claim is settled.
func (s *Scheduler) hold(ctx context.Context, period, step, person, token string) func() {
	ctx, cancel := context.WithCancel(ctx)
	ticks, stop := s.every(s.cfg.Lease / 3)
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-ticks:
			}
			ok, err := s.cfg.Claims.ClaimReminder(ctx, period, step, person, token, s.cfg.Now(), s.cfg.Lease)
			if ctx.Err() != nil || (ok && err == nil) {
				continue
			}
			s.cfg.Log.Warn("reminders: claim not extended", "period", period, "step", step, "person", person, "err", err)
			if err == nil {
				return // done, or taken over after it ran out: nothing left to hold
			}
		}
	}()
	return func() {
		cancel()
		<-done
	}
}

// ticker is the default of Scheduler.every: a time.Ticker.
func ticker(d time.Duration) (<-chan time.Time, func()) {
	t := time.NewTicker(d)
	return t.C, t.Stop
}

// peopleChunk is how many people's records a fan-out loads at a time: the first message of a
// step to 200,000 people leaves after one chunk is read, not all of them.
const peopleChunk = 1000

// fanPeople runs fn for every id on the configured number of workers, with the person's record
// (ids without one are left out), loading the records a chunk at a time. It returns whether fn
// settled every one of them, and the joined errors.
func (s *Scheduler) fanPeople(ctx context.Context, ids []string, fn func(context.Context, flows.Person) (bool, error)) (bool, error) {
	var unsettled atomic.Bool
	var errs []error
	for lo := 0; lo < len(ids); lo += peopleChunk {
		if ctx.Err() != nil {
			return false, errors.Join(append(errs, ctx.Err())...)
		}
		chunk := ids[lo:min(lo+peopleChunk, len(ids))]
		people, err := s.cfg.Store.People(ctx, chunk)
		if err != nil {
			return false, errors.Join(append(errs, fmt.Errorf("people to remind: %w", err))...)
		}
		err = s.fan(ctx, chunk, func(ctx context.Context, id string) error {
			pr, ok := people[id]
			if !ok || pr.Unreachable {
				return nil
			}
			done, err := fn(ctx, pr)
			if !done {
				unsettled.Store(true)
			}
			return err
		})
		if err != nil {
			errs = append(errs, err)
		}
	}
	return !unsettled.Load() && len(errs) == 0, errors.Join(errs...)
}

// fan runs fn for every id on the configured number of workers and joins their errors; the
// Observer sees the queue of ids still to go.
func (s *Scheduler) fan(ctx context.Context, ids []string, fn func(context.Context, string) error) error {
	queued := len(ids)
	s.cfg.Observer.Queued(queued)
	defer func() { s.cfg.Observer.Queued(-queued) }() // those ctx left unfed
	jobs := make(chan string)
	var mu sync.Mutex
	var errs []error
	var wg sync.WaitGroup
	for range min(s.cfg.Workers, len(ids)) {
		wg.Go(func() {
			for id := range jobs {
				err := fn(ctx, id)
				s.cfg.Observer.Queued(-1)
				if err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		})
	}
feed:
	for _, id := range ids {
		select {
		case jobs <- id:
			queued--
		case <-ctx.Done():
			mu.Lock()
			errs = append(errs, ctx.Err())
			mu.Unlock()
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	return errors.Join(errs...)
}
