package bot

import (
	"context"
	"errors"
	"log/slog"
	"reflect"
	"testing"
	"time"

	"danvan/flows"
)

type fakeFiles struct {
	got []flows.Attachment
	err error
}

func (f *fakeFiles) File(_ context.Context, _ flows.Person, a flows.Attachment, _ flows.Lang) (flows.File, error) {
	f.got = append(f.got, a)
	return flows.File{Name: "x.png", Kind: flows.Photo, Data: []byte{1}}, f.err
}

type fakeNotifier struct{ to []string }

func (f *fakeNotifier) Notify(_ context.Context, person string, _ []flows.Reply) error {
	f.to = append(f.to, person)
	return nil
}

type fakeReminder struct{ got []flows.Remind }

func (f *fakeReminder) Remind(_ context.Context, e flows.Remind) error {
	f.got = append(f.got, e)
	return nil
}

func TestCarryOutCallsPorts(t *testing.T) {
	n, r := &fakeNotifier{}, &fakeReminder{}
	d := &Dispatcher{Notifier: n, Reminder: r}
	d.carryOut(t.Context(), Incoming{Chat: "tg:9"}, flows.Outgoing([]flows.Effect{flows.Notify{To: "tg:1"}, flows.Remind{Period: "2026-Q1", Nudge: true}}))
	d.Wait(time.Minute, nil) // reminders go in the background
	if !reflect.DeepEqual(n.to, []string{"tg:1"}) {
		t.Errorf("got notices to %v, want [tg:1]", n.to)
	}
	if len(r.got) != 1 || !r.got[0].Nudge {
		t.Errorf("got reminders %v, want one nudge", r.got)
	}
	// Without ports the effects are dropped, not a crash.
	(&Dispatcher{}).carryOut(t.Context(), Incoming{}, flows.Outgoing([]flows.Effect{flows.Notify{To: "tg:1"}, flows.Remind{}}))
}

func TestAttachRendersOrExplains(t *testing.T) {
	chart := &flows.Attachment{Kind: flows.ChartFile, Indicator: "1.5"}
	tests := []struct {
		name     string
		files    Files
		wantFile bool
		wantText string
	}{
		{"rendered", &fakeFiles{}, true, "caption"},
		{"no port", nil, false, flows.T(flows.VI, "file_off")},
		{"failed", &fakeFiles{err: errors.New("boom")}, false, flows.T(flows.VI, "file_failed")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &Dispatcher{Files: tt.files, Log: slog.New(slog.DiscardHandler)}
			got := d.attach(t.Context(), Incoming{}, flows.Person{}, flows.VI, []flows.Reply{{Text: "caption", Attach: chart}, {Text: "plain"}})
			if (got[0].File != nil) != tt.wantFile || got[0].Text != tt.wantText {
				t.Errorf("got file %v text %q, want file %v text %q", got[0].File != nil, got[0].Text, tt.wantFile, tt.wantText)
			}
			if got[1].Text != "plain" || got[1].File != nil {
				t.Errorf("got %+v, want the plain reply untouched", got[1])
			}
		})
	}
}

// blockingReminder waits for its context to end, like a long fan-out at shutdown.
type blockingReminder struct{ started chan struct{} }

func (b blockingReminder) Remind(ctx context.Context, _ flows.Remind) error {
	close(b.started)
	<-ctx.Done()
	return ctx.Err()
}

func TestWaitStopsBackgroundAfterGrace(t *testing.T) {
	bg, stop := context.WithCancel(t.Context())
	defer stop()
	r := blockingReminder{started: make(chan struct{})}
	d := &Dispatcher{Reminder: r, Background: bg, Log: slog.New(slog.DiscardHandler)}
	d.carryOut(t.Context(), Incoming{}, flows.Sends{Reminds: []flows.Remind{{Period: "2026-Q1", All: true}}})
	<-r.started
	stopped := false
	d.Wait(time.Millisecond, func() { stopped = true; stop() })
	if !stopped || bg.Err() == nil {
		t.Errorf("got stopped %v, context err %v; want the background work cancelled after the grace", stopped, bg.Err())
	}
}

func TestNamedListsEveryoneAViewShows(t *testing.T) {
	sub := &flows.Submission{By: "tg:1", Returned: &flows.Return{By: "tg:9"}}
	env := &flows.Env{
		Progress: map[string]flows.UnitProgress{"u": {Organisers: []string{"tg:2"}, Subs: map[string]*flows.Submission{"f": sub},
			Nudged: &flows.Nudge{By: "tg:5"}}},
		History: map[flows.Key][]flows.Submission{{Unit: "u"}: {{By: "zalo:3"}}},
		Plan:    &flows.Plan{Next: []flows.PlannedReminder{{Person: "tg:4"}, {Person: "tg:2"}}},
	}
	if got, want := named(env), []string{"tg:1", "tg:2", "tg:4", "tg:5", "tg:9", "zalo:3"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if got := named(&flows.Env{}); len(got) != 0 {
		t.Errorf("empty view: got %v, want nobody", got)
	}
}

// usageFunc adapts a function to Usage.
type usageFunc func(ctx context.Context, now time.Time) ([]flows.ChannelUsage, error)

func (f usageFunc) Usage(ctx context.Context, now time.Time) ([]flows.ChannelUsage, error) {
	return f(ctx, now)
}

// An admin's /calendar gets each channel's count of the month's messages; a count that cannot
// be read is left out, and the calendar still shows.
func TestFillUsage(t *testing.T) {
	zalo := usageFunc(func(context.Context, time.Time) ([]flows.ChannelUsage, error) {
		return []flows.ChannelUsage{{Channel: "Zalo", Year: 2026, Month: 3, Sent: 7, Quota: 10}}, nil
	})
	down := usageFunc(func(context.Context, time.Time) ([]flows.ChannelUsage, error) {
		return nil, errors.New("redis down")
	})
	d := &Dispatcher{Usage: []Usage{down, zalo}, Log: slog.New(slog.DiscardHandler)}
	env := &flows.Env{}
	if err := d.fill(t.Context(), env, flows.Want{Plan: true}, nil, time.Now()); err != nil {
		t.Fatalf("fill: got %v, want nil", err)
	}
	if want := []flows.ChannelUsage{{Channel: "Zalo", Year: 2026, Month: 3, Sent: 7, Quota: 10}}; !reflect.DeepEqual(env.Usage, want) {
		t.Errorf("Usage: got %+v, want %+v", env.Usage, want)
	}
	env = &flows.Env{}
	if _ = d.fill(t.Context(), env, flows.Want{}, nil, time.Now()); env.Usage != nil {
		t.Errorf("Usage without /calendar: got %+v, want none read", env.Usage)
	}
}
