// Package demo runs Dân vận bot in a terminal for anyone to try, with no token and no Redis: the
// real dispatcher, flows and reminder schedule, which main builds for it on an in-memory store,
// seeded with sample people and reports, on a clock the person can move to another day. It owns
// the demo's people, its sample data and its clock; it builds no part of the bot itself (main
// hands it a Build), and nothing it stores outlives it.
package demo

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"danvan/bot"
	"danvan/bot/console"
	"danvan/flows"
)

// Model is the configuration the demo runs on.
type Model struct {
	Calendar flows.Calendar
	Dir      *flows.Directory
	Forms    []flows.Form
	// Tick is how often the schedule looks for due steps, a cron spec.
	Tick string
}

// Bot is the running bot main builds for the demo.
type Bot struct {
	Handler  bot.Handler
	Schedule Schedule
	Store    Store
	// Route makes s the sender of the identities of its prefix (bot.Router.Register), so notices
	// and reminders for the demo's people print in the terminal.
	Route func(s bot.Sender)
	// Close releases the bot and its store once the demo is over.
	Close func()
}

// Build makes the bot the demo runs, on a store of its own that nothing outlives, with now as
// its clock and admins (identities) as its admins.
type Build func(now func() time.Time, admins map[string]bool) (Bot, error)

// Schedule is the reminder schedule: Tick sends what is due at now; Run ticks on its own, every
// spec, until ctx ends.
type Schedule interface {
	Tick(ctx context.Context, now time.Time) error
	Run(ctx context.Context, spec string) error
}

// Store is where the demo files its sample people and reports.
type Store interface {
	Link(ctx context.Context, ident string, p flows.Person) error
	Apply(ctx context.Context, effects []flows.Effect) error
}

// Demo is the demo of one configuration.
type Demo struct {
	Model Model
	Build Build
	// Real is the real clock, time.Now; the demo's own clock is shifted from it.
	Real func() time.Time
}

// Run runs the demo with its command-line args (-style, -date), reading what the person types
// from in and writing to out, until in ends or ctx is done.
func (d Demo) Run(ctx context.Context, args []string, in io.Reader, out io.Writer) error {
	opts, err := parseFlags(args, out)
	if err != nil {
		return err
	}
	clock := NewClock(d.Model.Calendar, d.Real)
	if opts.date != "" {
		if err := clock.Set(opts.date); err != nil {
			return fmt.Errorf("demo: -date: %w", err)
		}
	}
	b, err := d.Build(clock.Now, map[string]bool{people["admin"].ident: true})
	if err != nil {
		return err
	}
	defer b.Close()
	if err := seed(ctx, b.Store, d.Model, clock.Now()); err != nil {
		return err
	}
	fmt.Fprintf(out, "Dân vận bot — DEMO. Dữ liệu demo không được lưu: chỉ nằm trong bộ nhớ và mất khi thoát (Ctrl+D).\n"+
		"Demo data live in memory only and are gone when you quit (Ctrl+D). Today in the demo: %s.\n"+
		"Gõ /report để gửi báo cáo · /as organiser|leader|admin để đổi người · /ngay dd/mm/yyyy để tới ngày khác · /help\n",
		clock.Now().Format("02/01/2006"))
	org := people["organiser"]
	c := &console.Transport{In: in, Out: out, Handler: b.Handler, User: org.ident, Name: org.name, Switch: switchTo, Style: opts.style,
		Files: filepath.Join(os.TempDir(), "danvan-demo")}
	// Notices and reminders for the demo's people are printed in the terminal, marked with whom
	// they are for; the schedule runs on the demo's clock.
	b.Route(c)
	c.Local = map[string]func(context.Context, string) string{"ngay": dayCommand(clock, b.Schedule, d.Model.Calendar.Loc)}
	return runConsole(ctx, c, b.Schedule, clock.Now, d.Model.Tick)
}

// opts are the demo's flags.
type opts struct{ style, date string }

func parseFlags(args []string, out io.Writer) (opts, error) {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(out)
	style := fs.String("style", "zalo", "rendering: zalo (numbered options, no buttons; files as links or text, as Zalo shows them) or telegram (buttons listed under the message)")
	date := fs.String("date", "", "the demo's today, dd/mm/yyyy (e.g. 13/03/2026, two days before Q1 is due), to see the reminders of that day; default: the real date")
	if err := fs.Parse(args); err != nil {
		return opts{}, err
	}
	if *style != "telegram" && *style != "zalo" {
		return opts{}, fmt.Errorf("demo: -style %q: want telegram or zalo", *style)
	}
	return opts{style: *style, date: *date}, nil
}

// dayCommand is the demo's /ngay: it moves the demo to another day and sends what is due then,
// as the schedule would.
func dayCommand(clock *Clock, sched Schedule, loc *time.Location) func(context.Context, string) string {
	return func(ctx context.Context, day string) string {
		if err := clock.Set(day); err != nil {
			return "Dùng: /ngay ngày/tháng/năm, ví dụ /ngay 16/03/2026 — " + err.Error()
		}
		if err := sched.Tick(ctx, clock.Now()); err != nil {
			return "Nhắc nhở: " + err.Error()
		}
		return "(hôm nay trong demo: " + clock.Now().In(loc).Format("15:04 02/01/2006") + ")"
	}
}

// runConsole sends what is due today before the prompt, then runs the console while the
// schedule ticks on its own; nothing prints after it returns. Ctrl+C or SIGTERM (parent
// ending) is a normal way out, as is Ctrl+D.
func runConsole(parent context.Context, c *console.Transport, sched Schedule, now func() time.Time, tick string) error {
	if err := sched.Tick(parent, now()); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(parent)
	ticking := make(chan struct{})
	go func() {
		defer close(ticking)
		_ = sched.Run(ctx, tick)
	}()
	err := c.Run(ctx)
	cancel()
	<-ticking
	if parent.Err() != nil && errors.Is(err, parent.Err()) {
		return nil
	}
	return err
}

func switchTo(who string) (string, string, bool) {
	p, ok := people[who]
	return p.ident, p.name, ok
}
