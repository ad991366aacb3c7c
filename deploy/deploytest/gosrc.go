package deploytest

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// Command is one subcommand of cmd/watchpost, as its source defines it.
type Command struct {
	Name string
	Func string // the function the command table runs
	// Verbs, when not empty, are the words the command requires as its first argument
	// ("topics apply"): the run function compares args[0] with each.
	Verbs map[string]bool
	// Flags are the flags the command defines, directly or in functions and methods of
	// package main it calls (clusterFlags.register), by name.
	Flags map[string]*Flag
	// Env are the WATCHPOST_* variables the command reads: string literals in the functions it
	// reaches in package main, plus every such name of a module package those functions
	// refer to (kafkasec.EnvPassword), which may read it itself.
	Env map[string]bool
}

// Flag is one flag of a command.
type Flag struct {
	Name    string
	Bool    bool
	Default string // the literal default of a string flag, "" when not a literal
}

var envName = regexp.MustCompile(`^WATCHPOST_[A-Z0-9_]+$`)

// flagMethods maps the flag.FlagSet (and package flag) definition methods to the index of
// their name argument and whether they define a boolean flag.
var flagMethods = map[string]struct {
	nameArg int
	isBool  bool
}{
	"String": {0, false}, "StringVar": {1, false},
	"Bool": {0, true}, "BoolVar": {1, true}, "BoolFunc": {0, true},
	"Int": {0, false}, "IntVar": {1, false}, "Int64": {0, false}, "Int64Var": {1, false},
	"Uint": {0, false}, "UintVar": {1, false}, "Uint64": {0, false}, "Uint64Var": {1, false},
	"Float64": {0, false}, "Float64Var": {1, false},
	"Duration": {0, false}, "DurationVar": {1, false},
	"Func": {0, false}, "Var": {1, false}, "TextVar": {1, false},
}

// goPackage is the parsed non-test files of one directory.
type goPackage struct {
	files   []*ast.File
	funcs   map[string]*ast.FuncDecl   // top-level functions by name
	methods map[string][]*ast.FuncDecl // methods by name, any receiver
}

func parseDir(fsys fs.FS, dir string) (*goPackage, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	p := &goPackage{funcs: map[string]*ast.FuncDecl{}, methods: map[string][]*ast.FuncDecl{}}
	fset := token.NewFileSet()
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
			continue
		}
		src, err := fs.ReadFile(fsys, path.Join(dir, n))
		if err != nil {
			return nil, err
		}
		f, err := parser.ParseFile(fset, path.Join(dir, n), src, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		p.files = append(p.files, f)
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok {
				continue
			}
			if fd.Recv == nil {
				p.funcs[fd.Name.Name] = fd
			} else {
				p.methods[fd.Name.Name] = append(p.methods[fd.Name.Name], fd)
			}
		}
	}
	if len(p.files) == 0 {
		return nil, fmt.Errorf("%s: no Go files", dir)
	}
	return p, nil
}

// imports maps each file's import names to import paths.
func fileImports(f *ast.File) map[string]string {
	m := map[string]string{}
	for _, im := range f.Imports {
		p, _ := strconv.Unquote(im.Path.Value)
		name := path.Base(p)
		if im.Name != nil {
			name = im.Name.Name
		}
		m[name] = p
	}
	return m
}

// ParseCommands reads the command table (var commands = []command{{name, summary, run}, …})
// of the main package in dir and, for each subcommand, what its run function reaches.
func ParseCommands(fsys fs.FS, module, dir string) (map[string]*Command, error) {
	pkg, err := parseDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	table := map[string]string{}
	for _, f := range pkg.files {
		ast.Inspect(f, func(n ast.Node) bool {
			vs, ok := n.(*ast.ValueSpec)
			if !ok || len(vs.Names) != 1 || vs.Names[0].Name != "commands" || len(vs.Values) != 1 {
				return true
			}
			lit, ok := vs.Values[0].(*ast.CompositeLit)
			if !ok {
				return true
			}
			for _, el := range lit.Elts {
				row, ok := el.(*ast.CompositeLit)
				if !ok {
					continue
				}
				name, run := "", ""
				for i, v := range row.Elts {
					key := i
					if kv, ok := v.(*ast.KeyValueExpr); ok {
						k, _ := kv.Key.(*ast.Ident)
						v = kv.Value
						key = map[string]int{"name": 0, "run": 2}[identName(k)]
						if k == nil || (k.Name != "name" && k.Name != "run") {
							continue
						}
					}
					switch key {
					case 0:
						name = stringLit(v)
					case 2:
						if id, ok := v.(*ast.Ident); ok {
							run = id.Name
						}
					}
				}
				if name != "" && run != "" {
					table[name] = run
				}
			}
			return false
		})
	}
	if len(table) == 0 {
		return nil, fmt.Errorf("%s: no command table (var commands = []command{…})", dir)
	}
	cmds := map[string]*Command{}
	var errs []error
	pkgEnv := map[string]map[string]bool{} // module package path -> its WATCHPOST_ names
	for name, fn := range table {
		fd := pkg.funcs[fn]
		if fd == nil {
			errs = append(errs, fmt.Errorf("%s: command %q runs %s, which is not defined", dir, name, fn))
			continue
		}
		c := &Command{Name: name, Func: fn, Verbs: map[string]bool{}, Flags: map[string]*Flag{}, Env: map[string]bool{}}
		c.Verbs = verbsOf(fd)
		refs := map[string]bool{}
		w := walker{pkg: pkg, cmd: c, seen: map[*ast.FuncDecl]bool{}, refs: refs, module: module}
		w.walk(fd)
		for p := range refs {
			env, ok := pkgEnv[p]
			if !ok {
				env, err = packageEnv(fsys, strings.TrimPrefix(strings.TrimPrefix(p, module), "/"))
				if err != nil {
					errs = append(errs, err)
				}
				pkgEnv[p] = env
			}
			for e := range env {
				c.Env[e] = true
			}
		}
		cmds[name] = c
	}
	return cmds, errors.Join(errs...)
}

func identName(id *ast.Ident) string {
	if id == nil {
		return ""
	}
	return id.Name
}

func stringLit(e ast.Expr) string {
	bl, ok := e.(*ast.BasicLit)
	if !ok || bl.Kind != token.STRING {
		return ""
	}
	s, err := strconv.Unquote(bl.Value)
	if err != nil {
		return ""
	}
	return s
}

// verbsOf finds the comparisons of args[0] with string literals in a run function.
func verbsOf(fd *ast.FuncDecl) map[string]bool {
	verbs := map[string]bool{}
	isArgs0 := func(e ast.Expr) bool {
		ix, ok := e.(*ast.IndexExpr)
		if !ok {
			return false
		}
		id, ok := ix.X.(*ast.Ident)
		return ok && id.Name == "args" && stringOrInt(ix.Index) == "0"
	}
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BinaryExpr:
			if n.Op != token.EQL && n.Op != token.NEQ {
				return true
			}
			if isArgs0(n.X) && stringLit(n.Y) != "" {
				verbs[stringLit(n.Y)] = true
			} else if isArgs0(n.Y) && stringLit(n.X) != "" {
				verbs[stringLit(n.X)] = true
			}
		case *ast.SwitchStmt:
			if n.Tag != nil && isArgs0(n.Tag) {
				for _, s := range n.Body.List {
					for _, e := range s.(*ast.CaseClause).List {
						if v := stringLit(e); v != "" {
							verbs[v] = true
						}
					}
				}
			}
		}
		return true
	})
	return verbs
}

func stringOrInt(e ast.Expr) string {
	if bl, ok := e.(*ast.BasicLit); ok {
		return bl.Value
	}
	return ""
}

// walker collects what a run function reaches inside package main.
type walker struct {
	pkg    *goPackage
	cmd    *Command
	seen   map[*ast.FuncDecl]bool
	refs   map[string]bool // module packages referred to
	module string
}

func (w *walker) walk(fd *ast.FuncDecl) {
	if fd == nil || w.seen[fd] || fd.Body == nil {
		return
	}
	w.seen[fd] = true
	imports := map[string]string{}
	for _, f := range w.pkg.files {
		if f.Pos() <= fd.Pos() && fd.End() <= f.End() {
			imports = fileImports(f)
		}
	}
	locals := localNames(fd)
	isImport := func(id *ast.Ident) (string, bool) {
		p, ok := imports[id.Name]
		return p, ok && !locals[id.Name]
	}
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BasicLit:
			if s := stringLit(n); envName.MatchString(s) {
				w.cmd.Env[s] = true
			}
		case *ast.SelectorExpr:
			if id, ok := n.X.(*ast.Ident); ok {
				if p, imported := isImport(id); imported && (p == w.module || strings.HasPrefix(p, w.module+"/")) {
					w.refs[p] = true
				}
			}
		case *ast.CallExpr:
			switch fun := n.Fun.(type) {
			case *ast.Ident:
				w.walk(w.pkg.funcs[fun.Name])
			case *ast.SelectorExpr:
				if id, ok := fun.X.(*ast.Ident); ok {
					// zap.String("key", v) is not a flag: only package flag's
					// functions and methods of local flag sets define flags.
					if p, imported := isImport(id); imported && p != "flag" {
						return true
					}
				}
				if m, ok := flagMethods[fun.Sel.Name]; ok && len(n.Args) > m.nameArg {
					if name := stringLit(n.Args[m.nameArg]); name != "" {
						f := &Flag{Name: name, Bool: m.isBool}
						if fun.Sel.Name == "String" || fun.Sel.Name == "StringVar" {
							f.Default = literalDefault(n.Args[m.nameArg+1], w.pkg)
						}
						w.cmd.Flags[name] = f
						return true
					}
				}
				for _, md := range w.pkg.methods[fun.Sel.Name] {
					w.walk(md)
				}
			}
		}
		return true
	})
}

// localNames returns the names a function declares: receiver, parameters, := and var.
func localNames(fd *ast.FuncDecl) map[string]bool {
	names := map[string]bool{}
	addFields := func(fl *ast.FieldList) {
		if fl == nil {
			return
		}
		for _, f := range fl.List {
			for _, n := range f.Names {
				names[n.Name] = true
			}
		}
	}
	addFields(fd.Recv)
	addFields(fd.Type.Params)
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if n.Tok == token.DEFINE {
				for _, l := range n.Lhs {
					if id, ok := l.(*ast.Ident); ok {
						names[id.Name] = true
					}
				}
			}
		case *ast.ValueSpec:
			for _, id := range n.Names {
				names[id.Name] = true
			}
		}
		return true
	})
	return names
}

// literalDefault returns a flag default written as a string literal or as
// envOr("WATCHPOST_…", "literal") (any function of package main whose last argument is the
// default), or "".
func literalDefault(e ast.Expr, pkg *goPackage) string {
	if s := stringLit(e); s != "" {
		return s
	}
	call, ok := e.(*ast.CallExpr)
	if !ok || len(call.Args) == 0 {
		return ""
	}
	if id, ok := call.Fun.(*ast.Ident); ok && pkg.funcs[id.Name] != nil {
		return stringLit(call.Args[len(call.Args)-1])
	}
	return ""
}

var envLiteral = regexp.MustCompile(`"(WATCHPOST_[A-Z0-9_]+)"`)

// packageEnv returns the WATCHPOST_* string literals of a package's non-test files.
func packageEnv(fsys fs.FS, dir string) (map[string]bool, error) {
	env := map[string]bool{}
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return env, err
	}
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
			continue
		}
		b, err := fs.ReadFile(fsys, path.Join(dir, n))
		if err != nil {
			return env, err
		}
		for _, m := range envLiteral.FindAllSubmatch(b, -1) {
			env[string(m[1])] = true
		}
	}
	return env, nil
}
