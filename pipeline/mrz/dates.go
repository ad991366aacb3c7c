package mrz

import (
	"time"

	"github.com/watchpost/watchpost/pipeline/event"
)

// dateKind says how the century of a two-digit year is chosen.
type dateKind int

const (
	// birthDate: the latest century that does not put the date after the reference date.
	birthDate dateKind = iota
	// expiryDate: the century that puts the year within 50 years either side of the
	// reference year.
	expiryDate
)

// expiryWindow is how far, in years, an expiry year may lie from the reference year.
const expiryWindow = 50

// pair reads two characters of a YYMMDD field: a number, unknown ("<<"), or neither.
func pair(s string) (n int, unknown, ok bool) {
	switch {
	case s == "<<":
		return 0, true, true
	case s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9':
		return int(s[0]-'0')*10 + int(s[1]-'0'), false, true
	}
	return 0, false, false
}

// parseDate reads an MRZ date (YYMMDD, with "<<" for an unknown year, month or day) and
// infers its century from ref. It never guesses past what the field says: a field that is
// not a date gives the unknown date and a problem, and a month or day that is out of range
// is dropped (the date becomes partial) with a problem. problem never repeats the digits.
func parseDate(field string, kind dateKind, ref time.Time) (d event.Date, problem string) {
	yy, yUnknown, yOK := pair(field[0:2])
	mm, mUnknown, mOK := pair(field[2:4])
	dd, dUnknown, dOK := pair(field[4:6])
	switch {
	case !yOK || !mOK || !dOK:
		return event.Date{}, "not a date: each of YY, MM and DD must be two digits or \"<<\""
	case yUnknown && mUnknown && dUnknown:
		return event.Date{}, ""
	case yUnknown:
		return event.Date{}, "month or day given without a year: date taken as unknown"
	}
	refY, refM, refD := ref.Date()
	year := refY/100*100 + yy
	switch kind {
	case birthDate:
		// Compare at the precision the field has; a later date belongs to the last century.
		after := year > refY
		if year == refY && !mUnknown {
			after = mm > int(refM) || (mm == int(refM) && !dUnknown && dd > refD)
		}
		if after {
			year -= 100
		}
	case expiryDate:
		switch {
		case year < refY-expiryWindow:
			year += 100
		case year >= refY+expiryWindow:
			year -= 100
		}
	}
	d = event.Date{Year: year}
	if d.Validate() != nil {
		return event.Date{}, "year out of range 1800-2200 for the reference date"
	}
	switch {
	case mUnknown && !dUnknown:
		return d, "day given without a month: only the year is kept"
	case mUnknown:
		return d, ""
	case mm < 1 || mm > 12:
		return d, "month out of range 01-12: only the year is kept"
	}
	d.Month = mm
	if dUnknown {
		return d, ""
	}
	d.Day = dd
	if d.Validate() != nil {
		d.Day = 0
		return d, "day out of range for its month: only the year and month are kept"
	}
	return d, ""
}
