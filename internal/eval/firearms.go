package eval

import (
	"fmt"
	"math/rand/v2"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/normalize"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

// FirearmGenerator evaluates iARMS: n lost, stolen or trafficked firearms of 15 makers, each
// with the maker's serial format, a model and its calibre as records write them. Probes
// present a firearm as declarations and seizure reports do: the make in a short form
// ("S&W", "H&K") or as the company's legal name, the model with the make in front ("Glock
// 17"), the calibre under another name of the same cartridge ("9mm Luger" for 9x19).
type FirearmGenerator struct {
	n      int
	recs   []firearmRecord
	listed listed
}

// NewFirearmGenerator returns a generator of n iARMS records.
func NewFirearmGenerator(n int) *FirearmGenerator { return &FirearmGenerator{n: n} }

// Database implements Generator.
func (g *FirearmGenerator) Database() event.Database { return event.DBFirearms }

type firearmRecord struct {
	id     string
	serial string
	maker  *firearmMaker
	model  *firearmModel
}

// firearmMaker is a manufacturer as records and declarations name it.
type firearmMaker struct {
	make   string   // as iARMS records name it
	short  []string // short forms on declarations
	legal  []string // legal names, as on import papers and proof marks
	models []firearmModel
	serial string // format: L a letter, D a digit, other characters as they are
}

// firearmModel is a model: the designation as recorded, other ways of writing it, and its
// calibre as recorded.
type firearmModel struct {
	name    string
	forms   []string
	calibre string
}

var firearmMakers = []*firearmMaker{
	{make: "Glock", short: []string{"GLOCK"}, legal: []string{"Glock GmbH", "Glock Ges.m.b.H.", "GLOCK Inc."}, serial: "LLLDDD",
		models: []firearmModel{{"17", []string{"Glock 17", "G17"}, "9x19"}, {"19", []string{"Glock 19", "G19"}, "9x19"}, {"22", []string{"Glock 22", "G22"}, ".40 S&W"}, {"21", []string{"Glock 21"}, ".45 ACP"}}},
	{make: "Smith & Wesson", short: []string{"S&W", "S & W", "Smith and Wesson"}, legal: []string{"Smith & Wesson Inc.", "Smith & Wesson Corp."}, serial: "LLLDDDD",
		models: []firearmModel{{"M&P 9", []string{"M&P9", "M & P 9"}, "9mm"}, {"Model 686", []string{"686"}, ".357 Magnum"}, {"M&P 15", []string{"M&P15"}, "5.56x45"}}},
	{make: "Colt", short: []string{"COLT'S", "COLT"}, legal: []string{"Colt's Manufacturing Company LLC", "Colt's Patent Fire Arms Manufacturing Company"}, serial: "DDDDD-L",
		models: []firearmModel{{"M1911A1", []string{"1911A1", "M 1911 A1"}, ".45 ACP"}, {"Python", []string{"PYTHON"}, ".357 Magnum"}, {"AR-15", []string{"AR15"}, "5.56x45"}}},
	{make: "Beretta", short: []string{"BERETTA", "Pietro Beretta"}, legal: []string{"Fabbrica d'Armi Pietro Beretta S.p.A.", "Beretta USA Corp."}, serial: "LLDDDDDL",
		models: []firearmModel{{"92FS", []string{"92 FS", "Beretta 92FS"}, "9x19"}, {"PX4 Storm", []string{"PX4"}, "9mm"}, {"Cx4", []string{"CX4 Storm"}, ".40 S&W"}}},
	{make: "SIG Sauer", short: []string{"SIG", "Sig-Sauer", "SIGSAUER"}, legal: []string{"SIG Sauer GmbH", "SIG SAUER, Inc."}, serial: "LLLDDDDDD",
		models: []firearmModel{{"P226", []string{"P 226", "SIG P226"}, "9x19"}, {"P320", []string{"P 320"}, "9mm"}, {"P230", []string{"P 230"}, ".380 ACP"}}},
	{make: "Ruger", short: []string{"RUGER", "Sturm Ruger"}, legal: []string{"Sturm, Ruger & Co., Inc."}, serial: "DDD-DDDDD",
		models: []firearmModel{{"10/22", []string{"1022", "10-22"}, ".22 LR"}, {"SR9", []string{"SR 9"}, "9mm"}, {"GP100", []string{"GP 100"}, ".357 Magnum"}}},
	{make: "CZ", short: []string{"CZ-UB", "Ceska Zbrojovka"}, legal: []string{"Česká zbrojovka a.s.", "Ceska zbrojovka Uhersky Brod"}, serial: "LDDDDDD",
		models: []firearmModel{{"75 B", []string{"CZ 75 B", "75B"}, "9x19"}, {"P-10 C", []string{"P10C", "P-10C"}, "9mm"}, {"527", []string{"CZ 527"}, "7.62x39"}}},
	{make: "Walther", short: []string{"WALTHER", "Carl Walther"}, legal: []string{"Carl Walther GmbH"}, serial: "LLDDDDDD",
		models: []firearmModel{{"P99", []string{"P 99"}, "9x19"}, {"PPK", []string{"PPK/S"}, ".380 ACP"}, {"PPQ", []string{"PPQ M2"}, "9mm"}}},
	{make: "Heckler & Koch", short: []string{"H&K", "HK", "Heckler und Koch"}, legal: []string{"Heckler & Koch GmbH"}, serial: "DD-DDDDDD",
		models: []firearmModel{{"USP", []string{"USP 9"}, "9x19"}, {"MP5", []string{"MP 5"}, "9mm"}, {"G36", []string{"G 36"}, "5.56x45"}}},
	{make: "FN Herstal", short: []string{"FN", "FNH"}, legal: []string{"FN Herstal SA", "Fabrique Nationale d'Herstal"}, serial: "DDDLLDDDDD",
		models: []firearmModel{{"Hi-Power", []string{"High Power", "HP"}, "9x19"}, {"FAL", []string{"FN FAL"}, "7.62x51"}, {"P90", []string{"P 90"}, "5.7x28"}}},
	{make: "Kalashnikov", short: []string{"Izhmash"}, legal: []string{"Kalashnikov Concern"}, serial: "DDDDDDD",
		models: []firearmModel{{"AK-74", []string{"AK74", "AK 74"}, "5.45x39"}, {"AKM", []string{"AKM"}, "7.62x39"}}},
	{make: "Norinco", short: []string{"NORINCO"}, legal: []string{"China North Industries Corporation"}, serial: "DDDDDDDD",
		models: []firearmModel{{"Type 56", []string{"56", "T56"}, "7.62x39"}, {"NP-22", []string{"NP22"}, "9x19"}}},
	{make: "Remington", short: []string{"REMINGTON"}, legal: []string{"Remington Arms Company, LLC"}, serial: "LDDDDDDL",
		models: []firearmModel{{"870", []string{"870 Express", "Model 870"}, "12 gauge"}, {"700", []string{"Model 700"}, ".308 Win"}}},
	{make: "Mossberg", short: []string{"MOSSBERG"}, legal: []string{"O.F. Mossberg & Sons, Inc."}, serial: "LDDDDDD",
		models: []firearmModel{{"500", []string{"Model 500", "M500"}, "12 gauge"}, {"590", []string{"590A1"}, "12 gauge"}}},
	{make: "Taurus", short: []string{"TAURUS"}, legal: []string{"Taurus Armas S.A."}, serial: "LLLDDDDDD",
		models: []firearmModel{{"G2C", []string{"G 2C"}, "9mm"}, {"Model 85", []string{"85"}, ".38 Special"}}},
}

// calibreForms are other ways of writing a calibre as records write it: the same cartridge.
var calibreForms = map[string][]string{
	"9x19":        {"9mm", "9 x 19", "9mm Luger", "9mm Parabellum", "9x19mm", "9mm Para"},
	"9mm":         {"9x19", "9 mm", "9mm Luger", "9x19mm"},
	".40 S&W":     {"40 S&W", ".40", "40SW"},
	".45 ACP":     {"45 ACP", ".45 Auto", "11.43x23", ".45"},
	".357 Magnum": {".357 Mag", "357", ".357"},
	"5.56x45":     {"5.56 NATO", "5.56x45mm", "5.56 x 45"},
	".380 ACP":    {"380 Auto", "9mm Kurz", "9x17"},
	".22 LR":      {"22 Long Rifle", ".22", "22LR"},
	"7.62x39":     {"7.62 x 39", "7.62x39mm"},
	"7.62x51":     {"7.62 NATO", ".308 Win", "308"},
	"5.7x28":      {"5.7 x 28", "5.7x28mm"},
	"5.45x39":     {"5.45 x 39", "5.45x39mm"},
	"12 gauge":    {"12 ga", "12GA", "12 bore"},
	".308 Win":    {"7.62x51", ".308 Winchester", "308 Win"},
	".38 Special": {".38 Spl", "38 Special", ".38"},
}

func (m *firearmMaker) drawSerial(r *rand.Rand) string {
	b := make([]byte, 0, len(m.serial))
	for i := 0; i < len(m.serial); i++ {
		switch c := m.serial[i]; c {
		case 'L':
			b = append(b, letterChars[r.IntN(len(letterChars))])
		case 'D':
			b = append(b, digitChars[r.IntN(10)])
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

// Populate implements Generator.
func (g *FirearmGenerator) Populate(r *rand.Rand, set *watchlist.Set) {
	g.listed = listed{}
	g.recs = drawUnique(g.n, g.listed, func(i int) firearmRecord {
		m := oneOf(r, firearmMakers...)
		return firearmRecord{id: fmt.Sprintf("iarms-%07d", i), serial: m.drawSerial(r), maker: m, model: &m.models[r.IntN(len(m.models))]}
	}, func(rec *firearmRecord) string { return rec.id }, func(rec *firearmRecord) []string {
		return []string{firearmKey(rec.serial, rec.maker.make)} // unique per make
	})
	for _, rec := range g.recs {
		set.Firearms = append(set.Firearms, watchlist.Firearm{ID: rec.id, Serial: rec.serial, Make: rec.maker.make, Model: rec.model.name,
			Calibre: rec.model.calibre, Owner: oneOf(r, issuerList...)})
	}
}

// firearmKey is the identifier a firearm hits by, folded as the matcher folds it: serial and
// make.
func firearmKey(serial, make string) string {
	if make = index.FirearmMake(make); make == "" {
		return ""
	}
	return "firearm|" + normalize.DocNumberOCR(index.Serial(serial)) + "|" + make
}

func makeForm(s *event.Subject) string { return s.Firearm.Make }

// Probes implements Generator.
func (g *FirearmGenerator) Probes(r *rand.Rand, _ *watchlist.Set, perKind int) []Probe {
	type rec = firearmRecord
	firearm := func(f event.Firearm, ok bool) (event.Subject, bool) {
		return event.Subject{Kind: event.KindFirearm, Firearm: &f}, ok
	}
	otherMaker := func(r *rand.Rand, m *firearmMaker) *firearmMaker {
		for {
			if o := oneOf(r, firearmMakers...); index.FirearmMake(o.make) != index.FirearmMake(m.make) {
				return o
			}
		}
	}
	vs := []variant[rec]{
		{kind: "serial-make", build: func(_ *rand.Rand, x *rec) (event.Subject, bool) {
			return firearm(event.Firearm{Serial: x.serial, Make: x.maker.make}, true)
		}},
		{kind: "serial-format", build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
			return firearm(event.Firearm{Serial: reformat(r, x.serial), Make: x.maker.make}, true)
		}},
		{kind: "make-short", form: makeForm, build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
			return firearm(event.Firearm{Serial: x.serial, Make: oneOf(r, x.maker.short...)}, true)
		}},
		{kind: "make-legal-name", form: makeForm, build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
			return firearm(event.Firearm{Serial: x.serial, Make: oneOf(r, x.maker.legal...)}, true)
		}},
		{kind: "full-description", build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
			return firearm(event.Firearm{Serial: x.serial, Make: x.maker.make, Model: oneOf(r, x.model.forms...), Calibre: x.model.calibre}, true)
		}},
		{kind: "calibre-alias", form: func(s *event.Subject) string { return s.Firearm.Calibre }, build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
			return firearm(event.Firearm{Serial: x.serial, Make: x.maker.make, Calibre: oneOf(r, calibreForms[x.model.calibre]...)}, true)
		}},
		{kind: "serial-ocr-full", build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
			s, ok := ocrVariant(r, x.serial, ocrPairs)
			return firearm(event.Firearm{Serial: s, Make: x.maker.make, Model: x.model.name, Calibre: x.model.calibre}, ok)
		}},
		{kind: "serial-alone", byDesign: "a serial alone is weak evidence (0.70): it hits only with its make",
			build: func(_ *rand.Rand, x *rec) (event.Subject, bool) {
				return firearm(event.Firearm{Serial: x.serial}, true)
			}},
		{kind: "serial-ocr-make", byDesign: "an OCR-folded serial with its make scores 0.82; it needs the model and calibre too (0.90)",
			build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
				s, ok := ocrVariant(r, x.serial, ocrPairs)
				return firearm(event.Firearm{Serial: s, Make: x.maker.make}, ok)
			}},
		{kind: "decoy-other-make", build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
			// Another manufacturer's firearm with the same serial.
			o := otherMaker(r, x.maker)
			m := oneOf(r, o.models...)
			return firearm(event.Firearm{Serial: x.serial, Make: o.make, Model: m.name, Calibre: m.calibre}, true)
		}},
		{kind: "decoy-same-make-other-model", build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
			// The maker numbers each model line apart: another model, of another calibre, with
			// the same serial.
			m := oneOf(r, x.maker.models...)
			return firearm(event.Firearm{Serial: x.serial, Make: x.maker.make, Model: m.name, Calibre: m.calibre},
				index.Calibre(m.calibre) != index.Calibre(x.model.calibre))
		}},
		{kind: "decoy-serial-one-char", build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
			s, ok := changeOne(r, x.serial, 0, len(x.serial))
			return firearm(event.Firearm{Serial: s, Make: x.maker.make, Model: x.model.name, Calibre: x.model.calibre}, ok)
		}},
		{kind: "decoy-random", random: true, build: func(r *rand.Rand, _ *rec) (event.Subject, bool) {
			m := oneOf(r, firearmMakers...)
			md := oneOf(r, m.models...)
			return firearm(event.Firearm{Serial: m.drawSerial(r), Make: m.make, Model: md.name, Calibre: md.calibre}, true)
		}},
	}
	allowed := func(s *event.Subject) []string { return g.listed.ids(firearmKey(s.Firearm.Serial, s.Firearm.Make)) }
	return deriveProbes(r, event.DBFirearms, g.recs, func(x *rec) string { return x.id }, allowed, vs, perKind)
}
