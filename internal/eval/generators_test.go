package eval

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/ident"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/normalize"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

// oneDiff returns the position where a and b differ when they have the same length and
// differ at exactly one position.
func oneDiff(a, b string) (int, bool) {
	if len(a) != len(b) {
		return 0, false
	}
	at := -1
	for i := 0; i < len(a); i++ {
		if a[i] != b[i] {
			if at >= 0 {
				return 0, false
			}
			at = i
		}
	}
	return at, at >= 0
}

// ocrOneOff checks that presented differs from recorded at exactly one position, by a pair
// of pairs (either way).
func ocrOneOff[V byte | string](recorded, presented string, pairs map[byte]V) error {
	i, ok := oneDiff(recorded, presented)
	if !ok {
		return fmt.Errorf("%q and %q do not differ at exactly one position", presented, recorded)
	}
	switch p := any(pairs[recorded[i]]).(type) {
	case byte:
		if p == presented[i] {
			return nil
		}
	case string:
		if p != "" && strings.IndexByte(p, presented[i]) >= 0 {
			return nil
		}
	}
	return fmt.Errorf("%c read for %c is not a confusion of the kind", presented[i], recorded[i])
}

// otherOneOff checks that presented differs from recorded at exactly one position in
// [from, to), by a character of the same class that is not confused with it.
func otherOneOff(recorded, presented string, from, to int) error {
	i, ok := oneDiff(recorded, presented)
	switch {
	case !ok:
		return fmt.Errorf("%q and %q do not differ at exactly one position", presented, recorded)
	case i < from || i >= to:
		return fmt.Errorf("position %d outside [%d, %d)", i, from, to)
	case isDigitByte(recorded[i]) != isDigitByte(presented[i]) || confusable(recorded[i], presented[i]):
		return fmt.Errorf("%c for %c is a confusion, not another record", presented[i], recorded[i])
	}
	return nil
}

// transposed checks that presented is recorded with two adjacent, different characters
// swapped.
func transposed(recorded, presented string) error {
	if len(recorded) != len(presented) {
		return fmt.Errorf("lengths differ")
	}
	for i := 0; i+1 < len(recorded); i++ {
		if recorded[i] != presented[i] {
			if recorded[i] != presented[i+1] || recorded[i+1] != presented[i] || recorded[i] == recorded[i+1] || recorded[i+2:] != presented[i+2:] {
				return fmt.Errorf("%q is not %q with two adjacent characters swapped", presented, recorded)
			}
			return nil
		}
	}
	return fmt.Errorf("%q is %q", presented, recorded)
}

func check(ok bool, format string, args ...any) error {
	if ok {
		return nil
	}
	return fmt.Errorf(format, args...)
}

// firstErr returns the first non-nil error.
func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// TestGeneratorsVary generates probes of every kind of every identifier database and checks
// that each probe differs from its source record exactly in the way its kind claims: an OCR
// variant by one confusable character, a decoy by one character that is not, a reformatted
// identifier in its separators and case only, a partial VIN as a suffix, …. Every kind the
// generators produce must have a check here, and every check must have been exercised.
func TestGeneratorsVary(t *testing.T) {
	t.Parallel()
	set := &watchlist.Set{}
	r := rand.New(rand.NewPCG(7, 7))
	persons := NewPersonGenerator(3000)
	gens := []Generator{persons, NewDocumentGenerator(20_000), NewTDAWNGenerator(3000), NewVehicleGenerator(5000), NewVesselGenerator(3000), NewFirearmGenerator(5000)}
	for _, g := range gens {
		g.Populate(r, set)
	}
	docs := map[string]watchlist.Document{}
	for _, d := range set.Documents {
		docs[d.ID] = d
	}
	for _, d := range set.TDAWN {
		docs[d.ID] = watchlist.Document{ID: d.ID, Number: d.Number, Type: d.Type, Issuer: d.Issuer}
	}
	vehicles, vessels, firearms := map[string]watchlist.Vehicle{}, map[string]watchlist.Vessel{}, map[string]watchlist.Firearm{}
	for _, v := range set.Vehicles {
		vehicles[v.ID] = v
	}
	for _, v := range set.Vessels {
		vessels[v.ID] = v
	}
	for _, f := range set.Firearms {
		firearms[f.ID] = f
	}
	makers := map[string]*firearmMaker{}
	for _, m := range firearmMakers {
		makers[m.make] = m
	}

	type docCheck func(rec watchlist.Document, ds []event.Document) error
	one := func(c func(rec watchlist.Document, d event.Document) error) docCheck {
		return func(rec watchlist.Document, ds []event.Document) error {
			if len(ds) != 1 {
				return fmt.Errorf("%d documents, want 1", len(ds))
			}
			return c(rec, ds[0])
		}
	}
	sameNumber := func(rec watchlist.Document, d event.Document) error {
		return check(d.Number == rec.Number, "number %q, record %q", d.Number, rec.Number)
	}
	otherClass := func(rec watchlist.Document, d event.Document) error {
		return check(d.Type != "" && d.Type[0] != rec.Type[0], "type %q is of the record's class %q", d.Type, rec.Type)
	}
	docChecks := map[string]docCheck{
		"exact": one(func(rec watchlist.Document, d event.Document) error {
			return check(d.Number == rec.Number && d.Issuer == rec.Issuer && d.Type == rec.Type, "%+v is not %+v", d, rec)
		}),
		"format-noise": one(func(rec watchlist.Document, d event.Document) error {
			return check(d.Number != rec.Number && normalize.DocNumber(d.Number) == normalize.DocNumber(rec.Number) && d.Issuer != rec.Issuer && normalize.Country(d.Issuer) == rec.Issuer,
				"%q/%q is not a reformatting of %q/%q", d.Number, d.Issuer, rec.Number, rec.Issuer)
		}),
		"ocr": one(func(rec watchlist.Document, d event.Document) error { return ocrOneOff(rec.Number, d.Number, ocrPairs) }),
		"type-conflict": one(func(rec watchlist.Document, d event.Document) error {
			return firstErr(sameNumber(rec, d), otherClass(rec, d))
		}),
		"type-missing": one(func(rec watchlist.Document, d event.Document) error {
			return firstErr(sameNumber(rec, d), check(d.Type == "", "type %q", d.Type))
		}),
		"issuer-mrz-code": one(func(rec watchlist.Document, d event.Document) error {
			return check(rec.Issuer == "DEU" && (d.Issuer == "D" || d.Issuer == "D<<") && d.Number == rec.Number, "issuer %q for %s", d.Issuer, rec.Issuer)
		}),
		"second-document": func(rec watchlist.Document, ds []event.Document) error {
			return check(len(ds) == 2 && ds[0].Issuer != rec.Issuer && ds[1].Number == rec.Number && ds[1].Issuer == rec.Issuer, "%+v", ds)
		},
		"range": one(func(rec watchlist.Document, d event.Document) error {
			return check(rec.NumberTo != "" && len(d.Number) == len(rec.Number) && d.Number >= rec.Number && d.Number <= rec.NumberTo, "%q outside %q-%q", d.Number, rec.Number, rec.NumberTo)
		}),
		"ocr-type-conflict": one(func(rec watchlist.Document, d event.Document) error {
			return firstErr(ocrOneOff(rec.Number, d.Number, ocrPairs), otherClass(rec, d))
		}),
		"decoy-other-issuer": one(func(rec watchlist.Document, d event.Document) error {
			return firstErr(sameNumber(rec, d), check(d.Issuer != rec.Issuer, "same issuer"))
		}),
		"decoy-one-char": one(func(rec watchlist.Document, d event.Document) error {
			return otherOneOff(rec.Number, d.Number, len(rec.Number)-3, len(rec.Number))
		}),
	}

	vehicleChecks := map[string]func(rec watchlist.Vehicle, v *event.Vehicle) error{
		"vin-exact": func(rec watchlist.Vehicle, v *event.Vehicle) error {
			// Generated VINs are valid: alphabet, model-year code, North-American check digit.
			return check(v.VIN == rec.VIN && ident.VIN(v.VIN).Valid && v.Make == "", "%q (valid: %v)", v.VIN, ident.VIN(v.VIN).Valid)
		},
		"vin-format": func(rec watchlist.Vehicle, v *event.Vehicle) error {
			return check(v.VIN != rec.VIN && index.VIN(v.VIN) == rec.VIN, "%q is not a reformatting of %q", v.VIN, rec.VIN)
		},
		"vin-ocr": func(rec watchlist.Vehicle, v *event.Vehicle) error { return ocrOneOff(rec.VIN, v.VIN, vinOCRPairs) },
		"vin-unreadable": func(rec watchlist.Vehicle, v *event.Vehicle) error {
			i, ok := oneDiff(rec.VIN, v.VIN)
			return check(ok && strings.IndexByte("*?_", v.VIN[i]) >= 0, "%q is not %q with one unreadable character", v.VIN, rec.VIN)
		},
		"vin-transposed": func(rec watchlist.Vehicle, v *event.Vehicle) error {
			return firstErr(transposed(rec.VIN, v.VIN), check(index.VehicleMake(v.Make) == index.VehicleMake(rec.Make), "make %q", v.Make))
		},
		"vin-transposed-check-digit": func(rec watchlist.Vehicle, v *event.Vehicle) error {
			return firstErr(transposed(rec.VIN, v.VIN), check(northAmerican(rec.VIN) && northAmerican(v.VIN) && checkDigitHolds(rec.VIN) && !checkDigitHolds(v.VIN) && v.Make == "",
				"%q for %q: want a North-American VIN that fails its check digit, without make", v.VIN, rec.VIN))
		},
		"vin-transposed-alone": func(rec watchlist.Vehicle, v *event.Vehicle) error {
			return firstErr(transposed(rec.VIN, v.VIN), check(!northAmerican(rec.VIN) && v.Make == "", "%q %q", v.VIN, v.Make))
		},
		"decoy-vin-transposed-valid": func(rec watchlist.Vehicle, v *event.Vehicle) error {
			return firstErr(transposed(rec.VIN, v.VIN), check(northAmerican(v.VIN) && checkDigitHolds(v.VIN) && v.Make == "", "%q fails its check digit", v.VIN))
		},
		"decoy-vin-transposed-other-make": func(rec watchlist.Vehicle, v *event.Vehicle) error {
			return firstErr(transposed(rec.VIN, v.VIN), check(index.VehicleMake(v.Make) != index.VehicleMake(rec.Make), "make %q", v.Make))
		},
		"vin-other-make": func(rec watchlist.Vehicle, v *event.Vehicle) error {
			return check(v.VIN == rec.VIN && index.VehicleMake(v.Make) != index.VehicleMake(rec.Make), "%q %q", v.VIN, v.Make)
		},
		"vin-partial-make": func(rec watchlist.Vehicle, v *event.Vehicle) error {
			return check(len(rec.VIN) == 17 && len(v.VIN) >= 8 && len(v.VIN) <= 12 && strings.HasSuffix(rec.VIN, v.VIN) && index.VehicleMake(v.Make) == index.VehicleMake(rec.Make),
				"%q %q is not a suffix of %q with the make %q", v.VIN, v.Make, rec.VIN, rec.Make)
		},
		"vin-partial-record": func(rec watchlist.Vehicle, v *event.Vehicle) error {
			return check(len(rec.VIN) == 8 && len(v.VIN) == 17 && strings.HasSuffix(v.VIN, rec.VIN) && index.VehicleMake(v.Make) == index.VehicleMake(rec.Make),
				"%q does not end with the record's %q", v.VIN, rec.VIN)
		},
		"chassis-number": func(rec watchlist.Vehicle, v *event.Vehicle) error {
			return check(len(index.VIN(rec.VIN)) != 17 && index.VIN(v.VIN) == index.VIN(rec.VIN) && v.VIN != rec.VIN, "%q / %q", v.VIN, rec.VIN)
		},
		"plate-country": func(rec watchlist.Vehicle, v *event.Vehicle) error {
			return check(v.Plate == rec.Plate && v.PlateCountry == rec.PlateCountry && v.Plate != "", "%q %q", v.Plate, v.PlateCountry)
		},
		"plate-format": func(rec watchlist.Vehicle, v *event.Vehicle) error {
			return check(v.Plate != rec.Plate && index.Plate(v.Plate) == index.Plate(rec.Plate) && normalize.Country(v.PlateCountry) == rec.PlateCountry,
				"%q is not a reformatting of %q", v.Plate, rec.Plate)
		},
		"plate-ocr-make-model": func(rec watchlist.Vehicle, v *event.Vehicle) error {
			return firstErr(ocrOneOff(rec.Plate, v.Plate, ocrPairs), check(v.PlateCountry == rec.PlateCountry && index.VehicleMake(v.Make) == index.VehicleMake(rec.Make) && v.Model == rec.Model, "country, make or model"))
		},
		"plate-other-vehicle": func(rec watchlist.Vehicle, v *event.Vehicle) error {
			return check(v.Plate == rec.Plate && v.PlateCountry == rec.PlateCountry && index.VehicleMake(v.Make) != index.VehicleMake(rec.Make), "%q %q %q", v.Plate, v.PlateCountry, v.Make)
		},
		"engine-serial-make": func(rec watchlist.Vehicle, v *event.Vehicle) error {
			return check(len(v.PartSerials) == 1 && len(rec.PartSerials) == 1 && index.Serial(v.PartSerials[0]) == index.Serial(rec.PartSerials[0]) && index.VehicleMake(v.Make) == index.VehicleMake(rec.Make), "%v", v.PartSerials)
		},
		"vin-partial-alone": func(rec watchlist.Vehicle, v *event.Vehicle) error {
			return check(len(rec.VIN) == 17 && len(v.VIN) >= 8 && len(v.VIN) <= 11 && strings.HasSuffix(rec.VIN, v.VIN) && v.Make == "", "%q", v.VIN)
		},
		"vin-ocr-letters": func(rec watchlist.Vehicle, v *event.Vehicle) error { return ocrOneOff(rec.VIN, v.VIN, vinLetterOCR) },
		"plate-no-country": func(rec watchlist.Vehicle, v *event.Vehicle) error {
			return check(v.Plate == rec.Plate && v.Plate != "" && v.PlateCountry == "", "%q %q", v.Plate, v.PlateCountry)
		},
		"plate-ocr-alone": func(rec watchlist.Vehicle, v *event.Vehicle) error {
			return firstErr(ocrOneOff(rec.Plate, v.Plate, ocrPairs), check(v.PlateCountry == rec.PlateCountry && v.Make == "", "country or make"))
		},
		"engine-serial-alone": func(rec watchlist.Vehicle, v *event.Vehicle) error {
			return check(len(v.PartSerials) == 1 && slices.Equal(v.PartSerials, rec.PartSerials) && v.Make == "", "%v", v.PartSerials)
		},
		"decoy-plate-other-country": func(rec watchlist.Vehicle, v *event.Vehicle) error {
			return check(v.Plate == rec.Plate && v.PlateCountry != rec.PlateCountry && v.PlateCountry != "", "%q", v.PlateCountry)
		},
		"decoy-plate-one-char": func(rec watchlist.Vehicle, v *event.Vehicle) error {
			return otherOneOff(rec.Plate, v.Plate, 0, len(rec.Plate))
		},
		"decoy-vin-one-char": func(rec watchlist.Vehicle, v *event.Vehicle) error { return otherOneOff(rec.VIN, v.VIN, 11, 17) },
		"decoy-partial-vin-other-make": func(rec watchlist.Vehicle, v *event.Vehicle) error {
			return check(len(v.VIN) == 8 && strings.HasSuffix(rec.VIN, v.VIN) && index.VehicleMake(v.Make) != index.VehicleMake(rec.Make), "%q %q", v.VIN, v.Make)
		},
		"decoy-engine-other-make": func(rec watchlist.Vehicle, v *event.Vehicle) error {
			return check(slices.Equal(v.PartSerials, rec.PartSerials) && len(v.PartSerials) == 1 && index.VehicleMake(v.Make) != index.VehicleMake(rec.Make), "%v %q", v.PartSerials, v.Make)
		},
	}

	vesselChecks := map[string]func(rec watchlist.Vessel, v *event.Vessel) error{
		"imo-exact": func(rec watchlist.Vessel, v *event.Vessel) error {
			return check(v.IMO == index.IMO(rec.IMO) && ident.IMO(v.IMO).Valid, "%q for %q", v.IMO, rec.IMO)
		},
		"imo-prefix": func(rec watchlist.Vessel, v *event.Vessel) error {
			return check(strings.HasPrefix(strings.ToUpper(v.IMO), "IMO") && index.IMO(v.IMO) == index.IMO(rec.IMO), "%q for %q", v.IMO, rec.IMO)
		},
		"imo-number-label": func(rec watchlist.Vessel, v *event.Vessel) error {
			label := strings.ToUpper(strings.TrimSuffix(v.IMO, index.IMO(rec.IMO)))
			return check(label != v.IMO && strings.HasPrefix(label, "IMO N"), "%q is not a labelled %q", v.IMO, rec.IMO)
		},
		"imo-ocr": func(rec watchlist.Vessel, v *event.Vessel) error {
			return ocrOneOff(index.IMO(rec.IMO), v.IMO, ocrPairs)
		},
		"imo-with-name": func(rec watchlist.Vessel, v *event.Vessel) error {
			return check(v.IMO == index.IMO(rec.IMO) && v.Name != rec.Name && index.VesselName(v.Name) == index.VesselName(rec.Name), "%q %q", v.IMO, v.Name)
		},
		"hin-exact": func(rec watchlist.Vessel, v *event.Vessel) error {
			return check(v.HIN == rec.HIN && ident.HIN(v.HIN).Valid, "%q (valid: %v)", v.HIN, ident.HIN(v.HIN).Valid)
		},
		"hin-prefix": func(rec watchlist.Vessel, v *event.Vessel) error {
			prefixed := func(s string) bool { return len(normalize.DocNumber(s)) == 14 }
			return check(index.HIN(v.HIN) == index.HIN(rec.HIN) && prefixed(v.HIN) != prefixed(rec.HIN), "%q / %q", v.HIN, rec.HIN)
		},
		"hin-format": func(rec watchlist.Vessel, v *event.Vessel) error {
			return check(v.HIN != rec.HIN && normalize.DocNumber(v.HIN) == normalize.DocNumber(rec.HIN), "%q / %q", v.HIN, rec.HIN)
		},
		"hin-ocr": func(rec watchlist.Vessel, v *event.Vessel) error {
			return ocrOneOff(index.HIN(rec.HIN), v.HIN, vinOCRPairs)
		},
		"engine-serial": func(rec watchlist.Vessel, v *event.Vessel) error {
			return check(len(v.EngineSerials) == 1 && v.EngineSerials[0] != rec.EngineSerials[0] && index.Serial(v.EngineSerials[0]) == index.Serial(rec.EngineSerials[0]), "%v / %v", v.EngineSerials, rec.EngineSerials)
		},
		"imo-transposed": func(rec watchlist.Vessel, v *event.Vessel) error { return transposed(index.IMO(rec.IMO), v.IMO) },
		"hin-ocr-letters": func(rec watchlist.Vessel, v *event.Vessel) error {
			return ocrOneOff(index.HIN(rec.HIN), v.HIN, vinLetterOCR)
		},
		"engine-serial-ocr": func(rec watchlist.Vessel, v *event.Vessel) error {
			return ocrOneOff(rec.EngineSerials[0], v.EngineSerials[0], ocrPairs)
		},
		"decoy-imo-other-ship": func(rec watchlist.Vessel, v *event.Vessel) error {
			return firstErr(otherOneOff(index.IMO(rec.IMO)[:6], v.IMO[:6], 0, 6), check(ident.IMO(v.IMO).Valid, "%q is not a valid IMO number", v.IMO))
		},
		"decoy-hin-other-hull": func(rec watchlist.Vessel, v *event.Vessel) error { return otherOneOff(index.HIN(rec.HIN), v.HIN, 3, 8) },
		"decoy-engine-other-serial": func(rec watchlist.Vessel, v *event.Vessel) error {
			s := rec.EngineSerials[0]
			return otherOneOff(s, v.EngineSerials[0], len(s)-4, len(s))
		},
	}

	firearmChecks := map[string]func(rec watchlist.Firearm, m *firearmMaker, f *event.Firearm) error{
		"serial-make": func(rec watchlist.Firearm, _ *firearmMaker, f *event.Firearm) error {
			return check(f.Serial == rec.Serial && f.Make == rec.Make && f.Model == "", "%+v", f)
		},
		"serial-format": func(rec watchlist.Firearm, _ *firearmMaker, f *event.Firearm) error {
			return check(f.Serial != rec.Serial && index.Serial(f.Serial) == index.Serial(rec.Serial) && f.Make == rec.Make, "%q / %q", f.Serial, rec.Serial)
		},
		"make-short": func(rec watchlist.Firearm, m *firearmMaker, f *event.Firearm) error {
			return check(f.Serial == rec.Serial && f.Make != rec.Make && slices.Contains(m.short, f.Make), "%q", f.Make)
		},
		"make-legal-name": func(rec watchlist.Firearm, m *firearmMaker, f *event.Firearm) error {
			return check(f.Serial == rec.Serial && slices.Contains(m.legal, f.Make), "%q", f.Make)
		},
		"full-description": func(rec watchlist.Firearm, m *firearmMaker, f *event.Firearm) error {
			for _, md := range m.models {
				if md.name == rec.Model {
					return check(f.Serial == rec.Serial && f.Make == rec.Make && slices.Contains(md.forms, f.Model) && f.Calibre == rec.Calibre, "%+v", f)
				}
			}
			return fmt.Errorf("model %q unknown", rec.Model)
		},
		"calibre-alias": func(rec watchlist.Firearm, _ *firearmMaker, f *event.Firearm) error {
			return check(f.Serial == rec.Serial && f.Calibre != rec.Calibre && slices.Contains(calibreForms[rec.Calibre], f.Calibre), "%q for %q", f.Calibre, rec.Calibre)
		},
		"serial-ocr-full": func(rec watchlist.Firearm, _ *firearmMaker, f *event.Firearm) error {
			return firstErr(ocrOneOff(rec.Serial, f.Serial, ocrPairs), check(f.Make == rec.Make && f.Model == rec.Model && f.Calibre == rec.Calibre, "make, model or calibre"))
		},
		"serial-alone": func(rec watchlist.Firearm, _ *firearmMaker, f *event.Firearm) error {
			return check(f.Serial == rec.Serial && f.Make == "" && f.Model == "" && f.Calibre == "", "%+v", f)
		},
		"serial-ocr-make": func(rec watchlist.Firearm, _ *firearmMaker, f *event.Firearm) error {
			return firstErr(ocrOneOff(rec.Serial, f.Serial, ocrPairs), check(f.Make == rec.Make && f.Model == "", "make or model"))
		},
		"decoy-other-make": func(rec watchlist.Firearm, _ *firearmMaker, f *event.Firearm) error {
			return check(f.Serial == rec.Serial && index.FirearmMake(f.Make) != index.FirearmMake(rec.Make), "%q", f.Make)
		},
		"decoy-same-make-other-model": func(rec watchlist.Firearm, _ *firearmMaker, f *event.Firearm) error {
			return check(f.Serial == rec.Serial && f.Make == rec.Make && index.Calibre(f.Calibre) != index.Calibre(rec.Calibre), "%+v", f)
		},
		"decoy-serial-one-char": func(rec watchlist.Firearm, _ *firearmMaker, f *event.Firearm) error {
			return otherOneOff(rec.Serial, f.Serial, 0, len(rec.Serial))
		},
	}

	// Kinds checked by their shape rather than a record.
	random := map[string]bool{"decoy-random": true, "decoy-other-database": true}
	seen := map[string]bool{}
	for _, g := range gens[1:] {
		db := g.Database()
		probes := g.Probes(r, set, 40)
		kinds := map[string]int{}
		for _, p := range probes {
			kinds[p.Kind]++
			key := string(db) + "/" + p.Kind
			seen[key] = true
			if p.Database != db || p.Decoy() != strings.HasPrefix(p.Kind, "decoy") || !p.Decoy() && p.Want != p.Source {
				t.Fatalf("%s: probe %+v: database, decoy or want inconsistent", key, p)
			}
			if random[p.Kind] {
				if p.Source != "" {
					t.Errorf("%s: a random decoy names a source", key)
				}
				continue
			}
			var err error
			s := &p.Subject
			switch db {
			case event.DBSLTD, event.DBTDAWN:
				c, ok := docChecks[p.Kind]
				if !ok {
					t.Fatalf("%s: no check", key)
				}
				err = c(docs[p.Source], s.Person.Documents)
			case event.DBVehicles:
				c, ok := vehicleChecks[p.Kind]
				if !ok {
					t.Fatalf("%s: no check", key)
				}
				err = c(vehicles[p.Source], s.Vehicle)
			case event.DBVessels:
				c, ok := vesselChecks[p.Kind]
				if !ok {
					t.Fatalf("%s: no check", key)
				}
				err = c(vessels[p.Source], s.Vessel)
			case event.DBFirearms:
				c, ok := firearmChecks[p.Kind]
				if !ok {
					t.Fatalf("%s: no check", key)
				}
				rec := firearms[p.Source]
				err = c(rec, makers[rec.Make], s.Firearm)
			}
			if err != nil {
				t.Errorf("%s (source %s): %v", key, p.Source, err)
			}
		}
		for k, n := range kinds {
			if n != 40 && k != "range" {
				t.Errorf("%s/%s: %d probes, want 40", db, k, n)
			}
		}
	}
	// Every check ran: TDAWN has no ranges; SLTD and TDAWN share the document checks.
	exercised := func(db event.Database, kind string) {
		if !seen[string(db)+"/"+kind] {
			t.Errorf("%s/%s: check never exercised", db, kind)
		}
	}
	for k := range docChecks {
		exercised(event.DBSLTD, k)
		if k != "range" {
			exercised(event.DBTDAWN, k)
		}
	}
	for k := range vehicleChecks {
		exercised(event.DBVehicles, k)
	}
	for k := range vesselChecks {
		exercised(event.DBVessels, k)
	}
	for k := range firearmChecks {
		exercised(event.DBFirearms, k)
	}
}
