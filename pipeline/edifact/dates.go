package edifact

import "time"

// MakeTime builds a UTC wall-clock time and reports whether the fields form a real date and
// time of day (no normalisation: 31 April is not 1 May).
func MakeTime(y, mo, d, h, mi, s int) (time.Time, bool) {
	if y < 1 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, s, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

// PastYear expands a two-digit year of a date that cannot be after ref, such as a birth date:
// the latest year ending in yy whose month and day (0 when unknown) are not after ref.
func PastYear(yy, month, day int, ref time.Time) int {
	y := ref.Year() - ((ref.Year()-yy)%100+100)%100
	if y == ref.Year() && (month > int(ref.Month()) || month == int(ref.Month()) && day > ref.Day()) {
		y -= 100
	}
	return y
}

// NearYear expands a two-digit year of a date near ref, such as a travel date or a document
// expiry: the year ending in yy within 50 years before or 49 after ref.
func NearYear(yy int, ref time.Time) int {
	y := ref.Year() - ((ref.Year()-yy)%100+100)%100 // latest year <= ref ending in yy
	if ref.Year()-y > 50 {
		y += 100
	}
	return y
}
