package operations

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/watchpost/watchpost/analytics/queries"
)

var (
	start = time.Date(2026, 6, 1, 6, 0, 0, 0, time.UTC)
	end   = start.Add(14 * 24 * time.Hour)
)

func valid() Operation {
	return Operation{ID: "op-1", Name: "STOP Liberterra", Kind: Stop, Start: start, End: end, BorderPosts: []string{"CDG", "ORY"}, Countries: []string{"FRA"}}
}

func TestNormalize(t *testing.T) {
	t.Parallel()
	in := Operation{
		Name: "  Summit 2026 ", Kind: MajorEvent,
		Start:       time.Date(2026, 6, 1, 8, 0, 0, 500, time.FixedZone("CEST", 7200)),
		End:         time.Date(2026, 6, 3, 8, 0, 0, 0, time.FixedZone("CEST", 7200)),
		BorderPosts: []string{"ory", " CDG", "ORY", ""},
		Countries:   []string{"fra"},
	}
	want := Operation{
		Name: "Summit 2026", Kind: MajorEvent, Start: time.Date(2026, 6, 1, 6, 0, 0, 0, time.UTC), End: time.Date(2026, 6, 3, 6, 0, 0, 0, time.UTC),
		BorderPosts: []string{"CDG", "ORY"}, Countries: []string{"FRA"},
	}
	if diff := cmp.Diff(want, in.Normalize()); diff != "" {
		t.Errorf("Normalize() mismatch (-want +got):\n%s", diff)
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		mutate func(*Operation)
		want   []string
	}{
		{"valid", func(*Operation) {}, nil},
		{"every post, every country", func(o *Operation) { o.BorderPosts, o.Countries = nil, nil }, nil},
		{"bad id", func(o *Operation) { o.ID = "Op 1" }, []string{"id must be"}},
		{"no name", func(o *Operation) { o.Name = "" }, []string{"name must be"}},
		{"control character", func(o *Operation) { o.Name = "a\nb" }, []string{"name must be"}},
		{"bad kind", func(o *Operation) { o.Kind = "raid" }, []string{"kind must be stop or major_event"}},
		{"end before start", func(o *Operation) { o.End = o.Start.Add(-time.Hour) }, []string{"end must be after"}},
		{"equal", func(o *Operation) { o.End = o.Start }, []string{"end must be after"}},
		{"zero start", func(o *Operation) { o.Start = time.Time{} }, []string{"between 1970 and 2100"}},
		{"bad post", func(o *Operation) { o.BorderPosts = []string{"CDG", "C-1"} }, []string{"border post 2"}},
		{"bad country", func(o *Operation) { o.Countries = []string{"FR"} }, []string{"country 1"}},
		{"every problem", func(o *Operation) { *o = Operation{Countries: []string{"x"}} }, []string{"id", "name", "kind", "1970", "end must be after", "country 1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := valid()
			tt.mutate(&o)
			err := o.Validate()
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("Validate() = %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil, want %v", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate() = %q, want it to contain %q", err, w)
				}
			}
			if got := len(strings.Split(err.Error(), "\n")); got != len(tt.want) {
				t.Errorf("Validate() reported %d problems, want %d: %q", got, len(tt.want), err)
			}
		})
	}
}

func TestNewID(t *testing.T) {
	t.Parallel()
	o := valid()
	o.ID = ""
	id := NewID(o)
	if !idPattern.MatchString(id) || !strings.HasPrefix(id, "op-") || len(id) != 13 {
		t.Errorf("NewID() = %q, want op- and 10 hex digits", id)
	}
	same := o
	same.CreatedAt = time.Now()
	if NewID(same) != id {
		t.Error("NewID depends on the creation time")
	}
	for name, mutate := range map[string]func(*Operation){
		"name":      func(o *Operation) { o.Name += "!" },
		"kind":      func(o *Operation) { o.Kind = MajorEvent },
		"start":     func(o *Operation) { o.Start = o.Start.Add(time.Second) },
		"end":       func(o *Operation) { o.End = o.End.Add(time.Second) },
		"posts":     func(o *Operation) { o.BorderPosts = []string{"CDG"} },
		"countries": func(o *Operation) { o.Countries = nil },
	} {
		other := valid()
		other.ID = ""
		mutate(&other)
		if NewID(other) == id {
			t.Errorf("NewID ignores the %s", name)
		}
	}
}

func TestScopes(t *testing.T) {
	t.Parallel()
	o := valid()
	wantCur := queries.Scope{Since: start, Until: end, Posts: []string{"CDG", "ORY"}, Countries: []string{"FRA"}}
	wantPrev := queries.Scope{Since: start.Add(-14 * 24 * time.Hour), Until: start, Posts: []string{"CDG", "ORY"}, Countries: []string{"FRA"}}
	if diff := cmp.Diff(wantCur, o.Scope()); diff != "" {
		t.Errorf("Scope() mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantPrev, o.Previous()); diff != "" {
		t.Errorf("Previous() mismatch (-want +got):\n%s", diff)
	}
}

func TestBorderPostValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		p    BorderPost
		want []string
	}{
		{"valid", BorderPost{Code: "CDG", Country: "FRA", Kind: Airport, Name: "Paris Charles de Gaulle"}, nil},
		{"locode", BorderPost{Code: "FRLEH", Country: "FRA", Kind: Seaport, Name: "Le Havre"}, nil},
		{"every problem", BorderPost{Code: "cdg", Country: "FR", Kind: "bridge"}, []string{"code", "country", "kind", "name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.p.Validate()
			if (err == nil) != (len(tt.want) == 0) {
				t.Fatalf("Validate() = %v, want problems %v", err, tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate() = %q, want it to contain %q", err, w)
				}
			}
		})
	}
}
