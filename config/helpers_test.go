package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// env returns a getenv reading only m, so no test depends on the process environment.
func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func testdata(name string) string { return filepath.Join("testdata", name) }

func mustLoad(tb testing.TB, args []string, vars map[string]string) Config {
	tb.Helper()
	c, err := Load(args, env(vars))
	if err != nil {
		tb.Fatalf("Load(%q): got error %v, want none", args, err)
	}
	return c
}

func mustFail(tb testing.TB, args []string, vars map[string]string) error {
	tb.Helper()
	_, err := Load(args, env(vars))
	if err == nil {
		tb.Fatalf("Load(%q, %v): got no error, want one", args, vars)
	}
	return err
}

// mustLine returns the 1-based number of the first line of testdata file name holding sub.
func mustLine(tb testing.TB, name, sub string) int {
	tb.Helper()
	data, err := os.ReadFile(testdata(name))
	if err != nil {
		tb.Fatal(err)
	}
	for i, l := range strings.Split(string(data), "\n") {
		if strings.Contains(l, sub) {
			return i + 1
		}
	}
	tb.Fatalf("%s: no line holds %q", name, sub)
	return 0
}

// mustContain fails unless err's message holds every one of want.
func mustContain(tb testing.TB, err error, want ...string) {
	tb.Helper()
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			tb.Errorf("got error %q, want it to contain %q", err, w)
		}
	}
}

// fieldErrors returns the fields named by the *FieldErrors in err.
func fieldErrors(err error) []*FieldError {
	var out []*FieldError
	var walk func(error)
	walk = func(e error) {
		var fe *FieldError
		if errors.As(e, &fe) && e == error(fe) {
			out = append(out, fe)
			return
		}
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
		}
	}
	walk(err)
	return out
}
