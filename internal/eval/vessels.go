package eval

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/ident"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/normalize"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

// VesselGenerator evaluates the stolen vessels and engines database: n records, 45 % seagoing
// ships with an IMO number (seven digits, check digit; recorded with or without the "IMO"
// prefix) and a name, 45 % small craft with a hull identification number (manufacturer code,
// serial without I, O, Q, month and model-year code; two in five recorded as the ISO 10087
// craft identification number with its country prefix, "FR-BEN12345C606"), and 10 % outboard
// engines alone. One craft in three lists its outboard-engine serials.
type VesselGenerator struct {
	n      int
	recs   []vesselRecord
	listed listed
}

// NewVesselGenerator returns a generator of n stolen-vessel records.
func NewVesselGenerator(n int) *VesselGenerator { return &VesselGenerator{n: n} }

// Database implements Generator.
func (g *VesselGenerator) Database() event.Database { return event.DBVessels }

// vesselRecord is a generated record with what its probes need.
type vesselRecord struct {
	id      string
	imo     string // the seven digits; empty when none
	imoText string // as recorded
	hin     string // the twelve characters; empty when none
	prefix  string // the CIN country prefix the record carries ("FR"), or empty
	hinText string // as recorded
	name    string
	engine  string // outboard-engine serial as recorded; empty when none
}

var (
	vesselWords  = []string{"NORDIC", "SEA", "OCEAN", "STAR", "WIND", "BLUE", "PEARL", "SPIRIT", "QUEEN", "FALCON", "HORIZON", "AURORA", "MISTRAL", "ATLANTIC", "BALTIC", "CORAL"}
	cinCountries = []string{"FR", "IT", "DE", "GB", "NL", "ES", "SE", "HR", "GR", "PL"}
)

// imoNumber draws a valid IMO number (7, 8 or 9 followed by five digits and the check digit).
func imoNumber(r *rand.Rand) string {
	b := fmt.Appendf(nil, "%d%05d", 7+r.IntN(3), r.IntN(100_000))
	d, _ := ident.IMOCheckDigit(string(b))
	return string(append(b, d))
}

// hullNumber draws a 12-character HIN in the model-year format: manufacturer code, serial
// (no I, O, Q), month of production (A-L), production-year digit, model year.
func hullNumber(r *rand.Rand) string {
	b := make([]byte, 0, 12)
	for range 3 {
		b = append(b, letterChars[r.IntN(len(letterChars))])
	}
	for range 5 {
		b = append(b, vinChars[r.IntN(len(vinChars))])
	}
	model := 1985 + r.IntN(40)
	produced := model - r.IntN(2)
	return string(append(b, "ABCDEFGHIJKL"[r.IntN(12)], byte('0'+produced%10), byte('0'+model/10%10), byte('0'+model%10)))
}

// outboardSerial draws an outboard-engine serial in one of the common makers' formats
// (6AH-1012345, 2B123456, BAAJ-1234567, 14003F-123456).
func outboardSerial(r *rand.Rand) string {
	l := func() byte { return letterChars[r.IntN(len(letterChars))] }
	d := func(n int) string { return fmt.Sprintf("%0*d", n, r.IntN(pow10(n))) }
	switch r.IntN(4) {
	case 0:
		return fmt.Sprintf("%d%c%c-%s", r.IntN(10), l(), l(), d(7))
	case 1:
		return fmt.Sprintf("%d%c%s", r.IntN(10), l(), d(6))
	case 2:
		return fmt.Sprintf("BA%c%c-%s", l(), l(), d(7))
	default:
		return fmt.Sprintf("%s%c-%s", d(5), l(), d(6))
	}
}

func pow10(n int) int {
	p := 1
	for range n {
		p *= 10
	}
	return p
}

// draw draws the i-th record.
func (g *VesselGenerator) draw(r *rand.Rand, i int) vesselRecord {
	rec := vesselRecord{id: fmt.Sprintf("svd-%07d", i)}
	switch x := r.IntN(100); {
	case x < 45:
		rec.imo = imoNumber(r)
		rec.imoText = oneOf(r, rec.imo, "IMO "+rec.imo)
		rec.name = oneOf(r, vesselWords...) + " " + oneOf(r, vesselWords...)
	case x < 90:
		rec.hin = hullNumber(r)
		rec.hinText = rec.hin
		if r.IntN(5) < 2 {
			rec.prefix = oneOf(r, cinCountries...)
			rec.hinText = rec.prefix + "-" + rec.hin
		}
		if r.IntN(2) == 0 {
			rec.name = oneOf(r, vesselWords...)
		}
		if r.IntN(3) == 0 {
			rec.engine = outboardSerial(r)
		}
	default:
		rec.engine = outboardSerial(r)
	}
	return rec
}

// Populate implements Generator.
func (g *VesselGenerator) Populate(r *rand.Rand, set *watchlist.Set) {
	g.listed = listed{}
	g.recs = drawUnique(g.n, g.listed, func(i int) vesselRecord { return g.draw(r, i) }, func(rec *vesselRecord) string { return rec.id },
		func(rec *vesselRecord) []string {
			return vesselKeys(&event.Vessel{IMO: rec.imo, HIN: rec.hin, EngineSerials: []string{rec.engine}})
		})
	for _, rec := range g.recs {
		v := watchlist.Vessel{ID: rec.id, IMO: rec.imoText, HIN: rec.hinText, Name: rec.name, Owner: oneOf(r, issuerList...)}
		if rec.engine != "" {
			v.EngineSerials = []string{rec.engine}
		}
		set.Vessels = append(set.Vessels, v)
	}
}

// vesselKeys are the identifiers a vessel hits by on its own, folded as the matcher folds
// them: IMO number, HIN, engine serial.
func vesselKeys(v *event.Vessel) []string {
	keys := []string{prefixed("imo|", normalize.DocNumberOCR(index.IMO(v.IMO))), prefixed("hin|", fold(index.HIN(v.HIN), index.VINFoldByte))}
	for _, e := range v.EngineSerials {
		keys = append(keys, prefixed("engine|", normalize.DocNumberOCR(index.Serial(e))))
	}
	return keys
}

// prefixed is prefix+s, or "" when s is empty.
func prefixed(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}

// imoLabel is what is written before the digits of a presented IMO number ("IMO No. ").
func imoLabel(s *event.Subject) string { return strings.TrimRight(s.Vessel.IMO, "0123456789") }

// Probes implements Generator.
func (g *VesselGenerator) Probes(r *rand.Rand, _ *watchlist.Set, perKind int) []Probe {
	type rec = vesselRecord
	vessel := func(v event.Vessel, ok bool) (event.Subject, bool) {
		return event.Subject{Kind: event.KindVessel, Vessel: &v}, ok
	}
	vs := []variant[rec]{
		{kind: "imo-exact", build: func(_ *rand.Rand, x *rec) (event.Subject, bool) {
			return vessel(event.Vessel{IMO: x.imo}, x.imo != "")
		}},
		{kind: "imo-prefix", form: imoLabel, build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
			return vessel(event.Vessel{IMO: oneOf(r, "IMO ", "IMO", "IMO-", "imo ", "IMO: ") + x.imo}, x.imo != "")
		}},
		{kind: "imo-number-label", form: imoLabel, build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
			// As certificates and port forms label it.
			return vessel(event.Vessel{IMO: oneOf(r, "IMO No. ", "IMO NO ", "IMO Nr. ", "IMO number ") + x.imo}, x.imo != "")
		}},
		{kind: "imo-ocr", build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
			v, ok := ocrVariant(r, x.imo, ocrPairs)
			return vessel(event.Vessel{IMO: v}, ok)
		}},
		{kind: "imo-with-name", build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
			return vessel(event.Vessel{IMO: x.imo, Name: strings.ToLower(x.name)}, x.imo != "")
		}},
		{kind: "hin-exact", build: func(_ *rand.Rand, x *rec) (event.Subject, bool) {
			return vessel(event.Vessel{HIN: x.hinText}, x.hin != "")
		}},
		{kind: "hin-prefix", build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
			// The bare HIN for a record kept as a CIN, and the CIN for a record kept bare.
			h := x.hin
			if x.prefix == "" {
				h = oneOf(r, cinCountries...) + oneOf(r, "-", " ", "") + x.hin
			}
			return vessel(event.Vessel{HIN: h}, x.hin != "")
		}},
		{kind: "hin-format", build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
			return vessel(event.Vessel{HIN: reformat(r, x.hinText)}, x.hin != "")
		}},
		{kind: "hin-ocr", build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
			h, ok := ocrVariant(r, x.hin, vinOCRPairs)
			return vessel(event.Vessel{HIN: h}, ok)
		}},
		{kind: "engine-serial", build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
			return vessel(event.Vessel{EngineSerials: []string{reformat(r, x.engine)}}, x.engine != "")
		}},
		{kind: "imo-transposed", byDesign: "an IMO number matches whole (identical or OCR-folded); a transposition makes another number, which its check digit usually rejects",
			build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
				v, ok := transpose(r, x.imo, 0, 7)
				return vessel(event.Vessel{IMO: v}, ok)
			}},
		{kind: "hin-ocr-letters", byDesign: "S/5, B/8, Z/2 and G/6 are all legitimate HIN characters, so a HIN is folded only for I/1, O/0, Q/0 (index.VINFoldByte)",
			build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
				h, ok := ocrVariant(r, x.hin, vinLetterOCR)
				return vessel(event.Vessel{HIN: h}, ok)
			}},
		{kind: "engine-serial-ocr", byDesign: "an OCR-folded outboard-engine serial scores 0.85 (0.87 with the name), below 0.90",
			build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
				e, ok := ocrVariant(r, x.engine, ocrPairs)
				return vessel(event.Vessel{EngineSerials: []string{e}}, ok)
			}},
		{kind: "decoy-imo-other-ship", build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
			// Another ship: one of the first six digits differs, with its own valid check digit.
			v, ok := changeOne(r, x.imo, 0, 6)
			if ok {
				d, _ := ident.IMOCheckDigit(v[:6])
				v = v[:6] + string(d)
			}
			return vessel(event.Vessel{IMO: v}, ok)
		}},
		{kind: "decoy-hin-other-hull", build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
			// The same builder and model year, another hull serial.
			h, ok := changeOne(r, x.hin, 3, 8)
			return vessel(event.Vessel{HIN: h}, ok)
		}},
		{kind: "decoy-engine-other-serial", build: func(r *rand.Rand, x *rec) (event.Subject, bool) {
			e, ok := changeOne(r, x.engine, len(x.engine)-4, len(x.engine))
			return vessel(event.Vessel{EngineSerials: []string{e}}, ok)
		}},
		{kind: "decoy-random", random: true, build: func(r *rand.Rand, _ *rec) (event.Subject, bool) {
			return vessel(event.Vessel{IMO: imoNumber(r), HIN: hullNumber(r), EngineSerials: []string{outboardSerial(r)}}, true)
		}},
	}
	allowed := func(s *event.Subject) []string { return g.listed.ids(vesselKeys(s.Vessel)...) }
	return deriveProbes(r, event.DBVessels, g.recs, func(x *rec) string { return x.id }, allowed, vs, perKind)
}
