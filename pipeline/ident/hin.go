package ident

import (
	"fmt"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"
)

// HIN validates a hull identification number: the twelve characters of 33 CFR 181.25 (and
// of the ISO 10087 craft identification number), optionally after a two-letter country
// prefix such as "US-" or "FR-". See the package documentation for what is checked.
// Normalized is the twelve characters, after "CC-" when a country prefix was given (with or
// without its hyphen); Fields["hin"] holds the twelve characters alone, the key to match on
// across prefixed and bare forms, and Fields["country"] the prefix.
func HIN(s string) Result {
	n := clean(s)
	r := Result{Kind: KindHIN, Input: s, Normalized: n}
	length := utf8.RuneCountInString(n)
	country := ""
	if length == 14 && isLetter(n[0]) && isLetter(n[1]) {
		country, n = n[:2], n[2:]
		length = 12
		r.Normalized = country + "-" + n
	}
	if length != 12 {
		r.add("length", Fail, fmt.Sprintf("%d characters, want 12, or 14 with a two-letter country prefix (boats built before November 1972 have no standard HIN)", length))
		r.add("format", NotApplicable, "not checked: the length is wrong")
		return r.finish()
	}
	r.add("length", Pass, "12 characters")
	r.field("hin", n)
	if len(n) != 12 { // not all ASCII
		i := 0
		for _, c := range n {
			i++
			if c >= utf8.RuneSelf {
				break
			}
		}
		r.add("format", Fail, fmt.Sprintf("position %d: not a letter or digit", i))
		return r.finish()
	}

	if country == "" {
		r.add("country", NotApplicable, "no country prefix")
	} else if reg, err := language.ParseRegion(country); err == nil && reg.IsCountry() && !reg.IsPrivateUse() && reg.ISO3() != "ZZZ" {
		r.field("country", country)
		r.add("country", Pass, "ISO 3166-1 alpha-2 prefix "+country)
	} else {
		r.add("country", Fail, "the two-letter prefix is not an ISO 3166-1 alpha-2 country code")
	}

	mic, serial, date := n[0:3], n[3:8], n[8:12]
	if pos := firstNot(mic, func(c byte) bool { return isLetter(c) || isDigit(c) }); pos >= 0 {
		r.add("manufacturer", Fail, fmt.Sprintf("position %d: the manufacturer identification code takes letters and digits only", pos+1))
	} else {
		r.field("manufacturer", mic)
		r.add("manufacturer", Pass, "manufacturer identification code "+mic)
	}
	if pos := firstNot(serial, func(c byte) bool { return (isLetter(c) || isDigit(c)) && c != 'I' && c != 'O' && c != 'Q' }); pos >= 0 {
		r.add("serial", Fail, fmt.Sprintf("position %d: the serial takes letters and digits except I, O and Q", pos+4))
	} else {
		r.field("serial", serial)
		r.add("serial", Pass, "letters and digits without I, O, Q")
	}
	hinDate(&r, date)
	return r.finish()
}

// hinDate checks positions 9–12 in either date format.
func hinDate(r *Result, d string) {
	switch {
	case d[0] >= 'A' && d[0] <= 'L' && isDigit(d[1]) && isDigit(d[2]) && isDigit(d[3]):
		// Model-year format, in use since August 1984 (first model year 1985).
		month := time.Month(d[0]-'A') + 1
		yy := int(d[2]-'0')*10 + int(d[3]-'0')
		modelYear := 2000 + yy
		if yy >= 85 {
			modelYear = 1900 + yy
		}
		var produced int
		switch int(d[1] - '0') {
		case modelYear % 10:
			produced = modelYear
		case (modelYear + 9) % 10:
			produced = modelYear - 1
		default:
			r.add("date", Fail, fmt.Sprintf("model-year format: production year digit %c is neither the model year's last digit nor the year before's", d[1]))
			return
		}
		r.field("date_format", "model-year")
		r.field("production_month", fmt.Sprintf("%04d-%02d", produced, int(month)))
		r.field("model_year", fmt.Sprint(modelYear))
		r.add("date", Pass, fmt.Sprintf("model-year format: produced %s %d, model year %d", month, produced, modelYear))
	case d[0] == 'M' && isDigit(d[1]) && isDigit(d[2]) && d[3] >= 'A' && d[3] <= 'L':
		// Straight-year format, November 1972 to July 1984.
		yy := int(d[1]-'0')*10 + int(d[2]-'0')
		if yy < 72 || yy > 84 {
			r.add("date", Fail, "straight-year format (M, year, month) was used only for model years 1972 to 1984")
			return
		}
		month := time.Month(d[3]-'A') + 1
		r.field("date_format", "straight-year")
		r.field("model_year", fmt.Sprint(1900+yy))
		r.add("date", Pass, fmt.Sprintf("straight-year format: model year %d, month %s", 1900+yy, month))
	default:
		r.add("date", Fail, "positions 9-12 are neither the model-year format (month A-L, production-year digit, two model-year digits) nor the 1972-1984 straight-year format (M, two year digits, month A-L)")
	}
}

// firstNot returns the index of the first byte of s that fails ok, or -1.
func firstNot(s string, ok func(byte) bool) int {
	for i := 0; i < len(s); i++ {
		if !ok(s[i]) {
			return i
		}
	}
	return -1
}
