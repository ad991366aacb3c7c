package match_test

import (
	"math"
	"strings"
	"testing"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/match"
)

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		edit   func(*match.Config)
		errors []string // substrings the error must contain; none for a valid config
	}{
		{"default", func(*match.Config) {}, nil},
		{"threshold of one", func(c *match.Config) { c.Thresholds[event.DBSLTD] = 1 }, nil},
		{"missing sltd", func(c *match.Config) { delete(c.Thresholds, event.DBSLTD) }, []string{"thresholds[sltd]: required"}},
		{"zero threshold", func(c *match.Config) { c.Thresholds[event.DBNotices] = 0 }, []string{"thresholds[notices]: want a value in (0, 1]"}},
		{"above one", func(c *match.Config) { c.Thresholds[event.DBVessels] = 1.5 }, []string{"thresholds[vessels]"}},
		{"nan", func(c *match.Config) { c.Thresholds[event.DBSLTD] = math.NaN() }, []string{"thresholds[sltd]"}},
		{"unknown database", func(c *match.Config) { c.Thresholds["pets"] = 0.5 }, []string{"thresholds[pets]: unknown database"}},
		{"no hits allowed", func(c *match.Config) { c.MaxHitsPerDatabase = 0 }, []string{"max_hits_per_database"}},
		{"every problem listed", func(c *match.Config) {
			c.Thresholds = nil
			c.MaxHitsPerDatabase = -1
		}, []string{"thresholds[sltd]", "thresholds[notices]", "max_hits_per_database"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := match.DefaultConfig()
			tt.edit(&cfg)
			err := cfg.Validate()
			if len(tt.errors) == 0 {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				if _, err := match.New(cfg); err != nil {
					t.Fatalf("New() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatal("Validate() = nil, want an error")
			}
			for _, want := range tt.errors {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("Validate() = %q, want it to mention %q", err, want)
				}
			}
			if _, err := match.New(cfg); err == nil || !strings.HasPrefix(err.Error(), "validating match config") {
				t.Errorf("New() = %v, want a wrapped validation error", err)
			}
		})
	}
}

func TestNewCopiesConfig(t *testing.T) {
	t.Parallel()
	cfg := match.DefaultConfig()
	m, err := match.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Thresholds[event.DBSLTD] = 0.01 // must not reach the matcher
	snap := ruleSetSnapshot()
	hits := m.Screen(snap, person("", "", event.Date{}, event.Document{Number: "A81234567", Issuer: "FRA", Type: "V"}))
	if len(hits) != 0 {
		t.Errorf("matcher used a threshold changed after New: %+v", hits)
	}
}
