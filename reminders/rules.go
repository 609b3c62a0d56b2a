package reminders

import (
	"slices"
	"time"

	"danvan/flows"
)

// Step is one rung of a period's reminder ladder: Days from the due day (−7, −2, 0, 1, 3) at a
// time of day, to organisers, or to leaders when Digest is set; with Report, the push that ends
// the ladder: each leader's chart and report draft (push.go).
type Step struct {
	// ID names the step in claims and plans: "-7d", "due", "+1d", "digest+1d", "report".
	ID     string
	Days   int
	At     time.Duration // time of day, from midnight
	Digest bool
	Report bool
}

// Rules are the reminder settings: the ladders, the sending hours and the days nothing is sent.
type Rules struct {
	// Steps is the default ladder: that of every period kind without one in ByKind.
	Steps []Step
	// ByKind gives some period kinds a ladder of their own (the Year's may start earlier); a
	// kind missing or empty here uses Steps.
	ByKind map[flows.PeriodKind][]Step
	// Start and End bound the sending hours of a day, from midnight (07:30 and 20:00).
	Start, End time.Duration
	// Skip lists the weekdays nothing is sent (Sunday).
	Skip []time.Weekday
	// Holidays lists the days nothing is sent (Tết), as "2006-01-02".
	Holidays []string
}

// DefaultRules returns the ladder of the issue: −7 days, −2 days, the morning of the due day,
// +1 and +3 days, and a digest to leaders at +1 and +3 days; 07:30–20:00, never on Sunday.
func DefaultRules() Rules {
	h := func(hh, mm int) time.Duration { return time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute }
	return Rules{
		Steps: []Step{
			{ID: "-7d", Days: -7, At: h(8, 0)},
			{ID: "-2d", Days: -2, At: h(8, 0)},
			{ID: "due", Days: 0, At: h(7, 30)},
			{ID: "+1d", Days: 1, At: h(8, 0)},
			{ID: "digest+1d", Days: 1, At: h(9, 0), Digest: true},
			{ID: "+3d", Days: 3, At: h(8, 0)},
			{ID: "digest+3d", Days: 3, At: h(9, 0), Digest: true},
		},
		Start: h(7, 30), End: h(20, 0),
		Skip: []time.Weekday{time.Sunday},
	}
}

// StepsFor returns the ladder of the periods of kind k: its own in ByKind, else Steps.
func (r Rules) StepsFor(k flows.PeriodKind) []Step {
	if steps := r.ByKind[k]; len(steps) > 0 {
		return steps
	}
	return r.Steps
}

// allowedDay reports whether anything may be sent on the day of t.
func (r Rules) allowedDay(t time.Time) bool {
	return !slices.Contains(r.Skip, t.Weekday()) && !slices.Contains(r.Holidays, t.Format(time.DateOnly))
}

// Allowed returns the first moment at or after t inside the sending hours of an allowed day.
// It gives up after a year of forbidden days, which only a broken configuration makes.
func (r Rules) Allowed(t time.Time) time.Time {
	for range 366 {
		day := midnight(t)
		switch {
		case !r.allowedDay(t) || t.Sub(day) >= r.End:
			t = day.AddDate(0, 0, 1)
		case t.Sub(day) < r.Start:
			return day.Add(r.Start)
		default:
			return t
		}
	}
	return t
}

// midnight returns the start of t's day in t's zone.
func midnight(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// Nominal returns when step s of period p is meant to go: its day relative to the due day, at
// its time of day, in the calendar's zone.
func Nominal(p flows.Period, s Step) time.Time {
	due := p.Due
	return midnight(due).AddDate(0, 0, s.Days).Add(s.At)
}

// When returns when step s of period p actually goes: its nominal moment, moved to the next
// allowed moment when that falls outside the sending hours, on a skipped weekday or a holiday.
// A step meant for the due day or before it that this would push past the due day (the due day
// is a Sunday or a holiday) goes instead on the last allowed day before (Rules.before): a
// reminder of a deadline is worth something only before the deadline.
func (r Rules) When(p flows.Period, s Step) time.Time {
	nominal := Nominal(p, s)
	at := r.Allowed(nominal)
	if s.Days > 0 || at.Before(midnight(p.Due).AddDate(0, 0, 1)) {
		return at
	}
	return r.before(nominal)
}

// before returns the last allowed day at or before t's day, at t's time of day kept inside the
// sending hours. It gives up after a year of forbidden days, as Allowed does, and then returns
// Allowed(t).
func (r Rules) before(t time.Time) time.Time {
	clock := min(max(t.Sub(midnight(t)), r.Start), r.End-time.Minute)
	for day, i := midnight(t), 0; i < 366; day, i = day.AddDate(0, 0, -1), i+1 {
		if r.allowedDay(day) {
			return day.Add(clock)
		}
	}
	return r.Allowed(t)
}

// Tomorrow returns the first allowed moment of the day after t: where a snooze ends.
func (r Rules) Tomorrow(t time.Time) time.Time { return r.Allowed(midnight(t).AddDate(0, 0, 1)) }

// timed is a step with the moment it goes and the one it was meant for.
type timed struct {
	Step
	at, nominal time.Time
}

// effective returns the steps of the kind asked (organisers' or digests) that go for p, in
// order. Where a Sunday or a holiday moved two steps onto one day, only the one meant latest
// goes (the due-day reminder rather than the −2d one, +3d rather than +1d), so nobody gets two
// reminders of one period on one day and the one they get is the most pressing.
func (r Rules) effective(p flows.Period, digest bool) []timed {
	var all []timed
	for _, s := range r.StepsFor(p.Kind) {
		if s.Digest == digest && !s.Report { // the report push has a path of its own (push.go)
			all = append(all, timed{s, r.When(p, s), Nominal(p, s)})
		}
	}
	slices.SortStableFunc(all, func(a, b timed) int { return a.at.Compare(b.at) })
	var out []timed
	for i, t := range all {
		if !r.superseded(all, i) {
			out = append(out, t)
		}
	}
	return out
}

// superseded reports whether another step of all goes on the day of all[i] and was meant later
// (or at the same moment and comes later in all).
func (r Rules) superseded(all []timed, i int) bool {
	t := all[i]
	for j, u := range all {
		if j == i || !midnight(u.at).Equal(midnight(t.at)) {
			continue
		}
		if u.nominal.After(t.nominal) || (u.nominal.Equal(t.nominal) && j > i) {
			return true
		}
	}
	return false
}

// latest returns the step that is due at now: the last one whose moment has come, so that a
// restart after a long downtime sends only that one and never a −7-day reminder after the due
// day. ok is false before the first step and once the period has closed.
func (r Rules) latest(p flows.Period, digest bool, now time.Time) (Step, time.Time, bool) {
	if !now.Before(p.Closes) {
		return Step{}, time.Time{}, false
	}
	var best timed
	found := false
	for _, t := range r.effective(p, digest) {
		if !t.at.After(now) && (!found || !t.at.Before(best.at)) {
			best, found = t, true
		}
	}
	return best.Step, best.at, found
}

// next returns the first step of the kind asked whose moment is after now.
func (r Rules) next(p flows.Period, digest bool, now time.Time) (Step, time.Time, bool) {
	for _, t := range r.effective(p, digest) {
		if t.at.After(now) && t.at.Before(p.Closes) {
			return t.Step, t.at, true
		}
	}
	return Step{}, time.Time{}, false
}
