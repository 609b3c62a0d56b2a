package reminders_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"danvan/flows"
	"danvan/internal/redistest"
	"danvan/internal/testkit"
	"danvan/storage"
)

// event is something people do at a moment of the simulated year.
type event struct {
	at string
	do func(fs *fakeStore, rs *storage.Store) error
}

func submitAt(period, unit, t string) event {
	return event{t, func(fs *fakeStore, _ *storage.Store) error { fs.submit(period, unit, at(t)); return nil }}
}

// yearEvents: a unit submitting between two steps, a snooze, a returned report, late reports
// after a digest; Q1's due day falls in Tết and H1's ladder crosses a Sunday.
func yearEvents() []event {
	return []event{
		submitAt("2026-Q1", "tp-doan", "2026-02-17 10:00"),  // in Tết, between the due step moved before it and +3d
		submitAt("2026-Q1", "st-phunu", "2026-02-24 10:00"), // late, after the digest
		submitAt("2026-H1", "tp-phunu", "2026-06-01 10:00"),
		submitAt("2026-H1", "st-phunu", "2026-06-10 10:00"),
		{"2026-06-13 10:00", func(_ *fakeStore, rs *storage.Store) error {
			return rs.Apply(context.Background(), []flows.Effect{flows.Snooze{Person: "an", Period: "2026-H1", Until: at("2026-06-14 00:00")}})
		}},
		{"2026-06-14 10:00", func(fs *fakeStore, _ *storage.Store) error {
			fs.giveBack("2026-H1", "st-phunu", at("2026-06-14 10:00"))
			return nil
		}},
		submitAt("2026-H1", "st-phunu", "2026-06-17 10:00"), // corrected after the due day: late by the version in force
		submitAt("2026-H1", "tp-doan", "2026-06-17 10:00"),  // late, after the +1d digest
	}
}

// seedDone files every unit for the periods the simulation does not exercise.
func seedDone(fs *fakeStore) {
	for _, p := range []string{"2025-Y", "2026-Q3", "2026-Y"} {
		for _, u := range []string{"tp-phunu", "tp-doan", "st-phunu"} {
			fs.submit(p, u, at("2025-07-01 10:00"))
		}
	}
}

// runYear ticks every 30 minutes through 2026, applying the events as their moment comes.
func runYear(t *testing.T, tick func(now time.Time) error, fs *fakeStore, rs *storage.Store, evs []event) {
	t.Helper()
	for now := at("2026-01-01 00:00"); now.Year() == 2026; now = now.Add(30 * time.Minute) {
		for len(evs) > 0 && !at(evs[0].at).After(now) {
			if err := evs[0].do(fs, rs); err != nil {
				t.Fatalf("event at %s: %v", evs[0].at, err)
			}
			evs = evs[1:]
		}
		if err := tick(now); err != nil {
			t.Fatalf("tick at %s: %v", now, err)
		}
	}
}

func TestSimulatedYear(t *testing.T) {
	fs, rs := newFakeStore(), testkit.StoreAt(t, redistest.Addr(), redistest.Prefix(t, "remind"))
	seedDone(fs)
	var clk testkit.Clock
	rec := newRecorder(clk.Now)
	s := mustScheduler(t, fs, rs, rec, "a", clk.Now)
	runYear(t, func(now time.Time) error { clk.Set(now); return s.Tick(context.Background(), now) }, fs, rs, yearEvents())

	want := map[string][]string{
		"an": {
			"02-13 07:30 remind 2026-Q1 tp-phunu,tp-doan", // due in Tết: the due step goes before it, for −7d
			"02-23 08:00 late 2026-Q1 tp-phunu",           // +1d fell in Tết too: only +3d goes
			"06-08 08:00 remind 2026-H1 tp-doan",
			"06-13 08:00 remind 2026-H1 tp-doan", // then snoozed: Sunday skipped, back Monday
			"06-15 07:30 remind 2026-H1 tp-doan",
			"06-16 08:00 late 2026-H1 tp-doan",
		},
		"binh": {
			"02-13 07:30 remind 2026-Q1 st-phunu",
			"02-23 08:00 late 2026-Q1 st-phunu",
			"06-08 08:00 remind 2026-H1 st-phunu",
			"06-15 07:30 remind 2026-H1 st-phunu", // returned on Sunday
			"06-16 08:00 late 2026-H1 st-phunu",
		},
		"lan": {
			"02-23 09:00 digest 1/2 đơn vị đã báo cáo.",
			"06-16 09:00 digest 1/2 đơn vị đã báo cáo.",
			"06-18 09:00 digest 2/2 đơn vị đã báo cáo.",
		},
		"minh": {
			"02-23 09:00 digest 0/2 đơn vị đã báo cáo.",
			"06-16 09:00 digest 1/2 đơn vị đã báo cáo.",
			"06-18 09:00 digest 2/2 đơn vị đã báo cáo.",
		},
	}
	for _, id := range []string{"an", "binh", "chi", "lan", "minh"} {
		if got := rec.got[id]; !slices.Equal(got, want[id]) {
			t.Errorf("%s got:\n  %s\nwant:\n  %s", id, strings.Join(got, "\n  "), strings.Join(want[id], "\n  "))
		}
	}
	mustContain(t, rec.texts["minh"], 0, "Chi (Hội LHPN · Xã San Thàng)")                  // unreachable organiser listed
	mustContain(t, rec.texts["lan"], 2, "Báo cáo muộn (1):\n• Đoàn TN · Phường Tân Phong") // late report after the digest
	mustContain(t, rec.texts["minh"], 2, "Báo cáo muộn (1):\n• Hội LHPN · Xã San Thàng")   // corrected after the due day
	mustContain(t, rec.texts["binh"], 3, "Hội viên bị trả lại")
}

func mustContain(tb testing.TB, texts []string, i int, sub string) {
	tb.Helper()
	if i >= len(texts) || !strings.Contains(texts[i], sub) {
		tb.Errorf("message %d: got %q, want it to contain %q", i, texts, sub)
	}
}
