package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"danvan/bot"
	"danvan/config"
	"danvan/flows"
	"danvan/reminders"
	"danvan/storage"
)

// The store and the router must serve what the reminders consume.
var (
	_ reminders.Store   = (*storage.Store)(nil)
	_ reminders.Claims  = (*storage.Store)(nil)
	_ reminders.Snoozes = (*storage.Store)(nil)
	_ reminders.Nudges  = (*storage.Store)(nil)
	_ reminders.Sender  = (*bot.Router)(nil)
	_ bot.Planner       = (*reminders.Scheduler)(nil)
	_ bot.Reminder      = (*reminders.Scheduler)(nil)
)

// newScheduler builds the reminder schedule from the configuration: it reads the store, sends
// through sender at the configured pace and keeps its claims under this process's name.
func newScheduler(cfg config.Config, store *storage.Store, dir *flows.Directory, sender reminders.Sender,
	now func() time.Time, log *slog.Logger) *reminders.Scheduler {
	r := cfg.Reminders
	blocked := func(err error) bool {
		return errors.Is(err, bot.ErrUnreachable)
	}
	return reminders.New(reminders.Config{
		Store: store, Claims: store, Snoozes: store, Nudges: store,
		Sender:   reminders.NewFanout(sender, r.Rate, blocked),
		Calendar: cfg.FlowsCalendar(), Dir: dir, Forms: cfg.Forms, Rules: reminderRules(r),
		Lease: r.Lease, Holder: holder(), Unreachable: blocked, Now: now, Log: log,
	})
}

// reminderRules turns the reminders section into the scheduler's rules: the default ladder and
// the ladders of the period kinds that have their own.
func reminderRules(r config.RemindersConfig) reminders.Rules {
	start, end := r.Window()
	rules := reminders.Rules{Steps: steps(r.Ladder), Start: start, End: end, Skip: r.Weekdays(), Holidays: r.HolidayDates()}
	for kind, p := range r.Periods {
		if rules.ByKind == nil {
			rules.ByKind = map[flows.PeriodKind][]reminders.Step{}
		}
		rules.ByKind[kind] = steps(p.Ladder)
	}
	return rules
}

// steps converts a ladder of the configuration.
func steps(ladder []config.StepConfig) []reminders.Step {
	var out []reminders.Step
	for _, s := range ladder {
		out = append(out, reminders.Step{ID: s.ID, Days: s.Days, At: s.Clock(), Digest: s.Digest})
	}
	return out
}

// holder names this process in reminder claims; replicas must differ.
func holder() string {
	host, err := os.Hostname()
	if err != nil {
		host = "bot"
	}
	return fmt.Sprintf("%s:%d", host, os.Getpid())
}

// rebuildTallies recounts the leaders' tallies of the periods people read now (those open and
// the ones before them) from the stored submissions, so a directory edited since they were
// counted (a unit moved, merged or removed) is reflected. With an unchanged directory it writes
// what was already there.
func rebuildTallies(ctx context.Context, store *storage.Store, s bot.Settings, now time.Time) error {
	var units, forms []string
	for _, n := range s.Dir.Units("") {
		units = append(units, n.ID)
	}
	for _, f := range s.Forms {
		forms = append(forms, f.ID)
	}
	done := map[string]bool{}
	for _, p := range s.Calendar.Open(now) {
		periods := []flows.Period{p}
		if prev, ok := s.Calendar.Previous(p); ok {
			periods = append(periods, prev)
		}
		for _, q := range periods {
			if done[q.ID] {
				continue
			}
			done[q.ID] = true
			if err := store.Rebuild(ctx, q.ID, units, forms); err != nil {
				return fmt.Errorf("recount tallies of %s: %w", q.ID, err)
			}
		}
	}
	return nil
}
