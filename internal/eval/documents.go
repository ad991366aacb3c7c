package eval

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/normalize"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

// DocumentGenerator evaluates SLTD: n stolen, lost and revoked documents with numbers shaped
// like real ones (a letter-digit pattern per issuer), one in 500 a reported range of blank
// documents.
type DocumentGenerator struct {
	n     int
	first int
	keys  map[string][]string // issuer|OCR-folded number → record ids
}

// NewDocumentGenerator returns a generator of n SLTD records.
func NewDocumentGenerator(n int) *DocumentGenerator { return &DocumentGenerator{n: n} }

// Database implements Generator.
func (g *DocumentGenerator) Database() event.Database { return event.DBSLTD }

// issuerPatterns: L a letter, D a digit, A either.
var issuerPatterns = map[string]string{
	"FRA": "DDLLDDDDD", "DEU": "LAAAAAAAA", "ITA": "LLDDDDDDD", "ESP": "LLLDDDDDD", "GBR": "DDDDDDDDD",
	"USA": "DDDDDDDDD", "NLD": "LLAAAAAAD", "BEL": "LLDDDDDDD", "POL": "LLDDDDDDD", "TUR": "LDDDDDDDD",
	"MAR": "LLDDDDDDD", "NGA": "LDDDDDDDD", "CHN": "LDDDDDDDD", "IND": "LDDDDDDD", "BRA": "LLDDDDDD",
}

var issuerList = func() []string {
	var out []string
	for k := range issuerPatterns {
		out = append(out, k)
	}
	// map order is random: sort for determinism
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}()

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
	g.first = len(set.Documents)
	g.keys = map[string][]string{}
	statuses := []watchlist.DocumentStatus{watchlist.StatusStolen, watchlist.StatusLost, watchlist.StatusLost, watchlist.StatusRevoked, watchlist.StatusInvalidated}
	for i := range g.n {
		iss := issuerList[r.IntN(len(issuerList))]
		d := watchlist.Document{ID: fmt.Sprintf("sltd-%08d", i), Number: docNumber(r, iss), Type: "P", Issuer: iss, Status: statuses[r.IntN(len(statuses))], Owner: iss}
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
		}
		set.Documents = append(set.Documents, d)
		k := iss + "|" + normalize.DocNumberOCR(d.Number)
		g.keys[k] = append(g.keys[k], d.ID)
	}
}

// Probes implements Generator.
func (g *DocumentGenerator) Probes(r *rand.Rand, set *watchlist.Set, perKind int) []Probe {
	docs := set.Documents[g.first : g.first+g.n]
	var out []Probe
	add := func(kind string, i int, d event.Document, want string) {
		pr := Probe{Subject: person(kind, i, event.Person{Documents: []event.Document{d}}), Database: event.DBSLTD, Kind: kind, Want: want}
		// Two records with OCR-equivalent numbers of one issuer both hit legitimately.
		pr.Allowed = g.keys[normalize.Country(d.Issuer)+"|"+normalize.DocNumberOCR(d.Number)]
		out = append(out, pr)
	}
	pick := func(rng bool) *watchlist.Document {
		for {
			d := &docs[r.IntN(len(docs))]
			if (d.NumberTo != "") == rng {
				return d
			}
		}
	}
	ocr := map[byte]byte{'0': 'O', 'O': '0', '1': 'I', 'I': '1', '5': 'S', 'S': '5', '8': 'B', 'B': '8', '2': 'Z', 'Z': '2'}
	for i := range perKind {
		d := pick(false)
		add("exact", i, event.Document{Type: "P", Number: d.Number, Issuer: d.Issuer}, d.ID)

		d = pick(false)
		noisy := strings.ToLower(d.Number[:3]) + "-" + d.Number[3:6] + " " + d.Number[6:] + "<<"
		add("format-noise", i, event.Document{Type: "P", Number: noisy, Issuer: strings.ToLower(d.Issuer)}, d.ID)

		d = pick(false)
		n := []byte(d.Number)
		for k := range n {
			if c, ok := ocr[n[k]]; ok {
				n[k] = c
				break
			}
		}
		add("ocr", i, event.Document{Type: "P", Number: string(n), Issuer: d.Issuer}, d.ID)

		d = pick(true)
		in := []byte(d.Number)
		copy(in[len(in)-3:], fmt.Sprintf("%03d", r.IntN(1000)))
		add("range", i, event.Document{Type: "P", Number: string(in), Issuer: d.Issuer}, d.ID)

		d = pick(false)
		add("type-conflict", i, event.Document{Type: "I", Number: d.Number, Issuer: d.Issuer}, d.ID)

		// Decoys.
		d = pick(false)
		other := issuerList[r.IntN(len(issuerList))]
		for other == d.Issuer {
			other = issuerList[r.IntN(len(issuerList))]
		}
		add("decoy-other-issuer", i, event.Document{Type: "P", Number: d.Number, Issuer: other}, "")

		d = pick(false)
		n = []byte(d.Number)
		k := len(n) - 1 - r.IntN(3)
		n[k] = byte('0' + (int(n[k]-'0')+1+r.IntN(8))%10)
		if n[k] < '0' || n[k] > '9' {
			n[k] = '7'
		}
		add("decoy-one-char", i, event.Document{Type: "P", Number: string(n), Issuer: d.Issuer}, "")

		iss := issuerList[r.IntN(len(issuerList))]
		add("decoy-random", i, event.Document{Type: "P", Number: docNumber(r, iss), Issuer: iss}, "")
	}
	return out
}
