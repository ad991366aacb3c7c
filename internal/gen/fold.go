package gen

import (
	"sort"
	"strings"
	"unicode"
)

// foldTable maps the accented letters the generator writes (and a few more) to their plain
// Latin form. It is deliberately aggressive (Ü is U, not UE): it serves collision checks,
// where merging more is the safe side.
var foldTable = map[rune]string{
	'À': "A", 'Á': "A", 'Â': "A", 'Ã': "A", 'Ä': "A", 'Å': "A", 'Æ': "AE",
	'Ç': "C", 'Č': "C", 'Ć': "C",
	'È': "E", 'É': "E", 'Ê': "E", 'Ë': "E", 'Ě': "E",
	'Ì': "I", 'Í': "I", 'Î': "I", 'Ï': "I", 'İ': "I", 'ı': "I",
	'Ñ': "N", 'Ń': "N",
	'Ò': "O", 'Ó': "O", 'Ô': "O", 'Õ': "O", 'Ö': "O", 'Ø': "O", 'Œ': "OE",
	'Ù': "U", 'Ú': "U", 'Û': "U", 'Ü': "U",
	'Ý': "Y", 'Ÿ': "Y",
	'ß': "SS", 'ẞ': "SS",
	'Ş': "S", 'Š': "S", 'Ś': "S",
	'Ğ': "G", 'Ł': "L", 'Ž': "Z", 'Ź': "Z", 'Ż': "Z", 'Đ': "D",
}

// foldTokens upper-cases s, strips diacritics and splits it on anything that is not a letter
// or digit (spaces, hyphens, apostrophes).
func foldTokens(s string) []string {
	var toks []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			toks = append(toks, b.String())
			b.Reset()
		}
	}
	for _, r := range s {
		if r == 'ı' || r == 'İ' {
			b.WriteByte('I')
			continue
		}
		r = unicode.ToUpper(r)
		switch rep, ok := foldTable[r]; {
		case ok:
			b.WriteString(rep)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
	return toks
}

// fold is foldTokens joined by single spaces.
func fold(s string) string { return strings.Join(foldTokens(s), " ") }

// nameKey is the order-insensitive folded form of a whole name: its sorted folded tokens.
// Two names with the same key are the same name for collision purposes, whichever part holds
// which token.
func nameKey(parts ...string) string {
	var toks []string
	for _, p := range parts {
		toks = append(toks, foldTokens(p)...)
	}
	sort.Strings(toks)
	return strings.Join(toks, " ")
}

// skeleton is a crude phonetic key of a folded token: PH=F, KH=CK=Q=C=K, Z=S, Y=I, W=V, H
// dropped, doubled letters collapsed. Two tokens with the same skeleton sound alike.
func skeleton(tok string) string {
	s := skeletonReplacer.Replace(tok)
	var b strings.Builder
	var last byte
	for i := 0; i < len(s); i++ {
		if s[i] != last {
			b.WriteByte(s[i])
		}
		last = s[i]
	}
	return b.String()
}

// Replacers are safe for concurrent use and costly to build: build them once.
var (
	skeletonReplacer = strings.NewReplacer("PH", "F", "KH", "K", "CK", "K", "Q", "K", "C", "K", "Z", "S", "Y", "I", "W", "V", "H", "")
	ocrReplacer      = strings.NewReplacer("O", "0", "I", "1", "S", "5", "B", "8", "Z", "2", "G", "6")
)

// deletions returns tok and every string made by deleting one byte of it. Two tokens are
// within one edit (substitution, insertion, deletion or adjacent transposition) of each other
// only if their deletion sets intersect.
func deletions(tok string) []string {
	out := make([]string, 0, len(tok)+1)
	out = append(out, tok)
	for i := 0; i < len(tok); i++ {
		out = append(out, tok[:i]+tok[i+1:])
	}
	return out
}

// particles are name particles that carry no identity on their own.
var particles = map[string]bool{
	"AL": true, "EL": true, "ABU": true, "BIN": true, "BEN": true, "IBN": true, "VAN": true,
	"DER": true, "DEN": true, "DE": true, "TER": true, "LA": true, "LE": true, "DI": true,
	"DA": true, "DOS": true, "DEL": true, "VON": true, "ZU": true,
}

// coreTokens are the folded tokens of s that are not particles.
func coreTokens(s string) []string {
	var out []string
	for _, t := range foldTokens(s) {
		if !particles[t] {
			out = append(out, t)
		}
	}
	return out
}

// canonNumber is a document number as matchers compare it: upper case, letters and digits
// only.
func canonNumber(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ocrKey folds the OCR-confusable characters of a canonical number onto one another
// (O=0, I=1, S=5, B=8, Z=2, G=6).
func ocrKey(s string) string {
	return ocrReplacer.Replace(canonNumber(s))
}
