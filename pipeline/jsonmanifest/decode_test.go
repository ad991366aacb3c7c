package jsonmanifest

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/watchpost/watchpost/pipeline/event"
)

var at = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

const valid = `{
  "message_ref": "AF1234-20261124",
  "type": "passengers",
  "carrier": "AF",
  "flight": "AF1234",
  "country": "FRA",
  "legs": [{"departure": "JFK", "arrival": "CDG", "departure_at": "2026-11-24T22:05:00-05:00", "arrival_at": "2026-11-25T11:20:00+01:00"}],
  "travellers": [
    {"surname": "MÜLLER", "given_names": "ANNA MARIA", "birth_date": "1974-08-12", "sex": "F", "nationality": "DEU",
     "documents": [{"type": "P", "number": "C01X00T47", "issuer": "DEU", "expiry": "2031-05-01"}]},
    {"role": "crew", "surname": "DUPONT", "birth_date": "1980", "sex": "X"}
  ]
}`

func TestDecodeValid(t *testing.T) {
	t.Parallel()
	_, got, err := Decode([]byte(valid), at)
	if err != nil {
		t.Fatal(err)
	}
	want := []event.Manifest{{
		Carrier: "AF", Flight: "AF1234", Country: "FRA", ReceivedAt: at,
		Legs: []event.Leg{{Departure: "JFK", Arrival: "CDG",
			DepartureAt: time.Date(2026, 11, 25, 3, 5, 0, 0, time.UTC), ArrivalAt: time.Date(2026, 11, 25, 10, 20, 0, 0, time.UTC)}},
		Travellers: []event.Traveller{
			{Role: event.RolePassenger, Person: event.Person{Surname: "MÜLLER", GivenNames: "ANNA MARIA", BirthDate: event.Date{Year: 1974, Month: 8, Day: 12},
				Sex: "F", Nationality: "DEU", Documents: []event.Document{{Type: "P", Number: "C01X00T47", Issuer: "DEU", Expiry: event.Date{Year: 2031, Month: 5, Day: 1}}}}},
			{Role: event.RoleCrew, Person: event.Person{Surname: "DUPONT", BirthDate: event.Date{Year: 1980}, Sex: "U"}},
		},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Decode (-want +got):\n%s", diff)
	}
	_, many, err := Decode([]byte("["+valid+","+valid+"]"), at)
	if err != nil || len(many) != 2 {
		t.Fatalf("array of two: %d manifests, %v", len(many), err)
	}
}

func TestDecodeErrorsAreLocated(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, doc string
		want      []string // substrings of the error, in any order
	}{
		{"empty", "  ", []string{"empty document"}},
		{"malformed", "{\n  \"type\": \"crew\",\n  \"carrier\": }", []string{"line 3 column", "malformed JSON"}},
		{"unknown field", `{"type":"crew","carrier":"AF","flight":"AF1","legs":[],"travellers":[],"passport":"x"}`, []string{`unknown field "passport"`}},
		{"wrong type", `{"type":"crew","carrier":"AF","flight":1}`, []string{"at /flight", "want string, got a JSON number"}},
		{"trailing", valid + `{}`, []string{"trailing data"}},
		{"semantic", strings.NewReplacer(`"1974-08-12"`, `"1974-13-12"`, `"DEU", "expiry"`, `"DE", "expiry"`, `"type": "passengers"`, `"type": "pax"`).Replace(valid),
			[]string{"/travellers/0/birth_date: date month out of range", "/travellers/0/documents/0/issuer: want an ISO 3166 alpha-3 code", "/type: want passengers or crew"}},
		{"no travellers", `{"type":"crew","carrier":"AF","flight":"AF1","legs":[{"departure":"CDG","arrival":"JFK"}],"travellers":[]}`, []string{"/travellers: at least one traveller required"}},
		{"array index", "[" + valid + "," + strings.Replace(valid, `"surname": "DUPONT"`, `"surname": ""`, 1) + "]", []string{"at /1/travellers/1/surname: required"}},
		{"bad time", strings.Replace(valid, "2026-11-24T22:05:00-05:00", "tomorrow", 1), []string{"/legs/0/departure_at: want an RFC 3339 time"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, _, err := Decode([]byte(tt.doc), at)
			if err == nil {
				t.Fatal("Decode succeeded, want an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			for _, pii := range []string{"MÜLLER", "C01X00T47", "1974", "DUPONT"} {
				if strings.Contains(err.Error(), pii) {
					t.Errorf("error %q repeats personal data", err)
				}
			}
		})
	}
}

// FuzzDecode: never panics; an accepted document maps every traveller (none dropped) and
// every date it produced validates.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(valid))
	f.Add([]byte("[" + valid + "]"))
	f.Add([]byte(`{"type":"crew"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		msgs, ms, err := Decode(b, at)
		if err != nil {
			return
		}
		if len(msgs) != len(ms) {
			t.Fatalf("%d messages, %d manifests", len(msgs), len(ms))
		}
		for i := range ms {
			if len(ms[i].Travellers) != len(msgs[i].Travellers) || len(ms[i].Travellers) == 0 {
				t.Fatalf("manifest %d: %d travellers from %d", i, len(ms[i].Travellers), len(msgs[i].Travellers))
			}
			for _, tr := range ms[i].Travellers {
				if err := tr.BirthDate.Validate(); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
}
