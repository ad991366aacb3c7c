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

// MinTypoLen is the shortest token (in bytes) that tolerates one edit: shorter tokens match
// exactly or not at all.
const MinTypoLen = 4

// Token is one folded name token.
type Token struct {
	Text string
	Role Role
	// Minor marks a particle (AL, BIN, VAN, DE, …) or a single character: it never makes a
	// match on its own and carries no weight, but it joins its neighbour in a joined unit.
	Minor bool
	// Secondary marks a given name after the first; it weighs half.
	Secondary bool
	// Weight is the token's IDF weight in its snapshot (0 for minor tokens).
	Weight float64
}

// Unit is a comparable piece of a name: one non-minor token, or two adjacent tokens of the
// same part joined (AL HASSAN → ALHASSAN, JEAN PIERRE → JEANPIERRE). First and Last are the
// indexes of the tokens it covers.
type Unit struct {
	Text        string
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
}

// IsParticle reports whether a folded token is a name particle.
func IsParticle(tok string) bool { return particles[tok] }

// AppendTokens folds one name part into tokens and appends them to dst. Given names after the
// first non-minor one are marked secondary. Weights are left zero.
func AppendTokens(dst []Token, part string, role Role) []Token {
	firstGiven := true
	for i, text := range normalize.NameTokens(part) {
		if i == MaxNameTokens {
			break
		}
		t := Token{Text: text, Role: role, Minor: len(text) < 2 || particles[text]}
		if role == RoleGiven && !t.Minor {
			t.Secondary = !firstGiven
			firstGiven = false
		}
		dst = append(dst, t)
	}
	return dst
}

// AppendUnits appends the units of toks to dst: every non-minor token, and every two adjacent
// tokens of the same role joined.
func AppendUnits(dst []Unit, toks []Token) []Unit {
	for i, t := range toks {
		if !t.Minor {
			dst = append(dst, Unit{Text: t.Text, First: i, Last: i, Role: t.Role})
		}
		if i+1 < len(toks) && toks[i+1].Role == t.Role {
			dst = append(dst, Unit{Text: t.Text + toks[i+1].Text, First: i, Last: i + 1, Role: t.Role, Joined: true})
		}
	}
	return dst
}

// UnitSimilarity is how alike two units are: 1 when equal; TypoSimilarity when both are single
// tokens one edit apart (optimal string alignment distance 1, bytes) and the longer has at
// least MinTypoLen bytes; 0 otherwise. Whenever it is positive the two units share an index
// key (see AppendUnitKeys) — the invariant indexed candidate search relies on.
func UnitSimilarity(a, b *Unit) float64 {
	if a.Text == b.Text {
		return 1
	}
	if a.Joined || b.Joined || max(len(a.Text), len(b.Text)) < MinTypoLen {
		return 0
	}
	if WithinOneEdit(a.Text, b.Text) {
		return TypoSimilarity
	}
	return 0
}

// TypoSimilarity is the similarity of two tokens one edit apart.
const TypoSimilarity = 0.85

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

// AppendUnitKeys appends the index keys of a unit: the hash of its text and, for a single token
// of at least MinTypoLen bytes, the hash of every one-byte deletion of it. Two units with a
// positive UnitSimilarity always share a key:
//   - equal texts share the text key;
//   - a substitution or transposition (same length ≥ MinTypoLen) shares the deletion at the
//     edited position;
//   - an insertion: the longer (≥ MinTypoLen) has the shorter as one of its deletions.
func AppendUnitKeys(dst []uint64, u *Unit) []uint64 {
	dst = append(dst, hashString(u.Text, -1))
	if u.Joined || len(u.Text) < MinTypoLen {
		return dst
	}
	for i := 0; i < len(u.Text); i++ {
		if i > 0 && u.Text[i] == u.Text[i-1] {
			continue // deleting either of two equal neighbours gives the same string
		}
		dst = append(dst, hashString(u.Text, i))
	}
	return dst
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
	// Finalise (murmur3 fmix64) so low bits are well mixed for table indexing.
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}
