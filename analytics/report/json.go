package report

import (
	"encoding/json"
	"fmt"
	"io"
	"time"
)

type jsonReport struct {
	Operation   jsonOperation `json:"operation"`
	GeneratedAt time.Time     `json:"generated_at"`
	InProgress  bool          `json:"in_progress"`
	Current     jsonPeriod    `json:"current"`
	Previous    jsonPeriod    `json:"previous"`
	Comparison  []jsonMetric  `json:"comparison"`
}

type jsonOperation struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Kind        string    `json:"kind"`
	Start       time.Time `json:"start"`
	End         time.Time `json:"end"`
	BorderPosts []string  `json:"border_posts"`
	Countries   []string  `json:"countries"`
}

type jsonPeriod struct {
	Since              time.Time         `json:"since"`
	Until              time.Time         `json:"until"`
	SubjectsScreened   uint64            `json:"subjects_screened"`
	TravellersScreened uint64            `json:"travellers_screened"`
	ScreenedByKind     map[string]uint64 `json:"screened_by_kind"`
	Hits               uint64            `json:"hits"`
	SubjectsHit        uint64            `json:"subjects_hit"`
	HitRate            *float64          `json:"hit_rate"`
	HitsByDatabase     []jsonDatabase    `json:"hits_by_database"`
	ByBorderPost       []jsonPost        `json:"by_border_post"`
	ByDay              []jsonDay         `json:"by_day"`
	Outcomes           jsonOutcomes      `json:"outcomes"`
	LatencyMS          jsonLatency       `json:"latency_ms"`
}

type jsonDatabase struct {
	Database  string `json:"database"`
	Hits      uint64 `json:"hits"`
	Subjects  uint64 `json:"subjects"`
	Confirmed uint64 `json:"confirmed"`
	Dismissed uint64 `json:"dismissed"`
	Undecided uint64 `json:"undecided"`
}

type jsonPost struct {
	BorderPost string `json:"border_post"`
	Name       string `json:"name,omitempty"`
	Kind       string `json:"kind,omitempty"`
	Screened   uint64 `json:"screened"`
	Hits       uint64 `json:"hits"`
	Subjects   uint64 `json:"subjects_hit"`
}

type jsonDay struct {
	Day      string `json:"day"`
	Screened uint64 `json:"screened"`
	Hits     uint64 `json:"hits"`
	Subjects uint64 `json:"subjects_hit"`
}

type jsonOutcomes struct {
	Confirmed        uint64   `json:"confirmed"`
	Dismissed        uint64   `json:"dismissed"`
	Undecided        uint64   `json:"undecided"`
	ConfirmationRate *float64 `json:"confirmation_rate"`
}

type jsonLatency struct {
	Hits uint64   `json:"hits"`
	P50  *float64 `json:"p50"`
	P90  *float64 `json:"p90"`
	P99  *float64 `json:"p99"`
	Max  *int64   `json:"max"`
}

type jsonMetric struct {
	Metric   string   `json:"metric"`
	Current  *float64 `json:"current"`
	Previous *float64 `json:"previous"`
	Change   *float64 `json:"change"`
	// ChangeUnit is "percent" (relative to the previous value) or "points" (percentage
	// points, for rates shown in percent).
	ChangeUnit string `json:"change_unit"`
}

func opt(v float64, ok bool) *float64 {
	if !ok {
		return nil
	}
	return &v
}

func period(r *Report, p *Period) jsonPeriod {
	rate, rateOK := p.HitRate()
	conf, confOK := p.ConfirmationRate()
	c, d, u := p.Decisions()
	out := jsonPeriod{
		Since: p.Scope.Since.UTC(), Until: p.Scope.Until.UTC(),
		SubjectsScreened: p.Screened(), TravellersScreened: p.Travellers(), ScreenedByKind: p.ScreenedByKind,
		Hits: p.Hits(), SubjectsHit: p.SubjectsHit(), HitRate: opt(rate, rateOK),
		HitsByDatabase: []jsonDatabase{}, ByBorderPost: []jsonPost{}, ByDay: []jsonDay{},
		Outcomes:  jsonOutcomes{Confirmed: c, Dismissed: d, Undecided: u, ConfirmationRate: opt(conf, confOK)},
		LatencyMS: jsonLatency{Hits: p.Latency.Hits},
	}
	if out.ScreenedByKind == nil {
		out.ScreenedByKind = map[string]uint64{}
	}
	decided := map[string][3]uint64{}
	for _, o := range p.Outcomes {
		decided[o.Database] = [3]uint64{o.Confirmed, o.Dismissed, o.Undecided()}
	}
	for _, h := range p.HitsByDatabase {
		dec := decided[h.Database]
		out.HitsByDatabase = append(out.HitsByDatabase, jsonDatabase{
			Database: h.Database, Hits: h.Hits, Subjects: h.Subjects, Confirmed: dec[0], Dismissed: dec[1], Undecided: dec[2],
		})
	}
	for _, b := range p.ByPost {
		name, kind := r.postInfo(b.BorderPost)
		out.ByBorderPost = append(out.ByBorderPost, jsonPost{BorderPost: b.BorderPost, Name: name, Kind: kind, Screened: b.Screened, Hits: b.Hits, Subjects: b.Subjects})
	}
	for _, d := range p.ByDay {
		out.ByDay = append(out.ByDay, jsonDay{Day: d.Day.UTC().Format(dayLayout), Screened: d.Screened, Hits: d.Hits, Subjects: d.Subjects})
	}
	if l := p.Latency; l.Hits > 0 {
		out.LatencyMS.P50, out.LatencyMS.P90, out.LatencyMS.P99 = opt(l.P50MS, true), opt(l.P90MS, true), opt(l.P99MS, true)
		maxMS := l.MaxMS
		out.LatencyMS.Max = &maxMS
	}
	return out
}

// WriteJSON renders r as one indented JSON object (snake_case names, RFC 3339 times in UTC,
// YYYY-MM-DD days; a value that does not exist, such as a rate over nothing, is null).
func WriteJSON(w io.Writer, r *Report) error {
	op := r.Operation
	out := jsonReport{
		Operation: jsonOperation{
			ID: op.ID, Name: op.Name, Kind: string(op.Kind), Start: op.Start.UTC(), End: op.End.UTC(),
			BorderPosts: nonNil(op.BorderPosts), Countries: nonNil(op.Countries),
		},
		GeneratedAt: r.GeneratedAt.UTC(),
		InProgress:  r.InProgress(),
		Current:     period(r, &r.Current),
		Previous:    period(r, &r.Previous),
	}
	for _, m := range r.metrics() {
		ch, ok := m.change()
		unit := "percent"
		if m.Unit == percent {
			unit = "points"
		}
		out.Comparison = append(out.Comparison, jsonMetric{
			Metric: m.Key, Current: opt(m.Cur, m.CurOK), Previous: opt(m.Prev, m.PrevOK), Change: opt(ch, ok), ChangeUnit: unit,
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("writing report as JSON: %w", err)
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
