package gen

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// MaxTravellersPerManifest bounds Config.MaxTravellers (a wide-body aircraft's capacity).
const MaxTravellersPerManifest = 999

// MaxNotices bounds Config.Notices: the name pools keep about this many notice persons far
// enough apart that a traveller planted on one cannot also hit another.
const MaxNotices = 15000

// Config says how much data to generate and how. The zero value is not valid; start from
// DefaultConfig.
type Config struct {
	// Seed makes the output reproducible: the same Config gives byte-identical data.
	Seed int64 `yaml:"seed"`
	// Documents is the number of SLTD records.
	Documents int `yaml:"documents"`
	// Notices is the number of person notices, of every colour, screened or not.
	Notices int `yaml:"notices"`
	// Manifests is the number of API manifests (flights), passenger and crew lists.
	Manifests int `yaml:"manifests"`
	// MinTravellers and MaxTravellers bound the travellers of one manifest, inclusive.
	MinTravellers int `yaml:"min_travellers"`
	MaxTravellers int `yaml:"max_travellers"`
	// HitRate is the fraction of travellers planted as true hits, rounded to a whole count.
	HitRate float64 `yaml:"hit_rate"`
	// NearMissRate is the fraction of travellers planted as near misses, which resemble a
	// record but must not hit.
	NearMissRate float64 `yaml:"near_miss_rate"`
	// Country is the screening country (ISO 3166 alpha-3); every flight ends at one of its
	// airports. See Countries for the supported ones.
	Country string `yaml:"country"`
	// Start is the first departure; flights are spread over the following 24 hours.
	Start time.Time `yaml:"start"`
}

// DefaultConfig is the data set of `make demo`: 20,000 SLTD records, 2,000 notices and 300
// flights of 1 to 12 travellers arriving in France, with 2% planted hits and 2% near misses.
func DefaultConfig() Config {
	return Config{
		Seed:          1,
		Documents:     20000,
		Notices:       2000,
		Manifests:     300,
		MinTravellers: 1,
		MaxTravellers: 12,
		HitRate:       0.02,
		NearMissRate:  0.02,
		Country:       "FRA",
		Start:         time.Date(2026, time.March, 2, 5, 0, 0, 0, time.UTC),
	}
}

// Config errors that callers may want to tell apart.
var (
	ErrUnknownCountry = errors.New("gen: country: not a supported screening country")
	ErrNoRecords      = errors.New("gen: hit_rate and near_miss_rate need documents or notices to plant from")
)

// Validate reports every problem with c at once, or nil.
func (c Config) Validate() error {
	var errs []error
	for _, f := range []struct {
		name string
		v    int
	}{{"documents", c.Documents}, {"notices", c.Notices}, {"manifests", c.Manifests}} {
		if f.v < 0 {
			errs = append(errs, fmt.Errorf("gen: %s: must not be negative", f.name))
		}
	}
	if c.Notices > MaxNotices {
		errs = append(errs, fmt.Errorf("gen: notices: must be at most %d", MaxNotices))
	}
	if c.MinTravellers < 1 {
		errs = append(errs, errors.New("gen: min_travellers: must be at least 1"))
	}
	if c.MaxTravellers < c.MinTravellers {
		errs = append(errs, errors.New("gen: max_travellers: must not be below min_travellers"))
	}
	if c.MaxTravellers > MaxTravellersPerManifest {
		errs = append(errs, fmt.Errorf("gen: max_travellers: must be at most %d", MaxTravellersPerManifest))
	}
	rateOK := true
	for _, f := range []struct {
		name string
		v    float64
	}{{"hit_rate", c.HitRate}, {"near_miss_rate", c.NearMissRate}} {
		if math.IsNaN(f.v) || f.v < 0 || f.v > 1 {
			errs = append(errs, fmt.Errorf("gen: %s: must be between 0 and 1", f.name))
			rateOK = false
		}
	}
	if rateOK && c.HitRate+c.NearMissRate > 1 {
		errs = append(errs, errors.New("gen: hit_rate + near_miss_rate: must not exceed 1"))
	}
	if _, ok := arrivalAirports[c.Country]; !ok {
		errs = append(errs, fmt.Errorf("%w (want one of %s)", ErrUnknownCountry, strings.Join(Countries(), ", ")))
	}
	if c.Start.IsZero() {
		errs = append(errs, errors.New("gen: start: required"))
	}
	if (c.HitRate > 0 || c.NearMissRate > 0) && c.Manifests > 0 && c.Documents <= 0 && c.Notices <= 0 {
		errs = append(errs, ErrNoRecords)
	}
	return errors.Join(errs...)
}

// Countries lists the supported screening countries, sorted.
func Countries() []string {
	out := make([]string, 0, len(arrivalAirports))
	for c := range arrivalAirports {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}
