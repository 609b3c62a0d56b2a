package flows

import "time"

// Plan is what the reminder schedule will do next, for an admin's /reminders preview: filled in
// by the reminders package, rendered by flows.
type Plan struct {
	Next []PlannedReminder
}

// PlannedReminder is one reminder the schedule would send.
type PlannedReminder struct {
	At     time.Time
	Period string
	Step   string   // the ladder step: "-7d", "due", "+1d", "digest+1d"
	Person string   // person id
	Units  []string // the units it is about
}
