package config

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"danvan/flows"
)

func TestRemindersDefaults(t *testing.T) {
	r := Default().Reminders
	start, end := r.Window()
	if start != 7*time.Hour+30*time.Minute || end != 20*time.Hour {
		t.Errorf("window: got %v–%v, want 7h30m–20h", start, end)
	}
	if got, want := r.Weekdays(), []time.Weekday{time.Sunday}; !slices.Equal(got, want) {
		t.Errorf("weekdays: got %v, want %v", got, want)
	}
	days := r.HolidayDates()
	if !slices.Contains(days, "2026-02-17") || slices.Contains(days, "2026-02-23") {
		t.Errorf("holidays: got %v, want Tết 2026-02-14..22 spelled out", days)
	}
	if got, want := r.Ladder[2].Clock(), 7*time.Hour+30*time.Minute; got != want {
		t.Errorf("due step at: got %v, want %v", got, want)
	}
}

func TestRemindersValidateNamesField(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(r *RemindersConfig)
		field string
	}{
		{"no ladder", func(r *RemindersConfig) { r.Ladder = nil }, "reminders.ladder"},
		{"bad at", func(r *RemindersConfig) { r.Ladder[1].At = "8h" }, "reminders.ladder[1].at"},
		{"duplicate id", func(r *RemindersConfig) { r.Ladder[2].ID = "-7d" }, "reminders.ladder[2].id"},
		{"far step", func(r *RemindersConfig) { r.Ladder[0].Days = -90 }, "reminders.ladder[0].days"},
		{"hours reversed", func(r *RemindersConfig) { r.Hours = "20:00-07:30" }, "reminders.hours"},
		{"weekday", func(r *RemindersConfig) { r.SkipWeekdays = []string{"chủ nhật"} }, "reminders.skip_weekdays[0]"},
		{"holiday", func(r *RemindersConfig) { r.Holidays = []string{"17/02/2026"} }, "reminders.holidays[0]"},
		{"rate", func(r *RemindersConfig) { r.Rate = 100 }, "reminders.rate"},
		{"rate without headroom", func(r *RemindersConfig) { r.Rate = 30 }, "reminders.rate"},
		{"unknown period", func(r *RemindersConfig) { r.Periods = map[flows.PeriodKind]PeriodReminders{"Q2": {Ladder: r.Ladder}} }, "reminders.periods.Q2"},
		{"period ladder empty", func(r *RemindersConfig) { r.Periods = map[flows.PeriodKind]PeriodReminders{flows.Year: {}} }, "reminders.periods.Y.ladder"},
		{"period bad at", func(r *RemindersConfig) {
			r.Periods = map[flows.PeriodKind]PeriodReminders{flows.Year: {Ladder: []StepConfig{{ID: "-14d", Days: -14, At: "8h"}}}}
		}, "reminders.periods.Y.ladder[0].at"},
		{"period duplicate id", func(r *RemindersConfig) {
			r.Periods = map[flows.PeriodKind]PeriodReminders{flows.H1: {Ladder: []StepConfig{{ID: "x", At: "08:00"}, {ID: "x", At: "09:00"}}}}
		}, "reminders.periods.H1.ladder[1].id"},
		{"lease", func(r *RemindersConfig) { r.Lease = time.Second }, "reminders.lease"},
		{"tick", func(r *RemindersConfig) { r.Tick = "" }, "reminders.tick"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Default()
			c.Reminders.Ladder = slices.Clone(c.Reminders.Ladder)
			tt.edit(&c.Reminders)
			var fields []string
			for _, fe := range fieldErrors(c.Validate()) {
				fields = append(fields, fe.Field)
			}
			if !slices.Contains(fields, tt.field) {
				t.Errorf("fields: got %v, want %v among them", fields, tt.field)
			}
		})
	}
}

// TestRemindersPeriodLadder: a file gives the Year a ladder of its own; the other periods keep
// the section's default ladder.
func TestRemindersPeriodLadder(t *testing.T) {
	r := mustLoad(t, []string{"-config", testdata("reminders_periods.yaml")}, nil).Reminders
	tests := []struct {
		kind  flows.PeriodKind
		first string
		n     int
	}{
		{flows.Year, "-14d", 4},
		{flows.Q1, "-7d", 3},
		{flows.H1, "-7d", 3},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			got := r.LadderFor(tt.kind)
			if len(got) != tt.n || got[0].ID != tt.first {
				t.Errorf("LadderFor(%s): got %d steps from %q, want %d from %q", tt.kind, len(got), got[0].ID, tt.n, tt.first)
			}
		})
	}
}

// TestRemindersPeriodErrorLine: a bad step of a period's ladder is reported at its line.
func TestRemindersPeriodErrorLine(t *testing.T) {
	c := mustLoad(t, []string{"-config", testdata("reminders_periods.yaml")}, nil)
	c.Reminders.Periods[flows.Year].Ladder[0].Days = -90
	var got string
	for _, fe := range fieldErrors(c.Validate()) {
		if fe.Field == "reminders.periods.Y.ladder[0].days" {
			got = fe.Source
		}
	}
	if want := fmt.Sprintf("%s:%d", testdata("reminders_periods.yaml"), mustLine(t, "reminders_periods.yaml", `"-14d"`)); got != want {
		t.Errorf("source: got %q, want %q", got, want)
	}
}
