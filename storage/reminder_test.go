package storage

import (
	"context"
	"testing"
	"time"

	"danvan/flows"
)

func mustClaim(tb testing.TB, s *Store, holder string, now time.Time, want bool) {
	tb.Helper()
	got, err := s.ClaimReminder(context.Background(), "2026-Q1", "-7d", "an", holder, now, time.Minute)
	if err != nil {
		tb.Fatal(err)
	}
	if got != want {
		tb.Errorf("claim by %s at %s: got %v, want %v", holder, now.Format(time.TimeOnly), got, want)
	}
}

func TestReminderClaimLease(t *testing.T) {
	ctx := context.Background()
	s := mustStore(t)
	t0 := time.Date(2026, 3, 8, 8, 0, 0, 0, time.UTC)
	mustClaim(t, s, "a", t0, true)
	mustClaim(t, s, "b", t0.Add(59*time.Second), false) // a's lease runs
	mustClaim(t, s, "b", t0.Add(61*time.Second), true)  // a died: b takes over
	if err := s.ReleaseReminder(ctx, "2026-Q1", "-7d", "an", "a"); err != nil {
		t.Fatal(err)
	}
	mustClaim(t, s, "c", t0.Add(62*time.Second), false) // a's late release left b's claim alone
	mustClaim(t, s, "b", t0.Add(100*time.Second), true) // b extends its claim to 160s
	mustClaim(t, s, "c", t0.Add(159*time.Second), false)
	if err := s.DoneReminder(ctx, "2026-Q1", "-7d", "an"); err != nil {
		t.Fatal(err)
	}
	mustClaim(t, s, "c", t0.Add(time.Hour), false) // done for good
	other, err := s.ClaimReminder(ctx, "2026-Q1", "+1d", "an", "c", t0, time.Minute)
	if err != nil || !other {
		t.Errorf("another step: got %v, %v, want true, nil", other, err)
	}
	if err := s.ReleaseReminder(ctx, "2026-Q1", "+1d", "an", "c"); err != nil {
		t.Fatal(err)
	}
	mustClaimStep(t, s, "+1d", "d", t0, true) // released: free again at once
}

func mustClaimStep(tb testing.TB, s *Store, step, holder string, now time.Time, want bool) {
	tb.Helper()
	got, err := s.ClaimReminder(context.Background(), "2026-Q1", step, "an", holder, now, time.Minute)
	if err != nil || got != want {
		tb.Errorf("claim %s by %s: got %v, %v, want %v", step, holder, got, err, want)
	}
}

func TestReminderSnoozeOnce(t *testing.T) {
	ctx := context.Background()
	s := mustStore(t)
	if got, err := s.SnoozedUntil(ctx, "2026-Q1", "an"); err != nil || !got.IsZero() {
		t.Fatalf("before: got %v, %v, want zero", got, err)
	}
	first := time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)
	for _, until := range []time.Time{first, first.AddDate(0, 0, 1)} {
		if err := s.Apply(ctx, []flows.Effect{flows.Snooze{Person: "an", Period: "2026-Q1", Until: until}}); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := s.SnoozedUntil(ctx, "2026-Q1", "an"); err != nil || !got.Equal(first) {
		t.Errorf("after two snoozes: got %v, %v, want the first, %v", got, err, first)
	}
}

func TestReminderNudgeAndLeaders(t *testing.T) {
	ctx := context.Background()
	s := mustStore(t)
	first := flows.Nudge{At: time.Date(2026, 3, 16, 9, 12, 0, 0, time.UTC), By: "lan"}
	for i, n := range []flows.Nudge{first, {At: first.At.Add(time.Hour), By: "minh"}} {
		if got, err := s.NudgeOnce(ctx, "tp-doan", "2026-03-16", n); err != nil || got != (i == 0) {
			t.Errorf("nudge %d: got %v, %v, want %v", i, got, err, i == 0)
		}
	}
	prog, err := s.Progress(ctx, "2026-Q1", []string{"tp-doan", "tp-phunu"}, []string{"membership"})
	if err != nil {
		t.Fatal(err)
	}
	if got := prog["tp-doan"].Nudged; got == nil || !got.At.Equal(first.At) || got.By != "lan" {
		t.Errorf("progress: got nudge %+v, want the first of the day, %+v", got, first)
	}
	if got := prog["tp-phunu"].Nudged; got != nil {
		t.Errorf("progress of a unit never nudged: got %+v, want none", got)
	}
	if err := s.ForgetNudge(ctx, "tp-doan", "2026-03-15"); err != nil {
		t.Fatal(err)
	}
	if prog, _ := s.Progress(ctx, "2026-Q1", []string{"tp-doan"}, nil); prog["tp-doan"].Nudged == nil {
		t.Errorf("forgetting another day's nudge: got it dropped, want it kept")
	}
	if got, err := s.NudgeOnce(ctx, "tp-doan", "2026-03-17", flows.Nudge{At: first.At.AddDate(0, 0, 1)}); err != nil || !got {
		t.Errorf("next day: got %v, %v, want true", got, err)
	}
	if err := s.ForgetNudge(ctx, "tp-doan", "2026-03-17"); err != nil {
		t.Fatal(err)
	}
	if prog, _ := s.Progress(ctx, "2026-Q1", []string{"tp-doan"}, nil); prog["tp-doan"].Nudged != nil {
		t.Errorf("after forgetting the day's nudge: got %+v, want none", prog["tp-doan"].Nudged)
	}
	for _, id := range []string{"lan", "minh", "lan"} {
		if err := s.AddLeader(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Leaders(ctx)
	if err != nil || len(got) != 2 {
		t.Errorf("leaders: got %v, %v, want lan and minh", got, err)
	}
}

// A reminder done before the steps kept sent sets (or whose set write failed) is refused a
// claim and added to the set, so the step's next look at who had it finds it.
func TestClaimOfDoneReminderJoinsSentSet(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	if err := s.rdb.Set(ctx, s.remindKey("2026-Q1", "an", "done", "-7d"), "1", ReminderTTL).Err(); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Reached(ctx, "2026-Q1", "-7d"); err != nil || got["an"] {
		t.Fatalf("Reached before: got %v, %v; want An missing", got, err)
	}
	ok, err := s.ClaimReminder(ctx, "2026-Q1", "-7d", "an", "a#1", dueQ1, time.Minute)
	if err != nil || ok {
		t.Fatalf("ClaimReminder of a done reminder: got %t, %v; want false, nil", ok, err)
	}
	if got, err := s.Reached(ctx, "2026-Q1", "-7d"); err != nil || !got["an"] {
		t.Errorf("Reached after: got %v, %v; want An in it", got, err)
	}
}
