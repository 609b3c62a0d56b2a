package reminders

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
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
	Survey   Survey
	Steps    Steps
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
	// leader of two provinces gets each one's digest): it prefixes the step of every claim,
	// sent set and mark. "" keeps the claims of a deployment of one tenant.
	Tag   string
	Forms []flows.Form
	// Indicators are the plan's targets; the report push charts the first the period measures.
	// With Plans they are those of the plan in force in the period's year.
	Indicators []flows.Indicator
	// Plans, when set, are the tenant's plans by year (flows.Tenant.Plans).
	Plans []flows.WorkPlan
	Rules Rules
	// PerSecond is the fan-out's pace per bot token (reminders.rate, 25): what the plan's
	// expected finish is worked out from. Default 25.
	PerSecond float64
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
	cfg Config
	// views keeps, per directory view (a period's, flows.Directory.In), its units and leaders'
	// views, worked out once: a *scopes by *flows.Directory.
	views sync.Map
	forms []string
	// dirSum fingerprints the directory and forms: a step settled under another one is not.
	dirSum string
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

// New returns a Scheduler for cfg, with defaults filled in. It indexes each period's directory
// once, when it first needs it: the units every leader's scope covers are a lookup from then on.
func New(cfg Config) *Scheduler {
	if cfg.Lease <= 0 {
		cfg.Lease = 5 * time.Minute
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 16
	}
	if cfg.PerSecond <= 0 {
		cfg.PerSecond = 25
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
	s.dirSum = directorySum(cfg.Dir, s.forms)
	return s
}

// scopeOf is the index of the units that report for p: those of the schedule's Root in force on
// its due day (flows.Directory.In), so the units merged away are not reminded of the periods
// after.
func (s *Scheduler) scopeOf(p flows.Period) *scopes {
	dir := s.cfg.Dir.In(p)
	if x, ok := s.views.Load(dir); ok {
		return x.(*scopes)
	}
	x, _ := s.views.LoadOrStore(dir, newScopes(dir, s.cfg.Root))
	return x.(*scopes)
}

// claimStep is st as this schedule's claims, sent sets and marks name it: its id, after Tag when
// there is one.
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

// directorySum fingerprints what a step's recipients follow from besides the store: the
// directory and the forms.
func directorySum(dir *flows.Directory, forms []string) string {
	h := sha256.New()
	enc := json.NewEncoder(h)
	_ = enc.Encode(dir.Nodes())
	_ = enc.Encode(forms)
	return hex.EncodeToString(h.Sum(nil)[:8])
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

// dueStep is the step of a period's ladder that is due at a tick, and when it went.
type dueStep struct {
	period flows.Period
	step   Step
	at     time.Time
}

// markKey names d's mark: "<period>|<step as claims name it>".
func (s *Scheduler) markKey(d dueStep) string { return d.period.ID + "|" + s.claimStep(d.step) }

// due lists, for each period, the latest step of the organisers' ladder, of the digests and of
// the report push.
func (s *Scheduler) due(now time.Time) []dueStep {
	var out []dueStep
	for _, p := range s.periods(now) {
		for _, digest := range []bool{false, true} {
			if st, at, ok := s.cfg.Rules.latest(p, digest, now); ok {
				out = append(out, dueStep{p, st, at})
			}
		}
		if st, ok := s.cfg.Rules.reportStep(p, now); ok {
			out = append(out, dueStep{p, st, s.cfg.Rules.When(p, st)})
		}
	}
	return out
}

// Tick sends what is due at now and not sent yet: for each period, the latest step of the
// organisers' ladder and the latest digest step, and nothing outside the sending hours. It is
// safe to run in several processes at once.
//
// A step everybody it is for has had (or has no need of) is marked settled in Steps, with the
// Survey's revision: while the revision and the directory stay the same, and no snooze runs
// out, the tick reads the marks and the revision (two round trips) and does nothing more. A
// return, a new person or a snooze moves the revision, and the next tick looks at the step
// again, sending only to those who have not had it (Steps.Reached).
func (s *Scheduler) Tick(ctx context.Context, now time.Time) error {
	s.ticking.Lock()
	defer s.ticking.Unlock()
	if !s.cfg.Rules.Allowed(now.In(s.cfg.Calendar.Loc)).Equal(now) {
		return nil // a catch-up, too, waits for the sending hours of an allowed day
	}
	due := s.due(now)
	if len(due) == 0 {
		return nil
	}
	keys := make([]string, len(due))
	for i, d := range due {
		keys[i] = s.markKey(d)
	}
	marks, err := s.cfg.Steps.StepMarks(ctx, keys)
	if err != nil {
		return fmt.Errorf("reminders: %w", err)
	}
	rev, err := s.cfg.Survey.Revision(ctx)
	if err != nil {
		return fmt.Errorf("reminders: %w", err)
	}
	var errs []error
	for _, d := range due {
		if m, ok := parseMark(marks[s.markKey(d)]); ok && m.holds(rev, s.dirSum, now) {
			continue
		}
		errs = append(errs, s.runStep(ctx, d, rev, now))
	}
	return errors.Join(errs...)
}

// runStep sends step d to whoever has not had it and marks it settled when nobody is left.
func (s *Scheduler) runStep(ctx context.Context, d dueStep, rev int64, now time.Time) error {
	var out outcome
	var err error
	switch {
	case d.step.Report:
		out, err = s.pushReports(ctx, d.period, d.step)
	case d.step.Digest:
		out, err = s.digests(ctx, d.period, d.step)
	default:
		out, err = s.organisers(ctx, d.period, d.step, d.at, now)
	}
	if err != nil || !out.settled {
		return err
	}
	m := stepMark{rev: rev, dir: s.dirSum, wake: out.wake}
	if err := s.cfg.Steps.MarkStep(ctx, s.markKey(d), m.String()); err != nil {
		return fmt.Errorf("reminders: %w", err)
	}
	return nil
}

// outcome is how far a step's run went: settled when everybody it is for has had it or has no
// need of it (until wake, when a snooze runs out: zero for none).
type outcome struct {
	settled bool
	wake    time.Time
}

// stepMark is what a settled step's mark says: it holds while the revision and the directory
// are those it was settled at, and until wake.
type stepMark struct {
	rev  int64
	dir  string
	wake time.Time
}

func (m stepMark) String() string {
	var wake int64
	if !m.wake.IsZero() {
		wake = m.wake.UnixMilli()
	}
	return strconv.FormatInt(m.rev, 10) + "|" + m.dir + "|" + strconv.FormatInt(wake, 10)
}

func parseMark(s string) (stepMark, bool) {
	parts := strings.Split(s, "|")
	if len(parts) != 3 {
		return stepMark{}, false
	}
	rev, err1 := strconv.ParseInt(parts[0], 10, 64)
	wake, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil {
		return stepMark{}, false
	}
	m := stepMark{rev: rev, dir: parts[1]}
	if wake > 0 {
		m.wake = time.UnixMilli(wake)
	}
	return m, true
}

func (m stepMark) holds(rev int64, dir string, now time.Time) bool {
	return m.rev == rev && m.dir == dir && (m.wake.IsZero() || now.Before(m.wake))
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.SortFunc(out, cmp.Compare)
	return out
}
