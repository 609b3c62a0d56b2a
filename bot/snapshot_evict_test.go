package bot_test

import (
	"testing"
	"time"

	"danvan/bot"
	"danvan/internal/testkit"
)

// TestSnapshotsEvictByAge: a chat's snapshot goes once it has been idle for bot.SnapshotIdle, even
// when no other chat's snapshot pushes it out: memory follows the chats active now, not every
// chat since the process started.
func TestSnapshotsEvictByAge(t *testing.T) {
	_, d, clock := testkit.MustBot(t)
	seq := 0
	testkit.MustLanAtForm(t, d, &seq)
	if !bot.Cached(d, testkit.Lan) {
		t.Fatal("Lan's snapshot after her steps: not kept, want it kept")
	}
	clock.Advance(bot.SnapshotIdle + time.Second)
	testkit.NewChat(t, d, testkit.Admin, "Admin", &seq).Command("invite", "")
	if bot.Cached(d, testkit.Lan) {
		t.Errorf("Lan's snapshot after %v idle: still kept, want it evicted", bot.SnapshotIdle+time.Second)
	}
	if got := bot.CachedChats(d); got != 1 {
		t.Errorf("snapshots: got %d, want 1 (the admin's, just used)", got)
	}
}
