package normalize

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// homoglyph maps Cyrillic and Greek capitals that look like Latin letters to the Latin letter,
// for document numbers keyed in with the wrong keyboard layout.
var homoglyph = map[rune]byte{
	'А': 'A', 'В': 'B', 'Е': 'E', 'К': 'K', 'М': 'M', 'Н': 'H', 'О': 'O', 'Р': 'P',
	'С': 'C', 'Т': 'T', 'Х': 'X', 'У': 'Y', 'І': 'I', 'Ј': 'J', 'Ѕ': 'S',
	'Α': 'A', 'Β': 'B', 'Ε': 'E', 'Ζ': 'Z', 'Η': 'H', 'Ι': 'I', 'Κ': 'K', 'Μ': 'M',
	'Ν': 'N', 'Ο': 'O', 'Ρ': 'P', 'Τ': 'T', 'Υ': 'Y', 'Χ': 'X',
}

// DocNumber canonicalises a travel-document number: upper-case ASCII letters and digits only.
// Spaces, dashes, dots, slashes, MRZ fillers '<' and every other character are dropped;
// compatibility forms (full-width digits) are folded by NFKD, diacritics are dropped, and
// Cyrillic or Greek capitals that look like Latin letters become those letters. The result is
// idempotent: DocNumber(DocNumber(s)) == DocNumber(s).
func DocNumber(s string) string {
	if isASCII(s) {
		canonical := true
		for i := 0; i < len(s); i++ {
			c := s[i]
			if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
				canonical = false
				break
			}
		}
		if canonical {
			return s
		}
		b := make([]byte, 0, len(s))
		for i := 0; i < len(s); i++ {
			b = appendDocByte(b, s[i])
		}
		return string(b)
	}
	var b strings.Builder
	for _, r := range norm.NFKD.String(s) {
		if r < utf8.RuneSelf {
			if c := appendDocByte(nil, byte(r)); len(c) == 1 {
				b.WriteByte(c[0])
			}
			continue
		}
		u := r
		if u >= 'а' && u <= 'я' || u >= 'α' && u <= 'ω' || u == 'і' || u == 'ј' || u == 'ѕ' {
			u = toUpperRune(u)
		}
		if c, ok := homoglyph[u]; ok {
			b.WriteByte(c)
		}
	}
	return b.String()
}

func toUpperRune(r rune) rune {
	switch {
	case r >= 'а' && r <= 'я':
		return r - 'а' + 'А'
	case r >= 'α' && r <= 'ω' && r != 'ς':
		return r - 'α' + 'Α'
	case r == 'і':
		return 'І'
	case r == 'ј':
		return 'Ј'
	case r == 'ѕ':
		return 'Ѕ'
	}
	return r
}

func appendDocByte(b []byte, c byte) []byte {
	switch {
	case c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return append(b, c)
	case c >= 'a' && c <= 'z':
		return append(b, c-'a'+'A')
	}
	return b
}

// ocrFold is the OCR-confusion table applied by DocNumberOCR: each letter that OCR engines and
// tired eyes confuse with a digit maps to that digit.
//
//	O Q D → 0    I L → 1    Z → 2    S → 5    G → 6    B → 8
var ocrFold = [256]byte{'O': '0', 'Q': '0', 'D': '0', 'I': '1', 'L': '1', 'Z': '2', 'S': '5', 'G': '6', 'B': '8'}

// OCRFoldByte applies the DocNumberOCR table to one canonical byte.
func OCRFoldByte(c byte) byte {
	if f := ocrFold[c]; f != 0 {
		return f
	}
	return c
}

// DocNumberOCR is DocNumber with OCR-confusable letters mapped to one representative digit
// (O, Q, D → 0; I, L → 1; Z → 2; S → 5; G → 6; B → 8). Two numbers that differ only by such
// confusions have the same DocNumberOCR. Idempotent.
func DocNumberOCR(s string) string {
	c := DocNumber(s)
	for i := 0; i < len(c); i++ {
		if ocrFold[c[i]] != 0 {
			b := []byte(c)
			for j := i; j < len(b); j++ {
				b[j] = OCRFoldByte(b[j])
			}
			return string(b)
		}
	}
	return c
}

// Country upper-cases and trims an ISO 3166 alpha-3 code (white space and MRZ fillers '<'
// around it are dropped). The one-letter ICAO code D, used on German documents, becomes DEU.
// Other ICAO specials (GBD, GBN, UNO, XXA, …) are already three letters and are kept.
func Country(s string) string {
	if len(s) == 3 && upper(s[0]) && upper(s[1]) && upper(s[2]) {
		return s // already canonical: the common case, on every record of an index build
	}
	s = strings.Trim(s, " \t\r\n<")
	if isASCII(s) {
		lower := false
		for i := 0; i < len(s); i++ {
			if s[i] >= 'a' && s[i] <= 'z' {
				lower = true
				break
			}
		}
		if lower {
			s = strings.ToUpper(s)
		}
	} else {
		s = strings.ToUpper(s)
	}
	if s == "D" {
		return "DEU"
	}
	return s
}

func upper(c byte) bool { return c >= 'A' && c <= 'Z' }
