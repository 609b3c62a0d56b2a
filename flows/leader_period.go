package flows

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// DefaultPeriod is the period a leader most likely means at now: of the open periods, the one
// most recently due; when none is due yet, the open one due first; when none is open, the one
// most recently due.
func (c Calendar) DefaultPeriod(now time.Time) (Period, bool) {
	var best Period
	found := false
	for _, p := range c.Open(now) {
		if !p.Due.After(now) && (!found || p.Due.After(best.Due)) {
			best, found = p, true
		}
	}
	if found {
		return best, true
	}
	for _, p := range c.Open(now) {
		if !found || p.Due.Before(best.Due) {
			best, found = p, true
		}
	}
	if found {
		return best, true
	}
	for y := now.Year() - 1; y <= now.Year(); y++ {
		for _, s := range c.Specs {
			p := c.Make(s, y)
			if !p.Due.After(now) && (!found || p.Due.After(best.Due)) {
				best, found = p, true
			}
		}
	}
	return best, found
}

var yearRe = regexp.MustCompile(`\b(20\d\d)\b`)

// periodWords maps what people type for a period, without its year, to its kind.
var periodWords = map[string]PeriodKind{
	"q1": Q1, "quý 1": Q1, "quý i": Q1, "quy 1": Q1, "quy i": Q1, "quarter 1": Q1, "quarter i": Q1,
	"h1": H1, "6 tháng": H1, "6 thang": H1, "sáu tháng": H1, "6 tháng đầu": H1, "6 thang dau": H1,
	"sáu tháng đầu": H1, "6 months": H1, "6m": H1, "first half": H1,
	"q3": Q3, "9 tháng": Q3, "9 thang": Q3, "chín tháng": Q3, "9 months": Q3, "9m": Q3, "nine months": Q3,
	"y": Year, "năm": Year, "nam": Year, "cả năm": Year, "year": Year,
}

// ParsePeriod reads what a leader typed for a period: "2026-Q1", "Q1", "quý 1", "q1/2026",
// "6 tháng", "năm 2025", "2025" (the year), and every label the bot writes typed back ("Quý I
// năm 2026", "6 tháng đầu năm 2026", "Q1 2026"). Empty means the default period. Without a
// year it is the latest such period that has opened by now.
func (c Calendar) ParsePeriod(s string, now time.Time) (Period, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return c.DefaultPeriod(now)
	}
	if p, ok := c.Period(strings.ToUpper(s)); ok {
		return p, true
	}
	year := 0
	if m := yearRe.FindStringSubmatch(s); m != nil {
		year, _ = strconv.Atoi(m[1])
		s = yearRe.ReplaceAllString(s, "")
	}
	s = strings.TrimSpace(strings.Trim(strings.TrimSpace(strings.TrimPrefix(s, "kỳ")), "/-"))
	kind, ok := c.kindOf(strings.Join(strings.Fields(s), " "))
	if s == "" && year > 0 {
		kind, ok = Year, true
	}
	if !ok {
		return Period{}, false
	}
	return c.periodOf(kind, year, now)
}

// kindOf reads a period's name without its year: one of periodWords or a name of the calendar,
// with the "năm" or "of" a label joins the year with ("quý i năm", "first half of").
func (c Calendar) kindOf(s string) (PeriodKind, bool) {
	for _, w := range []string{s, strings.TrimSuffix(s, " năm"), strings.TrimSuffix(s, " nam"), strings.TrimSuffix(s, " of")} {
		if k, ok := periodWords[w]; ok {
			return k, true
		}
		for _, sp := range c.Specs {
			for _, n := range []string{sp.Name.Vi, sp.Name.En} {
				if n != "" && strings.EqualFold(strings.Join(strings.Fields(n), " "), w) {
					return sp.Kind, true
				}
			}
		}
	}
	return "", false
}

// periodOf returns the period of kind in year; year 0 means the latest one opened by now.
func (c Calendar) periodOf(kind PeriodKind, year int, now time.Time) (Period, bool) {
	for _, spec := range c.Specs {
		if spec.Kind != kind {
			continue
		}
		if year > 0 {
			return c.Make(spec, year), true
		}
		p := c.Make(spec, now.Year())
		if p.Opens.After(now) {
			p = c.Make(spec, now.Year()-1)
		}
		return p, true
	}
	return Period{}, false
}

// sameLastYear returns the period of p's kind a year earlier.
func (c Calendar) sameLastYear(p Period) (Period, bool) {
	return c.periodOf(p.Kind, p.Year-1, time.Time{})
}

// Compared lists the earlier periods a figures view compares p with: the period before, then
// the same period last year, where the calendar has them. Their tallies are what the store
// recounts at start besides the open periods, so a changed directory shows in the trend too.
func (c Calendar) Compared(p Period) []Period {
	var out []Period
	if prev, ok := c.Previous(p); ok {
		out = append(out, prev)
	}
	if last, ok := c.sameLastYear(p); ok && (len(out) == 0 || last.ID != out[0].ID) {
		out = append(out, last)
	}
	return out
}
