package deploytest

import (
	"bytes"
	"io"
	"io/fs"
	"sort"
	"time"
)

// Overlay is a file system that reads Files where they are set and Base otherwise: the tests
// check deliberately broken copies of a file without touching the repository.
type Overlay struct {
	Base  fs.FS
	Files map[string][]byte // slash paths relative to the root; nil content hides a file
}

var _ fs.ReadDirFS = Overlay{}

// Open opens name from Files or, when it is not there, from Base.
func (o Overlay) Open(name string) (fs.File, error) {
	if b, ok := o.Files[name]; ok {
		if b == nil {
			return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
		}
		return &memFile{name: name, r: bytes.NewReader(b), size: int64(len(b))}, nil
	}
	return o.Base.Open(name)
}

// ReadDir lists Base's entries of name, without hidden files and with added files.
func (o Overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	entries, err := fs.ReadDir(o.Base, name)
	if err != nil {
		return nil, err
	}
	byName := map[string]fs.DirEntry{}
	for _, e := range entries {
		byName[e.Name()] = e
	}
	for p, b := range o.Files {
		dir, file := splitPath(p)
		if dir != name {
			continue
		}
		if b == nil {
			delete(byName, file)
		} else {
			byName[file] = fs.FileInfoToDirEntry(memInfo{name: file, size: int64(len(b))})
		}
	}
	out := make([]fs.DirEntry, 0, len(byName))
	for _, e := range byName {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out, nil
}

func splitPath(p string) (dir, file string) {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '/' {
			return p[:i], p[i+1:]
		}
	}
	return ".", p
}

type memFile struct {
	name string
	r    *bytes.Reader
	size int64
}

func (f *memFile) Stat() (fs.FileInfo, error) {
	_, file := splitPath(f.name)
	return memInfo{name: file, size: f.size}, nil
}
func (f *memFile) Read(p []byte) (int, error) { return f.r.Read(p) }
func (f *memFile) Close() error               { return nil }

var _ io.Reader = (*memFile)(nil)

type memInfo struct {
	name string
	size int64
}

func (i memInfo) Name() string       { return i.name }
func (i memInfo) Size() int64        { return i.size }
func (i memInfo) Mode() fs.FileMode  { return 0o444 }
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return false }
func (i memInfo) Sys() any           { return nil }
