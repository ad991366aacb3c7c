package mrz

// charValue is the ICAO 9303 value of an MRZ character for check digits: digits are their
// value, A–Z are 10–35 and the filler '<' is 0. ok is false outside the MRZ alphabet.
func charValue(c byte) (v int, ok bool) {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0'), true
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10, true
	case c == '<':
		return 0, true
	}
	return 0, false
}

// weights is the repeating 7-3-1 weighting of ICAO 9303 Part 3, section 4.9.
var weights = [3]int{7, 3, 1}

// CheckDigit returns the ICAO 9303 check digit ('0'–'9') of s: each character's value
// (0–9, A=10 … Z=35, '<'=0) times 7, 3, 1, 7, 3, 1, …, summed, modulo 10. ok is false when s
// holds a character outside A–Z, 0–9 and '<'.
func CheckDigit(s string) (digit byte, ok bool) {
	sum := 0
	for i := 0; i < len(s); i++ {
		v, ok := charValue(s[i])
		if !ok {
			return 0, false
		}
		sum += v * weights[i%3]
	}
	return byte('0' + sum%10), true
}
