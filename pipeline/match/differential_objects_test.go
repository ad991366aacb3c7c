package match

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/ident"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

// Small alphabets full of OCR confusions make shared keys, near misses and folded matches
// frequent.
const (
	diffVINChars    = "0OQ1I58SBAZ"
	diffPlateChars  = "AB0O1I5S"
	diffSerialChars = "01OI5SB8"
	diffNAChars     = "1AJ5EN0"
)

var ocrSwap = map[byte]byte{'0': 'O', 'O': '0', 'Q': '0', '1': 'I', 'I': '1', '5': 'S', 'S': '5', '8': 'B', 'B': '8'}

func randChars(r *rand.Rand, alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

// garble rewrites a value the way a reader or an officer might: an OCR confusion, separators,
// lower case, an unreadable character, a truncation to the tail, two adjacent characters
// transposed, or a random value.
func garble(r *rand.Rand, s string, allowUnreadable bool) string {
	if s == "" {
		return s
	}
	b := []byte(s)
	switch r.IntN(10) {
	case 0, 1:
		return s
	case 2:
		for i := range b {
			if c, ok := ocrSwap[b[i]]; ok && r.IntN(2) == 0 {
				b[i] = c
			}
		}
		return string(b)
	case 3:
		return strings.ToLower(s[:len(s)/2]) + " - " + s[len(s)/2:]
	case 4:
		if allowUnreadable {
			b[r.IntN(len(b))] = "*?_"[r.IntN(3)]
		}
		return string(b)
	case 5:
		if allowUnreadable && len(b) > 2 {
			b[r.IntN(len(b))] = '*'
			b[r.IntN(len(b))] = '?'
		}
		return string(b)
	case 6:
		return s[r.IntN(len(s)):]
	case 7:
		i := r.IntN(len(b))
		b[i] = diffVINChars[r.IntN(len(diffVINChars))]
		return string(b)
	case 8:
		if len(b) > 1 {
			i := r.IntN(len(b) - 1)
			b[i], b[i+1] = b[i+1], b[i]
		}
		return string(b)
	}
	return randChars(r, diffVINChars, len(s))
}

func randVIN(r *rand.Rand) string {
	switch r.IntN(8) {
	case 0:
		return ""
	case 1:
		return randChars(r, diffVINChars, 6+r.IntN(11)) // chassis or partial VIN
	case 2, 3, 4:
		// North American, with its check digit. 1, A, J are all worth 1 and 5, E, N all 5: a
		// transposition of two of them keeps the check digit, of any other two breaks it.
		b := []byte("1HG" + randChars(r, diffNAChars, 14))
		b[8], _ = ident.VINCheckDigit(string(b))
		return string(b)
	}
	return "WVW" + randChars(r, "ZAB", 6) + randChars(r, diffVINChars, 8)
}

func randObjectSet(r *rand.Rand, n int) *watchlist.Set {
	set := &watchlist.Set{}
	vmakes := []string{"", "VW", "Volkswagen", "BMW", "Mercedes", "Mercedes-Benz", "Opel"}
	countries := []string{"", "FRA", "DEU", "fra"}
	for i := range n {
		v := watchlist.Vehicle{ID: fmt.Sprintf("V%d", i), VIN: randVIN(r), Make: pick(r, vmakes), Model: pick(r, []string{"", "Golf", "GOLF", "X5"}), Owner: "FRA"}
		if r.IntN(2) == 0 {
			v.Plate, v.PlateCountry = randChars(r, diffPlateChars, 3+r.IntN(2)), pick(r, countries)
		}
		for range r.IntN(3) {
			v.PartSerials = append(v.PartSerials, randChars(r, diffSerialChars, 4+r.IntN(3)))
		}
		if r.IntN(20) == 0 {
			v.VIN = v.VIN + "*" // invalid: skipped by Build
		}
		set.Vehicles = append(set.Vehicles, v)
	}
	for i := range n {
		v := watchlist.Vessel{ID: fmt.Sprintf("S%d", i), Name: pick(r, []string{"", "Sea Star", "SEASTAR", "Aurora"}), Owner: "NOR"}
		switch r.IntN(3) {
		case 0:
			v.IMO = pick(r, []string{"9074729", "9O74729", "IMO 9074729", "9074728", "8814275", "88I4275", "1234567"})
		case 1:
			v.HIN = pick(r, []string{"", "US-"}) + "ABC" + randChars(r, diffSerialChars, 5) + "D404"
		}
		for range r.IntN(3) {
			v.EngineSerials = append(v.EngineSerials, randChars(r, diffSerialChars, 4+r.IntN(3)))
		}
		set.Vessels = append(set.Vessels, v)
	}
	fmakes := []string{"", "S&W", "Smith & Wesson", "SMITH AND WESSON", "Colt", "COLT'S", "Glock", "Beretta", "Glock Ges.m.b.H.", "Fabbrica d'Armi Pietro Beretta S.p.A."}
	for i := range n {
		set.Firearms = append(set.Firearms, watchlist.Firearm{
			ID: fmt.Sprintf("F%d", i), Serial: randChars(r, diffSerialChars, 2+r.IntN(3)), Make: pick(r, fmakes),
			Model: pick(r, []string{"", "17", "Glock 17", "M1911", "1911A1"}), Calibre: pick(r, []string{"", "9mm", "9x19", ".45 ACP", "45 auto", ".22 LR", "9×19mm", "9x18"}), Owner: "USA",
		})
	}
	return set
}

// randObjectSubject draws a vehicle, vessel or firearm: usually a garbled copy of a record,
// sometimes a random one.
func randObjectSubject(r *rand.Rand, set *watchlist.Set, i int) *event.Subject {
	s := &event.Subject{ID: fmt.Sprintf("ob%d/0", i), EventID: fmt.Sprintf("ob%d", i)}
	fresh := r.IntN(5) == 0
	switch r.IntN(3) {
	case 0:
		src := pick(r, set.Vehicles)
		if fresh {
			src = watchlist.Vehicle{VIN: randVIN(r), Plate: randChars(r, diffPlateChars, 3)}
		}
		v := &event.Vehicle{VIN: garble(r, src.VIN, true), Plate: garble(r, src.Plate, false), PlateCountry: pick(r, []string{src.PlateCountry, "", "DEU"}),
			Make: pick(r, []string{src.Make, "", "vw", "BMW"}), Model: pick(r, []string{src.Model, ""})}
		if b := []byte(garble(r, src.VIN, false)); len(b) > 1 && r.IntN(3) == 0 { // a keying error, sometimes with another noise
			i := r.IntN(len(b) - 1)
			b[i], b[i+1] = b[i+1], b[i]
			v.VIN = string(b)
		}
		for _, p := range src.PartSerials {
			v.PartSerials = append(v.PartSerials, garble(r, p, false))
		}
		s.Kind, s.Vehicle = event.KindVehicle, v
	case 1:
		src := pick(r, set.Vessels)
		v := &event.Vessel{IMO: garble(r, src.IMO, false), HIN: garble(r, src.HIN, false), Name: pick(r, []string{src.Name, "", "Aurora"})}
		if fresh {
			v.IMO = randChars(r, "0123456789O", 7)
		}
		for _, e := range src.EngineSerials {
			v.EngineSerials = append(v.EngineSerials, garble(r, e, false))
		}
		s.Kind, s.Vessel = event.KindVessel, v
	default:
		src := pick(r, set.Firearms)
		f := &event.Firearm{Serial: garble(r, src.Serial, false), Make: pick(r, []string{src.Make, "", "S & W", "colt", "Glock", "GLOCK Inc.", "Beretta USA Corp."}),
			Model: pick(r, []string{src.Model, "", "17"}), Calibre: pick(r, []string{src.Calibre, "", "9 x 19", ".45", "9x19 mm"})}
		if fresh {
			f.Serial = randChars(r, diffSerialChars, 3)
		}
		s.Kind, s.Firearm = event.KindFirearm, f
	}
	return s
}

// bruteObjects scores every object record of the subject's kind: the reference Screen must
// agree with for vehicles, vessels and firearms.
func bruteObjects(m *Matcher, snap *index.Snapshot, s *event.Subject) []event.Hit {
	var hits []event.Hit
	switch {
	case s.Vehicle != nil:
		q := newVehicleQuery(s.Vehicle)
		for i := range snap.ObjectCount(event.DBVehicles) {
			rec := snap.Vehicle(uint32(i))
			if score, reasons, best, ok := scoreVehicle(q, &rec); ok && score >= m.cfg.Thresholds[event.DBVehicles] {
				h := m.hit(snap, event.DBVehicles, s, rec.ID, score, reasons, rec.Owner)
				h.Severity, h.Action = vehicleAction(best)
				hits = append(hits, h)
			}
		}
	case s.Vessel != nil:
		q := newVesselQuery(s.Vessel)
		for i := range snap.ObjectCount(event.DBVessels) {
			rec := snap.Vessel(uint32(i))
			if score, reasons, ok := scoreVessel(q, &rec); ok && score >= m.cfg.Thresholds[event.DBVessels] {
				h := m.hit(snap, event.DBVessels, s, rec.ID, score, reasons, rec.Owner)
				h.Severity, h.Action = "high", vesselActionShort
				hits = append(hits, h)
			}
		}
	case s.Firearm != nil:
		q := newFirearmQuery(s.Firearm)
		for i := range snap.ObjectCount(event.DBFirearms) {
			rec := snap.Firearm(uint32(i))
			if score, reasons, ok := scoreFirearm(q, &rec); ok && score >= m.cfg.Thresholds[event.DBFirearms] {
				h := m.hit(snap, event.DBFirearms, s, rec.ID, score, reasons, rec.Owner)
				h.Severity, h.Action = "critical", firearmAction
				hits = append(hits, h)
			}
		}
	}
	sortHits(hits)
	return capPerDatabase(hits, m.cfg.MaxHitsPerDatabase)
}

// addLinkedDatabases adds TDAWN records (linked to existing notices, to absent ones, or to
// none) and nominal records (notice names without a notice type) to a randSet.
func addLinkedDatabases(r *rand.Rand, set *watchlist.Set) {
	for i := range len(set.Documents) / 2 {
		d := watchlist.TravelDocument{ID: fmt.Sprintf("T%d", i), Number: randNumber(r), Type: pick(r, []string{"", "P", "I"}), Issuer: pick(r, diffIssuers), Owner: "ESP"}
		if d.Issuer == "D" {
			d.Issuer = "D<<"
		}
		switch r.IntN(3) {
		case 0:
			d.NoticeID = pick(r, set.Notices).ID
		case 1:
			d.NoticeID = "absent"
		}
		set.TDAWN = append(set.TDAWN, d)
	}
	for i, p := range set.Notices {
		if i%2 == 0 {
			p.ID, p.NoticeType = "NOM"+p.ID, ""
			set.Nominals = append(set.Nominals, p)
		}
	}
}

// TestScreenAllDatabasesMatchesBruteForce extends the differential test to every database:
// SLTD, TDAWN, notices, nominals, vehicles, vessels and firearms. On random watchlists full
// of OCR confusions, partial and unreadable VINs, plates without countries and make aliases,
// indexed Screen finds exactly the hits a full scan finds, at the default thresholds and at
// low ones.
func TestScreenAllDatabasesMatchesBruteForce(t *testing.T) {
	t.Parallel()
	for _, thr := range []struct {
		name string
		v    float64
	}{{"default", 0}, {"low", 0.5}, {"tiny", 0.01}} {
		t.Run(thr.name, func(t *testing.T) {
			t.Parallel()
			cfg := DefaultConfig()
			if thr.v > 0 {
				for db := range cfg.Thresholds {
					cfg.Thresholds[db] = thr.v
				}
			}
			cfg.MaxHitsPerDatabase = 1 << 20
			m, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			r := rand.New(rand.NewPCG(11, uint64(len(thr.name))))
			perDB := map[event.Database]int{}
			transposed := map[string]int{} // transposed-VIN hits: by check digit or not
			for round := range 15 {
				set := randSet(r, 10+r.IntN(100), 10+r.IntN(100))
				addLinkedDatabases(r, set)
				objs := randObjectSet(r, 20+r.IntN(200))
				set.Vehicles, set.Vessels, set.Firearms = objs.Vehicles, objs.Vessels, objs.Firearms
				snap := index.Build(uint64(round), set)
				for i := range 150 {
					var s *event.Subject
					var want []event.Hit
					if i%3 == 0 {
						s = randSubject(r, set, i)
						if len(set.TDAWN) > 0 && r.IntN(2) == 0 {
							src := pick(r, set.TDAWN)
							s.Person.Documents = append(s.Person.Documents, event.Document{Number: garble(r, src.Number, false), Issuer: src.Issuer, Type: pick(r, []string{"", "P", "I"})})
						}
						want = bruteScreen(m, snap, s)
					} else {
						s = randObjectSubject(r, set, i)
						want = bruteObjects(m, snap, s)
					}
					got := m.Screen(snap, s)
					for _, h := range want {
						perDB[h.Database]++
						for _, rs := range h.Reasons {
							if rs.Field == "vin" && strings.Contains(rs.Detail, "adjacent characters are swapped") {
								transposed[map[bool]string{true: "check digit", false: "other"}[strings.Contains(rs.Detail, "check digit")]]++
							}
						}
					}
					if diff := cmp.Diff(want, got); diff != "" {
						t.Fatalf("round %d subject %d: Screen differs from brute force (-brute +screen):\n%s", round, i, diff)
					}
				}
			}
			for _, db := range []event.Database{event.DBSLTD, event.DBTDAWN, event.DBNotices, event.DBNominals, event.DBVehicles, event.DBVessels, event.DBFirearms} {
				if perDB[db] < 20 {
					t.Errorf("only %d %s hits in all rounds: the test does not exercise that database", perDB[db], db)
				}
			}
			for _, k := range []string{"check digit", "other"} {
				if transposed[k] < 10 {
					t.Errorf("only %d transposed-VIN hits (%s): the test does not exercise the rule", transposed[k], k)
				}
			}
			t.Logf("hits compared per database: %v; transposed VINs: %v", perDB, transposed)
		})
	}
}
