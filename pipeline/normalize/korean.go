package normalize

import "strings"

// Korean names in Latin letters. One Hangul name is found under several romanisations: the
// Revised Romanization (2000) that hangul.go writes, McCune–Reischauer (its breves dropped:
// Ŏ → O, Ŭ → U), and the spellings passports have long used. Surnames vary most (이 is LEE,
// YI, RHEE or RI) and are too short for a phonetic skeleton of their own; given names vary by
// the voicing of their initial consonants (MR KYŎNGSU, RR GYEONGSU) and by how 우 is written
// (HYEONU, HYUNWOO). Two rules in AppendSkeleton bring these together:
//
//   - a token that is a known spelling of a common Korean surname gets the key of its surname
//     (koreanSurnameKey);
//   - a token that reads as two or more Korean syllables is compared with its G and P read as
//     K and B and a 우 written WOO read as U (koreanGiven).
//
// Both give a phonetic match (index.NamePhonetic): real evidence, weaker than the spelling the
// record holds.

// koreanSurnameClasses lists the common Korean surnames (in the order of hangul.go's
// koreanSurnames) with the spellings each is found under; the first is the passport spelling
// that hangul.go writes. Surnames whose spellings meet are one class (류 and 유 are both YU;
// 전 and 천 both CHUN; 주 and 추 both CHU; 변 and 편 both PYUN). Single letters (이 I, 오 O,
// 우 U) are initials to the tokeniser and cannot be listed.
var koreanSurnameClasses = [][]string{
	{"KIM", "GIM", "KEEM"},
	{"LEE", "YI", "RHEE", "RI", "RHIE", "YEE"},
	{"PARK", "PAK", "BAK", "BAKE", "PACK"},
	{"CHOI", "CHOE", "CHOY", "CHWE"},
	{"JUNG", "JEONG", "CHUNG", "JOUNG", "CHEONG", "CHONG", "JEUNG"},
	{"KANG", "GANG"},
	{"CHO", "JO", "JOH", "CHOH"},
	{"YOON", "YUN", "YOUN"},
	{"JANG", "CHANG"},
	{"LIM", "IM", "RIM", "YIM"},
	{"SEO", "SUH", "SEOH"},
	{"SHIN", "SIN", "SHINN"},
	{"KWON", "GWON", "KUON"},
	{"AHN", "AN"},
	{"RYU", "YOO", "YU", "LYU", "RYOO", "YOU"},
	{"JEON", "JUN", "CHUN", "CHEON", "CHUNN", "JUHN"},
	{"KO", "GO", "KOH"},
	{"MOON", "MUN", "MOUN"},
	{"SON", "SOHN"},
	{"BAE", "PAE"},
	{"BAEK", "PAIK", "BAIK", "PAEK"},
	{"HEO", "HUH", "HUR"},
	{"SHIM", "SIM"},
	{"NOH", "RO", "ROH"},
	{"KWAK", "GWAK"},
	{"SUNG", "SEONG", "SOUNG"},
	{"JOO", "JU", "CHOO", "CHU"},
	{"KOO", "KU", "GU"},
	{"JIN", "CHIN"},
	{"EOM", "UM", "EUM", "OM"},
	{"BYUN", "BYEON", "PYUN", "PYEON", "BYON", "PYON"},
	{"YEOM", "YUM"},
	{"SEOK", "SUK"},
	{"SEOL", "SUL"},
	{"GIL", "KIL"},
	{"MYUNG", "MYEONG"},
	{"KEUM", "GEUM", "KUM"},
	{"KYUNG", "GYEONG", "KYOUNG", "KYEONG"},
	{"HYUN", "HYEON"},
	{"HYUNG", "HYEONG"},
	{"BANG", "PANG"},
	{"KONG", "GONG"},
}

// maxKoreanSurnameLen is the length of the longest spelling in koreanSurnameClasses: longer
// tokens skip the table.
const maxKoreanSurnameLen = 6

// koreanSurnameKey maps every spelling of koreanSurnameClasses to its class's key: the
// phonetic skeleton of the passport spelling when it has one (PARK → PRK, so that PARK keeps
// the spellings it already met and PAK and BAK join them), else k followed by the passport
// spelling (kLEE). A lower-case k and upper-case vowels never occur in a skeleton, so such a
// key meets nothing but its class. Built once; read only.
var koreanSurnameKey = func() map[string]string {
	m := map[string]string{}
	for _, class := range koreanSurnameClasses {
		key := string(appendSkeleton(nil, class[0]))
		if key == "" {
			key = "k" + class[0]
		}
		for _, s := range class {
			m[s] = key
		}
	}
	return m
}()

// Korean syllables as they are romanised: an initial consonant (or none), a vowel, a final
// consonant (or none). The lists hold the Revised Romanization, McCune–Reischauer without its
// breves and apostrophes, and the common passport spellings, grouped by first letter.
var (
	koreanInitials = byFirstLetter("TCH", "KK", "GG", "TT", "DD", "PP", "BB", "SS", "JJ", "CH", "SH", "K", "G", "N", "D", "T", "R", "L", "M", "B", "P", "S", "J", "H")
	koreanVowels   = byFirstLetter("YAE", "YEO", "WAE", "WEO", "YOO", "WOO", "EUI", "AE", "YA", "EO", "YE", "WA", "OE", "YO", "WO", "WE", "WI", "YU", "EU", "UI", "OO", "EE", "A", "E", "O", "U", "I")
	koreanFinals   = byFirstLetter("NG", "K", "N", "T", "L", "M", "P")
)

// byFirstLetter groups upper-case spellings by their first letter.
func byFirstLetter(spellings ...string) (out [26][]string) {
	for _, s := range spellings {
		out[s[0]-'A'] = append(out[s[0]-'A'], s)
	}
	return out
}

// spelledAt reports whether tok has spelling sp at i.
func spelledAt(tok string, i int, sp string) bool {
	return len(tok)-i >= len(sp) && tok[i:i+len(sp)] == sp
}

// spellings returns the spellings of set starting with the letter at i (none past the end).
func spellings(set *[26][]string, tok string, i int) []string {
	if i >= len(tok) {
		return nil
	}
	return set[tok[i]-'A']
}

// koreanSyllables reports whether tok reads, as a whole, as at least two romanised Korean
// syllables (MINJUN, HYUNWOO, GYEONGSU; not MIN, not AHMED). tok is upper-case ASCII.
func koreanSyllables(tok string) bool {
	if len(tok) < 2 || len(tok) > maxSkeletonInput {
		return false
	}
	// A letter no romanisation of Korean uses (F, Q, V, X, Z, a C outside CH) rules it out
	// at once: most non-Korean names end here. So does PH, which is F in every other
	// spelling (SOPHIA would read SOP-HI-A).
	for i := 0; i < len(tok); i++ {
		switch c := tok[i]; {
		case c < 'A' || c > 'Z', c == 'F', c == 'Q', c == 'V', c == 'X', c == 'Z':
			return false
		case c == 'C' && (i+1 == len(tok) || tok[i+1] != 'H'), c == 'P' && i+1 < len(tok) && tok[i+1] == 'H':
			return false
		}
	}
	// most[i]: the most syllables (at most 2) that tok[i:] reads as, -1 when it does not read.
	var most [maxSkeletonInput + 1]int8
	var starts [4]int // where the vowel may start: no initial, or after one
	for i := len(tok) - 1; i >= 0; i-- {
		best := int8(-1)
		vs := append(starts[:0], i)
		for _, ini := range spellings(&koreanInitials, tok, i) {
			if spelledAt(tok, i, ini) && len(vs) < len(starts) {
				vs = append(vs, i+len(ini))
			}
		}
		for _, j := range vs {
			for _, v := range spellings(&koreanVowels, tok, j) {
				if !spelledAt(tok, j, v) {
					continue
				}
				k := j + len(v)
				best = max(best, oneMore(most[k]))
				for _, fin := range spellings(&koreanFinals, tok, k) {
					if spelledAt(tok, k, fin) {
						best = max(best, oneMore(most[k+len(fin)]))
					}
				}
			}
		}
		most[i] = best
	}
	return most[0] >= 2
}

// oneMore is the syllables (at most 2) of a reading one syllable longer than a reading of n
// syllables, -1 when n is -1 (no reading).
func oneMore(n int8) int8 {
	if n < 0 {
		return -1
	}
	return min(n+1, 2)
}

// koreanGiven appends to dst the spelling tok is compared under when it reads as Korean
// syllables: G read as K (except in NG), P as B, and WOO (우) as U, so that GYEONGSU and
// KYONGSU, BYEONGHO and PYONGHO, HYEONU and HYUNWOO meet. It returns false, appending nothing,
// when that spelling is tok itself (no G, P or WOO) or tok does not read as Korean.
func koreanGiven(dst []byte, tok string) ([]byte, bool) {
	if !strings.ContainsAny(tok, "GPW") || !koreanSyllables(tok) {
		return dst, false
	}
	for i := 0; i < len(tok); i++ {
		switch c := tok[i]; {
		case c == 'G' && (i == 0 || tok[i-1] != 'N'):
			dst = append(dst, 'K')
		case c == 'P':
			dst = append(dst, 'B')
		case c == 'W' && strings.HasPrefix(tok[i+1:], "OO"):
			dst = append(dst, 'U')
			i += 2
		default:
			dst = append(dst, c)
		}
	}
	return dst, true
}
