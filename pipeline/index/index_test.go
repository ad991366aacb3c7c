package index_test

import (
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

func docSet() *watchlist.Set {
	return &watchlist.Set{
		Documents: []watchlist.Document{
			{ID: "a", Number: "AB123456", Type: "P", Issuer: "FRA", Status: watchlist.StatusStolen, Owner: "FRA"},
			{ID: "b", Number: "ab 123-456", Type: "PP", Issuer: "fra", Status: watchlist.StatusLost, Owner: "fra"}, // same key as a
			{ID: "c", Number: "A8I23456", Type: "", Issuer: "FRA", Status: watchlist.StatusRevoked, Owner: "FRA"},  // OCR twin of a
			{ID: "d", Number: "AB123456", Type: "I", Issuer: "D", Status: watchlist.StatusStolen, Owner: "DEU"},    // one-letter issuer: invalid
			{ID: "e", Number: "AB123456", Type: "I", Issuer: "D<<", Status: watchlist.StatusStolen, Owner: "DEU"},
			{ID: "r", Number: "QX000100", NumberTo: "QX000199", Type: "P", Issuer: "ITA", Status: watchlist.StatusStolenBlank, Owner: "ITA"},
			{ID: "r2", Number: "QX000150", NumberTo: "QX000160", Type: "P", Issuer: "ITA", Status: watchlist.StatusStolenBlank, Owner: "ITA"},
			{ID: "bad-range", Number: "QX000199", NumberTo: "QY000100", Issuer: "ITA", Status: watchlist.StatusStolenBlank, Owner: "ITA"},
			{ID: "bad-status", Number: "Z1", Issuer: "ITA", Status: "misplaced"},
			{ID: "", Number: "Z2", Issuer: "ITA", Status: watchlist.StatusLost},
		},
		Notices: []watchlist.Person{
			{ID: "n1", NoticeType: watchlist.NoticeRed, Names: []watchlist.Name{{Surname: "Smith", GivenNames: "John"}}},
			{ID: "n2", NoticeType: watchlist.NoticeBlack, Names: []watchlist.Name{{Surname: "Smith"}}},
			{ID: "n3", NoticeType: watchlist.NoticeYellow, Names: []watchlist.Name{}},
		},
	}
}

func TestBuildCounts(t *testing.T) {
	t.Parallel()
	snap := index.Build(5, docSet())
	want := map[event.Database]int{event.DBSLTD: 6, event.DBNotices: 1, event.DBNominals: 0, event.DBTDAWN: 0, event.DBVehicles: 0, event.DBVessels: 0, event.DBFirearms: 0}
	if diff := cmp.Diff(want, snap.Counts()); diff != "" {
		t.Errorf("Counts mismatch (-want +got):\n%s", diff)
	}
	if got := snap.Skipped(); got != 5 {
		t.Errorf("Skipped = %d, want 5", got)
	}
	if snap.Version != 5 {
		t.Errorf("Version = %d, want 5", snap.Version)
	}
	empty := index.Build(1, nil)
	if got := empty.Counts()[event.DBSLTD]; got != 0 {
		t.Errorf("empty snapshot has %d documents", got)
	}
	if got := empty.LookupDocument(event.DBSLTD, "AB123456", "FRA", nil); got != nil {
		t.Errorf("empty snapshot lookup = %v", got)
	}
}

func TestLookupDocument(t *testing.T) {
	t.Parallel()
	snap := index.Build(1, docSet())
	type found struct {
		ID   string
		Kind string
	}
	tests := []struct {
		name, number, issuer string
		want                 []found
	}{
		{"exact and ocr twin", "AB123456", "FRA", []found{{"a", "exact"}, {"b", "exact"}, {"c", "ocr"}}},
		{"noisy presented number", "ab-12 34.56/<", " fra", []found{{"a", "exact"}, {"b", "exact"}, {"c", "ocr"}}},
		{"ocr presented", "A8I23456", "FRA", []found{{"a", "ocr"}, {"b", "ocr"}, {"c", "exact"}}},
		{"german one-letter issuer", "AB123456", "D", []found{{"e", "exact"}}},
		{"other issuer", "AB123456", "BEL", nil},
		{"different digit", "AB123457", "FRA", nil},
		{"shorter", "AB12345", "FRA", nil},
		{"range start", "QX000100", "ITA", []found{{"r", "range"}}},
		{"overlapping ranges", "QX000155", "ITA", []found{{"r", "range"}, {"r2", "range"}}},
		{"range end", "QX000199", "ITA", []found{{"r", "range"}}},
		{"range ocr", "QXOOO1S5", "ITA", []found{{"r", "range-ocr"}, {"r2", "range-ocr"}}},
		{"below range", "QX000099", "ITA", nil},
		{"above range", "QX000200", "ITA", nil},
		{"range other prefix", "QY000150", "ITA", nil},
		{"range other issuer", "QX000150", "FRA", nil},
		{"empty number", "", "FRA", nil},
		{"bad issuer", "AB123456", "FR", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []found
			for _, m := range snap.LookupDocument(event.DBSLTD, tt.number, tt.issuer, nil) {
				got = append(got, found{snap.Document(event.DBSLTD, m.Ref).ID, m.Kind.String()})
			}
			slices.SortFunc(got, func(a, b found) int { return cmpString(a.ID, b.ID) })
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("lookup mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestDocumentRecord(t *testing.T) {
	t.Parallel()
	snap := index.Build(1, docSet())
	var got []index.DocumentRecord
	for ref := range snap.DocumentRefs(event.DBSLTD) {
		got = append(got, snap.Document(event.DBSLTD, ref))
	}
	slices.SortFunc(got, func(a, b index.DocumentRecord) int { return cmpString(a.ID, b.ID) })
	want := []index.DocumentRecord{
		{ID: "a", Number: "AB123456", Type: "P", Issuer: "FRA", Status: watchlist.StatusStolen, Owner: "FRA"},
		{ID: "b", Number: "AB123456", Type: "PP", Issuer: "FRA", Status: watchlist.StatusLost, Owner: "FRA"},
		{ID: "c", Number: "A8I23456", Issuer: "FRA", Status: watchlist.StatusRevoked, Owner: "FRA"},
		{ID: "e", Number: "AB123456", Type: "I", Issuer: "DEU", Status: watchlist.StatusStolen, Owner: "DEU"},
		{ID: "r", Number: "QX000100", NumberTo: "QX000199", Type: "P", Issuer: "ITA", Status: watchlist.StatusStolenBlank, Owner: "ITA"},
		{ID: "r2", Number: "QX000150", NumberTo: "QX000160", Type: "P", Issuer: "ITA", Status: watchlist.StatusStolenBlank, Owner: "ITA"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("records mismatch (-want +got):\n%s", diff)
	}
}

// TestUnitKeysShareWhenSimilar checks the invariant candidate search rests on, on random
// token pairs biased towards one-edit neighbours: a positive UnitSimilarity implies a shared
// key, and a shared key with one-edit distance implies a positive similarity (for tokens long
// enough).
func TestUnitKeysShareWhenSimilar(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(7, 7))
	const alphabet = "ABEN"
	randTok := func() string {
		b := make([]byte, 1+r.IntN(7))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		return string(b)
	}
	positives := 0
	for range 200000 {
		a := index.Unit{Text: randTok(), Joined: r.IntN(8) == 0}
		b := index.Unit{Text: randTok(), Joined: r.IntN(8) == 0}
		if r.IntN(2) == 0 { // derive b from a by one edit
			bs := []byte(a.Text)
			i := r.IntN(len(bs))
			switch r.IntN(4) {
			case 0:
				bs[i] = alphabet[r.IntN(len(alphabet))]
			case 1:
				bs = append(bs[:i], bs[i+1:]...)
			case 2:
				bs = append(bs[:i], append([]byte{alphabet[r.IntN(len(alphabet))]}, bs[i:]...)...)
			case 3:
				if i+1 < len(bs) {
					bs[i], bs[i+1] = bs[i+1], bs[i]
				}
			}
			b.Text = string(bs)
		}
		if b.Text == "" {
			continue
		}
		sim := index.UnitSimilarity(&a, &b)
		if sim == 0 {
			continue
		}
		positives++
		ka, kb := index.AppendUnitKeys(nil, &a), index.AppendUnitKeys(nil, &b)
		shared := false
		for _, k := range ka {
			shared = shared || slices.Contains(kb, k)
		}
		if !shared {
			t.Fatalf("units with similarity %v share no key (lengths %d and %d)", sim, len(a.Text), len(b.Text))
		}
	}
	if positives < 10000 {
		t.Fatalf("only %d similar pairs generated", positives)
	}
}

func TestWithinOneEdit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want bool
	}{
		{"SMITH", "SMITH", false}, {"SMITH", "SMYTH", true}, {"SMITH", "SMTH", true}, {"SMITH", "SMIITH", true},
		{"SMITH", "SMTIH", true}, {"SMITH", "MSITH", true}, {"SMITH", "SMYTHE", false}, {"SMITH", "HTIMS", false},
		{"", "A", true}, {"AB", "BA", true}, {"ABC", "CBA", false},
	}
	for _, tt := range tests {
		t.Run(tt.a+"-"+tt.b, func(t *testing.T) {
			t.Parallel()
			if got := index.WithinOneEdit(tt.a, tt.b); got != tt.want {
				t.Errorf("WithinOneEdit = %v, want %v", got, tt.want)
			}
			if got := index.WithinOneEdit(tt.b, tt.a); got != tt.want {
				t.Errorf("WithinOneEdit (reversed) = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestStore(t *testing.T) {
	t.Parallel()
	var s index.Store
	if s.Load() != nil {
		t.Fatal("Load before Swap must be nil")
	}
	a, b := index.Build(1, nil), index.Build(2, nil)
	if prev := s.Swap(a); prev != nil {
		t.Fatalf("first Swap returned %v", prev)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 1000 {
				if v := s.Load().Version; v != 1 && v != 2 {
					t.Errorf("loaded version %d", v)
					return
				}
			}
		})
	}
	if prev := s.Swap(b); prev != a {
		t.Fatal("Swap did not return the previous snapshot")
	}
	wg.Wait()
	if s.Load() != b {
		t.Fatal("Load did not return the latest snapshot")
	}
}

// TestParticlesAlone checks that a surname or given-names part made only of particles (and
// initials) keeps its particles as name tokens, and that particles elsewhere stay minor.
func TestParticlesAlone(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		part  string
		role  index.Role
		minor []bool
	}{
		{"vietnamese surname", "Le", index.RoleSurname, []bool{false}},
		{"indian surname", "Das", index.RoleSurname, []bool{false}},
		{"given name", "Ben", index.RoleGiven, []bool{false}},
		{"particles with initials", "De La", index.RoleSurname, []bool{false, false}},
		{"initials stay initials", "A. M.", index.RoleGiven, []bool{true, true}},
		{"particles of a surname", "van der Berg", index.RoleSurname, []bool{true, true, false}},
		{"particles of a full name", "Le Van Thanh", index.RoleFull, []bool{true, true, false}},
		{"full name of particles", "Le", index.RoleFull, []bool{false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []bool
			for _, tk := range index.AppendTokens(nil, tt.part, tt.role) {
				got = append(got, tk.Minor)
			}
			if diff := cmp.Diff(tt.minor, got); diff != "" {
				t.Errorf("minor flags of %q (-want +got):\n%s", tt.part, diff)
			}
		})
	}
}
