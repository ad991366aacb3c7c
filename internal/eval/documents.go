package eval

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/normalize"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

// DocumentGenerator evaluates a document database: SLTD (stolen, lost and revoked documents,
// one in 500 a reported range of blank documents) or TDAWN (valid documents held by the
// subjects of notices: a hit means the person presenting it is of interest). Numbers are
// shaped like real ones (a letter-digit pattern per issuer). A TDAWN document links to a
// notice of the set when there is one (nine in ten; the rest name a notice the snapshot does
// not hold), and its probes present it with the name of that notice's person.
type DocumentGenerator struct {
	db    event.Database
	n     int
	recs  []docRecord
	keys  map[string][]string // issuer|OCR-folded number → record ids
	other []docRecord         // the other document database's records, for decoys
}

// docRecord is a generated document, as the probes need it.
type docRecord struct {
	id, number, numberTo, typ, issuer string
	bearer                            event.Person // TDAWN: the linked notice's person (names only), when known
}

// NewDocumentGenerator returns a generator of n SLTD records.
func NewDocumentGenerator(n int) *DocumentGenerator {
	return &DocumentGenerator{db: event.DBSLTD, n: n}
}

// NewTDAWNGenerator returns a generator of n TDAWN records.
func NewTDAWNGenerator(n int) *DocumentGenerator {
	return &DocumentGenerator{db: event.DBTDAWN, n: n}
}

// Database implements Generator.
func (g *DocumentGenerator) Database() event.Database { return g.db }

// issuerPatterns: L a letter, D a digit, A either.
var issuerPatterns = map[string]string{
	"FRA": "DDLLDDDDD", "DEU": "LAAAAAAAA", "ITA": "LLDDDDDDD", "ESP": "LLLDDDDDD", "GBR": "DDDDDDDDD",
	"USA": "DDDDDDDDD", "NLD": "LLAAAAAAD", "BEL": "LLDDDDDDD", "POL": "LLDDDDDDD", "TUR": "LDDDDDDDD",
	"MAR": "LLDDDDDDD", "NGA": "LDDDDDDDD", "CHN": "LDDDDDDDD", "IND": "LDDDDDDD", "BRA": "LLDDDDDD",
}

var issuerList = slices.Sorted(maps.Keys(issuerPatterns))

func docNumber(r *rand.Rand, issuer string) string {
	var b strings.Builder
	for _, c := range issuerPatterns[issuer] {
		switch {
		case c == 'L' || c == 'A' && r.IntN(2) == 0:
			b.WriteByte("ABCDEFGHJKLMNPRSTUVWXYZ"[r.IntN(23)])
		default:
			b.WriteByte(byte('0' + r.IntN(10)))
		}
	}
	return b.String()
}

// Populate implements Generator.
func (g *DocumentGenerator) Populate(r *rand.Rand, set *watchlist.Set) {
	g.keys = map[string][]string{}
	statuses := []watchlist.DocumentStatus{watchlist.StatusStolen, watchlist.StatusLost, watchlist.StatusLost, watchlist.StatusRevoked, watchlist.StatusInvalidated}
	var notices []*watchlist.Person
	for i := range set.Notices {
		if p := &set.Notices[i]; p.NoticeType.Screened() && p.Names[0].Surname != "" && isASCII(p.Names[0].Surname) {
			notices = append(notices, p)
		}
	}
	for i := range g.n {
		iss := issuerList[r.IntN(len(issuerList))]
		rec := docRecord{number: docNumber(r, iss), typ: "P", issuer: iss}
		switch g.db {
		case event.DBSLTD:
			rec.id = fmt.Sprintf("sltd-%08d", i)
			d := watchlist.Document{ID: rec.id, Number: rec.number, Type: "P", Issuer: iss, Status: statuses[r.IntN(len(statuses))], Owner: iss}
			if i%500 == 0 { // a blank series: the number's last four digits run from 0000 to 0999
				d.Status = watchlist.StatusStolenBlank
				n := []byte(d.Number)
				for k := len(n) - 4; k < len(n); k++ {
					n[k] = '0'
				}
				d.Number = string(n)
				n[len(n)-3] = '9'
				n[len(n)-2], n[len(n)-1] = '9', '9'
				d.NumberTo = string(n)
				rec.number, rec.numberTo = d.Number, d.NumberTo
			}
			set.Documents = append(set.Documents, d)
		case event.DBTDAWN:
			rec.id = fmt.Sprintf("tdawn-%08d", i)
			if r.IntN(5) == 0 {
				rec.typ = "I" // identity cards travel too
			}
			d := watchlist.TravelDocument{ID: rec.id, Number: rec.number, Type: rec.typ, Issuer: iss, Owner: iss, NoticeID: fmt.Sprintf("notice-withdrawn-%d", i)}
			if len(notices) > 0 && r.IntN(10) != 0 {
				p := notices[r.IntN(len(notices))]
				d.NoticeID = p.ID
				rec.bearer = event.Person{Surname: p.Names[0].Surname, GivenNames: p.Names[0].GivenNames, Sex: p.Sex}
				if len(p.BirthDates) > 0 {
					rec.bearer.BirthDate = p.BirthDates[0]
				}
			}
			set.TDAWN = append(set.TDAWN, d)
		}
		g.recs = append(g.recs, rec)
		k := iss + "|" + normalize.DocNumberOCR(rec.number)
		g.keys[k] = append(g.keys[k], rec.id)
	}
}

// otherDatabase returns the records of the other document database in set, for the
// decoy-other-database probes.
func (g *DocumentGenerator) otherDatabase(set *watchlist.Set) []docRecord {
	var out []docRecord
	if g.db == event.DBTDAWN {
		for _, d := range set.Documents {
			if d.NumberTo == "" {
				out = append(out, docRecord{id: d.ID, number: d.Number, typ: d.Type, issuer: d.Issuer})
			}
		}
		return out
	}
	for _, d := range set.TDAWN {
		out = append(out, docRecord{id: d.ID, number: d.Number, typ: d.Type, issuer: d.Issuer})
	}
	return out
}

// otherClass is a document type of another class than t (an identity card for a passport).
func otherClass(t string) string {
	if t == "P" {
		return "I"
	}
	return "P"
}

// Probes implements Generator.
func (g *DocumentGenerator) Probes(r *rand.Rand, set *watchlist.Set, perKind int) []Probe {
	g.other = g.otherDatabase(set)
	traveller := func(rec *docRecord, docs ...event.Document) event.Subject {
		p := rec.bearer
		p.Documents = docs
		return event.Subject{Kind: event.KindPerson, Person: &p}
	}
	single := func(build func(r *rand.Rand, rec *docRecord) (event.Document, bool)) func(r *rand.Rand, rec *docRecord) (event.Subject, bool) {
		return func(r *rand.Rand, rec *docRecord) (event.Subject, bool) {
			d, ok := build(r, rec)
			return traveller(rec, d), ok && rec.numberTo == ""
		}
	}
	vs := []variant[docRecord]{
		{kind: "exact", build: single(func(_ *rand.Rand, rec *docRecord) (event.Document, bool) {
			return event.Document{Type: rec.typ, Number: rec.number, Issuer: rec.issuer}, true
		})},
		{kind: "format-noise", build: single(func(r *rand.Rand, rec *docRecord) (event.Document, bool) {
			// As keyed from the data page or read from the MRZ: lower case, separators,
			// fillers; the issuer in lower case.
			n := reformat(r, rec.number)
			if r.IntN(2) == 0 {
				n += "<<"
			}
			return event.Document{Type: rec.typ, Number: n, Issuer: strings.ToLower(rec.issuer)}, true
		})},
		{kind: "ocr", build: single(func(r *rand.Rand, rec *docRecord) (event.Document, bool) {
			n, ok := ocrVariant(r, rec.number, ocrPairs)
			return event.Document{Type: rec.typ, Number: n, Issuer: rec.issuer}, ok
		})},
		{kind: "type-conflict", build: single(func(_ *rand.Rand, rec *docRecord) (event.Document, bool) {
			return event.Document{Type: otherClass(rec.typ), Number: rec.number, Issuer: rec.issuer}, true
		})},
		{kind: "type-missing", build: single(func(_ *rand.Rand, rec *docRecord) (event.Document, bool) {
			return event.Document{Number: rec.number, Issuer: rec.issuer}, true
		})},
		{kind: "issuer-mrz-code", build: single(func(r *rand.Rand, rec *docRecord) (event.Document, bool) {
			// German documents carry the one-letter ICAO code D in the MRZ, padded with fillers.
			return event.Document{Type: rec.typ, Number: rec.number, Issuer: oneOf(r, "D", "D<<")}, rec.issuer == "DEU"
		})},
		{kind: "second-document", build: func(r *rand.Rand, rec *docRecord) (event.Subject, bool) {
			// A dual national declares another passport first.
			iss := oneOf(r, issuerList...)
			first := event.Document{Type: "P", Number: docNumber(r, iss), Issuer: iss}
			return traveller(rec, first, event.Document{Type: rec.typ, Number: rec.number, Issuer: rec.issuer}), iss != rec.issuer && rec.numberTo == ""
		}},
		{kind: "range", build: func(r *rand.Rand, rec *docRecord) (event.Subject, bool) {
			in := []byte(rec.number)
			copy(in[len(in)-3:], fmt.Sprintf("%03d", r.IntN(1000)))
			return traveller(rec, event.Document{Type: "P", Number: string(in), Issuer: rec.issuer}), rec.numberTo != ""
		}},
		{kind: "ocr-type-conflict", byDesign: "an OCR-equivalent number with a document type of another class scores 0.90 − 0.10, below the 0.85 threshold (match.DefaultConfig)",
			build: single(func(r *rand.Rand, rec *docRecord) (event.Document, bool) {
				n, ok := ocrVariant(r, rec.number, ocrPairs)
				return event.Document{Type: otherClass(rec.typ), Number: n, Issuer: rec.issuer}, ok
			})},
		{kind: "decoy-other-issuer", build: single(func(r *rand.Rand, rec *docRecord) (event.Document, bool) {
			other := oneOf(r, issuerList...)
			return event.Document{Type: rec.typ, Number: rec.number, Issuer: other}, other != rec.issuer
		})},
		{kind: "decoy-one-char", build: single(func(r *rand.Rand, rec *docRecord) (event.Document, bool) {
			// Another document of the same issuer and series: one of the last three characters
			// differs (never by an OCR confusion).
			n, ok := changeOne(r, rec.number, len(rec.number)-3, len(rec.number))
			return event.Document{Type: rec.typ, Number: n, Issuer: rec.issuer}, ok
		})},
		{kind: "decoy-other-database", random: true, build: func(r *rand.Rand, rec *docRecord) (event.Subject, bool) {
			// A document listed in the other document database (SLTD for TDAWN and back).
			if len(g.other) == 0 {
				return event.Subject{}, false
			}
			o := g.other[r.IntN(len(g.other))]
			return traveller(&docRecord{}, event.Document{Type: o.typ, Number: o.number, Issuer: o.issuer}), true
		}},
		{kind: "decoy-random", random: true, build: func(r *rand.Rand, _ *docRecord) (event.Subject, bool) {
			iss := oneOf(r, issuerList...)
			return traveller(&docRecord{}, event.Document{Type: "P", Number: docNumber(r, iss), Issuer: iss}), true
		}},
	}
	allowed := func(s *event.Subject) []string {
		// Two records with OCR-equivalent numbers of one issuer both hit legitimately.
		var out []string
		for _, d := range s.Person.Documents {
			out = append(out, g.keys[normalize.Country(d.Issuer)+"|"+normalize.DocNumberOCR(d.Number)]...)
		}
		return out
	}
	return deriveProbes(r, g.db, g.recs, func(rec *docRecord) string { return rec.id }, allowed, vs, perKind)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
