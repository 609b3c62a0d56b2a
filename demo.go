package main

import (
	"context"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"danvan/bot"
	"danvan/bot/console"
	"danvan/config"
	"danvan/flows"
	"danvan/reminders"
	"danvan/storage"
)

// The demo's people: one of each role, switched with /as.
var demoPeople = map[string]struct{ ident, name string }{
	"organiser": {"console:organiser", "Chị Lan (Hội LHPN, Đoàn TN Tân Phong)"},
	"leader":    {"console:leader", "Anh Hùng (Ban Dân vận Thành ủy)"},
	"admin":     {"console:admin", "Chị Mai (quản trị)"},
}

// demoSample is who sent the sample reports of the units nobody in the demo reports for.
const demoSample = "console:sample"

// runDemo runs the real dispatcher and flows in the terminal on an in-process Redis seeded with
// the default directory. Nothing it stores outlives it.
func runDemo(ctx context.Context, args []string, in io.Reader, out io.Writer) error {
	opts, err := parseDemoFlags(args, out)
	if err != nil {
		return err
	}
	cfg := config.Default()
	if err := cfg.Validate(); err != nil {
		return err
	}
	mr, err := miniredis.Run()
	if err != nil {
		return fmt.Errorf("start the demo's in-memory redis: %w", err)
	}
	defer mr.Close()
	store := storage.New(redis.NewClient(&redis.Options{Addr: mr.Addr()}), "demo:")
	defer store.Close()
	clock := newDemoClock(cfg.FlowsCalendar(), time.Now)
	if opts.date != "" {
		if err := clock.Set(opts.date); err != nil {
			return fmt.Errorf("demo: -date: %w", err)
		}
	}
	now := clock.Now
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	disp, err := newDispatcher(cfg, store, now, quiet)
	if err != nil {
		return err
	}
	disp.Settings.Admins = map[string]bool{demoPeople["admin"].ident: true}
	if err := seedDemo(ctx, store, cfg, now()); err != nil {
		return err
	}
	fmt.Fprintf(out, "Dân vận bot — DEMO. Dữ liệu demo không được lưu: chỉ nằm trong bộ nhớ và mất khi thoát (Ctrl+D).\n"+
		"Demo data live in memory only and are gone when you quit (Ctrl+D). Today in the demo: %s.\n"+
		"Gõ /report để gửi báo cáo · /as organiser|leader|admin để đổi người · /ngay dd/mm/yyyy để tới ngày khác · /help\n",
		now().Format("02/01/2006"))
	org := demoPeople["organiser"]
	c := &console.Transport{In: in, Out: out, Handler: disp, User: org.ident, Name: org.name, Switch: demoSwitch, Style: opts.style,
		Files: filepath.Join(os.TempDir(), "danvan-demo")}
	// Notices and reminders for the demo's people are printed in the terminal, marked with whom
	// they are for; the schedule runs on the demo's clock.
	router := &bot.Router{People: store}
	router.Register(c)
	disp.Notifier = router
	sched := newScheduler(cfg, store, disp.Settings.Dir, router, now, quiet)
	disp.Planner, disp.Reminder = sched, sched
	c.Local = map[string]func(context.Context, string) string{"ngay": dayCommand(clock, sched, cfg.Location())}
	return runConsole(ctx, c, sched, now, cfg.Reminders.Tick)
}

// demoOpts are the demo's flags.
type demoOpts struct{ style, date string }

func parseDemoFlags(args []string, out io.Writer) (demoOpts, error) {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(out)
	style := fs.String("style", "telegram", "rendering: telegram (choices listed under the message) or zalo (numbered options, no buttons)")
	date := fs.String("date", "", "the demo's today, dd/mm/yyyy (e.g. 13/03/2026, two days before Q1 is due), to see the reminders of that day; default: the real date")
	if err := fs.Parse(args); err != nil {
		return demoOpts{}, err
	}
	if *style != "telegram" && *style != "zalo" {
		return demoOpts{}, fmt.Errorf("demo: -style %q: want telegram or zalo", *style)
	}
	return demoOpts{style: *style, date: *date}, nil
}

// dayCommand is the demo's /ngay: it moves the demo to another day and sends what is due then,
// as the schedule would.
func dayCommand(clock *demoClock, sched *reminders.Scheduler, loc *time.Location) func(context.Context, string) string {
	return func(ctx context.Context, day string) string {
		if err := clock.Set(day); err != nil {
			return "Dùng: /ngay dd/mm/yyyy (ví dụ /ngay 16/03/2026) — " + err.Error()
		}
		if err := sched.Tick(ctx, clock.Now()); err != nil {
			return "Nhắc nhở: " + err.Error()
		}
		return "(hôm nay trong demo: " + clock.Now().In(loc).Format("15:04 02/01/2006") + ")"
	}
}

// runConsole sends what is due today before the prompt, then runs the console while the
// schedule ticks on its own; nothing prints after it returns.
func runConsole(ctx context.Context, c *console.Transport, sched *reminders.Scheduler, now func() time.Time, tick string) error {
	if err := sched.Tick(ctx, now()); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	ticking := make(chan struct{})
	go func() {
		defer close(ticking)
		_ = sched.Run(ctx, tick)
	}()
	err := c.Run(ctx)
	cancel()
	<-ticking
	return err
}

func demoSwitch(who string) (string, string, bool) {
	p, ok := demoPeople[who]
	return p.ident, p.name, ok
}

// seedDemo links the demo people and files reports: last period's for every unit, so "keep last
// period's value" and the big-change check can be tried, and this period's for most units, so a
// leader has figures to read.
func seedDemo(ctx context.Context, store *storage.Store, cfg config.Config, now time.Time) error {
	units := []string{"tanphong-phunu", "tanphong-doan"}
	links := []struct {
		who string
		p   flows.Person
	}{
		{"organiser", flows.Person{Units: units}},
		{"leader", flows.Person{Scopes: []string{"laichau"}}},
		{"admin", flows.Person{}},
	}
	for _, l := range links {
		p := l.p
		p.ID, p.Name = demoPeople[l.who].ident, demoPeople[l.who].name
		if err := store.Link(ctx, p.ID, p); err != nil {
			return fmt.Errorf("seed demo person %s: %w", l.who, err)
		}
	}
	sample := flows.Person{ID: demoSample, Name: "Cán bộ đơn vị (dữ liệu mẫu)"}
	if err := store.Link(ctx, demoSample, sample); err != nil {
		return fmt.Errorf("seed demo sample person: %w", err)
	}
	cal := cfg.FlowsCalendar()
	open := cal.Open(now)
	if len(open) == 0 {
		return nil
	}
	prev, ok := cal.Previous(open[0])
	if !ok {
		return nil
	}
	dir, err := cfg.Directory()
	if err != nil {
		return err
	}
	var effects []flows.Effect
	for i, u := range dir.Units("") {
		by := demoSample
		if slices.Contains(units, u.ID) {
			by = demoPeople["organiser"].ident
		}
		effects = append(effects, demoReports(cfg.Forms, u.ID, by, prev, prev.Due.Add(-48*time.Hour), 0)...)
		// This period: most units have reported, some late, a few not yet; the organiser's
		// own units are left for the person trying the demo.
		if i%4 != 3 && !slices.Contains(units, u.ID) && open[0].Opens.Before(now) {
			at := open[0].Due.Add(-time.Duration(i+1) * 5 * time.Hour)
			if i%5 == 0 || at.After(now) {
				at = now.Add(-time.Duration(i+1) * time.Hour) // late, or the period is not due yet
			}
			effects = append(effects, demoReports(cfg.Forms, u.ID, by, open[0], at, 1)...)
		}
	}
	return store.Apply(ctx, effects)
}

// demoReports makes plausible figures for one unit's reports of period p, different per unit
// and per round but the same on every run, within the forms' rules.
func demoReports(forms []flows.Form, unit, by string, p flows.Period, at time.Time, round int) []flows.Effect {
	h := fnv.New32a()
	h.Write([]byte(unit))
	r := int64(h.Sum32()%1000) + int64(round)*37
	eligible := 400 + r*3
	members := eligible * (78 + r%20) / 100
	all := map[string]int64{
		"eligible": eligible, "members": members, "new_members": r % 40, "active": members * (84 + r%15) / 100,
		"branches": 5 + r%12, "branches_good": (5 + r%12) * (85 + r%15) / 100,
		"meetings": 4 + r%20, "participants": members / 2, "models": r % 3, "exemplars": r % 4,
		"petitions": 3 + r%15, "resolved": (3 + r%15) * (60 + r%40) / 100,
	}
	var out []flows.Effect
	for _, f := range forms {
		values := map[string]int64{}
		for _, q := range f.For(p.Kind) {
			values[q.ID] = all[q.ID]
		}
		k := flows.Key{Unit: unit, Period: p.ID, Form: f.ID}
		s := flows.Submission{Key: k, Values: values, By: by, At: at, Version: 1, Ref: flows.Reference(k, 1, at)}
		out = append(out, flows.Submit{Submission: s, Form: f})
	}
	return out
}
