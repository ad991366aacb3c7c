package deploytest

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/watchpost/watchpost/deploy"
)

// Paths of the files the deployment is checked against, relative to the repository root.
const (
	GoModPath      = "go.mod"
	CmdDir         = "cmd/watchpost"
	TopicsPath     = "deploy/topics.yaml"
	ACLsPath       = "deploy/acls.yaml"
	DDLDir         = "analytics/ddl"
	EventTypesPath = "pipeline/event/event.go"

	DockerfilePath = "deploy/docker/Dockerfile"
	ComposePath    = "deploy/compose/compose.yaml"
	K8sDir         = "deploy/k8s"
	GrafanaDir     = "deploy/grafana"
)

// Repo is what the deployment files must agree with, read from the source tree.
type Repo struct {
	FS         fs.FS
	ModulePath string // module path of go.mod
	GoVersion  string // "1.26" from go.mod's go directive (major.minor)

	// Commands are the subcommands of cmd/watchpost's command table, by name.
	Commands map[string]*Command
	// Env is every WATCHPOST_* variable any subcommand reads.
	Env map[string]bool
	// MetricsPort is the port of the default --metrics-addr, where /metrics, /healthz and
	// /readyz are served.
	MetricsPort int

	Topics deploy.Topics
	// Principals are the users of deploy/acls.yaml.
	Principals map[string]bool
	// Tables are the ClickHouse tables of analytics/ddl with their columns.
	Tables map[string]*Table
	// SubjectKinds are the values of event.SubjectKind (the kind column).
	SubjectKinds map[string]bool
}

// Table is one ClickHouse table of the DDL.
type Table struct {
	Name    string
	Columns map[string]bool
	// Identity is the column a redelivered row repeats (the last column of the
	// ReplacingMergeTree sorting key): queries must count it distinctly.
	Identity string
}

// LoadRepo reads the facts from the repository in fsys.
func LoadRepo(fsys fs.FS) (*Repo, error) {
	r := &Repo{FS: fsys}
	var errs []error
	if err := r.loadGoMod(); err != nil {
		errs = append(errs, err)
	}
	if err := r.loadCommands(); err != nil {
		errs = append(errs, err)
	}
	if b, err := fs.ReadFile(fsys, TopicsPath); err != nil {
		errs = append(errs, err)
	} else if r.Topics, err = deploy.ParseTopics(b); err != nil {
		errs = append(errs, fmt.Errorf("%s: %w", TopicsPath, err))
	}
	if err := r.loadPrincipals(); err != nil {
		errs = append(errs, err)
	}
	if err := r.loadDDL(); err != nil {
		errs = append(errs, err)
	}
	if err := r.loadSubjectKinds(); err != nil {
		errs = append(errs, err)
	}
	return r, errors.Join(errs...)
}

var goDirective = regexp.MustCompile(`(?m)^go\s+(\d+)\.(\d+)`)
var moduleDirective = regexp.MustCompile(`(?m)^module\s+(\S+)`)

func (r *Repo) loadGoMod() error {
	b, err := fs.ReadFile(r.FS, GoModPath)
	if err != nil {
		return err
	}
	m := goDirective.FindSubmatch(b)
	mm := moduleDirective.FindSubmatch(b)
	if m == nil || mm == nil {
		return fmt.Errorf("%s: no module or go directive", GoModPath)
	}
	r.GoVersion = string(m[1]) + "." + string(m[2])
	r.ModulePath = string(mm[1])
	return nil
}

func (r *Repo) loadCommands() error {
	cmds, err := ParseCommands(r.FS, r.ModulePath, CmdDir)
	if err != nil {
		return err
	}
	r.Commands = cmds
	r.Env = map[string]bool{}
	for _, c := range cmds {
		for e := range c.Env {
			r.Env[e] = true
		}
	}
	addr := ""
	for _, c := range cmds {
		if f := c.Flags["metrics-addr"]; f != nil && f.Default != "" {
			addr = f.Default
		}
	}
	if addr == "" {
		return fmt.Errorf("%s: no subcommand has a --metrics-addr flag with a literal default", CmdDir)
	}
	port, err := portOf(addr)
	if err != nil {
		return fmt.Errorf("%s: default --metrics-addr %q: %w", CmdDir, addr, err)
	}
	r.MetricsPort = port
	return nil
}

// portOf returns the port of a host:port address (the host may be empty).
func portOf(addr string) (int, error) {
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 1 || n > 65535 {
		return 0, fmt.Errorf("port %q is not 1-65535", p)
	}
	return n, nil
}

func (r *Repo) loadPrincipals() error {
	b, err := fs.ReadFile(r.FS, ACLsPath)
	if err != nil {
		return err
	}
	var doc struct {
		Principals []struct {
			User string `yaml:"user"`
		} `yaml:"principals"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return fmt.Errorf("%s: %w", ACLsPath, err)
	}
	r.Principals = map[string]bool{}
	for _, p := range doc.Principals {
		r.Principals[p.User] = true
	}
	if len(r.Principals) == 0 {
		return fmt.Errorf("%s: no principals", ACLsPath)
	}
	return nil
}

var (
	sqlComment  = regexp.MustCompile(`--[^\n]*`)
	createTable = regexp.MustCompile(`(?is)CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:\w+\.)?(\w+)\s*\((.*?)\)\s*ENGINE\b(.*?)(?:;|$)`)
	orderBy     = regexp.MustCompile(`(?is)ORDER\s+BY\s+\(?([^)\n]*)\)?`)
	addColumn   = regexp.MustCompile(`(?is)ALTER\s+TABLE\s+(?:\w+\.)?(\w+)\s+ADD\s+COLUMN\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)`)
)

func (r *Repo) loadDDL() error {
	names, err := fs.Glob(r.FS, DDLDir+"/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	r.Tables = map[string]*Table{}
	for _, name := range names {
		b, err := fs.ReadFile(r.FS, name)
		if err != nil {
			return err
		}
		sql := sqlComment.ReplaceAllString(string(b), "")
		for _, m := range createTable.FindAllStringSubmatch(sql, -1) {
			t := &Table{Name: m[1], Columns: map[string]bool{}}
			for _, def := range splitTopLevel(m[2], ',') {
				if f := strings.Fields(def); len(f) >= 2 {
					t.Columns[strings.Trim(f[0], "`\"")] = true
				}
			}
			if ob := orderBy.FindStringSubmatch(m[3]); ob != nil {
				keys := splitTopLevel(ob[1], ',')
				t.Identity = strings.TrimSpace(keys[len(keys)-1])
			}
			if len(t.Columns) == 0 || !t.Columns[t.Identity] {
				return fmt.Errorf("%s: table %s: no columns or no sorting-key column", name, t.Name)
			}
			r.Tables[t.Name] = t
		}
		for _, m := range addColumn.FindAllStringSubmatch(sql, -1) {
			if t := r.Tables[m[1]]; t != nil {
				t.Columns[m[2]] = true
			}
		}
	}
	if len(r.Tables) == 0 {
		return fmt.Errorf("%s: no CREATE TABLE found", DDLDir)
	}
	return nil
}

// splitTopLevel splits s at sep outside parentheses.
func splitTopLevel(s string, sep rune) []string {
	var out []string
	depth, start := 0, 0
	for i, c := range s {
		switch {
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == sep && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

var subjectKind = regexp.MustCompile(`\bKind\w*\s+SubjectKind\s*=\s*"([^"]+)"`)

func (r *Repo) loadSubjectKinds() error {
	b, err := fs.ReadFile(r.FS, EventTypesPath)
	if err != nil {
		return err
	}
	r.SubjectKinds = map[string]bool{}
	for _, m := range subjectKind.FindAllSubmatch(b, -1) {
		r.SubjectKinds[string(m[1])] = true
	}
	if len(r.SubjectKinds) == 0 {
		return fmt.Errorf("%s: no SubjectKind constants", EventTypesPath)
	}
	return nil
}

// Topic returns the declared topic named name, or nil.
func (r *Repo) Topic(name string) *deploy.Topic {
	for i := range r.Topics {
		if r.Topics[i].Name == name {
			return &r.Topics[i]
		}
	}
	return nil
}

// CommandNames lists the subcommands, sorted, for error messages.
func (r *Repo) CommandNames() string {
	var names []string
	for n := range r.Commands {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}
