package flows

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// PeriodKind names a reporting period within a year.
type PeriodKind string

// The four reporting periods of section III.3 of the plan.
const (
	Q1   PeriodKind = "Q1" // first quarter
	H1   PeriodKind = "H1" // six months
	Q3   PeriodKind = "Q3" // nine months
	Year PeriodKind = "Y"  // the whole year
)

// MonthDay is a day in the year, written "15/03" in files.
type MonthDay struct {
	Month time.Month
	Day   int
}

// ParseMonthDay reads "dd/mm".
func ParseMonthDay(s string) (MonthDay, error) {
	d, m, ok := strings.Cut(strings.TrimSpace(s), "/")
	day, err1 := strconv.Atoi(d)
	mon, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || mon < 1 || mon > 12 || day < 1 || day > 31 {
		return MonthDay{}, fmt.Errorf("%q is not a day of the year written dd/mm", s)
	}
	return MonthDay{Month: time.Month(mon), Day: day}, nil
}

// String writes md as "dd/mm".
func (md MonthDay) String() string { return fmt.Sprintf("%02d/%02d", md.Day, int(md.Month)) }

// PeriodSpec is one period of the yearly calendar.
type PeriodSpec struct {
	Kind PeriodKind
	Name Text
	Due  MonthDay
	// OpenDays and CloseDays bound the reporting window around the due date: the period can be
	// reported from OpenDays before Due until CloseDays after it, when its drafts are dropped.
	OpenDays, CloseDays int
}

// Calendar is the yearly reporting calendar, in one time zone (Asia/Ho_Chi_Minh).
type Calendar struct {
	Specs []PeriodSpec
	Loc   *time.Location
}

// Period is one reporting period of one year.
type Period struct {
	ID     string // "2026-Q1"
	Kind   PeriodKind
	Year   int
	Name   Text
	Opens  time.Time
	Due    time.Time // end of the due day
	Closes time.Time
}

// Label names p as officials write it: "Quý I năm 2026", "6 tháng đầu năm 2026", "9 tháng năm
// 2026", "Năm 2026"; in English "Q1 2026". The calendar names the period without its year, and
// the year is joined with "năm" unless the name already ends in it.
func (p Period) Label(lang Lang) string {
	if lang == EN && p.Name.En != "" {
		return fmt.Sprintf("%s %d", p.Name.En, p.Year)
	}
	name := strings.TrimSpace(p.Name.Vi)
	if f := strings.Fields(name); len(f) > 0 && strings.EqualFold(f[len(f)-1], "năm") {
		return fmt.Sprintf("%s %d", name, p.Year)
	}
	return fmt.Sprintf("%s năm %d", name, p.Year)
}

// Make returns the period of spec s in year.
func (c Calendar) Make(s PeriodSpec, year int) Period {
	loc := c.Loc
	if loc == nil {
		loc = time.UTC
	}
	due := time.Date(year, s.Due.Month, s.Due.Day, 23, 59, 59, 0, loc)
	return Period{
		ID: fmt.Sprintf("%d-%s", year, s.Kind), Kind: s.Kind, Year: year, Name: s.Name,
		Opens:  due.AddDate(0, 0, -s.OpenDays).Truncate(time.Second),
		Due:    due,
		Closes: due.AddDate(0, 0, s.CloseDays),
	}
}

// Period returns the period with id ("2026-Q1").
func (c Calendar) Period(id string) (Period, bool) {
	y, k, ok := strings.Cut(id, "-")
	year, err := strconv.Atoi(y)
	if !ok || err != nil {
		return Period{}, false
	}
	for _, s := range c.Specs {
		if string(s.Kind) == k {
			return c.Make(s, year), true
		}
	}
	return Period{}, false
}

// Open returns the periods that can be reported at now, the most recently opened first.
func (c Calendar) Open(now time.Time) []Period {
	var out []Period
	for y := now.Year() - 1; y <= now.Year()+1; y++ {
		for _, s := range c.Specs {
			p := c.Make(s, y)
			if !now.Before(p.Opens) && now.Before(p.Closes) {
				out = append(out, p)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Opens.After(out[j].Opens) })
	return out
}

// Previous returns the period reported just before p (the Year before Q1), for "keep last
// period's value" and the soft-change check.
func (c Calendar) Previous(p Period) (Period, bool) {
	var best Period
	found := false
	for y := p.Year - 1; y <= p.Year; y++ {
		for _, s := range c.Specs {
			q := c.Make(s, y)
			if q.Due.Before(p.Due) && (!found || q.Due.After(best.Due)) {
				best, found = q, true
			}
		}
	}
	return best, found
}
