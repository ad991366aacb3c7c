package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/watchpost/watchpost/analytics/operations"
	"github.com/watchpost/watchpost/analytics/report"
	"github.com/watchpost/watchpost/analytics/retention"
	"github.com/watchpost/watchpost/analytics/sink"
)

// analyticsFlags are the flags of the analysts' commands (ops, report, retention).
type analyticsFlags struct {
	cfg sink.Config
}

func (c *analyticsFlags) registerAnalytics(fs *flag.FlagSet) {
	fs.StringVar(&c.cfg.Addr, "clickhouse", envOr("WATCHPOST_CLICKHOUSE", "127.0.0.1:9000"), "ClickHouse native-protocol address (env WATCHPOST_CLICKHOUSE)")
	fs.StringVar(&c.cfg.Database, "database", envOr("WATCHPOST_CLICKHOUSE_DB", "watchpost"), "ClickHouse database (env WATCHPOST_CLICKHOUSE_DB)")
	fs.DurationVar(&c.cfg.QueryTimeout, "timeout", 2*time.Minute, "deadline of each ClickHouse call")
}

// open connects to ClickHouse, creating the database and applying migrations when needed.
func (c *analyticsFlags) open(ctx context.Context) (*sink.Sink, error) {
	c.cfg.Username = envOr("WATCHPOST_CLICKHOUSE_USER", "default")
	c.cfg.Password = os.Getenv("WATCHPOST_CLICKHOUSE_PASSWORD")
	return sink.Open(ctx, c.cfg)
}

// parseTime accepts RFC 3339, "YYYY-MM-DDTHH:MM" (UTC) or "YYYY-MM-DD" (midnight UTC).
func parseUTC(flagName, s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("--%s: want YYYY-MM-DD, YYYY-MM-DDTHH:MM (UTC) or RFC 3339", flagName)
}

func checkOutputFormat(format string, allowed ...string) error {
	for _, a := range allowed {
		if format == a {
			return nil
		}
	}
	return fmt.Errorf("--format: want %s", strings.Join(allowed, ", "))
}

// runOps implements `watchpost ops create|list|posts`.
func runOps(ctx context.Context, args []string) error {
	const usage = "usage: watchpost ops create --name N --kind stop|major_event --start T --end T [--posts CDG,ORY] [--countries FRA] | ops list | ops posts add --code C --country CCC --kind airport|seaport|land --name N | ops posts list"
	if len(args) == 0 {
		return errors.New(usage)
	}
	switch args[0] {
	case "create":
		return opsCreate(ctx, args[1:])
	case "list":
		return opsList(ctx, args[1:])
	case "posts":
		if len(args) > 1 && args[1] == "add" {
			return postsAdd(ctx, args[2:])
		}
		if len(args) > 1 && args[1] == "list" {
			return postsList(ctx, args[2:])
		}
	}
	return errors.New(usage)
}

func opsCreate(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("ops create", flag.ContinueOnError)
	var cf analyticsFlags
	cf.registerAnalytics(fs)
	id := fs.String("id", "", "operation id (lower-case letters, digits, _ and -); default: derived from the definition, so creating the same operation twice is a no-op")
	name := fs.String("name", "", "operation name (required)")
	kind := fs.String("kind", "", "stop or major_event (required)")
	start := fs.String("start", "", "start of the window, UTC: YYYY-MM-DD, YYYY-MM-DDTHH:MM or RFC 3339 (required)")
	end := fs.String("end", "", "end of the window, exclusive (required)")
	posts := fs.String("posts", "", "border post codes, comma-separated; empty means every post")
	countries := fs.String("countries", "", "ISO 3166 alpha-3 country codes, comma-separated; empty means every country")
	format := fs.String("format", "text", "output: text or json")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := checkOutputFormat(*format, "text", "json"); err != nil {
		return err
	}
	var errs []error
	if *name == "" {
		errs = append(errs, errors.New("--name is required"))
	}
	startT, err := parseUTC("start", *start)
	if err != nil {
		errs = append(errs, err)
	}
	endT, err := parseUTC("end", *end)
	if err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	op := operations.Operation{
		ID: *id, Name: *name, Kind: operations.Kind(*kind), Start: startT, End: endT,
		BorderPosts: splitList(*posts), Countries: splitList(*countries),
	}
	if err := checkOperation(op); err != nil {
		return err
	}
	s, err := cf.open(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = s.Close() }()
	created, err := operations.Create(ctx, s.Conn(), op)
	if err != nil {
		return err
	}
	if *format == "json" {
		return printJSON(os.Stdout, created)
	}
	fmt.Println(created.ID)
	return nil
}

// checkOperation validates op before any connection, with the id it will get.
func checkOperation(op operations.Operation) error {
	op = op.Normalize()
	if op.ID == "" {
		op.ID = operations.NewID(op)
	}
	return op.Validate()
}

func opsList(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("ops list", flag.ContinueOnError)
	var cf analyticsFlags
	cf.registerAnalytics(fs)
	format := fs.String("format", "text", "output: text or json")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := checkOutputFormat(*format, "text", "json"); err != nil {
		return err
	}
	s, err := cf.open(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = s.Close() }()
	ops, err := operations.List(ctx, s.Conn())
	if err != nil {
		return err
	}
	if *format == "json" {
		if ops == nil {
			ops = []operations.Operation{}
		}
		return printJSON(os.Stdout, ops)
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tSTART (UTC)\tEND (UTC)\tPOSTS\tCOUNTRIES\tNAME")
	for _, o := range ops {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", o.ID, o.Kind, o.Start.Format("2006-01-02 15:04"), o.End.Format("2006-01-02 15:04"),
			codesOrAll(o.BorderPosts), codesOrAll(o.Countries), o.Name)
	}
	return tw.Flush()
}

func codesOrAll(codes []string) string {
	if len(codes) == 0 {
		return "(all)"
	}
	return strings.Join(codes, ",")
}

func postsAdd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("ops posts add", flag.ContinueOnError)
	var cf analyticsFlags
	cf.registerAnalytics(fs)
	var p operations.BorderPost
	fs.StringVar(&p.Code, "code", "", "border post code as screenings carry it (IATA, UN/LOCODE)")
	fs.StringVar(&p.Country, "country", "", "ISO 3166 alpha-3")
	kind := fs.String("kind", "", "airport, seaport or land")
	fs.StringVar(&p.Name, "name", "", "the post's name")
	if err := fs.Parse(args); err != nil {
		return err
	}
	p.Kind = operations.PostKind(*kind)
	if err := p.Validate(); err != nil {
		return err
	}
	s, err := cf.open(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = s.Close() }()
	return operations.PutPosts(ctx, s.Conn(), []operations.BorderPost{p})
}

func postsList(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("ops posts list", flag.ContinueOnError)
	var cf analyticsFlags
	cf.registerAnalytics(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	s, err := cf.open(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = s.Close() }()
	posts, err := operations.ListPosts(ctx, s.Conn())
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CODE\tCOUNTRY\tKIND\tNAME")
	for _, p := range posts {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", p.Code, p.Country, p.Kind, p.Name)
	}
	return tw.Flush()
}

// runReport implements `watchpost report operation ID [--format text|json|html] [--out FILE]`.
func runReport(ctx context.Context, args []string) error {
	const usage = "usage: watchpost report operation ID [--format text|json|html] [--out FILE]"
	if len(args) < 2 || args[0] != "operation" || strings.HasPrefix(args[1], "-") {
		return errors.New(usage)
	}
	id := args[1]
	fs := flag.NewFlagSet("report operation", flag.ContinueOnError)
	var cf analyticsFlags
	cf.registerAnalytics(fs)
	format := fs.String("format", "text", "output: text, json or html (a self-contained page)")
	out := fs.String("out", "", "write to this file instead of stdout")
	if err := fs.Parse(args[2:]); err != nil {
		return err
	}
	if err := checkOutputFormat(*format, "text", "json", "html"); err != nil {
		return err
	}
	s, err := cf.open(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = s.Close() }()
	op, err := operations.Get(ctx, s.Conn(), id)
	if err != nil {
		return fmt.Errorf("reporting on operation %s: %w", id, err)
	}
	r, err := report.Build(ctx, s.Conn(), op, time.Now())
	if err != nil {
		return err
	}
	w := io.Writer(os.Stdout)
	var f *os.File
	if *out != "" {
		if f, err = os.Create(*out); err != nil {
			return fmt.Errorf("creating report file: %w", err)
		}
		w = f
	}
	switch *format {
	case "json":
		err = report.WriteJSON(w, &r)
	case "html":
		err = report.WriteHTML(w, &r)
	default:
		err = report.WriteText(w, &r)
	}
	if f != nil {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("closing report file: %w", cerr)
		}
	}
	return err
}

// runRetention implements `watchpost retention apply [--now T] [--dry-run]` and
// `watchpost retention policy`.
func runRetention(ctx context.Context, args []string) error {
	const usage = "usage: watchpost retention apply [--now T] [--dry-run] | retention policy"
	if len(args) == 0 {
		return errors.New(usage)
	}
	switch args[0] {
	case "policy":
		tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "TABLE\tDEPERSONALISE AFTER\tDELETE AFTER\tRULE")
		for _, r := range retention.DefaultPolicy() {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Table, retentionAge(r.DepersonaliseAfter), retentionAge(r.DeleteAfter), r.Why)
		}
		return tw.Flush()
	case "apply":
	default:
		return errors.New(usage)
	}
	fs := flag.NewFlagSet("retention apply", flag.ContinueOnError)
	var cf analyticsFlags
	cf.registerAnalytics(fs)
	nowFlag := fs.String("now", "", "act as if it were this time (UTC: YYYY-MM-DD, YYYY-MM-DDTHH:MM or RFC 3339); default: now")
	dryRun := fs.Bool("dry-run", false, "print what would be done, change nothing")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	now := time.Now().UTC()
	if *nowFlag != "" {
		t, err := parseUTC("now", *nowFlag)
		if err != nil {
			return err
		}
		now = t
	}
	s, err := cf.open(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = s.Close() }()
	plan, err := retention.Plan(ctx, s.Conn(), retention.DefaultPolicy(), now)
	if err != nil {
		return err
	}
	if len(plan) == 0 {
		fmt.Printf("retention at %s: nothing to do\n", now.Format(time.RFC3339))
		return nil
	}
	if *dryRun {
		fmt.Printf("retention at %s: would do %d actions (dry run, nothing changed)\n", now.Format(time.RFC3339), len(plan))
		for _, a := range plan {
			fmt.Println(a)
		}
		return nil
	}
	fmt.Printf("retention at %s: %d actions\n", now.Format(time.RFC3339), len(plan))
	return retention.Apply(ctx, s.Conn(), plan, retention.Options{OnAction: func(a retention.Action) { fmt.Println(a) }})
}

func retentionAge(n int) string {
	switch {
	case n == 0:
		return "never"
	case n%12 == 0:
		return fmt.Sprintf("%d years", n/12)
	default:
		return fmt.Sprintf("%d months", n)
	}
}

// printJSON writes v as indented JSON.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("writing JSON: %w", err)
	}
	return nil
}
