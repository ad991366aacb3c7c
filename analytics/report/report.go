package report

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/watchpost/watchpost/analytics/operations"
	"github.com/watchpost/watchpost/analytics/queries"
)

// Report is an operation's results next to the period of the same length before it.
type Report struct {
	Operation   operations.Operation
	GeneratedAt time.Time               // when Build ran, UTC
	Current     Period                  // the operation's window
	Previous    Period                  // the same length immediately before, same posts and countries
	Posts       []operations.BorderPost // known border posts, for their names
}

// InProgress reports whether the operation had not ended when the report was built.
func (r *Report) InProgress() bool { return r.GeneratedAt.Before(r.Operation.End) }

// Period holds the numbers of one window. Every count is of distinct ids.
type Period struct {
	Scope          queries.Scope
	ScreenedByKind map[string]uint64 // person, vehicle, vessel, firearm
	HitsByDatabase []queries.DatabaseHits
	ByPost         []queries.PostCounts
	ByDay          []queries.DayCounts
	Outcomes       []queries.DatabaseOutcomes
	Latency        queries.Latency
}

// Screened is the number of subjects screened, of every kind.
func (p *Period) Screened() uint64 {
	var n uint64
	for _, v := range p.ScreenedByKind {
		n += v
	}
	return n
}

// Travellers is the number of persons screened.
func (p *Period) Travellers() uint64 { return p.ScreenedByKind["person"] }

// Hits is the number of hits, every database (each hit belongs to one database).
func (p *Period) Hits() uint64 {
	var n uint64
	for _, d := range p.HitsByDatabase {
		n += d.Hits
	}
	return n
}

// SubjectsHit is the number of subjects with at least one hit (each subject belongs to one
// border post, so the posts' counts add up).
func (p *Period) SubjectsHit() uint64 {
	var n uint64
	for _, b := range p.ByPost {
		n += b.Subjects
	}
	return n
}

// HitRate is subjects hit per subject screened; ok is false when nobody was screened.
func (p *Period) HitRate() (rate float64, ok bool) {
	if s := p.Screened(); s > 0 {
		return float64(p.SubjectsHit()) / float64(s), true
	}
	return 0, false
}

// Decisions totals the latest decisions on the period's hits.
func (p *Period) Decisions() (confirmed, dismissed, undecided uint64) {
	for _, o := range p.Outcomes {
		confirmed += o.Confirmed
		dismissed += o.Dismissed
		undecided += o.Undecided()
	}
	return confirmed, dismissed, undecided
}

// ConfirmationRate is confirmed / (confirmed + dismissed); ok is false when no hit was
// decided.
func (p *Period) ConfirmationRate() (rate float64, ok bool) {
	c, d, _ := p.Decisions()
	if c+d == 0 {
		return 0, false
	}
	return float64(c) / float64(c+d), true
}

// Build loads the report of op: its window and the period before it, each with every query
// of the report. now is recorded as the generation time.
func Build(ctx context.Context, conn driver.Conn, op operations.Operation, now time.Time) (Report, error) {
	r := Report{Operation: op, GeneratedAt: now.UTC().Truncate(time.Second)}
	posts, err := operations.ListPosts(ctx, conn)
	if err != nil {
		return Report{}, err
	}
	r.Posts = posts
	var (
		wg         sync.WaitGroup
		errs       [2]error
		cur, prev  = op.Scope(), op.Previous()
		curP, preP Period
	)
	wg.Go(func() { curP, errs[0] = loadPeriod(ctx, conn, cur) })
	wg.Go(func() { preP, errs[1] = loadPeriod(ctx, conn, prev) })
	wg.Wait()
	if errs[0] != nil {
		return Report{}, fmt.Errorf("building report of operation %s: %w", op.ID, errs[0])
	}
	if errs[1] != nil {
		return Report{}, fmt.Errorf("building report of the period before operation %s: %w", op.ID, errs[1])
	}
	r.Current, r.Previous = curP, preP
	return r, nil
}

func loadPeriod(ctx context.Context, conn driver.Conn, s queries.Scope) (Period, error) {
	p := Period{Scope: s}
	var err error
	if p.ScreenedByKind, err = queries.LoadScreenedByKind(ctx, conn, s); err != nil {
		return Period{}, err
	}
	if p.HitsByDatabase, err = queries.LoadHitsByDatabase(ctx, conn, s); err != nil {
		return Period{}, err
	}
	if p.ByPost, err = queries.LoadByPost(ctx, conn, s); err != nil {
		return Period{}, err
	}
	if p.ByDay, err = queries.LoadByDay(ctx, conn, s); err != nil {
		return Period{}, err
	}
	if p.Outcomes, err = queries.LoadOutcomes(ctx, conn, s); err != nil {
		return Period{}, err
	}
	if p.Latency, err = queries.LoadLatency(ctx, conn, s); err != nil {
		return Period{}, err
	}
	return p, nil
}
