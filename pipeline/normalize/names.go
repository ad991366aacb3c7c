package normalize

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// translit maps upper-case letters that NFKD does not decompose to their ICAO 9303 Latin
// transliteration. Lower-case letters reach this table after unicode.ToUpper; the few that
// have no simple upper-case mapping (ß, ĸ) are listed in both cases.
var translit = map[rune]string{
	// Latin specials (ICAO 9303 Part 3, Table A).
	'Æ': "AE", 'Ø': "OE", 'ß': "SS", 'ẞ': "SS", 'Þ': "TH", 'Ð': "D", 'Đ': "D", 'Ł': "L",
	'Œ': "OE", 'Ħ': "H", 'Ŋ': "N", 'ı': "I", 'ĸ': "K", 'Ŧ': "T", 'Ŀ': "L", 'Ɨ': "I",
	// Cyrillic (ICAO 9303 Part 3, Table B). Й, Ё, Ї, Ў decompose under NFKD and arrive
	// here as И, Е, І, У.
	'А': "A", 'Б': "B", 'В': "V", 'Г': "G", 'Ґ': "G", 'Д': "D", 'Е': "E", 'Є': "IE",
	'Ж': "ZH", 'З': "Z", 'И': "I", 'І': "I", 'К': "K", 'Л': "L", 'М': "M", 'Н': "N",
	'О': "O", 'П': "P", 'Р': "R", 'С': "S", 'Т': "T", 'У': "U", 'Ф': "F", 'Х': "KH",
	'Ц': "TS", 'Ч': "CH", 'Ш': "SH", 'Щ': "SHCH", 'Ъ': "IE", 'Ы': "Y", 'Ь': "", 'Э': "E",
	'Ю': "IU", 'Я': "IA", 'Ђ': "D", 'Ј': "J", 'Љ': "LJ", 'Њ': "NJ", 'Ћ': "C", 'Џ': "DZ",
	'Ѕ': "DZ",
	// Greek (ICAO 9303 Part 3, Table C).
	'Α': "A", 'Β': "V", 'Γ': "G", 'Δ': "D", 'Ε': "E", 'Ζ': "Z", 'Η': "I", 'Θ': "TH",
	'Ι': "I", 'Κ': "K", 'Λ': "L", 'Μ': "M", 'Ν': "N", 'Ξ': "X", 'Ο': "O", 'Π': "P",
	'Ρ': "R", 'Σ': "S", 'Τ': "T", 'Υ': "Y", 'Φ': "F", 'Χ': "CH", 'Ψ': "PS", 'Ω': "O",
}

// isApostrophe reports whether r is dropped without separating: the MRZ writes D'ARTAGNAN as
// DARTAGNAN.
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '`', '´', 'ʼ', 'ʻ', '‘', '’', 'ʹ':
		return true
	}
	return false
}

// NameTokens folds a name for matching and returns its tokens in order: Unicode NFKD,
// diacritics stripped, ICAO 9303 transliteration of Latin specials (Æ→AE, Ø→OE, ß→SS, Þ→TH,
// Ł→L, …) and of Cyrillic and Greek, upper-case. Punctuation, hyphens, white space and the
// MRZ filler '<' separate tokens; apostrophes are dropped without separating. Letters of
// scripts without a transliteration table (Arabic, Hebrew, CJK, …) are kept, upper-cased.
//
// Joining the tokens with spaces and folding again yields the same tokens (idempotent).
func NameTokens(s string) []string {
	if isASCII(s) {
		return asciiTokens(s)
	}
	var f folder
	for _, r := range norm.NFKD.String(s) {
		f.rune(r, 0)
	}
	f.flush()
	return f.toks
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// asciiTokens is the allocation-lean path for the common all-ASCII name.
func asciiTokens(s string) []string {
	var toks []string
	var buf []byte
	start, clean := -1, true // clean: s[start:i] is already canonical and can be sliced
	flush := func(end int) {
		if start < 0 {
			return
		}
		if clean {
			toks = append(toks, s[start:end])
		} else if len(buf) > 0 {
			toks = append(toks, string(buf))
		}
		start, clean, buf = -1, true, buf[:0]
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
			if start < 0 {
				start = i
			}
			if !clean {
				buf = append(buf, c)
			}
		case c >= 'a' && c <= 'z':
			if start < 0 {
				start = i
			}
			if clean {
				clean = false
				buf = append(buf[:0], s[start:i]...)
			}
			buf = append(buf, c-'a'+'A')
		case c == '\'' || c == '`':
			if start >= 0 && clean {
				clean = false
				buf = append(buf[:0], s[start:i]...)
			}
		default:
			flush(i)
		}
	}
	flush(len(s))
	return toks
}

// folder accumulates tokens from NFKD-decomposed runes.
type folder struct {
	cur   []byte
	toks  []string
	prevU rune // the previous upper-cased letter, for the Greek digraph ΟΥ → OU
}

func (f *folder) flush() {
	if len(f.cur) > 0 {
		f.toks = append(f.toks, string(f.cur))
		f.cur = f.cur[:0]
	}
}

// rune folds one decomposed rune. depth bounds the re-decomposition of upper-case forms.
func (f *folder) rune(r rune, depth int) {
	if unicode.Is(unicode.Mn, r) || isApostrophe(r) {
		return
	}
	u := unicode.ToUpper(r)
	if u < utf8.RuneSelf {
		f.prevU = u
		switch {
		case u >= 'A' && u <= 'Z', u >= '0' && u <= '9':
			f.cur = append(f.cur, byte(u))
		default:
			f.flush()
		}
		return
	}
	prev := f.prevU
	f.prevU = u
	if u == 'Υ' && prev == 'Ο' {
		f.cur = append(f.cur, 'U')
		return
	}
	if t, ok := translit[u]; ok {
		f.cur = append(f.cur, t...)
		return
	}
	if !unicode.IsLetter(u) && !unicode.IsDigit(u) {
		f.flush()
		return
	}
	// An upper-case form may itself decompose (the lower-case letter did not): fold its parts.
	if depth < 2 && !norm.NFKD.IsNormalString(string(u)) {
		for _, p := range norm.NFKD.String(string(u)) {
			f.rune(p, depth+1)
		}
		return
	}
	f.cur = utf8.AppendRune(f.cur, u)
}
