package bot

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"danvan/flows"
)

// fill loads into env what the step will read beyond the chat's own reports (flows.Wants, w): a
// leader's tallies, units' status and progress, a report's versions, the reminder plan, the
// register; and, when flows asks again once the status is in (a /missing page), what again names
// then. A part whose port is not wired stays empty, and flows says the feature is not available.
func (d *Dispatcher) fill(ctx context.Context, env *flows.Env, w flows.Want, again func() flows.Want, now time.Time) error {
	switch {
	case len(w.Status) > 0 && d.Census == nil:
		w.Progress = append(w.Progress, w.Status...) // every unit's progress: the status is in it
	case len(w.Status) > 0:
		if err := d.fillStatus(ctx, env, w); err != nil {
			return err
		}
		if w.Again {
			more := again()
			w.Tallies, w.Progress, w.History = more.Tallies, more.Progress, more.History
		}
	}
	if d.Figures != nil {
		if err := d.fillFigures(ctx, env, w); err != nil {
			return err
		}
	}
	if w.Plan && d.Planner != nil {
		plan, err := d.Planner.Plan(ctx, now, env.Person)
		if err != nil {
			return fmt.Errorf("plan reminders: %w", err)
		}
		env.Plan = plan
	}
	if w.Plan {
		env.Usage = d.usage(ctx, now, env.Person)
	}
	if len(w.Models) > 0 && d.Models != nil {
		models, err := d.Models.Models(ctx, w.Models)
		if err != nil {
			return fmt.Errorf("load the register of %d units: %w", len(w.Models), err)
		}
		env.Models = models
	}
	if ids := named(env); len(ids) > 0 && d.Contacts != nil {
		people, err := d.Contacts.People(ctx, ids)
		if err != nil {
			return fmt.Errorf("load %d people a view names: %w", len(ids), err)
		}
		env.Contacts = people
	}
	return nil
}

// usage reads what each channel counted of the month's messages, of the bots admin may know
// of: the deployment's, and a tenant's own bot only for that tenant's admins (and the bootstrap
// admins), under the tenant's name. A count that cannot be read is left out and logged:
// /calendar shows the rest.
func (d *Dispatcher) usage(ctx context.Context, now time.Time, admin flows.Person) []flows.ChannelUsage {
	var out []flows.ChannelUsage
	for _, u := range d.Usage {
		got, err := u.Usage(ctx, now)
		if err != nil {
			d.logger().WarnContext(ctx, "message counts not read", "err", err)
			continue
		}
		for _, c := range got {
			if c, ok := d.ownUsage(c, admin); ok {
				out = append(out, c)
			}
		}
	}
	return out
}

// fillStatus loads the status of the units w names.
func (d *Dispatcher) fillStatus(ctx context.Context, env *flows.Env, w flows.Want) error {
	st, err := d.Census.Status(ctx, w.Period, w.Status, d.formIDs())
	if err != nil {
		return fmt.Errorf("load status of %d units in %s: %w", len(w.Status), w.Period, err)
	}
	env.Status = st
	return nil
}

// ownUsage is c as admin may read it: the deployment's bot's as it is, a tenant's bot's named
// after the tenant, for admins of that tenant only.
func (d *Dispatcher) ownUsage(c flows.ChannelUsage, admin flows.Person) (flows.ChannelUsage, bool) {
	if d.Settings.Tenants == nil {
		return c, true
	}
	t, ok := d.Settings.Tenants.Get(d.Settings.Bots[c.Bot])
	if !ok {
		return c, true
	}
	if own, ok := d.Settings.Tenants.OfPerson(admin); !admin.Admin && (!ok || own.ID != t.ID) {
		return c, false
	}
	c.Channel += " · " + t.Name.Vi
	return c, true
}

func (d *Dispatcher) fillFigures(ctx context.Context, env *flows.Env, w flows.Want) error {
	var err error
	if len(w.Tallies) > 0 {
		if env.Tallies, err = d.Figures.Tallies(ctx, w.Tallies); err != nil {
			return fmt.Errorf("load %d tallies: %w", len(w.Tallies), err)
		}
	}
	if len(w.Progress) > 0 {
		if env.Progress, err = d.Figures.Progress(ctx, w.Period, w.Progress, d.formIDs()); err != nil {
			return fmt.Errorf("load progress of %d units in %s: %w", len(w.Progress), w.Period, err)
		}
	}
	if len(w.History) > 0 {
		if env.History, err = d.Figures.Histories(ctx, w.History); err != nil {
			return fmt.Errorf("load history of %d reports: %w", len(w.History), err)
		}
	}
	return nil
}

// named lists the people the loaded progress, history and reminder plan name: organisers,
// submitters, leaders who returned a report or nudged a unit, people a reminder would reach.
func named(env *flows.Env) []string {
	seen := map[string]bool{}
	add := func(id string) {
		if id != "" {
			seen[id] = true
		}
	}
	addSub := func(s *flows.Submission) {
		add(s.By)
		if s.Returned != nil {
			add(s.Returned.By)
		}
	}
	for _, p := range env.Progress {
		for _, o := range p.Organisers {
			add(o)
		}
		if p.Nudged != nil {
			add(p.Nudged.By)
		}
		for _, s := range p.Subs {
			addSub(s)
		}
	}
	for _, h := range env.History {
		for i := range h {
			addSub(&h[i])
		}
	}
	if env.Plan != nil {
		for _, r := range env.Plan.Next {
			add(r.Person)
		}
	}
	return slices.Sorted(maps.Keys(seen))
}

func (d *Dispatcher) formIDs() []string {
	ids := make([]string, len(d.Settings.Forms))
	for i, f := range d.Settings.Forms {
		ids[i] = f.ID
	}
	return ids
}

// carryOut sends what a committed step asked to send. The step is already durable, so a failure
// here is logged for operators and never undoes it.
func (d *Dispatcher) carryOut(ctx context.Context, in Incoming, out flows.Sends) {
	for _, n := range out.Notices {
		if d.Notifier == nil {
			break
		}
		if err := d.Notifier.Notify(ctx, n.To, n.Replies); err != nil {
			d.logger().WarnContext(ctx, "carry out step effect", "chat", in.Chat, "effect", "flows.Notify", "err", err)
		}
	}
	for _, r := range out.Reminds {
		if d.Reminder != nil {
			d.remindLater(ctx, r)
		}
	}
}

// remindLater sends reminders without holding up the reply: a /remind of a whole period goes at
// the fan-out's pace, minutes for thousands of people. It runs on Background, not on the
// update's context, which ends with the reply.
func (d *Dispatcher) remindLater(ctx context.Context, e flows.Remind) {
	if d.Background != nil {
		ctx = d.Background
	} else {
		ctx = context.WithoutCancel(ctx)
	}
	d.background.Add(1)
	go func() {
		defer d.background.Done()
		if err := d.Reminder.Remind(ctx, e); err != nil {
			d.logger().WarnContext(ctx, "remind now", "period", e.Period, "by", e.By, "err", err)
		}
	}()
}

// Wait returns once the work the dispatcher started in the background (reminders sent on
// request) is done, so main can close the store after it. After grace it calls stop, which
// should cancel Background, and waits for the work to notice.
func (d *Dispatcher) Wait(grace time.Duration, stop func()) {
	done := make(chan struct{})
	go func() {
		d.background.Wait()
		close(done)
	}()
	timer := time.NewTimer(grace)
	defer timer.Stop()
	select {
	case <-done:
		return
	case <-timer.C:
	}
	if stop != nil {
		stop()
	}
	<-done
}

// attach renders the files replies ask for. A file that cannot be made becomes a kind message;
// the operator gets the log line.
func (d *Dispatcher) attach(ctx context.Context, in Incoming, p flows.Person, lang flows.Lang, replies []flows.Reply) []flows.Reply {
	for i, r := range replies {
		if r.Attach == nil || r.File != nil {
			continue
		}
		if r.Attach.Kind == flows.DirectoryFile {
			replies[i] = d.directorySheet(ctx, in, lang, r)
			continue
		}
		if d.Files == nil {
			replies[i] = flows.Reply{Text: flows.T(lang, "file_off")}
			continue
		}
		f, err := d.Files.File(ctx, p, *r.Attach, lang)
		if err != nil {
			d.logger().ErrorContext(ctx, "render attachment", "chat", in.Chat, "kind", r.Attach.Kind, "err", err)
			replies[i] = flows.Reply{Text: flows.T(lang, "file_failed")}
			continue
		}
		replies[i].File = &f
	}
	return replies
}
