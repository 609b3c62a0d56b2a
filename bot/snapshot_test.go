package bot

import (
	"testing"
	"time"
)

// TestSnapshotsIdle: get hands out a snapshot used within snapshotIdle and covering the open
// periods; a step that keeps it again restarts its time; a sweep drops only the idle ones.
func TestSnapshotsIdle(t *testing.T) {
	t0 := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	var c snapshots
	c.put("a", snapshot{used: t0, open: "Q1"}, t0)
	c.put("b", snapshot{used: t0, open: "Q1"}, t0)
	tests := []struct {
		name string
		chat string
		at   time.Time
		open string
		want bool
	}{
		{"just used", "a", t0.Add(time.Second), "Q1", true},
		{"idle to the limit", "a", t0.Add(snapshotIdle), "Q1", true},
		{"idle past it", "a", t0.Add(snapshotIdle + time.Nanosecond), "Q1", false},
		{"another period opened", "a", t0.Add(time.Second), "Q1,H1", false},
		{"a clock set back", "a", t0.Add(-time.Second), "Q1", false},
		{"never kept", "c", t0, "Q1", false},
	}
	for _, tt := range tests {
		if _, got := c.get(tt.chat, tt.at, tt.open); got != tt.want {
			t.Errorf("%s: got %t, want %t", tt.name, got, tt.want)
		}
	}
	later := t0.Add(snapshotIdle / 2)
	c.put("b", snapshot{used: later, open: "Q1"}, later) // b's chat took a step
	swept := t0.Add(snapshotIdle + time.Second)
	c.put("c", snapshot{used: swept, open: "Q1"}, swept)
	if _, ok := c.m["a"]; ok {
		t.Error("a, idle since t0: still kept after the sweep")
	}
	for _, k := range []string{"b", "c"} {
		if _, ok := c.m[k]; !ok {
			t.Errorf("%s, used within snapshotIdle: evicted", k)
		}
	}
}
