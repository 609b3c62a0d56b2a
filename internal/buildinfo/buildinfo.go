// Package buildinfo says what a binary was built from: the module version and the version
// control revision Go stamped into it (runtime/debug.ReadBuildInfo). It only reads; stamping is
// go build's (-buildvcs, on by default in a git checkout).
package buildinfo

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// Info is what the binary knows of its build.
type Info struct {
	// Path is the main module's path ("danvan").
	Path string
	// Version is the module version: a tag such as v1.2.0, a pseudo-version
	// (v0.0.0-20260316010000-0728c4a1b2c3, "+dirty" when built with local changes) or "(devel)".
	Version string
	// Revision is the VCS commit, Time its date (RFC 3339) and Modified whether the tree had
	// uncommitted changes; empty without VCS stamping (a build outside the checkout).
	Revision, Time string
	Modified       bool
	// Go is the toolchain, Platform GOOS/GOARCH.
	Go, Platform string
}

// Read returns the running binary's Info; a binary built without module support has only Go.
func Read() Info {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return Info{Version: "unknown"}
	}
	return From(bi)
}

// From reads bi.
func From(bi *debug.BuildInfo) Info {
	i := Info{Path: bi.Main.Path, Version: bi.Main.Version, Go: bi.GoVersion}
	var goos, goarch string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			i.Revision = s.Value
		case "vcs.time":
			i.Time = s.Value
		case "vcs.modified":
			i.Modified = s.Value == "true"
		case "GOOS":
			goos = s.Value
		case "GOARCH":
			goarch = s.Value
		}
	}
	if goos != "" {
		i.Platform = goos + "/" + goarch
	}
	if i.Version == "" {
		i.Version = "(devel)"
	}
	return i
}

// String is the text `danvan version` prints: the version on the first line, then what is known
// of the revision and the toolchain.
func (i Info) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "danvan %s\n", i.Version)
	if i.Revision != "" {
		mod := ""
		if i.Modified {
			mod = " (modified)"
		}
		fmt.Fprintf(&b, "revision %s%s\n", i.Revision, mod)
	}
	if i.Time != "" {
		fmt.Fprintf(&b, "committed %s\n", i.Time)
	}
	fmt.Fprintf(&b, "built with %s", i.Go)
	if i.Platform != "" {
		fmt.Fprintf(&b, " for %s", i.Platform)
	}
	b.WriteString("\n")
	return b.String()
}
