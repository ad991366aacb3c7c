package packed_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/watchlist"
	"github.com/watchpost/watchpost/pipeline/watchlist/packed"
	"github.com/watchpost/watchpost/pipeline/watchlist/watchlisttest"
)

var empty = cmpopts.EquateEmpty()

func sampleDocuments() []watchlist.Document {
	docs := watchlisttest.Documents(200, 1)
	docs[3].Access = event.Access{RestrictedFrom: []string{"ITA", "ESP"}, RestrictedTo: []string{"FRA"}}
	docs[4].NumberTo = docs[4].Number + "9"
	docs[5].ID = "ünïcode/ид"
	return docs
}

func samplePersons() []watchlist.Person {
	ps := watchlisttest.Persons(watchlisttest.NewNameVocabulary(50, 50, 1), 200, 2)
	ps[0].Names = append(ps[0].Names, watchlist.Name{FullName: "Мария Аль-Рашид"}, watchlist.Name{GivenNames: "Masha", Weak: true})
	ps[0].BirthDates = []event.Date{{Year: 1971, Month: 3, Day: 2}, {Year: 1971}, {}}
	ps[1].Access = event.Access{RestrictedTo: []string{"DEU"}}
	ps[2].NoticeType = watchlist.NoticeUNSpecial
	return ps
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	for _, d := range sampleDocuments() {
		got, err := packed.UnpackDocument(packed.Document(&d))
		if err != nil || !cmp.Equal(d, got, empty) {
			t.Fatalf("document %s: err %v, diff %s", d.ID, err, cmp.Diff(d, got, empty))
		}
	}
	for _, p := range samplePersons() {
		got, err := packed.UnpackPerson(packed.Person(&p))
		if err != nil || !cmp.Equal(p, got, empty) {
			t.Fatalf("person %s: err %v, diff %s", p.ID, err, cmp.Diff(p, got, empty))
		}
	}
	for _, v := range watchlisttest.Vehicles(100, 3) {
		v.Access.RestrictedFrom = []string{"USA"}
		got, err := packed.UnpackVehicle(packed.Vehicle(&v))
		if err != nil || !cmp.Equal(v, got, empty) {
			t.Fatalf("vehicle %s: err %v, diff %s", v.ID, err, cmp.Diff(v, got, empty))
		}
	}
	for _, v := range watchlisttest.Vessels(100, 4) {
		got, err := packed.UnpackVessel(packed.Vessel(&v))
		if err != nil || !cmp.Equal(v, got, empty) {
			t.Fatalf("vessel %s: err %v, diff %s", v.ID, err, cmp.Diff(v, got, empty))
		}
	}
	for _, f := range watchlisttest.Firearms(100, 5) {
		got, err := packed.UnpackFirearm(packed.Firearm(&f))
		if err != nil || !cmp.Equal(f, got, empty) {
			t.Fatalf("firearm %s: err %v, diff %s", f.ID, err, cmp.Diff(f, got, empty))
		}
	}
	td := watchlist.TravelDocument{ID: "td-1", Number: "18FR44021", Type: "P", Issuer: "FRA", NoticeID: "2019/1", Owner: "FRA", Access: event.Access{RestrictedFrom: []string{"ITA"}}}
	if got, err := packed.UnpackTravelDocument(packed.TravelDocument(&td)); err != nil || !cmp.Equal(td, got, empty) {
		t.Fatalf("travel document: err %v, diff %s", err, cmp.Diff(td, got, empty))
	}
}

func TestCorrupt(t *testing.T) {
	t.Parallel()
	d := sampleDocuments()[0]
	good := packed.Document(&d)
	for name, s := range map[string]string{
		"empty":          "",
		"wrong type":     packed.Firearm(&watchlist.Firearm{ID: "f", Serial: "1"}),
		"truncated":      good[:len(good)-3],
		"trailing bytes": good + "x",
		"huge length":    "D\xff\xff\xff\xff\x0f",
	} {
		_, err := packed.UnpackDocument(s)
		if !errors.Is(err, packed.ErrCorrupt) {
			t.Errorf("%s: err = %v, want ErrCorrupt", name, err)
		}
		if err != nil && d.Number != "" && contains(err.Error(), d.Number) {
			t.Errorf("%s: error %q holds the document number", name, err)
		}
	}
	p := samplePersons()[0]
	if _, err := packed.UnpackPerson(packed.Person(&p)[:20]); !errors.Is(err, packed.ErrCorrupt) {
		t.Errorf("truncated person: err = %v, want ErrCorrupt", err)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// fuzzUnpack checks that unpack never panics and that whatever it accepts packs back to a
// record that unpacks equal.
func fuzzUnpack[T any](f *testing.F, seeds []string, unpack func(string) (T, error), pack func(*T) string) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := unpack(s)
		if err != nil {
			if !errors.Is(err, packed.ErrCorrupt) {
				t.Fatalf("error %v is not ErrCorrupt", err)
			}
			return
		}
		again, err := unpack(pack(&v))
		if err != nil || !cmp.Equal(v, again, empty) {
			t.Fatalf("repack: err %v, diff %s", err, cmp.Diff(v, again, empty))
		}
	})
}

func FuzzUnpackDocument(f *testing.F) {
	var seeds []string
	for _, d := range sampleDocuments()[:5] {
		seeds = append(seeds, packed.Document(&d))
	}
	fuzzUnpack(f, seeds, packed.UnpackDocument, packed.Document)
}

func FuzzUnpackPerson(f *testing.F) {
	var seeds []string
	for _, p := range samplePersons()[:5] {
		seeds = append(seeds, packed.Person(&p))
	}
	fuzzUnpack(f, seeds, packed.UnpackPerson, packed.Person)
}

func FuzzUnpackVehicle(f *testing.F) {
	var seeds []string
	for _, v := range watchlisttest.Vehicles(3, 1) {
		seeds = append(seeds, packed.Vehicle(&v))
	}
	fuzzUnpack(f, seeds, packed.UnpackVehicle, packed.Vehicle)
}

func FuzzUnpackOthers(f *testing.F) {
	td := watchlist.TravelDocument{ID: "td-1", Number: "1", Issuer: "FRA", Access: event.Access{RestrictedTo: []string{"DEU"}}}
	vs := watchlisttest.Vessels(1, 1)[0]
	fa := watchlisttest.Firearms(1, 1)[0]
	for _, s := range []string{packed.TravelDocument(&td), packed.Vessel(&vs), packed.Firearm(&fa)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if v, err := packed.UnpackTravelDocument(s); err == nil {
			if again, err := packed.UnpackTravelDocument(packed.TravelDocument(&v)); err != nil || !cmp.Equal(v, again, empty) {
				t.Fatalf("travel document repack: %v", err)
			}
		}
		if v, err := packed.UnpackVessel(s); err == nil {
			if again, err := packed.UnpackVessel(packed.Vessel(&v)); err != nil || !cmp.Equal(v, again, empty) {
				t.Fatalf("vessel repack: %v", err)
			}
		}
		if v, err := packed.UnpackFirearm(s); err == nil {
			if again, err := packed.UnpackFirearm(packed.Firearm(&v)); err != nil || !cmp.Equal(v, again, empty) {
				t.Fatalf("firearm repack: %v", err)
			}
		}
	})
}

func sampleTraveller() (event.Subject, event.Context) {
	p := &event.Person{Surname: "Müller", GivenNames: "Anna", FullName: "", BirthDate: event.Date{Year: 1984, Month: 2, Day: 29}, Sex: "F", Nationality: "DEU",
		Documents: []event.Document{{Type: "P", Number: "C01X00T47", Issuer: "DEU", Expiry: event.Date{Year: 2030, Month: 1}}}}
	s := event.Subject{ID: "m-1/0", EventID: "m-1", Kind: event.KindPerson, Role: event.RolePassenger, Person: p}
	c := event.Context{Source: "api", Carrier: "LH", Flight: "LH400", BorderPost: "FRA", Country: "DEU", EventTime: time.Date(2026, 11, 24, 8, 0, 0, 123000, time.UTC)}
	return s, c
}

func TestTravellerRoundTrip(t *testing.T) {
	t.Parallel()
	s, c := sampleTraveller()
	gs, gc, err := packed.UnpackTraveller(packed.Traveller(&s, &c))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(s, gs, empty); diff != "" {
		t.Errorf("subject (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(c, gc, empty); diff != "" {
		t.Errorf("context (-want +got):\n%s", diff)
	}
	if packed.Traveller(&event.Subject{ID: "x", Kind: event.KindVehicle, Vehicle: &event.Vehicle{VIN: "1"}}, &c) != "" {
		t.Error("a vehicle was packed as a traveller")
	}
}

func FuzzUnpackTraveller(f *testing.F) {
	s, c := sampleTraveller()
	f.Add(packed.Traveller(&s, &c))
	f.Fuzz(func(t *testing.T, in string) {
		s, c, err := packed.UnpackTraveller(in)
		if err != nil {
			if !errors.Is(err, packed.ErrCorrupt) {
				t.Fatalf("error %v is not ErrCorrupt", err)
			}
			return
		}
		s2, c2, err := packed.UnpackTraveller(packed.Traveller(&s, &c))
		if err != nil || !cmp.Equal(s, s2, empty) || !cmp.Equal(c, c2, empty) {
			t.Fatalf("repack: %v", err)
		}
	})
}
