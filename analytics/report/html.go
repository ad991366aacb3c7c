package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"math"
)

//go:embed report.html.tmpl
var htmlTemplate string

var page = template.Must(template.New("report").Parse(htmlTemplate))

type kpi struct {
	Key, Label, Cur, Prev, Change, Class string
}

type htmlDatabase struct {
	Database, Hits, PrevHits, Subjects, Confirmed, Dismissed, Undecided, Rate string
}

type htmlPost struct {
	Code, Name, Kind, Screened, Hits, Subjects, Rate string
}

type htmlDay struct {
	Day, Screened, Hits, Subjects string
}

type htmlCharts struct {
	Databases, Decisions, Posts, ScreenedDays, HitDays, Latency template.HTML
}

type htmlData struct {
	Title, Window, Before, Posts, Countries, Generated, LatencyHits string
	Op                                                              struct{ ID, Name, Kind string }
	InProgress                                                      bool
	KPIs                                                            []kpi
	Databases                                                       []htmlDatabase
	PostRows                                                        []htmlPost
	DayRows                                                         []htmlDay
	Charts                                                          htmlCharts
}

func countText(v float64) string { return formatCount(uint64(math.Round(v))) }

func msText(v float64) string { return formatCount(uint64(math.Round(v))) + " ms" }

// WriteHTML renders r as one self-contained HTML page: inline CSS, inline SVG charts, no
// script, and a Content-Security-Policy that forbids fetching anything.
func WriteHTML(w io.Writer, r *Report) error {
	op := &r.Operation
	d := htmlData{
		Title:       fmt.Sprintf("%s (%s) — Watchpost operation report", op.Name, op.ID),
		Window:      window(op.Start, op.End),
		Before:      window(r.Previous.Scope.Since, r.Previous.Scope.Until),
		Posts:       listOrEvery(op.BorderPosts, "every border post"),
		Countries:   listOrEvery(op.Countries, "every country"),
		Generated:   r.GeneratedAt.Format(timeLayout),
		InProgress:  r.InProgress(),
		LatencyHits: formatCount(r.Current.Latency.Hits),
	}
	d.Op.ID, d.Op.Name, d.Op.Kind = op.ID, op.Name, string(op.Kind)
	for _, m := range r.metrics() {
		class := "flat"
		if ch, ok := m.change(); ok && ch > 0 {
			class = "up"
		} else if ok && ch < 0 {
			class = "down"
		}
		d.KPIs = append(d.KPIs, kpi{Key: m.Key, Label: m.Label, Cur: m.cur(), Prev: m.prev(), Change: m.changeText(), Class: class})
	}

	rows := r.databaseRows()
	var (
		dbLabels        []string
		dbCur, dbPrev   []float64
		conf, dis, undc uint64
	)
	for _, x := range rows {
		d.Databases = append(d.Databases, htmlDatabase{
			Database: x.Database, Hits: formatCount(x.Hits), PrevHits: formatCount(x.PrevHits), Subjects: formatCount(x.Subjects),
			Confirmed: formatCount(x.Confirmed), Dismissed: formatCount(x.Dismissed), Undecided: formatCount(x.Undecided),
			Rate: formatRatio(x.Confirmed, x.Confirmed+x.Dismissed, 1),
		})
		dbLabels = append(dbLabels, x.Database)
		dbCur = append(dbCur, float64(x.Hits))
		dbPrev = append(dbPrev, float64(x.PrevHits))
		conf, dis, undc = conf+x.Confirmed, dis+x.Dismissed, undc+x.Undecided
	}
	d.Charts.Databases = hbars("chart-hits-by-database", "Hits per database, operation and period before", dbLabels,
		[]series{{Name: "operation", Colour: colourOperation, Values: dbCur}, {Name: "before", Colour: colourBefore, Values: dbPrev}}, countText)
	d.Charts.Decisions = stack("chart-decisions", "Decisions on the operation's hits", []segment{
		{Name: "confirmed", Colour: colourConfirmed, Value: float64(conf)},
		{Name: "dismissed", Colour: colourDismissed, Value: float64(dis)},
		{Name: "undecided", Colour: colourUndecided, Value: float64(undc)},
	}, countText)

	var (
		postLabels []string
		postHits   []float64
	)
	for _, p := range r.Current.ByPost {
		name, kind := r.postInfo(p.BorderPost)
		d.PostRows = append(d.PostRows, htmlPost{
			Code: p.BorderPost, Name: name, Kind: kind, Screened: formatCount(p.Screened), Hits: formatCount(p.Hits),
			Subjects: formatCount(p.Subjects), Rate: formatRatio(p.Subjects, p.Screened, 3),
		})
		label := p.BorderPost
		if name != "" {
			label += " " + name
		}
		postLabels = append(postLabels, label)
		postHits = append(postHits, float64(p.Hits))
	}
	d.Charts.Posts = hbars("chart-hits-by-post", "Hits per border post", postLabels,
		[]series{{Name: "hits", Colour: colourOperation, Values: postHits}}, countText)

	var (
		dayLabels          []string
		dayScreened, dHits []float64
	)
	for _, x := range r.Current.ByDay {
		day := x.Day.UTC().Format(dayLayout)
		d.DayRows = append(d.DayRows, htmlDay{Day: day, Screened: formatCount(x.Screened), Hits: formatCount(x.Hits), Subjects: formatCount(x.Subjects)})
		dayLabels = append(dayLabels, day)
		dayScreened = append(dayScreened, float64(x.Screened))
		dHits = append(dHits, float64(x.Hits))
	}
	d.Charts.ScreenedDays = columns("chart-screened-by-day", "Subjects screened per day", dayLabels,
		series{Name: "screened", Colour: colourScreened, Values: dayScreened}, countText)
	d.Charts.HitDays = columns("chart-hits-by-day", "Hits per day", dayLabels,
		series{Name: "hits", Colour: colourOperation, Values: dHits}, countText)

	cl, pl := r.Current.Latency, r.Previous.Latency
	if cl.Hits > 0 || pl.Hits > 0 {
		d.Charts.Latency = hbars("chart-latency", "Alert latency percentiles in milliseconds, operation and period before",
			[]string{"p50", "p90", "p99", "max"}, []series{
				{Name: "operation", Colour: colourOperation, Values: []float64{cl.P50MS, cl.P90MS, cl.P99MS, float64(cl.MaxMS)}},
				{Name: "before", Colour: colourBefore, Values: []float64{pl.P50MS, pl.P90MS, pl.P99MS, float64(pl.MaxMS)}},
			}, msText)
	} else {
		d.Charts.Latency = empty("chart-latency", "Alert latency percentiles")
	}
	if err := page.Execute(w, d); err != nil {
		return fmt.Errorf("writing report as HTML: %w", err)
	}
	return nil
}
