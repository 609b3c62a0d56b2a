package redistest

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Main runs a package's tests and then, if any were skipped for want of Redis, says so in one
// line: `func TestMain(m *testing.M) { redistest.Main(m) }`.
func Main(m *testing.M) {
	code := m.Run()
	if line := Summary(); line != "" {
		w, done := reportTo()
		fmt.Fprintln(w, line)
		done()
	}
	os.Exit(code)
}

// Summary is the line Main prints: how many tests of this binary were skipped and why; empty
// when none was.
func Summary() string {
	n := skipped.Load()
	if n == 0 {
		return ""
	}
	tests := "tests"
	if n == 1 {
		tests = "test"
	}
	// The test binary is named after its package: storage.test.
	pkg := strings.TrimSuffix(filepath.Base(os.Args[0]), ".test")
	return fmt.Sprintf("redistest: %s: %s unreachable (%v): %d %s skipped (set DANVAN_REQUIRE_REDIS=1 to fail instead)",
		pkg, where(), probe(), n, tests)
}

// reportTo is where the summary goes. `go test ./...` shows nothing a passing package prints
// unless -v, so without -v the line goes to the terminal the tests were started from, when
// there is one; else (CI, a pipe with no terminal) to stderr, which shows with -v or a failure.
func reportTo() (io.Writer, func()) {
	if testing.Verbose() {
		return os.Stdout, func() {}
	}
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		return tty, func() { _ = tty.Close() }
	}
	return os.Stderr, func() {}
}
