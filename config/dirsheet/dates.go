package dirsheet

import (
	"regexp"
	"strconv"
	"time"

	"danvan/flows"
)

// dayFirst is a date as Vietnamese write it: day, month, four-digit year, separated by / - or .
var dayFirst = regexp.MustCompile(`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$`)

// parseDate reads a date cell: dd/mm/yyyy (also with - or .), yyyy-mm-dd, or the serial number
// of a workbook's date cell formatted as a plain number. A two-digit year is refused: it could
// be either century, and Excel's default format shows the month first.
func parseDate(s string) (flows.Date, bool) {
	if d, err := flows.ParseDate(s); err == nil {
		return d, true
	}
	if m := dayFirst.FindStringSubmatch(s); m != nil {
		day, _ := strconv.Atoi(m[1])
		month, _ := strconv.Atoi(m[2])
		year, _ := strconv.Atoi(m[3])
		t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
		if t.Day() != day || int(t.Month()) != month {
			return 0, false // 31/02: Go would move it into March
		}
		return flows.DateOf(t), true
	}
	return serialDate(s)
}

// serialDate reads Excel's serial number of a day (days since 30 December 1899), within the
// years 1955–2100 so that no other number passes for one.
func serialDate(s string) (flows.Date, bool) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 20000 || f > 73415 {
		return 0, false
	}
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	return flows.DateOf(base.AddDate(0, 0, int(f))), true
}

// showDate writes d as the sheet does: 01/07/2025.
func showDate(d flows.Date) string {
	if d == 0 {
		return ""
	}
	return d.Time().Format("02/01/2006")
}
