package flows

import "time"

// Plan is what the reminder schedule will do next, for an admin's /reminders preview: filled in
// by the reminders package, rendered by flows.
type Plan struct {
	Next []PlannedReminder
	// Ladder lists every step of the year's periods with the moment it goes, for /calendar.
	Ladder []PlannedStep
}

// PlannedStep is one step of a period's reminder ladder and when it goes, sending hours,
// skipped weekdays and holidays applied.
type PlannedStep struct {
	Period string
	Step   string
	At     time.Time
	Digest bool
}

// PlannedReminder is one reminder the schedule would send.
type PlannedReminder struct {
	At     time.Time
	Period string
	Step   string   // the ladder step: "-7d", "due", "+1d", "digest+1d"
	Person string   // person id
	Units  []string // the units it is about
}
