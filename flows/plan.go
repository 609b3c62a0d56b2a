package flows

import "time"

// Plan is what the reminder schedule will do next, for an admin's /reminders preview: filled in
// by the reminders package, rendered by flows.
type Plan struct {
	// Next names people the coming steps reach: for a big step, a sample of them (Fanouts
	// says how many in all).
	Next []PlannedReminder
	// Fanouts says, per coming step, how many messages it sends and how long that takes.
	Fanouts []PlannedFanout
	// Ladder lists every step of the year's periods with the moment it goes, for /calendar.
	Ladder []PlannedStep
	// Periods tells, for each period open at the preview, how many units still owe a report
	// and whether its organisers' ladder has a step to come: why Next may hold nothing for it.
	Periods []PlanPeriod
}

// PlanPeriod is where one open period's reminders stand.
type PlanPeriod struct {
	Period  string
	Missing int // units that have not submitted every form, returned ones included
	Units   int // units of the directory
	// Ahead is set while a step of the organisers' ladder is still to come; Last is when its
	// latest step went (zero before the first).
	Ahead bool
	Last  time.Time
	// Remind is what an admin's /remind of the period would send now.
	Remind Fanout
}

// PlannedFanout is the size of one coming step: the step, as in PlannedReminder, and its fan-out.
type PlannedFanout struct {
	At     time.Time
	Period string
	Step   string
	Days   int
	Digest bool
	Fanout
}

// Fanout is what sending one message to each of a set of people takes: how many, on which
// channels, at each channel's pace (one bot token each, shared by the replicas).
type Fanout struct {
	People   int
	Channels []ChannelLoad
}

// ChannelLoad is the messages one channel's token carries in a fan-out, and its pace.
type ChannelLoad struct {
	Channel   string
	Messages  int
	PerSecond float64
}

// Takes is how long the fan-out lasts: the tokens send side by side, so as long as its slowest
// channel.
func (f Fanout) Takes() time.Duration {
	var out time.Duration
	for _, c := range f.Channels {
		if c.PerSecond > 0 {
			out = max(out, time.Duration(float64(c.Messages)/c.PerSecond*float64(time.Second)))
		}
	}
	return out
}

// PlannedStep is one step of a period's reminder ladder and when it goes, sending hours,
// skipped weekdays and holidays applied.
type PlannedStep struct {
	Period string
	Step   string
	// Days is the step's day relative to the due day (−7, 0, 1): what StepName says.
	Days   int
	At     time.Time
	Digest bool
	// Report marks the step that pushes leaders their chart and report draft.
	Report bool
}

// PlannedReminder is one reminder the schedule would send.
type PlannedReminder struct {
	At     time.Time
	Period string
	Step   string   // the ladder step: "-7d", "due", "+1d", "digest+1d"
	Days   int      // the step's day relative to the due day
	Digest bool     // the step is a leaders' summary
	Person string   // person id
	Units  []string // the units it is about
}

func init() {
	addTexts(map[string]Text{
		"step_before":  {Vi: "%d ngày trước hạn", En: "%d days before the due date"},
		"step_due":     {Vi: "ngày đến hạn", En: "the due day"},
		"step_after":   {Vi: "%d ngày sau hạn", En: "%d days after the due date"},
		"step_after1":  {Vi: "1 ngày sau hạn", En: "1 day after the due date"},
		"step_before1": {Vi: "1 ngày trước hạn", En: "1 day before the due date"},
		"step_digest":  {Vi: "tổng hợp gửi lãnh đạo %s", En: "leaders' summary %s"},
	})
}

// StepName names a reminder step as people read it, from its day relative to the due day:
// "7 ngày trước hạn", "ngày đến hạn", "1 ngày sau hạn"; a leaders' summary (digest) is
// "tổng hợp gửi lãnh đạo 1 ngày sau hạn". Step ids ("-7d", "digest+1d") are for the
// configuration only.
func StepName(days int, digest bool, lang Lang) string {
	var s string
	switch {
	case days == -1:
		s = T(lang, "step_before1")
	case days < 0:
		s = T(lang, "step_before", -days)
	case days == 0:
		s = T(lang, "step_due")
	case days == 1:
		s = T(lang, "step_after1")
	default:
		s = T(lang, "step_after", days)
	}
	if digest {
		return T(lang, "step_digest", s)
	}
	return s
}
