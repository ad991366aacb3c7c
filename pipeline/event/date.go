package event

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// Date is a calendar date that may be partial: a year alone, a year and month, or a full date.
// The zero Date is unknown. Month and Day are zero when not known.
type Date struct {
	Year  int
	Month int
	Day   int
}

// IsZero reports whether the date is unknown.
func (d Date) IsZero() bool { return d.Year == 0 }

// Precision is 0 for an unknown date, 1 for a year, 2 for a year and month, 3 for a full date.
func (d Date) Precision() int {
	switch {
	case d.Year == 0:
		return 0
	case d.Month == 0:
		return 1
	case d.Day == 0:
		return 2
	default:
		return 3
	}
}

// String renders YYYY-MM-DD, YYYY-MM or YYYY; the unknown date renders as "".
func (d Date) String() string {
	switch d.Precision() {
	case 0:
		return ""
	case 1:
		return fmt.Sprintf("%04d", d.Year)
	case 2:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	default:
		return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
	}
}

var errDateSyntax = errors.New("want YYYY, YYYY-MM or YYYY-MM-DD")

// ParseDate parses YYYY, YYYY-MM or YYYY-MM-DD. The empty string is the unknown date.
// The error never repeats the input, which may be personal data.
func ParseDate(s string) (Date, error) {
	if s == "" {
		return Date{}, nil
	}
	num := func(part string) (int, bool) {
		n, err := strconv.Atoi(part)
		return n, err == nil && len(part) > 0 && part[0] != '+' && part[0] != '-'
	}
	var d Date
	var ok bool
	switch len(s) {
	case 4:
		d.Year, ok = num(s)
	case 7:
		if s[4] != '-' {
			return Date{}, errDateSyntax
		}
		var okm bool
		d.Year, ok = num(s[:4])
		d.Month, okm = num(s[5:])
		ok = ok && okm
	case 10:
		if s[4] != '-' || s[7] != '-' {
			return Date{}, errDateSyntax
		}
		var okm, okd bool
		d.Year, ok = num(s[:4])
		d.Month, okm = num(s[5:7])
		d.Day, okd = num(s[8:])
		ok = ok && okm && okd
	default:
		return Date{}, errDateSyntax
	}
	if !ok {
		return Date{}, errDateSyntax
	}
	if d.Year == 0 {
		return Date{}, errors.New("date year out of range 1800-2200")
	}
	if len(s) >= 7 && d.Month == 0 {
		return Date{}, errors.New("date month out of range 1-12")
	}
	if len(s) == 10 && d.Day == 0 {
		return Date{}, errors.New("date day out of range for its month")
	}
	if err := d.Validate(); err != nil {
		return Date{}, err
	}
	return d, nil
}

// Validate reports whether the fields form a real (possibly partial) calendar date.
func (d Date) Validate() error {
	if d.Year == 0 {
		if d.Month != 0 || d.Day != 0 {
			return errors.New("date has a month or day but no year")
		}
		return nil
	}
	if d.Year < 1800 || d.Year > 2200 {
		return errors.New("date year out of range 1800-2200")
	}
	if d.Month < 0 || d.Month > 12 {
		return errors.New("date month out of range 1-12")
	}
	if d.Month == 0 && d.Day != 0 {
		return errors.New("date has a day but no month")
	}
	if d.Day < 0 || d.Day > daysIn(d.Year, d.Month) {
		return errors.New("date day out of range for its month")
	}
	return nil
}

func daysIn(year, month int) int {
	switch month {
	case 0:
		return 0
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	default:
		return 31
	}
}

// MarshalJSON renders the date as a JSON string, or null when unknown.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON accepts a string in one of the ParseDate forms, or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return errors.New("date must be a string")
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}
