package eval

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/match"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

// The case file is a sequence of directives, each a command line, input lines, a `----` line
// and the expected output, then a blank line. `#` starts a comment line.
//
//	watchlist
//	notice N-1 red name="GARCIA LOPEZ, MARIA JOSE" dob=1980-05-07 nat=ESP sex=F alias="LOPEZ, MARIA"
//	sltd D-1 number=AB1234567 issuer=FRA type=P status=stolen
//	----
//	notices 1, sltd 1
//
//	screen kind=typo surname="GARCIA LOPES" given="MARIA JOSE" dob=1980-05-07
//	----
//	notices N-1
//
// A watchlist directive replaces the watchlist; its output is the number of records indexed per
// database. Record lines start with the database: `notice ID TYPE`, `nominal ID`, `sltd ID`,
// then key=value fields (values with spaces in double quotes; keys may repeat):
//
//   - persons: name="SURNAME, GIVEN NAMES" or name="FULL NAME" (no comma: the split is
//     unknown), the first being the primary name; alias=… likewise; weak=… a weak alias;
//     dob=YYYY[-MM[-DD]]; nat=; sex=; owner=;
//   - sltd: number=, to= (end of a range), issuer=, type=, status=, owner=.
//
// A screen directive's fields are the subject's: surname=, given=, dob=, sex=, nat=, and
// doc=TYPE:NUMBER:ISSUER (repeatable); kind= labels the case for the report. Its output is the
// hits, one `DATABASE RECORD-ID` per line in any order, or `none`.

// CaseOutcome is the outcome of one screen directive or JSONL case.
type CaseOutcome struct {
	File string // the case file, when the result spans several (RunCaseDir)
	Line int
	Kind string
	Want []string // "db id", sorted
	Got  []string
}

// Pass reports whether the hits are exactly the expected ones.
func (c *CaseOutcome) Pass() bool { return slices.Equal(c.Want, c.Got) }

// CaseResult is the outcome of a case file or directory.
type CaseResult struct {
	Name  string // the file or directory, for the report (set by the caller of RunCases)
	Cases []CaseOutcome
	// Rewritten is the case file with every expected output replaced by the actual one
	// (RunCases only).
	Rewritten string
}

// Passed counts the passing cases.
func (r *CaseResult) Passed() int {
	n := 0
	for i := range r.Cases {
		if r.Cases[i].Pass() {
			n++
		}
	}
	return n
}

// KindTally aggregates the cases of one kind.
type KindTally struct {
	Kind                        string
	Cases, Passed               int
	Expected, Found, Unexpected int
}

// Kinds aggregates the cases per kind, sorted by kind.
func (r *CaseResult) Kinds() []KindTally {
	m := map[string]*KindTally{}
	for i := range r.Cases {
		c := &r.Cases[i]
		k := m[c.Kind]
		if k == nil {
			k = &KindTally{Kind: c.Kind}
			m[c.Kind] = k
		}
		k.Cases++
		if c.Pass() {
			k.Passed++
		}
		k.Expected += len(c.Want)
		for _, g := range c.Got {
			if slices.Contains(c.Want, g) {
				k.Found++
			} else {
				k.Unexpected++
			}
		}
	}
	var out []KindTally
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, *m[k])
	}
	return out
}

// RunCases runs a case file with the matcher configuration cfg.
func RunCases(in io.Reader, cfg match.Config) (*CaseResult, error) {
	m, err := match.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("creating the matcher: %w", err)
	}
	var lines []string
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading the case file: %w", err)
	}
	res := &CaseResult{}
	var out strings.Builder
	var snap *index.Snapshot
	version := uint64(0)
	for i := 0; i < len(lines); {
		line := strings.TrimSpace(lines[i])
		if line == "" || strings.HasPrefix(line, "#") {
			out.WriteString(lines[i] + "\n")
			i++
			continue
		}
		start := i
		// The directive, its input lines, ----, its expected output up to a blank line.
		j := i + 1
		for j < len(lines) && strings.TrimSpace(lines[j]) != "----" {
			j++
		}
		if j == len(lines) {
			return nil, fmt.Errorf("line %d: directive without ----", start+1)
		}
		k := j + 1
		for k < len(lines) && strings.TrimSpace(lines[k]) != "" {
			k++
		}
		input, want := lines[i+1:j], lines[j+1:k]
		cmd, args, err := fields(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", start+1, err)
		}
		var got []string
		switch cmd {
		case "watchlist":
			set := &watchlist.Set{}
			for n, l := range input {
				if err := addRecord(set, l); err != nil {
					return nil, fmt.Errorf("line %d: %w", i+2+n, err)
				}
			}
			version++
			snap = index.Build(version, set)
			var counts []string
			for _, db := range slices.Sorted(maps.Keys(snap.Counts())) {
				if n := snap.Counts()[db]; n > 0 {
					counts = append(counts, fmt.Sprintf("%s %d", db, n))
				}
			}
			got = []string{strings.Join(counts, ", ")}
		case "screen":
			if snap == nil {
				return nil, fmt.Errorf("line %d: screen before any watchlist", start+1)
			}
			subj, kind, err := parseSubject(args, start+1)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", start+1, err)
			}
			for _, h := range m.Screen(snap, subj) {
				got = append(got, string(h.Database)+" "+h.RecordID)
			}
			slices.Sort(got)
			var w []string
			for _, l := range want {
				if l = strings.TrimSpace(l); l != "" && l != "none" {
					w = append(w, strings.Join(strings.Fields(l), " "))
				}
			}
			slices.Sort(w)
			res.Cases = append(res.Cases, CaseOutcome{Line: start + 1, Kind: kind, Want: w, Got: got})
			if len(got) == 0 {
				got = []string{"none"}
			}
		default:
			return nil, fmt.Errorf("line %d: unknown directive %q", start+1, cmd)
		}
		for _, l := range lines[start : j+1] {
			out.WriteString(l + "\n")
		}
		for _, g := range got {
			out.WriteString(g + "\n")
		}
		i = k
	}
	res.Rewritten = out.String()
	return res, nil
}

// fields splits a line into its command and key=value fields. Double quotes group characters
// with spaces into one token (a\"b c\"d is the token ab cd); a backslash escapes a quote.
func fields(line string) (string, [][2]string, error) {
	var toks []string
	var cur strings.Builder
	in, started := false, false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '\\' && in && i+1 < len(line):
			i++
			cur.WriteByte(line[i])
		case c == '"':
			in, started = !in, true
		case !in && (c == ' ' || c == '\t'):
			if started {
				toks = append(toks, cur.String())
				cur.Reset()
				started = false
			}
		default:
			cur.WriteByte(c)
			started = true
		}
	}
	if in {
		return "", nil, errors.New("unterminated quote")
	}
	if started {
		toks = append(toks, cur.String())
	}
	if len(toks) == 0 {
		return "", nil, errors.New("empty directive")
	}
	var kv [][2]string
	for _, t := range toks[1:] {
		k, v, ok := strings.Cut(t, "=")
		if !ok {
			kv = append(kv, [2]string{"", t})
			continue
		}
		kv = append(kv, [2]string{k, v})
	}
	return toks[0], kv, nil
}

func parseName(v string) watchlist.Name {
	if sur, giv, ok := strings.Cut(v, ","); ok {
		return watchlist.Name{Surname: strings.TrimSpace(sur), GivenNames: strings.TrimSpace(giv)}
	}
	return watchlist.Name{FullName: strings.TrimSpace(v)}
}

// addRecord parses one record line into set.
func addRecord(set *watchlist.Set, line string) error {
	db, kv, err := fields(line)
	if err != nil {
		return err
	}
	var pos []string
	var rest [][2]string
	for _, x := range kv {
		if x[0] == "" {
			pos = append(pos, x[1])
		} else {
			rest = append(rest, x)
		}
	}
	switch db {
	case "notice", "nominal":
		if len(pos) < 1 || db == "notice" && len(pos) < 2 {
			return fmt.Errorf("%s: want an id%s", db, map[bool]string{true: " and a notice type"}[db == "notice"])
		}
		p := watchlist.Person{ID: pos[0], Owner: "FRA"}
		if db == "notice" {
			p.NoticeType = watchlist.NoticeType(pos[1])
		}
		for _, x := range rest {
			switch x[0] {
			case "name", "alias":
				p.Names = append(p.Names, parseName(x[1]))
			case "weak":
				n := parseName(x[1])
				n.Weak = true
				p.Names = append(p.Names, n)
			case "dob":
				d, err := event.ParseDate(x[1])
				if err != nil {
					return fmt.Errorf("dob: %w", err)
				}
				p.BirthDates = append(p.BirthDates, d)
			case "nat":
				p.Nationalities = append(p.Nationalities, x[1])
			case "sex":
				p.Sex = x[1]
			case "owner":
				p.Owner = x[1]
			default:
				return fmt.Errorf("%s: unknown field %q", db, x[0])
			}
		}
		if db == "notice" {
			set.Notices = append(set.Notices, p)
		} else {
			set.Nominals = append(set.Nominals, p)
		}
	case "sltd":
		if len(pos) != 1 {
			return errors.New("sltd: want an id")
		}
		d := watchlist.Document{ID: pos[0], Type: "P", Status: watchlist.StatusStolen}
		for _, x := range rest {
			switch x[0] {
			case "number":
				d.Number = x[1]
			case "to":
				d.NumberTo = x[1]
			case "issuer":
				d.Issuer = x[1]
			case "type":
				d.Type = x[1]
			case "status":
				d.Status = watchlist.DocumentStatus(x[1])
			case "owner":
				d.Owner = x[1]
			default:
				return fmt.Errorf("sltd: unknown field %q", x[0])
			}
		}
		if d.Owner == "" {
			d.Owner = d.Issuer
		}
		set.Documents = append(set.Documents, d)
	default:
		return fmt.Errorf("unknown database %q", db)
	}
	return nil
}

// parseSubject parses a screen directive's fields.
func parseSubject(kv [][2]string, line int) (*event.Subject, string, error) {
	p := &event.Person{}
	kind := "other"
	for _, x := range kv {
		switch x[0] {
		case "surname":
			p.Surname = x[1]
		case "given":
			p.GivenNames = x[1]
		case "dob":
			d, err := event.ParseDate(x[1])
			if err != nil {
				return nil, "", fmt.Errorf("dob: %w", err)
			}
			p.BirthDate = d
		case "sex":
			p.Sex = x[1]
		case "nat":
			p.Nationality = x[1]
		case "doc":
			parts := strings.Split(x[1], ":")
			if len(parts) != 3 {
				return nil, "", errors.New("doc: want TYPE:NUMBER:ISSUER")
			}
			p.Documents = append(p.Documents, event.Document{Type: parts[0], Number: parts[1], Issuer: parts[2]})
		case "kind":
			kind = x[1]
		default:
			return nil, "", fmt.Errorf("screen: unknown field %q", x[0])
		}
	}
	id := fmt.Sprintf("case-%d", line)
	return &event.Subject{ID: id + "/0", EventID: id, Kind: event.KindPerson, Person: p}, kind, nil
}
