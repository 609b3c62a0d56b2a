package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"danvan/flows"
)

// Recount recounts the tallies of forms in the periods people read at now, each open period and
// those its figures compare with (the one before, the same one last year), from the stored
// submissions of every unit the Store's directory (UseModel) ever had, so a directory edited
// since they were counted (a unit moved, merged or removed; a province put above an old city)
// shows in them, and the units merged away keep counting in the periods they reported. With an unchanged directory it writes what was already there. main calls it at
// start; a submission landing meanwhile may make it give up with flows.ErrConflict, and then the
// tallies kept along each submission stand.
func (s *Store) Recount(ctx context.Context, forms []flows.Form, now time.Time) error {
	m := s.model.Load()
	if m == nil {
		return errors.New("recount tallies: the store has no model (UseModel)")
	}
	var units, formIDs []string
	for _, n := range m.dir.History().Units("") {
		units = append(units, n.ID)
	}
	for _, f := range forms {
		formIDs = append(formIDs, f.ID)
	}
	done := map[string]bool{}
	for _, cal := range m.calendars() { // each tenant's periods; a period open for two is counted once
		for _, p := range cal.Open(now) {
			for _, q := range append([]flows.Period{p}, cal.Compared(p)...) {
				if done[q.ID] {
					continue
				}
				done[q.ID] = true
				if err := s.Rebuild(ctx, q.ID, units, formIDs); err != nil {
					return fmt.Errorf("recount tallies of %s: %w", q.ID, err)
				}
			}
		}
	}
	return nil
}
