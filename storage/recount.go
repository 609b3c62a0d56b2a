package storage

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"danvan/flows"
)

// Limits of a recount. A chunk is one script of a few thousand small writes: a few
// milliseconds of Redis's time, so nobody waits behind a recount.
const (
	// recountChunk is how many units one step of a recount reads and counts.
	recountChunk = 50
	// recountLease is how long a recount's claim protects it without a step; each step extends
	// it. A recount whose process died is taken over once it has run out.
	recountLease = 30 * time.Second
	// recountTries is how often a chunk is read again when writes keep moving its reports.
	recountTries = 8
)

// Recount verdicts: what a recount of a period did (RecountResult.Verdict).
const (
	RecountFresh   = "fresh"   // the tallies already follow this model: nothing done
	RecountBusy    = "busy"    // another process is recounting the period: left to it
	RecountBuilt   = "built"   // a new generation was counted and made current
	RecountResumed = "resumed" // an interrupted recount of the same model was finished
	RecountLost    = "lost"    // another process took the recount over meanwhile
)

// RecountResult says what Recount did for one period.
type RecountResult struct {
	Period  string
	Verdict string
	// Chunks counts the chunk scripts sent; Reread the reports read again because a write
	// moved them while their chunk was on its way.
	Chunks, Reread int
}

// Recount brings the tallies of forms up to date with the Store's model (UseModel) in the
// periods people read at now: each open period and those its figures compare with (the one
// before, the same one last year), counting every unit the directory ever had, so the units
// merged away keep counting in the periods they reported. A period whose stored
// fingerprint (model, due time, forms) is the model's is left alone; any other is counted again
// from its stored submissions into a new generation, which replaces the old one in one step
// when complete (see the package comment). Meanwhile readers read the old generation, every
// write goes to both, and no command holds Redis up: the recount reads and counts chunks of
// recountChunk units. Of several processes starting at once one recounts, the others skip; a
// recount interrupted by a crash is resumed from its cursor by the next process that starts.
// main runs it in the background at start.
func (s *Store) Recount(ctx context.Context, forms []flows.Form, now time.Time) ([]RecountResult, error) {
	m := s.model.Load()
	if m == nil {
		return nil, errors.New("recount tallies: the store has no model (UseModel)")
	}
	units := unitIDs(m.dir)
	formIDs := make([]string, len(forms))
	for i, f := range forms {
		formIDs[i] = f.ID
	}
	var out []RecountResult
	done := map[string]bool{}
	for _, cal := range m.calendars() { // each tenant's periods; a period open for two is counted once
		for _, p := range cal.Open(now) {
			for _, q := range append([]flows.Period{p}, cal.Compared(p)...) {
				if done[q.ID] {
					continue
				}
				done[q.ID] = true
				res, err := s.recountPeriod(ctx, m, q.ID, units, formIDs, false)
				if err != nil {
					return out, fmt.Errorf("recount tallies of %s: %w", q.ID, err)
				}
				out = append(out, res)
			}
		}
	}
	return out, nil
}

// Rebuild counts period's tallies of forms again from the current submissions of units, into a
// new generation, whatever the stored fingerprint: for after the directory changed (call
// UseModel with the new one first). The new generation holds the forms and units given and
// nothing else. It works as Recount does, in chunks, and returns once the new generation is
// current, or when another process is rebuilding the period (it is then left to it).
func (s *Store) Rebuild(ctx context.Context, period string, units []string, forms []string) error {
	m := s.model.Load()
	if m == nil {
		return fmt.Errorf("rebuild tallies of %s: the store has no model (UseModel)", period)
	}
	if _, err := s.recountPeriod(ctx, m, period, units, forms, true); err != nil {
		return fmt.Errorf("rebuild tallies of %s: %w", period, err)
	}
	return nil
}

func unitIDs(dir *flows.Directory) []string {
	var out []string
	for _, n := range dir.Nodes() {
		if n.IsUnit() {
			out = append(out, n.ID)
		}
	}
	return out
}

// formsSum fingerprints the forms a recount counts.
func formsSum(forms []string) string {
	sum := sha256.Sum256([]byte(strings.Join(forms, "\x00")))
	return hex.EncodeToString(sum[:6])
}

// errBuildLost stops a recount whose build another process took over.
var errBuildLost = errors.New("the recount was taken over by another process")

// recountPeriod claims period's build and counts units × forms into it chunk by chunk from the
// cursor, then makes it current and deletes what it replaced. Without force, a period whose
// fingerprint is already stored is left alone.
func (s *Store) recountPeriod(ctx context.Context, m *tallyModel, period string, units, forms []string, force bool) (RecountResult, error) {
	res := RecountResult{Period: period}
	if err := s.emptyTrash(ctx, period); err != nil {
		return res, err
	}
	owner := newOwner()
	fp := m.fingerprint(period) + ":" + formsSum(forms)
	verdict, gen, cursor, err := s.claimBuild(ctx, period, owner, fp, m.layout, force)
	if err != nil {
		return res, err
	}
	res.Verdict = verdict
	if verdict == RecountFresh || verdict == RecountBusy {
		return res, nil
	}
	for i := cursor; i < len(units); i += s.chunk {
		chunk := units[i:min(i+s.chunk, len(units))]
		n, err := s.countChunk(ctx, m, period, chunkOf{owner: owner, gen: gen, next: i + len(chunk)}, chunk, forms)
		res.Chunks, res.Reread = res.Chunks+1, res.Reread+n
		if errors.Is(err, errBuildLost) {
			res.Verdict = RecountLost
			return res, nil
		}
		if err != nil {
			return res, err
		}
	}
	ok, err := buildSwitchScript.Run(ctx, s.rdb, []string{s.genKey(period)}, owner, gen).Int()
	if err != nil {
		return res, fmt.Errorf("make generation %s current: %w", gen, err)
	}
	if ok != 1 {
		res.Verdict = RecountLost
		return res, nil
	}
	return res, s.emptyTrash(ctx, period)
}

// newOwner names one recount in its claim.
func newOwner() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// claimBuild runs buildClaimScript: the verdict, the generation to build and where to go on.
func (s *Store) claimBuild(ctx context.Context, period, owner, fp, layout string, force bool) (string, string, int, error) {
	f := "0"
	if force {
		f = "1"
	}
	vals, err := buildClaimScript.Run(ctx, s.rdb, []string{s.genKey(period)}, owner, fp, s.lease.Milliseconds(), f, layout).StringSlice()
	if err != nil || len(vals) != 3 {
		return "", "", 0, fmt.Errorf("claim the recount: %v %w", vals, err)
	}
	var cursor int
	if _, err := fmt.Sscan(vals[2], &cursor); err != nil {
		return "", "", 0, fmt.Errorf("claim the recount: cursor %q: %w", vals[2], err)
	}
	verdict := map[string]string{"fresh": RecountFresh, "busy": RecountBusy, "start": RecountBuilt, "resume": RecountResumed}[vals[0]]
	return verdict, vals[1], cursor, nil
}

// emptyTrash deletes the generations of period that are neither current nor being built: the
// one a recount replaced, a build abandoned for another model. A crash in the middle leaves the
// rest for the next recount.
func (s *Store) emptyTrash(ctx context.Context, period string) error {
	trash := s.tallyBase(period) + "trash"
	gens, err := s.rdb.SMembers(ctx, trash).Result()
	if err != nil {
		return fmt.Errorf("read the old generations: %w", err)
	}
	for _, g := range gens {
		if err := s.dropGen(ctx, period, g); err != nil {
			return err
		}
		if err := s.rdb.SRem(ctx, trash, g).Err(); err != nil {
			return fmt.Errorf("forget generation %s: %w", g, err)
		}
	}
	return nil
}

// dropGen deletes generation gen of period: its tallies a batch at a time (UNLINK, which frees
// big values off Redis's main thread), then its sets and hashes.
func (s *Store) dropGen(ctx context.Context, period, gen string) error {
	p := s.genPrefix(period, gen)
	set := p + "tallies"
	var cursor uint64
	for {
		keys, next, err := s.rdb.SScan(ctx, set, cursor, "", 500).Result()
		if err != nil {
			return fmt.Errorf("list generation %s: %w", gen, err)
		}
		if len(keys) > 0 {
			if err := s.rdb.Unlink(ctx, keys...).Err(); err != nil {
				return fmt.Errorf("delete generation %s: %w", gen, err)
			}
		}
		if next == 0 {
			break
		}
		cursor = next
	}
	if err := s.rdb.Unlink(ctx, set, p+"seen", p+"state", p+"pend", p+"layout").Err(); err != nil {
		return fmt.Errorf("delete generation %s: %w", gen, err)
	}
	return nil
}
