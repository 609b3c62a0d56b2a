package reminders

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"danvan/flows"
)

// Config is what a Scheduler needs: its ports, the calendar and the rules.
type Config struct {
	Store    Store
	Claims   Claims
	Snoozes  Snoozes
	Nudges   Nudges
	Sender   Sender
	Calendar flows.Calendar
	Dir      *flows.Directory
	Forms    []flows.Form
	Rules    Rules
	// Lease is how long a claim protects a send in progress: longer than a send can take
	// (429 waits included), shorter than the time people would wait for a retry. Default 5m.
	Lease time.Duration
	// Holder names this process in claims ("host:pid"); it must differ between replicas.
	Holder string
	// Workers is how many sends run at once; the rate limit of the Sender bounds the pace.
	Workers int
	// Unreachable tells a send error that means the person blocked the bot; default
	// errors.Is(err, ErrUnreachable).
	Unreachable func(error) bool
	// Now is the clock; time.Now by default, a fake one in tests and the demo.
	Now func() time.Time
	Log *slog.Logger
}

// Scheduler decides, at every tick, which reminders are due and sends them once.
type Scheduler struct {
	cfg   Config
	units []string // every unit of the directory, in file order
	forms []string
	// sent remembers the reminders this process marked done, which stay done: it saves a
	// round trip per person on every tick until the next step.
	sent sync.Map
}

// New returns a Scheduler for cfg, with defaults filled in.
func New(cfg Config) *Scheduler {
	if cfg.Lease <= 0 {
		cfg.Lease = 5 * time.Minute
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 16
	}
	if cfg.Unreachable == nil {
		cfg.Unreachable = func(err error) bool { return errors.Is(err, ErrUnreachable) }
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	s := &Scheduler{cfg: cfg}
	for _, n := range cfg.Dir.Units("") {
		s.units = append(s.units, n.ID)
	}
	for _, f := range cfg.Forms {
		s.forms = append(s.forms, f.ID)
	}
	return s
}

// periods returns the periods whose ladder may be running at now.
func (s *Scheduler) periods(now time.Time) []flows.Period {
	var out []flows.Period
	for y := now.Year() - 1; y <= now.Year()+1; y++ {
		for _, sp := range s.cfg.Calendar.Specs {
			p := s.cfg.Calendar.Make(sp, y)
			if now.Before(p.Closes) && now.After(p.Opens.AddDate(0, -1, 0)) {
				out = append(out, p)
			}
		}
	}
	slices.SortFunc(out, func(a, b flows.Period) int { return a.Due.Compare(b.Due) })
	return out
}

// Tick sends what is due at now and not sent yet: for each period, the latest step of the
// organisers' ladder and the latest digest step, and nothing outside the sending hours. It is
// safe to run in several processes at once.
func (s *Scheduler) Tick(ctx context.Context, now time.Time) error {
	if !s.cfg.Rules.Allowed(now.In(s.cfg.Calendar.Loc)).Equal(now) {
		return nil // a catch-up, too, waits for the sending hours of an allowed day
	}
	var errs []error
	periods := s.periods(now)
	s.forgetSent(periods)
	for _, p := range periods {
		if st, at, ok := s.cfg.Rules.latest(p, false, now); ok {
			errs = append(errs, s.organisers(ctx, p, st, at, now))
		}
		if st, _, ok := s.cfg.Rules.latest(p, true, now); ok {
			errs = append(errs, s.digests(ctx, p, st, now))
		}
	}
	return errors.Join(errs...)
}

// forgetSent drops what this process remembers sending for periods whose ladders have ended,
// so the memory follows the running periods, not the life of the process.
func (s *Scheduler) forgetSent(running []flows.Period) {
	keep := map[string]bool{}
	for _, p := range running {
		keep[p.ID] = true
	}
	s.sent.Range(func(k, _ any) bool {
		if period, _, _ := strings.Cut(k.(string), "|"); !keep[period] {
			s.sent.Delete(k)
		}
		return true
	})
}

// missing returns, per organiser, the units of prog that have not submitted every form,
// returned ones included, in directory order.
func (s *Scheduler) missing(prog map[string]flows.UnitProgress, units []string) map[string][]string {
	out := map[string][]string{}
	for _, u := range units {
		up, ok := prog[u]
		if !ok || s.done(up) {
			continue
		}
		for _, o := range up.Organisers {
			out[o] = append(out[o], u)
		}
	}
	return out
}

// done reports whether a unit has a current, not returned, submission of every form.
func (s *Scheduler) done(up flows.UnitProgress) bool {
	for _, f := range s.forms {
		if !up.Done(f) {
			return false
		}
	}
	return true
}

// organisers sends step st of period p to every organiser with a unit still missing.
func (s *Scheduler) organisers(ctx context.Context, p flows.Period, st Step, at, now time.Time) error {
	prog, err := s.cfg.Store.Progress(ctx, p.ID, s.units, s.forms)
	if err != nil {
		return fmt.Errorf("progress of %s: %w", p.ID, err)
	}
	byPerson := s.missing(prog, s.units)
	people, err := s.cfg.Store.People(ctx, sortedKeys(byPerson))
	if err != nil {
		return fmt.Errorf("people to remind for %s: %w", p.ID, err)
	}
	return s.fan(ctx, sortedKeys(byPerson), func(ctx context.Context, id string) error {
		pr, ok := people[id]
		if !ok || pr.Unreachable {
			return nil
		}
		return s.remindOne(ctx, p, st, at, pr, byPerson[id], now)
	})
}

// SnoozeStep is the step id of the reminder a snooze brings back the next day.
const SnoozeStep = "snooze"

// remindOne sends one organiser their reminder for step st (going at at), once: it applies a
// snooze, claims, reads the units again (a unit that submitted meanwhile is left out) and marks
// the claim done. A snooze holds everything back until the first allowed moment of the next
// day, then sends one reminder of its own (step "snooze") in place of the steps it held back.
func (s *Scheduler) remindOne(ctx context.Context, p flows.Period, st Step, at time.Time, pr flows.Person, units []string, now time.Time) error {
	until, err := s.cfg.Snoozes.SnoozedUntil(ctx, p.ID, pr.ID)
	if err != nil {
		return fmt.Errorf("snooze of %s for %s: %w", pr.ID, p.ID, err)
	}
	if !until.IsZero() {
		back := s.cfg.Rules.Allowed(until.In(s.cfg.Calendar.Loc))
		if now.Before(back) {
			return nil
		}
		if !at.After(back) {
			st = Step{ID: SnoozeStep}
		}
	}
	if _, sent := s.sent.Load(p.ID + "|" + st.ID + "|" + pr.ID); sent {
		return nil
	}
	return s.once(ctx, p, st, pr, now, func() (flows.Reply, bool, error) {
		prog, err := s.cfg.Store.Progress(ctx, p.ID, units, s.forms)
		if err != nil {
			return flows.Reply{}, false, fmt.Errorf("progress of %s: %w", pr.ID, err)
		}
		still := s.missing(prog, units)[pr.ID]
		if len(still) == 0 {
			return flows.Reply{}, false, nil
		}
		return s.reminder(pr, p, now, still, prog), true, nil
	})
}

// once runs the claim protocol around one send: claim (period, step, person), build the message
// at send time, send, mark done. A failed send releases the claim for the next tick; a crash
// leaves it to expire after the lease.
func (s *Scheduler) once(ctx context.Context, p flows.Period, st Step, pr flows.Person, now time.Time,
	build func() (flows.Reply, bool, error)) error {
	c := s.cfg
	ok, err := c.Claims.ClaimReminder(ctx, p.ID, st.ID, pr.ID, c.Holder, now, c.Lease)
	if err != nil || !ok {
		return err
	}
	r, send, err := build()
	if err == nil && send {
		err = c.Sender.Send(ctx, pr, r)
	}
	switch {
	case err == nil && send:
		c.Log.Info("reminders: sent", "period", p.ID, "step", st.ID, "person", pr.ID)
		if err := c.Claims.DoneReminder(ctx, p.ID, st.ID, pr.ID); err != nil {
			return err
		}
		s.sent.Store(p.ID+"|"+st.ID+"|"+pr.ID, true)
		return nil
	case err != nil && c.Unreachable(err):
		c.Log.Info("reminders: person unreachable", "period", p.ID, "step", st.ID, "person", pr.ID)
		err = nil
	}
	// Nothing to say now (the unit submitted meanwhile) or the send failed: let a later tick
	// decide again rather than marking a reminder sent that nobody received.
	if rerr := c.Claims.ReleaseReminder(ctx, p.ID, st.ID, pr.ID, c.Holder); rerr != nil {
		err = errors.Join(err, rerr)
	}
	if err != nil {
		return fmt.Errorf("remind %s of %s step %s: %w", pr.ID, p.ID, st.ID, err)
	}
	return nil
}

// fan runs fn for every id on the configured number of workers and joins their errors.
func (s *Scheduler) fan(ctx context.Context, ids []string, fn func(context.Context, string) error) error {
	jobs := make(chan string)
	var mu sync.Mutex
	var errs []error
	var wg sync.WaitGroup
	for range min(s.cfg.Workers, len(ids)) {
		wg.Go(func() {
			for id := range jobs {
				if err := fn(ctx, id); err != nil {
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

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.SortFunc(out, cmp.Compare)
	return out
}
