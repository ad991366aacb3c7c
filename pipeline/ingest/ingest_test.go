package ingest

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/watchpost/watchpost/pipeline/edifact"
	"github.com/watchpost/watchpost/pipeline/fault"
	"github.com/watchpost/watchpost/pipeline/jsonmanifest"
)

var now = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", path))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDetectAndDecodeEveryCorpusFile(t *testing.T) {
	t.Parallel()
	for _, dir := range []string{"paxlst", "pnrgov"} {
		files, _ := filepath.Glob(filepath.Join("..", dir, "testdata", "*.edi"))
		if len(files) < 5 {
			t.Fatalf("%s corpus has %d files", dir, len(files))
		}
		for _, f := range files {
			name := filepath.Base(f)
			b := read(t, filepath.Join(dir, "testdata", name))
			if got := Detect(b); got != dir {
				t.Errorf("%s/%s detected as %s", dir, name, got)
			}
			res, err := Decode(Auto, b, now)
			if strings.HasPrefix(name, "error_") || strings.Contains(name, "missing_part") {
				if err == nil {
					t.Errorf("%s/%s decoded, want an error", dir, name)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s/%s: %v", dir, name, err)
				continue
			}
			if res.Format != dir || len(res.Messages) == 0 || res.Travellers() == 0 {
				t.Errorf("%s/%s: format %s, %d messages, %d travellers", dir, name, res.Format, len(res.Messages), res.Travellers())
			}
			for _, m := range res.Messages {
				if m.Manifest.ReceivedAt != now || m.Ref == "" {
					t.Errorf("%s/%s: message ref %q, received_at %v", dir, name, m.Ref, m.Manifest.ReceivedAt)
				}
			}
		}
	}
}

func TestDecodeJSONAndErrors(t *testing.T) {
	t.Parallel()
	doc := `{"message_ref":"R1","type":"crew","carrier":"LH","flight":"LH400","legs":[{"departure":"FRA","arrival":"JFK"}],"travellers":[{"surname":"X"}]}`
	res, err := Decode(Auto, []byte("  \n"+doc), now)
	if err != nil || res.Format != JSON || res.Messages[0].Ref != "R1" || res.Travellers() != 1 {
		t.Fatalf("JSON: %+v, %v", res, err)
	}
	_, err = Decode(JSON, []byte(`{"type":"crew"}`), now)
	var je *jsonmanifest.Error
	if !errors.As(err, &je) {
		t.Errorf("JSON error %v is not a located *jsonmanifest.Error", err)
	}
	_, err = Decode(PAXLST, []byte("UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'NAD+FL+++'UNT+3+1'"), now)
	var se *edifact.SyntaxError
	if !errors.As(err, &se) || !errors.Is(err, fault.ErrPoison) {
		t.Errorf("PAXLST error %v: want a located, poison-marked syntax error", err)
	}
	if _, err := Decode("xml", nil, now); !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("unknown format: %v", err)
	}
}

// FuzzDecode: never panics, whatever the format.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"type":"crew"}`))
	f.Add([]byte("UNA:+.? 'UNB+UNOA:4+A+B+261124:1200+1'UNH+1+PAXLST:D:05B:UN:IATA'"))
	f.Add([]byte("UNH+1+PNRGOV:11:1:IA'"))
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := Decode(Auto, b, now)
		if err == nil && len(res.Messages) == 0 {
			t.Fatal("no error and no message")
		}
	})
}
