package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/watchpost/watchpost/analytics/sink"
	"github.com/watchpost/watchpost/internal/demo"
	"github.com/watchpost/watchpost/internal/gen"
	"github.com/watchpost/watchpost/internal/obs"
	"github.com/watchpost/watchpost/pipeline/event"
)

func runDemo(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	cfg := gen.DefaultConfig()
	fs.Int64Var(&cfg.Seed, "seed", cfg.Seed, "random seed of the generated data")
	fs.IntVar(&cfg.Manifests, "manifests", cfg.Manifests, "manifests to push")
	fs.IntVar(&cfg.Documents, "documents", cfg.Documents, "SLTD records to load")
	fs.IntVar(&cfg.Notices, "notices", cfg.Notices, "person notices to load")
	ch := fs.String("clickhouse", os.Getenv("WATCHPOST_CLICKHOUSE"), "ClickHouse native address (env WATCHPOST_CLICKHOUSE); empty runs without analytics")
	chDB := fs.String("database", envOr("WATCHPOST_CLICKHOUSE_DB", "watchpost"), "ClickHouse database")
	quiet := fs.Bool("quiet", false, "print only the summary, not every alert")
	timeout := fs.Duration("timeout", 2*time.Minute, "give up after this long")
	logLevel := fs.String("log-level", envOr("WATCHPOST_LOG_LEVEL", "warn"), "log level (logs go to stderr)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log, err := obs.NewLogger(*logLevel, true)
	if err != nil {
		return err
	}
	defer func() { _ = log.Sync() }()
	out := os.Stdout
	opts := demo.Options{
		Gen: cfg, Timeout: *timeout, Logger: log,
		OnStage: func(msg string) { fmt.Fprintf(out, "· %s\n", msg) },
	}
	if !*quiet {
		opts.OnAlert = func(a *event.Alert) { printAlert(out, a) }
	}
	if *ch != "" {
		opts.ClickHouse = &sink.Config{Addr: *ch, Database: *chDB}
	} else {
		fmt.Fprintln(out, "· no ClickHouse address (WATCHPOST_CLICKHOUSE): running without analytics")
	}
	rep, err := demo.Run(ctx, opts)
	if err != nil {
		return err
	}
	printSummary(out, rep)
	return nil
}

var dbTitle = map[event.Database]string{
	event.DBSLTD: "SLTD (stolen/lost travel documents)", event.DBNotices: "Notices", event.DBNominals: "Nominal data",
	event.DBTDAWN: "TDAWN", event.DBVehicles: "Stolen vehicles", event.DBVessels: "Stolen vessels", event.DBFirearms: "Firearms",
}

// printAlert renders an alert as a control-room officer reads it. This is the product's
// output to an authorised officer, on stdout; logs (stderr) never carry these fields.
func printAlert(w io.Writer, a *event.Alert) {
	h := &a.Hit
	fmt.Fprintf(w, "\n▌ALERT %-8s %s  score %.2f\n", strings.ToUpper(h.Severity), dbTitle[h.Database], h.Score)
	if p := a.Subject.Person; p != nil {
		fmt.Fprintf(w, "  Traveller  %s, %s  born %s  %s  sex %s  (%s)\n", p.Surname, p.GivenNames, orDash(p.BirthDate.String()), orDash(p.Nationality), orDash(p.Sex), a.Subject.Role)
		for _, d := range p.Documents {
			fmt.Fprintf(w, "  Document   %s %s issued by %s, expires %s\n", docType(d.Type), d.Number, d.Issuer, orDash(d.Expiry.String()))
		}
	}
	c := &a.Context
	fmt.Fprintf(w, "  Flight     %s %s → %s  departs %s  border post %s (%s)\n", c.Flight, orDash(c.Departure), orDash(c.Arrival), c.DepartureAt.UTC().Format("2006-01-02 15:04Z"), orDash(c.BorderPost), c.Country)
	fmt.Fprintf(w, "  Record     %s %s, owner %s, snapshot %d\n", h.Database, h.RecordID, orDash(h.Owner), h.SnapshotVersion)
	fmt.Fprintf(w, "  Action     %s\n", h.Action)
	var why []string
	for _, r := range h.Reasons {
		s := fmt.Sprintf("%s %s", strings.ReplaceAll(r.Field, "_", " "), r.Match)
		if r.Detail != "" {
			s += " (" + r.Detail + ")"
		}
		why = append(why, s)
	}
	fmt.Fprintf(w, "  Why        %s\n", strings.Join(why, "; "))
}

func docType(t string) string {
	switch {
	case strings.HasPrefix(t, "P"):
		return "passport"
	case strings.HasPrefix(t, "I"), strings.HasPrefix(t, "A"), strings.HasPrefix(t, "C"):
		return "identity card"
	case strings.HasPrefix(t, "V"):
		return "visa"
	default:
		return "document " + t
	}
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func printSummary(w io.Writer, rep *demo.Report) {
	fmt.Fprintf(w, "\n══ Summary ══════════════════════════════════════════════\n")
	fmt.Fprintf(w, "manifests %d, travellers %d, screenings read %d, alerts %d, dead letters %d\n",
		len(rep.Dataset.Manifests), rep.Travellers, rep.Screenings, len(rep.Alerts), rep.DeadLetters)
	if s := rep.ScreenTime.Seconds(); s > 0 {
		fmt.Fprintf(w, "screened in %.2fs after the manifests were produced (%.0f travellers/s, end to end through Kafka)\n", s, float64(rep.Travellers)/s)
	}
	// Compare with what the generator planted: every planted hit found, nothing else.
	type key struct {
		subject, record string
		db              event.Database
	}
	planted := map[key]string{}
	for _, p := range rep.Dataset.Planted {
		planted[key{p.SubjectID, p.RecordID, p.Database}] = p.Variation
	}
	found, unexpected := 0, 0
	seen := map[key]bool{}
	for _, a := range rep.Alerts {
		k := key{a.Hit.SubjectID, a.Hit.RecordID, a.Hit.Database}
		if seen[k] {
			continue
		}
		seen[k] = true
		if _, ok := planted[k]; ok {
			found++
		} else {
			unexpected++
		}
	}
	fmt.Fprintf(w, "planted hits %d: found %d, missed %d; alerts not planted %d; near misses planted %d\n",
		len(planted), found, len(planted)-found, unexpected, len(rep.Dataset.NearMisses))
	missedBy := map[string]int{}
	for k, v := range planted {
		if !seen[k] {
			missedBy[v]++
		}
	}
	for _, v := range slices.Sorted(maps.Keys(missedBy)) {
		fmt.Fprintf(w, "  missed %-14s %d\n", v, missedBy[v])
	}
	if a := rep.Analytics; a != nil {
		fmt.Fprintf(w, "\nfrom ClickHouse (de-duplicated):\n  travellers screened %d\n  hits %d\n", a.Screened, a.Hits)
		dbs := slices.SortedFunc(maps.Keys(a.HitsByDatabase), func(x, y string) int { return cmp.Compare(a.HitsByDatabase[y], a.HitsByDatabase[x]) })
		for _, db := range dbs {
			fmt.Fprintf(w, "    %-10s %d\n", db, a.HitsByDatabase[db])
		}
	} else {
		fmt.Fprintln(w, "\n(no analytics: ClickHouse was not available)")
	}
	fmt.Fprintf(w, "done in %s\n", rep.Elapsed.Round(time.Millisecond))
}
