package match

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/watchpost/watchpost/pipeline/event"
)

// Config tunes a Matcher.
type Config struct {
	// Thresholds is the minimum score for a hit, per database, in (0, 1]. SLTD and notices
	// are required; a database without a threshold is not screened.
	Thresholds map[event.Database]float64
	// MaxHitsPerDatabase caps the hits per subject and database, best first. At least 1.
	MaxHitsPerDatabase int
}

var knownDatabases = []event.Database{event.DBSLTD, event.DBNotices, event.DBNominals, event.DBTDAWN, event.DBVehicles, event.DBVessels, event.DBFirearms}

// DefaultConfig returns the default thresholds:
//
//	sltd 0.85      exact 0.97 and OCR-equivalent 0.90 hit; an exact number with a conflicting
//	               document type (0.87) still hits; OCR-equivalent with a conflicting type does not
//	notices 0.80   an exact name alone hits; typos, swapped day/month or a year-only record
//	               date hit with a full name; a clear date-of-birth conflict never does
//	nominals 0.80, tdawn 0.85, vehicles 0.90, vessels 0.90, firearms 0.85
//
// and at most 10 hits per subject and database.
func DefaultConfig() Config {
	return Config{
		Thresholds: map[event.Database]float64{
			event.DBSLTD:     0.85,
			event.DBNotices:  0.80,
			event.DBNominals: 0.80,
			event.DBTDAWN:    0.85,
			event.DBVehicles: 0.90,
			event.DBVessels:  0.90,
			event.DBFirearms: 0.85,
		},
		MaxHitsPerDatabase: 10,
	}
}

// Validate lists every problem with the configuration.
func (c Config) Validate() error {
	var errs []error
	for _, db := range []event.Database{event.DBSLTD, event.DBNotices} {
		if _, ok := c.Thresholds[db]; !ok {
			errs = append(errs, fmt.Errorf("thresholds[%s]: required", db))
		}
	}
	dbs := make([]event.Database, 0, len(c.Thresholds))
	for db := range c.Thresholds {
		dbs = append(dbs, db)
	}
	slices.Sort(dbs)
	for _, db := range dbs {
		if !slices.Contains(knownDatabases, db) {
			errs = append(errs, fmt.Errorf("thresholds[%s]: unknown database", db))
			continue
		}
		if v := c.Thresholds[db]; math.IsNaN(v) || v <= 0 || v > 1 {
			errs = append(errs, fmt.Errorf("thresholds[%s]: want a value in (0, 1]", db))
		}
	}
	if c.MaxHitsPerDatabase < 1 {
		errs = append(errs, errors.New("max_hits_per_database: want at least 1"))
	}
	return errors.Join(errs...)
}
