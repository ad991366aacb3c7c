package mrz_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/mrz"
)

// ref is the reference date of every test: the centuries below depend on it.
var ref = time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)

// Specimens from ICAO Doc 9303 (Parts 4–7) and the German specimen documents; the rest are
// built from them, with check digits computed by an independent implementation.
var (
	td3Specimen = []string{
		"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
		"L898902C36UTO7408122F1204159ZE184226B<<<<<10",
	}
	td1Specimen = []string{
		"I<UTOD231458907<<<<<<<<<<<<<<<",
		"7408122F1204159UTO<<<<<<<<<<<6",
		"ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
	}
	td1Long = []string{ // ICAO 9303 Part 5: a twelve-character document number
		"I<UTOD23145890<7349<<<<<<<<<<<",
		"3407127M9507122UTO<<<<<<<<<<<2",
		"STEVENSON<<PETER<JOHN<<<<<<<<<",
	}
	td2Specimen = []string{
		"I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
		"D231458907UTO7408122F1204159<<<<<<<6",
	}
	td2Long = []string{
		"I<UTOSTEVENSON<<PETER<JOHN<<<<<<<<<<",
		"D23145890<UTO3407127M95071227349<<<8",
	}
	mrvaSpecimen = []string{
		"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
		"L8988901C4XXX4009078F96121096ZE184226B<<<<<<",
	}
	mrvbSpecimen = []string{
		"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
		"L8988901C4XXX4009078F9612109<<<<<<<<",
	}
	germanPassport = []string{
		"P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<",
		"C01X00T478D<<6408125F2702283<<<<<<<<<<<<<<<4",
	}
	germanID = []string{
		"IDD<<T220001293<<<<<<<<<<<<<<<",
		"6408125<2010315D<<<<<<<<<<<<<4",
		"MUSTERMANN<<ERIKA<<<<<<<<<<<<<",
	}
)

func checks(fields ...string) []mrz.Check {
	var cs []mrz.Check
	for _, f := range fields {
		cs = append(cs, mrz.Check{Field: f, Valid: true})
	}
	return cs
}

// ignoreCheckPlace compares checks on field and validity; TestCheckPlaces covers the rest.
var ignoreCheckPlace = cmpopts.IgnoreFields(mrz.Check{}, "Line", "Column", "Expected", "Found")

func TestParseFields(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   []string
		want mrz.Result
	}{
		{"TD3 passport specimen", td3Specimen, mrz.Result{
			Format: "TD3", DocumentCode: "P", Issuer: "UTO", IssuerCode: "UTO",
			Surname: "ERIKSSON", GivenNames: "ANNA MARIA", Number: "L898902C3",
			Nationality: "UTO", NationalityCode: "UTO",
			BirthDate: event.Date{Year: 1974, Month: 8, Day: 12}, Expiry: event.Date{Year: 2012, Month: 4, Day: 15},
			Sex: "F", Optional1: "ZE184226B",
			Checks: checks("document_number", "birth_date", "expiry_date", "optional_data", "composite"),
			Valid:  true,
		}},
		{"TD1 identity card specimen", td1Specimen, mrz.Result{
			Format: "TD1", DocumentCode: "I", Issuer: "UTO", IssuerCode: "UTO",
			Surname: "ERIKSSON", GivenNames: "ANNA MARIA", Number: "D23145890",
			Nationality: "UTO", NationalityCode: "UTO",
			BirthDate: event.Date{Year: 1974, Month: 8, Day: 12}, Expiry: event.Date{Year: 2012, Month: 4, Day: 15},
			Sex:    "F",
			Checks: checks("document_number", "birth_date", "expiry_date", "composite"),
			Valid:  true,
		}},
		{"TD1 twelve-character document number", td1Long, mrz.Result{
			Format: "TD1", DocumentCode: "I", Issuer: "UTO", IssuerCode: "UTO",
			Surname: "STEVENSON", GivenNames: "PETER JOHN", Number: "D23145890734",
			Nationality: "UTO", NationalityCode: "UTO",
			BirthDate: event.Date{Year: 1934, Month: 7, Day: 12}, Expiry: event.Date{Year: 1995, Month: 7, Day: 12},
			Sex:    "M",
			Checks: checks("document_number", "birth_date", "expiry_date", "composite"),
			Valid:  true,
		}},
		{"TD1 long number followed by optional data", []string{
			"I<UTOAB1234567<89011<OPT1X<<<<",
			"9001011M3001019UTOEXTRA<<<<<<5",
			"DOE<<JOHN<<<<<<<<<<<<<<<<<<<<<",
		}, mrz.Result{
			Format: "TD1", DocumentCode: "I", Issuer: "UTO", IssuerCode: "UTO",
			Surname: "DOE", GivenNames: "JOHN", Number: "AB12345678901",
			Nationality: "UTO", NationalityCode: "UTO",
			BirthDate: event.Date{Year: 1990, Month: 1, Day: 1}, Expiry: event.Date{Year: 2030, Month: 1, Day: 1},
			Sex: "M", Optional1: "OPT1X", Optional2: "EXTRA",
			Checks: checks("document_number", "birth_date", "expiry_date", "composite"),
			Valid:  true,
		}},
		{"TD2 card specimen", td2Specimen, mrz.Result{
			Format: "TD2", DocumentCode: "I", Issuer: "UTO", IssuerCode: "UTO",
			Surname: "ERIKSSON", GivenNames: "ANNA MARIA", Number: "D23145890",
			Nationality: "UTO", NationalityCode: "UTO",
			BirthDate: event.Date{Year: 1974, Month: 8, Day: 12}, Expiry: event.Date{Year: 2012, Month: 4, Day: 15},
			Sex:    "F",
			Checks: checks("document_number", "birth_date", "expiry_date", "composite"),
			Valid:  true,
		}},
		{"TD2 twelve-character document number", td2Long, mrz.Result{
			Format: "TD2", DocumentCode: "I", Issuer: "UTO", IssuerCode: "UTO",
			Surname: "STEVENSON", GivenNames: "PETER JOHN", Number: "D23145890734",
			Nationality: "UTO", NationalityCode: "UTO",
			BirthDate: event.Date{Year: 1934, Month: 7, Day: 12}, Expiry: event.Date{Year: 1995, Month: 7, Day: 12},
			Sex:    "M",
			Checks: checks("document_number", "birth_date", "expiry_date", "composite"),
			Valid:  true,
		}},
		{"MRV-A visa specimen", mrvaSpecimen, mrz.Result{
			Format: "MRV-A", DocumentCode: "V", Issuer: "UTO", IssuerCode: "UTO",
			Surname: "ERIKSSON", GivenNames: "ANNA MARIA", Number: "L8988901C",
			Nationality: "XXX", NationalityCode: "XXX",
			BirthDate: event.Date{Year: 1940, Month: 9, Day: 7}, Expiry: event.Date{Year: 1996, Month: 12, Day: 10},
			Sex: "F", Optional1: "6ZE184226B",
			Checks: checks("document_number", "birth_date", "expiry_date"),
			Valid:  true,
		}},
		{"MRV-B visa specimen", mrvbSpecimen, mrz.Result{
			Format: "MRV-B", DocumentCode: "V", Issuer: "UTO", IssuerCode: "UTO",
			Surname: "ERIKSSON", GivenNames: "ANNA MARIA", Number: "L8988901C",
			Nationality: "XXX", NationalityCode: "XXX",
			BirthDate: event.Date{Year: 1940, Month: 9, Day: 7}, Expiry: event.Date{Year: 1996, Month: 12, Day: 10},
			Sex:    "F",
			Checks: checks("document_number", "birth_date", "expiry_date"),
			Valid:  true,
		}},
		{"German passport: D becomes DEU", germanPassport, mrz.Result{
			Format: "TD3", DocumentCode: "P", Issuer: "DEU", IssuerCode: "D",
			Surname: "MUSTERMANN", GivenNames: "ERIKA", Number: "C01X00T47",
			Nationality: "DEU", NationalityCode: "D",
			BirthDate: event.Date{Year: 1964, Month: 8, Day: 12}, Expiry: event.Date{Year: 2027, Month: 2, Day: 28},
			Sex:    "F",
			Checks: checks("document_number", "birth_date", "expiry_date", "optional_data", "composite"),
			Valid:  true,
		}},
		{"German identity card, sex unspecified", germanID, mrz.Result{
			Format: "TD1", DocumentCode: "ID", Issuer: "DEU", IssuerCode: "D",
			Surname: "MUSTERMANN", GivenNames: "ERIKA", Number: "T22000129",
			Nationality: "DEU", NationalityCode: "D",
			BirthDate: event.Date{Year: 1964, Month: 8, Day: 12}, Expiry: event.Date{Year: 2020, Month: 10, Day: 31},
			Sex:    "U",
			Checks: checks("document_number", "birth_date", "expiry_date", "composite"),
			Valid:  true,
		}},
		{"year-only birth date", []string{
			"IDD<<T220001293<<<<<<<<<<<<<<<",
			"64<<<<4F3108011D<<<<<<<<<<<<<0",
			"MUSTERMANN<<ERIKA<<<<<<<<<<<<<",
		}, mrz.Result{
			Format: "TD1", DocumentCode: "ID", Issuer: "DEU", IssuerCode: "D",
			Surname: "MUSTERMANN", GivenNames: "ERIKA", Number: "T22000129",
			Nationality: "DEU", NationalityCode: "D",
			BirthDate: event.Date{Year: 1964}, Expiry: event.Date{Year: 2031, Month: 8, Day: 1},
			Sex:    "F",
			Checks: checks("document_number", "birth_date", "expiry_date", "composite"),
			Valid:  true,
		}},
		{"GBD nationality, year-month birth date, full name field", []string{
			"P<GBRABCDEFGHIJKLMNOPQRSTUVWXYZ<<ABCDEFGHIJK",
			"1234567897GBD8511<<9M3001019<<<<<<<<<<<<<<<8",
		}, mrz.Result{
			Format: "TD3", DocumentCode: "P", Issuer: "GBR", IssuerCode: "GBR",
			Surname: "ABCDEFGHIJKLMNOPQRSTUVWXYZ", GivenNames: "ABCDEFGHIJK", NameTruncated: true,
			Number: "123456789", Nationality: "GBD", NationalityCode: "GBD",
			BirthDate: event.Date{Year: 1985, Month: 11}, Expiry: event.Date{Year: 2030, Month: 1, Day: 1},
			Sex:    "M",
			Checks: checks("document_number", "birth_date", "expiry_date", "optional_data", "composite"),
			Valid:  true,
		}},
		{"stateless holder, sex filler", []string{
			"P<UTOERIKSSON<<ANNA<<<<<<<<<<<<<<<<<<<<<<<<<",
			"RT00123459XXA9001011<2801016<<<<<<<<<<<<<<<0",
		}, mrz.Result{
			Format: "TD3", DocumentCode: "P", Issuer: "UTO", IssuerCode: "UTO",
			Surname: "ERIKSSON", GivenNames: "ANNA", Number: "RT0012345",
			Nationality: "XXA", NationalityCode: "XXA",
			BirthDate: event.Date{Year: 1990, Month: 1, Day: 1}, Expiry: event.Date{Year: 2028, Month: 1, Day: 1},
			Sex:    "U",
			Checks: checks("document_number", "birth_date", "expiry_date", "optional_data", "composite"),
			Valid:  true,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := mrz.Parse(tt.in, ref)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			ignore := cmpopts.IgnoreFields(mrz.Result{}, "Hints", "Warnings", "Notes")
			if diff := cmp.Diff(tt.want, *got, ignore, ignoreCheckPlace); diff != "" {
				t.Errorf("Parse mismatch (-want +got):\n%s", diff)
			}
			if len(got.Hints) != 0 {
				t.Errorf("hints on a clean MRZ: %+v", got.Hints)
			}
		})
	}
}

// TestCheckPlaces pins where each check digit is and what it holds, for every format.
func TestCheckPlaces(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   []string
		want []mrz.Check
	}{
		{"TD3", td3Specimen, []mrz.Check{
			{"document_number", 2, 10, "6", "6", true},
			{"birth_date", 2, 20, "2", "2", true},
			{"expiry_date", 2, 28, "9", "9", true},
			{"optional_data", 2, 43, "1", "1", true},
			{"composite", 2, 44, "0", "0", true},
		}},
		{"TD3 empty personal number with filler check digit", germanPassport, []mrz.Check{
			{"document_number", 2, 10, "8", "8", true},
			{"birth_date", 2, 20, "5", "5", true},
			{"expiry_date", 2, 28, "3", "3", true},
			{"optional_data", 2, 43, "<", "<", true},
			{"composite", 2, 44, "4", "4", true},
		}},
		{"TD1 long number: check digit after the continuation", td1Long, []mrz.Check{
			{"document_number", 1, 19, "9", "9", true},
			{"birth_date", 2, 7, "7", "7", true},
			{"expiry_date", 2, 15, "2", "2", true},
			{"composite", 2, 30, "2", "2", true},
		}},
		{"TD2 long number", td2Long, []mrz.Check{
			{"document_number", 2, 32, "9", "9", true},
			{"birth_date", 2, 20, "7", "7", true},
			{"expiry_date", 2, 28, "2", "2", true},
			{"composite", 2, 36, "8", "8", true},
		}},
		{"MRV-B has no composite", mrvbSpecimen, []mrz.Check{
			{"document_number", 2, 10, "4", "4", true},
			{"birth_date", 2, 20, "8", "8", true},
			{"expiry_date", 2, 28, "9", "9", true},
		}},
		{"failing document number and composite", []string{
			td3Specimen[0], "L898902C37UTO7408122F1204159ZE184226B<<<<<10",
		}, []mrz.Check{
			{"document_number", 2, 10, "6", "7", false},
			{"birth_date", 2, 20, "2", "2", true},
			{"expiry_date", 2, 28, "9", "9", true},
			{"optional_data", 2, 43, "1", "1", true},
			{"composite", 2, 44, "7", "0", false},
		}},
		{"failing personal number check", []string{
			td3Specimen[0], "L898902C36UTO7408122F1204159ZE184226B<<<<<20",
		}, []mrz.Check{
			{"document_number", 2, 10, "6", "6", true},
			{"birth_date", 2, 20, "2", "2", true},
			{"expiry_date", 2, 28, "9", "9", true},
			{"optional_data", 2, 43, "1", "2", false},
			{"composite", 2, 44, "1", "0", false},
		}},
		{"TD3 number check holding a filler is not a long number", []string{
			td3Specimen[0], "L898902C3<UTO7408122F1204159ZE184226B<<<<<10",
		}, []mrz.Check{
			{"document_number", 2, 10, "6", "<", false},
			{"birth_date", 2, 20, "2", "2", true},
			{"expiry_date", 2, 28, "9", "9", true},
			{"optional_data", 2, 43, "1", "1", true},
			{"composite", 2, 44, "8", "0", false},
		}},
		{"TD1 filler check digit with nothing to continue", []string{
			"I<UTOD23145890<<<<<<<<<<<<<<<<", td1Specimen[1], td1Specimen[2],
		}, []mrz.Check{
			{"document_number", 1, 15, "7", "<", false},
			{"birth_date", 2, 7, "2", "2", true},
			{"expiry_date", 2, 15, "9", "9", true},
			{"composite", 2, 30, "7", "6", false},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := mrz.Parse(tt.in, ref)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, got.Checks); diff != "" {
				t.Errorf("checks mismatch (-want +got):\n%s", diff)
			}
			allValid := true
			for _, c := range got.Checks {
				allValid = allValid && c.Valid
			}
			if got.Valid != allValid {
				t.Errorf("Valid = %v, but all checks valid = %v", got.Valid, allValid)
			}
		})
	}
}

func TestHints(t *testing.T) {
	t.Parallel()
	type hint struct {
		Field    string
		Line     int
		Column   int
		Position int
		Found    string
		Suggest  string
		Fixes    []string
	}
	tests := []struct {
		name string
		in   []string
		want []hint
	}{
		{"O for 0 in the document number: check fails, swap repairs it", []string{
			td3Specimen[0], "L8989O2C36UTO7408122F1204159ZE184226B<<<<<10",
		}, []hint{{"document_number", 2, 6, 6, "O", "0", []string{"document_number", "composite"}}}},
		{"letter O in the expiry date", []string{
			td3Specimen[0], "L898902C36UTO7408122F12O4159ZE184226B<<<<<10",
		}, []hint{{"expiry_date", 2, 24, 3, "O", "0", []string{"expiry_date", "composite"}}}},
		{"letter I in the birth date, check digits agree with it", []string{
			// The issuer computed the check digits over the misprinted date: the letter is
			// still reported, with nothing to fix.
			td3Specimen[0], "L898902C36UTO74O8I27F1204159ZE184226B<<<<<10",
		}, []hint{
			{"birth_date", 2, 16, 3, "O", "0", nil},
			{"birth_date", 2, 18, 5, "I", "1", nil},
		}},
		{"letter in a check digit", []string{
			td3Specimen[0], "L898902C3GUTO7408122F1204159ZE184226B<<<<<10",
		}, // G weighs 16 and 6 weighs 6: at weight 7 in the composite both give the same digit.
			[]hint{{"document_number_check", 2, 10, 1, "G", "6", []string{"document_number"}}}},
		{"digit in the nationality", []string{
			td3Specimen[0], "L898902C36UT07408122F1204159ZE184226B<<<<<10",
		}, []hint{{"nationality", 2, 13, 3, "0", "O", nil}}},
		{"digits in the name", []string{
			"P<UTOER1KSSON<<ANNA<MAR1A<<<<<<<<<<<<<<<<<<<", td3Specimen[1],
		}, []hint{
			{"name", 1, 8, 3, "1", "I", nil},
			{"name", 1, 24, 19, "1", "I", nil},
		}},
		{"S for 5 in a TD1 long number", []string{
			"I<UTOD2314S890<7349<<<<<<<<<<<", td1Long[1], td1Long[2],
		}, []hint{{"document_number", 1, 11, 6, "S", "5", []string{"document_number", "composite"}}}},
		{"composite alone fails: swap in TD1 optional data", []string{
			"I<UTOAB1234567<89011<0PT1X<<<<", "9001011M3001019UTOEXTRA<<<<<<5", "DOE<<JOHN<<<<<<<<<<<<<<<<<<<<<",
		}, []hint{{"optional_data", 1, 22, 1, "0", "O", []string{"composite"}}}},
		{"no hint when a swap would repair the field check but not the composite", []string{
			td3Specimen[0], "L898902C37UTO7408122F1204159ZE184226B<<<<<10",
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := mrz.Parse(tt.in, ref)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			var hs []hint
			for _, h := range got.Hints {
				hs = append(hs, hint{h.Field, h.Line, h.Column, h.Position, h.Found, h.Suggest, h.Fixes})
				if h.Message == "" {
					t.Errorf("hint without a message: %+v", h)
				}
			}
			if diff := cmp.Diff(tt.want, hs); diff != "" {
				t.Errorf("hints mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHintNeverCorrects(t *testing.T) {
	t.Parallel()
	got, err := mrz.Parse([]string{td3Specimen[0], "L8989O2C36UT07408122F12O4159ZE184226B<<<<<10"}, ref)
	if err != nil {
		t.Fatal(err)
	}
	if got.Number != "L8989O2C3" || got.NationalityCode != "UT0" || !got.Expiry.IsZero() {
		t.Errorf("fields were corrected: number %q nationality %q expiry %v", got.Number, got.NationalityCode, got.Expiry)
	}
	if got.Valid {
		t.Error("Valid with failing check digits")
	}
	if want := "line 2 column 6 (document_number position 6): may be 0 not O"; !strings.HasPrefix(got.Hints[0].Message, want) {
		t.Errorf("first hint = %q, want prefix %q", got.Hints[0].Message, want)
	}
}

func TestWarningsAndNotes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		in           []string
		wantWarnings []string // substrings, each in some warning
		wantNotes    []string // substrings, each in some note
	}{
		{"lower case and white space in one string",
			[]string{"  p<utoeriksson<<anna<maria<<<<<<<<<<<<<<<<<<<\r\n\tL898902C36UTO7408122F1204159ZE184226B<<<<<10  \n"},
			[]string{"white space", "line 1: lower-case"}, nil},
		{"lines run together", []string{td3Specimen[0] + td3Specimen[1]},
			[]string{"one line of 88 characters read as 2 lines of 44"}, nil},
		{"expired document", td3Specimen, []string{"expired before the reference date"}, nil},
		{"truncated name", []string{
			"P<GBRABCDEFGHIJKLMNOPQRSTUVWXYZ<<ABCDEFGHIJK", "1234567897GBD8511<<9M3001019<<<<<<<<<<<<<<<8",
		}, []string{"name (line 1 columns 6-44): the field is full"},
			[]string{"nationality code GBD: British Overseas Territories Citizen (ISO 3166-1 country GBR)", "birth_date is partial: year and month only"}},
		{"special code without ISO country", []string{
			"P<UTOERIKSSON<<ANNA<<<<<<<<<<<<<<<<<<<<<<<<<", "RT00123459XXA9001011<2801016<<<<<<<<<<<<<<<0",
		}, nil, []string{"nationality code XXA: stateless person", "surname is in MRZ transliteration (ICAO 9303 Part 3): SS may stand for ß"}},
		{"transliterated German name", []string{
			"P<D<<MUELLER<<JOERG<<<<<<<<<<<<<<<<<<<<<<<<<", germanPassport[1],
		}, nil, []string{"surname is in MRZ transliteration (ICAO 9303 Part 3): UE may stand for Ü", "given_names is in MRZ transliteration (ICAO 9303 Part 3): OE may stand for Ö, Ø or Œ"}},
		{"Cyrillic digraphs noted for a Russian document", []string{
			"P<RUSKHRUSHCHEVA<<ZHANNA<<<<<<<<<<<<<<<<<<<<", "1234567897RUS8511<<9F3001019<<<<<<<<<<<<<<<8",
		}, nil, []string{"surname is in MRZ transliteration (ICAO 9303 Part 3): KH may stand for Х; CH may stand for Ч; SHCH may stand for Щ; SH may stand for Ш", "given_names is in MRZ transliteration (ICAO 9303 Part 3): ZH may stand for Ж"}},
		{"unknown code", []string{"P<QQQERIKSSON<<ANNA<<<<<<<<<<<<<<<<<<<<<<<<<", td3Specimen[1]},
			[]string{"issuer (line 1 columns 3-5): neither an ISO 3166-1 alpha-3 code nor an ICAO 9303 code"}, nil},
		{"unexpected sex", []string{td3Specimen[0], "L898902C36UTO7408122H1204159ZE184226B<<<<<10"},
			[]string{"sex (line 2 column 21): neither M, F, X nor a filler"}, nil},
		{"month out of range", []string{td3Specimen[0], "L898902C36UTO7413122F1204159ZE184226B<<<<<10"},
			[]string{"birth_date (line 2 columns 14-19): month out of range"}, nil},
		{"passport code on a TD2", []string{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", td2Specimen[1]},
			[]string{"document_code (line 1 columns 1-2): first character is not A, C, I"}, nil},
		{"old French identity card", []string{"IDFRAERIKSSON<<ANNA<MARIA<<<<<<<<<<<", td2Specimen[1]},
			[]string{"French identity card issued before 2021"}, nil},
		{"long number on a passport", []string{td3Specimen[0], "L898902C3<UTO7408122F1204159ZE184226B<<<<<10"},
			[]string{"longer document numbers continue in the optional data only on TD1 and TD2"}, nil},
		{"long number note", td1Long, nil, []string{"document_number is longer than nine characters: it continues in the optional data (line 1 columns 16-19)"}},
		{"unknown birth date", []string{td3Specimen[0], "L898902C36UTO<<<<<<<F1204159ZE184226B<<<<<10"},
			nil, []string{"birth_date is unknown"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := mrz.Parse(tt.in, ref)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			for _, w := range tt.wantWarnings {
				if !containsSub(got.Warnings, w) {
					t.Errorf("no warning containing %q in %q", w, got.Warnings)
				}
			}
			for _, n := range tt.wantNotes {
				if !containsSub(got.Notes, n) {
					t.Errorf("no note containing %q in %q", n, got.Notes)
				}
			}
		})
	}
}

func containsSub(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func TestParseTolerantInputEqualsClean(t *testing.T) {
	t.Parallel()
	clean, err := mrz.Parse(td3Specimen, ref)
	if err != nil {
		t.Fatal(err)
	}
	for name, in := range map[string][]string{
		"one string":            {strings.Join(td3Specimen, "\n")},
		"CRLF and final break":  {td3Specimen[0] + "\r\n" + td3Specimen[1] + "\r\n"},
		"lower case":            {strings.ToLower(td3Specimen[0]), strings.ToLower(td3Specimen[1])},
		"blank lines and space": {"", "  " + td3Specimen[0], "\t", td3Specimen[1] + " "},
		"run together":          {td3Specimen[0] + td3Specimen[1]},
	} {
		got, err := mrz.Parse(in, ref)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if diff := cmp.Diff(clean, got, cmpopts.IgnoreFields(mrz.Result{}, "Warnings")); diff != "" {
			t.Errorf("%s: differs from the clean input (-clean +got):\n%s", name, diff)
		}
	}
}

func TestBirthCentury(t *testing.T) {
	t.Parallel()
	line2 := func(birth string) string {
		// The check digits do not matter for the dates.
		return "L898902C36UTO" + birth + "2F1204159ZE184226B<<<<<10"
	}
	tests := []struct {
		birth string
		want  event.Date
	}{
		{"260115", event.Date{Year: 2026, Month: 1, Day: 15}}, // the reference day itself
		{"260116", event.Date{Year: 1926, Month: 1, Day: 16}}, // one day later: last century
		{"2601<<", event.Date{Year: 2026, Month: 1}},
		{"2602<<", event.Date{Year: 1926, Month: 2}},
		{"26<<<<", event.Date{Year: 2026}},
		{"27<<<<", event.Date{Year: 1927}},
		{"000229", event.Date{Year: 2000, Month: 2, Day: 29}},
		{"990101", event.Date{Year: 1999, Month: 1, Day: 1}},
		{"740231", event.Date{Year: 1974, Month: 2}}, // day out of range: year and month kept
		{"<<<<<<", event.Date{}},
		{"<<0812", event.Date{}},
		{"74<<12", event.Date{Year: 1974}},
		{"7A0812", event.Date{}},
	}
	for _, tt := range tests {
		t.Run(tt.birth, func(t *testing.T) {
			t.Parallel()
			got, err := mrz.Parse([]string{td3Specimen[0], line2(tt.birth)}, ref)
			if err != nil {
				t.Fatal(err)
			}
			if got.BirthDate != tt.want {
				t.Errorf("birth date %s = %v, want %v", tt.birth, got.BirthDate, tt.want)
			}
		})
	}
}

func TestExpiryCentury(t *testing.T) {
	t.Parallel()
	tests := []struct {
		expiry string
		want   event.Date
	}{
		{"750101", event.Date{Year: 2075, Month: 1, Day: 1}}, // within 50 years ahead
		{"760101", event.Date{Year: 1976, Month: 1, Day: 1}}, // 50 years ahead is too far
		{"990101", event.Date{Year: 1999, Month: 1, Day: 1}},
		{"301231", event.Date{Year: 2030, Month: 12, Day: 31}},
		{"00<<<<", event.Date{Year: 2000}},
	}
	for _, tt := range tests {
		t.Run(tt.expiry, func(t *testing.T) {
			t.Parallel()
			got, err := mrz.Parse([]string{td3Specimen[0], "L898902C36UTO7408122F" + tt.expiry + "9ZE184226B<<<<<10"}, ref)
			if err != nil {
				t.Fatal(err)
			}
			if got.Expiry != tt.want {
				t.Errorf("expiry %s = %v, want %v", tt.expiry, got.Expiry, tt.want)
			}
		})
	}
}

func TestParseShapeErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		in       []string
		wantLine int
		wantCol  int
		wantMsg  string
	}{
		{"nothing", nil, 0, 0, "mrz: no lines"},
		{"only blank", []string{" \n\n"}, 0, 0, "mrz: no lines"},
		{"one short line", []string{"P<UTOERIKSSON"}, 1, 0, "mrz: line 1: a single line of 13 characters; want 2 lines of 36 or 44, or 3 lines of 30"},
		{"four lines", []string{td1Specimen[0], td1Specimen[1], td1Specimen[2], td1Specimen[2]}, 0, 0, "mrz: 4 lines; want 2 (TD2, TD3, MRV-A, MRV-B) or 3 (TD1)"},
		{"TD3 line 2 one short", []string{td3Specimen[0], td3Specimen[1][:43]}, 2, 0, "mrz: line 2: 43 characters; want 44 like the other line"},
		{"TD3 line 1 one long", []string{td3Specimen[0] + "<", td3Specimen[1]}, 1, 0, "mrz: line 1: 45 characters; want 44 like the other line"},
		{"neither width", []string{"P<UTO", "L898"}, 1, 0, "mrz: line 1: 5 characters; want 36 (TD2, MRV-B) or 44 (TD3, MRV-A)"},
		{"TD1 line 3 short", []string{td1Specimen[0], td1Specimen[1], td1Specimen[2][:29]}, 3, 0, "mrz: line 3: 29 characters; want 30 (TD1)"},
		{"punctuation", []string{td3Specimen[0], "L898902C36UTO7408122F1204159ZE184226B<<<<-10"}, 2, 42, "mrz: line 2 column 42: character outside the MRZ alphabet (A-Z, 0-9, <)"},
		{"inner space", []string{td3Specimen[0], "L898902C36 UTO7408122F1204159ZE184226B<<<<10"}, 2, 11, "mrz: line 2 column 11: white space inside an MRZ line"},
		{"non-ASCII letter", []string{"P<UTOERIKSSÖN<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", td3Specimen[1]}, 1, 12, "mrz: line 1 column 12: character outside the MRZ alphabet (A-Z, 0-9, <)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := mrz.Parse(tt.in, ref)
			if err == nil {
				t.Fatalf("Parse = %+v, want an error", got)
			}
			if !errors.Is(err, mrz.ErrNotMRZ) {
				t.Errorf("error %v is not ErrNotMRZ", err)
			}
			var se *mrz.ShapeError
			if !errors.As(err, &se) || se.Line != tt.wantLine || se.Column != tt.wantCol {
				t.Errorf("error %#v, want line %d column %d", err, tt.wantLine, tt.wantCol)
			}
			if err.Error() != tt.wantMsg {
				t.Errorf("error = %q, want %q", err, tt.wantMsg)
			}
			for _, secret := range []string{"ERIKSSON", "L898902C3", "740812"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q repeats personal data", err)
				}
			}
		})
	}
}

func TestNoPersonalDataInWarnings(t *testing.T) {
	t.Parallel()
	// Everything wrong at once; the warnings must name fields and places only.
	got, err := mrz.Parse([]string{
		"X<QQQERIKSSONANNAMARIAERIKSSONANNAMARIAXXXXX",
		"L898902C3<QQQ7413442H1204O59ZE184226B<<<<<10",
	}, ref)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Warnings) < 5 {
		t.Fatalf("only %d warnings: %q", len(got.Warnings), got.Warnings)
	}
	for _, w := range got.Warnings {
		for _, secret := range []string{"ERIKSSON", "L898902C3", "741344", "120459", "QQQ"} {
			if strings.Contains(w, secret) {
				t.Errorf("warning %q repeats a value", w)
			}
		}
	}
}

func TestPerson(t *testing.T) {
	t.Parallel()
	r, err := mrz.Parse(germanPassport, ref)
	if err != nil {
		t.Fatal(err)
	}
	want := event.Person{
		Surname: "MUSTERMANN", GivenNames: "ERIKA",
		BirthDate: event.Date{Year: 1964, Month: 8, Day: 12}, Sex: "F", Nationality: "DEU",
		Documents: []event.Document{{Type: "P", Number: "C01X00T47", Issuer: "DEU", Expiry: event.Date{Year: 2027, Month: 2, Day: 28}}},
	}
	if diff := cmp.Diff(want, r.Person()); diff != "" {
		t.Errorf("Person mismatch (-want +got):\n%s", diff)
	}
}

func TestLookupCode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code   string
		want   mrz.Code
		wantOK bool
	}{
		{"D", mrz.Code{Code: "D", ISO: "DEU", Name: "Germany (one-letter ICAO code)", Special: true}, true},
		{"DEU", mrz.Code{Code: "DEU", ISO: "DEU"}, true},
		{"GBN", mrz.Code{Code: "GBN", ISO: "GBR", Name: "British National (Overseas)", Special: true}, true},
		{"UNO", mrz.Code{Code: "UNO", Name: "United Nations Organization or one of its officials", Special: true}, true},
		{"XPO", mrz.Code{Code: "XPO", Name: "International Criminal Police Organization (INTERPOL)", Special: true}, true},
		{"XXB", mrz.Code{Code: "XXB", Name: "refugee (1951 Convention)", Special: true}, true},
		{"QQQ", mrz.Code{Code: "QQQ"}, false},
		{"DE", mrz.Code{Code: "DE"}, false},
		{"ZZZ", mrz.Code{Code: "ZZZ"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			t.Parallel()
			got, ok := mrz.LookupCode(tt.code)
			if ok != tt.wantOK {
				t.Errorf("ok = %v, want %v", ok, tt.wantOK)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("LookupCode mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckDigit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     string
		want   byte
		wantOK bool
	}{
		{"L898902C3", '6', true},
		{"740812", '2', true},
		{"120415", '9', true},
		{"ZE184226B<<<<<", '1', true},
		{"L898902C3674081221204159ZE184226B<<<<<1", '0', true},
		{"D23145890734", '9', true},
		{"<<<<<<", '0', true},
		{"", '0', true},
		{"abc", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, ok := mrz.CheckDigit(tt.in)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("CheckDigit(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}
