package gen

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzReadDir feeds arbitrary bytes as each of the dataset files. Invariants: never panics;
// an error names the file and, for content errors, the line; what it accepts writes back and
// reads again to the same counts.
func FuzzReadDir(f *testing.F) {
	f.Add(uint8(0), []byte(`{"id":"D1","number":"X1","type":"P","issuer":"FRA","status":"stolen","owner":"FRA"}`))
	f.Add(uint8(1), []byte(`{"id":"N1","notice_type":"red","names":[{"surname":"A"}],"birth_dates":["1980"],"nationalities":["FRA"],"sex":"M","owner":"FRA"}`))
	f.Add(uint8(2), []byte(`{"id":"M1","travellers":[{"role":"passenger","surname":"A","birth_date":"1980-01"}]}`))
	f.Add(uint8(3), []byte(`{"subject_id":"M1/0","database":"sltd","record_id":"D1","variation":"exact"}`+"\n\n{"))
	files := []string{FileSLTD, FileNotices, FileManifests, FilePlanted, FileNearMisses}
	f.Fuzz(func(t *testing.T, which uint8, content []byte) {
		dir := t.TempDir()
		target := files[int(which)%len(files)]
		for _, name := range files {
			var b []byte
			if name == target {
				b = content
			}
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		d, err := ReadDir(dir)
		if err != nil {
			if !strings.Contains(err.Error(), target) {
				t.Fatalf("error %q does not name the file %s", err, target)
			}
			return
		}
		out := t.TempDir()
		if err := d.WriteDir(out); err != nil {
			t.Fatalf("writing back an accepted dataset: %v", err)
		}
		d2, err := ReadDir(out)
		if err != nil {
			t.Fatalf("reading back an accepted dataset: %v", err)
		}
		if len(d2.Manifests) != len(d.Manifests) || len(d2.Lists.Documents) != len(d.Lists.Documents) ||
			len(d2.Lists.Notices) != len(d.Lists.Notices) || len(d2.Planted) != len(d.Planted) {
			t.Fatal("round trip changed the counts")
		}
	})
}
