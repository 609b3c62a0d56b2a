package dirsheet

import (
	"bytes"
	"testing"
)

// A directory exported and read back against itself is the same directory, in both formats,
// and exported again is the same sheet: a valid sheet round-trips.
func TestRoundTrip(t *testing.T) {
	lc, _ := shipped(t)
	for _, tc := range []struct {
		name string
		cur  Current
	}{
		{"Lai Châu 2025 over the 2023 city", lc},
		{"the 2023 city", city(t)},
		{"nationwide", country(t)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, f := range []struct {
				file  string
				write func(testing.TB, Current) []byte
			}{{"danh-ba.csv", mustCSV}, {"danh-ba.xlsx", mustXLSX}} {
				res := mustValid(t, f.file, f.write(t, tc.cur), tc.cur, Options{})
				sameNodes(t, res.Nodes, tc.cur.Dir.Nodes())
				ch := res.Check.Change
				if !ch.Empty() || len(ch.Kept) > 0 {
					t.Errorf("%s: change: got %+v, want none", f.file, ch)
				}
				if got, want := res.Check.Rows, len(tc.cur.Dir.Nodes()); got != want {
					t.Errorf("%s: rows: got %d, want %d", f.file, got, want)
				}
				again := mustCSV(t, Current{Orgs: tc.cur.Orgs, Dir: res.Dir})
				if !bytes.Equal(again, mustCSV(t, tc.cur)) {
					t.Errorf("%s: exported again: got another sheet, want the same bytes", f.file)
				}
			}
		})
	}
}

// A sheet read with no directory in force makes its ids from its codes; exported, it is the
// same sheet, so a first import and every export after it agree.
func TestRoundTripWithoutIDs(t *testing.T) {
	cur := country(t)
	sheet := mustCSV(t, cur)
	res := mustValid(t, "danh-ba.csv", sheet, Current{Orgs: cur.Orgs}, Options{})
	if n, ok := res.Dir.Node("G00001"); !ok || n.Code != "G00001" {
		t.Errorf("a commune read without a directory in force: got %+v, %v, want the id and code G00001", n, ok)
	}
	if _, ok := res.Dir.Node("G00001-phunu"); !ok {
		t.Errorf("its Women's Union: got no entry G00001-phunu, want one")
	}
	if again := mustCSV(t, Current{Orgs: cur.Orgs, Dir: res.Dir}); !bytes.Equal(again, sheet) {
		t.Errorf("exported again: got another sheet, want the same bytes")
	}
}
