package deploytest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// Instruction is one Dockerfile instruction, continuation lines joined.
type Instruction struct {
	Cmd  string // upper case: FROM, RUN, COPY, …
	Args string
	Line int
}

// Stage is one build stage.
type Stage struct {
	Base, Name string
	Instr      []Instruction
}

// ParseDockerfile splits a Dockerfile into stages. It understands comments, parser
// directives and line continuations; heredocs are refused rather than misread.
func ParseDockerfile(b []byte) ([]Stage, error) {
	var stages []Stage
	lines := strings.Split(string(b), "\n")
	for i := 0; i < len(lines); i++ {
		start := i + 1
		line := strings.TrimSpace(lines[i])
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		for strings.HasSuffix(line, `\`) && i+1 < len(lines) {
			i++
			next := strings.TrimSpace(lines[i])
			if strings.HasPrefix(next, "#") {
				next = ""
			}
			line = strings.TrimSuffix(line, `\`) + " " + next
		}
		cmd, args, _ := strings.Cut(line, " ")
		in := Instruction{Cmd: strings.ToUpper(cmd), Args: strings.TrimSpace(args), Line: start}
		if strings.Contains(in.Args, "<<") {
			return nil, fmt.Errorf("line %d: heredocs are not supported by this checker", start)
		}
		if in.Cmd == "FROM" {
			f := strings.Fields(in.Args)
			for len(f) > 0 && strings.HasPrefix(f[0], "--") {
				f = f[1:]
			}
			if len(f) == 0 {
				return nil, fmt.Errorf("line %d: FROM without an image", start)
			}
			st := Stage{Base: f[0]}
			if len(f) == 3 && strings.EqualFold(f[1], "AS") {
				st.Name = f[2]
			}
			stages = append(stages, st)
			continue
		}
		if len(stages) == 0 {
			if in.Cmd == "ARG" {
				continue
			}
			return nil, fmt.Errorf("line %d: %s before FROM", start, in.Cmd)
		}
		stages[len(stages)-1].Instr = append(stages[len(stages)-1].Instr, in)
	}
	if len(stages) == 0 {
		return nil, errors.New("no FROM")
	}
	return stages, nil
}

// Image is what the Dockerfile's final stage holds, as far as the other files depend on it.
type Image struct {
	Entrypoint []string
	Files      map[string]string // path in the image -> source (build output or context path)
	Exposed    map[int]bool
	User       string
}

// Has reports whether the image holds a file at p.
func (im *Image) Has(p string) bool { _, ok := im.Files[p]; return ok }

var (
	goBuild   = regexp.MustCompile(`\bgo\s+build\b([^&;|]*)`)
	outputArg = regexp.MustCompile(`(?:^|\s)-o[ =](\S+)`)
)

// CheckDockerfile checks deploy/docker/Dockerfile against the repository and returns what the
// final image holds.
func CheckDockerfile(r *Repo) (*Image, []error) {
	b, err := fs.ReadFile(r.FS, DockerfilePath)
	if err != nil {
		return nil, []error{err}
	}
	stages, err := ParseDockerfile(b)
	if err != nil {
		return nil, []error{fmt.Errorf("%s: %w", DockerfilePath, err)}
	}
	var errs []error
	fail := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf("%s: "+format, append([]any{DockerfilePath}, a...)...))
	}
	// built[stage name][output path] = package built there
	built := map[string]map[string]string{}
	builderOK := false
	for i, st := range stages {
		key := st.Name
		if key == "" {
			key = strconv.Itoa(i)
		}
		built[key] = map[string]string{}
		image, tag, _ := strings.Cut(st.Base, ":")
		isGo := image == "golang" || strings.HasSuffix(image, "/golang")
		stageEnv := ""
		for _, in := range st.Instr {
			if in.Cmd == "ENV" {
				stageEnv += " " + in.Args
			}
			if in.Cmd != "RUN" {
				continue
			}
			for _, m := range goBuild.FindAllStringSubmatch(in.Args, -1) {
				o := outputArg.FindStringSubmatch(m[1])
				f := strings.Fields(m[1])
				pkg := ""
				for _, w := range f {
					if strings.HasPrefix(w, "./") {
						pkg = path.Clean(w)
					}
				}
				if o == nil || pkg == "" {
					fail("line %d: go build needs -o and a ./package path", in.Line)
					continue
				}
				if !isMainPackage(r.FS, pkg) {
					fail("line %d: go build %s: not a main package of this repository", in.Line, pkg)
				}
				built[key][o[1]] = pkg
				if pkg == CmdDir {
					builderOK = true
					if !isGo {
						fail("line %d: watchpost is built in stage %q from %s, not a golang image", in.Line, key, st.Base)
					} else if tag != r.GoVersion && !strings.HasPrefix(tag, r.GoVersion+".") && !strings.HasPrefix(tag, r.GoVersion+"-") {
						fail("stage %q builds with %s, but go.mod says go %s", key, st.Base, r.GoVersion)
					}
					if !strings.Contains(in.Args+stageEnv, "CGO_ENABLED=0") {
						fail("line %d: watchpost must be built with CGO_ENABLED=0 (the runtime image has no libc)", in.Line)
					}
					if !strings.Contains(m[1], "-trimpath") {
						fail("line %d: watchpost must be built with -trimpath", in.Line)
					}
				}
			}
		}
	}
	if !builderOK {
		fail("no stage runs `go build -o … ./%s`", CmdDir)
	}
	final := stages[len(stages)-1]
	im := &Image{Files: map[string]string{}, Exposed: map[int]bool{}}
	if strings.HasPrefix(final.Base, "golang") {
		fail("the final stage runs on %s: ship a runtime image without the toolchain", final.Base)
	}
	for _, in := range final.Instr {
		switch in.Cmd {
		case "COPY":
			f := strings.Fields(in.Args)
			from := ""
			for len(f) > 0 && strings.HasPrefix(f[0], "--") {
				if v, ok := strings.CutPrefix(f[0], "--from="); ok {
					from = v
				}
				f = f[1:]
			}
			if len(f) != 2 {
				fail("line %d: COPY with one source and one destination expected", in.Line)
				continue
			}
			src, dst := f[0], f[1]
			if from != "" {
				outs, ok := built[from]
				if !ok {
					fail("line %d: COPY --from=%s: no such stage", in.Line, from)
					continue
				}
				if _, ok := outs[src]; !ok {
					fail("line %d: COPY --from=%s %s: that stage builds no such file", in.Line, from, src)
					continue
				}
				im.Files[dst] = outs[src]
			} else {
				if _, err := fs.Stat(r.FS, path.Clean(src)); err != nil {
					fail("line %d: COPY %s: not in the repository", in.Line, src)
					continue
				}
				im.Files[dst] = path.Clean(src)
			}
		case "USER":
			im.User = in.Args
		case "EXPOSE":
			for _, p := range strings.Fields(in.Args) {
				n, err := strconv.Atoi(strings.TrimSuffix(p, "/tcp"))
				if err != nil {
					fail("line %d: EXPOSE %s: not a port", in.Line, p)
					continue
				}
				im.Exposed[n] = true
			}
		case "ENTRYPOINT":
			if err := json.Unmarshal([]byte(in.Args), &im.Entrypoint); err != nil || len(im.Entrypoint) == 0 {
				fail("line %d: ENTRYPOINT must be the exec (JSON array) form, so signals reach watchpost", in.Line)
			}
		}
	}
	if u, _, _ := strings.Cut(im.User, ":"); u == "" || u == "root" || u == "0" {
		fail("the final stage must set a non-root USER (got %q)", im.User)
	} else if _, err := strconv.Atoi(u); err != nil {
		fail("USER %s: use a numeric uid, so that Kubernetes runAsNonRoot can verify it", u)
	}
	if len(im.Entrypoint) > 0 && im.Files[im.Entrypoint[0]] != CmdDir {
		fail("ENTRYPOINT %s is not the watchpost binary built from ./%s", im.Entrypoint[0], CmdDir)
	}
	if !im.Exposed[r.MetricsPort] {
		fail("EXPOSE does not include the metrics port %d (default --metrics-addr)", r.MetricsPort)
	}
	errs = append(errs, checkDockerignore(r, im)...)
	return im, errs
}

// DockerignorePath is the Dockerfile-specific ignore file BuildKit reads next to it.
const DockerignorePath = DockerfilePath + ".dockerignore"

var goEmbed = regexp.MustCompile(`(?m)^//go:embed\s+(.+)$`)

// checkDockerignore checks that the ignore file keeps in the build context everything the
// build reads: go.mod, go.sum, every non-test Go file, every go:embed file and every file the
// final stage copies from the context.
func checkDockerignore(r *Repo, im *Image) []error {
	b, err := fs.ReadFile(r.FS, DockerignorePath)
	if err != nil {
		return nil // no ignore file: the whole context is sent
	}
	ignored := dockerignore(string(b))
	needed := []string{"go.mod", "go.sum"}
	for _, src := range im.Files {
		if !strings.HasPrefix(src, CmdDir) && !strings.HasPrefix(src, "deploy/docker/") {
			needed = append(needed, src)
		}
	}
	_ = fs.WalkDir(r.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if n := d.Name(); p != "." && (strings.HasPrefix(n, ".") || n == "testdata" || n == "bin" || n == "bench") {
				return fs.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		needed = append(needed, p)
		src, err := fs.ReadFile(r.FS, p)
		if err != nil || !strings.Contains(string(src), "//go:embed") {
			return nil
		}
		for _, m := range goEmbed.FindAllStringSubmatch(string(src), -1) {
			for _, pat := range strings.Fields(m[1]) {
				matches, _ := fs.Glob(r.FS, path.Join(path.Dir(p), pat))
				needed = append(needed, matches...)
			}
		}
		return nil
	})
	var errs []error
	for _, p := range needed {
		if ignored(p) {
			errs = append(errs, fmt.Errorf("%s: excludes %s, which the build needs", DockerignorePath, p))
		}
	}
	return errs
}

// dockerignore returns whether a context path is excluded by the patterns of an ignore file
// (last matching pattern wins; ! re-includes; a pattern matching a directory excludes
// everything under it).
func dockerignore(content string) func(string) bool {
	type rule struct {
		re     *regexp.Regexp
		negate bool
	}
	var rules []rule
	for _, line := range strings.Split(content, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		neg := strings.HasPrefix(line, "!")
		line = strings.TrimPrefix(strings.TrimPrefix(line, "!"), "/")
		var re strings.Builder
		re.WriteString("^")
		for i := 0; i < len(line); i++ {
			switch c := line[i]; {
			case strings.HasPrefix(line[i:], "**/"):
				re.WriteString("(?:.*/)?")
				i += 2
			case strings.HasPrefix(line[i:], "**"):
				re.WriteString(".*")
				i++
			case c == '*':
				re.WriteString("[^/]*")
			case c == '?':
				re.WriteString("[^/]")
			default:
				re.WriteString(regexp.QuoteMeta(string(c)))
			}
		}
		re.WriteString("$")
		rules = append(rules, rule{regexp.MustCompile(re.String()), neg})
	}
	return func(p string) bool {
		excluded := false
		for _, r := range rules {
			for q := p; ; {
				if r.re.MatchString(q) {
					excluded = !r.negate
					break
				}
				i := strings.LastIndex(q, "/")
				if i < 0 {
					break
				}
				q = q[:i]
			}
		}
		return excluded
	}
}

var packageMain = regexp.MustCompile(`(?m)^package main\b`)

// isMainPackage reports whether dir holds a Go main package.
func isMainPackage(fsys fs.FS, dir string) bool {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".go") && !strings.HasSuffix(e.Name(), "_test.go") {
			b, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
			if err == nil && packageMain.Match(b) {
				return true
			}
		}
	}
	return false
}

// ProbePath returns where the image holds the healthprobe binary, or "".
func (im *Image) ProbePath() string {
	for dst, src := range im.Files {
		if src == "deploy/docker/healthprobe" {
			return dst
		}
	}
	return ""
}
