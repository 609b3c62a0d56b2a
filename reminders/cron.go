package reminders

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/robfig/cron/v3"
)

// Chain is the job wrapper of the scheduler's cron: SkipIfStillRunning outside, Recover
// inside. The order matters: in robfig/cron v3.0.1 SkipIfStillRunning frees its slot only when
// the job returns, so a panic that escaped it would keep the slot taken and every later tick
// would be skipped forever; with Recover inside, a panic ends as a logged error and the slot
// is freed.
func Chain(log *slog.Logger) cron.Chain { return cron.NewChain(wrappers(log)...) }

func wrappers(log *slog.Logger) []cron.JobWrapper {
	l := cron.PrintfLogger(slog.NewLogLogger(log.Handler(), slog.LevelWarn))
	return []cron.JobWrapper{cron.SkipIfStillRunning(l), cron.Recover(l)}
}

// Run ticks on spec ("@every 5m") in the calendar's zone until ctx ends, after one tick at
// start that catches up on whatever a downtime missed. Cron only ticks: each tick works out
// from the calendar and the claims what is due.
func (s *Scheduler) Run(ctx context.Context, spec string) error {
	c := cron.New(cron.WithLocation(s.cfg.Calendar.Loc), cron.WithChain(wrappers(s.cfg.Log)...))
	tick := cron.FuncJob(func() {
		err := s.Tick(ctx, s.cfg.Now())
		switch {
		case err == nil:
		case ctx.Err() != nil: // a stop: what was not sent is released, not failed
			s.cfg.Log.Info("reminders: tick stopped by shutdown", "err", err)
		default:
			s.cfg.Log.Error("reminders: tick failed", "err", err)
		}
	})
	if _, err := c.AddJob(spec, tick); err != nil {
		return fmt.Errorf("reminders: cron spec %q: %w", spec, err)
	}
	Chain(s.cfg.Log).Then(tick).Run() // catch up now, not at the first tick
	c.Start()
	<-ctx.Done()
	<-c.Stop().Done()
	return nil
}
