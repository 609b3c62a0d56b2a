// Package scaletest fills a store with a nation for the scale benchmarks: organisers, leaders
// and submissions over whatever *flows.Directory it is given (internal/nationwide's), written
// through the storage API (Link and Apply, as invites and reports write them), and runs the
// benchmarks' own Redis. It decides nothing about the bot and is imported only by benchmarks.
package scaletest

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"sync"
	"time"

	"danvan/flows"
)

// Nation is the size issue 16 measures over internal/nationwide's directory (20,130 units): ten
// organisers a unit (about 200,000 people) and 4,000 leaders.
const (
	Organisers = 10
	Leaders    = 4000
)

// Store is what Seed writes through: storage.Store.
type Store interface {
	Link(ctx context.Context, ident string, p flows.Person) error
	Apply(ctx context.Context, effects []flows.Effect) error
}

// Options says what Seed writes.
type Options struct {
	// Organisers is how many people report for each unit; each reports for one unit. One in
	// ten joined on Telegram ("tg:…"), the others on Zalo ("zalo:…").
	Organisers int
	// Leaders is how many leaders to link: one per top place, one per top place and
	// organisation, one per place below them, then places below with one organisation each,
	// until there are that many; 0 for the first three kinds, below 0 for none.
	Leaders int
	// Period and Forms are what the submissions are of; Submitted is the share of units that
	// submitted each form (a tenth of them after the due time).
	Period    flows.Period
	Forms     []flows.Form
	Submitted float64
	// Workers is how many writes run at once (64 by default).
	Workers int
}

// World is what Seed wrote.
type World struct {
	Units     []string // in directory order
	People    int      // organisers linked
	Leaders   []string // leader ids, "zalo:L<n>"
	Submitted int      // submissions stored
	Seeded    time.Duration
}

// Seed links the organisers and leaders and stores the submissions o asks for over dir.
func Seed(ctx context.Context, s Store, dir *flows.Directory, o Options) (World, error) {
	start := time.Now()
	w := World{}
	for _, n := range dir.Nodes() {
		if n.IsUnit() {
			w.Units = append(w.Units, n.ID)
		}
	}
	jobs := make(chan func(context.Context) error)
	errc := make(chan error, 1)
	var wg sync.WaitGroup
	for range max(o.Workers, 64) {
		wg.Go(func() {
			for job := range jobs {
				if err := job(ctx); err != nil {
					select {
					case errc <- err:
					default:
					}
				}
			}
		})
	}
	w.queue(ctx, s, dir, o, jobs)
	close(jobs)
	wg.Wait()
	w.Seeded = time.Since(start)
	select {
	case err := <-errc:
		return w, err
	default:
	}
	return w, ctx.Err()
}

// queue hands every write to the workers: organisers, leaders, then submissions.
func (w *World) queue(ctx context.Context, s Store, dir *flows.Directory, o Options, jobs chan<- func(context.Context) error) {
	send := func(job func(context.Context) error) bool {
		select {
		case jobs <- job:
			return true
		case <-ctx.Done():
			return false
		}
	}
	n := 0
	for _, u := range w.Units {
		for range o.Organisers {
			id := personID(n)
			p := flows.Person{ID: id, Name: fmt.Sprintf("Cán bộ %d", n), Units: []string{u}}
			n++
			if !send(func(ctx context.Context) error { return s.Link(ctx, id, p) }) {
				return
			}
		}
	}
	w.People = n
	var scopes []string
	if o.Leaders >= 0 {
		scopes = leaderScopes(dir, o.Leaders)
	}
	for i, scope := range scopes {
		id := fmt.Sprintf("zalo:L%d", i)
		w.Leaders = append(w.Leaders, id)
		p := flows.Person{ID: id, Name: fmt.Sprintf("Lãnh đạo %d", i), Scopes: []string{scope}}
		if !send(func(ctx context.Context) error { return s.Link(ctx, id, p) }) {
			return
		}
	}
	for i, u := range w.Units {
		for _, f := range o.Forms {
			if !submitted(u, f.ID, o.Submitted) {
				continue
			}
			sub := submission(u, i, o.Period, f)
			w.Submitted++
			if !send(func(ctx context.Context) error {
				return s.Apply(ctx, []flows.Effect{flows.Submit{Submission: sub, Form: f}})
			}) {
				return
			}
		}
	}
}

// personID is organiser n's id: one in ten on Telegram.
func personID(n int) string {
	if n%10 == 0 {
		return fmt.Sprintf("tg:%d", 1000000+n)
	}
	return fmt.Sprintf("zalo:%d", 1000000+n)
}

// submitted decides, the same way on every run, whether unit sent form.
func submitted(unit, form string, share float64) bool {
	h := fnv.New32a()
	_, _ = h.Write([]byte(unit + "|" + form))
	return float64(h.Sum32()%1000) < share*1000
}

// submission is unit's report of form in per: plausible figures, a tenth of them late.
func submission(unit string, i int, per flows.Period, f flows.Form) flows.Submission {
	vals := map[string]int64{}
	for n, q := range f.Questions {
		if q.AppliesTo(per.Kind) {
			vals[q.ID] = int64(10 + (i*7+n*13)%90)
		}
	}
	if _, ok := vals["eligible"]; ok {
		vals["eligible"], vals["members"], vals["active"] = 1000+int64(i%300), 800+int64(i%200), 700+int64(i%150)
	}
	at := per.Due.Add(-48 * time.Hour)
	if i%10 == 0 {
		at = per.Due.Add(24 * time.Hour)
	}
	k := flows.Key{Unit: unit, Period: per.ID, Form: f.ID}
	return flows.Submission{Key: k, Values: vals, By: personID(i * 10), At: at, Version: 1, Ref: flows.Reference(k, 1, at)}
}

// leaderScopes lists n leader scopes of dir: each top place, each top place with each
// organisation, each place below a top place, then those places with one organisation each.
// With n 0, the first three kinds.
func leaderScopes(dir *flows.Directory, n int) []string {
	var top, below []string
	for _, r := range dir.ChildPlaces("") {
		top = append(top, r)
		below = append(below, dir.ChildPlaces(r)...)
	}
	var out []string
	for _, t := range top {
		out = append(out, t)
		for _, o := range dir.Orgs() {
			out = append(out, t+"@"+o.ID)
		}
	}
	out = append(out, below...)
	if n <= 0 {
		return out
	}
	for i := 0; len(out) < n && len(below) > 0 && i < len(below)*len(dir.Orgs()); i++ {
		out = append(out, below[i%len(below)]+"@"+dir.Orgs()[i/len(below)].ID)
	}
	return out[:min(n, len(out))]
}

// ErrNoPeriod is returned by OpenPeriod when the calendar has no period open at now.
var ErrNoPeriod = errors.New("no period open")

// OpenPeriod is the period cal opens at now, for Options.Period.
func OpenPeriod(cal flows.Calendar, now time.Time) (flows.Period, error) {
	p, ok := cal.DefaultPeriod(now)
	if !ok {
		return flows.Period{}, fmt.Errorf("%w at %v", ErrNoPeriod, now)
	}
	return p, nil
}
