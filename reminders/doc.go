// Package reminders will chase the organisers who have not reported before each quarterly,
// six-monthly and yearly deadline (section III.3 of the plan), and escalate to leaders after it.
//
// It is empty in the foundation: the calendar of periods already lives in flows.Calendar, and
// the cron jobs (robfig/cron v3) and their exactly-once sending come with the reminders issue.
package reminders
