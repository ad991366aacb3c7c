package normalize_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/watchpost/watchpost/pipeline/normalize"
)

func TestNameTokens(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", nil},
		{"only separators", " -<<,. ", nil},
		{"ascii upper", "SMITH", []string{"SMITH"}},
		{"ascii lower and spaces", "  john   paul ", []string{"JOHN", "PAUL"}},
		{"hyphen separates", "Jean-Pierre", []string{"JEAN", "PIERRE"}},
		{"mrz filler separates", "GARCIA<<MARIA<JOSE", []string{"GARCIA", "MARIA", "JOSE"}},
		{"apostrophe joins", "O'Brien", []string{"OBRIEN"}},
		{"typographic apostrophe joins", "D’Artagnan", []string{"DARTAGNAN"}},
		{"punctuation separates", "Smith, John (Jr.)", []string{"SMITH", "JOHN", "JR"}},
		{"diacritics stripped", "José Čapek Øre", []string{"JOSE", "CAPEK", "OERE"}},
		{"icao umlauts", "Müller Bär Öztürk", []string{"MUELLER", "BAER", "OEZTUERK"}},
		{"icao a ring", "Ångström", []string{"AANGSTROEM"}},
		{"diaeresis on other vowels stripped", "Noël Zoë", []string{"NOEL", "ZOE"}},
		{"ae ligature", "Ærø", []string{"AEROE"}},
		{"o slash and a ring", "Søren Ødegård", []string{"SOEREN", "OEDEGAARD"}},
		{"sharp s", "Straße", []string{"STRASSE"}},
		{"thorn and eth", "Þórður", []string{"THORDUR"}},
		{"polish l", "Łukasz Wałęsa", []string{"LUKASZ", "WALESA"}},
		{"oe ligature", "Œuvre", []string{"OEUVRE"}},
		{"compatibility ligature", "ﬁnn", []string{"FINN"}},
		{"full-width letters", "ＳＭＩＴＨ", []string{"SMITH"}},
		{"cyrillic", "Иванов Пётр", []string{"IVANOV", "PETR"}},
		{"cyrillic short i", "Андрей", []string{"ANDREI"}},
		{"ukrainian", "Євген Щербак", []string{"IEVGEN", "SHCHERBAK"}},
		{"greek", "Παπαδόπουλος Γιώργος", []string{"PAPADOPOULOS", "GIORGOS"}},
		{"untransliterated script kept", "สมชาย", []string{"สมชาย"}},
		{"digits kept", "Louis XIV 2nd", []string{"LOUIS", "XIV", "2ND"}},
		{"mixed lower ascii after upper", "McDONALD", []string{"MCDONALD"}},
		// The Arabic article, assimilated to a sun letter or after ABD.
		{"article assimilated", "Ash-Shami", []string{"AL", "SHAMI"}},
		{"article assimilated, french", "ECH-CHAMI", []string{"AL", "CHAMI"}},
		{"article assimilated, spaced", "Nour ed Dine", []string{"NOUR", "AL", "DINE"}},
		{"article assimilated, urdu", "Hafiz ur Rehman", []string{"HAFIZ", "AL", "REHMAN"}},
		{"assimilation needs the letter", "AR HASSAN", []string{"AR", "HASSAN"}},
		{"ed before another word", "Ed Davis", []string{"ED", "DAVIS"}},
		{"an is a name", "An Nguyen", []string{"AN", "NGUYEN"}},
		{"abd with the article", "Abd el-Karim", []string{"ABDEL", "KARIM"}},
		{"abd with an assimilated article", "ABD ER RAHMAN", []string{"ABDAL", "RAHMAN"}},
		{"abd alone", "ABD KARIM", []string{"ABD", "KARIM"}},
		{"arabic script article", "عبد الرحمن", []string{"ABDALRHMN"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := normalize.NameTokens(tt.in)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("NameTokens mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDocNumber(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want, wantOCR string
	}{
		{"empty", "", "", ""},
		{"canonical", "AB1234567", "AB1234567", "A81234567"},
		{"lower case", "ab1234567", "AB1234567", "A81234567"},
		{"spaces dashes dots slashes", " AB-123.456/7 ", "AB1234567", "A81234567"},
		{"mrz fillers", "X1234<<<<", "X1234", "X1234"},
		{"full-width digits", "ＡＢ１２３", "AB123", "A8123"},
		{"cyrillic homoglyphs", "АВ123", "AB123", "A8123"},
		{"greek homoglyphs lower", "κρ77", "KP77", "KP77"},
		{"other symbols dropped", "N°12#34", "N1234", "N1234"},
		{"ocr confusables", "OQDILZSGB", "OQDILZSGB", "000112568"},
		{"digits unchanged by ocr", "0123456789", "0123456789", "0123456789"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := normalize.DocNumber(tt.in); got != tt.want {
				t.Errorf("DocNumber = %q, want %q", got, tt.want)
			}
			if got := normalize.DocNumberOCR(tt.in); got != tt.wantOCR {
				t.Errorf("DocNumberOCR = %q, want %q", got, tt.wantOCR)
			}
		})
	}
}

func TestCountry(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"canonical", "FRA", "FRA"},
		{"lower with spaces", " fra ", "FRA"},
		{"german one-letter", "D", "DEU"},
		{"german mrz filled", "D<<", "DEU"},
		{"german lower", "d", "DEU"},
		{"icao special kept", "GBD", "GBD"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := normalize.Country(tt.in); got != tt.want {
				t.Errorf("Country(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzNameTokens checks that NameTokens never panics, never returns an empty token or one
// containing a separator, and is idempotent: folding the joined tokens again gives the same
// tokens.
func FuzzNameTokens(f *testing.F) {
	for _, s := range []string{"", "Jean-Pierre O'Brien", "Søren Ødegård", "Иванов Пётр", "Παπαδόπουλος", "محمد بن سلمان", "ＳＭＩＴＨ<<JOHN", "ǅemal", "㎏", "ΐ", "\xff\xfe", "ABD UR REHMAN", "ech-Chami ABD el"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks := normalize.NameTokens(s)
		for i, tok := range toks {
			if tok == "" {
				t.Fatalf("token %d is empty", i)
			}
			if strings.ContainsAny(tok, " -<'") {
				t.Fatalf("token %d contains a separator", i)
			}
			for j := 0; j < len(tok); j++ {
				if c := tok[j]; c >= 'a' && c <= 'z' {
					t.Fatalf("token %d has a lower-case ASCII letter", i)
				}
			}
		}
		again := normalize.NameTokens(strings.Join(toks, " "))
		if diff := cmp.Diff(toks, again); diff != "" {
			t.Fatalf("not idempotent (-first +second):\n%s", diff)
		}
	})
}

// FuzzDocNumber checks that DocNumber and DocNumberOCR never panic, are idempotent, return only
// upper-case ASCII letters and digits, and that DocNumberOCR(x) == DocNumberOCR(DocNumber(x)).
func FuzzDocNumber(f *testing.F) {
	for _, s := range []string{"", "AB-123 456", "x1234<<<", "ＡＢ１２３", "АВ123", "OQDILZSGB", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := normalize.DocNumber(s)
		for i := 0; i < len(d); i++ {
			if c := d[i]; !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
				t.Fatalf("DocNumber output byte %d is not an upper-case letter or digit", i)
			}
		}
		if normalize.DocNumber(d) != d {
			t.Fatal("DocNumber not idempotent")
		}
		o := normalize.DocNumberOCR(s)
		if normalize.DocNumberOCR(o) != o {
			t.Fatal("DocNumberOCR not idempotent")
		}
		if normalize.DocNumberOCR(d) != o {
			t.Fatal("DocNumberOCR differs between raw and canonical input")
		}
		if len(o) != len(d) {
			t.Fatal("DocNumberOCR changed the length")
		}
		if c := normalize.Country(s); normalize.Country(c) != c {
			t.Fatal("Country not idempotent")
		}
	})
}
