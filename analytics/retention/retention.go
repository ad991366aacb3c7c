package retention

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/watchpost/watchpost/analytics/queries"
)

// Rule is the retention of one table. Ages are in whole months; 0 means never.
type Rule struct {
	Table string
	// DateColumn is the Date column whose month is the partition (toYYYYMM of it), used to
	// restrict a depersonalising rewrite to one partition.
	DateColumn string
	// DepersonaliseAfter is the age after which Blank columns are emptied.
	DepersonaliseAfter int
	// Blank lists the String columns emptied when depersonalising.
	Blank []string
	// DeleteAfter is the age after which the partition is dropped.
	DeleteAfter int
	// Why says what the rule is for, in the plan's output.
	Why string
}

// Keep reports whether the rule never acts.
func (r Rule) Keep() bool { return r.DepersonaliseAfter == 0 && r.DeleteAfter == 0 }

// Policy is the rules of every table of the schema.
type Policy []Rule

// Rule returns the rule of table, if there is one.
func (p Policy) Rule(table string) (Rule, bool) {
	for _, r := range p {
		if r.Table == table {
			return r, true
		}
	}
	return Rule{}, false
}

const (
	sixMonths  = 6
	fiveYears  = 60
	travelData = "travel details from API/PNR manifests"
)

// DefaultPolicy returns Watchpost's retention policy.
func DefaultPolicy() Policy {
	return Policy{
		{Table: "screenings", DateColumn: "screened_date", DepersonaliseAfter: sixMonths, DeleteAfter: fiveYears,
			Blank: []string{"nationality", "carrier", "flight", "departure", "arrival"}, Why: "screenings: " + travelData + " blanked after 6 months, deleted after 5 years"},
		{Table: "hits", DateColumn: "raised_date", DepersonaliseAfter: sixMonths, DeleteAfter: fiveYears,
			Blank: []string{"carrier", "flight"}, Why: "hits: " + travelData + " blanked after 6 months, deleted after 5 years"},
		{Table: "outcomes", DateColumn: "decided_date", DeleteAfter: fiveYears, Why: "decisions on hits: deleted after 5 years"},
		{Table: "audit", DateColumn: "at_date", DeleteAfter: fiveYears, Why: "audit trail: kept 5 years"},
		{Table: "screenings_hourly", DeleteAfter: fiveYears, Why: "aggregates: deleted with the rows they summarise"},
		{Table: "screenings_daily", DeleteAfter: fiveYears, Why: "aggregates: deleted with the rows they summarise"},
		{Table: "hits_hourly", DeleteAfter: fiveYears, Why: "aggregates: deleted with the rows they summarise"},
		{Table: "hits_daily", DeleteAfter: fiveYears, Why: "aggregates: deleted with the rows they summarise"},
		{Table: "hits_latency", DeleteAfter: fiveYears, Why: "aggregates: deleted with the rows they summarise"},
		{Table: "operations", Why: "reference data: kept"},
		{Table: "border_posts", Why: "reference data: kept"},
		{Table: "schema_migrations", Why: "schema record: kept"},
	}
}

// Kind is what an action does.
type Kind string

// The kinds of action.
const (
	Drop          Kind = "drop"
	Depersonalise Kind = "depersonalise"
)

// Action is one partition to drop or depersonalise.
type Action struct {
	Kind      Kind
	Table     string
	Partition string    // "202401"
	Month     time.Time // first day of the partition's month, UTC
	Rows      uint64    // rows in the partition's active parts when planned
	Rule      Rule
}

func (a Action) String() string {
	what := "older than " + months(a.Rule.DeleteAfter)
	if a.Kind == Depersonalise {
		what = "older than " + months(a.Rule.DepersonaliseAfter) + ": blank " + strings.Join(a.Rule.Blank, ", ")
	}
	return fmt.Sprintf("%-13s %-17s %s  %10d rows  %s", a.Kind, a.Table, a.Partition, a.Rows, what)
}

func months(n int) string {
	if n%12 == 0 {
		if n == 12 {
			return "1 year"
		}
		return strconv.Itoa(n/12) + " years"
	}
	return strconv.Itoa(n) + " months"
}

var monthPartition = regexp.MustCompile(`^(\d{4})(\d{2})$`)

// partitionMonth parses a toYYYYMM partition value.
func partitionMonth(p string) (time.Time, bool) {
	m := monthPartition.FindStringSubmatch(p)
	if m == nil {
		return time.Time{}, false
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	if mo < 1 || mo > 12 {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(mo), 1, 0, 0, 0, 0, time.UTC), true
}

// olderThan reports whether the whole month starting at month lies before now minus n
// months: its end (the next month's first instant) is at or before the cutoff.
func olderThan(month, now time.Time, n int) bool {
	return n > 0 && !month.AddDate(0, 1, 0).After(monthsBefore(now, n))
}

// monthsBefore is t (in UTC) n calendar months earlier, the day clamped to the length of
// that month: 6 months before 31 May is 30 November, where time.AddDate would overflow to
// 1 December and cut a day short.
func monthsBefore(t time.Time, n int) time.Time {
	t = t.UTC()
	first := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -n, 0)
	days := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(t.Day(), days)-1).Add(t.Sub(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)))
}

// decide returns the actions the policy calls for on parts, at now: drop when the month is
// older than DeleteAfter, else depersonalise when older than DepersonaliseAfter (whether the
// partition still needs it is Plan's to check). Tables without a rule, and partitions that
// are not months, are left alone.
func decide(policy Policy, parts []queries.Partition, now time.Time) []Action {
	var out []Action
	for _, p := range parts {
		rule, ok := policy.Rule(p.Table)
		if !ok || rule.Keep() {
			continue
		}
		month, ok := partitionMonth(p.Partition)
		if !ok {
			continue
		}
		a := Action{Table: p.Table, Partition: p.Partition, Month: month, Rows: p.Rows, Rule: rule}
		switch {
		case olderThan(month, now, rule.DeleteAfter):
			a.Kind = Drop
		case olderThan(month, now, rule.DepersonaliseAfter) && len(rule.Blank) > 0:
			a.Kind = Depersonalise
		default:
			continue
		}
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b Action) int {
		return strings.Compare(a.Table+"/"+a.Partition, b.Table+"/"+b.Partition)
	})
	return out
}

// Uncovered returns the tables of parts that have no rule in policy: a table added to the
// schema without saying how long it is kept.
func Uncovered(policy Policy, parts []queries.Partition) []string {
	var out []string
	for _, p := range parts {
		if _, ok := policy.Rule(p.Table); !ok && !slices.Contains(out, p.Table) {
			out = append(out, p.Table)
		}
	}
	slices.Sort(out)
	return out
}

// Plan returns the actions due at now under policy, ordered by table and partition. A
// partition whose Blank columns are all empty already is not planned for depersonalising.
// It fails when a table with partitions has no rule (see [Uncovered]).
func Plan(ctx context.Context, conn driver.Conn, policy Policy, now time.Time) ([]Action, error) {
	if err := policy.Validate(); err != nil {
		return nil, err
	}
	parts, err := queries.LoadPartitions(ctx, conn)
	if err != nil {
		return nil, err
	}
	if u := Uncovered(policy, parts); len(u) > 0 {
		return nil, fmt.Errorf("planning retention: no rule for table(s) %s", strings.Join(u, ", "))
	}
	var out []Action
	for _, a := range decide(policy, parts, now) {
		if a.Kind == Depersonalise {
			n, err := personalRows(ctx, conn, a)
			if err != nil {
				return nil, err
			}
			if n == 0 {
				continue
			}
		}
		out = append(out, a)
	}
	return out, nil
}

// Options tune Apply.
type Options struct {
	// MutationTimeout bounds the wait for one depersonalising rewrite. Default 30 minutes.
	MutationTimeout time.Duration
	// StatementTimeout bounds each statement. Default 30 seconds.
	StatementTimeout time.Duration
	// Poll is the interval between checks of a running rewrite. Default 200 ms.
	Poll time.Duration
	// OnAction, when set, is called after each action is carried out.
	OnAction func(Action)
}

func (o *Options) setDefaults() {
	if o.MutationTimeout == 0 {
		o.MutationTimeout = 30 * time.Minute
	}
	if o.StatementTimeout == 0 {
		o.StatementTimeout = 30 * time.Second
	}
	if o.Poll == 0 {
		o.Poll = 200 * time.Millisecond
	}
}

// Apply carries out actions in order: drops a partition, or rewrites it with its Blank
// columns emptied and waits until no row of it holds any of them. It stops at the first
// failure.
func Apply(ctx context.Context, conn driver.Conn, actions []Action, opts Options) error {
	opts.setDefaults()
	for _, a := range actions {
		// Only validated identifiers and month numbers are spliced into statements.
		if _, ok := partitionMonth(a.Partition); !ok || a.Table != a.Rule.Table {
			return fmt.Errorf("applying retention to %s: partition %q is not a month of the rule's table", a.Table, a.Partition)
		}
		if err := a.Rule.Validate(); err != nil {
			return fmt.Errorf("applying retention to %s: %w", a.Table, err)
		}
		var err error
		switch a.Kind {
		case Drop:
			err = exec(ctx, conn, opts.StatementTimeout, "ALTER TABLE "+a.Table+" DROP PARTITION "+a.Partition)
		case Depersonalise:
			err = depersonalise(ctx, conn, a, opts)
		default:
			err = fmt.Errorf("unknown action %q", a.Kind)
		}
		if err != nil {
			return fmt.Errorf("applying retention (%s %s %s): %w", a.Kind, a.Table, a.Partition, err)
		}
		if opts.OnAction != nil {
			opts.OnAction(a)
		}
	}
	return nil
}

var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// Validate reports every problem with the rule: the table and columns must be plain
// identifiers (they are spliced into statements), a depersonalising rule needs a date column
// and columns to blank, and ages must not be negative.
func (r Rule) Validate() error {
	var errs []error
	if !identifier.MatchString(r.Table) {
		errs = append(errs, errors.New("retention rule: table must be an identifier"))
	}
	if r.DepersonaliseAfter < 0 || r.DeleteAfter < 0 {
		errs = append(errs, fmt.Errorf("retention rule %s: ages must not be negative", r.Table))
	}
	if r.DepersonaliseAfter > 0 && (r.DateColumn == "" || len(r.Blank) == 0) {
		errs = append(errs, fmt.Errorf("retention rule %s: depersonalising needs a date column and columns to blank", r.Table))
	}
	for _, c := range append([]string{r.DateColumn}, r.Blank...) {
		if c != "" && !identifier.MatchString(c) {
			errs = append(errs, fmt.Errorf("retention rule %s: column names must be identifiers", r.Table))
			break
		}
	}
	return errors.Join(errs...)
}

// Validate reports every problem with every rule, and tables with two rules.
func (p Policy) Validate() error {
	var errs []error
	seen := map[string]bool{}
	for _, r := range p {
		if err := r.Validate(); err != nil {
			errs = append(errs, err)
		}
		if seen[r.Table] {
			errs = append(errs, fmt.Errorf("retention policy: table %s has two rules", r.Table))
		}
		seen[r.Table] = true
	}
	return errors.Join(errs...)
}

func exec(ctx context.Context, conn driver.Conn, timeout time.Duration, stmt string) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return conn.Exec(ctx, stmt)
}

// inPartition is the condition selecting the rows of a's partition.
func inPartition(a Action) string {
	return "toYYYYMM(" + a.Rule.DateColumn + ") = " + a.Partition
}

// anyPersonal is the condition of a row that still holds a value to blank.
func anyPersonal(a Action) string {
	conds := make([]string, len(a.Rule.Blank))
	for i, c := range a.Rule.Blank {
		conds[i] = c + " != ''"
	}
	return "(" + strings.Join(conds, " OR ") + ")"
}

// personalRows counts the rows of a's partition that still hold a value to blank.
func personalRows(ctx context.Context, conn driver.Conn, a Action) (uint64, error) {
	ctx, cancel := context.WithTimeout(ctx, queries.DefaultTimeout)
	defer cancel()
	var n uint64
	q := "SELECT count() FROM " + a.Table + " WHERE " + inPartition(a) + " AND " + anyPersonal(a)
	if err := conn.QueryRow(ctx, q).Scan(&n); err != nil {
		return 0, fmt.Errorf("counting rows to depersonalise in %s %s: %w", a.Table, a.Partition, err)
	}
	return n, nil
}

func depersonalise(ctx context.Context, conn driver.Conn, a Action, opts Options) error {
	if a.Rule.DateColumn == "" || len(a.Rule.Blank) == 0 {
		return errors.New("the rule names no date column or no column to blank")
	}
	sets := make([]string, len(a.Rule.Blank))
	for i, c := range a.Rule.Blank {
		sets[i] = c + " = ''"
	}
	stmt := "ALTER TABLE " + a.Table + " UPDATE " + strings.Join(sets, ", ") + " WHERE " + inPartition(a) + " AND " + anyPersonal(a)
	if err := exec(ctx, conn, opts.StatementTimeout, stmt); err != nil {
		return fmt.Errorf("starting the rewrite: %w", err)
	}
	deadline := time.Now().Add(opts.MutationTimeout)
	for {
		pending, err := pendingMutations(ctx, conn, a.Table)
		if err != nil {
			return err
		}
		if pending == 0 {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the rewrite has not finished after %v (see system.mutations)", opts.MutationTimeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(opts.Poll):
		}
	}
	n, err := personalRows(ctx, conn, a)
	if err != nil {
		return err
	}
	if n > 0 { // rows inserted into the old month while the rewrite ran: the next run blanks them
		return fmt.Errorf("%d rows still hold travel details after the rewrite", n)
	}
	return nil
}

func pendingMutations(ctx context.Context, conn driver.Conn, table string) (uint64, error) {
	ctx, cancel := context.WithTimeout(ctx, queries.DefaultTimeout)
	defer cancel()
	var n uint64
	err := conn.QueryRow(ctx, "SELECT count() FROM system.mutations WHERE database = currentDatabase() AND table = ? AND is_done = 0", table).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("checking the rewrite: %w", err)
	}
	return n, nil
}
