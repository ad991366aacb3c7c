package report

import (
	"fmt"
	"io"
	"sort"
	"text/tabwriter"
	"unicode/utf8"
)

// WriteText renders r as plain text: the operation, the comparison with the period before,
// then hits per database, per border post and per day.
func WriteText(w io.Writer, r *Report) error {
	ew := &errWriter{w: w}
	op := &r.Operation
	ew.printf("Operation %s — %s (%s)\n", op.ID, op.Name, op.Kind)
	ew.printf("Window      %s\n", window(op.Start, op.End))
	ew.printf("Before      %s\n", window(r.Previous.Scope.Since, r.Previous.Scope.Until))
	ew.printf("Posts       %s\n", listOrEvery(op.BorderPosts, "every border post"))
	ew.printf("Countries   %s\n", listOrEvery(op.Countries, "every country"))
	ew.printf("Generated   %s", r.GeneratedAt.Format(timeLayout))
	if r.InProgress() {
		ew.printf(" (operation in progress: numbers so far)")
	}
	ew.printf("\n\n")

	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', tabwriter.AlignRight)
	ms := r.metrics()
	width := 0
	for _, m := range ms {
		width = max(width, utf8.RuneCountInString(m.Label))
	}
	fmt.Fprintf(tw, "%-*s\toperation\tbefore\tchange\t\n", width, "")
	for _, m := range ms {
		fmt.Fprintf(tw, "%-*s\t%s\t%s\t%s\t\n", width, m.Label, m.cur(), m.prev(), m.changeText())
	}
	ew.check(tw.Flush())

	ew.printf("\nSubjects screened per kind\n")
	tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "kind\toperation\tbefore\t\n")
	for _, k := range kinds(r) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t\n", k, formatCount(r.Current.ScreenedByKind[k]), formatCount(r.Previous.ScreenedByKind[k]))
	}
	ew.check(tw.Flush())

	ew.printf("\nHits per database (decisions: latest per hit)\n")
	tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "database\thits\tbefore\tsubjects\tconfirmed\tdismissed\tundecided\tconfirmation rate\t\n")
	for _, d := range r.databaseRows() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", d.Database, formatCount(d.Hits), formatCount(d.PrevHits),
			formatCount(d.Subjects), formatCount(d.Confirmed), formatCount(d.Dismissed), formatCount(d.Undecided),
			formatRatio(d.Confirmed, d.Confirmed+d.Dismissed, 1))
	}
	ew.check(tw.Flush())

	ew.printf("\nPer border post\n")
	tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', tabwriter.AlignRight)
	nameWidth := len("name")
	for _, p := range r.Current.ByPost {
		name, _ := r.postInfo(p.BorderPost)
		nameWidth = max(nameWidth, utf8.RuneCountInString(name))
	}
	fmt.Fprintf(tw, "post\t%-*s\tscreened\thits\tsubjects hit\thit rate\t\n", nameWidth, "name")
	for _, p := range r.Current.ByPost {
		name, _ := r.postInfo(p.BorderPost)
		fmt.Fprintf(tw, "%s\t%-*s\t%s\t%s\t%s\t%s\t\n", p.BorderPost, nameWidth, name, formatCount(p.Screened), formatCount(p.Hits),
			formatCount(p.Subjects), formatRatio(p.Subjects, p.Screened, 3))
	}
	ew.check(tw.Flush())

	ew.printf("\nPer day of the event (UTC)\n")
	tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "day\tscreened\thits\tsubjects hit\t\n")
	for _, d := range r.Current.ByDay {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", d.Day.Format(dayLayout), formatCount(d.Screened), formatCount(d.Hits), formatCount(d.Subjects))
	}
	ew.check(tw.Flush())

	l := r.Current.Latency
	ew.printf("\nAlert latency (raised_at − event_time, %s hits with a known event time)\n", formatCount(l.Hits))
	if l.Hits > 0 {
		ew.printf("p50 %s ms   p90 %s ms   p99 %s ms   max %s ms\n", roundMS(l.P50MS), roundMS(l.P90MS), roundMS(l.P99MS), formatCount(uint64(max(0, l.MaxMS))))
	}
	return ew.err
}

func roundMS(f float64) string { return formatCount(uint64(max(0, f+0.5))) }

// kinds returns the subject kinds of either period, sorted.
func kinds(r *Report) []string {
	seen := map[string]bool{}
	for k := range r.Current.ScreenedByKind {
		seen[k] = true
	}
	for k := range r.Previous.ScreenedByKind {
		seen[k] = true
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// errWriter remembers the first write error, so rendering code can stay linear.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	if err != nil {
		e.err = fmt.Errorf("writing report: %w", err)
	}
	return n, e.err
}

func (e *errWriter) printf(format string, args ...any) { fmt.Fprintf(e, format, args...) }

func (e *errWriter) check(err error) {
	if err != nil && e.err == nil {
		e.err = fmt.Errorf("writing report: %w", err)
	}
}
