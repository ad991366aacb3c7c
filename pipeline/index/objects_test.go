package index_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

func TestCanonicalIdentifiers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		fn   func(string) string
		in   string
		want string
	}{
		{"vin separators", index.VIN, "wvw-zzz 1jz.3w386752", "WVWZZZ1JZ3W386752"},
		{"vin unreadable markers", index.VIN, "WVW?ZZ1JZ_3W38*752", "WVW*ZZ1JZ*3W38*752"},
		{"vin full-width and Cyrillic", index.VIN, "ＷＶＷ ВАЗ", "WVWBA3"[:3] + "BA"}, // Cyrillic З has no Latin look-alike
		{"plate", index.Plate, "ab-123 cd", "AB123CD"},
		{"plate Cyrillic look-alikes", index.Plate, "А 123 ВС", "A123BC"},
		{"imo prefix", index.IMO, "IMO 9074729", "9074729"},
		{"imo repeated prefix", index.IMO, "IMO IMO 9074729", "9074729"},
		{"imo alone", index.IMO, "IMO", ""},
		{"imo label No.", index.IMO, "IMO No. 9074729", "9074729"},
		{"imo label Nr.", index.IMO, "IMO-Nr.: 9074729", "9074729"},
		{"imo label number", index.IMO, "imo number 9074729", "9074729"},
		{"imo label Nº", index.IMO, "IMO Nº 9074729", "9074729"},
		{"imo label №", index.IMO, "IMO № 9074729", "9074729"},
		{"imo label N°", index.IMO, "IMO N° 9074729", "9074729"},
		{"imo label with OCR-confused digits", index.IMO, "IMO No. 9O74729", "9O74729"},
		{"imo label before a short number kept", index.IMO, "IMO No. 907472", "NO907472"},
		{"hin country prefix", index.HIN, "US-ABC12345D404", "ABC12345D404"},
		{"hin bare", index.HIN, "ABC12345D404", "ABC12345D404"},
		{"hin digit prefix kept", index.HIN, "12ABC12345D404", "12ABC12345D404"},
		{"firearm make S&W", index.FirearmMake, "S&W", "SMITHWESSON"},
		{"firearm make spaced", index.FirearmMake, "S & W", "SMITHWESSON"},
		{"firearm make long", index.FirearmMake, "Smith & Wesson", "SMITHWESSON"},
		{"firearm make and", index.FirearmMake, "SMITH AND WESSON INC.", "SMITHWESSON"},
		{"firearm make Colt's", index.FirearmMake, "COLT'S", "COLT"},
		{"firearm make Colt's company", index.FirearmMake, "Colt’s Manufacturing Company", "COLT"},
		{"firearm make accents", index.FirearmMake, "Česká zbrojovka", "CZ"},
		{"firearm make unknown kept", index.FirearmMake, "Glock GmbH", "GLOCK"},
		{"firearm make noise only", index.FirearmMake, "Arms Co.", ""},
		{"vehicle make VW", index.VehicleMake, "VW", "VOLKSWAGEN"},
		{"vehicle make Mercedes", index.VehicleMake, "Mercedes-Benz AG", "MERCEDESBENZ"},
		{"calibre 9mm", index.Calibre, "9 mm", "9X19"},
		{"calibre luger", index.Calibre, "9mm Luger", "9X19"},
		{"calibre 45", index.Calibre, ".45 ACP", "45ACP"},
		{"calibre unknown kept", index.Calibre, "6.5 Creedmoor", "65CREEDMOOR"},
		{"calibre metric mm", index.Calibre, "5.45x39mm", "545X39"},
		{"calibre metric sign and comma", index.Calibre, "5,45 × 39 mm", "545X39"},
		{"calibre mm after the bore", index.Calibre, "7.62mm x 39", "762X39"},
		{"calibre rimmed", index.Calibre, "7.62×54mmR", "762X54R"},
		{"calibre mm alone kept", index.Calibre, "10mm Auto", "10MMAUTO"},
		{"firearm make Ges.m.b.H.", index.FirearmMake, "Glock Ges.m.b.H.", "GLOCK"},
		{"firearm make d' and S.p.A.", index.FirearmMake, "Fabbrica d'Armi Pietro Beretta S.p.A.", "BERETTA"},
		{"firearm make a.s.", index.FirearmMake, "Česká zbrojovka a.s.", "CZ"},
		{"firearm make & Sons", index.FirearmMake, "O.F. Mossberg & Sons, Inc.", "MOSSBERG"},
		{"firearm make Concern", index.FirearmMake, "Kalashnikov Concern", "KALASHNIKOV"},
		{"firearm make Fire Arms", index.FirearmMake, "Colt's Patent Fire Arms Manufacturing Company", "COLT"},
		{"firearm make Armas S.A.", index.FirearmMake, "Taurus Armas S.A.", "TAURUS"},
		{"firearm make legal form alone kept", index.FirearmMake, "Concern", "CONCERN"},
		{"firearm make apostrophe inside kept out", index.FirearmMake, "O'Neil Arms", "ONEIL"},
		{"vehicle make initials", index.VehicleMake, "B.M.W. AG", "BMW"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.fn(tt.in); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if got := tt.fn(tt.want); got != tt.want {
				t.Errorf("not idempotent: %q becomes %q", tt.want, got)
			}
		})
	}
}

// TestMakesAndCalibresAgree checks that the written forms of one maker or cartridge agree
// once canonical, and that those of different makers or cartridges do not.
func TestMakesAndCalibresAgree(t *testing.T) {
	t.Parallel()
	groups := []struct {
		name  string
		fn    func(string) string
		forms [][]string // each inner list one maker or cartridge
	}{
		{"firearm makes", index.FirearmMake, [][]string{
			{"Glock", "GLOCK", "Glock GmbH", "Glock Ges.m.b.H.", "Glock Gesmbh", "GLOCK Inc."},
			{"Beretta", "Pietro Beretta", "Fabbrica d'Armi Pietro Beretta S.p.A.", "Fabbrica d’Armi Pietro Beretta SpA", "Beretta USA Corp.", "Beretta Holding"},
			{"Benelli", "Benelli Armi S.p.A."},
			{"CZ", "CZ-UB", "Ceska Zbrojovka", "Česká zbrojovka a.s.", "Ceska zbrojovka Uhersky Brod", "Česká zbrojovka Uherský Brod a.s."},
			{"Colt", "COLT'S", "Colt's Manufacturing Company LLC", "Colt's Patent Fire Arms Manufacturing Company", "Colt’s Patent Firearms Mfg. Co."},
			{"Kalashnikov", "Izhmash", "Kalashnikov Concern"},
			{"Mossberg", "MOSSBERG", "O.F. Mossberg & Sons, Inc.", "O. F. Mossberg and Sons"},
			{"Taurus", "Taurus Armas S.A.", "Forjas Taurus S.A."},
			{"Smith & Wesson", "S&W", "S & W", "Smith and Wesson Inc."},
			{"Dan Wesson", "Dan Wesson Firearms"},
			{"FN Herstal", "FN", "FN Herstal SA", "Fabrique Nationale d'Herstal"},
			{"Ruger", "Sturm, Ruger & Co., Inc."},
			{"Remington", "Remington Arms Company, LLC"},
		}},
		{"calibres", index.Calibre, [][]string{
			{"5.45x39", "5.45x39mm", "5.45 x 39", "5,45x39", "5.45×39mm", "5,45 × 39 mm", "5.45mm x 39"},
			{"5.7x28", "5.7x28mm", "5.7 x 28", "5,7×28"},
			{"7.62x39", "7.62x39mm", "7.62 x 39", "7,62×39"},
			{"7.62x51", "7.62x51mm", "7.62 NATO", ".308 Win"},
			{"7.62x54R", "7.62x54mmR", "7.62×54 mm R"},
			{"5.56x45", "5.56x45mm", "5.56 NATO", "5.56x45mm NATO"},
			{"9x19", "9mm", "9x19mm", "9 mm Luger"},
			{"9x18", "9x18mm"},
			{"9x17", ".380 ACP", "9mm Kurz"},
		}},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			t.Parallel()
			seen := map[string]string{} // canonical form → the group's first form
			for _, forms := range g.forms {
				want := g.fn(forms[0])
				for _, f := range forms[1:] {
					if got := g.fn(f); got != want {
						t.Errorf("%q is %q, but %q is %q: want them to agree", f, got, forms[0], want)
					}
				}
				if other, ok := seen[want]; ok {
					t.Errorf("%q and %q are both %q: want them to differ", forms[0], other, want)
				}
				seen[want] = forms[0]
			}
		})
	}
}

func TestIMOValid(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   string
		want bool
	}{{"9074729", true}, {"8814275", true}, {"1234567", true}, {"9074728", false}, {"907472", false}, {"90747290", false}, {"9O74729", false}, {"", false}} {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			if got := index.IMOValid(tt.in); got != tt.want {
				t.Errorf("IMOValid = %v, want %v", got, tt.want)
			}
		})
	}
}

func objSet() *watchlist.Set {
	return &watchlist.Set{
		Vehicles: []watchlist.Vehicle{
			{ID: "v1", VIN: "WVWZZZ1JZ3W386752", Plate: "AB-123-CD", PlateCountry: "fra", Make: "VW", Model: "Golf", PartSerials: []string{"M47 1234567", "abc"}, Owner: "fra"},
			{ID: "v2", VIN: "3W386752", Owner: "DEU"},                         // partial: same tail
			{ID: "v3", VIN: "WVWZZZ1JZ3W38675*", Owner: "DEU"},                // unreadable in a record: skipped
			{ID: "v4", VIN: "AB12", Owner: "DEU"},                             // too short: skipped
			{ID: "v5", PartSerials: []string{"ab"}, Owner: "DEU"},             // nothing left once canonical: skipped
			{ID: "v6", Plate: "AB 123 CD", PlateCountry: "BEL", Owner: "BEL"}, // same plate, other country
			{ID: "", VIN: "WVWZZZ1JZ3W386752"},                                // invalid: skipped
			{ID: strings.Repeat("x", 256), VIN: "WVWZZZ1JZ3W386752"},          // field over the layout: skipped
		},
		Vessels: []watchlist.Vessel{
			{ID: "s1", IMO: "IMO 9074729", Name: "Sea Star", EngineSerials: []string{"6AH-1012345"}, Owner: "NOR"},
			{ID: "s2", HIN: "US-ABC12345D404", Owner: "USA"},
			{ID: "s3", IMO: "90747", Owner: "NOR"}, // not seven characters: skipped
		},
		Firearms: []watchlist.Firearm{
			{ID: "f1", Serial: "DKL 4562", Make: "S&W", Model: "M&P 9", Calibre: "9mm", Owner: "USA"},
			{ID: "f2", Serial: "DKL4S62", Make: "Colt", Owner: "USA"}, // OCR twin of f1
			{ID: "f3", Serial: "12", Owner: "USA"},                    // too short: skipped
		},
		TDAWN: []watchlist.TravelDocument{
			{ID: "t1", Number: "18FV40721", Type: "P", Issuer: "FRA", NoticeID: "n1", Owner: "FRA"},
			{ID: "t2", Number: "18FV40721", Type: "P", Issuer: "FRA", NoticeID: "n9", Owner: "FRA"},
			{ID: "t3", Number: "X1", Issuer: "FRA"},
			{ID: "", Number: "X2", Issuer: "FRA"}, // invalid: skipped
		},
		Notices: []watchlist.Person{{ID: "n1", NoticeType: watchlist.NoticeRed, Names: []watchlist.Name{{Surname: "Moreau"}}}},
		Nominals: []watchlist.Person{
			{ID: "m1", Names: []watchlist.Name{{Surname: "Dupont", GivenNames: "Marc"}}},
			{ID: "m2"}, // no name: skipped
		},
	}
}

func TestBuildObjects(t *testing.T) {
	t.Parallel()
	snap := index.Build(1, objSet())
	want := map[event.Database]int{event.DBSLTD: 0, event.DBNotices: 1, event.DBNominals: 1, event.DBTDAWN: 3, event.DBVehicles: 3, event.DBVessels: 2, event.DBFirearms: 2}
	if diff := cmp.Diff(want, snap.Counts()); diff != "" {
		t.Errorf("Counts mismatch (-want +got):\n%s", diff)
	}
	if got := snap.Skipped(); got != 9 {
		t.Errorf("Skipped = %d, want 9", got)
	}
	gotV := []index.VehicleRecord{snap.Vehicle(0), snap.Vehicle(1), snap.Vehicle(2)}
	wantV := []index.VehicleRecord{
		{ID: "v1", VIN: "WVWZZZ1JZ3W386752", Plate: "AB123CD", PlateCountry: "FRA", Make: "VOLKSWAGEN", Model: "GOLF", PartSerials: []string{"M471234567"}, Owner: "FRA"},
		{ID: "v2", VIN: "3W386752", Owner: "DEU"},
		{ID: "v6", Plate: "AB123CD", PlateCountry: "BEL", Owner: "BEL"},
	}
	if diff := cmp.Diff(wantV, gotV); diff != "" {
		t.Errorf("vehicle records mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(index.VesselRecord{ID: "s1", IMO: "9074729", Name: "SEASTAR", EngineSerials: []string{"6AH1012345"}, Owner: "NOR"}, snap.Vessel(0)); diff != "" {
		t.Errorf("vessel record mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(index.FirearmRecord{ID: "f1", Serial: "DKL4562", Make: "SMITHWESSON", Model: "MP9", Calibre: "9X19", Owner: "USA"}, snap.Firearm(0)); diff != "" {
		t.Errorf("firearm record mismatch (-want +got):\n%s", diff)
	}
	var links []string
	for ref := range snap.DocumentRefs(event.DBTDAWN) {
		r := snap.Document(event.DBTDAWN, ref)
		links = append(links, r.ID+":"+r.NoticeID+":"+string(r.NoticeType))
	}
	slices.Sort(links)
	if diff := cmp.Diff([]string{"t1:n1:red", "t2:n9:", "t3::"}, links); diff != "" {
		t.Errorf("TDAWN links mismatch (-want +got):\n%s", diff)
	}
	for _, db := range []event.Database{event.DBVehicles, event.DBVessels, event.DBFirearms} {
		if snap.ObjectBytes(db) <= 0 {
			t.Errorf("ObjectBytes(%s) = %d", db, snap.ObjectBytes(db))
		}
	}
}

func TestObjectCandidates(t *testing.T) {
	t.Parallel()
	snap := index.Build(1, objSet())
	ids := func(db event.Database, recs []uint32) []string {
		var out []string
		for _, i := range recs {
			switch db {
			case event.DBVehicles:
				out = append(out, snap.Vehicle(i).ID)
			case event.DBVessels:
				out = append(out, snap.Vessel(i).ID)
			default:
				out = append(out, snap.Firearm(i).ID)
			}
		}
		return out
	}
	tests := []struct {
		name string
		db   event.Database
		find func() []uint32
		want []string
	}{
		{"vin exact and partial share the tail", event.DBVehicles, func() []uint32 {
			return snap.VehicleCandidates(&event.Vehicle{VIN: "WVWZZZ1JZ3W386752"}, nil)
		}, []string{"v1", "v2"}},
		{"vin OCR tail", event.DBVehicles, func() []uint32 { return snap.VehicleCandidates(&event.Vehicle{VIN: "3W386752"}, nil) }, []string{"v1", "v2"}},
		{"vin unreadable in the tail", event.DBVehicles, func() []uint32 { return snap.VehicleCandidates(&event.Vehicle{VIN: "3W38_752"}, nil) }, []string{"v1", "v2"}},
		{"vin two unreadable in the tail", event.DBVehicles, func() []uint32 { return snap.VehicleCandidates(&event.Vehicle{VIN: "3W3**752"}, nil) }, nil},
		{"full vin transposed in the tail", event.DBVehicles, func() []uint32 {
			return snap.VehicleCandidates(&event.Vehicle{VIN: "WVWZZZ1JZ3W368752"}, nil)
		}, []string{"v1", "v2"}},
		{"full vin transposed across the tail, with an I for 1", event.DBVehicles, func() []uint32 {
			return snap.VehicleCandidates(&event.Vehicle{VIN: "WVWZZZIJ3ZW386752"}, nil)
		}, []string{"v1", "v2"}},
		{"partial vin transposed: no probes", event.DBVehicles, func() []uint32 { return snap.VehicleCandidates(&event.Vehicle{VIN: "3W368752"}, nil) }, nil},
		{"full vin transposed with an unreadable character: no probes", event.DBVehicles, func() []uint32 {
			return snap.VehicleCandidates(&event.Vehicle{VIN: "W*WZZZ1JZ3W368752"}, nil)
		}, nil},
		{"plate finds every country, once each", event.DBVehicles, func() []uint32 {
			return snap.VehicleCandidates(&event.Vehicle{Plate: "AB123CD", VIN: "WVWZZZ1JZ3W386752"}, nil)
		}, []string{"v1", "v2", "v6"}},
		{"plate OCR", event.DBVehicles, func() []uint32 { return snap.VehicleCandidates(&event.Vehicle{Plate: "A8I23CD"}, nil) }, []string{"v1", "v6"}},
		{"part serial", event.DBVehicles, func() []uint32 {
			return snap.VehicleCandidates(&event.Vehicle{PartSerials: []string{"m47-1234567", "abc"}}, nil)
		}, []string{"v1"}},
		{"nothing presented", event.DBVehicles, func() []uint32 { return snap.VehicleCandidates(&event.Vehicle{}, nil) }, nil},
		{"imo", event.DBVessels, func() []uint32 { return snap.VesselCandidates(&event.Vessel{IMO: "9O74729"}, nil) }, []string{"s1"}},
		{"hin", event.DBVessels, func() []uint32 { return snap.VesselCandidates(&event.Vessel{HIN: "ABC12345D4O4"}, nil) }, []string{"s2"}},
		{"engine", event.DBVessels, func() []uint32 {
			return snap.VesselCandidates(&event.Vessel{EngineSerials: []string{"6AH1012345"}}, nil)
		}, []string{"s1"}},
		{"firearm serial and OCR twin", event.DBFirearms, func() []uint32 { return snap.FirearmCandidates(&event.Firearm{Serial: "DKL4562"}, nil) }, []string{"f1", "f2"}},
		{"firearm short serial", event.DBFirearms, func() []uint32 { return snap.FirearmCandidates(&event.Firearm{Serial: "12"}, nil) }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, ids(tt.db, tt.find())); diff != "" {
				t.Errorf("candidates mismatch (-want +got):\n%s", diff)
			}
		})
	}
	// dst is appended to, not replaced.
	got := snap.FirearmCandidates(&event.Firearm{Serial: "DKL4562"}, []uint32{99})
	if diff := cmp.Diff([]uint32{99, 0, 1}, got); diff != "" {
		t.Errorf("append to dst mismatch (-want +got):\n%s", diff)
	}
	empty := index.Build(1, nil)
	if got := empty.VehicleCandidates(&event.Vehicle{VIN: "WVWZZZ1JZ3W386752"}, nil); got != nil {
		t.Errorf("empty snapshot candidates = %v", got)
	}
}

// TestLookupDocumentAllocs pins the hot path: a canonical number, with an issuer that has
// ranges, is looked up without allocating.
func TestLookupDocumentAllocs(t *testing.T) {
	snap := index.Build(1, docSet())
	dst := make([]index.DocumentMatch, 0, 8)
	allocs := testing.AllocsPerRun(1000, func() {
		dst = snap.LookupDocument(event.DBSLTD, "QX000155", "ITA", dst[:0])
	})
	if allocs != 0 {
		t.Errorf("LookupDocument allocates %v times per call, want 0", allocs)
	}
	if len(dst) != 2 {
		t.Errorf("found %d records, want 2", len(dst))
	}
}

// FuzzIdentifiers checks the identifier canonicalisers. Invariants: never panic; idempotent;
// outputs are upper-case ASCII letters and digits (VIN also Unreadable); folding is
// idempotent and keeps the length; a VIN's tail key is at most VINTailLen long; a presented
// VIN always finds a record holding the same canonical VIN; an IMO number of seven
// characters, the first a digit, is the same under any label ("IMO No. …"); a make is the
// same with a legal form after it ("… GmbH", "… Ges.m.b.H.", "… Concern", "… & Sons, Inc.");
// a metric calibre (digits X digits) is the same with "mm" after it or × for x.
func FuzzIdentifiers(f *testing.F) {
	for _, s := range []string{"WVW-ZZZ 1JZ3W386752", "3W38*752", "IMO 9074729", "US-ABC12345D404", "S&W", "Colt’s Mfg. Co.", ".45 ACP", "ＡＢ１", "ВАЗ", "\xff*?_", "A ND", "IMOIMO",
		"IMO No. 9074729", "IMO Nº 9O74729", "1HGCM82633A004532", "WVWZZZIJ3ZW3867S2", "Fabbrica d'Armi Pietro Beretta S.p.A.", "O.F. Mossberg & Sons", "Fire Arms", "d'", "x's", "5,45×39mm", "7.62mmx54mmR", "9MMMMX19"} {
		f.Add(s)
	}
	imoLabels := []string{"IMO No. ", "IMO Nr.: ", "imo number ", "IMO Nº ", "IMO № ", "IMO N° ", "No. "}
	// Suffixes that start with initials (S.p.A., a.s.) are left out: after a make that ends
	// with initials they join them (S & W S.p.A. is SWSPA).
	legalSuffixes := []string{" GmbH", " Ges.m.b.H.", ", Concern", " & Sons, Inc."}
	canon := map[string]func(string) string{
		"VIN": index.VIN, "Plate": index.Plate, "Serial": index.Serial, "IMO": index.IMO, "HIN": index.HIN,
		"FirearmMake": index.FirearmMake, "VehicleMake": index.VehicleMake, "Calibre": index.Calibre, "Model": index.Model,
	}
	f.Fuzz(func(t *testing.T, s string) {
		for name, fn := range canon {
			c := fn(s)
			if again := fn(c); again != c {
				t.Fatalf("%s not idempotent: %q then %q", name, c, again)
			}
			for i := 0; i < len(c); i++ {
				ch := c[i]
				if !(ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || name == "VIN" && ch == index.Unreadable) {
					t.Fatalf("%s output %q holds byte %q", name, c, ch)
				}
			}
			if !utf8.ValidString(c) {
				t.Fatalf("%s output is not UTF-8", name)
			}
		}
		if c := index.IMO(s); len(c) == 7 && c[0] >= '0' && c[0] <= '9' {
			for _, l := range imoLabels {
				if got := index.IMO(l + c); got != c {
					t.Fatalf("IMO %q is %q with the label %q", c, got, l)
				}
			}
		}
		for name, fn := range map[string]func(string) string{"FirearmMake": index.FirearmMake, "VehicleMake": index.VehicleMake} {
			if c := fn(s); c != "" {
				for _, l := range legalSuffixes {
					if got := fn(s + l); got != c {
						t.Fatalf("%s of %q is %q, but %q with %q", name, s, c, got, l)
					}
				}
			}
		}
		if c := index.Calibre(s); isMetric(c) {
			for _, v := range []string{c + "mm", c + " MM", strings.Replace(c, "X", "×", 1), strings.Replace(c, "X", "mm x ", 1)} {
				if got := index.Calibre(v); got != c {
					t.Fatalf("calibre %q is %q written %q", c, got, v)
				}
			}
		}
		vin := index.VIN(s)
		if k := index.VINTailKey(vin); len(k) > index.VINTailLen || index.VINTailKey(k) != k {
			t.Fatalf("tail key %q of %q", k, vin)
		}
		if len(vin) >= index.MinVINLen && !strings.ContainsRune(vin, index.Unreadable) && len(vin) <= 255 {
			snap := index.Build(1, &watchlist.Set{Vehicles: []watchlist.Vehicle{{ID: "x", VIN: s}}})
			if got := snap.VehicleCandidates(&event.Vehicle{VIN: vin}, nil); len(got) != 1 {
				t.Fatalf("a VIN does not find its own record: %v", got)
			}
		}
		if len(vin) == index.VINLen && !strings.ContainsRune(vin, index.Unreadable) {
			// Every record whose VIN is one adjacent transposition of the presented one.
			set := &watchlist.Set{}
			for i := 0; i+1 < len(vin); i++ {
				b := []byte(vin)
				b[i], b[i+1] = b[i+1], b[i]
				set.Vehicles = append(set.Vehicles, watchlist.Vehicle{ID: fmt.Sprint(i), VIN: string(b)})
			}
			snap := index.Build(1, set)
			if got := snap.VehicleCandidates(&event.Vehicle{VIN: vin}, nil); len(got) != len(set.Vehicles) {
				t.Fatalf("%q finds %d of the %d records of its transpositions", vin, len(got), len(set.Vehicles))
			}
		}
	})
}

// isMetric reports whether c is digits, X, digits.
func isMetric(c string) bool {
	x := strings.IndexByte(c, 'X')
	digits := func(s string) bool { return s != "" && strings.Trim(s, "0123456789") == "" }
	return x > 0 && digits(c[:x]) && digits(c[x+1:])
}

// TestRangeLookupMatchesScan checks the range index (an implicit interval tree per issuer,
// prefix and suffix length) against a scan, on nested, overlapping, huge and tiny ranges.
func TestRangeLookupMatchesScan(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 9))
	type rng struct {
		id       string
		prefix   string
		from, to int
	}
	var ranges []rng
	set := &watchlist.Set{}
	for i := range 3000 {
		g := rng{id: fmt.Sprint("R", i), prefix: pick(r, []string{"AB", "A8", "XY"})}
		switch r.IntN(4) {
		case 0: // huge
			g.from = r.IntN(1000)
			g.to = g.from + r.IntN(1_000_000-g.from)
		case 1: // tiny
			g.from = r.IntN(999_000)
			g.to = g.from + 1 + r.IntN(3)
		default:
			g.from = r.IntN(990_000)
			g.to = g.from + 1 + r.IntN(5000)
		}
		ranges = append(ranges, g)
		set.Documents = append(set.Documents, watchlist.Document{ID: g.id, Number: fmt.Sprintf("%s%06d", g.prefix, g.from), NumberTo: fmt.Sprintf("%s%06d", g.prefix, g.to),
			Issuer: "ITA", Status: watchlist.StatusStolenBlank, Owner: "ITA"})
	}
	snap := index.Build(1, set)
	for range 3000 {
		n := r.IntN(1_000_000)
		prefix := pick(r, []string{"AB", "A8", "XY", "QQ"})
		var want []string
		for _, g := range ranges {
			if n >= g.from && n <= g.to && (g.prefix == prefix || prefix != "XY" && prefix != "QQ" && g.prefix != "XY") {
				kind := "range"
				if g.prefix != prefix {
					kind = "range-ocr" // AB and A8 fold to the same prefix
				}
				want = append(want, g.id+" "+kind)
			}
		}
		var got []string
		for _, m := range snap.LookupDocument(event.DBSLTD, fmt.Sprintf("%s%06d", prefix, n), "ITA", nil) {
			got = append(got, snap.Document(event.DBSLTD, m.Ref).ID+" "+m.Kind.String())
		}
		slices.Sort(want)
		slices.Sort(got)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("number %s%06d: range lookup differs from a scan (-scan +index):\n%s", prefix, n, diff)
		}
	}
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }
