package match_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/match"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

// vocab builds a synthetic name vocabulary from consonant-vowel syllables (100 of them): 8000
// surnames of three or four syllables and 1500 given names of two or three, drawn with a heavy
// head (skewed) so that some names are very common, as real ones are. Like real names, most
// tokens have few neighbours one edit away.
func vocab(r *rand.Rand, n, parts int) []string {
	const consonants, vowels = "BCDFGHJKLMNPRSTVWXYZ", "AEIOU"
	out := make([]string, n)
	for i := range out {
		var b []byte
		for range parts + r.IntN(2) {
			b = append(b, consonants[r.IntN(len(consonants))], vowels[r.IntN(len(vowels))])
		}
		out[i] = string(b)
	}
	return out
}

func skewed(r *rand.Rand, xs []string) string {
	i := int(float64(len(xs)) * r.Float64() * r.Float64() * r.Float64()) // heavy head
	return xs[i]
}

func benchNotices(n int) ([]watchlist.Person, []*event.Subject) {
	r := rand.New(rand.NewPCG(3, 4))
	sur, giv := vocab(r, 8000, 3), vocab(r, 1500, 2)
	notices := []watchlist.NoticeType{watchlist.NoticeRed, watchlist.NoticeRed, watchlist.NoticeYellow, watchlist.NoticeBlue}
	people := make([]watchlist.Person, n)
	for i := range people {
		p := watchlist.Person{ID: fmt.Sprintf("N-%07d", i), NoticeType: notices[r.IntN(len(notices))], Owner: "FRA", Sex: "M",
			BirthDates: []event.Date{{Year: 1950 + r.IntN(50), Month: 1 + r.IntN(12), Day: 1 + r.IntN(28)}}}
		for range 1 + r.IntN(2) {
			p.Names = append(p.Names, watchlist.Name{Surname: skewed(r, sur), GivenNames: skewed(r, giv) + " " + skewed(r, giv)})
		}
		people[i] = p
	}
	subjects := make([]*event.Subject, 1000)
	for i := range subjects {
		p := &event.Person{Surname: skewed(r, sur), GivenNames: skewed(r, giv), BirthDate: event.Date{Year: 1950 + r.IntN(50), Month: 1 + r.IntN(12), Day: 1 + r.IntN(28)}, Sex: "M"}
		if i%10 == 0 { // one in ten is a watchlisted person with a typo
			src := people[r.IntN(n)]
			p.Surname, p.GivenNames, p.BirthDate = src.Names[0].Surname+"e", src.Names[0].GivenNames, src.BirthDates[0]
		}
		subjects[i] = &event.Subject{ID: fmt.Sprintf("b%d/0", i), EventID: fmt.Sprintf("b%d", i), Kind: event.KindPerson, Person: p}
	}
	return people, subjects
}

func benchSLTD(n int) ([]watchlist.Document, []*event.Subject) {
	r := rand.New(rand.NewPCG(5, 6))
	issuers := []string{"FRA", "DEU", "ITA", "ESP", "GBR", "USA", "CAN", "NLD", "BEL", "POL"}
	docs := make([]watchlist.Document, n)
	for i := range docs {
		iss := issuers[r.IntN(len(issuers))]
		docs[i] = watchlist.Document{ID: fmt.Sprintf("SLTD-%09d", i), Number: fmt.Sprintf("%c%c%07d", 'A'+r.IntN(26), 'A'+r.IntN(26), r.IntN(10_000_000)), Type: "P", Issuer: iss, Status: watchlist.StatusStolen, Owner: iss}
	}
	subjects := make([]*event.Subject, 1000)
	for i := range subjects {
		d := event.Document{Type: "P", Number: fmt.Sprintf("%c%c%07d", 'A'+r.IntN(26), 'A'+r.IntN(26), r.IntN(10_000_000)), Issuer: issuers[r.IntN(len(issuers))]}
		if i%10 == 0 {
			src := docs[r.IntN(n)]
			d.Number, d.Issuer = src.Number, src.Issuer
		}
		subjects[i] = &event.Subject{ID: fmt.Sprintf("d%d/0", i), EventID: fmt.Sprintf("d%d", i), Kind: event.KindPerson, Person: &event.Person{Documents: []event.Document{d}}}
	}
	return docs, subjects
}

func BenchmarkScreen(b *testing.B) {
	m, err := match.New(match.DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	run := func(b *testing.B, snap *index.Snapshot, subjects []*event.Subject) {
		b.ReportAllocs()
		hits, i := 0, 0
		for b.Loop() {
			hits += len(m.Screen(snap, subjects[i%len(subjects)]))
			i++
		}
		b.ReportMetric(float64(hits)/float64(i), "hits/op")
	}
	b.Run("person/100k-notices", func(b *testing.B) {
		people, subjects := benchNotices(100_000)
		snap := index.Build(1, &watchlist.Set{Notices: people})
		run(b, snap, subjects)
	})
	b.Run("document/1M-sltd", func(b *testing.B) {
		docs, subjects := benchSLTD(1_000_000)
		snap := index.Build(1, &watchlist.Set{Documents: docs})
		run(b, snap, subjects)
	})
}
