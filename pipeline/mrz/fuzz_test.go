package mrz_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/mrz"
)

// FuzzParse feeds Parse arbitrary text (seeded with every specimen, so that most mutations
// keep the MRZ shape and exercise the field logic). Invariants:
//   - it never panics, and an error is always an ErrNotMRZ *ShapeError;
//   - Valid is true exactly when every check digit is valid, and there are at least three;
//   - every check holds one expected and one found character, Valid iff they agree;
//   - every hint swaps one of the confusable pairs (O/0, I/1, S/5, B/8, Z/2, G/6) and points
//     inside the zone;
//   - dates are valid (possibly partial) and a birth date is never after the reference date;
//   - Sex is M, F or U, and parsing is deterministic.
func FuzzParse(f *testing.F) {
	for _, in := range [][]string{
		td3Specimen, td1Specimen, td1Long, td2Specimen, td2Long, mrvaSpecimen, mrvbSpecimen,
		germanPassport, germanID,
		{td3Specimen[0], "L8989O2C36UT07408122F12O4159ZE184226B<<<<<10"},
		{"I<UTOAB1234567<89011<OPT1X<<<<", "9001011M3001019UTOEXTRA<<<<<<5", "DOE<<JOHN<<<<<<<<<<<<<<<<<<<<<"},
		{"IDD<<T220001293<<<<<<<<<<<<<<<", "64<<<<4F3108011D<<<<<<<<<<<<<0", "MUSTERMANN<<ERIKA<<<<<<<<<<<<<"},
	} {
		f.Add(strings.Join(in, "\n"))
	}
	f.Add("")
	f.Add("p<uto\n\n  ")
	pairs := map[string]string{"O": "0", "I": "1", "S": "5", "B": "8", "Z": "2", "G": "6"}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := mrz.Parse([]string{s}, ref)
		if err != nil {
			var se *mrz.ShapeError
			if !errors.Is(err, mrz.ErrNotMRZ) || !errors.As(err, &se) || se.Line < 0 || se.Column < 0 {
				t.Fatalf("error %#v is not a located ErrNotMRZ", err)
			}
			return
		}
		width := map[string]int{"TD1": 30, "TD2": 36, "TD3": 44, "MRV-A": 44, "MRV-B": 36}[r.Format]
		lines := 2
		if r.Format == "TD1" {
			lines = 3
		}
		if width == 0 {
			t.Fatalf("unknown format %q", r.Format)
		}
		if len(r.Checks) < 3 {
			t.Fatalf("only %d checks", len(r.Checks))
		}
		all := true
		for _, c := range r.Checks {
			if len(c.Expected) != 1 || len(c.Found) != 1 || c.Valid != (c.Expected == c.Found) {
				t.Fatalf("inconsistent check %+v", c)
			}
			all = all && c.Valid
		}
		if r.Valid != all {
			t.Fatalf("Valid = %v but all checks valid = %v", r.Valid, all)
		}
		for _, h := range r.Hints {
			if pairs[h.Found] != h.Suggest && pairs[h.Suggest] != h.Found {
				t.Fatalf("hint swaps a non-confusable pair: %+v", h)
			}
			if h.Line < 1 || h.Line > lines || h.Column < 1 || h.Column > width || h.Position < 1 {
				t.Fatalf("hint outside the zone: %+v", h)
			}
		}
		for _, d := range []event.Date{r.BirthDate, r.Expiry} {
			if err := d.Validate(); err != nil {
				t.Fatalf("date %+v: %v", d, err)
			}
		}
		if b := r.BirthDate; b.Year > ref.Year() || (b.Year == ref.Year() && b.Month > int(ref.Month())) ||
			(b.Year == ref.Year() && b.Month == int(ref.Month()) && b.Day > ref.Day()) {
			t.Fatalf("birth date %v after the reference date", b)
		}
		if r.Sex != "M" && r.Sex != "F" && r.Sex != "U" {
			t.Fatalf("sex %q", r.Sex)
		}
		again, err := mrz.Parse([]string{s}, ref)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(r, again); diff != "" {
			t.Fatalf("second parse differs:\n%s", diff)
		}
	})
}

// FuzzTransliterate: never panics; the output holds only A–Z, space and '<', has no leading,
// trailing or double spaces, and transliterating it again changes nothing (idempotent).
func FuzzTransliterate(f *testing.F) {
	for _, s := range []string{"", "Jörg Müller-Weiß", "Жанна Хрущёва", "Peña", "O'Brien", "محمد", "ＳＭＩＴＨ", "Mu\u0308ller", "ﬁnn", "<< a <"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, nxx bool) {
		out, _ := mrz.TransliterateWith(s, mrz.TranslitOptions{NXX: nxx})
		for i := 0; i < len(out); i++ {
			if c := out[i]; !(c >= 'A' && c <= 'Z' || c == ' ' || c == '<') {
				t.Fatalf("TransliterateWith(%q) = %q: byte %q outside A-Z, space, <", s, out, c)
			}
		}
		if strings.HasPrefix(out, " ") || strings.HasSuffix(out, " ") || strings.Contains(out, "  ") {
			t.Fatalf("TransliterateWith(%q) = %q: untidy spaces", s, out)
		}
		if again, complete := mrz.TransliterateWith(out, mrz.TranslitOptions{NXX: nxx}); again != out || !complete {
			t.Fatalf("not idempotent: %q -> %q -> %q (complete %v)", s, out, again, complete)
		}
		if nxx {
			return
		}
		if plain := mrz.Transliterate(s); plain != out {
			t.Fatalf("Transliterate(%q) = %q, TransliterateWith = %q", s, plain, out)
		}
	})
}
