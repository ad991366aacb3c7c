package ident_test

import (
	"testing"
	"unicode/utf8"

	"github.com/watchpost/watchpost/pipeline/ident"
)

// checkResult holds the invariants every kind shares: Valid iff no check failed, Reason
// empty iff valid, every status known, and normalising is idempotent (the normalised form
// gives the same normalised form and verdict).
func checkResult(t *testing.T, fn func(string) ident.Result, s string) ident.Result {
	t.Helper()
	r := fn(s)
	failed := false
	for _, c := range r.Checks {
		switch c.Status {
		case ident.Pass, ident.NotApplicable:
		case ident.Fail:
			failed = true
		default:
			t.Fatalf("%q: unknown status %q", s, c.Status)
		}
	}
	if r.Valid == failed || r.Valid != (r.Reason == "") || len(r.Checks) == 0 {
		t.Fatalf("%q: valid %v, failed %v, reason %q, %d checks", s, r.Valid, failed, r.Reason, len(r.Checks))
	}
	again := fn(r.Normalized)
	if again.Normalized != r.Normalized || again.Valid != r.Valid {
		t.Fatalf("%q normalises to %q (valid %v), which normalises to %q (valid %v)", s, r.Normalized, r.Valid, again.Normalized, again.Valid)
	}
	return r
}

func vinAlphabet(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') || c == 'I' || c == 'O' || c == 'Q' {
			return false
		}
	}
	return true
}

// FuzzVIN: the shared invariants; a valid VIN is 17 characters of the VIN alphabet, and a
// valid North American VIN carries its computed check digit.
func FuzzVIN(f *testing.F) {
	for _, s := range []string{"1M8GDM9AXKP042788", "WVWZZZ1JZXW000001", "1m8-gdm9a xkp042788", "114785A", "1M8GDM9AXKP04278O", "", "ＶＩＮ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := checkResult(t, ident.VIN, s)
		if !r.Valid {
			return
		}
		if len(r.Normalized) != 17 || !vinAlphabet(r.Normalized) {
			t.Fatalf("valid VIN %q normalised to %q", s, r.Normalized)
		}
		if c := r.Normalized[0]; c >= '1' && c <= '5' {
			if d, _ := ident.VINCheckDigit(r.Normalized); d != r.Normalized[8] {
				t.Fatalf("valid North American VIN %q has check digit %c, computed %c", s, r.Normalized[8], d)
			}
		}
	})
}

// imoLabelForms are ways certificates and port forms write the label before an IMO number.
var imoLabelForms = []string{"IMO ", "IMO No. ", "IMO NO ", "IMO Nr. ", "IMO-Nr.: ", "IMO number ", "imo nummer ", "IMO N° ", "IMO Nº ", "IMO № ", "No. ", "Nr ", "IMO# "}

// FuzzIMO: the shared invariants; a valid IMO number is seven digits with its check digit;
// the number under any label form (imoLabelForms) normalises as the bare number does, and a
// valid number stays valid; TrimIMOLabel is a fixed point.
func FuzzIMO(f *testing.F) {
	for _, s := range []string{"IMO 9074729", "9074729", "9074728", "imo:9074729", "IMO", "", "9O74729", "IMO No. 9074729", "NO.907472", "IMON°:9O74729", "NUMBER"} {
		f.Add(s, uint8(0))
	}
	f.Add("9074729", uint8(5))
	f.Fuzz(func(t *testing.T, s string, label uint8) {
		r := checkResult(t, ident.IMO, s)
		if trimmed := ident.TrimIMOLabel(r.Normalized); trimmed != r.Normalized {
			t.Fatalf("%q normalises to %q, which TrimIMOLabel makes %q", s, r.Normalized, trimmed)
		}
		if utf8.RuneCountInString(r.Normalized) == 7 && r.Normalized[0] >= '0' && r.Normalized[0] <= '9' {
			form := imoLabelForms[int(label)%len(imoLabelForms)]
			l := checkResult(t, ident.IMO, form+r.Normalized)
			if l.Normalized != r.Normalized || l.Valid != r.Valid {
				t.Fatalf("%q normalises to %q (valid %v), but %q to %q (valid %v)", s, r.Normalized, r.Valid, form+r.Normalized, l.Normalized, l.Valid)
			}
		}
		if !r.Valid {
			return
		}
		if len(r.Normalized) != 7 {
			t.Fatalf("valid IMO %q normalised to %q", s, r.Normalized)
		}
		if d, ok := ident.IMOCheckDigit(r.Normalized[:6]); !ok || d != r.Normalized[6] {
			t.Fatalf("valid IMO %q fails its check digit", s)
		}
	})
}

// FuzzHIN: the shared invariants; a valid HIN has twelve ASCII letters and digits with a
// serial free of I, O and Q, and normalises to them, after "CC-" when it had a country prefix.
func FuzzHIN(f *testing.F) {
	for _, s := range []string{"US-ABC12345D404", "ABC12345D404", "FR-ABC12345K506", "ABC67689M83J", "ABC1234", "", "XX-ABC12345D404", "ABC12345D4ö"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := checkResult(t, ident.HIN, s)
		if !r.Valid {
			return
		}
		n := r.Fields["hin"]
		if len(n) != 12 || (r.Normalized != n && r.Normalized != r.Fields["country"]+"-"+n) {
			t.Fatalf("valid HIN %q normalised to %q, hin %q", s, r.Normalized, n)
		}
		for i := 0; i < 12; i++ {
			c := n[i]
			if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') || (i >= 3 && i < 8 && (c == 'I' || c == 'O' || c == 'Q')) {
				t.Fatalf("valid HIN %q normalised to %q", s, n)
			}
		}
	})
}
