package eval

import (
	"math/rand/v2"
	"strings"
	"unicode"

	"github.com/watchpost/watchpost/pipeline/event"
)

// Variations of identifiers (document numbers, VINs, plates, IMO numbers, HINs, serials) as
// they are written, keyed or read at a border: each returns the varied string and whether
// the string lent itself to the variation.

// ocrPairs are the characters OCR engines and tired eyes read for one another, both ways:
// 0/O, 1/I, 5/S, 8/B, 2/Z, 6/G.
var ocrPairs = map[byte]byte{'0': 'O', 'O': '0', '1': 'I', 'I': '1', '5': 'S', 'S': '5', '8': 'B', 'B': '8', '2': 'Z', 'Z': '2', '6': 'G', 'G': '6'}

// vinOCRPairs are the OCR confusions a VIN allows: its alphabet has no I, O or Q, so a 1 read
// as I and a 0 read as O or Q are the only ones that cannot be another VIN.
var vinOCRPairs = map[byte]string{'1': "I", '0': "OQ"}

// ocrVariant replaces one character of s that has an OCR partner in pairs with the partner
// (a random one when there are several).
func ocrVariant[V byte | string](r *rand.Rand, s string, pairs map[byte]V) (string, bool) {
	var at []int
	for i := 0; i < len(s); i++ {
		if _, ok := pairs[s[i]]; ok {
			at = append(at, i)
		}
	}
	if len(at) == 0 {
		return s, false
	}
	k := at[r.IntN(len(at))]
	b := []byte(s)
	switch p := any(pairs[s[k]]).(type) {
	case byte:
		b[k] = p
	case string:
		b[k] = p[r.IntN(len(p))]
	}
	return string(b), true
}

const (
	digitChars  = "0123456789"
	letterChars = "ABCDEFGHJKLMNPRSTUVWXYZ" // no I, O, Q: they read as digits
)

// changeOne replaces the character at a random position in [from, to) of s with another of
// its class (a digit with a digit, a letter with a letter) that no OCR or VIN fold confuses
// with it: another record, not a misreading. Separators are never chosen.
func changeOne(r *rand.Rand, s string, from, to int) (string, bool) {
	var at []int
	for i := max(from, 0); i < min(to, len(s)); i++ {
		if isAlnumByte(s[i]) {
			at = append(at, i)
		}
	}
	if len(at) == 0 {
		return s, false
	}
	b := []byte(s)
	k := at[r.IntN(len(at))]
	alphabet := letterChars
	if isDigitByte(b[k]) {
		alphabet = digitChars
	}
	for {
		c := alphabet[r.IntN(len(alphabet))]
		if c != b[k] && !confusable(c, b[k]) {
			b[k] = c
			return string(b), true
		}
	}
}

// confusable reports whether a and b are read for one another (ocrPairs, or the folds of
// normalize.OCRFoldByte: D and Q read as 0, L as 1).
func confusable(a, b byte) bool {
	fold := func(c byte) byte {
		switch c {
		case 'O', 'Q', 'D':
			return '0'
		case 'I', 'L':
			return '1'
		}
		if p, ok := ocrPairs[c]; ok && isDigitByte(p) {
			return p
		}
		return c
	}
	return fold(a) == fold(b)
}

// transpose swaps two adjacent, different letters or digits of s within [from, to): the
// commonest keying error.
func transpose(r *rand.Rand, s string, from, to int) (string, bool) {
	var at []int
	for i := max(from, 0); i+1 < min(to, len(s)); i++ {
		if s[i] != s[i+1] && isAlnumByte(s[i]) && isAlnumByte(s[i+1]) {
			at = append(at, i)
		}
	}
	if len(at) == 0 {
		return s, false
	}
	b := []byte(s)
	k := at[r.IntN(len(at))]
	b[k], b[k+1] = b[k+1], b[k]
	return string(b), true
}

// reformat writes s again with other separators and case, as another system or officer
// would: its letters and digits in order, split into groups by spaces, hyphens or dots (or
// not split), some of it in lower case. The result always differs from s as a string, never
// in its letters and digits.
func reformat(r *rand.Rand, s string) string {
	var bare []rune
	for _, c := range s {
		if unicode.IsLetter(c) || unicode.IsDigit(c) {
			bare = append(bare, c)
		}
	}
	for range 64 {
		var b strings.Builder
		sep := oneOf(r, "", " ", "-", ".")
		group := 2 + r.IntN(3)
		lower := r.IntN(2) == 0
		for i, c := range bare {
			if i > 0 && sep != "" && i%group == 0 {
				b.WriteString(sep)
			}
			if lower {
				c = unicode.ToLower(c)
			}
			b.WriteRune(c)
		}
		if out := b.String(); out != s {
			return out
		}
	}
	return " " + s // too short to regroup: a stray space
}

// fold applies f to every byte of s.
func fold(s string, f func(byte) byte) string {
	b := []byte(s)
	for i := range b {
		b[i] = f(b[i])
	}
	return string(b)
}

func isDigitByte(c byte) bool              { return c >= '0' && c <= '9' }
func isAlnumByte(c byte) bool              { return isDigitByte(c) || c >= 'A' && c <= 'Z' }
func oneOf[T any](r *rand.Rand, xs ...T) T { return xs[r.IntN(len(xs))] }

// variant is one kind of probe a generator derives from its records of type R: a kind of
// true match (Probe.Want is the record), or a decoy (a kind starting "decoy"; the record is
// only its Source).
type variant[R any] struct {
	kind     string
	byDesign string // Probe.ByDesign
	// random marks a decoy that imitates no record of the database (Source stays empty).
	random bool
	// build derives the subject from rec (a vehicle, vessel, firearm or person; the id is set
	// by deriveProbes). It returns false when rec does not lend itself to the variation; then
	// another record is drawn.
	build func(r *rand.Rand, rec *R) (event.Subject, bool)
	// form, when set, names the written form the subject was given among several (see
	// Probe.Form).
	form func(s *event.Subject) string
}

// maxDraws bounds how many records deriveProbes draws for one probe before it gives up on a
// kind (when too few records lend themselves to it: one in 500 SLTD records is a range).
const maxDraws = 20_000

// deriveProbes draws up to perKind probes of each variant from recs. id names a record;
// allowed (may be nil) lists the records that may hit a true-match subject besides its own.
func deriveProbes[R any](r *rand.Rand, db event.Database, recs []R, id func(*R) string, allowed func(*event.Subject) []string, vs []variant[R], perKind int) []Probe {
	var out []Probe
	if len(recs) == 0 {
		return nil
	}
	for _, v := range vs {
	probes:
		for i := range perKind {
			for range maxDraws {
				rec := &recs[r.IntN(len(recs))]
				s, ok := v.build(r, rec)
				if !ok {
					continue
				}
				s.ID = subjectID(db, v.kind, i)
				s.EventID = strings.TrimSuffix(s.ID, "/0")
				p := Probe{Subject: s, Database: db, Kind: v.kind, ByDesign: v.byDesign}
				if !v.random {
					p.Source = id(rec)
				}
				if !strings.HasPrefix(v.kind, "decoy") {
					p.Want = p.Source
				}
				if allowed != nil {
					p.Allowed = allowed(&s)
				}
				if v.form != nil {
					p.Form = v.form(&s)
				}
				out = append(out, p)
				continue probes
			}
			break // no record lends itself to this kind
		}
	}
	return out
}

// listed maps the identifiers that can make a hit on their own (an IMO number, a plate with
// its country, a serial with its make, …), folded as the matcher folds them, to the records
// that carry them, so that a probe that happens to present another record's identifier may
// hit that record without counting as a false positive (see Probe.Allowed). Generators also
// use it to keep identifiers unique, as real registries do.
type listed map[string][]string

// drawUnique draws n records with draw, each again until none of its keys is listed (real
// registries do not list one IMO number, plate or serial twice), and lists the keys of each
// under its id.
func drawUnique[R any](n int, l listed, draw func(i int) R, id func(*R) string, keys func(*R) []string) []R {
	out := make([]R, n)
	for i := range out {
		for {
			if out[i] = draw(i); !l.has(keys(&out[i])...) {
				break
			}
		}
		l.add(id(&out[i]), keys(&out[i])...)
	}
	return out
}

// has reports whether any of keys is listed.
func (l listed) has(keys ...string) bool {
	for _, k := range keys {
		if k != "" && len(l[k]) > 0 {
			return true
		}
	}
	return false
}

// add records that id carries keys; empty keys are skipped.
func (l listed) add(id string, keys ...string) {
	for _, k := range keys {
		if k != "" {
			l[k] = append(l[k], id)
		}
	}
}

// ids returns the records carrying any of keys.
func (l listed) ids(keys ...string) []string {
	var out []string
	for _, k := range keys {
		if k != "" {
			out = append(out, l[k]...)
		}
	}
	return out
}
