// Package retro screens recent travellers again when new watchlist records arrive. A worker
// remembers every person it screened during the last Window, packed (a hundred-odd bytes a
// traveller) in hourly buckets, bounded by the window and by MaxTravellers. When the
// watchlist feed publishes new or updated person or document records, the remembered
// travellers are screened against them and every new hit is raised as an alert marked
// Retro, with the traveller's original screening context.
//
// Candidates come from a small index of the changed records alone, searched with lowered
// thresholds; each candidate is then screened against the full new snapshot, which decides
// the hit exactly as a live screening would (common-name weights included), and a hit the
// traveller already had on the record's previous version is not raised again.
package retro

import (
	"context"
	"errors"
	"maps"
	"slices"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/match"
	"github.com/watchpost/watchpost/pipeline/watchlist"
	"github.com/watchpost/watchpost/pipeline/watchlist/packed"
)

// Config configures a Screener.
type Config struct {
	// Window is how far back travellers are screened again; default 72 hours.
	Window time.Duration
	// MaxTravellers bounds the store; the oldest hour is dropped first. Default 5 million.
	MaxTravellers int
	// Match is the live screening configuration; candidate search lowers its thresholds by
	// CandidateSlack (default 0.15) and the full-snapshot screening then applies them.
	Match          match.Config
	CandidateSlack float64
	// Emit raises the retro alerts; it must be safe to call from the Screener's goroutine.
	Emit func(ctx context.Context, alerts []event.Alert) error
	// Now defaults to time.Now.
	Now    func() time.Time
	Logger *zap.Logger
}

func (c *Config) setDefaults() {
	if c.Window <= 0 {
		c.Window = 72 * time.Hour
	}
	if c.MaxTravellers <= 0 {
		c.MaxTravellers = 5_000_000
	}
	if c.CandidateSlack <= 0 {
		c.CandidateSlack = 0.15
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = zap.NewNop()
	}
}

// Validate lists every problem of the configuration.
func (c Config) Validate() error {
	var errs []error
	if c.Emit == nil {
		errs = append(errs, errors.New("retro: emit: required"))
	}
	if err := c.Match.Validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// change is one publish of the watchlist feed.
type change struct {
	prev, snap *index.Snapshot
	changed    *watchlist.Set
}

// Screener remembers travellers and screens them again on changes. Remember and Changed are
// safe for concurrent use; Run drives the screening.
type Screener struct {
	cfg              Config
	live, candidates *match.Matcher
	log              *zap.Logger

	mu      sync.Mutex
	buckets []bucket // oldest first
	n       int

	work chan change
}

type bucket struct {
	hour time.Time
	recs []string // packed travellers
}

// New validates cfg and returns a Screener.
func New(cfg Config) (*Screener, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	live, err := match.New(cfg.Match)
	if err != nil {
		return nil, err
	}
	loose := cfg.Match
	loose.Thresholds = maps.Clone(cfg.Match.Thresholds)
	for db, th := range loose.Thresholds {
		loose.Thresholds[db] = max(0.01, th-cfg.CandidateSlack)
	}
	loose.MaxHitsPerDatabase = max(loose.MaxHitsPerDatabase, 1000)
	candidates, err := match.New(loose)
	if err != nil {
		return nil, err
	}
	return &Screener{cfg: cfg, live: live, candidates: candidates, log: cfg.Logger.Named("retro"), work: make(chan change, 64)}, nil
}

// Remember stores a screened person subject with its context. Other subjects are ignored.
func (s *Screener) Remember(sub *event.Subject, c event.Context) {
	rec := packed.Traveller(sub, &c)
	if rec == "" {
		return
	}
	hour := s.cfg.Now().UTC().Truncate(time.Hour)
	s.mu.Lock()
	defer s.mu.Unlock()
	if n := len(s.buckets); n == 0 || s.buckets[n-1].hour.Before(hour) {
		s.buckets = append(s.buckets, bucket{hour: hour})
	}
	b := &s.buckets[len(s.buckets)-1]
	b.recs = append(b.recs, rec)
	s.n++
	s.evictLocked(hour)
}

// evictLocked drops the buckets older than the window, then the oldest while over the bound
// (but never the current hour).
func (s *Screener) evictLocked(now time.Time) {
	cut := now.Add(-s.cfg.Window)
	drop := 0
	for drop < len(s.buckets)-1 && (s.buckets[drop].hour.Before(cut) || s.n > s.cfg.MaxTravellers) {
		s.n -= len(s.buckets[drop].recs)
		drop++
	}
	if drop > 0 {
		s.buckets = slices.Delete(s.buckets, 0, drop)
	}
}

// Len returns how many travellers are remembered.
func (s *Screener) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

// Changed queues a feed publish for screening: the snapshot before and after, and the
// records added or updated. Only person and document records are screened again. It never
// blocks: when the queue is full the change is dropped and logged.
func (s *Screener) Changed(prev, snap *index.Snapshot, changed *watchlist.Set) {
	if changed == nil || len(changed.Documents)+len(changed.Notices)+len(changed.Nominals)+len(changed.TDAWN) == 0 {
		return
	}
	select {
	case s.work <- change{prev: prev, snap: snap, changed: changed}:
	default:
		s.log.Error("retro-screening queue full; a watchlist change was not screened against recent travellers",
			zap.Uint64("version", snap.Version))
	}
}

// Run screens queued changes until ctx ends; it returns nil then, or the first Emit error.
func (s *Screener) Run(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case c := <-s.work:
			c = s.coalesce(c)
			alerts := s.Screen(c.prev, c.snap, c.changed)
			if len(alerts) == 0 {
				continue
			}
			if err := s.cfg.Emit(ctx, alerts); err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return err
			}
			s.log.Info("retro alerts raised", zap.Int("alerts", len(alerts)), zap.Uint64("version", c.snap.Version))
		}
	}
}

// coalesce merges the changes already queued behind c into one: the snapshot before the
// first, the snapshot after the last, every changed record. One pass over the travellers
// then covers them all, so a burst of updates cannot outpace retro-screening.
func (s *Screener) coalesce(c change) change {
	for {
		select {
		case next := <-s.work:
			merged := *c.changed
			merged.Documents = append(slices.Clip(merged.Documents), next.changed.Documents...)
			merged.Notices = append(slices.Clip(merged.Notices), next.changed.Notices...)
			merged.Nominals = append(slices.Clip(merged.Nominals), next.changed.Nominals...)
			merged.TDAWN = append(slices.Clip(merged.TDAWN), next.changed.TDAWN...)
			c = change{prev: c.prev, snap: next.snap, changed: &merged}
		default:
			return c
		}
	}
}

// Screen returns the retro alerts for one change: remembered travellers hitting a changed
// record in snap who did not hit that record in prev.
func (s *Screener) Screen(prev, snap *index.Snapshot, changed *watchlist.Set) []event.Alert {
	start := time.Now()
	only := &watchlist.Set{Documents: changed.Documents, Notices: changed.Notices, Nominals: changed.Nominals, TDAWN: changed.TDAWN}
	ids := map[event.Database]map[string]bool{}
	mark := func(db event.Database, id string) {
		if ids[db] == nil {
			ids[db] = map[string]bool{}
		}
		ids[db][id] = true
	}
	for i := range only.Documents {
		mark(event.DBSLTD, only.Documents[i].ID)
	}
	for i := range only.Notices {
		mark(event.DBNotices, only.Notices[i].ID)
	}
	for i := range only.Nominals {
		mark(event.DBNominals, only.Nominals[i].ID)
	}
	for i := range only.TDAWN {
		mark(event.DBTDAWN, only.TDAWN[i].ID)
	}
	mini := index.Build(snap.Version, only)

	// The buckets' slice headers, not their records: Remember only appends past these
	// lengths (or replaces a full bucket's backing array), so what they show stays valid.
	s.mu.Lock()
	buckets := slices.Clone(s.buckets)
	s.mu.Unlock()

	now := s.cfg.Now().UTC()
	seen := map[string]bool{} // hit ids raised by this change
	var alerts []event.Alert
	travellers := 0
	for _, b := range buckets {
		travellers += len(b.recs)
		alerts = s.screenBucket(b.recs, mini, prev, snap, ids, seen, now, alerts)
	}
	s.log.Debug("retro-screened", zap.Int("travellers", travellers), zap.Int("alerts", len(alerts)), zap.Duration("took", time.Since(start)))
	return alerts
}

// screenBucket appends the retro alerts of one bucket's travellers.
func (s *Screener) screenBucket(recs []string, mini, prev, snap *index.Snapshot, ids map[event.Database]map[string]bool,
	seen map[string]bool, now time.Time, alerts []event.Alert) []event.Alert {
	for _, rec := range recs {
		sub, ctx, err := packed.UnpackTraveller(rec)
		if err != nil {
			continue // packed by this process: cannot happen
		}
		if len(s.candidates.Screen(mini, &sub)) == 0 {
			continue
		}
		var before []event.Hit
		if prev != nil {
			before = s.live.Screen(prev, &sub)
		}
		for _, h := range s.live.Screen(snap, &sub) {
			if !ids[h.Database][h.RecordID] || seen[h.ID] || hadHit(before, h) {
				continue
			}
			seen[h.ID] = true
			alerts = append(alerts, event.Alert{Hit: h, Subject: sub, Context: ctx, RaisedAt: now, Retro: true})
		}
	}
	return alerts
}

func hadHit(before []event.Hit, h event.Hit) bool {
	return slices.ContainsFunc(before, func(b event.Hit) bool { return b.Database == h.Database && b.RecordID == h.RecordID })
}
