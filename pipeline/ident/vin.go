package ident

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// vinValue is the North American transliteration of VIN characters (49 CFR 565.15): digits
// are their value, letters as below; I, O and Q are not allowed.
var vinValue = [256]int8{
	'A': 1, 'B': 2, 'C': 3, 'D': 4, 'E': 5, 'F': 6, 'G': 7, 'H': 8,
	'J': 1, 'K': 2, 'L': 3, 'M': 4, 'N': 5, 'P': 7, 'R': 9,
	'S': 2, 'T': 3, 'U': 4, 'V': 5, 'W': 6, 'X': 7, 'Y': 8, 'Z': 9,
}

// vinWeights are the position weights of the check digit; position 9 (the digit itself)
// weighs 0.
var vinWeights = [17]int{8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2}

// vinYearCodes are the model-year codes of position 10, from 1980 (A) in a 30-year cycle.
const vinYearCodes = "ABCDEFGHJKLMNPRSTVWXY123456789"

// VINCheckDigit computes the North American check digit of a 17-character VIN: '0'–'9' or
// 'X' for 10. ok is false when the VIN is not 17 characters of the VIN alphabet.
func VINCheckDigit(vin string) (digit byte, ok bool) {
	if len(vin) != 17 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := vin[i]
		var v int
		switch {
		case isDigit(c):
			v = int(c - '0')
		case vinValue[c] != 0:
			v = int(vinValue[c])
		default:
			return 0, false
		}
		sum += v * vinWeights[i]
	}
	if sum%11 == 10 {
		return 'X', true
	}
	return byte('0' + sum%11), true
}

// vinRegion names the region of a world manufacturer identifier's first character.
func vinRegion(c byte) string {
	switch {
	case c >= '1' && c <= '5':
		return "North America"
	case c >= '6' && c <= '7':
		return "Oceania"
	case c >= '8' && c <= '9':
		return "South America"
	case c >= 'A' && c <= 'H':
		return "Africa"
	case c >= 'J' && c <= 'R':
		return "Asia"
	case c >= 'S' && c <= 'Z':
		return "Europe"
	}
	return "unassigned"
}

// VIN validates a vehicle identification number. See the package documentation for what is
// checked. Normalized is upper case without spaces and dashes.
func VIN(s string) Result {
	r := Result{Kind: KindVIN, Input: s, Normalized: clean(s)}
	n := r.Normalized
	length := utf8.RuneCountInString(n)
	switch {
	case length == 17:
		r.add("length", Pass, "17 characters")
	case length < 17:
		r.add("length", Fail, fmt.Sprintf("%d characters, want 17: VINs before 1981 and many chassis numbers are shorter and follow no standard format", length))
	default:
		r.add("length", Fail, fmt.Sprintf("%d characters, want 17", length))
	}

	var bad []string
	i := 0
	for _, c := range n {
		i++
		switch {
		case c == 'I' || c == 'O' || c == 'Q':
			digit := map[rune]string{'I': "1", 'O': "0", 'Q': "0"}[c]
			bad = append(bad, fmt.Sprintf("position %d: %c is never used in VINs (may be %s)", i, c, digit))
		case c < utf8.RuneSelf && (isDigit(byte(c)) || isLetter(byte(c))):
		default:
			bad = append(bad, fmt.Sprintf("position %d: not a letter or digit", i))
		}
	}
	switch {
	case len(bad) > 3:
		r.add("alphabet", Fail, strings.Join(bad[:3], ", ")+fmt.Sprintf(" and %d more", len(bad)-3))
	case len(bad) > 0:
		r.add("alphabet", Fail, strings.Join(bad, ", "))
	case n != "":
		r.add("alphabet", Pass, "digits and A-Z without I, O, Q")
	default:
		r.add("alphabet", Fail, "empty")
	}

	if length != 17 || len(bad) > 0 {
		r.add("check_digit", NotApplicable, "not computed: the length or alphabet is wrong")
		return r.finish()
	}
	region := vinRegion(n[0])
	r.field("wmi", n[0:3])
	r.field("vds", n[3:9])
	r.field("vis", n[9:17])
	r.field("region", region)
	if region != "North America" {
		r.add("check_digit", NotApplicable, fmt.Sprintf("the position-9 check digit is mandatory only for North American VINs (WMI 1-5); this WMI is from %s", region))
		return r.finish()
	}
	want, _ := VINCheckDigit(n)
	if n[8] == want {
		r.add("check_digit", Pass, fmt.Sprintf("position 9 is %c as computed", want))
	} else {
		r.add("check_digit", Fail, fmt.Sprintf("position 9 is %c, computed %c", n[8], want))
	}
	// 49 CFR 565.15: position 10 is the model year, never I, O, Q, U, Z or 0.
	if y := strings.IndexByte(vinYearCodes, n[9]); y >= 0 {
		years := fmt.Sprintf("%d or %d", 1980+y, 2010+y)
		r.field("model_year", years)
		r.add("model_year", Pass, "position 10 is a model-year code: "+years)
	} else {
		r.add("model_year", Fail, fmt.Sprintf("position 10 is %c, which is not a model-year code (never U, Z or 0)", n[9]))
	}
	return r.finish()
}
