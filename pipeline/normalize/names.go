package normalize

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// isApostrophe reports whether r is dropped without separating: the MRZ writes D'ARTAGNAN as
// DARTAGNAN.
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '`', '´', 'ʼ', 'ʻ', '‘', '’', 'ʹ':
		return true
	}
	return false
}

// NameTokens folds a name for matching and returns its tokens in order. Every token is
// upper-case and, for every script with a table here, plain ASCII letters and digits:
//
//   - Latin: Unicode NFKD, diacritics dropped, except the ICAO 9303 MRZ transliteration of
//     Ä→AE, Ö→OE, Ü→UE and Å→AA; Latin specials Æ→AE, Ø→OE, ß→SS, Þ→TH, Ł→L, …;
//   - Cyrillic: ICAO 9303 Part 3 (Ж→ZH, Х→KH, Ц→TS, Щ→SHCH, Ю→IU, Я→IA, …);
//   - Greek: ICAO 9303 / ELOT 743, with the digraphs ΟΥ→OU, ΑΥ/ΕΥ/ΗΥ→AV/EV/IV (AF/EF/IF
//     before a voiceless consonant) and ΓΓ/ΓΚ/ΓΞ/ΓΧ→NG/GK/NX/NCH;
//   - Arabic (and the Persian letters): a consonant romanisation close to common Latin
//     spellings (ح→H, خ→KH, ع→A, ق→Q, ة→A, …), long vowels and written short vowels kept,
//     the article ال at the start of a word split off as AL, عبد ال joined;
//   - Hebrew: consonants with the usual positional readings (ב→B/V, כ→K/KH, פ→P/F), ו and
//     י as vowels inside a word;
//   - Hangul: algorithmic jamo decomposition to Revised Romanization, except that the common
//     surname syllables take their usual passport spelling (김→KIM, 이→LEE, 박→PARK, …); a
//     three-syllable word starting with such a surname is split after it;
//   - Kana: passport Hepburn (し→SHI, つ→TSU, ん→N or M before B/M/P, long vowels
//     shortened: さとう→SATO);
//   - Han: pinyin from an embedded table of the few hundred commonest surname and given-name
//     characters (Han has no algorithmic romanisation); a word of two or more characters is
//     split into the surname (one character, or a known compound such as 欧阳) and the rest,
//     written together (王小明 → WANG XIAOMING). Japanese kanji get these Chinese readings too:
//     there is no way to read them without a dictionary, so only kana romanise to Hepburn.
//
// Letters of scripts without a table (Thai, Devanagari, …) and Han characters missing from the
// table are kept, upper-cased. Punctuation, hyphens, white space and the MRZ filler '<'
// separate tokens; apostrophes are dropped without separating.
//
// The Arabic article is written AL however it was romanised: assimilated to a following sun
// letter (ASH-SHAMI, ECH-CHAMI, AR-RASHID, UR-REHMAN, ED-DIN → AL), and joined to ABD when it
// follows it as a word of its own (ABD EL KARIM → ABDEL KARIM, as ABDEL KARIM is written).
//
// The result is idempotent: joining the tokens with spaces and folding again yields the same
// tokens.
func NameTokens(s string) []string {
	var toks []string
	if isASCII(s) {
		toks = asciiTokens(s)
	} else {
		f := folder{rs: []rune(norm.NFKD.String(s))}
		f.run()
		toks = f.toks
	}
	return arabicArticles(toks)
}

// sunArticles are the romanisations of the Arabic article assimilated to a sun letter, with
// the letter's spelling that must start the next word: ASH-SHAMI, ECH-CHAMI (French),
// AR-RASHID, UD-DIN. AN, EN, ET and AT are left out: they are words and names of their own in
// other languages, as ED is except before DIN (ED-DIN, ED-DINE, ED-DEEN).
var sunArticles = map[string]string{
	"AD": "D", "ADH": "DH", "ATH": "TH", "AR": "R", "AZ": "Z", "AS": "S", "ASH": "SH", "ACH": "CH",
	"EDH": "DH", "ETH": "TH", "ER": "R", "EZ": "Z", "ES": "S", "ESH": "SH", "ECH": "CH",
	"UD": "D", "UR": "R", "UZ": "Z", "US": "S", "USH": "SH",
}

// abdArticles are the spellings of the article that join a preceding ABD (عبد ال).
var abdArticles = map[string]bool{"AL": true, "EL": true, "UL": true, "OUL": true, "OL": true}

// arabicArticles rewrites the assimilated Arabic article as AL and joins ABD with a following
// article (see NameTokens), in place.
func arabicArticles(toks []string) []string {
	maybe := false
	for _, t := range toks {
		if len(t) >= 2 && len(t) <= 3 && (t[0] == 'A' || t[0] == 'E' || t[0] == 'U') {
			maybe = true
			break
		}
	}
	if !maybe {
		return toks
	}
	for i := 0; i+1 < len(toks); i++ {
		next := toks[i+1]
		cons, ok := sunArticles[toks[i]]
		if toks[i] == "ED" {
			cons, ok = "D", strings.HasPrefix(next, "DIN") || strings.HasPrefix(next, "DEEN")
		}
		if ok && len(next) > len(cons)+1 && strings.HasPrefix(next, cons) {
			toks[i] = "AL"
		}
	}
	out := toks[:0]
	for i := 0; i < len(toks); i++ {
		if toks[i] == "ABD" && i+1 < len(toks) && abdArticles[toks[i+1]] {
			out = append(out, "ABD"+toks[i+1])
			i++
			continue
		}
		out = append(out, toks[i])
	}
	return out
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

// folder turns the NFKD runes of a name into tokens, one script run at a time.
type folder struct {
	rs     []rune
	cur    []byte
	toks   []string
	arabic bool // the last letter folded was Arabic (for عبد ال)
}

func (f *folder) flush() {
	if len(f.cur) > 0 {
		f.toks = append(f.toks, string(f.cur))
		f.cur = f.cur[:0]
	}
}

const (
	combDiaeresis = '\u0308'
	combRing      = '\u030A'
)

func (f *folder) run() {
	rs := f.rs
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case isArabicMark(r):
			f.arabicMark(r)
			i++
		case unicode.Is(unicode.Mn, r) || isApostrophe(r):
			i++
		case r < utf8.RuneSelf:
			i = f.ascii(i)
		case isGreek(r):
			i = f.greek(i)
		case r >= 0x0400 && r <= 0x052F:
			f.arabic = false
			u := unicode.ToUpper(r)
			if t, ok := cyrillic[u]; ok {
				f.cur = append(f.cur, t...)
			} else {
				f.other(u, 0)
			}
			i++
		case isArabic(r):
			i = f.arabicLetter(i)
		case r >= 0x05D0 && r <= 0x05EA:
			i = f.hebrew(i)
		case r >= 0x1100 && r <= 0x11FF:
			i = f.hangul(i)
		case isKana(r):
			i = f.kana(i)
		case unicode.Is(unicode.Han, r):
			i = f.han(i)
		default:
			f.arabic = false
			f.other(unicode.ToUpper(r), 0)
			i++
		}
	}
	f.flush()
}

// ascii folds one ASCII rune at i, with the ICAO 9303 MRZ readings of A, O and U followed by
// a diaeresis (AE, OE, UE) and of A with a ring (AA).
func (f *folder) ascii(i int) int {
	r := f.rs[i]
	if f.arabic && r == ' ' && string(f.cur) == "ABD" && i+2 < len(f.rs) && f.rs[i+1] == 'ا' && f.rs[i+2] == 'ل' {
		return i + 1 // عبد الله is one name: ABDALLAH
	}
	f.arabic = false
	u := unicode.ToUpper(r)
	switch {
	case u >= 'A' && u <= 'Z', u >= '0' && u <= '9':
		f.cur = append(f.cur, byte(u))
		if i+1 < len(f.rs) {
			switch next := f.rs[i+1]; {
			case next == combDiaeresis && (u == 'A' || u == 'O' || u == 'U'):
				f.cur = append(f.cur, 'E')
				return i + 2
			case next == combRing && u == 'A':
				f.cur = append(f.cur, 'A')
				return i + 2
			}
		}
	default:
		f.flush()
	}
	return i + 1
}

// other folds a letter of a script without a table, or a Latin special.
func (f *folder) other(u rune, depth int) {
	if t, ok := latinSpecials[u]; ok {
		f.cur = append(f.cur, t...)
		return
	}
	// Letters outside the main blocks may upper-case into them (ᲁ → Д).
	if t, ok := cyrillic[u]; ok {
		f.cur = append(f.cur, t...)
		return
	}
	if t, ok := greek[u]; ok {
		f.cur = append(f.cur, t...)
		return
	}
	if u < utf8.RuneSelf {
		if u >= 'A' && u <= 'Z' || u >= '0' && u <= '9' {
			f.cur = append(f.cur, byte(u))
		} else {
			f.flush()
		}
		return
	}
	if !unicode.IsLetter(u) && !unicode.IsDigit(u) {
		f.flush()
		return
	}
	// An upper-case form may itself decompose (the lower-case letter did not): fold its parts.
	if depth < 2 && !norm.NFKD.IsNormalString(string(u)) {
		for _, p := range norm.NFKD.String(string(u)) {
			if unicode.Is(unicode.Mn, p) {
				continue
			}
			f.other(unicode.ToUpper(p), depth+1)
		}
		return
	}
	f.cur = utf8.AppendRune(f.cur, u)
}

// latinSpecials maps upper-case Latin letters that NFKD does not decompose to their ICAO 9303
// transliteration (Part 3, Table A). Lower-case letters reach this table after
// unicode.ToUpper; the few without a simple upper-case mapping (ß, ĸ, ı) are listed as is.
var latinSpecials = map[rune]string{
	'Æ': "AE", 'Ø': "OE", 'ß': "SS", 'ẞ': "SS", 'Þ': "TH", 'Ð': "D", 'Đ': "D", 'Ł': "L",
	'Œ': "OE", 'Ħ': "H", 'Ŋ': "N", 'ı': "I", 'ĸ': "K", 'Ŧ': "T", 'Ŀ': "L", 'Ɨ': "I",
}
