package metrics

import (
	"context"
	"time"
)

// DraftCounter counts the drafts begun and not submitted; storage.Store implements it.
type DraftCounter interface {
	OpenDrafts(ctx context.Context) (int64, error)
}

// RefreshDrafts sets danvan_drafts_open from src once; on failure the gauge keeps its value.
func (m *Metrics) RefreshDrafts(ctx context.Context, src DraftCounter) error {
	n, err := src.OpenDrafts(ctx)
	if err != nil {
		return err
	}
	m.drafts.Set(float64(n))
	return nil
}

// CountDrafts refreshes danvan_drafts_open now and every every until ctx ends, rather than at
// each scrape: counting walks Redis's keyspace (SCAN), which is cheap every few minutes and
// wasteful every few seconds, and a number of drafts moves slowly. Every replica counts the
// same drafts: aggregate the gauge with max, not sum. A failed count is logged once per run of
// failures.
func (m *Metrics) CountDrafts(ctx context.Context, src DraftCounter, every time.Duration) error {
	tick := time.NewTicker(every)
	defer tick.Stop()
	failing := false
	for {
		err := m.RefreshDrafts(ctx, src)
		switch {
		case err != nil && !failing && ctx.Err() == nil:
			m.opts.Log.Warn("metrics: drafts not counted; the gauge keeps its last value", "err", err)
			failing = true
		case err == nil:
			failing = false
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}
