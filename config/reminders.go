package config

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"danvan/flows"
)

// RemindersConfig is the "reminders" section: the ladder of each period, the sending hours, the
// days nothing is sent and the fan-out's pace. A file's section replaces the default whole.
type RemindersConfig struct {
	// Ladder lists the steps of each period, relative to its due day.
	Ladder []StepConfig `yaml:"ladder" json:"ladder"`
	// Periods gives some period kinds (Q1, H1, Q3, Y) a ladder of their own; the others use
	// Ladder.
	Periods map[flows.PeriodKind]PeriodReminders `yaml:"periods" json:"periods"`
	// Hours bounds the sending hours of a day: "07:30-20:00".
	Hours string `yaml:"hours" json:"hours"`
	// SkipWeekdays names the weekdays nothing is sent: "sunday".
	SkipWeekdays []string `yaml:"skip_weekdays" json:"skip_weekdays"`
	// Holidays lists days ("2026-02-16") or ranges ("2026-02-14..2026-02-22") nothing is sent.
	Holidays []string `yaml:"holidays" json:"holidays"`
	// Rate is the fan-out's messages per second over all chats of one bot token, at most
	// MaxFanoutRate: every replica on the same Redis shares it (a limit in Redis per token).
	Rate float64 `yaml:"rate" json:"rate"`
	// Tick is the cron spec the scheduler wakes up on: "@every 5m".
	Tick string `yaml:"tick" json:"tick"`
	// Lease is how long a claim protects a send in progress, from the claim; the replica
	// sending extends it while the send runs. A crashed replica's claims wait this long.
	Lease time.Duration `yaml:"lease" json:"lease"`
}

// PeriodReminders is one period kind's entry of "reminders.periods".
type PeriodReminders struct {
	// Ladder replaces the default ladder for the periods of this kind.
	Ladder []StepConfig `yaml:"ladder" json:"ladder"`
}

// LadderFor returns the ladder of the periods of kind k: its own in Periods, else Ladder.
func (r RemindersConfig) LadderFor(k flows.PeriodKind) []StepConfig {
	if p := r.Periods[k]; len(p.Ladder) > 0 {
		return p.Ladder
	}
	return r.Ladder
}

// MaxFanoutRate is the highest reminders.rate: Telegram takes about 30 messages a second from a
// bot, and the fan-out of all replicas together leaves at least 5 of them to the replies to
// people talking to the bot, which have no limiter of their own.
const MaxFanoutRate = 25

// StepConfig is one step of the ladder: days from the due day at a time of day, to organisers,
// or to leaders when digest is set; report: true ends the ladder, pushing each leader the chart
// and the report draft of their scope.
type StepConfig struct {
	ID     string `yaml:"id" json:"id"`
	Days   int    `yaml:"days" json:"days"`
	At     string `yaml:"at" json:"at"` // "08:00"
	Digest bool   `yaml:"digest" json:"digest"`
	Report bool   `yaml:"report,omitempty" json:"report,omitempty"`
}

// Clock returns At as a time of day; 0 when it does not parse (Validate refuses that).
func (s StepConfig) Clock() time.Duration {
	d, _ := parseClock(s.At)
	return d
}

// Window returns the sending hours as times of day; zeros when Hours does not parse.
func (r RemindersConfig) Window() (start, end time.Duration) {
	start, end, _ = parseWindow(r.Hours)
	return start, end
}

// Weekdays returns the skipped weekdays; unknown names are left out (Validate refuses them).
func (r RemindersConfig) Weekdays() []time.Weekday {
	var out []time.Weekday
	for _, s := range r.SkipWeekdays {
		if d, ok := weekdays[strings.ToLower(strings.TrimSpace(s))]; ok {
			out = append(out, d)
		}
	}
	return out
}

// HolidayDates returns every holiday as "2006-01-02", ranges spelled out.
func (r RemindersConfig) HolidayDates() []string {
	var out []string
	for _, h := range r.Holidays {
		from, to, err := parseHoliday(h)
		if err != nil {
			continue
		}
		for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
			out = append(out, d.Format(time.DateOnly))
		}
	}
	return out
}

var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
}

func parseClock(s string) (time.Duration, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("%q is not a time of day hh:mm", s)
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}

func parseWindow(s string) (time.Duration, time.Duration, error) {
	a, b, ok := strings.Cut(s, "-")
	start, err1 := parseClock(a)
	end, err2 := parseClock(b)
	if !ok || err1 != nil || err2 != nil || end <= start {
		return 0, 0, fmt.Errorf("%q is not a window of hours such as 07:30-20:00", s)
	}
	return start, end, nil
}

func parseHoliday(s string) (time.Time, time.Time, error) {
	a, b, isRange := strings.Cut(strings.TrimSpace(s), "..")
	from, err1 := time.Parse(time.DateOnly, strings.TrimSpace(a))
	to, err2 := from, error(nil)
	if isRange {
		to, err2 = time.Parse(time.DateOnly, strings.TrimSpace(b))
	}
	if err1 != nil || err2 != nil || to.Before(from) || to.Sub(from) > 31*24*time.Hour {
		return time.Time{}, time.Time{}, fmt.Errorf("%q is not a day 2006-01-02 or a range 2006-01-02..2006-01-09 of at most a month", s)
	}
	return from, to, nil
}

// reminders checks the reminders section, naming the field of each problem; kinds are the
// periods of the calendar, the only ones a ladder of its own may be given to.
func (k *checker) reminders(kinds map[flows.PeriodKind]bool) {
	r := k.c.Reminders
	k.ladder("reminders.ladder", r.Ladder)
	for _, kind := range slices.Sorted(maps.Keys(r.Periods)) {
		f := fmt.Sprintf("reminders.periods.%s", kind)
		if !kinds[kind] {
			k.add(f, "%q is not a period of the calendar (Q1, H1, Q3 or Y)", kind)
		}
		k.ladder(f+".ladder", r.Periods[kind].Ladder)
	}
	if _, _, err := parseWindow(r.Hours); err != nil {
		k.add("reminders.hours", "%v", err)
	}
	for i, d := range r.SkipWeekdays {
		if _, ok := weekdays[strings.ToLower(strings.TrimSpace(d))]; !ok {
			k.add(fmt.Sprintf("reminders.skip_weekdays[%d]", i), "%q is not a weekday name such as sunday", d)
		}
	}
	if len(r.SkipWeekdays) >= 7 {
		k.add("reminders.skip_weekdays", "skips every day: nothing would ever be sent")
	}
	for i, h := range r.Holidays {
		if _, _, err := parseHoliday(h); err != nil {
			k.add(fmt.Sprintf("reminders.holidays[%d]", i), "%v", err)
		}
	}
	if r.Rate <= 0 || r.Rate > MaxFanoutRate {
		k.add("reminders.rate", "%v messages/s: want more than 0 and at most %d (Telegram takes about 30 a second; "+
			"the rest is kept for replies to people talking to the bot)", r.Rate, MaxFanoutRate)
	}
	if strings.TrimSpace(r.Tick) == "" {
		k.add("reminders.tick", "is empty: want a cron spec such as @every 5m")
	}
	if r.Lease < 10*time.Second {
		k.add("reminders.lease", "%v is too short to cover one send with its retries (want ≥ 10s)", r.Lease)
	}
}

// ladder checks the steps of one ladder, field naming it: "reminders.ladder".
func (k *checker) ladder(field string, steps []StepConfig) {
	if len(steps) == 0 {
		k.add(field, "is empty: list at least one step")
	}
	seen := map[string]bool{}
	for i, s := range steps {
		f := fmt.Sprintf("%s[%d]", field, i)
		if s.ID == "" || seen[s.ID] || len(s.ID) > 16 {
			k.add(f+".id", "%q must be a unique name of at most 16 characters", s.ID)
		}
		seen[s.ID] = true
		if _, err := parseClock(s.At); err != nil {
			k.add(f+".at", "%v", err)
		}
		if s.Days < -60 || s.Days > 60 {
			k.add(f+".days", "%d is more than 60 days from the due day", s.Days)
		}
	}
	k.reportSteps(field, steps)
}

// reportSteps checks the steps that push leaders their report: each comes after every other
// step of its ladder (the push is what follows the last reminder) and is no digest too.
func (k *checker) reportSteps(field string, steps []StepConfig) {
	at := func(s StepConfig) time.Duration { return time.Duration(s.Days)*24*time.Hour + s.Clock() }
	for i, s := range steps {
		if !s.Report {
			continue
		}
		f := fmt.Sprintf("%s[%d]", field, i)
		if s.Digest {
			k.add(f+".report", "a step is a digest or the report push, not both")
		}
		for _, o := range steps {
			if !o.Report && at(o) >= at(s) {
				k.add(f+".days", "the report push must come after every reminder of its ladder; %q (%+d days %s) does not come before it", o.ID, o.Days, o.At)
				break
			}
		}
	}
}
