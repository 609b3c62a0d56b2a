package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"danvan/bot"
	"danvan/config"
	"danvan/flows"
	"danvan/storage"
)

// The demo's people: one of each role, switched with /as.
var demoPeople = map[string]struct{ ident, name string }{
	"organiser": {"console:organiser", "Chị Lan (Hội LHPN, Đoàn TN Tân Phong)"},
	"leader":    {"console:leader", "Anh Hùng (Ban Dân vận Thành ủy)"},
	"admin":     {"console:admin", "Chị Mai (quản trị)"},
}

// runDemo runs the real dispatcher and flows in the terminal on an in-process Redis seeded with
// the default directory. Nothing it stores outlives it.
func runDemo(ctx context.Context, args []string, in io.Reader, out io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(out)
	style := fs.String("style", "telegram", "rendering: telegram (choices listed under the message) or zalo (numbered options, no buttons)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *style != "telegram" && *style != "zalo" {
		return fmt.Errorf("demo: -style %q: want telegram or zalo", *style)
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
	now := demoClock(cfg.FlowsCalendar(), time.Now())
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
		"Gõ /report để gửi báo cáo · /as organiser|leader|admin để đổi người · /help\n",
		now().Format("02/01/2006"))
	org := demoPeople["organiser"]
	c := &bot.Console{In: in, Out: out, Handler: disp, User: org.ident, Name: org.name, Switch: demoSwitch, Style: *style}
	return c.Run(ctx)
}

func demoSwitch(who string) (string, string, bool) {
	p, ok := demoPeople[who]
	return p.ident, p.name, ok
}

// demoClock is the real clock, moved forward into the next reporting window when today falls
// between two, so the demo always has a period to report.
func demoClock(cal flows.Calendar, real time.Time) func() time.Time {
	shift := time.Duration(0)
	if len(cal.Open(real)) == 0 {
		for d := 1; d < 400; d++ {
			if t := real.AddDate(0, 0, d); len(cal.Open(t)) > 0 {
				shift = t.Sub(real)
				break
			}
		}
	}
	return func() time.Time { return time.Now().Add(shift) }
}

// seedDemo links the demo people and files last period's reports for the organiser's first unit,
// so "keep last period's value" and the big-change check can be tried.
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
	cal := cfg.FlowsCalendar()
	open := cal.Open(now)
	if len(open) == 0 {
		return nil
	}
	prev, ok := cal.Previous(open[0])
	if !ok {
		return nil
	}
	values := map[string]map[string]int64{
		"membership": {"eligible": 1250, "members": 1100, "new_members": 25, "active": 1010},
		"activities": {"meetings": 12, "participants": 860, "models": 2, "exemplars": 1, "petitions": 14, "resolved": 11},
	}
	var effects []flows.Effect
	for _, f := range cfg.Forms {
		k := flows.Key{Unit: units[0], Period: prev.ID, Form: f.ID}
		at := prev.Due.Add(-48 * time.Hour)
		s := flows.Submission{Key: k, Values: values[f.ID], By: demoPeople["organiser"].ident, At: at, Version: 1, Ref: flows.Reference(k, 1, at)}
		effects = append(effects, flows.Submit{Submission: s, Form: f})
	}
	return store.Apply(ctx, effects)
}
