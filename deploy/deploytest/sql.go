package deploytest

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// sqlToken is one token of a dashboard query.
type sqlToken struct {
	text  string // identifier, keyword, punctuation, number, 'string' or $macro
	kind  byte   // 'i' identifier, 's' string literal, 'n' number, 'p' punctuation, 'm' macro or variable
	depth int    // parentheses enclosing the token
}

var sqlLex = regexp.MustCompile(`(?s)--[^\n]*|'(?:[^'\\]|\\.)*'|\$\{[^}]*\}|\$__\w+|\$\w+|[A-Za-z_][A-Za-z0-9_]*|` + "`[^`]*`" + `|"[^"]*"|\d+(?:\.\d+)?|\S`)

func lexSQL(sql string) []sqlToken {
	var out []sqlToken
	depth := 0
	for _, t := range sqlLex.FindAllString(sql, -1) {
		switch {
		case strings.HasPrefix(t, "--"):
			continue
		case t == "(":
			out = append(out, sqlToken{t, 'p', depth})
			depth++
			continue
		case t == ")":
			depth--
			out = append(out, sqlToken{t, 'p', depth})
			continue
		}
		k := byte('p')
		switch c := t[0]; {
		case c == '\'':
			k = 's'
		case c == '$':
			k = 'm'
		case c == '`' || c == '"':
			k, t = 'i', t[1:len(t)-1]
		case c >= '0' && c <= '9':
			k = 'n'
		case c == '_' || (c|0x20 >= 'a' && c|0x20 <= 'z'):
			k = 'i'
		}
		out = append(out, sqlToken{t, k, depth})
	}
	return out
}

var sqlKeywords = setOf("SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "GROUP", "BY", "ORDER", "ASC", "DESC",
	"AS", "LIMIT", "OFFSET", "ANY", "ALL", "LEFT", "RIGHT", "INNER", "OUTER", "FULL", "CROSS", "JOIN",
	"USING", "ON", "IN", "IS", "NULL", "DISTINCT", "HAVING", "CASE", "WHEN", "THEN", "ELSE", "END",
	"WITH", "INTERVAL", "SECOND", "MINUTE", "HOUR", "DAY", "WEEK", "MONTH", "QUARTER", "YEAR",
	"BETWEEN", "LIKE", "GLOBAL", "FINAL", "PREWHERE", "UNION", "SETTINGS", "TRUE", "FALSE")

// idempotent aggregates give the same result however often a row is repeated.
var idempotentAggregates = setOf("uniq", "uniqExact", "uniqCombined", "uniqCombined64", "uniqHLL12",
	"min", "max", "any", "anyLast", "argMin", "argMax", "groupUniqArray", "groupBitOr", "groupBitAnd")

// countingAggregates count every row, repeats included.
var countingAggregates = setOf("count", "sum", "avg", "quantile", "quantiles", "quantileExact",
	"quantileTDigest", "quantileTiming", "quantilesExact", "quantilesTDigest", "median", "groupArray",
	"topK", "stddevPop", "stddevSamp", "varPop", "varSamp", "sumWithOverflow", "corr", "covarPop")

// knownMacros are the ClickHouse data source's macros the dashboards may use.
var knownMacros = setOf("$__timeFilter", "$__dateFilter", "$__dateTimeFilter", "$__timeInterval",
	"$__interval_s", "$__conditionalAll", "$__fromTime", "$__toTime", "$__timeFilter_ms",
	"$__fromTime_ms", "$__toTime_ms", "$__timeInterval_ms")

func setOf(items ...string) map[string]bool {
	m := map[string]bool{}
	for _, s := range items {
		m[s] = true
	}
	return m
}

func aggregateName(fn string) string {
	for _, suffix := range []string{"If", "Merge", "State", "OrNull", "OrDefault"} {
		fn = strings.TrimSuffix(fn, suffix)
	}
	return fn
}

// CheckQuery checks one dashboard query against the DDL: every table it reads exists, every
// other identifier is a column of a table it reads, an alias it defines, a function, a
// keyword, a macro or a dashboard variable; kind literals are subject kinds; and every SELECT
// that reads a table directly counts each row's identity once (GROUP BY the identity, or only
// aggregates that repeats do not change), because ReplacingMergeTree merges duplicates
// eventually, not at once.
func (r *Repo) CheckQuery(sql string, variables map[string]bool) []error {
	toks := lexSQL(sql)
	var errs []error
	aliases := map[string]bool{}
	tables := map[string]*Table{}
	for i, t := range toks {
		if t.kind == 'i' && strings.EqualFold(t.text, "AS") && i+1 < len(toks) && toks[i+1].kind == 'i' {
			aliases[toks[i+1].text] = true
		}
	}
	tableAt := map[int]bool{}
	for i, t := range toks {
		if t.kind != 'i' || !(strings.EqualFold(t.text, "FROM") || strings.EqualFold(t.text, "JOIN")) || i+1 >= len(toks) {
			continue
		}
		j := i + 1
		if toks[j].kind != 'i' {
			continue // a subquery
		}
		name := toks[j].text
		if j+2 < len(toks) && toks[j+1].text == "." && toks[j+2].kind == 'i' {
			tableAt[j] = true
			j += 2
			name = toks[j].text
		}
		tableAt[j] = true
		tb := r.Tables[name]
		if tb == nil {
			errs = append(errs, fmt.Errorf("table %s is not in %s", name, DDLDir))
			continue
		}
		tables[name] = tb
		if err := checkDedup(toks, i, tb); err != nil {
			errs = append(errs, err)
		}
	}
	columns := map[string]bool{}
	for _, tb := range tables {
		for c := range tb.Columns {
			columns[c] = true
		}
	}
	for i, t := range toks {
		switch t.kind {
		case 'm':
			name := t.text
			if strings.HasPrefix(name, "${") {
				name = strings.TrimPrefix(name, "${")
				name, _, _ = strings.Cut(strings.TrimSuffix(name, "}"), ":")
				name = "$" + name
			}
			if strings.HasPrefix(name, "$__") {
				if !knownMacros[name] {
					errs = append(errs, fmt.Errorf("unknown macro %s", name))
				}
			} else if !variables[strings.TrimPrefix(name, "$")] {
				errs = append(errs, fmt.Errorf("variable %s is not defined in the dashboard", name))
			}
			continue
		case 's':
			// kind = 'x' must name a subject kind.
			if i >= 2 && toks[i-1].text == "=" && toks[i-2].text == "kind" && !r.SubjectKinds[strings.Trim(t.text, "'")] {
				errs = append(errs, fmt.Errorf("kind %s is not an event.SubjectKind", t.text))
			}
			continue
		case 'i':
		default:
			continue
		}
		switch {
		case sqlKeywords[strings.ToUpper(t.text)], tableAt[i], aliases[t.text]:
		case i+1 < len(toks) && toks[i+1].text == "(":
			// a function (quantile(0.95)(x) included)
		case i > 0 && toks[i-1].text == ".":
		case !columns[t.text]:
			var read []string
			for n := range tables {
				read = append(read, n)
			}
			sort.Strings(read)
			errs = append(errs, fmt.Errorf("%s is not a column of %v (%s)", t.text, read, DDLDir))
		}
	}
	return errs
}

// checkDedup checks the SELECT whose FROM token is at index from and reads table tb.
func checkDedup(toks []sqlToken, from int, tb *Table) error {
	d := toks[from].depth
	start, end := 0, len(toks)
	for i := from - 1; i >= 0; i-- {
		if toks[i].depth < d {
			start = i + 1
			break
		}
	}
	for i := from + 1; i < len(toks); i++ {
		if toks[i].depth < d {
			end = i
			break
		}
	}
	var counting []string
	grouped, distinct, aggregates := false, false, false
	for i := start; i < end; i++ {
		t := toks[i]
		if t.depth != d || t.kind != 'i' {
			continue
		}
		up := strings.ToUpper(t.text)
		switch {
		case up == "DISTINCT":
			distinct = true
		case up == "GROUP" && i+1 < end && strings.EqualFold(toks[i+1].text, "BY"):
			for j := i + 2; j < end && toks[j].depth >= d; j++ {
				if toks[j].depth == d && toks[j].kind == 'i' && sqlKeywords[strings.ToUpper(toks[j].text)] {
					break
				}
				if toks[j].text == tb.Identity {
					grouped = true
				}
			}
		case i+1 < end && toks[i+1].text == "(":
			name := aggregateName(t.text)
			switch {
			case countingAggregates[name]:
				aggregates = true
				counting = append(counting, t.text)
			case idempotentAggregates[name]:
				aggregates = true
			}
		}
	}
	switch {
	case grouped:
		return nil
	case len(counting) > 0:
		return fmt.Errorf("SELECT … FROM %s uses %v without GROUP BY %s: a row delivered twice is counted twice (group by %s first, or use uniqExact)", tb.Name, counting, tb.Identity, tb.Identity)
	case !aggregates && !distinct:
		return fmt.Errorf("SELECT … FROM %s lists rows without de-duplicating by %s", tb.Name, tb.Identity)
	}
	return nil
}
