package mrz

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// TranslitOptions chooses among the alternatives ICAO 9303 Part 3 allows.
type TranslitOptions struct {
	// NXX writes Ñ as NXX, the reversible form ICAO 9303 allows, instead of N.
	NXX bool
}

// latinSpecial are the ICAO 9303 Part 3 (section 6, Table A) transliterations that are not
// "drop the diacritic". Every other Latin letter with a diacritic loses it (É → E, Č → C,
// Ş → S, …) through Unicode canonical decomposition.
var latinSpecial = map[rune]string{
	'Ä': "AE", 'Å': "AA", 'Æ': "AE", 'Ö': "OE", 'Ø': "OE", 'Ü': "UE", 'Œ': "OE",
	'Þ': "TH", 'ß': "SS", 'ẞ': "SS", 'Ĳ': "IJ",
	'Ð': "D", 'Đ': "D", 'Ħ': "H", 'Ł': "L", 'Ŀ': "L", 'ı': "I", 'Ŋ': "N", 'Ŧ': "T", 'ĸ': "K",
}

// cyrillic is the ICAO 9303 Part 3 (section 6, Table B) transliteration of Cyrillic capitals
// in its default column; the language-specific variants (Belarusian and Ukrainian Г → H,
// Ukrainian И → Y, Serbian and Macedonian forms) are not applied. Ь is omitted.
var cyrillic = map[rune]string{
	'А': "A", 'Б': "B", 'В': "V", 'Г': "G", 'Ґ': "G", 'Д': "D", 'Ђ': "D", 'Ѓ': "G",
	'Е': "E", 'Ё': "E", 'Є': "IE", 'Ж': "ZH", 'З': "Z", 'Ѕ': "DZ", 'И': "I", 'І': "I",
	'Ї': "I", 'Й': "I", 'Ј': "J", 'К': "K", 'Л': "L", 'Љ': "LJ", 'М': "M", 'Н': "N",
	'Њ': "NJ", 'О': "O", 'П': "P", 'Р': "R", 'С': "S", 'Т': "T", 'Ћ': "C", 'Ќ': "K",
	'У': "U", 'Ў': "U", 'Ф': "F", 'Х': "KH", 'Ц': "TS", 'Ч': "CH", 'Џ': "DZ", 'Ш': "SH",
	'Щ': "SHCH", 'Ъ': "IE", 'Ы': "Y", 'Ь': "", 'Э': "E", 'Ю': "IU", 'Я': "IA", 'Ѵ': "Y",
	'Ѫ': "U", 'Һ': "C",
}

// Transliterate writes a name as it would appear in an MRZ name field, with the ICAO 9303
// Part 3 transliteration: Latin letters with diacritics (Ä → AE, Å → AA, Ö → OE, Ü → UE,
// ß → SS, Æ → AE, Ø → OE, Þ → TH, Ñ → N, other diacritics dropped) and Cyrillic (Ж → ZH,
// Х → KH, Ц → TS, Ч → CH, Ш → SH, Щ → SHCH, Ю → IU, Я → IA, Ы → Y, Ъ → IE, …), upper case.
// Hyphens become the filler '<', apostrophes and other punctuation are dropped, white space
// becomes single spaces (trimmed), and '<' is kept.
//
// The output holds only A–Z, space and '<', and Transliterate of it is itself. Letters of
// scripts without an ICAO table here — Arabic (out of scope), Greek, Hebrew, CJK, … — and
// digits are dropped; TransliterateWith reports when that happens.
func Transliterate(name string) string {
	s, _ := TransliterateWith(name, TranslitOptions{})
	return s
}

// TransliterateWith is Transliterate with options. complete is false when letters were
// dropped because their script has no transliteration here.
func TransliterateWith(name string, opt TranslitOptions) (out string, complete bool) {
	var b strings.Builder
	b.Grow(len(name))
	complete = true
	space := false // a space is pending: written before the next non-space output
	emit := func(s string) {
		if s == "" {
			return
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteString(s)
	}
	for _, r := range norm.NFC.String(name) {
		switch {
		case r >= 'A' && r <= 'Z' || r == '<':
			emit(string(r))
			continue
		case r >= 'a' && r <= 'z':
			emit(string(r - 'a' + 'A'))
			continue
		case unicode.IsSpace(r):
			space = true
			continue
		case r == '-' || r == '‐' || r == '‑' || r == '–':
			emit("<")
			continue
		}
		if t, ok := latinSpecial[r]; ok {
			emit(t)
			continue
		}
		u := unicode.ToUpper(r)
		if t, ok := latinSpecial[u]; ok {
			emit(t)
			continue
		}
		if u == 'Ñ' {
			if opt.NXX {
				emit("NXX")
			} else {
				emit("N")
			}
			continue
		}
		if t, ok := cyrillic[u]; ok {
			emit(t)
			continue
		}
		if !unicode.IsLetter(u) {
			continue // digits, punctuation, symbols, combining marks left over
		}
		// A Latin letter with diacritics: keep its base letters.
		base := ""
		for _, d := range norm.NFKD.String(string(u)) {
			if d = unicode.ToUpper(d); d >= 'A' && d <= 'Z' {
				base += string(d)
			}
		}
		if base == "" {
			complete = false
		}
		emit(base)
	}
	return b.String(), complete
}
