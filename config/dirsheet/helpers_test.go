package dirsheet

import (
	"bytes"
	"reflect"
	"testing"

	"danvan/config"
	"danvan/flows"
	"danvan/internal/fixture"
	"danvan/internal/nationwide"
)

// today is the day the tests' summaries count what is in force on: after the 2025 merger.
const today = flows.Date(20260115)

// shipped is the built-in configuration: Lai Châu province of 2025 over the 2023 city, with
// codes, dates and merged_from.
func shipped(tb testing.TB) (Current, config.Config) {
	tb.Helper()
	cfg := config.Default()
	dir, err := cfg.Directory()
	if err != nil {
		tb.Fatal(err)
	}
	return Current{Orgs: cfg.Orgs, Dir: dir}, cfg
}

// city is the 2023 city of the tests' fixture: no dates, no codes but one.
func city(tb testing.TB) Current {
	tb.Helper()
	return Current{Orgs: fixture.Config(tb).Orgs, Dir: fixture.Directory(tb)}
}

// country is the generated nationwide directory: 20,000 units.
func country(tb testing.TB) Current {
	tb.Helper()
	orgs := fixture.Config(tb).Orgs
	dir, err := nationwide.Directory(orgs)
	if err != nil {
		tb.Fatal(err)
	}
	return Current{Orgs: orgs, Dir: dir}
}

func mustCSV(tb testing.TB, cur Current) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := WriteCSV(&b, cur.Orgs, cur.Dir.Nodes()); err != nil {
		tb.Fatalf("WriteCSV: %v", err)
	}
	return b.Bytes()
}

func mustXLSX(tb testing.TB, cur Current) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := WriteXLSX(&b, cur.Orgs, cur.Dir.Nodes()); err != nil {
		tb.Fatalf("WriteXLSX: %v", err)
	}
	return b.Bytes()
}

// mustValid checks name against cur and fails the test on any error of the sheet.
func mustValid(tb testing.TB, name string, data []byte, cur Current, opts Options) Result {
	tb.Helper()
	if opts.Today == 0 {
		opts.Today = today
	}
	res := Check(name, data, cur, opts)
	if len(res.Check.Errors) > 0 {
		n := min(len(res.Check.Errors), 5)
		tb.Fatalf("check %s: got %d errors, want none; first: %v", name, len(res.Check.Errors), res.Check.Errors[:n])
	}
	return res
}

// sameNodes compares two lists of entries, an empty list equal to none.
func sameNodes(tb testing.TB, got, want []flows.Node) {
	tb.Helper()
	if len(got) != len(want) {
		tb.Fatalf("entries: got %d, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if len(g.MergedFrom) == 0 && len(w.MergedFrom) == 0 {
			g.MergedFrom, w.MergedFrom = nil, nil
		}
		if !reflect.DeepEqual(g, w) {
			tb.Fatalf("entry %d: got %+v, want %+v", i, g, w)
		}
	}
}
