package index

import (
	"math"
	"slices"
	"sync"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/normalize"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

// PersonRecord is an indexed person record, normalised for scoring. It is shared by every
// reader of its snapshot and must not be modified.
type PersonRecord struct {
	ID            string
	NoticeType    watchlist.NoticeType
	Owner         string
	Names         []PersonName
	BirthDates    []event.Date // valid dates only
	Nationalities []string     // normalize.Country forms, empty ones dropped
	Sex           string       // "M", "F" or "" when unknown
}

// PersonName is one name of a person record, folded into tokens and units.
type PersonName struct {
	Weak   bool
	Tokens []Token // weights filled from the snapshot's document frequencies
	Units  []Unit
}

// personTable indexes one person database by name keys.
type personTable struct {
	recs  []PersonRecord
	df    map[string]uint32 // records containing each non-minor token
	spans map[uint64]span   // name key → postings
	post  []uint32          // all postings, ascending record index per key
	stamp sync.Pool         // *stamps, for de-duplicating candidates without clearing
}

type span struct{ start, n uint32 }

type stamps struct {
	mark  []uint32 // epoch of the query that last reached each record
	pos   []uint32 // where in the output that query put the record
	epoch uint32
}

// Candidate is a record found by PersonCandidates, with the units whose keys reached it: bit
// i of Units is set when units[i] shares a key with the record.
type Candidate struct {
	Record uint32
	Units  uint64
}

// MaxQueryUnits is the most units PersonCandidates takes; more are ignored.
const MaxQueryUnits = 64

// NameTokens folds a name into tokens the way person records are indexed: the surname and
// given names when either is set, otherwise the full name.
func NameTokens(dst []Token, surname, given, full string) []Token {
	if surname != "" || given != "" {
		dst = AppendTokens(dst, surname, RoleSurname)
		return AppendTokens(dst, given, RoleGiven)
	}
	return AppendTokens(dst, full, RoleFull)
}

// Sex normalises a sex code to "M", "F" or "" (unknown, including U and X).
func Sex(s string) string {
	switch normalize.Country(s) {
	case "M", "MALE":
		return "M"
	case "F", "FEMALE":
		return "F"
	}
	return ""
}

// idf is the rarity weight of a token found in df of n records.
func idf(df uint32, n int) float64 {
	return math.Log(1 + float64(max(n, 1))/float64(max(df, 1)))
}

func buildPersonTable(people []watchlist.Person, keep func(*watchlist.Person) bool) (*personTable, int) {
	t := &personTable{df: map[string]uint32{}}
	skipped := 0
	var seen []string
	for i := range people {
		p := &people[i]
		if p.Validate() != nil {
			skipped++
			continue
		}
		if !keep(p) {
			continue
		}
		r := PersonRecord{ID: p.ID, NoticeType: p.NoticeType, Owner: normalize.Country(p.Owner), Sex: Sex(p.Sex)}
		for _, n := range p.Names {
			toks := NameTokens(nil, n.Surname, n.GivenNames, n.FullName)
			r.Names = append(r.Names, PersonName{Weak: n.Weak, Tokens: toks, Units: AppendUnits(nil, toks)})
		}
		for _, d := range p.BirthDates {
			if !d.IsZero() {
				r.BirthDates = append(r.BirthDates, d)
			}
		}
		for _, c := range p.Nationalities {
			if c = normalize.Country(c); c != "" && !slices.Contains(r.Nationalities, c) {
				r.Nationalities = append(r.Nationalities, c)
			}
		}
		seen = seen[:0]
		for _, n := range r.Names {
			for _, tok := range n.Tokens {
				if !tok.Minor && !slices.Contains(seen, tok.Text) {
					seen = append(seen, tok.Text)
					t.df[tok.Text]++
				}
			}
		}
		t.recs = append(t.recs, r)
	}
	for i := range t.recs {
		for j := range t.recs[i].Names {
			for k := range t.recs[i].Names[j].Tokens {
				tok := &t.recs[i].Names[j].Tokens[k]
				if !tok.Minor {
					tok.Weight = idf(t.df[tok.Text], len(t.recs))
				}
			}
		}
	}

	// Postings in two passes: count per key, then fill. Records are visited in order, so each
	// key's postings come out ascending.
	counts := map[uint64]uint32{}
	var keys []uint64
	for i := range t.recs {
		keys = recordKeys(keys[:0], &t.recs[i])
		for _, k := range keys {
			counts[k]++
		}
	}
	t.spans = make(map[uint64]span, len(counts))
	var total uint32
	for k, c := range counts {
		t.spans[k] = span{start: total}
		total += c
	}
	t.post = make([]uint32, total)
	for i := range t.recs {
		keys = recordKeys(keys[:0], &t.recs[i])
		for _, k := range keys {
			s := t.spans[k]
			t.post[s.start+s.n] = uint32(i)
			s.n++
			t.spans[k] = s
		}
	}
	n := len(t.recs)
	t.stamp.New = func() any { return &stamps{mark: make([]uint32, n), pos: make([]uint32, n)} }
	return t, skipped
}

// recordKeys appends the distinct name keys of a record.
func recordKeys(dst []uint64, r *PersonRecord) []uint64 {
	for i := range r.Names {
		for j := range r.Names[i].Units {
			dst = AppendUnitKeys(dst, &r.Names[i].Units[j])
		}
	}
	slices.Sort(dst)
	return slices.Compact(dst)
}

// candidates appends to dst, ordered by record and without repeats, every record sharing a
// key with one of units.
func (t *personTable) candidates(units []Unit, dst []Candidate) []Candidate {
	if len(t.recs) == 0 {
		return dst
	}
	st := t.stamp.Get().(*stamps)
	st.epoch++
	if st.epoch == 0 { // wrapped: clear once every 2^32 queries
		clear(st.mark)
		st.epoch = 1
	}
	start := len(dst)
	var kb [32]uint64
	for u := range units[:min(len(units), MaxQueryUnits)] {
		bit := uint64(1) << u
		keys := AppendUnitKeys(kb[:0], &units[u])
		for i, k := range keys {
			if slices.Contains(keys[:i], k) {
				continue
			}
			s, ok := t.spans[k]
			if !ok {
				continue
			}
			for _, r := range t.post[s.start : s.start+s.n] {
				if st.mark[r] == st.epoch {
					dst[st.pos[r]].Units |= bit
					continue
				}
				st.mark[r], st.pos[r] = st.epoch, uint32(len(dst))
				dst = append(dst, Candidate{Record: r, Units: bit})
			}
		}
	}
	t.stamp.Put(st)
	slices.SortFunc(dst[start:], func(a, b Candidate) int { return cmpU64(uint64(a.Record), uint64(b.Record)) })
	return dst
}

func (t *personTable) weight(text string) float64 {
	return idf(t.df[text], len(t.recs))
}
