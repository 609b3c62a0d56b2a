package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"danvan/flows"
)

// Recount recounts the tallies of forms in the periods people read at now, each open period and
// the one before it, from the stored submissions of the units in the Store's directory
// (UseModel), so a directory edited since they were counted (a unit moved, merged or removed)
// shows in them. With an unchanged directory it writes what was already there. main calls it at
// start; a submission landing meanwhile may make it give up with flows.ErrConflict, and then the
// tallies kept along each submission stand.
func (s *Store) Recount(ctx context.Context, forms []flows.Form, now time.Time) error {
	m := s.model.Load()
	if m == nil {
		return errors.New("recount tallies: the store has no model (UseModel)")
	}
	var units, formIDs []string
	for _, n := range m.dir.Units("") {
		units = append(units, n.ID)
	}
	for _, f := range forms {
		formIDs = append(formIDs, f.ID)
	}
	done := map[string]bool{}
	for _, p := range m.cal.Open(now) {
		periods := []flows.Period{p}
		if prev, ok := m.cal.Previous(p); ok {
			periods = append(periods, prev)
		}
		for _, q := range periods {
			if done[q.ID] {
				continue
			}
			done[q.ID] = true
			if err := s.Rebuild(ctx, q.ID, units, formIDs); err != nil {
				return fmt.Errorf("recount tallies of %s: %w", q.ID, err)
			}
		}
	}
	return nil
}
