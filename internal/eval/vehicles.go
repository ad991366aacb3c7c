package eval

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/ident"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/normalize"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

// VehicleGenerator evaluates the stolen motor vehicle database: n records of 31 makers'
// vehicles. Three in four carry a 17-character VIN (World Manufacturer Identifier of the
// maker, European VW-group "ZZZ" filler, North-American check digit in position 9, model-year
// code, plant, serial), one in twenty only the last eight characters of it, one in twenty an
// older Japanese chassis (frame) number, and the rest no VIN at all (stolen plates). Plates
// are written as their country writes them (AB-123-CD in France, KA-AB 1234 in Germany, …);
// one record in five lists an engine serial.
type VehicleGenerator struct {
	n      int
	recs   []vehicleRecord
	listed listed
}

// NewVehicleGenerator returns a generator of n stolen-vehicle records.
func NewVehicleGenerator(n int) *VehicleGenerator { return &VehicleGenerator{n: n} }

// Database implements Generator.
func (g *VehicleGenerator) Database() event.Database { return event.DBVehicles }

// vehicleRecord is a generated record with what its probes need.
type vehicleRecord struct {
	id      string
	vin     string // as recorded: 17 characters, a partial VIN, a chassis number, or empty
	fullVIN string // the vehicle's whole VIN (17 characters) when it has one
	chassis bool   // vin is a chassis number
	plate   string // as written in its country; empty when not recorded
	country string // plate country
	maker   *vehicleMaker
	model   string
	engine  string // engine serial as recorded; empty when none
}

// vehicleMaker is a manufacturer as VINs and registrations name it.
type vehicleMaker struct {
	wmi     string   // World Manufacturer Identifier; a chassis-number maker has none
	make    string   // as records name it
	aliases []string // other ways the make is written (the same canonical make)
	models  []string
	vwGroup bool     // European VW-group VIN: positions 4-6 and 9 are Z fillers
	frames  []string // chassis-number model codes (Japanese domestic market)
}

var vehicleMakers = []*vehicleMaker{
	{wmi: "WVW", make: "Volkswagen", aliases: []string{"VW", "Volkswagen AG", "VOLKSWAGEN"}, models: []string{"Golf", "Passat", "Polo", "Tiguan"}, vwGroup: true},
	{wmi: "WAU", make: "Audi", aliases: []string{"AUDI", "Audi AG"}, models: []string{"A4", "A6", "Q5"}, vwGroup: true},
	{wmi: "TMB", make: "Skoda", aliases: []string{"ŠKODA", "Skoda Auto"}, models: []string{"Octavia", "Fabia", "Superb"}, vwGroup: true},
	{wmi: "VSS", make: "Seat", aliases: []string{"SEAT"}, models: []string{"Ibiza", "Leon"}, vwGroup: true},
	{wmi: "WBA", make: "BMW", aliases: []string{"B.M.W.", "Bayerische Motoren Werke"}, models: []string{"320d", "X5", "530i"}},
	{wmi: "WDD", make: "Mercedes-Benz", aliases: []string{"Mercedes", "MB", "Mercedes Benz"}, models: []string{"C 220", "E 300", "GLC"}},
	{wmi: "WDB", make: "Mercedes-Benz", aliases: []string{"Mercedes", "Daimler-Benz"}, models: []string{"Sprinter", "Vito"}},
	{wmi: "VF1", make: "Renault", aliases: []string{"RENAULT"}, models: []string{"Clio", "Megane", "Kangoo"}},
	{wmi: "VF3", make: "Peugeot", aliases: []string{"PEUGEOT"}, models: []string{"208", "308", "Partner"}},
	{wmi: "VF7", make: "Citroën", aliases: []string{"Citroen", "CITROEN"}, models: []string{"C3", "C4", "Berlingo"}},
	{wmi: "ZFA", make: "Fiat", aliases: []string{"FIAT"}, models: []string{"Panda", "500", "Ducato"}},
	{wmi: "ZAR", make: "Alfa Romeo", aliases: []string{"ALFA", "Alfa-Romeo"}, models: []string{"Giulia", "Stelvio"}},
	{wmi: "W0L", make: "Opel", aliases: []string{"Vauxhall", "OPEL"}, models: []string{"Astra", "Corsa", "Insignia"}},
	{wmi: "WF0", make: "Ford", aliases: []string{"FORD", "Ford Motor Company"}, models: []string{"Focus", "Fiesta", "Transit"}},
	{wmi: "YV1", make: "Volvo", aliases: []string{"VOLVO", "Volvo Cars"}, models: []string{"XC60", "V70"}},
	{wmi: "SAL", make: "Land Rover", aliases: []string{"Range Rover", "LANDROVER", "Land-Rover"}, models: []string{"Discovery", "Defender", "Evoque"}},
	{wmi: "JTD", make: "Toyota", aliases: []string{"TOYOTA"}, models: []string{"Yaris", "Corolla", "RAV4"}},
	{wmi: "JHM", make: "Honda", aliases: []string{"HONDA"}, models: []string{"Civic", "Jazz", "CR-V"}},
	{wmi: "JN1", make: "Nissan", aliases: []string{"Datsun", "NISSAN"}, models: []string{"Qashqai", "X-Trail", "Micra"}},
	{wmi: "KMH", make: "Hyundai", aliases: []string{"HYUNDAI"}, models: []string{"i30", "Tucson"}},
	{wmi: "1HG", make: "Honda", aliases: []string{"HONDA"}, models: []string{"Accord", "Civic"}},
	{wmi: "2T1", make: "Toyota", aliases: []string{"TOYOTA"}, models: []string{"Corolla", "Matrix"}},
	{wmi: "4T1", make: "Toyota", aliases: []string{"TOYOTA"}, models: []string{"Camry", "Avalon"}},
	{wmi: "3VW", make: "Volkswagen", aliases: []string{"VW"}, models: []string{"Jetta", "Beetle"}},
	{wmi: "1FA", make: "Ford", aliases: []string{"FORD"}, models: []string{"Mustang", "Fusion"}},
	{wmi: "1G1", make: "Chevrolet", aliases: []string{"Chevy", "CHEVROLET"}, models: []string{"Malibu", "Cruze", "Camaro"}},
	{wmi: "5YJ", make: "Tesla", aliases: []string{"TESLA", "Tesla Inc."}, models: []string{"Model 3", "Model Y"}},
	{make: "Toyota", aliases: []string{"TOYOTA"}, models: []string{"Land Cruiser", "Corolla"}, frames: []string{"ZZE122", "KZJ95", "GRS182", "UZJ100"}},
	{make: "Nissan", aliases: []string{"NISSAN"}, models: []string{"Skyline", "Silvia"}, frames: []string{"BNR34", "S15", "ER34"}},
	{make: "Mitsubishi", aliases: []string{"MITSUBISHI"}, models: []string{"Pajero", "Lancer"}, frames: []string{"V75W", "CT9A"}},
	{make: "Subaru", aliases: []string{"SUBARU"}, models: []string{"Impreza", "Forester"}, frames: []string{"GDB", "SG5"}},
}

// vinMakers have a World Manufacturer Identifier; frameMakers write chassis numbers.
var vinMakers, frameMakers = func() (vin, frame []*vehicleMaker) {
	for _, m := range vehicleMakers {
		if m.wmi != "" {
			vin = append(vin, m)
		} else {
			frame = append(frame, m)
		}
	}
	return vin, frame
}()

const (
	vinChars     = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ" // no I, O, Q
	vinYearCodes = "ABCDEFGHJKLMNPRSTVWXY123456789"    // position 10: never U, Z, 0
)

// vin draws a 17-character VIN of m.
func (m *vehicleMaker) vin(r *rand.Rand) string {
	b := []byte(m.wmi)
	if m.vwGroup {
		b = append(b, "ZZZ"...)
		b = append(b, vinChars[r.IntN(len(vinChars))], vinChars[r.IntN(len(vinChars))], 'Z')
	} else {
		for range 6 {
			b = append(b, vinChars[r.IntN(len(vinChars))])
		}
	}
	b = append(b, vinYearCodes[r.IntN(len(vinYearCodes))], vinChars[r.IntN(len(vinChars))])
	for range 6 {
		b = append(b, digitChars[r.IntN(10)])
	}
	if m.wmi[0] >= '1' && m.wmi[0] <= '5' { // North America: position 9 is the check digit
		b[8] = '0'
		b[8], _ = ident.VINCheckDigit(string(b))
	}
	return string(b)
}

// chassisNumber draws a Japanese frame number: model code, dash, seven digits.
func (m *vehicleMaker) chassisNumber(r *rand.Rand) string {
	return fmt.Sprintf("%s-%07d", oneOf(r, m.frames...), r.IntN(10_000_000))
}

// plateFormats writes a registration plate as each country does: L a letter, C a consonant,
// D a digit, K a German district code; other characters as they are.
var plateFormats = map[string][]string{
	"FRA": {"LL-DDD-LL"}, "DEU": {"K-LL DDDD", "K-L DDD"}, "ITA": {"LL DDD LL"}, "ESP": {"DDDD CCC"},
	"GBR": {"LLDD LLL"}, "NLD": {"DD-LLL-D", "L-DDD-LL"}, "POL": {"LL DDDDD"}, "BEL": {"D-LLL-DDD"},
	"AUT": {"W-DDDDD L"}, "CHE": {"ZH DDDDDD"}, "USA": {"DLLLDDD"}, "SWE": {"LLL DDL"},
	"CZE": {"DLL DDDD"}, "ROU": {"B DDD LLL"}, "LTU": {"LLL DDD"},
}

var plateCountries = slices.Sorted(maps.Keys(plateFormats))

func plate(r *rand.Rand, country string) string {
	var b strings.Builder
	for _, c := range oneOf(r, plateFormats[country]...) {
		switch c {
		case 'L':
			b.WriteByte("ABCDEFGHJKLMNPRSTVWXYZ"[r.IntN(22)])
		case 'C':
			b.WriteByte("BCDFGHJKLMNPRSTVWXYZ"[r.IntN(20)])
		case 'D':
			b.WriteByte(digitChars[r.IntN(10)])
		case 'K':
			b.WriteString(oneOf(r, "B", "M", "HH", "K", "F", "S", "KA", "DO", "HB", "MZ", "GÖ"))
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// engineSerial draws an engine number: an engine code, a separator, six to eight digits.
func engineSerial(r *rand.Rand) string {
	code := []byte{letterChars[r.IntN(len(letterChars))]}
	for range 2 + r.IntN(3) {
		code = append(code, vinChars[r.IntN(len(vinChars))])
	}
	digits := make([]byte, 6+r.IntN(3))
	for i := range digits {
		digits[i] = digitChars[r.IntN(10)]
	}
	return string(code) + oneOf(r, " ", "-", "") + string(digits)
}

// draw draws the i-th record.
func (g *VehicleGenerator) draw(r *rand.Rand, i int) vehicleRecord {
	rec := vehicleRecord{id: fmt.Sprintf("smv-%07d", i), country: oneOf(r, plateCountries...)}
	switch x := r.IntN(100); {
	case x < 75:
		rec.maker = oneOf(r, vinMakers...)
		rec.fullVIN = rec.maker.vin(r)
		rec.vin = rec.fullVIN
	case x < 80: // only the vehicle identifier section is known
		rec.maker = oneOf(r, vinMakers...)
		rec.fullVIN = rec.maker.vin(r)
		rec.vin = rec.fullVIN[17-index.VINTailLen:]
	case x < 85:
		rec.maker = oneOf(r, frameMakers...)
		rec.vin, rec.chassis = rec.maker.chassisNumber(r), true
	default: // stolen plates
		rec.maker = oneOf(r, vinMakers...)
	}
	rec.model = oneOf(r, rec.maker.models...)
	if rec.vin == "" || r.IntN(4) != 0 {
		rec.plate = plate(r, rec.country)
	}
	if r.IntN(5) == 0 {
		rec.engine = engineSerial(r)
	}
	return rec
}

// keys are the record's identifiers as vehicleKeys folds them, the whole VIN even when the
// record holds only its end.
func (rec *vehicleRecord) keys() []string {
	vin := rec.vin
	if rec.fullVIN != "" {
		vin = rec.fullVIN
	}
	return vehicleKeys(&event.Vehicle{VIN: vin, Plate: rec.plate, PlateCountry: rec.country, PartSerials: []string{rec.engine}})
}

// Populate implements Generator.
func (g *VehicleGenerator) Populate(r *rand.Rand, set *watchlist.Set) {
	g.listed = listed{}
	g.recs = drawUnique(g.n, g.listed, func(i int) vehicleRecord { return g.draw(r, i) }, func(rec *vehicleRecord) string { return rec.id }, (*vehicleRecord).keys)
	for _, rec := range g.recs {
		v := watchlist.Vehicle{ID: rec.id, VIN: rec.vin, Make: rec.maker.make, Model: rec.model, Owner: rec.country}
		if rec.plate != "" {
			v.Plate, v.PlateCountry = rec.plate, rec.country
		}
		if rec.engine != "" {
			v.PartSerials = []string{rec.engine}
		}
		set.Vehicles = append(set.Vehicles, v)
	}
}

// vehicleKeys are the identifiers of a vehicle, folded as the matcher folds them: a whole
// VIN or chassis number, a plate with its country, an engine or part serial.
func vehicleKeys(v *event.Vehicle) []string {
	keys := []string{"", ""}
	if vin := index.VIN(v.VIN); len(vin) >= 12 {
		keys[0] = "vin|" + fold(vin, index.VINFoldByte)
	}
	if p, c := index.Plate(v.Plate), normalize.Country(v.PlateCountry); p != "" && c != "" {
		keys[1] = "plate|" + normalize.DocNumberOCR(p) + "|" + c
	}
	for _, p := range v.PartSerials {
		keys = append(keys, prefixed("part|", normalize.DocNumberOCR(index.Serial(p))))
	}
	return keys
}

// northAmerican reports whether vin is a 17-character VIN with a North-American world
// manufacturer identifier (1–5), whose position-9 check digit is mandatory.
func northAmerican(vin string) bool { return len(vin) == 17 && vin[0] >= '1' && vin[0] <= '5' }

// checkDigitHolds reports whether a 17-character VIN carries its computed check digit.
func checkDigitHolds(vin string) bool {
	d, ok := ident.VINCheckDigit(vin)
	return ok && d == vin[8]
}

// otherMaker draws a maker whose make is not m's (once aliases are resolved).
func otherMaker(r *rand.Rand, m *vehicleMaker) *vehicleMaker {
	for {
		o := oneOf(r, vehicleMakers...)
		if index.VehicleMake(o.make) != index.VehicleMake(m.make) {
			return o
		}
	}
}

// vinLetterOCR are the OCR confusions between letters a VIN may hold and digits: both are
// legitimate VIN characters, so the index does not fold them.
var vinLetterOCR = map[byte]byte{'5': 'S', 'S': '5', '8': 'B', 'B': '8', '2': 'Z', 'Z': '2', '6': 'G', 'G': '6'}

// Probes implements Generator.
func (g *VehicleGenerator) Probes(r *rand.Rand, _ *watchlist.Set, perKind int) []Probe {
	type rec = vehicleRecord
	vehicle := func(v event.Vehicle, ok bool) (event.Subject, bool) {
		return event.Subject{Kind: event.KindVehicle, Vehicle: &v}, ok
	}
	full := func(x *rec) bool { return len(x.vin) == 17 }
	anyMake := func(r *rand.Rand, x *rec) string {
		return oneOf(r, append([]string{x.maker.make}, x.maker.aliases...)...)
	}
	vs := []variant[rec]{
		{kind: "vin-exact", build: func(_ *rand.Rand, x *rec) (event.Subject, bool) {
			return vehicle(event.Vehicle{VIN: x.vin}, full(x))
		}},
		{kind: "vin-format", build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
			return vehicle(event.Vehicle{VIN: reformat(r, x.vin)}, full(x))
		}},
		{kind: "vin-ocr", build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
			v, ok := ocrVariant(r, x.vin, vinOCRPairs)
			return vehicle(event.Vehicle{VIN: v}, ok && full(x))
		}},
		{kind: "vin-unreadable", build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
			b := []byte(x.vin)
			if len(b) > 0 {
				b[r.IntN(len(b))] = oneOf(r, byte('*'), '?', '_')
			}
			return vehicle(event.Vehicle{VIN: string(b)}, full(x))
		}},
		{kind: "vin-transposed", build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
			v, ok := transpose(r, x.vin, 0, 17)
			return vehicle(event.Vehicle{VIN: v, Make: anyMake(r, x)}, ok && full(x))
		}},
		{kind: "vin-transposed-check-digit", build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
			// A North-American VIN keyed with two characters swapped, without the make: the
			// transposition breaks the check digit.
			v, ok := transpose(r, x.vin, 0, 17)
			return vehicle(event.Vehicle{VIN: v}, ok && full(x) && northAmerican(x.vin) && northAmerican(v) && !checkDigitHolds(v))
		}},
		{kind: "vin-other-make", build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
			// Re-badged, or the make mistyped on the registration.
			return vehicle(event.Vehicle{VIN: x.vin, Make: otherMaker(r, x.maker).make}, full(x))
		}},
		{kind: "vin-partial-make", build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
			// The vehicle identifier section, as read from a part or a damaged plate, and the make.
			n := index.VINTailLen + r.IntN(5)
			return vehicle(event.Vehicle{VIN: x.vin[max(len(x.vin)-n, 0):], Make: anyMake(r, x)}, full(x))
		}},
		{kind: "vin-partial-record", build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
			ok := x.fullVIN != "" && len(x.vin) < 17
			return vehicle(event.Vehicle{VIN: x.fullVIN, Make: anyMake(r, x), Model: x.model}, ok)
		}},
		{kind: "chassis-number", build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
			return vehicle(event.Vehicle{VIN: reformat(r, x.vin), Make: anyMake(r, x)}, x.chassis)
		}},
		{kind: "plate-country", build: func(_ *rand.Rand, x *rec) (event.Subject, bool) {
			return vehicle(event.Vehicle{Plate: x.plate, PlateCountry: x.country}, x.plate != "")
		}},
		{kind: "plate-format", build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
			return vehicle(event.Vehicle{Plate: reformat(r, x.plate), PlateCountry: strings.ToLower(x.country)}, x.plate != "")
		}},
		{kind: "plate-ocr-make-model", build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
			// An ANPR misreading, with make and model from the registration check.
			p, ok := ocrVariant(r, x.plate, ocrPairs)
			return vehicle(event.Vehicle{Plate: p, PlateCountry: x.country, Make: anyMake(r, x), Model: x.model}, ok)
		}},
		{kind: "plate-other-vehicle", build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
			// Stolen plates on another car.
			o := otherMaker(r, x.maker)
			return vehicle(event.Vehicle{Plate: x.plate, PlateCountry: x.country, Make: o.make, Model: oneOf(r, o.models...)}, x.plate != "")
		}},
		{kind: "engine-serial-make", build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
			return vehicle(event.Vehicle{PartSerials: []string{reformat(r, x.engine)}, Make: anyMake(r, x)}, x.engine != "")
		}},
		{kind: "vin-partial-alone", byDesign: "a partial VIN of fewer than 12 readable characters scores 0.87–0.89 and hits only with its make",
			build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
				n := index.VINTailLen + r.IntN(4)
				return vehicle(event.Vehicle{VIN: x.vin[max(len(x.vin)-n, 0):]}, full(x))
			}},
		{kind: "vin-transposed-alone", byDesign: "two adjacent characters of a VIN without a check digit transposed score 0.88: as likely another vehicle's VIN, so it hits only with its make",
			build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
				v, ok := transpose(r, x.vin, 0, 17)
				return vehicle(event.Vehicle{VIN: v}, ok && full(x) && !northAmerican(x.vin))
			}},
		{kind: "vin-ocr-letters", byDesign: "S/5, B/8, Z/2 and G/6 are all legitimate VIN characters, so a VIN is folded only for I/1, O/0, Q/0 (index.VINFoldByte)",
			build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
				v, ok := ocrVariant(r, x.vin, vinLetterOCR)
				return vehicle(event.Vehicle{VIN: v, Make: anyMake(r, x)}, ok && full(x))
			}},
		{kind: "plate-no-country", byDesign: "a plate is unique only within its country: without the country it scores 0.84 (0.88 with make and model), below 0.90",
			build: func(_ *rand.Rand, x *rec) (event.Subject, bool) {
				return vehicle(event.Vehicle{Plate: x.plate}, x.plate != "")
			}},
		{kind: "plate-ocr-alone", byDesign: "an OCR-folded plate with its country scores 0.86 and needs the make and model (+0.04) to reach 0.90",
			build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
				p, ok := ocrVariant(r, x.plate, ocrPairs)
				return vehicle(event.Vehicle{Plate: p, PlateCountry: x.country}, ok)
			}},
		{kind: "engine-serial-alone", byDesign: "an engine or part serial scores 0.88 and hits only with its make",
			build: func(_ *rand.Rand, x *rec) (event.Subject, bool) {
				return vehicle(event.Vehicle{PartSerials: []string{x.engine}}, x.engine != "")
			}},
		{kind: "decoy-plate-other-country", build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
			c := oneOf(r, plateCountries...)
			return vehicle(event.Vehicle{Plate: x.plate, PlateCountry: c}, x.plate != "" && c != x.country)
		}},
		{kind: "decoy-plate-one-char", build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
			p, ok := changeOne(r, x.plate, 0, len(x.plate))
			return vehicle(event.Vehicle{Plate: p, PlateCountry: x.country, Make: x.maker.make}, ok)
		}},
		{kind: "decoy-vin-one-char", build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
			// The next vehicle off the same line: one serial digit differs.
			v, ok := changeOne(r, x.vin, 11, 17)
			return vehicle(event.Vehicle{VIN: v, Make: x.maker.make, Model: x.model}, ok && full(x))
		}},
		{kind: "decoy-vin-transposed-valid", build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
			// Another North-American vehicle whose VIN is the listed one with two characters of
			// equal check-digit value swapped (a plant code A before a serial starting with 1),
			// so that it passes the check digit too; without the make.
			v, ok := transpose(r, x.vin, 0, 17)
			return vehicle(event.Vehicle{VIN: v}, ok && full(x) && northAmerican(x.vin) && northAmerican(v) && checkDigitHolds(v))
		}},
		{kind: "decoy-vin-transposed-other-make", build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
			// Another maker's vehicle whose VIN is one transposition away from the listed one.
			v, ok := transpose(r, x.vin, 0, 17)
			return vehicle(event.Vehicle{VIN: v, Make: otherMaker(r, x.maker).make}, ok && full(x))
		}},
		{kind: "decoy-partial-vin-other-make", build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
			// Another maker's vehicle whose identifier section coincides.
			return vehicle(event.Vehicle{VIN: x.vin[max(len(x.vin)-index.VINTailLen, 0):], Make: otherMaker(r, x.maker).make}, full(x))
		}},
		{kind: "decoy-engine-other-make", build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
			return vehicle(event.Vehicle{PartSerials: []string{x.engine}, Make: otherMaker(r, x.maker).make}, x.engine != "")
		}},
		{kind: "decoy-random", random: true, build: func(r *rand.Rand, _ *rec) (event.Subject, bool) {
			m := oneOf(r, vinMakers...)
			c := oneOf(r, plateCountries...)
			return vehicle(event.Vehicle{VIN: m.vin(r), Plate: plate(r, c), PlateCountry: c, Make: m.make, Model: oneOf(r, m.models...)}, true)
		}},
	}
	allowed := func(s *event.Subject) []string { return g.listed.ids(vehicleKeys(s.Vehicle)...) }
	return deriveProbes(r, event.DBVehicles, g.recs, func(x *rec) string { return x.id }, allowed, vs, perKind)
}
