package deploytest

import (
	"fmt"
	"sort"
	"strings"
)

// Invocation is a parsed `watchpost` command line.
type Invocation struct {
	Command *Command
	Verb    string
	Flags   map[string]string // flag name -> value ("true" for a bare boolean flag)
}

// ParseArgs checks a `watchpost` argument list (the container's args or compose command,
// without the program name) the way cmd/watchpost would read it: the first word must be a
// subcommand of the command table, followed by one of its verbs when it has any, then only
// flags it defines. A word that is not a flag would end Go's flag parsing and silently drop
// every flag after it, so it is an error too.
func (r *Repo) ParseArgs(args []string) (*Invocation, error) {
	if len(args) == 0 {
		return nil, fmt.Errorf("no subcommand (cmd/watchpost commands: %s)", r.CommandNames())
	}
	c := r.Commands[args[0]]
	if c == nil {
		return nil, fmt.Errorf("%q is not a watchpost subcommand (cmd/watchpost commands: %s)", args[0], r.CommandNames())
	}
	inv := &Invocation{Command: c, Flags: map[string]string{}}
	rest := args[1:]
	if len(c.Verbs) > 0 {
		var verbs []string
		for v := range c.Verbs {
			verbs = append(verbs, v)
		}
		sort.Strings(verbs)
		if len(rest) == 0 || !c.Verbs[rest[0]] {
			return nil, fmt.Errorf("watchpost %s needs one of %v as its first argument, got %q", c.Name, verbs, rest)
		}
		inv.Verb, rest = rest[0], rest[1:]
	}
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		if a == "--" || !strings.HasPrefix(a, "-") || a == "-" {
			return nil, fmt.Errorf("watchpost %s: unexpected argument %q (flags after it would be ignored)", c.Name, a)
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		f := c.Flags[name]
		if f == nil {
			return nil, fmt.Errorf("watchpost %s: flag --%s is not defined by cmd/watchpost", c.Name, name)
		}
		if !hasValue {
			if f.Bool {
				value = "true"
			} else {
				if i+1 >= len(rest) {
					return nil, fmt.Errorf("watchpost %s: flag --%s needs a value", c.Name, name)
				}
				i++
				value = rest[i]
			}
		}
		inv.Flags[name] = value
	}
	return inv, nil
}

// CheckEnv checks that every variable in names is read by the subcommand; names that are not
// WATCHPOST_* are allowed only when the Go runtime reads them.
func (r *Repo) CheckEnv(c *Command, names []string) []error {
	var errs []error
	for _, n := range names {
		switch {
		case runtimeEnv[n]:
		case !strings.HasPrefix(n, "WATCHPOST_"):
			errs = append(errs, fmt.Errorf("environment variable %s is not read by watchpost", n))
		case !r.Env[n]:
			errs = append(errs, fmt.Errorf("environment variable %s is read by no watchpost subcommand (renamed in cmd/watchpost?)", n))
		case !c.Env[n]:
			errs = append(errs, fmt.Errorf("environment variable %s is not read by `watchpost %s`", n, c.Name))
		}
	}
	return errs
}

// runtimeEnv are variables the Go runtime itself reads.
var runtimeEnv = map[string]bool{"GOMEMLIMIT": true, "GOGC": true, "GOMAXPROCS": true, "GODEBUG": true, "TZ": true}
