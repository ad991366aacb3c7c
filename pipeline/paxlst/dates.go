package paxlst

import (
	"strconv"
	"time"

	"github.com/watchpost/watchpost/pipeline/edifact"
	"github.com/watchpost/watchpost/pipeline/event"
)

// dateUse says how a two-digit year expands.
type dateUse int

const (
	pastDate dateUse = iota // birth dates: never after the reference date
	nearDate                // expiry and issue dates: within 50 years of it
)

// formatLen is the length of the value for each DTM format code (2379) the decoder reads.
var formatLen = map[string]int{
	"101": 6,  // YYMMDD
	"102": 8,  // CCYYMMDD
	"201": 10, // YYMMDDHHMM
	"203": 12, // CCYYMMDDHHMM
	"204": 14, // CCYYMMDDHHMMSS
	"602": 4,  // CCYY
	"610": 6,  // CCYYMM
}

// inferFormat picks the format for a value sent without a format code.
func inferFormat(n int) string {
	switch n {
	case 4:
		return "602"
	case 6:
		return "101"
	case 8:
		return "102"
	case 10:
		return "201"
	case 12:
		return "203"
	case 14:
		return "204"
	}
	return ""
}

// dtmFormat returns the DTM value and its format, or a located error.
func dtmFormat(s *edifact.Segment) (string, string, *edifact.SyntaxError) {
	v := s.Value(1, 2)
	if v == "" {
		return "", "", s.Errorf("1.2", "the date is missing")
	}
	f := s.Value(1, 3)
	if f == "" {
		f = inferFormat(len(v))
		if f == "" {
			return "", "", s.Errorf("1.2", "the date has no format code (element 1.3) and its length fits none")
		}
	}
	n, ok := formatLen[f]
	if !ok {
		return "", "", s.Errorf("1.3", "the date format code is not one of 101, 102, 201, 203, 204, 602 or 610")
	}
	if len(v) != n {
		return "", "", s.Errorf("1.2", "the date does not have the length its format code requires")
	}
	return v, f, nil
}

// partDigits reads a two-digit month or day that may be unknown (00 or XX).
func partDigits(s string) (int, bool) {
	if s == "XX" || s == "xx" {
		return 0, true
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9'
}

// readDate reads a DTM date that may be partial (month or day 00 or XX: unknown).
func readDate(s *edifact.Segment, use dateUse, ref time.Time) (event.Date, *edifact.SyntaxError) {
	v, f, serr := dtmFormat(s)
	if serr != nil {
		return event.Date{}, serr
	}
	bad := func() (event.Date, *edifact.SyntaxError) {
		return event.Date{}, s.Errorf("1.2", "the date is not a calendar date in its format")
	}
	var d event.Date
	var ok1, ok2, ok3 bool
	switch f {
	case "101", "201":
		yy, err := strconv.Atoi(v[0:2])
		ok1 = err == nil && isDigits(v[0:2])
		d.Month, ok2 = partDigits(v[2:4])
		d.Day, ok3 = partDigits(v[4:6])
		if !ok1 || !ok2 || !ok3 {
			return bad()
		}
		if use == pastDate {
			d.Year = edifact.PastYear(yy, d.Month, d.Day, ref)
		} else {
			d.Year = edifact.NearYear(yy, ref)
		}
	case "102", "203", "204":
		d.Year, ok1 = atoi4(v[0:4])
		d.Month, ok2 = partDigits(v[4:6])
		d.Day, ok3 = partDigits(v[6:8])
	case "610":
		d.Year, ok1 = atoi4(v[0:4])
		d.Month, ok2 = partDigits(v[4:6])
		ok3 = true
	case "602":
		d.Year, ok1 = atoi4(v)
		ok2, ok3 = true, true
	}
	if !ok1 || !ok2 || !ok3 {
		return bad()
	}
	if d.Month == 0 {
		d.Day = 0
	}
	if d.Validate() != nil {
		return bad()
	}
	return d, nil
}

// readTime reads a DTM date and time of a flight or voyage.
func readTime(s *edifact.Segment, ref time.Time) (time.Time, *edifact.SyntaxError) {
	v, f, serr := dtmFormat(s)
	if serr != nil {
		return time.Time{}, serr
	}
	full := v
	switch f {
	case "101", "201":
		if !isDigits(v[0:2]) {
			return time.Time{}, s.Errorf("1.2", "the date is not a calendar date in its format")
		}
		yy, _ := strconv.Atoi(v[0:2])
		full = strconv.Itoa(edifact.NearYear(yy, ref)) + v[2:]
	case "602", "610":
		return time.Time{}, s.Errorf("1.3", "a travel date needs at least a day (format 101, 102, 201, 203 or 204)")
	}
	for len(full) < 14 {
		full += "0"
	}
	if !isDigits(full) {
		return time.Time{}, s.Errorf("1.2", "the date is not a calendar date in its format")
	}
	n := func(i, j int) int { x, _ := strconv.Atoi(full[i:j]); return x }
	t, ok := edifact.MakeTime(n(0, 4), n(4, 6), n(6, 8), n(8, 10), n(10, 12), n(12, 14))
	if !ok {
		return time.Time{}, s.Errorf("1.2", "the date is not a calendar date and time in its format")
	}
	return t, nil
}

func atoi4(s string) (int, bool) {
	if !isDigits(s) {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
