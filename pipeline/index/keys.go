package index

import "github.com/watchpost/watchpost/pipeline/normalize"

// Role is the part of a name a token comes from.
type Role uint8

const (
	// RoleFull marks a token of a name whose surname/given split is unknown.
	RoleFull Role = iota
	// RoleSurname marks a surname token.
	RoleSurname
	// RoleGiven marks a given-name token.
	RoleGiven
)

// MaxNameTokens bounds the tokens kept per name part, so scoring stays bounded whatever the
// input. Extra tokens are dropped, at indexing and at query alike.
const MaxNameTokens = 12

// MaxQueryUnits is the most units a subject's name is searched with; a name of at most
// 2·MaxNameTokens tokens never has more.
const MaxQueryUnits = 64

// MinTypoLen is the shortest token (in bytes) that tolerates one edit: shorter tokens match
// exactly, by MRZ transliteration or phonetically, or not at all.
const MinTypoLen = 4

// Token is one folded name token.
type Token struct {
	Text string
	Role Role
	// Minor marks a particle (AL, BIN, VAN, DE, …) or a single character (an initial): it
	// never makes a match on its own and carries no weight, but it joins its neighbour in a
	// joined unit, and an initial weakly matches a token it starts (see InitialSimilarity).
	Minor bool
	// Secondary marks a name part's token after its first non-minor one (a second given name,
	// a second surname): it weighs half.
	Secondary bool
	// Weight is the token's IDF weight in its snapshot (0 for minor tokens).
	Weight float64
}

// Initial reports whether the token is a single letter.
func (t *Token) Initial() bool { return len(t.Text) == 1 && t.Text[0] >= 'A' && t.Text[0] <= 'Z' }

// Unit is a comparable piece of a name: one non-minor token, two adjacent tokens of the same
// part joined (AL HASSAN → ALHASSAN, JEAN PIERRE → JEANPIERRE), or a run of particles joined
// with the token they precede (VAN DEN BERG → VANDENBERG). First and Last are the
// indexes of the tokens it covers. Skel is its phonetic skeleton (normalize.Skeleton), ""
// when it has none.
type Unit struct {
	Text        string
	Skel        string
	First, Last int
	Role        Role
	Joined      bool
}

var particles = map[string]bool{
	"AL": true, "EL": true, "UL": true, "BIN": true, "BEN": true, "IBN": true, "BINT": true,
	"ABU": true, "ABOU": true, "UMM": true, "BENT": true, "OULD": true, "VAN": true, "VON": true,
	"DER": true, "DEN": true, "DE": true, "DI": true, "DA": true, "DU": true, "DOS": true,
	"DAS": true, "DEL": true, "DELLA": true, "LA": true, "LE": true, "Y": true, "ZU": true,
	"TER": true, "TEN": true, "MAC": true, "ST": true,
	// unvowelled Arabic: بن, بنت
	"BN": true, "BNT": true,
}

// IsParticle reports whether a folded token is a name particle.
func IsParticle(tok string) bool { return particles[tok] }

// AppendTokens folds one name part into tokens and appends them to dst. Tokens of the part
// after its first non-minor one are marked secondary. Weights are left zero.
//
// A part made of particles and initials alone keeps its particles as name tokens: a surname
// LE (Lê), DAS or DU, a given name BEN are the name itself, not a particle of it, and a
// subject LE / M. K. has a surname to match, not only initials.
func AppendTokens(dst []Token, part string, role Role) []Token {
	toks := normalize.NameTokens(part)
	keep := true // every token is a particle or an initial: the particles are names
	for _, text := range toks[:min(len(toks), MaxNameTokens)] {
		keep = keep && (len(text) < 2 || particles[text])
	}
	first := true
	for i, text := range toks {
		if i == MaxNameTokens {
			break
		}
		t := Token{Text: text, Role: role, Minor: len(text) < 2 || particles[text] && !keep}
		if role != RoleFull && !t.Minor {
			t.Secondary = !first
			first = false
		}
		dst = append(dst, t)
	}
	return dst
}

// AppendUnits appends the units of toks to dst: every non-minor token, every two adjacent
// tokens of the same role joined, and every run of two or more particles joined with the
// token they precede (VAN DEN BERG → VANDENBERG).
func AppendUnits(dst []Unit, toks []Token) []Unit {
	n := len(dst)
	dst = AppendUnitTexts(dst, toks)
	for i := n; i < len(dst); i++ {
		dst[i].Skel = normalize.Skeleton(dst[i].Text)
	}
	return dst
}

// AppendUnitTexts is AppendUnits without the skeletons: every Skel is left empty, for the
// caller to fill. A search takes the skeleton of a unit the index has as an item from the
// index (ItemSkeleton, SkeletonText) instead of computing it.
func AppendUnitTexts(dst []Unit, toks []Token) []Unit {
	for i, t := range toks {
		if !t.Minor {
			dst = append(dst, Unit{Text: t.Text, First: i, Last: i, Role: t.Role})
		}
		if i+1 < len(toks) && toks[i+1].Role == t.Role {
			text := t.Text + toks[i+1].Text
			dst = append(dst, Unit{Text: text, First: i, Last: i + 1, Role: t.Role, Joined: true})
		}
		if last := particleRun(toks, i); last >= 0 {
			var text string
			for _, x := range toks[i : last+1] {
				text += x.Text
			}
			dst = append(dst, Unit{Text: text, First: i, Last: last, Role: t.Role, Joined: true})
		}
	}
	return dst
}

// particleRun returns the index of the token that a run of two or more minor tokens starting
// at i precedes (all of one role), or -1 when there is no such run starting at i.
func particleRun(toks []Token, i int) int {
	if !toks[i].Minor || i > 0 && toks[i-1].Minor && toks[i-1].Role == toks[i].Role {
		return -1
	}
	j := i
	for j < len(toks) && toks[j].Minor && toks[j].Role == toks[i].Role {
		j++
	}
	if j-i < 2 || j == len(toks) || toks[j].Role != toks[i].Role {
		return -1
	}
	return j
}

// NameMatch is how two name units compare, weakest first.
type NameMatch uint8

const (
	// NameNone: no match.
	NameNone NameMatch = iota
	// NamePhonetic: different spellings with the same phonetic skeleton (MOHAMMED, MUHAMMAD).
	NamePhonetic
	// NameTypo: one edit apart (insertion, deletion, substitution, adjacent transposition),
	// single tokens of at least MinTypoLen bytes only.
	NameTypo
	// NameMRZ: equal once the MRZ transliterations AE, OE, UE, AA are read as A, O, U, A
	// (MUELLER, MÜLLER, MULLER).
	NameMRZ
	// NameExact: equal.
	NameExact
)

// similarity is the similarity of each NameMatch.
var similarity = [...]float64{NameNone: 0, NamePhonetic: 0.80, NameTypo: 0.85, NameMRZ: 0.90, NameExact: 1}

// Similarity returns the similarity of a NameMatch: 1 exact, 0.90 MRZ transliteration, 0.85
// one edit, 0.80 phonetic, 0 none.
func (m NameMatch) Similarity() float64 { return similarity[m] }

// InitialSimilarity is how much an initial (a single letter) matches a token of the same name
// part that it starts. Initials never make a match on their own.
const InitialSimilarity = 0.6

// TypoSimilarity is the similarity of two tokens one edit apart.
const TypoSimilarity = 0.85

// CompareUnits compares two units. Joined units compare exactly, by MRZ transliteration or
// phonetically, never with a typo. Two units that match exactly, by MRZ transliteration or with
// a typo share an index key (see AppendUnitKeys); two that match phonetically have the same
// skeleton, which the index keeps as a term of its own. These are the invariants indexed
// candidate search relies on.
func CompareUnits(a, b *Unit) NameMatch {
	return compareText(a.Text, a.Skel, a.Joined, b.Text, b.Skel, b.Joined)
}

// UnitSimilarity is CompareUnits(a, b).Similarity().
func UnitSimilarity(a, b *Unit) float64 { return CompareUnits(a, b).Similarity() }

func compareText(a, aSkel string, aJoined bool, b, bSkel string, bJoined bool) NameMatch {
	switch {
	case a == b:
		return NameExact
	case normalize.MRZEqual(a, b):
		return NameMRZ
	case !aJoined && !bJoined && max(len(a), len(b)) >= MinTypoLen && WithinOneEdit(a, b):
		return NameTypo
	case aSkel != "" && aSkel == bSkel:
		return NamePhonetic
	}
	return NameNone
}

// WithinOneEdit reports whether a and b are at optimal-string-alignment distance exactly 1 in
// bytes: one insertion, deletion, substitution or transposition of adjacent bytes.
func WithinOneEdit(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	switch len(b) - len(a) {
	case 0:
		i := 0
		for i < len(a) && a[i] == b[i] {
			i++
		}
		if i == len(a) {
			return false // equal
		}
		if a[i+1:] == b[i+1:] {
			return true // substitution
		}
		return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	case 1:
		i := 0
		for i < len(a) && a[i] == b[i] {
			i++
		}
		return a[i:] == b[i+1:]
	default:
		return false
	}
}

// AppendUnitKeys appends the index keys of a unit (see AppendTextKeys).
func AppendUnitKeys(dst []uint64, u *Unit) []uint64 { return AppendTextKeys(dst, u.Text, u.Joined) }

// AppendTextKeys appends the index keys of a unit's text: the hash of the text; the hash of
// its MRZ fold when that differs; and, for a single token of at least MinTypoLen bytes, the
// hash of every one-byte deletion. Two units that CompareUnits matches exactly, by MRZ
// transliteration or with a typo always share a key:
//   - equal texts share the text key;
//   - MRZ-equal texts share the key of their common fold, which is the text key of a text
//     that does not fold;
//   - a substitution or transposition (same length ≥ MinTypoLen) shares the deletion at the
//     edited position;
//   - an insertion: the longer (≥ MinTypoLen) has the shorter as one of its deletions.
//
// Phonetic matches are found through SkeletonKey instead.
func AppendTextKeys(dst []uint64, text string, joined bool) []uint64 {
	dst = append(dst, hashString(text, -1))
	if h := hashMRZ(text); h != dst[len(dst)-1] {
		dst = append(dst, h)
	}
	if joined || len(text) < MinTypoLen {
		return dst
	}
	for i := 0; i < len(text); i++ {
		if i > 0 && text[i] == text[i-1] {
			continue // deleting either of two equal neighbours gives the same string
		}
		dst = append(dst, hashString(text, i))
	}
	return dst
}

// SkeletonKey is the index key of a phonetic skeleton (normalize.Skeleton).
func SkeletonKey(skel string) uint64 {
	h := uint64(fnvOffset)
	h ^= 0x01 // its own key space: no name text starts with a control byte
	h *= fnvPrime
	for i := 0; i < len(skel); i++ {
		h ^= uint64(skel[i])
		h *= fnvPrime
	}
	return fmix(h)
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// hashString is FNV-1a of s with the byte at skip left out (skip < 0: nothing left out).
// It is deterministic across processes, so persisted snapshots keep their keys.
func hashString(s string, skip int) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(s); i++ {
		if i == skip {
			continue
		}
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return fmix(h)
}

// hashMRZ is hashString(normalize.MRZFold(s), -1), without allocating.
func hashMRZ(s string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
		if i+1 < len(s) && (s[i+1] == 'E' && (s[i] == 'A' || s[i] == 'O' || s[i] == 'U') || s[i] == 'A' && s[i+1] == 'A') {
			i++
		}
	}
	return fmix(h)
}

// fmix is the murmur3 64-bit finaliser, so low and high bits are well mixed.
func fmix(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}
