package gen

import (
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFoldTokens(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		want     []string
	}{
		{"plain", "JEAN PIERRE", []string{"JEAN", "PIERRE"}},
		{"lower and accents", "Hélène Françoise", []string{"HELENE", "FRANCOISE"}},
		{"turkish dotted and dotless i", "ŞAHİN ılgaz", []string{"SAHIN", "ILGAZ"}},
		{"german sharp s and umlaut", "GROßMANN MÜLLER", []string{"GROSSMANN", "MULLER"}},
		{"hyphen and apostrophe split", "AL-HASHIMI O'BRIEN", []string{"AL", "HASHIMI", "O", "BRIEN"}},
		{"repeated separators", "  VAN -- DER  BERG ", []string{"VAN", "DER", "BERG"}},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, foldTokens(tt.in)); diff != "" {
				t.Errorf("foldTokens mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNameKeyIgnoresOrderAndMarks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		a, b       [2]string
		wantEquals bool
	}{
		{"swapped parts", [2]string{"DUPONT", "JEAN"}, [2]string{"JEAN", "DUPONT"}, true},
		{"accents", [2]string{"LEFÈVRE", "HÉLÈNE"}, [2]string{"LEFEVRE", "HELENE"}, true},
		{"hyphen", [2]string{"AL-HASHIMI", "ALI"}, [2]string{"AL HASHIMI", "ALI"}, true},
		{"different", [2]string{"DUPONT", "JEAN"}, [2]string{"DUPONT", "JEANNE"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := nameKey(tt.a[0], tt.a[1]) == nameKey(tt.b[0], tt.b[1]); got != tt.wantEquals {
				t.Errorf("nameKey equal = %v, want %v", got, tt.wantEquals)
			}
		})
	}
}

func TestDocumentKeys(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, wantCanon, wantOCR string
	}{
		{"clean", "12AB34567", "12AB34567", "12A834567"},
		{"noise", " 12ab-345 67", "12AB34567", "12A834567"},
		{"ocr letters", "O1IS BZG", "O1ISBZG", "0115826"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := canonNumber(tt.in); got != tt.wantCanon {
				t.Errorf("canonNumber = %q, want %q", got, tt.wantCanon)
			}
			if got := ocrKey(tt.in); got != tt.wantOCR {
				t.Errorf("ocrKey = %q, want %q", got, tt.wantOCR)
			}
		})
	}
}

// levenshtein is the plain edit distance, the reference the neighbourhood checks are held to.
func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// oneEdit reports whether a and b are equal or one substitution, insertion or deletion
// apart: the linear-time reference the collision tests use.
func oneEdit(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > 1 {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if len(a) == len(b) {
		return i == len(a) || a[i+1:] == b[i+1:]
	}
	return a[i:] == b[i+1:]
}

// TestWithin1MatchesLevenshtein holds the deletion-neighbourhood test to the edit distance on
// random tokens over a small alphabet, where near pairs are frequent.
func TestWithin1MatchesLevenshtein(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(7, 7))
	word := func() string {
		b := make([]byte, 4+r.IntN(4))
		for i := range b {
			b[i] = "ABC"[r.IntN(3)]
		}
		return string(b)
	}
	for range 20000 {
		a, b := word(), word()
		if r.IntN(2) == 0 { // make near pairs common
			bb := []byte(a)
			bb[r.IntN(len(bb))] = "ABC"[r.IntN(3)]
			b = string(bb)
		}
		d := levenshtein(a, b)
		if oneEdit(a, b) != (d <= 1) {
			t.Fatalf("oneEdit(%q, %q) = %v at distance %d", a, b, oneEdit(a, b), d)
		}
		if got := within1(a, b) || a == b; d <= 1 && !got {
			t.Fatalf("within1(%q, %q) = false at distance %d", a, b, d)
		}
		if within1(a, b) && d > 2 {
			t.Fatalf("within1(%q, %q) = true at distance %d", a, b, d)
		}
	}
}

// TestPoolsKeepTravellersAway checks the pool split directly: no traveller surname token is
// a record token or within one edit of one.
func TestPoolsKeepTravellersAway(t *testing.T) {
	t.Parallel()
	p, err := buildPools(rand.New(rand.NewPCG(3, 3)))
	if err != nil {
		t.Fatal(err)
	}
	rec := map[string]bool{}
	for _, ss := range p.rec {
		for _, s := range ss {
			for _, tok := range append(coreTokens(s.m), coreTokens(s.f)...) {
				rec[tok] = true
			}
		}
	}
	for i, ss := range p.trav {
		if len(ss) < 8 {
			t.Errorf("culture %s: only %d traveller surnames", cultures[i].id, len(ss))
		}
		for _, s := range ss {
			for _, tok := range append(coreTokens(s.m), coreTokens(s.f)...) {
				for r := range rec {
					if tok == r || (len(tok) >= 4 && len(r) >= 4 && oneEdit(tok, r)) {
						t.Fatalf("culture %s: traveller surname token within one edit of a record token", cultures[i].id)
					}
				}
			}
		}
	}
}

func TestNicknamesAreNoNames(t *testing.T) {
	t.Parallel()
	given := map[string]bool{}
	for i := range cultures {
		for _, g := range cultures[i].givenTokens() {
			for _, f := range foldTokens(g) {
				given[f] = true
			}
		}
	}
	for _, n := range append(nicknames, unidentified) {
		for _, tok := range coreTokens(n) {
			if given[tok] {
				t.Errorf("nickname %q contains a given name", n)
			}
		}
	}
}
