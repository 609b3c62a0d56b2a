package buildinfo

import (
	"runtime/debug"
	"testing"
)

func TestString(t *testing.T) {
	stamped := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "danvan", Version: "v0.0.0-20260316010000-0728c4a1b2c3+dirty"},
		Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0728c4a1b2c3d4e5f60718293a4b5c6d7e8f9012"},
			{Key: "vcs.time", Value: "2026-03-16T01:00:00Z"},
			{Key: "vcs.modified", Value: "true"},
			{Key: "GOOS", Value: "linux"}, {Key: "GOARCH", Value: "amd64"},
			{Key: "CGO_ENABLED", Value: "0"},
		}}
	tests := []struct {
		name string
		bi   *debug.BuildInfo
		want string
	}{
		{"stamped", stamped, "danvan v0.0.0-20260316010000-0728c4a1b2c3+dirty\n" +
			"revision 0728c4a1b2c3d4e5f60718293a4b5c6d7e8f9012 (modified)\n" +
			"committed 2026-03-16T01:00:00Z\n" +
			"built with go1.26.8 for linux/amd64\n"},
		{"not stamped", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "danvan"}},
			"danvan (devel)\nbuilt with go1.26.8\n"},
	}
	for _, tt := range tests {
		if got := From(tt.bi).String(); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}
