package mrz_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/watchpost/watchpost/pipeline/mrz"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// TestGolden parses every testdata/*.mrz (the MRZ lines, as a scanner would hand them over)
// and compares the JSON result, or the error, with testdata/*.golden. Run with -update to
// rewrite the golden files, then review the diff.
func TestGolden(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("testdata", "*.mrz"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no testdata/*.mrz files")
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".mrz")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			in, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var got []byte
			r, err := mrz.Parse([]string{string(in)}, ref)
			if err != nil {
				got, _ = json.MarshalIndent(map[string]string{"error": err.Error()}, "", "  ")
			} else if got, err = json.MarshalIndent(r, "", "  "); err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := strings.TrimSuffix(file, ".mrz") + ".golden"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("reading golden file (run with -update to create it): %v", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s (run with -update and review the diff):\n%s", file, golden, got)
			}
		})
	}
}
