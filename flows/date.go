package flows

import (
	"fmt"
	"time"
)

// Date is a day of the calendar, written "2025-07-01" in files: when a place or unit of the
// directory comes into force or ends. The zero Date is "not set" (open-ended).
type Date int32

// ParseDate reads "yyyy-mm-dd".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a date written yyyy-mm-dd (2025-07-01)", s)
	}
	return DateOf(t), nil
}

// DateOf is the day t falls on in its own time zone: a period's due time in Asia/Ho_Chi_Minh
// gives the Vietnamese day.
func DateOf(t time.Time) Date {
	return Date(t.Year()*10000 + int(t.Month())*100 + t.Day())
}

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d == 0 }

// Time is d's midnight in UTC.
func (d Date) Time() time.Time {
	return time.Date(int(d)/10000, time.Month(int(d)/100%100), int(d)%100, 0, 0, 0, 0, time.UTC)
}

// next is the day after d.
func (d Date) next() Date { return DateOf(d.Time().AddDate(0, 0, 1)) }

// prev is the day before d.
func (d Date) prev() Date { return DateOf(d.Time().AddDate(0, 0, -1)) }

// String writes d as "2025-07-01", "" when unset.
func (d Date) String() string {
	if d == 0 {
		return ""
	}
	return d.Time().Format(time.DateOnly)
}

// MarshalText writes d for YAML and JSON.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads "2025-07-01"; an empty text is the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = 0
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// span is when a node is in force, both days included; a zero end is open.
type span struct{ from, to Date }

// has reports whether day lies in s.
func (s span) has(day Date) bool {
	return (s.from == 0 || day >= s.from) && (s.to == 0 || day <= s.to)
}

// within narrows s to the part that also lies in outer: a place's dates bound everything below.
func (s span) within(outer span) span {
	if outer.from != 0 && (s.from == 0 || s.from < outer.from) {
		s.from = outer.from
	}
	if outer.to != 0 && (s.to == 0 || s.to > outer.to) {
		s.to = outer.to
	}
	return s
}
