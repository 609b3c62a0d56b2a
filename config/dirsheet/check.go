package dirsheet

import (
	"context"
	"fmt"
	"path/filepath"

	"danvan/flows"
)

// Result is a sheet read against the directory in force.
type Result struct {
	// Check is what the admin reads: the errors, or what the sheet changes.
	Check flows.DirectoryCheck
	// Nodes are the new directory's entries (the sheet's rows, then the entries kept), and Dir
	// the directory they make; both nil when the sheet has errors.
	Nodes []flows.Node
	Dir   *flows.Directory
	// Dropped are the ids of the entries of the directory in force that the sheet leaves out,
	// with Options.Replace: the new directory does not have them.
	Dropped []string
}

// Check reads the sheet in data (named name, whose extension tells XLSX from CSV) against cur:
// the directory it describes, or every error of it at its row and column.
func Check(name string, data []byte, cur Current, opts Options) Result {
	res := Result{Check: flows.DirectoryCheck{File: filepath.Base(name)}}
	sh, errs := read(name, data)
	res.Check.Rows = len(sh.rows)
	if len(errs) > 0 {
		res.Check.Errors = errs
		return res
	}
	nodes, dir, errs := build(sh, cur, opts)
	if len(errs) > 0 {
		res.Check.Errors = errs
		return res
	}
	res.Nodes, res.Dir = nodes, dir
	res.Check.Change = change(cur.Dir, dir, len(sh.rows), opts.Today)
	if opts.Replace && cur.Dir != nil {
		for _, n := range cur.Dir.Nodes() {
			if _, ok := dir.Node(n.ID); !ok {
				res.Dropped = append(res.Dropped, n.ID)
			}
		}
	}
	return res
}

// Counter counts the reports stored for units: each unit's submitted (period, form) reports.
// The store implements it.
type Counter interface {
	SubmissionCounts(ctx context.Context, units []string) (map[string]int, error)
}

// Count adds to a valid result's summary how many reports are stored for its units (all kept),
// and how many of them are read only from today: those of units no longer in force.
func (r *Result) Count(ctx context.Context, c Counter, today flows.Date) error {
	if r.Dir == nil {
		return nil
	}
	units := r.Dir.History().Units("")
	ids := make([]string, len(units))
	for i, n := range units {
		ids[i] = n.ID
	}
	counts, err := c.SubmissionCounts(ctx, ids)
	if err != nil {
		return fmt.Errorf("count the reports of %d units: %w", len(ids), err)
	}
	ch := &r.Check.Change
	ch.Submissions, ch.ReadOnly = 0, 0
	for id, n := range counts {
		ch.Submissions += n
		if _, to := r.Dir.Span(id); to != 0 && to < today {
			ch.ReadOnly += n
		}
	}
	return nil
}
