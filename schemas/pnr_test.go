package schemas_test

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/linkedin/goavro/v2"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/fault"
	"github.com/watchpost/watchpost/schemas"
)

func pnrCase(name string, v *event.PNR) codecCase {
	return codecCase{name, schemas.SubjectPNR, v,
		func(s *schemas.Serde) ([]byte, error) { return s.EncodePNR(v) },
		func(s *schemas.Serde, b []byte) (any, error) { return s.DecodePNR(b) }}
}

// fixturePNR sets every field of every PNR type at least once (TestPNRFixtureIsComplete
// checks it), so a field the mapping forgets fails the round trip.
func fixturePNR() *event.PNR {
	kl0601 := event.PNRFlight{
		Carrier: "KL", OperatingCarrier: "DL", Number: "0601", Flight: "KL0601", Class: "Y", Departure: "AMS", Arrival: "JFK",
		DepartureAt: at("2024-06-27T09:00:00Z"), ArrivalAt: at("2024-06-27T11:30:00Z"),
	}
	bag := event.PNRBag{
		Pieces: "1", Weight: "20", Unit: "700",
		Tags: []event.PNRBagTag{{Carrier: "KL", Number: "0074123456", Count: "1", Destination: "JFK"}},
		Text: "+++1:20:700++HP+KL:0074123456:1:JFK",
	}
	ticket := event.PNRTicket{
		Number: "0742345678901", Type: "T", Booklets: "1",
		Amounts:  []event.PNRAmount{{Qualifier: "B", Amount: "500.00", Currency: "EUR"}, {Qualifier: "T", Amount: "612.50", Currency: "EUR"}},
		Taxes:    []event.PNRAmount{{Amount: "62.50", Currency: "NL"}},
		Pricing:  []string{"NR++150524+KL+074+AMS"},
		Dates:    []event.PNRStamp{{Qualifier: "710", At: at("2024-05-15T14:35:00Z")}},
		Payments: []event.PNRPayment{{Type: "CC", Amount: "612.50", Vendor: "VI", Account: "XXXXXXXXXXXX1234", Expiry: "0627"}},
	}
	visa := event.PNROtherDoc{BirthPlace: "AMSTERDAM NLD", Type: "V", Number: "US1234567", IssuePlace: "AMSTERDAM NLD", Issued: date("2024-01-01"), Country: "USA", Infant: true}
	dest := event.PNRDocAddress{Type: "D", Country: "USA", Street: "350 FIFTH AVE", City: "NEW YORK", Region: "NY", Postcode: "10118", Infant: true}
	home := event.PNRAddress{Purpose: "700", Street: "KEIZERSGRACHT 1", City: "AMSTERDAM", Region: "NH", Country: "NL", Postcode: "1015CJ", Phone: "31201234567"}
	seat := event.PNRRequest{Code: "SEAT", Status: "HK", Quantity: "2", Carrier: "KL", Board: "AMS", Off: "JFK", Text: "NSST",
		Seats: []event.PNRSeat{{Seat: "23A", Properties: "W", TravellerRef: "1"}, {Seat: "23B", TravellerRef: "2"}}}
	return &event.PNR{
		ID: event.PNRID("m-0123456789abcdef0123456789abcdef", 0), ManifestID: "m-0123456789abcdef0123456789abcdef",
		Locator: "ABC123", LocatorCarrier: "KL", Carrier: "KL", Country: "USA", Interchange: "PNR0001", MessageRef: "1",
		Flight:  kl0601,
		Created: at("2024-05-15T14:32:00Z"),
		Locators: []event.PNRLocator{
			{Carrier: "KL", Locator: "ABC123", Type: "1", Created: at("2024-05-15T14:32:00Z")},
			{Carrier: "1A", Locator: "XYZ987"},
		},
		Dates: []event.PNRStamp{{Qualifier: "700", At: at("2024-06-26T10:15:00.000001Z")}, {Qualifier: "2"}},
		Creator: &event.PNROriginator{
			Airline: "1A", Location: "MUC", Agency: "52519950", Office: "AMSKL08AA", City: "AMS", Type: "T",
			Country: "NL", Currency: "EUR", Language: "NL", Agent: "AGT001",
		},
		Addresses:      []event.PNRAddress{home},
		Contacts:       []event.PNRInfo{{Qualifier: "4", Type: "28", Carrier: "KL", Text: "CTCE ZOË.MÜLLER//EXAMPLE.NL"}},
		Requests:       []event.PNRRequest{{Code: "OTHS", Status: "HK", Quantity: "1", Carrier: "KL", Text: "CONTACT PASSENGER"}},
		OtherDocuments: []event.PNROtherDoc{{Type: "K", Number: "KTN-1", Issued: date("2019")}},
		DocAddresses:   []event.PNRDocAddress{{Type: "R", Country: "NLD"}},
		ExcessBaggage:  []string{"EUR:50.00+1::N"},
		Travellers: []event.PNRTraveller{
			{
				SubjectID: event.SubjectID("m-0123456789abcdef0123456789abcdef", 0),
				Surname:   "DE VRIES", GivenNames: "JAN", Title: "MR", Type: "A", Ref: "1", Source: "tif",
				Documents: []event.PNRDocument{{
					Type: "P", Issuer: "NLD", Number: "NX12AB345", Nationality: "NLD", BirthDate: date("1972-12-24"), Sex: "M",
					Expiry: date("2027-06-01"), Surname: "DE VRIES", GivenNames: "JAN PIETER", Holder: true,
				}},
				OtherDocuments: []event.PNROtherDoc{visa},
				DocAddresses:   []event.PNRDocAddress{dest},
				FrequentFlyer:  []event.PNRFrequentFlyer{{Carrier: "KL", Number: "1234567890", Tier: "GOLD"}},
				Contacts:       []event.PNRInfo{{Qualifier: "4", Type: "28", Carrier: "KL", Text: "CTCM 31612345678"}},
				Addresses:      []event.PNRAddress{home},
				References:     []string{"ABO:KL-UPI-1"},
				Fares:          []string{"N+++++YLOWNL"},
				Requests:       []event.PNRRequest{{Code: "VGML", Status: "HK", Quantity: "1", Carrier: "KL"}},
				ExcessBaggage:  []string{"EUR:25.00+1::N"},
				Tickets:        []event.PNRTicket{ticket},
			},
			{
				SubjectID: event.SubjectID("m-0123456789abcdef0123456789abcdef", 1),
				Surname:   "Müller-Lüdenscheidt", GivenNames: "Zoë", Type: "IN", Infant: true, AccompaniedBy: "1", Source: "docs",
				Documents: []event.PNRDocument{{Type: "P", Issuer: "DEU", Number: "C01X00T47", BirthDate: date("2023-02"), Sex: "FI"}},
			},
		},
		Tickets:  []event.PNRTicket{{Number: "0742345678910", Payments: []event.PNRPayment{{Type: "MS"}}}},
		Payments: []event.PNRPayment{{Type: "CA"}},
		Itinerary: []event.PNRItem{
			{
				Flight: kl0601, Status: "HK", PartySize: "2", Aircraft: "772",
				Requests: []event.PNRRequest{seat},
				Dates:    []event.PNRStamp{{Qualifier: "2", At: at("2024-06-27T07:00:00Z")}},
				Info:     []event.PNRInfo{{Text: "OPERATED BY DELTA"}},
				CheckIns: []event.PNRCheckIn{
					{Sequence: "1", TravellerRef: "1", Surname: "DE VRIES", GivenNames: "JAN", Seat: "23A", Bags: []event.PNRBag{bag}},
					{Sequence: "2", TravellerRef: "2", Surname: "Müller-Lüdenscheidt"},
				},
				Bags: []event.PNRBag{{Pieces: "2", Text: "+++2"}},
			},
			{Flight: event.PNRFlight{Carrier: "KL", Number: "0642", Flight: "KL0642", Departure: "JFK", Arrival: "AMS", DepartureAt: at("2024-07-05T14:00:00Z")}},
		},
		History:    []string{"0/O/15MAY 1432Z AMSKL08AA AGT001 CREATED", "0/O/26JUN 1015Z AMSKL08AA AGT001 ADDED DOCS"},
		ReceivedAt: at("2024-06-27T06:00:01.000001Z"),
	}
}

// minimalPNR has the required fields only.
func minimalPNR() *event.PNR {
	return &event.PNR{ID: "m-1/pnr/0", ManifestID: "m-1", Locator: "DEF456", LocatorCarrier: "KL", Carrier: "KL", Country: "USA"}
}

// TestPNRFixtureIsComplete checks that fixturePNR sets every field of every type reachable
// from event.PNR, so that the round trip and the golden bytes cover the whole mapping.
func TestPNRFixtureIsComplete(t *testing.T) {
	t.Parallel()
	set := map[string]bool{}
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Slice:
			for i := range v.Len() {
				walk(v.Index(i))
			}
		case reflect.Struct:
			if v.Type() == reflect.TypeFor[time.Time]() || v.Type() == reflect.TypeFor[event.Date]() {
				return
			}
			for i := range v.NumField() {
				f := v.Field(i)
				if !f.IsZero() {
					set[v.Type().Name()+"."+v.Type().Field(i).Name] = true
				}
				walk(f)
			}
		}
	}
	walk(reflect.ValueOf(fixturePNR()))
	var all func(t reflect.Type, seen map[reflect.Type]bool) []string
	all = func(ty reflect.Type, seen map[reflect.Type]bool) []string {
		for ty.Kind() == reflect.Pointer || ty.Kind() == reflect.Slice {
			ty = ty.Elem()
		}
		if ty.Kind() != reflect.Struct || seen[ty] || ty == reflect.TypeFor[time.Time]() || ty == reflect.TypeFor[event.Date]() {
			return nil
		}
		seen[ty] = true
		var out []string
		for i := range ty.NumField() {
			out = append(out, ty.Name()+"."+ty.Field(i).Name)
			out = append(out, all(ty.Field(i).Type, seen)...)
		}
		return out
	}
	for _, f := range all(reflect.TypeFor[event.PNR](), map[reflect.Type]bool{}) {
		if !set[f] {
			t.Errorf("fixturePNR never sets %s", f)
		}
	}
}

func TestPNRRoundTrip(t *testing.T) {
	t.Parallel()
	s := newTestSerde(t)
	zoned := fixturePNR()
	zoned.ReceivedAt = zoned.ReceivedAt.In(mustLoc("Asia/Tokyo")) // any zone; decodes as UTC
	noCreator := fixturePNR()
	noCreator.Creator, noCreator.Itinerary, noCreator.Travellers = nil, nil, nil
	emptyCreator := minimalPNR()
	emptyCreator.Creator = &event.PNROriginator{}
	for _, tt := range []struct {
		name string
		p    *event.PNR
	}{
		{"full", fixturePNR()},
		{"minimal", minimalPNR()},
		{"received in another zone", zoned},
		{"without creator, travellers or itinerary", noCreator},
		{"empty creator", emptyCreator},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := s.EncodePNR(tt.p)
			if err != nil {
				t.Fatal(err)
			}
			if id, _ := schemas.SchemaID(b); id != testIDs[schemas.SubjectPNR] {
				t.Errorf("schema id %d, want %d", id, testIDs[schemas.SubjectPNR])
			}
			got, err := s.DecodePNR(b)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.p, got); diff != "" {
				t.Errorf("decode(encode(x)) != x (-want +got):\n%s", diff)
			}
			if got.ReceivedAt.Location() != time.UTC {
				t.Errorf("received_at decoded in %v, want UTC", got.ReceivedAt.Location())
			}
		})
	}
}

func TestPNRKeyAndIDs(t *testing.T) {
	t.Parallel()
	p := event.PNR{Locator: " abc123", LocatorCarrier: "kl "}
	if got := p.Key(); got != "ABC123/KL" {
		t.Errorf("Key() = %q, want ABC123/KL", got)
	}
	pnrs := []event.PNR{{Travellers: make([]event.PNRTraveller, 2)}, {}, {Travellers: make([]event.PNRTraveller, 1)}}
	event.LinkPNRs("m-9", pnrs)
	if pnrs[2].ID != "m-9/pnr/2" || pnrs[1].ManifestID != "m-9" || pnrs[2].Travellers[0].SubjectID != "m-9/2" || pnrs[0].Travellers[1].SubjectID != "m-9/1" {
		t.Errorf("LinkPNRs: %+v", pnrs)
	}
}

func TestEncodePNRInvalid(t *testing.T) {
	t.Parallel()
	s := newTestSerde(t)
	edit := func(f func(p *event.PNR)) *event.PNR {
		p := fixturePNR()
		f(p)
		return p
	}
	tests := []struct {
		name string
		p    *event.PNR
		want string
	}{
		{"nil", nil, "nil value"},
		{"no id", edit(func(p *event.PNR) { p.ID = "" }), "id: required"},
		{"no locator", edit(func(p *event.PNR) { p.Locator = "" }), "locator: required"},
		{"no locator carrier", edit(func(p *event.PNR) { p.LocatorCarrier = "" }), "locator_carrier: required"},
		{"no carrier", edit(func(p *event.PNR) { p.Carrier = "" }), "carrier: required"},
		{"no country", edit(func(p *event.PNR) { p.Country = "" }), "country: required"},
		{"no manifest", edit(func(p *event.PNR) { p.ManifestID = "" }), "manifest_id: required"},
		{"bad birth date", edit(func(p *event.PNR) { p.Travellers[1].Documents[0].BirthDate = event.Date{Year: 2023, Month: 2, Day: 30} }),
			"travellers[1].documents[0].birth_date: invalid date"},
		{"bad visa date", edit(func(p *event.PNR) { p.Travellers[0].OtherDocuments[0].Issued = event.Date{Year: 2024, Month: 13} }),
			"travellers[0].other_documents[0].issued: invalid date"},
		{"ticket date out of range", edit(func(p *event.PNR) {
			p.Travellers[0].Tickets[0].Dates[0].At = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
		}),
			"travellers[0].tickets[0].dates[0].at: timestamp out of range"},
		{"itinerary time out of range", edit(func(p *event.PNR) { p.Itinerary[1].Flight.DepartureAt = time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC) }),
			"itinerary[1].flight.departure_at: timestamp out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := s.EncodePNR(tt.p)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want it to contain %q", err, tt.want)
			}
			if isPoison(err) {
				t.Errorf("encoding error is marked poison: %v", err)
			}
		})
	}
	both := edit(func(p *event.PNR) { p.ID, p.Country = "", "" })
	if _, err := s.EncodePNR(both); err == nil || !strings.Contains(err.Error(), "id: required; ") || !strings.Contains(err.Error(), "country: required") {
		t.Errorf("error = %v, want every problem on one line", err)
	}
}

// TestDecodePNRErrors writes malformed PNRs with the shipped schema (as a buggy producer
// could) and checks that each decoding error is poison, says where, and repeats no value.
func TestDecodePNRErrors(t *testing.T) {
	t.Parallel()
	s := newTestSerde(t)
	text, ok := schemas.Schema(schemas.SubjectPNR, 1)
	if !ok {
		t.Fatal("no pnr v1")
	}
	codec, err := goavro.NewCodec(text)
	if err != nil {
		t.Fatal(err)
	}
	p := fixturePNR()
	p.Travellers[0].Surname, p.Travellers[0].Documents[0].Number = secretName, secretNumber
	valid, err := s.EncodePNR(p)
	if err != nil {
		t.Fatal(err)
	}
	id := testIDs[schemas.SubjectPNR]
	native := func(edit func(m map[string]any)) []byte {
		v, _, err := codec.NativeFromBinary(valid[5:])
		if err != nil {
			t.Fatal(err)
		}
		m := v.(map[string]any)
		edit(m)
		return writeWith(t, text, id, m)
	}
	traveller := func(m map[string]any, i int) map[string]any { return m["travellers"].([]any)[i].(map[string]any) }
	manifest, err := s.EncodeManifest(fixtureManifest())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		b    []byte
		want string
	}{
		{"empty", nil, "short buffer"},
		{"truncated", valid[:len(valid)/2], "bad Avro body"},
		{"trailing bytes", append(append([]byte{}, valid...), 0), "1 trailing bytes"},
		{"a manifest", manifest, "schema id 11 is registered for watchpost.v1.Manifest"},
		{"empty locator", native(func(m map[string]any) { m["locator"] = "" }), "locator: required"},
		{"empty manifest id", native(func(m map[string]any) { m["manifest_id"] = "" }), "manifest_id: required"},
		{"invalid birth date", native(func(m map[string]any) {
			traveller(m, 0)["documents"].([]any)[0].(map[string]any)["birth_date"] = map[string]any{"string": secretDate}
		}), "travellers[0].documents[0].birth_date: invalid date"},
		{"malformed issue date", native(func(m map[string]any) {
			traveller(m, 0)["other_documents"].([]any)[0].(map[string]any)["issued"] = map[string]any{"string": "01JAN24"}
		}), "travellers[0].other_documents[0].issued: invalid date"},
		{"received far in the future", native(func(m map[string]any) {
			m["received_at"] = map[string]any{"long.timestamp-micros": int64(math.MaxInt64)}
		}), "received_at: timestamp out of range"},
		{"ticket stamp out of range", native(func(m map[string]any) {
			tk := traveller(m, 0)["tickets"].([]any)[0].(map[string]any)
			tk["dates"].([]any)[0].(map[string]any)["at"] = map[string]any{"long.timestamp-micros": int64(math.MinInt64)}
		}), "travellers[0].tickets[0].dates[0].at: timestamp out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := s.DecodePNR(tt.b)
			if err == nil {
				t.Fatal("decoded without error")
			}
			if !isPoison(err) {
				t.Errorf("error is not poison: %v", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q, want it to contain %q", err, tt.want)
			}
			for _, secret := range []string{secretName, secretNumber, secretDate, "01JAN24"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error repeats personal data: %q", err)
				}
			}
		})
	}
	if _, err := s.DecodeManifest(valid); !isPoison(err) || !strings.Contains(err.Error(), "registered for watchpost.v1.PNR") {
		t.Errorf("DecodeManifest of a PNR = %v, want poison naming the PNR subject", err)
	}
}

// FuzzDecodePNR: never panics, every error is poison, and whatever decodes re-encodes to
// bytes that decode to the same PNR.
func FuzzDecodePNR(f *testing.F) {
	s := newTestSerde(f)
	for _, tt := range roundTripCases() {
		if b, err := tt.encode(s); err == nil {
			f.Add(b)
		}
	}
	if b, err := s.EncodePNR(minimalPNR()); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := s.DecodePNR(b)
		if err != nil {
			if !errors.Is(err, fault.ErrPoison) {
				t.Fatalf("decoding error is not poison: %v", err)
			}
			return
		}
		b2, err := s.EncodePNR(p)
		if err != nil {
			t.Fatalf("re-encoding a decoded PNR: %v", err)
		}
		p2, err := s.DecodePNR(b2)
		if err != nil {
			t.Fatalf("decoding a re-encoded PNR: %v", err)
		}
		if diff := cmp.Diff(p, p2); diff != "" {
			t.Fatalf("decode(encode(decode(b))) != decode(b) (-first +second):\n%s", diff)
		}
	})
}
