package demo

import (
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"danvan/bot"
	"danvan/flows"
)

// fakeSchedule records when it was asked to tick.
type fakeSchedule struct {
	mu    sync.Mutex
	ticks []time.Time
}

func (f *fakeSchedule) Tick(_ context.Context, now time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ticks = append(f.ticks, now)
	return nil
}

func (f *fakeSchedule) Run(ctx context.Context, _ string) error {
	<-ctx.Done()
	return nil
}

// fakeStore records what the demo seeds.
type fakeStore struct {
	people  []string
	effects []flows.Effect
}

func (f *fakeStore) Link(_ context.Context, ident string, _ flows.Person) error {
	f.people = append(f.people, ident)
	return nil
}

func (f *fakeStore) Apply(_ context.Context, effects []flows.Effect) error {
	f.effects = append(f.effects, effects...)
	return nil
}

type echo struct{}

func (echo) Handle(_ context.Context, in bot.Incoming) []flows.Reply {
	return []flows.Reply{{Text: "echo " + in.User}}
}

// built is what a fake Build was asked for and handed out.
type built struct {
	admins map[string]bool
	routed []string
	closed bool
	sched  fakeSchedule
	store  fakeStore
}

func (b *built) build(_ func() time.Time, admins map[string]bool) (Bot, error) {
	b.admins = admins
	return Bot{
		Handler: echo{}, Schedule: &b.sched, Store: &b.store,
		Route: func(s bot.Sender) { b.routed = append(b.routed, s.Prefix()) },
		Close: func() { b.closed = true },
	}, nil
}

func mustModel(tb testing.TB) Model {
	tb.Helper()
	dir, err := flows.NewDirectory([]flows.Org{{ID: "phunu", Name: flows.Text{Vi: "Hội LHPN"}}}, []flows.Node{
		{ID: "lc-tanphong", Name: flows.Text{Vi: "Phường Tân Phong"}},
		{ID: "lc-tanphong-phunu", Name: flows.Text{Vi: "Hội LHPN Tân Phong"}, Parent: "lc-tanphong", Org: "phunu"},
		{ID: "lc-doanket-phunu", Name: flows.Text{Vi: "Hội LHPN Đoàn Kết"}, Parent: "lc-tanphong", Org: "phunu"},
	})
	if err != nil {
		tb.Fatal(err)
	}
	form := flows.Form{ID: "membership", Questions: []flows.Question{{ID: "members"}}}
	return Model{Calendar: testCal, Dir: dir, Forms: []flows.Form{form}, Tick: "@every 5m"}
}

// TestRunMovesTheScheduleToTheDay: at 08:30 real time, -date and /ngay tick the schedule at
// DayAt on the day asked for, so the reminders and the digest of that day go out; the demo's
// people and sample reports are seeded, and the bot is released at the end.
func TestRunMovesTheScheduleToTheDay(t *testing.T) {
	real := &fakeReal{at(t, "20/01/2026 08:30")}
	var b built
	d := Demo{Model: mustModel(t), Build: b.build, Real: real.now}
	var out strings.Builder
	in := strings.NewReader("/report\n/ngay 16/03/2026\n/ngay hôm qua\n/as leader\n/report\n")
	if err := d.Run(t.Context(), []string{"-date", "13/03/2026"}, in, &out); err != nil {
		t.Fatalf("Run: got %v, want nil", err)
	}
	want := []time.Time{at(t, "13/03/2026 10:00"), at(t, "16/03/2026 10:00")}
	if len(b.sched.ticks) != len(want) || !b.sched.ticks[0].Equal(want[0]) || !b.sched.ticks[1].Equal(want[1]) {
		t.Errorf("ticks: got %v, want %v", b.sched.ticks, want)
	}
	for _, s := range []string{
		"Today in the demo: 13/03/2026", "echo console:organiser", "(hôm nay trong demo: 10:00 16/03/2026)",
		"Dùng: /ngay ngày/tháng/năm", "echo console:leader",
	} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("output: got %q, want it to contain %q", out.String(), s)
		}
	}
	if !b.admins["console:admin"] || len(b.admins) != 1 {
		t.Errorf("admins: got %v, want only console:admin", b.admins)
	}
	if len(b.routed) != 1 || b.routed[0] != "console" || !b.closed {
		t.Errorf("got routed %v, closed %t; want the console routed and the bot closed", b.routed, b.closed)
	}
	if len(b.store.people) != 4 {
		t.Errorf("seeded people: got %v, want the three roles and the sample sender", b.store.people)
	}
	// Q1 is open on 13/03: the Q1 before it (the test calendar has no other period) for both
	// units, and this one for the unit that is not the organiser's.
	if len(b.store.effects) != 3 {
		t.Errorf("seeded reports: got %d, want 3", len(b.store.effects))
	}
}

func TestRunRefusesBadFlags(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-style", "sms"}, "want telegram or zalo"},
		{[]string{"-date", "mai"}, "-date"},
	}
	for _, tt := range tests {
		var b built
		d := Demo{Model: mustModel(t), Build: b.build, Real: (&fakeReal{at(t, "20/01/2026 08:30")}).now}
		err := d.Run(t.Context(), tt.args, strings.NewReader(""), &strings.Builder{})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: got %v, want an error containing %q", tt.args, err, tt.want)
		}
	}
}

// TestRunStopsOnSignal: Ctrl+C or SIGTERM (ctx ending) ends the demo, as a normal way out, while
// the terminal is open and sends nothing; the bot is released.
func TestRunStopsOnSignal(t *testing.T) {
	deadline, stop := context.WithTimeout(t.Context(), 10*time.Second)
	defer stop()
	ctx, signal := context.WithCancel(deadline)
	in, terminal := io.Pipe()
	defer terminal.Close()
	var b built
	d := Demo{Model: mustModel(t), Build: b.build, Real: (&fakeReal{at(t, "20/01/2026 08:30")}).now}
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx, nil, in, io.Discard) }()
	signal()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: got %v, want nil", err)
		}
	case <-deadline.Done():
		t.Fatal("Run: still running after the signal, want it returned")
	}
	if !b.closed {
		t.Error("bot: got not closed, want closed")
	}
}
