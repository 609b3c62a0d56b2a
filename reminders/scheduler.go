package reminders

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
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
	// Root confines the schedule to one tenant: the units at or below it, on Calendar, the
	// tenant's. "" runs the whole directory.
	Root string
	// Tag tells this schedule's claims apart from another tenant's, for a person in both (a
	// leader of two provinces gets each one's digest): it prefixes the step of every claim.
	// "" keeps the claims of a deployment of one tenant.
	Tag   string
	Forms []flows.Form
	// Indicators are the plan's targets; the report push charts the first the period measures.
	// With Plans they are those of the plan in force in the period's year.
	Indicators []flows.Indicator
	// Plans, when set, are the tenant's plans by year (flows.Tenant.Plans).
	Plans []flows.WorkPlan
	Rules Rules
	// Lease is how long a claim protects a send in progress, counted from the claim and extended
	// every third of it while the send runs: the time a crashed replica's reminders wait
	// before another replica sends them. Default 5m.
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
	// Observer counts reminders and the fan-out's queue, for metrics; nil counts nothing.
	Observer Observer
}

// Scheduler decides, at every tick, which reminders are due and sends them once.
type Scheduler struct {
	cfg   Config
	forms []string
	// sent remembers the reminders this process marked done, which stay done: it saves a
	// round trip per person on every tick until the next step.
	sent sync.Map
	// every returns the ticks that extend a claim while its send runs (a time.Ticker; a test's
	// own channel) and the function that stops them.
	every func(d time.Duration) (<-chan time.Time, func())
	// claims numbers this process's claims: a claim's token is Holder#n, so two ticks of one
	// process (the demo's /ngay and its cron) never take one claim twice.
	claims atomic.Uint64
	// ticking lets one tick of this process run at a time: a tick asked for by hand (the demo's
	// /ngay) waits for the cron's catch-up rather than racing it for the same people, so it
	// returns only once everything due by then has gone out.
	ticking sync.Mutex
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
	if cfg.Observer == nil {
		cfg.Observer = nopObserver{}
	}
	s := &Scheduler{cfg: cfg, every: ticker}
	for _, f := range cfg.Forms {
		s.forms = append(s.forms, f.ID)
	}
	return s
}

// unitsIn lists the units that report for p, in file order: those in force on its due day
// (flows.Directory.In), so the units merged away are not reminded of the periods after.
func (s *Scheduler) unitsIn(p flows.Period) []string {
	nodes := s.cfg.Dir.In(p).Units(s.cfg.Root)
	out := make([]string, len(nodes))
	for i, n := range nodes {
		out[i] = n.ID
	}
	return out
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
	s.ticking.Lock()
	defer s.ticking.Unlock()
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
			errs = append(errs, s.digests(ctx, p, st))
		}
		if st, ok := s.cfg.Rules.reportStep(p, now); ok {
			errs = append(errs, s.pushReports(ctx, p, st))
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
	units := s.unitsIn(p)
	prog, err := s.cfg.Store.Progress(ctx, p.ID, units, s.forms)
	if err != nil {
		return fmt.Errorf("progress of %s: %w", p.ID, err)
	}
	byPerson := s.missing(prog, units)
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
	if _, sent := s.sent.Load(p.ID + "|" + s.claimStep(st) + "|" + pr.ID); sent {
		return nil
	}
	return s.once(ctx, p, st, pr, func() (flows.Reply, bool, error) {
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

// settleTimeout bounds the writes that settle a claim after its send (done or released): they
// run even when the fan-out's context has ended, so a stop neither loses a done mark nor leaves
// an unsent reminder locked for its lease.
const settleTimeout = 5 * time.Second

// once runs the claim protocol around one send: claim (period, step, person) with a lease from
// this moment, build the message at send time, send while holding the claim, then mark it done
// or release it. A crash leaves the claim to expire after the lease.
func (s *Scheduler) once(ctx context.Context, p flows.Period, st Step, pr flows.Person,
	build func() (flows.Reply, bool, error)) error {
	c := s.cfg
	token := c.Holder + "#" + strconv.FormatUint(s.claims.Add(1), 10)
	ok, err := c.Claims.ClaimReminder(ctx, p.ID, s.claimStep(st), pr.ID, token, c.Now(), c.Lease)
	if err != nil || !ok {
		return err
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
func (s *Scheduler) settle(ctx context.Context, p flows.Period, st Step, pr flows.Person, token string, send bool, err error) error {
	c := s.cfg
	switch {
	case err == nil && send:
		c.Observer.Reminded(st.ID, "sent")
		c.Log.Info("reminders: sent", "period", p.ID, "step", st.ID, "person", pr.ID)
		if err := c.Claims.DoneReminder(ctx, p.ID, s.claimStep(st), pr.ID); err != nil {
			return err
		}
		s.sent.Store(p.ID+"|"+s.claimStep(st)+"|"+pr.ID, true)
		return nil
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
		return fmt.Errorf("remind %s of %s step %s: %w", pr.ID, p.ID, st.ID, err)
	}
	return nil
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

// claimStep is st as this schedule's claims name it: its id, after Tag when there is one.
func (s *Scheduler) claimStep(st Step) string {
	if s.cfg.Tag == "" {
		return st.ID
	}
	return s.cfg.Tag + "/" + st.ID
}

// within keeps the units of units at or below the schedule's Root, in order.
func (s *Scheduler) within(units []string) []string {
	if s.cfg.Root == "" {
		return units
	}
	return slices.DeleteFunc(slices.Clone(units), func(u string) bool { return !s.cfg.Dir.Within(u, s.cfg.Root) })
}

// ticker is the default of Scheduler.every: a time.Ticker.
func ticker(d time.Duration) (<-chan time.Time, func()) {
	t := time.NewTicker(d)
	return t.C, t.Stop
}

// fan runs fn for every id on the configured number of workers and joins their errors.
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

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.SortFunc(out, cmp.Compare)
	return out
}
