package normalize

import "unicode"

// cyrillic is the ICAO 9303 Part 3 Table B transliteration of upper-case Cyrillic. Й, Ё, Ї and
// Ў decompose under NFKD and arrive here as И, Е, І and У.
var cyrillic = map[rune]string{
	'А': "A", 'Б': "B", 'В': "V", 'Г': "G", 'Ґ': "G", 'Д': "D", 'Е': "E", 'Є': "IE",
	'Ж': "ZH", 'З': "Z", 'И': "I", 'І': "I", 'К': "K", 'Л': "L", 'М': "M", 'Н': "N",
	'О': "O", 'П': "P", 'Р': "R", 'С': "S", 'Т': "T", 'У': "U", 'Ф': "F", 'Х': "KH",
	'Ц': "TS", 'Ч': "CH", 'Ш': "SH", 'Щ': "SHCH", 'Ъ': "IE", 'Ы': "Y", 'Ь': "", 'Э': "E",
	'Ю': "IU", 'Я': "IA", 'Ђ': "D", 'Ј': "J", 'Љ': "LJ", 'Њ': "NJ", 'Ћ': "C", 'Џ': "DZ",
	'Ѕ': "DZ",
}

// greek is the ICAO 9303 Part 3 Table C (ELOT 743) transliteration of single upper-case Greek
// letters; the digraphs are handled in folder.greek.
var greek = map[rune]string{
	'Α': "A", 'Β': "V", 'Γ': "G", 'Δ': "D", 'Ε': "E", 'Ζ': "Z", 'Η': "I", 'Θ': "TH",
	'Ι': "I", 'Κ': "K", 'Λ': "L", 'Μ': "M", 'Ν': "N", 'Ξ': "X", 'Ο': "O", 'Π': "P",
	'Ρ': "R", 'Σ': "S", 'Τ': "T", 'Υ': "Y", 'Φ': "F", 'Χ': "CH", 'Ψ': "PS", 'Ω': "O",
}

func isGreek(r rune) bool { return r >= 0x0370 && r <= 0x03FF || r >= 0x1F00 && r <= 0x1FFF }

// nextLetter returns the index of the first rune after i that is not a combining mark, and
// whether a diaeresis (dialytika) was among the marks skipped.
func (f *folder) nextLetter(i int) (int, bool) {
	diaeresis := false
	j := i + 1
	for j < len(f.rs) && unicode.Is(unicode.Mn, f.rs[j]) {
		diaeresis = diaeresis || f.rs[j] == combDiaeresis
		j++
	}
	return j, diaeresis
}

// greekUpper returns the upper-case Greek letter at i, or 0 when i is past the end or not a
// Greek letter.
func (f *folder) greekUpper(i int) rune {
	if i >= len(f.rs) || !isGreek(f.rs[i]) {
		return 0
	}
	return unicode.ToUpper(f.rs[i])
}

// voicelessGreek are the consonants before which ΑΥ, ΕΥ, ΗΥ read AF, EF, IF.
func voicelessGreek(r rune) bool {
	switch r {
	case 'Θ', 'Κ', 'Ξ', 'Π', 'Σ', 'Τ', 'Φ', 'Χ', 'Ψ':
		return true
	}
	return false
}

// greek folds the Greek letter at i, with the ELOT 743 digraphs.
func (f *folder) greek(i int) int {
	f.arabic = false
	u := unicode.ToUpper(f.rs[i])
	j, _ := f.nextLetter(i)
	next := f.greekUpper(j)
	dialytika := false // on the next letter: ΑΫ is two vowels, not a digraph
	if j < len(f.rs) {
		_, dialytika = f.nextLetter(j)
	}
	switch {
	case next == 'Υ' && !dialytika && (u == 'Α' || u == 'Ε' || u == 'Η' || u == 'Ο'):
		k, _ := f.nextLetter(j)
		after := f.greekUpper(k)
		switch {
		case u == 'Ο':
			f.cur = append(f.cur, "OU"...)
		case after == 0 || voicelessGreek(after):
			f.cur = append(f.cur, greek[u]...)
			f.cur = append(f.cur, 'F')
		default:
			f.cur = append(f.cur, greek[u]...)
			f.cur = append(f.cur, 'V')
		}
		return k
	case u == 'Γ' && (next == 'Γ' || next == 'Ξ' || next == 'Χ'):
		f.cur = append(f.cur, 'N')
		return j // the second letter folds on its own: ΓΓ→NG, ΓΞ→NX, ΓΧ→NCH
	}
	if t, ok := greek[u]; ok {
		f.cur = append(f.cur, t...)
	} else {
		f.other(u, 0)
	}
	return i + 1
}

// Arabic script.

func isArabic(r rune) bool {
	return r >= 0x0600 && r <= 0x06FF || r >= 0x0750 && r <= 0x077F
}

// isArabicMark reports the Arabic combining marks that write vowels.
func isArabicMark(r rune) bool { return r >= 0x064B && r <= 0x0652 || r == 0x0670 }

// arabicMark folds a written short vowel: fatha A, damma U, kasra I, superscript alef A.
// Tanwin, shadda and sukun add nothing.
func (f *folder) arabicMark(r rune) {
	switch r {
	case 0x064E, 0x0670:
		f.cur = append(f.cur, 'A')
	case 0x064F:
		f.cur = append(f.cur, 'U')
	case 0x0650:
		f.cur = append(f.cur, 'I')
	}
}

// arabicLetters maps Arabic (and Persian) consonants to the Latin spellings most common on
// travel documents. The vowel letters ا و ي ى ة and the article are handled in arabicLetter.
var arabicLetters = map[rune]string{
	'ب': "B", 'ت': "T", 'ث': "TH", 'ج': "J", 'ح': "H", 'خ': "KH", 'د': "D", 'ذ': "DH",
	'ر': "R", 'ز': "Z", 'س': "S", 'ش': "SH", 'ص': "S", 'ض': "D", 'ط': "T", 'ظ': "Z",
	'ع': "A", 'غ': "GH", 'ف': "F", 'ق': "Q", 'ك': "K", 'ل': "L", 'م': "M", 'ن': "N",
	'ه': "H", 'ء': "", 'ة': "A", 'ى': "A", 'ٱ': "A",
	'پ': "P", 'چ': "CH", 'ژ': "ZH", 'گ': "G", 'ک': "K", 'ڤ': "V",
}

func isArabicLetter(r rune) bool { return isArabic(r) && unicode.IsLetter(r) }

// arabicLetter folds the Arabic letter at i.
func (f *folder) arabicLetter(i int) int {
	rs := f.rs
	r := rs[i]
	start := len(f.cur) == 0
	f.arabic = true
	if r == 'ـ' { // tatweel: elongation, nothing to write
		return i + 1
	}
	if !isArabicLetter(r) {
		switch {
		case r >= 0x0660 && r <= 0x0669:
			f.cur = append(f.cur, byte('0'+r-0x0660))
			return i + 1
		case r >= 0x06F0 && r <= 0x06F9:
			f.cur = append(f.cur, byte('0'+r-0x06F0))
			return i + 1
		}
		f.flush()
		return i + 1
	}
	j, _ := f.nextLetter(i)
	var next rune
	if j < len(rs) && isArabicLetter(rs[j]) {
		next = rs[j]
	}
	switch r {
	case 'ا', 'آ', 'أ', 'إ':
		// The article: ال at the start of a word of at least two more letters is its own token.
		if start && next == 'ل' {
			k, _ := f.nextLetter(j)
			if k < len(rs) && isArabicLetter(rs[k]) {
				if m, _ := f.nextLetter(k); m < len(rs) && isArabicLetter(rs[m]) {
					f.cur = append(f.cur, "AL"...)
					f.flush()
					return k
				}
			}
		}
		f.cur = append(f.cur, 'A')
	case 'و', 'ؤ':
		prevA := len(f.cur) > 0 && f.cur[len(f.cur)-1] == 'A'
		if start || next == 'ا' || prevA && next != 0 {
			f.cur = append(f.cur, 'W')
		} else {
			f.cur = append(f.cur, 'U')
		}
	case 'ي', 'ی', 'ئ':
		prevA := len(f.cur) > 0 && f.cur[len(f.cur)-1] == 'A'
		if start || next == 'ا' || next == 'و' || prevA {
			f.cur = append(f.cur, 'Y')
		} else {
			f.cur = append(f.cur, 'I')
		}
	default:
		if t, ok := arabicLetters[r]; ok {
			f.cur = append(f.cur, t...)
		} else {
			f.other(r, 0)
		}
	}
	return i + 1
}

// Hebrew script.

// hebrew folds the Hebrew letter at i. Without vowel points the readings are positional:
// ב, כ, פ are B, K, P at the start of a word and V, KH, F inside it; ו and י are V and Y at the
// start and the vowels O and I inside; final ה reads A; א and ע start a word with A and are
// silent inside it.
func (f *folder) hebrew(i int) int {
	rs := f.rs
	r := rs[i]
	f.arabic = false
	start := len(f.cur) == 0
	j, _ := f.nextLetter(i)
	var next rune
	if j < len(rs) && rs[j] >= 0x05D0 && rs[j] <= 0x05EA {
		next = rs[j]
	}
	var t string
	switch r {
	case 'א', 'ע':
		if start {
			t = "A"
		}
	case 'ב':
		t = pick(start, "B", "V")
	case 'ג':
		t = "G"
	case 'ד':
		t = "D"
	case 'ה':
		t = pick(next == 0 && !start, "A", "H")
	case 'ו':
		switch {
		case start:
			t = "V"
		case next == 'ו':
			t = "V"
			j2, _ := f.nextLetter(j)
			f.cur = append(f.cur, t...)
			return j2
		default:
			t = "O"
		}
	case 'ז':
		t = "Z"
	case 'ח':
		t = "KH"
	case 'ט':
		t = "T"
	case 'י':
		t = pick(start, "Y", "I")
	case 'כ':
		t = pick(start, "K", "KH")
	case 'ך':
		t = "KH"
	case 'ל':
		t = "L"
	case 'מ', 'ם':
		t = "M"
	case 'נ', 'ן':
		t = "N"
	case 'ס':
		t = "S"
	case 'פ':
		t = pick(start, "P", "F")
	case 'ף':
		t = "F"
	case 'צ', 'ץ':
		t = "TS"
	case 'ק':
		t = "K"
	case 'ר':
		t = "R"
	case 'ש':
		t = "SH"
	case 'ת':
		t = "T"
	}
	f.cur = append(f.cur, t...)
	return i + 1
}

func pick(cond bool, a, b string) string {
	if cond {
		return a
	}
	return b
}
