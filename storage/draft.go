package storage

import (
	"context"
	"fmt"
	"time"

	"danvan/flows"
)

// saveDraft stores d if the stored draft is still at d.Version-1. It lives until its period
// closes (d.Until, measured from d.Updated on the bot's clock), or DraftTTL when it has no end.
func (s *Store) saveDraft(ctx context.Context, d flows.Draft) error {
	ttl, err := draftTTL(d)
	if err != nil {
		return err
	}
	if err := s.cas(ctx, s.draftKey(d.Key, d.Person), "version", d.Version-1, d, ttl); err != nil {
		return fmt.Errorf("save draft %s of %s as version %d: %w", d.Key, d.Person, d.Version, err)
	}
	return nil
}

// dropDraft deletes e's draft.
func (s *Store) dropDraft(ctx context.Context, e flows.DropDraft) error {
	if err := s.rdb.Del(ctx, s.draftKey(e.Key, e.Person)).Err(); err != nil {
		return fmt.Errorf("drop draft %s of %s: %w", e.Key, e.Person, err)
	}
	return nil
}

// draftTTL is how long d lives: until its period closes, measured on the bot's clock.
func draftTTL(d flows.Draft) (time.Duration, error) {
	if d.Until.IsZero() {
		return DraftTTL, nil
	}
	if ttl := d.Until.Sub(d.Updated); ttl > 0 {
		return ttl, nil
	}
	return 0, fmt.Errorf("save draft %s of %s: its period closed at %s", d.Key, d.Person, d.Until.Format(time.RFC3339))
}
