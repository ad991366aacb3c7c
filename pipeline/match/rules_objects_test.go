package match_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/match"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

// objectSet is a small watchlist of every non-SLTD database, aimed at the rule tests below.
func objectSet() *watchlist.Set {
	return &watchlist.Set{
		Notices: []watchlist.Person{
			{ID: "N-red", NoticeType: watchlist.NoticeRed, Names: []watchlist.Name{{Surname: "Moreau", GivenNames: "Luc"}}},
			{ID: "N-yellow", NoticeType: watchlist.NoticeYellow, Names: []watchlist.Name{{Surname: "Lind", GivenNames: "Ebba"}}},
		},
		Nominals: []watchlist.Person{
			{ID: "NOM-1", Names: []watchlist.Name{{Surname: "Kowalski", GivenNames: "Tomasz"}}, Owner: "POL", BirthDates: []event.Date{{Year: 1977}}},
			{ID: "NOM-2", Names: []watchlist.Name{{Surname: "Dupont", GivenNames: "Marc"}}},
		},
		TDAWN: []watchlist.TravelDocument{
			{ID: "T-red", Number: "18FV40721", Type: "P", Issuer: "FRA", NoticeID: "N-red", Owner: "FRA"},
			{ID: "T-gone", Number: "X7700123", Type: "P", Issuer: "SWE", NoticeID: "N-cancelled", Owner: "SWE"},
		},
		Vehicles: []watchlist.Vehicle{
			{ID: "V-golf", VIN: "WVWZZZ1JZ3W386752", Plate: "AB-123-CD", PlateCountry: "FRA", Make: "Volkswagen", Model: "Golf", Owner: "FRA"},
			{ID: "V-partial", VIN: "8A147365", Make: "Mercedes-Benz", Owner: "DEU"},
			{ID: "V-engine", PartSerials: []string{"M47-D20 1234567"}, Make: "BMW", Owner: "DEU"},
			{ID: "V-plate", Plate: "KA 4711", PlateCountry: "DEU", Make: "Opel", Owner: "DEU"},
			{ID: "V-accord", VIN: "1HGCM82633A004352", Make: "Honda", Owner: "USA"}, // North American, check digit 3
			{ID: "V-ford", VIN: "1FTRW08LXCA1B5670", Make: "Ford", Owner: "CAN"},    // check digit X; A and 1 are both worth 1
		},
		Vessels: []watchlist.Vessel{
			{ID: "S-imo", IMO: "IMO 9074729", Name: "Sea Star", Owner: "NOR"},
			{ID: "S-badcheck", IMO: "1234568", Owner: "GRC"},
			{ID: "S-hin", HIN: "US-ABC12345D404", Owner: "USA"},
			{ID: "S-engine", EngineSerials: []string{"6AH-1012345"}, Owner: "ITA"},
		},
		Firearms: []watchlist.Firearm{
			{ID: "F-sw", Serial: "DKL 4562", Make: "Smith & Wesson", Model: "M&P 9", Calibre: "9mm", Owner: "USA"},
			{ID: "F-colt", Serial: "1911-8852", Make: "COLT'S", Model: "M1911A1", Calibre: ".45 ACP", Owner: "USA"},
			{ID: "F-glock", Serial: "BXR512", Make: "Glock", Model: "17", Calibre: "9x19", Owner: "AUT"},
		},
	}
}

type objHit struct {
	DB       event.Database
	Record   string
	Score    float64
	Severity string
}

func TestScreenObjectRules(t *testing.T) {
	t.Parallel()
	snap := index.Build(9, objectSet())
	if got := snap.Skipped(); got != 0 {
		t.Fatalf("Skipped = %d, want 0", got)
	}
	m, err := match.New(match.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	vehicle := func(v event.Vehicle) *event.Subject {
		return &event.Subject{ID: "c/0", EventID: "c", Kind: event.KindVehicle, Vehicle: &v}
	}
	vessel := func(v event.Vessel) *event.Subject {
		return &event.Subject{ID: "c/0", EventID: "c", Kind: event.KindVessel, Vessel: &v}
	}
	firearm := func(f event.Firearm) *event.Subject {
		return &event.Subject{ID: "c/0", EventID: "c", Kind: event.KindFirearm, Firearm: &f}
	}
	traveller := func(surname, given string, docs ...event.Document) *event.Subject {
		return &event.Subject{ID: "c/0", EventID: "c", Kind: event.KindPerson, Person: &event.Person{Surname: surname, GivenNames: given, Documents: docs}}
	}
	tests := []struct {
		name   string
		subj   *event.Subject
		want   []objHit
		reason string // a substring of some reason's detail of the first hit, when set
	}{
		// Vehicles.
		{"full VIN, make and model agree", vehicle(event.Vehicle{VIN: "WVWZZZ1JZ3W386752", Make: "VW", Model: "golf"}),
			[]objHit{{event.DBVehicles, "V-golf", 1, "high"}}, "VIN identical (17 characters)"},
		{"full VIN alone", vehicle(event.Vehicle{VIN: "wvw zzz 1jz 3w 386752"}),
			[]objHit{{event.DBVehicles, "V-golf", 0.98, "high"}}, ""},
		{"VIN with OCR confusions I and O", vehicle(event.Vehicle{VIN: "WVWZZZIJZ3W3867S2"}), nil, ""}, // S is a VIN character: no fold
		{"VIN with I for 1", vehicle(event.Vehicle{VIN: "WVWZZZIJZ3W386752"}),
			[]objHit{{event.DBVehicles, "V-golf", 0.93, "high"}}, "OCR-confusable I/1"},
		{"VIN with one unreadable character in the serial", vehicle(event.Vehicle{VIN: "WVWZZZ1JZ3W38*752"}),
			[]objHit{{event.DBVehicles, "V-golf", 0.94, "medium"}}, "one character unreadable"},
		{"VIN with one unreadable character in the WMI", vehicle(event.Vehicle{VIN: "W?WZZZ1JZ3W386752"}),
			[]objHit{{event.DBVehicles, "V-golf", 0.94, "medium"}}, ""},
		{"VIN with two unreadable characters", vehicle(event.Vehicle{VIN: "WVWZZZ1JZ3W3_*752"}), nil, ""},
		{"full VIN, make conflict", vehicle(event.Vehicle{VIN: "WVWZZZ1JZ3W386752", Make: "Toyota"}),
			[]objHit{{event.DBVehicles, "V-golf", 0.93, "high"}}, "make differs"},
		{"partial VIN alone is not enough", vehicle(event.Vehicle{VIN: "3W386752"}), nil, ""},
		{"partial VIN with the make", vehicle(event.Vehicle{VIN: "3W386752", Make: "Volkswagen AG"}),
			[]objHit{{event.DBVehicles, "V-golf", 0.9, "medium"}}, "last 8 characters agree"},
		{"record holds a partial VIN", vehicle(event.Vehicle{VIN: "WDB1240828A147365", Make: "Mercedes"}),
			[]objHit{{event.DBVehicles, "V-partial", 0.9, "medium"}}, "partial VIN"},
		{"partial VIN with a wrong character", vehicle(event.Vehicle{VIN: "3W386753", Make: "VW"}), nil, ""},
		{"plate and country", vehicle(event.Vehicle{Plate: "ab 123 cd", PlateCountry: "fra"}),
			[]objHit{{event.DBVehicles, "V-golf", 0.92, "high"}}, "registration plate and plate country agree"},
		{"plate on another make still hits", vehicle(event.Vehicle{Plate: "KA-4711", PlateCountry: "DEU", Make: "Fiat"}),
			[]objHit{{event.DBVehicles, "V-plate", 0.92, "high"}}, "stolen or cloned plates"},
		{"plate without country", vehicle(event.Vehicle{Plate: "KA4711"}), nil, ""},
		{"plate from another country", vehicle(event.Vehicle{Plate: "KA4711", PlateCountry: "AUT"}), nil, ""},
		{"VIN and plate corroborate", vehicle(event.Vehicle{VIN: "WVWZZZ1JZ3W386752", Plate: "AB123CD", PlateCountry: "FRA"}),
			[]objHit{{event.DBVehicles, "V-golf", 1, "high"}}, "also matches the same record"},
		{"engine serial with make", vehicle(event.Vehicle{PartSerials: []string{"M47D201234567"}, Make: "B.M.W."}),
			[]objHit{{event.DBVehicles, "V-engine", 0.91, "medium"}}, "engine or part serial identical"},
		{"engine serial alone", vehicle(event.Vehicle{PartSerials: []string{"M47D201234567"}}), nil, ""},
		{"VIN with two serial digits transposed, with the make", vehicle(event.Vehicle{VIN: "WVWZZZ1JZ3W368752", Make: "VW"}),
			[]objHit{{event.DBVehicles, "V-golf", 0.91, "medium"}}, "two adjacent characters are swapped"},
		{"VIN transposed across the tail, with the make", vehicle(event.Vehicle{VIN: "WVWZZZ1J3ZW386752", Make: "Volkswagen"}),
			[]objHit{{event.DBVehicles, "V-golf", 0.91, "medium"}}, "two adjacent characters are swapped"},
		{"VIN transposed in the WMI, with make and model", vehicle(event.Vehicle{VIN: "VWWZZZ1JZ3W386752", Make: "VW", Model: "Golf"}),
			[]objHit{{event.DBVehicles, "V-golf", 0.92, "medium"}}, ""},
		{"VIN transposed alone is not enough", vehicle(event.Vehicle{VIN: "WVWZZZ1JZ3W368752"}), nil, ""},
		{"VIN transposed with another make", vehicle(event.Vehicle{VIN: "WVWZZZ1JZ3W368752", Make: "Toyota"}), nil, ""},
		{"VIN transposed and OCR-confused", vehicle(event.Vehicle{VIN: "WVWZZZIJZ3W368752", Make: "VW"}), nil, ""},
		{"VIN with two transpositions", vehicle(event.Vehicle{VIN: "VWWZZZ1JZ3W368752", Make: "VW"}), nil, ""},
		{"VIN with a transposition and an unreadable character", vehicle(event.Vehicle{VIN: "WVWZZZ1JZ3W36875*", Make: "VW"}), nil, ""},
		{"North-American VIN transposed, the check digit shows the keying error", vehicle(event.Vehicle{VIN: "1HGCM82633A004532"}),
			[]objHit{{event.DBVehicles, "V-accord", 0.91, "medium"}}, "fails the North-American check digit"},
		{"North-American VIN transposed, check digit shown, another make", vehicle(event.Vehicle{VIN: "1HGCM82633A004532", Make: "Ford"}), nil, ""},
		{"North-American transposition that keeps the check digit: another vehicle", vehicle(event.Vehicle{VIN: "1FTRW08LXC1AB5670"}), nil, ""},
		{"the same with the make", vehicle(event.Vehicle{VIN: "1FTRW08LXC1AB5670", Make: "FORD"}),
			[]objHit{{event.DBVehicles, "V-ford", 0.91, "medium"}}, "a keying error, or another vehicle's VIN"},

		// Vessels.
		{"IMO number", vessel(event.Vessel{IMO: "9074729"}), []objHit{{event.DBVessels, "S-imo", 0.98, "high"}}, "check digit valid"},
		{"IMO number and name", vessel(event.Vessel{IMO: "IMO9074729", Name: "SEA-STAR"}), []objHit{{event.DBVessels, "S-imo", 1, "high"}}, ""},
		{"IMO number with O for 0", vessel(event.Vessel{IMO: "9O74729"}), []objHit{{event.DBVessels, "S-imo", 0.93, "high"}}, "OCR-confusable"},
		{"IMO typo fails", vessel(event.Vessel{IMO: "9074792"}), nil, ""},
		{"IMO number failing its check digit, identical", vessel(event.Vessel{IMO: "1234568"}), []objHit{{event.DBVessels, "S-badcheck", 0.93, "high"}}, "fails its check digit"},
		{"HIN without the country prefix", vessel(event.Vessel{HIN: "ABC12345D404"}), []objHit{{event.DBVessels, "S-hin", 0.96, "high"}}, ""},
		{"HIN with O for 0", vessel(event.Vessel{HIN: "US ABC12345D4O4"}), []objHit{{event.DBVessels, "S-hin", 0.91, "high"}}, ""},
		{"outboard engine serial", vessel(event.Vessel{EngineSerials: []string{"6AH1012345"}}), []objHit{{event.DBVessels, "S-engine", 0.9, "high"}}, ""},
		{"outboard engine serial OCR only", vessel(event.Vessel{EngineSerials: []string{"GAH1012345"}}), nil, ""},

		// Firearms.
		{"serial and make alias", firearm(event.Firearm{Serial: "DKL4562", Make: "S&W"}), []objHit{{event.DBFirearms, "F-sw", 0.9, "critical"}}, "make agrees"},
		{"serial, make, model and calibre", firearm(event.Firearm{Serial: "DKL-4562", Make: "smith and wesson", Model: "M&P9", Calibre: "9x19"}), []objHit{{event.DBFirearms, "F-sw", 0.98, "critical"}}, ""},
		{"serial alone is weak", firearm(event.Firearm{Serial: "DKL4562"}), nil, ""},
		{"serial with another make", firearm(event.Firearm{Serial: "DKL4562", Make: "Ruger"}), nil, ""},
		{"Colt's is Colt, calibre aliases", firearm(event.Firearm{Serial: "19118852", Make: "Colt", Calibre: "45 auto"}), []objHit{{event.DBFirearms, "F-colt", 0.94, "critical"}}, "calibre agrees"},
		{"serial OCR with make only", firearm(event.Firearm{Serial: "8XR512", Make: "GLOCK"}), nil, ""},
		{"serial OCR with make, model and calibre", firearm(event.Firearm{Serial: "8XR5I2", Make: "GLOCK", Model: "Glock 17", Calibre: "9mm Luger"}), []objHit{{event.DBFirearms, "F-glock", 0.9, "critical"}}, "OCR-confusable"},
		{"calibre conflict", firearm(event.Firearm{Serial: "BXR512", Make: "Glock", Calibre: ".22 LR"}), nil, ""},
		{"legal name of the make", firearm(event.Firearm{Serial: "BXR512", Make: "Glock Ges.m.b.H."}), []objHit{{event.DBFirearms, "F-glock", 0.9, "critical"}}, "make agrees"},
		{"legal name of another make", firearm(event.Firearm{Serial: "DKL4562", Make: "Sturm, Ruger & Co., Inc."}), nil, ""},
		{"metric calibre with mm", firearm(event.Firearm{Serial: "BXR512", Make: "GLOCK Inc.", Calibre: "9×19 mm"}), []objHit{{event.DBFirearms, "F-glock", 0.94, "critical"}}, "calibre agrees"},
		{"another metric calibre", firearm(event.Firearm{Serial: "BXR512", Make: "Glock", Calibre: "9x18mm"}), nil, ""},

		// TDAWN: the person is of interest; the action follows the linked notice.
		{"TDAWN linked to a red notice", traveller("", "", event.Document{Number: "18FV40721", Issuer: "FRA", Type: "P"}),
			[]objHit{{event.DBTDAWN, "T-red", 1, "critical"}}, "notice N-red (red)"},
		{"TDAWN notice not in the snapshot", traveller("", "", event.Document{Number: "X77OO123", Issuer: "SWE"}),
			[]objHit{{event.DBTDAWN, "T-gone", 0.9, "high"}}, "not in this snapshot"},
		{"TDAWN other issuer", traveller("", "", event.Document{Number: "18FV40721", Issuer: "BEL"}), nil, ""},

		// Nominal data.
		{"nominal by name", traveller("Kowalski", "Tomasz"), []objHit{{event.DBNominals, "NOM-1", 0.8, "medium"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			hits := m.Screen(snap, tt.subj)
			var got []objHit
			for _, h := range hits {
				got = append(got, objHit{h.Database, h.RecordID, h.Score, h.Severity})
				if h.Action == "" || len(h.Reasons) == 0 || h.SnapshotVersion != 9 || h.Owner == "" && h.Database != event.DBNominals {
					t.Errorf("incomplete hit %+v", h)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("hits mismatch (-want +got):\n%s", diff)
			}
			if tt.reason != "" {
				found := false
				for _, r := range hits[0].Reasons {
					found = found || strings.Contains(r.Detail, tt.reason)
				}
				if !found {
					t.Errorf("no reason mentions %q: %+v", tt.reason, hits[0].Reasons)
				}
			}
			if len(hits) > 0 {
				sum := 0.0
				for _, r := range hits[0].Reasons {
					sum += r.Weight
				}
				if s := hits[0].Score; s < 1 && (sum-s > 0.0001 || s-sum > 0.0001) {
					t.Errorf("reasons weigh %v in all, score is %v: the explanation does not add up", sum, s)
				}
			}
		})
	}
}

// TestObjectHitsNeverLeakValues checks that no reason repeats a presented identifier.
func TestObjectHitsNeverLeakValues(t *testing.T) {
	t.Parallel()
	snap := index.Build(1, objectSet())
	cfg := match.DefaultConfig()
	for db := range cfg.Thresholds {
		cfg.Thresholds[db] = 0.01
	}
	m, err := match.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	values := []string{"WVWZZZ1JZ3W386752", "AB123CD", "9074729", "DKL4562", "ABC12345D404", "M47D201234567"}
	subjects := []*event.Subject{
		{ID: "a/0", Vehicle: &event.Vehicle{VIN: values[0], Plate: values[1], PlateCountry: "FRA", PartSerials: []string{values[5]}}},
		{ID: "b/0", Vessel: &event.Vessel{IMO: values[2], HIN: values[4]}},
		{ID: "c/0", Firearm: &event.Firearm{Serial: values[3], Make: "S&W"}},
	}
	for _, s := range subjects {
		hits := m.Screen(snap, s)
		if len(hits) == 0 {
			t.Fatalf("subject %s: no hits", s.ID)
		}
		for _, h := range hits {
			for _, r := range h.Reasons {
				for _, v := range values {
					if strings.Contains(r.Detail, v) {
						t.Errorf("subject %s: reason %q repeats a presented identifier", s.ID, r.Detail)
					}
				}
			}
		}
	}
}

// FuzzScreenObjects screens arbitrary vehicles, vessels and firearms against a small fixed
// snapshot at very low thresholds. Invariants: never panics; every hit is of the subject's
// database, scores at least its threshold and at most 1, names its snapshot, has an action
// and reasons whose weights add up to its score (below the clamp); no reason repeats a
// presented identifier (six or more letters and digits, one a digit); screening twice gives
// the same hits.
func FuzzScreenObjects(f *testing.F) {
	snap := index.Build(4, objectSet())
	cfg := match.DefaultConfig()
	for db := range cfg.Thresholds {
		cfg.Thresholds[db] = 0.01
	}
	m, err := match.New(cfg)
	if err != nil {
		f.Fatal(err)
	}
	f.Add("WVWZZZ1JZ3W38*752", "AB123CD", "FRA", "VW", "9O74729", "US-ABC12345D404", "DKL4562", "S&W")
	f.Add("3W386752", "KA4711", "", "Mercedes", "1234568", "ABCI2345D4O4", "8XR5I2", "")
	f.Add("*?_", "ＡＢ", "d", "'&'", "IMO", "\xff", "-", "COLT'S")
	f.Fuzz(func(t *testing.T, vin, plate, country, mk, imo, hin, serial, fmk string) {
		subjects := []*event.Subject{
			{ID: "v/0", Vehicle: &event.Vehicle{VIN: vin, Plate: plate, PlateCountry: country, Make: mk, PartSerials: []string{serial}}},
			{ID: "s/0", Vessel: &event.Vessel{IMO: imo, HIN: hin, EngineSerials: []string{serial}, Name: mk}},
			{ID: "f/0", Firearm: &event.Firearm{Serial: serial, Make: fmk, Model: mk, Calibre: country}},
		}
		dbs := []event.Database{event.DBVehicles, event.DBVessels, event.DBFirearms}
		for i, s := range subjects {
			hits := m.Screen(snap, s)
			if diff := cmp.Diff(hits, m.Screen(snap, s)); diff != "" {
				t.Fatalf("screening is not deterministic:\n%s", diff)
			}
			for _, h := range hits {
				if h.Database != dbs[i] || h.Score < 0.01 || h.Score > 1 || h.SnapshotVersion != 4 || h.Action == "" || len(h.Reasons) == 0 {
					t.Fatalf("bad hit %+v", h)
				}
				sum := 0.0
				for _, r := range h.Reasons {
					sum += r.Weight
					for _, v := range []string{vin, plate, imo, hin, serial} {
						if identifierLike(v) && strings.Contains(r.Detail, v) {
							t.Fatalf("reason %q repeats a presented identifier", r.Detail)
						}
					}
				}
				if h.Score < 1 && (sum-h.Score > 0.0001 || h.Score-sum > 0.0001) {
					t.Fatalf("reasons add up to %v, score %v", sum, h.Score)
				}
			}
		}
	})
}

// identifierLike reports whether v is six or more ASCII letters and digits, at least one a
// digit: a value no fixed reason text contains.
func identifierLike(v string) bool {
	digit := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= '0' && c <= '9':
			digit = true
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z':
		default:
			return false
		}
	}
	return digit && len(v) >= 6
}
