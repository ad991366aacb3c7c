package demo_test

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/watchpost/watchpost/internal/demo"
	"github.com/watchpost/watchpost/internal/gen"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) Sync() error    { return nil }
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// personalData returns every name token, document number and birth date of the dataset's
// travellers and records that is distinctive enough to search for.
func personalData(ds *gen.Dataset) []string {
	seen := map[string]bool{}
	add := func(s string) {
		s = strings.ToUpper(strings.TrimSpace(s))
		if len(s) >= 4 {
			seen[s] = true
		}
	}
	for _, m := range ds.Manifests {
		for _, tr := range m.Travellers {
			for _, tok := range strings.Fields(tr.Surname + " " + tr.GivenNames) {
				add(tok)
			}
			add(tr.BirthDate.String())
			for _, d := range tr.Documents {
				add(d.Number)
			}
		}
	}
	for _, d := range ds.Lists.Documents {
		add(d.Number)
	}
	out := make([]string, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	return out
}

// TestLogsAndMetricsCarryNoPersonalData runs the whole demo at debug level and checks that no
// log line and no metric label holds a traveller's name, document number or birth date.
func TestLogsAndMetricsCarryNoPersonalData(t *testing.T) {
	t.Parallel()
	var buf syncBuffer
	core := zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), &buf, zapcore.DebugLevel)
	reg := prometheus.NewRegistry()
	rep, err := demo.Run(t.Context(), demo.Options{Gen: smallConfig(5), Timeout: 3 * time.Minute, Logger: zap.New(core), Registry: reg})
	if err != nil {
		t.Fatal(err)
	}
	logs := strings.ToUpper(buf.String())
	if !strings.Contains(logs, "SNAPSHOT") {
		t.Fatalf("the run logged nothing recognisable (%d bytes): the check would prove nothing", len(logs))
	}
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var labels strings.Builder
	for _, f := range families {
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				labels.WriteString(strings.ToUpper(l.GetValue()) + "\n")
			}
		}
	}
	if labels.Len() == 0 {
		t.Fatal("no metric labels gathered: the check would prove nothing")
	}
	pii := personalData(rep.Dataset)
	if len(pii) < 100 {
		t.Fatalf("only %d personal data strings to look for", len(pii))
	}
	for _, s := range pii {
		if strings.Contains(logs, s) {
			t.Errorf("a log line contains personal data %q", s)
		}
		if strings.Contains(labels.String(), s) {
			t.Errorf("a metric label contains personal data %q", s)
		}
	}
}
