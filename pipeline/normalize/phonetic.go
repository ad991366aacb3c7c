package normalize

// MinSkeletonLen is the shortest phonetic skeleton worth comparing: shorter ones (ALI → aL)
// merge too many unrelated names.
const MinSkeletonLen = 3

// Skeleton returns the phonetic skeleton of a folded token (upper-case ASCII letters, as
// NameTokens returns them), or "" when the token has another character or its skeleton is
// shorter than MinSkeletonLen. Two spellings with the same skeleton sound alike: it is built
// to bring together the romanisations of one name from Arabic, Cyrillic, Greek, Hebrew and
// Hangul (MOHAMMED, MUHAMMAD, MOHAMED and the unvowelled محمد → MHMD all give MHMT).
//
// The rules, in order: digraphs become one class (SHCH, SCH, SH, TSCH, TCH, CH → x, for CH
// is SH in French and Portuguese spellings of Arabic names: RACHID, RASHID; DZH, DJ, ZH, J →
// j; KH → H; GH → G; PH → F; TH → T; DH → D; CK → K), X is KS, Q and a hard C are K, a soft
// C (before E, I, Y) and Z are S, B, V and W are one class, D and T are one class; a G
// followed by E or I and another vowel, at the start or after a vowel, is a glide (Greek
// ΓΙΩ, ΓΕΩ: GIORGOS, YORGOS; KARAGIANNIS, KARAYANNIS); a leading YE or IE reads as E, a
// leading Y or I before another vowel is the consonant y, a J after a vowel and before a
// consonant or the end is a vowel (SERGEJ); the vowels A, E, I, O, U and a non-leading Y are
// dropped except a leading one, written a; H is dropped at the end of the token; a consonant
// repeated without a vowel between is written once. A skeleton of two consonants from a
// token of four letters or more is completed with the class of the token's last vowel (a;
// e, i, y → i; o, u → u): YURIY, IURII, YURI → yRi, SAID, SAEED → STi.
//
// Korean romanisations have two rules of their own (see korean.go): a known spelling of a
// common Korean surname has its surname's key (LEE, YI, RHEE → kLEE; PARK, PAK, BAK → PRK),
// and a token that reads as two or more Korean syllables is read with G as K, P as B and
// WOO as U first (GYEONGSU, KYONGSU; HYEONU, HYUNWOO).
//
// A Russian -OV or -EV written -OFF or -EFF (IVANOFF, PROKOFIEFF) is read as written -OV, -EV.
//
// Common Arabic names whose romanisations differ in a consonant class (ث as TH or S, ج as J, G
// or C, ق as Q, K or G, ذ ض ظ as DH or Z) have their name's key (see arabic.go): OTHMAN,
// OSMAN, UTHMAN → aTMN; JAMAL, GAMAL, CEMAL → jML.
func Skeleton(tok string) string {
	var buf [64]byte
	return string(AppendSkeleton(buf[:0], tok))
}

// maxSkeletonInput is the longest token given a skeleton.
const maxSkeletonInput = 48

// AppendSkeleton appends Skeleton(tok) to dst (nothing when it is empty) and returns it.
func AppendSkeleton(dst []byte, tok string) []byte {
	if len(tok) == 0 || len(tok) > maxSkeletonInput {
		return dst
	}
	if len(tok) <= maxKoreanSurnameLen {
		if key, ok := koreanSurnameKey[tok]; ok {
			return append(dst, key...)
		}
	}
	if len(tok) <= maxArabicNameLen {
		if key, ok := arabicNameKey[tok]; ok {
			return append(dst, key...)
		}
	}
	var kb [maxSkeletonInput]byte
	if k, ok := koreanGiven(kb[:0], tok); ok {
		return appendSkeleton(dst, string(k))
	}
	if russianFF(tok) {
		return appendSkeleton(dst, string(append(append(kb[:0], tok[:len(tok)-2]...), 'V')))
	}
	return appendSkeleton(dst, tok)
}

// russianFF reports whether tok ends as a Russian -OV or -EV (-ов, -ев) written -OFF or -EFF in
// the French or German manner (IVANOFF, SMIRNOFF, PROKOFIEFF), which the skeleton reads as
// the V it stands for. A token of six letters or more only: short ones are western names
// (HOFF, DUFF).
func russianFF(tok string) bool {
	n := len(tok)
	return n >= 6 && tok[n-1] == 'F' && tok[n-2] == 'F' && (tok[n-3] == 'O' || tok[n-3] == 'E')
}

// appendSkeleton appends the skeleton of tok by the rules of Skeleton, without the Korean
// and Arabic ones.
func appendSkeleton(dst []byte, tok string) []byte {
	if len(tok) == 0 || len(tok) > maxSkeletonInput {
		return dst
	}
	var sb [96]byte
	seq := sb[:0]
	vowel := func(c byte) bool { return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U' }
	backVowel := func(c byte) bool { return c == 'A' || c == 'O' || c == 'U' }
	at := func(i int) byte {
		if i < len(tok) {
			return tok[i]
		}
		return 0
	}
	has := func(i int, s string) bool { return len(tok)-i >= len(s) && tok[i:i+len(s)] == s }
	for i := 0; i < len(tok); {
		c := tok[i]
		if !(c >= 'A' && c <= 'Z') {
			return dst
		}
		// Only these letters begin a digraph or a rule of their own: every other one goes
		// straight to the rules of single letters.
		lead := c == 'S' || c == 'T' || c == 'G' || c == 'D' || c == 'Z' || c == 'C' || c == 'K' || c == 'P' ||
			i == 0 && (c == 'Y' || c == 'I')
		switch {
		case !lead:
			seq = appendLetter(seq, tok, i)
			i++
		case i == 0 && (has(0, "YE") || has(0, "IE")):
			seq = append(seq, 'a')
			i += 2
		case has(i, "SHCH"):
			seq = append(seq, 'x')
			i += 4
		case has(i, "TSCH"):
			seq = append(seq, 'x')
			i += 4
		case has(i, "SCH"):
			seq = append(seq, 'x')
			i += 3
		case has(i, "TCH"):
			seq = append(seq, 'x')
			i += 3
		case c == 'G' && (i == 0 || vowel(tok[i-1])) && (at(i+1) == 'E' || at(i+1) == 'I') && backVowel(at(i+2)):
			// A G softened by E or I before another vowel is a glide (Greek ΓΙΑ, ΓΕΩ; Italian
			// GIA, GIO): GIORGOS and YORGOS, KARAGIANNIS and KARAYANNIS.
			if i == 0 {
				seq = append(seq, 'y')
			} else {
				seq = append(seq, 'a')
			}
			i += 2
		case has(i, "DZH"):
			seq = append(seq, 'j')
			i += 3
		case has(i, "SH"):
			seq = append(seq, 'x')
			i += 2
		case has(i, "CH"):
			seq = append(seq, 'x')
			i += 2
		case has(i, "DJ"), has(i, "ZH"):
			seq = append(seq, 'j')
			i += 2
		case has(i, "KH"):
			seq = append(seq, 'H')
			i += 2
		case has(i, "GH"):
			seq = append(seq, 'G')
			i += 2
		case has(i, "PH"):
			seq = append(seq, 'F')
			i += 2
		case has(i, "TH"), has(i, "DH"):
			seq = append(seq, 'T')
			i += 2
		case c == 'D':
			seq = append(seq, 'T')
			i++
		case has(i, "CK"):
			seq = append(seq, 'K')
			i += 2
		default:
			seq = appendLetter(seq, tok, i)
			i++
		}
	}
	start := len(dst)
	for k, c := range seq {
		switch {
		case c == 'a' && k > 0:
			continue
		case c == 'H' && k == len(seq)-1 && k > 0:
			continue
		case k > 0 && seq[k-1] == c:
			continue
		}
		dst = append(dst, c)
	}
	// Two consonants are too few to tell names apart: a token of four letters or more gets the
	// class of its last vowel (a; e, i, y → i; o, u → u), so that YURIY, IURII and YURI meet
	// (yRi) and YARA does not.
	if len(dst)-start == 2 && len(tok) >= 4 {
		for i := len(tok) - 1; i >= 0; i-- {
			if c := tok[i]; vowel(c) || c == 'Y' {
				switch c {
				case 'A':
					dst = append(dst, 'a')
				case 'O', 'U':
					dst = append(dst, 'u')
				default:
					dst = append(dst, 'i')
				}
				break
			}
		}
	}
	if len(dst)-start < MinSkeletonLen {
		return dst[:start]
	}
	return dst
}

// appendLetter appends to seq the class of the letter tok[i], which begins no digraph: the
// rules of single letters of Skeleton.
func appendLetter(seq []byte, tok string, i int) []byte {
	c := tok[i]
	switch c {
	case 'X':
		return append(seq, 'K', 'S')
	case 'Q':
		return append(seq, 'K')
	case 'C':
		if i+1 < len(tok) && (tok[i+1] == 'E' || tok[i+1] == 'I' || tok[i+1] == 'Y') {
			return append(seq, 'S')
		}
		return append(seq, 'K')
	case 'Z':
		return append(seq, 'S')
	case 'B', 'V', 'W':
		return append(seq, 'B')
	case 'J':
		if i > 0 && isVowel(tok[i-1]) && (i+1 == len(tok) || !isVowel(tok[i+1])) {
			return append(seq, 'a') // SERGEJ, JURIJ: a glide, not a consonant
		}
		return append(seq, 'j')
	case 'Y':
		if i == 0 && len(tok) > 1 && isVowel(tok[1]) {
			return append(seq, 'y')
		}
		return append(seq, 'a')
	case 'I':
		if i == 0 && len(tok) > 1 && (tok[1] == 'A' || tok[1] == 'O' || tok[1] == 'U') {
			return append(seq, 'y') // ICAO IA, IU, IO for Я, Ю, Ё: YA, YU, YO
		}
		return append(seq, 'a')
	case 'A', 'E', 'O', 'U':
		return append(seq, 'a')
	}
	return append(seq, c)
}

func isVowel(c byte) bool { return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U' }

// MRZFold folds the ICAO 9303 MRZ transliterations of umlauts and the ring back onto the
// plain vowel: AE → A, OE → O, UE → U, AA → A, left to right (MUELLER → MULLER, OEZTUERK →
// OZTURK). It returns tok itself when nothing folds. Two tokens with the same MRZFold differ
// only by how Ä, Ö, Ü, Å (or a plain AE, OE, UE, AA) were written.
func MRZFold(tok string) string {
	i := mrzFoldAt(tok)
	if i < 0 {
		return tok
	}
	b := make([]byte, 0, len(tok))
	b = append(b, tok[:i+1]...)
	for i += 2; i < len(tok); i++ {
		b = append(b, tok[i])
		if i+1 < len(tok) && mrzPair(tok[i], tok[i+1]) {
			i++
		}
	}
	return string(b)
}

// MRZEqual reports whether MRZFold(a) == MRZFold(b), without allocating.
func MRZEqual(a, b string) bool {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if a[i] != b[j] {
			return false
		}
		if i+1 < len(a) && mrzPair(a[i], a[i+1]) {
			i++
		}
		if j+1 < len(b) && mrzPair(b[j], b[j+1]) {
			j++
		}
		i++
		j++
	}
	return i == len(a) && j == len(b)
}

func mrzPair(a, b byte) bool {
	return b == 'E' && (a == 'A' || a == 'O' || a == 'U') || a == 'A' && b == 'A'
}

func mrzFoldAt(tok string) int {
	for i := 0; i+1 < len(tok); i++ {
		if mrzPair(tok[i], tok[i+1]) {
			return i
		}
	}
	return -1
}
