// Package watchlisttest generates deterministic synthetic watchlists, and subjects screened
// against them, for tests and benchmarks: SLTD documents, vehicles, vessels and firearms
// shaped like real records. The same size and seed always give the same records.
//
// It imports pipeline/{watchlist,event} and the standard library only. Generated values are
// fresh on every call; callers may modify them.
package watchlisttest

import (
	"math/rand/v2"
	"strconv"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

// Issuers is the pool of 60 issuing countries (three-letter codes) the generators draw from.
var Issuers = func() []string {
	out := make([]string, 60)
	for i := range out {
		out[i] = string([]byte{byte('A' + i%26), byte('A' + (i/26)%26), byte('A' + (i*7)%26)})
	}
	return out
}()

func id(prefix string, i int) string {
	b := make([]byte, 0, len(prefix)+10)
	b = append(b, prefix...)
	s := strconv.Itoa(i)
	for range 9 - len(s) {
		b = append(b, '0')
	}
	return string(append(b, s...))
}

func chars(r *rand.Rand, b []byte, alphabet string, n int) []byte {
	for range n {
		b = append(b, alphabet[r.IntN(len(alphabet))])
	}
	return b
}

const (
	letters   = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	digits    = "0123456789"
	vinChars  = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ" // no I, O, Q
	alnum     = digits + letters
	serialMix = digits + digits + digits + "ABCDEFHKMNPRSTXYZ"
)

// DocumentNumber draws an SLTD-shaped number: two letters and seven digits.
func DocumentNumber(r *rand.Rand) string {
	b := make([]byte, 0, 9)
	b = chars(r, b, letters, 2)
	return string(chars(r, b, digits, 7))
}

// Documents generates n SLTD records: two letters and seven digits, 60 issuers, ids like
// "SLTD-000000001", statuses spread over the five kinds, one in 1000 a reported range of 100
// to 1000 blank documents.
func Documents(n int, seed uint64) []watchlist.Document {
	r := rand.New(rand.NewPCG(seed, 1))
	statuses := []watchlist.DocumentStatus{watchlist.StatusStolen, watchlist.StatusLost, watchlist.StatusLost, watchlist.StatusRevoked, watchlist.StatusInvalidated}
	docs := make([]watchlist.Document, n)
	for i := range docs {
		iss := Issuers[r.IntN(len(Issuers))]
		d := watchlist.Document{ID: id("SLTD-", i), Number: DocumentNumber(r), Type: "P", Issuer: iss, Status: statuses[r.IntN(len(statuses))], Owner: iss}
		if i%1000 == 0 {
			// A series of 100 to 1000 blank documents, as stolen from a printer or consulate.
			from, _ := strconv.Atoi(d.Number[2:])
			to := min(9_999_999, from+100+r.IntN(901))
			b := append([]byte(d.Number[:2]), "0000000"...)
			d.Status, d.NumberTo = watchlist.StatusStolenBlank, string(strconv.AppendInt(b[:9-len(strconv.Itoa(to))], int64(to), 10))
		}
		docs[i] = d
	}
	return docs
}

// DocumentSubjects draws n travellers each presenting one passport: one in ten a listed
// document (with OCR noise one time in three), the rest random numbers.
func DocumentSubjects(docs []watchlist.Document, n int, seed uint64) []*event.Subject {
	r := rand.New(rand.NewPCG(seed, 2))
	out := make([]*event.Subject, n)
	for i := range out {
		d := event.Document{Type: "P", Number: DocumentNumber(r), Issuer: Issuers[r.IntN(len(Issuers))]}
		if i%10 == 0 && len(docs) > 0 {
			src := docs[r.IntN(len(docs))]
			d.Number, d.Issuer = src.Number, src.Issuer
			if r.IntN(3) == 0 {
				d.Number = ocrNoise(r, d.Number)
			}
		}
		out[i] = &event.Subject{ID: id("d", i) + "/0", EventID: id("d", i), Kind: event.KindPerson, Person: &event.Person{Documents: []event.Document{d}}}
	}
	return out
}

func ocrNoise(r *rand.Rand, s string) string {
	b := []byte(s)
	swap := map[byte]byte{'0': 'O', '1': 'I', '5': 'S', '8': 'B', '2': 'Z'}
	for i := range b {
		if c, ok := swap[b[i]]; ok && r.IntN(2) == 0 {
			b[i] = c
		}
	}
	return string(b)
}

var (
	wmis        = []string{"WVW", "WBA", "WDB", "VF1", "VF3", "ZFA", "JTD", "JHM", "1HG", "2T1", "3VW", "KMH", "SAL", "YV1", "TMB", "VSS"}
	vehicleMake = map[string]string{"WVW": "Volkswagen", "WBA": "BMW", "WDB": "Mercedes-Benz", "VF1": "Renault", "VF3": "Peugeot", "ZFA": "Fiat", "JTD": "Toyota", "JHM": "Honda", "1HG": "Honda", "2T1": "Toyota", "3VW": "VW", "KMH": "Hyundai", "SAL": "Land Rover", "YV1": "Volvo", "TMB": "Skoda", "VSS": "Seat"}
)

// VIN draws a 17-character VIN from a pool of 16 manufacturers.
func VIN(r *rand.Rand) (vin, maker string) {
	w := wmis[r.IntN(len(wmis))]
	b := make([]byte, 0, 17)
	b = append(b, w...)
	b = chars(r, b, vinChars, 6)
	b = chars(r, b, "123456789ABCDEFGHJKLMNPRSTVWXY", 1) // model year
	b = chars(r, b, vinChars, 1)                         // plant
	b = chars(r, b, digits, 6)                           // serial
	return string(b), vehicleMake[w]
}

// Vehicles generates n stolen-vehicle records: a VIN (one in twenty only its last eight
// characters), a plate and country (three in four), make and model, and one in five with an
// engine serial.
func Vehicles(n int, seed uint64) []watchlist.Vehicle {
	r := rand.New(rand.NewPCG(seed, 3))
	out := make([]watchlist.Vehicle, n)
	for i := range out {
		vin, mk := VIN(r)
		c := Issuers[r.IntN(len(Issuers))]
		v := watchlist.Vehicle{ID: id("SMV-", i), VIN: vin, Make: mk, Model: "M" + strconv.Itoa(r.IntN(40)), Owner: c}
		if i%20 == 0 {
			v.VIN = vin[9:]
		}
		if r.IntN(4) != 0 {
			b := chars(r, nil, letters, 2)
			b = chars(r, b, digits, 3)
			v.Plate, v.PlateCountry = string(chars(r, b, letters, 2)), c
		}
		if r.IntN(5) == 0 {
			v.PartSerials = []string{string(chars(r, nil, serialMix, 10))}
		}
		out[i] = v
	}
	return out
}

// VehicleSubjects draws n vehicles at a border post: one in ten a listed vehicle (its VIN,
// one time in four with an unreadable or OCR-confused character; or its plate), the rest
// random.
func VehicleSubjects(recs []watchlist.Vehicle, n int, seed uint64) []*event.Subject {
	r := rand.New(rand.NewPCG(seed, 4))
	out := make([]*event.Subject, n)
	for i := range out {
		vin, mk := VIN(r)
		v := &event.Vehicle{VIN: vin, Make: mk, Plate: string(chars(r, nil, alnum, 7)), PlateCountry: Issuers[r.IntN(len(Issuers))]}
		if i%10 == 0 && len(recs) > 0 {
			src := recs[r.IntN(len(recs))]
			v.VIN, v.Make, v.Plate, v.PlateCountry = src.VIN, src.Make, src.Plate, src.PlateCountry
			if b := []byte(v.VIN); len(b) > 0 && r.IntN(4) == 0 {
				b[r.IntN(len(b))] = '*'
				v.VIN = string(b)
			}
		}
		out[i] = &event.Subject{ID: id("v", i) + "/0", EventID: id("v", i), Kind: event.KindVehicle, Vehicle: v}
	}
	return out
}

// IMONumber draws a valid IMO number (seven digits, check digit).
func IMONumber(r *rand.Rand) string {
	b := make([]byte, 7)
	sum := 0
	for i := range 6 {
		d := r.IntN(10)
		if i == 0 {
			d = 1 + r.IntN(9)
		}
		b[i] = byte('0' + d)
		sum += d * (7 - i)
	}
	b[6] = byte('0' + sum%10)
	return string(b)
}

// HIN draws a 12-character hull identification number.
func HIN(r *rand.Rand) string {
	b := chars(r, nil, letters, 3)
	b = chars(r, b, "ABCDEFGHJKLMNPRSTUVWXYZ0123456789", 5)
	b = chars(r, b, "ABCDEFGHIJKL", 1)
	b = chars(r, b, digits, 3)
	return string(b)
}

// Vessels generates n stolen vessel or engine records: half seagoing ships with an IMO
// number, half small craft with a HIN; one in three with an outboard-engine serial.
func Vessels(n int, seed uint64) []watchlist.Vessel {
	r := rand.New(rand.NewPCG(seed, 5))
	out := make([]watchlist.Vessel, n)
	for i := range out {
		v := watchlist.Vessel{ID: id("SVD-", i), Name: "VESSEL " + strconv.Itoa(r.IntN(5000)), Owner: Issuers[r.IntN(len(Issuers))]}
		if i%2 == 0 {
			v.IMO = IMONumber(r)
		} else {
			v.HIN = HIN(r)
		}
		if r.IntN(3) == 0 {
			v.EngineSerials = []string{string(chars(r, nil, serialMix, 8))}
		}
		out[i] = v
	}
	return out
}

// VesselSubjects draws n vessels: one in ten a listed one, the rest random.
func VesselSubjects(recs []watchlist.Vessel, n int, seed uint64) []*event.Subject {
	r := rand.New(rand.NewPCG(seed, 6))
	out := make([]*event.Subject, n)
	for i := range out {
		v := &event.Vessel{IMO: IMONumber(r), HIN: HIN(r)}
		if i%10 == 0 && len(recs) > 0 {
			src := recs[r.IntN(len(recs))]
			v.IMO, v.HIN, v.EngineSerials = src.IMO, src.HIN, src.EngineSerials
		}
		out[i] = &event.Subject{ID: id("s", i) + "/0", EventID: id("s", i), Kind: event.KindVessel, Vessel: v}
	}
	return out
}

var firearmMakes = []string{"Glock", "Smith & Wesson", "S&W", "Colt", "COLT'S", "Beretta", "Sig Sauer", "Ruger", "CZ", "Walther", "Heckler & Koch", "FN Herstal", "Remington", "Mossberg", "Taurus", "Norinco"}

// Firearms generates n iARMS records: serials of six to eight characters, 16 makes (with
// aliases), models and calibres.
func Firearms(n int, seed uint64) []watchlist.Firearm {
	r := rand.New(rand.NewPCG(seed, 7))
	calibres := []string{"9mm", "9x19", ".45 ACP", ".22 LR", "5.56x45", "7.62x39", "12 gauge", ".38 Special"}
	out := make([]watchlist.Firearm, n)
	for i := range out {
		out[i] = watchlist.Firearm{ID: id("IARMS-", i), Serial: string(chars(r, nil, serialMix, 6+r.IntN(3))), Make: firearmMakes[r.IntN(len(firearmMakes))],
			Model: strconv.Itoa(r.IntN(100)), Calibre: calibres[r.IntN(len(calibres))], Owner: Issuers[r.IntN(len(Issuers))]}
	}
	return out
}

// FirearmSubjects draws n declared firearms: one in ten a listed one (serial and make), the
// rest random.
func FirearmSubjects(recs []watchlist.Firearm, n int, seed uint64) []*event.Subject {
	r := rand.New(rand.NewPCG(seed, 8))
	out := make([]*event.Subject, n)
	for i := range out {
		f := &event.Firearm{Serial: string(chars(r, nil, serialMix, 7)), Make: firearmMakes[r.IntN(len(firearmMakes))]}
		if i%10 == 0 && len(recs) > 0 {
			src := recs[r.IntN(len(recs))]
			f.Serial, f.Make, f.Calibre = src.Serial, src.Make, src.Calibre
		}
		out[i] = &event.Subject{ID: id("f", i) + "/0", EventID: id("f", i), Kind: event.KindFirearm, Firearm: f}
	}
	return out
}
