package ident_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/watchpost/watchpost/pipeline/ident"
)

// statuses renders a result's checks as "name=status" for compact comparison.
func statuses(r ident.Result) []string {
	var out []string
	for _, c := range r.Checks {
		out = append(out, c.Name+"="+string(c.Status))
	}
	return out
}

type identCase struct {
	name           string
	in             string
	wantNormalized string
	wantValid      bool
	wantReason     string // substring of Reason; "" when valid
	wantChecks     []string
	wantFields     map[string]string // a subset of Fields
}

func runCases(t *testing.T, fn func(string) ident.Result, tests []identCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := fn(tt.in)
			if got.Input != tt.in || got.Normalized != tt.wantNormalized || got.Valid != tt.wantValid {
				t.Errorf("got input %q normalized %q valid %v; want %q, %q, %v", got.Input, got.Normalized, got.Valid, tt.in, tt.wantNormalized, tt.wantValid)
			}
			if tt.wantValid != (got.Reason == "") {
				t.Errorf("valid %v with reason %q", got.Valid, got.Reason)
			}
			if !strings.Contains(got.Reason, tt.wantReason) {
				t.Errorf("reason %q does not contain %q", got.Reason, tt.wantReason)
			}
			if diff := cmp.Diff(tt.wantChecks, statuses(got)); diff != "" {
				t.Errorf("checks mismatch (-want +got):\n%s", diff)
			}
			for k, v := range tt.wantFields {
				if got.Fields[k] != v {
					t.Errorf("Fields[%q] = %q, want %q (all: %v)", k, got.Fields[k], v, got.Fields)
				}
			}
		})
	}
}

func TestVIN(t *testing.T) {
	t.Parallel()
	runCases(t, ident.VIN, []identCase{
		{"North American, check digit X", "1M8GDM9AXKP042788", "1M8GDM9AXKP042788", true, "",
			[]string{"length=pass", "alphabet=pass", "check_digit=pass", "model_year=pass"},
			map[string]string{"wmi": "1M8", "region": "North America", "model_year": "1989 or 2019"}},
		{"North American, numeric check digit", "1HGCM82633A004352", "1HGCM82633A004352", true, "",
			[]string{"length=pass", "alphabet=pass", "check_digit=pass", "model_year=pass"},
			map[string]string{"model_year": "2003 or 2033"}},
		{"European: check digit not applicable", "WVWZZZ1JZXW000001", "WVWZZZ1JZXW000001", true, "",
			[]string{"length=pass", "alphabet=pass", "check_digit=n/a"},
			map[string]string{"wmi": "WVW", "region": "Europe"}},
		{"Asian: check digit not applicable", "JT2AE92E5J3104815", "JT2AE92E5J3104815", true, "",
			[]string{"length=pass", "alphabet=pass", "check_digit=n/a"},
			map[string]string{"region": "Asia"}},
		{"lower case, spaces and dashes normalised", " 1m8gdm9a-xkp 042788 ", "1M8GDM9AXKP042788", true, "",
			[]string{"length=pass", "alphabet=pass", "check_digit=pass", "model_year=pass"}, nil},
		{"wrong check digit", "1M8GDM9A1KP042788", "1M8GDM9A1KP042788", false, "check_digit: position 9 is 1, computed X",
			[]string{"length=pass", "alphabet=pass", "check_digit=fail", "model_year=pass"}, nil},
		{"letter O", "1M8GDM9AXKP04278O", "1M8GDM9AXKP04278O", false, "position 17: O is never used in VINs (may be 0)",
			[]string{"length=pass", "alphabet=fail", "check_digit=n/a"}, nil},
		{"punctuation", "1M8GDM9AXKP04278/", "1M8GDM9AXKP04278/", false, "position 17: not a letter or digit",
			[]string{"length=pass", "alphabet=fail", "check_digit=n/a"}, nil},
		{"many bad characters summarised", "IIIIIGDM9AXKP0427", "IIIIIGDM9AXKP0427", false, "and 2 more",
			[]string{"length=pass", "alphabet=fail", "check_digit=n/a"}, nil},
		{"pre-1981 short VIN", "114785A", "114785A", false, "7 characters, want 17: VINs before 1981",
			[]string{"length=fail", "alphabet=pass", "check_digit=n/a"}, nil},
		{"too long", "1M8GDM9AXKP0427881", "1M8GDM9AXKP0427881", false, "18 characters, want 17",
			[]string{"length=fail", "alphabet=pass", "check_digit=n/a"}, nil},
		{"North American model year never U", "1M8GDM9A6UP042788", "1M8GDM9A6UP042788", false, "position 10 is U",
			[]string{"length=pass", "alphabet=pass", "check_digit=pass", "model_year=fail"}, nil},
		{"empty", "", "", false, "0 characters",
			[]string{"length=fail", "alphabet=fail", "check_digit=n/a"}, nil},
	})
}

func TestIMO(t *testing.T) {
	t.Parallel()
	runCases(t, ident.IMO, []identCase{
		{"with prefix", "IMO 9074729", "9074729", true, "",
			[]string{"length=pass", "digits=pass", "check_digit=pass"}, map[string]string{"prefix": "IMO"}},
		{"bare", "9074729", "9074729", true, "",
			[]string{"length=pass", "digits=pass", "check_digit=pass"}, nil},
		{"lower case prefix with colon", "imo: 9074729", "9074729", true, "",
			[]string{"length=pass", "digits=pass", "check_digit=pass"}, nil},
		{"another real number", "IMO 9176187", "9176187", true, "",
			[]string{"length=pass", "digits=pass", "check_digit=pass"}, nil},
		{"wrong check digit", "9074728", "9074728", false, "check_digit: last digit is 8, computed 9",
			[]string{"length=pass", "digits=pass", "check_digit=fail"}, nil},
		{"six digits", "IMO 907472", "907472", false, "6 characters after any IMO prefix, want 7 digits",
			[]string{"length=fail", "digits=pass", "check_digit=n/a"}, nil},
		{"letter O", "9O74729", "9O74729", false, "position 2: not a digit",
			[]string{"length=pass", "digits=fail", "check_digit=n/a"}, nil},
		{"empty", "IMO", "", false, "0 characters",
			[]string{"length=fail", "digits=fail", "check_digit=n/a"}, nil},
		{"label No.", "IMO No. 9074729", "9074729", true, "",
			[]string{"length=pass", "digits=pass", "check_digit=pass"}, map[string]string{"prefix": "IMO"}},
		{"label Nr. with colon", "IMO-Nr.: 9074729", "9074729", true, "",
			[]string{"length=pass", "digits=pass", "check_digit=pass"}, nil},
		{"label number", "IMO number 9074729", "9074729", true, "",
			[]string{"length=pass", "digits=pass", "check_digit=pass"}, nil},
		{"label NO without dot", "IMO NO 9074729", "9074729", true, "",
			[]string{"length=pass", "digits=pass", "check_digit=pass"}, nil},
		{"label N with degree sign", "IMO N° 9074729", "9074729", true, "",
			[]string{"length=pass", "digits=pass", "check_digit=pass"}, nil},
		{"numero sign", "IMO № 9074729", "9074729", true, "",
			[]string{"length=pass", "digits=pass", "check_digit=pass"}, nil},
		{"label without IMO", "No. 9074729", "9074729", true, "",
			[]string{"length=pass", "digits=pass", "check_digit=pass"}, nil},
		{"label before a short number is kept", "IMO No. 907472", "NO.907472", false, "9 characters after any IMO prefix",
			[]string{"length=fail", "digits=fail", "check_digit=n/a"}, nil},
		{"N before a letter is not a label", "IMO NO074729", "NO074729", false, "position 1: not a digit",
			[]string{"length=fail", "digits=fail", "check_digit=n/a"}, nil},
	})
}

func TestTrimIMOLabel(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"9074729": "9074729", "IMO9074729": "9074729", "IMOIMO:9074729": "9074729", ":9074729": "9074729", "::907472": "::907472",
		"IMONO9074729": "9074729", "IMONR.9074729": "9074729", "IMONUMBER:9074729": "9074729", "IMONUMMER9074729": "9074729",
		"NUMERO#9074729": "9074729", "IMON9074729": "9074729", "IMONº9074729": "9074729",
		"IMONO90747290": "NO90747290", "IMONOX074729": "NOX074729", "NOTANUMBER": "NOTANUMBER", "IMO": "", "": "",
	} {
		if got := ident.TrimIMOLabel(in); got != want {
			t.Errorf("TrimIMOLabel(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHIN(t *testing.T) {
	t.Parallel()
	runCases(t, ident.HIN, []identCase{
		{"US prefix", "US-ABC12345D404", "US-ABC12345D404", true, "",
			[]string{"length=pass", "country=pass", "manufacturer=pass", "serial=pass", "date=pass"},
			map[string]string{"hin": "ABC12345D404", "country": "US", "manufacturer": "ABC", "serial": "12345", "date_format": "model-year", "production_month": "2004-04", "model_year": "2004"}},
		{"bare twelve characters", "ABC12345D404", "ABC12345D404", true, "",
			[]string{"length=pass", "country=n/a", "manufacturer=pass", "serial=pass", "date=pass"},
			map[string]string{"hin": "ABC12345D404"}},
		{"EU CIN, built in November for the next model year", "FR-ABC12345K506", "FR-ABC12345K506", true, "",
			[]string{"length=pass", "country=pass", "manufacturer=pass", "serial=pass", "date=pass"},
			map[string]string{"country": "FR", "production_month": "2005-11", "model_year": "2006"}},
		{"model year in the 1990s", "TNRD1234H394", "TNRD1234H394", true, "",
			[]string{"length=pass", "country=n/a", "manufacturer=pass", "serial=pass", "date=pass"},
			map[string]string{"production_month": "1993-08", "model_year": "1994"}},
		{"straight-year format", "ABC67689M83J", "ABC67689M83J", true, "",
			[]string{"length=pass", "country=n/a", "manufacturer=pass", "serial=pass", "date=pass"},
			map[string]string{"date_format": "straight-year", "model_year": "1983"}},
		{"prefix without hyphen, spaces and lower case", "us abc 12345 d4 04", "US-ABC12345D404", true, "",
			[]string{"length=pass", "country=pass", "manufacturer=pass", "serial=pass", "date=pass"}, nil},
		{"spaces and lower case", "abc 12345 d4 04", "ABC12345D404", true, "",
			[]string{"length=pass", "country=n/a", "manufacturer=pass", "serial=pass", "date=pass"}, nil},
		{"unknown country", "XX-ABC12345D404", "XX-ABC12345D404", false, "not an ISO 3166-1 alpha-2",
			[]string{"length=pass", "country=fail", "manufacturer=pass", "serial=pass", "date=pass"}, nil},
		{"serial with O", "ABC1234OD404", "ABC1234OD404", false, "position 8: the serial takes letters and digits except I, O and Q",
			[]string{"length=pass", "country=n/a", "manufacturer=pass", "serial=fail", "date=pass"}, nil},
		{"production year fits neither", "ABC12345D447", "ABC12345D447", false, "production year digit 4",
			[]string{"length=pass", "country=n/a", "manufacturer=pass", "serial=pass", "date=fail"}, nil},
		{"month letter beyond L", "ABC12345N404", "ABC12345N404", false, "neither the model-year format",
			[]string{"length=pass", "country=n/a", "manufacturer=pass", "serial=pass", "date=fail"}, nil},
		{"straight-year out of its era", "ABC67689M95J", "ABC67689M95J", false, "only for model years 1972 to 1984",
			[]string{"length=pass", "country=n/a", "manufacturer=pass", "serial=pass", "date=fail"}, nil},
		{"pre-1972 or truncated", "ABC1234", "ABC1234", false, "7 characters, want 12, or 14",
			[]string{"length=fail", "format=n/a"}, nil},
		{"non-ASCII", "ABC12345D40ö", "ABC12345D40ö", false, "position 12: not a letter or digit",
			[]string{"length=pass", "format=fail"}, nil},
	})
}

func TestByKind(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ kind, in, want string }{
		{"vin", "1M8GDM9AXKP042788", "vin"},
		{"IMO", "IMO 9074729", "imo"},
		{"hin", "US-ABC12345D404", "hin"},
	} {
		got, err := ident.ByKind(tt.kind, tt.in)
		if err != nil || got.Kind != tt.want || !got.Valid {
			t.Errorf("ByKind(%q, %q) = %+v, %v", tt.kind, tt.in, got, err)
		}
	}
	if _, err := ident.ByKind("plate", "AB-123"); !errors.Is(err, ident.ErrUnknownKind) {
		t.Errorf("ByKind(plate) error = %v, want ErrUnknownKind", err)
	}
}

// TestJSON pins the shape `watchpost id check` prints (DESIGN §9: valid and reason).
func TestJSON(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(ident.IMO("9074728"))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"kind":"imo","input":"9074728","normalized":"9074728","valid":false,"reason":"check_digit: last digit is 8, computed 9",` +
		`"checks":[{"name":"length","status":"pass","detail":"7 digits"},{"name":"digits","status":"pass","detail":"digits only"},` +
		`{"name":"check_digit","status":"fail","detail":"last digit is 8, computed 9"}]}`
	if string(b) != want {
		t.Errorf("JSON =\n%s\nwant\n%s", b, want)
	}
	b, _ = json.Marshal(ident.IMO("9074729"))
	if strings.Contains(string(b), `"reason"`) {
		t.Errorf("valid result carries a reason: %s", b)
	}
}

func TestCheckDigits(t *testing.T) {
	t.Parallel()
	if d, ok := ident.VINCheckDigit("11111111111111111"); d != '1' || !ok {
		t.Errorf("VINCheckDigit(1×17) = %q, %v; want '1'", d, ok) // sum of the weights is 89 ≡ 1 (mod 11)
	}
	if _, ok := ident.VINCheckDigit("1M8GDM9AXKP04278O"); ok {
		t.Error("VINCheckDigit accepted O")
	}
	if d, ok := ident.IMOCheckDigit("907472"); d != '9' || !ok {
		t.Errorf("IMOCheckDigit(907472) = %q, %v; want '9'", d, ok)
	}
	if _, ok := ident.IMOCheckDigit("90747"); ok {
		t.Error("IMOCheckDigit accepted five digits")
	}
}
