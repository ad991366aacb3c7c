package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// unit says how a metric is shown and how its change is computed.
type unit int

const (
	count   unit = iota // a number of things; change in percent
	per10k              // a rate shown per 10,000; change in percent
	percent             // a fraction shown in percent; change in percentage points
	millis              // a duration in milliseconds; change in percent
)

// metric is one line of the comparison between the operation and the period before.
type metric struct {
	Key       string // snake_case, for JSON and element ids
	Label     string
	Unit      unit
	Cur, Prev float64
	CurOK     bool // false when the value does not exist (a rate over nothing)
	PrevOK    bool
}

// metrics lists the comparison, in display order.
func (r *Report) metrics() []metric {
	c, p := &r.Current, &r.Previous
	cc, _, _ := c.Decisions()
	pc, _, _ := p.Decisions()
	cRate, cOK := c.HitRate()
	pRate, pOK := p.HitRate()
	cConf, cConfOK := c.ConfirmationRate()
	pConf, pConfOK := p.ConfirmationRate()
	lat := func(l float64, hits uint64) (float64, bool) { return l, hits > 0 }
	c50, c50ok := lat(c.Latency.P50MS, c.Latency.Hits)
	p50, p50ok := lat(p.Latency.P50MS, p.Latency.Hits)
	c90, c90ok := lat(c.Latency.P90MS, c.Latency.Hits)
	p90, p90ok := lat(p.Latency.P90MS, p.Latency.Hits)
	c99, c99ok := lat(c.Latency.P99MS, c.Latency.Hits)
	p99, p99ok := lat(p.Latency.P99MS, p.Latency.Hits)
	return []metric{
		{Key: "travellers_screened", Label: "Travellers screened", Unit: count, Cur: float64(c.Travellers()), Prev: float64(p.Travellers()), CurOK: true, PrevOK: true},
		{Key: "subjects_screened", Label: "Subjects screened (all kinds)", Unit: count, Cur: float64(c.Screened()), Prev: float64(p.Screened()), CurOK: true, PrevOK: true},
		{Key: "hits", Label: "Hits", Unit: count, Cur: float64(c.Hits()), Prev: float64(p.Hits()), CurOK: true, PrevOK: true},
		{Key: "subjects_hit", Label: "Subjects hit", Unit: count, Cur: float64(c.SubjectsHit()), Prev: float64(p.SubjectsHit()), CurOK: true, PrevOK: true},
		{Key: "hit_rate_per_10k", Label: "Subjects hit per 10,000 screened", Unit: per10k, Cur: cRate * 1e4, Prev: pRate * 1e4, CurOK: cOK, PrevOK: pOK},
		{Key: "confirmed", Label: "Hits confirmed", Unit: count, Cur: float64(cc), Prev: float64(pc), CurOK: true, PrevOK: true},
		{Key: "confirmation_rate", Label: "Confirmation rate", Unit: percent, Cur: cConf, Prev: pConf, CurOK: cConfOK, PrevOK: pConfOK},
		{Key: "latency_p50_ms", Label: "Alert latency p50", Unit: millis, Cur: c50, Prev: p50, CurOK: c50ok, PrevOK: p50ok},
		{Key: "latency_p90_ms", Label: "Alert latency p90", Unit: millis, Cur: c90, Prev: p90, CurOK: c90ok, PrevOK: p90ok},
		{Key: "latency_p99_ms", Label: "Alert latency p99", Unit: millis, Cur: c99, Prev: p99, CurOK: c99ok, PrevOK: p99ok},
	}
}

// change returns the change from Prev to Cur: in percent of Prev, or in percentage points
// for a percent metric. ok is false when it does not exist (a side is missing, or Prev is 0
// for a relative change).
func (m metric) change() (float64, bool) {
	if !m.CurOK || !m.PrevOK {
		return 0, false
	}
	if m.Unit == percent {
		return (m.Cur - m.Prev) * 100, true
	}
	if m.Prev == 0 {
		return 0, false
	}
	return (m.Cur - m.Prev) / m.Prev * 100, true
}

func (m metric) format(v float64, ok bool) string {
	if !ok {
		return "–"
	}
	switch m.Unit {
	case per10k:
		return strconv.FormatFloat(v, 'f', 2, 64)
	case percent:
		return strconv.FormatFloat(v*100, 'f', 1, 64) + "%"
	case millis:
		return formatCount(uint64(math.Round(v))) + " ms"
	default:
		return formatCount(uint64(math.Round(v)))
	}
}

func (m metric) cur() string  { return m.format(m.Cur, m.CurOK) }
func (m metric) prev() string { return m.format(m.Prev, m.PrevOK) }

// changeText is "+12.5%", "-3.0 pts", "new" (from nothing to something) or "–".
func (m metric) changeText() string {
	ch, ok := m.change()
	switch {
	case ok && m.Unit == percent:
		return signed(ch, 1) + " pts"
	case ok:
		return signed(ch, 1) + "%"
	case m.CurOK && m.PrevOK && m.Prev == 0 && m.Cur > 0:
		return "new"
	default:
		return "–"
	}
}

func signed(f float64, prec int) string {
	s := strconv.FormatFloat(f, 'f', prec, 64)
	if f >= 0 && !strings.HasPrefix(s, "-") {
		s = "+" + s
	}
	if s == "-0.0" || s == "+0.0" {
		s = "0.0"
	}
	return s
}

// formatCount writes n with thousands separators: 1234567 → "1,234,567".
func formatCount(n uint64) string {
	s := strconv.FormatUint(n, 10)
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	pre := len(s) % 3
	if pre > 0 {
		b.WriteString(s[:pre])
	}
	for i := pre; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

func formatRatio(num, den uint64, prec int) string {
	if den == 0 {
		return "–"
	}
	return strconv.FormatFloat(float64(num)/float64(den)*100, 'f', prec, 64) + "%"
}

const (
	dayLayout  = "2006-01-02"
	timeLayout = "2006-01-02 15:04 UTC"
)

// window describes [since, until): "2026-06-01 06:00 UTC → 2026-06-15 06:00 UTC (14 days)".
func window(since, until time.Time) string {
	return since.UTC().Format(timeLayout) + " → " + until.UTC().Format(timeLayout) + " (" + duration(until.Sub(since)) + ")"
}

func duration(d time.Duration) string {
	switch {
	case d%(24*time.Hour) == 0:
		n := int(d / (24 * time.Hour))
		return plural(n, "day")
	case d%time.Hour == 0:
		return plural(int(d/time.Hour), "hour")
	default:
		return d.String()
	}
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func listOrEvery(codes []string, every string) string {
	if len(codes) == 0 {
		return every
	}
	return strings.Join(codes, ", ")
}

// postInfo returns the name and kind of a border post, when known.
func (r *Report) postInfo(code string) (name, kind string) {
	for _, p := range r.Posts {
		if p.Code == code {
			return p.Name, string(p.Kind)
		}
	}
	return "", ""
}

// databaseRow joins a database's hits in both periods with its decisions.
type databaseRow struct {
	Database             string
	Hits, PrevHits       uint64
	Subjects             uint64
	Confirmed, Dismissed uint64
	Undecided            uint64
}

func (r *Report) databaseRows() []databaseRow {
	idx := map[string]int{}
	var rows []databaseRow
	get := func(db string) *databaseRow {
		i, ok := idx[db]
		if !ok {
			i = len(rows)
			idx[db] = i
			rows = append(rows, databaseRow{Database: db})
		}
		return &rows[i]
	}
	for _, d := range r.Current.HitsByDatabase {
		row := get(d.Database)
		row.Hits, row.Subjects = d.Hits, d.Subjects
	}
	for _, d := range r.Previous.HitsByDatabase {
		get(d.Database).PrevHits = d.Hits
	}
	for _, o := range r.Current.Outcomes {
		row := get(o.Database)
		row.Confirmed, row.Dismissed, row.Undecided = o.Confirmed, o.Dismissed, o.Undecided()
	}
	slices.SortFunc(rows, func(a, b databaseRow) int { return cmp.Compare(a.Database, b.Database) })
	return rows
}
