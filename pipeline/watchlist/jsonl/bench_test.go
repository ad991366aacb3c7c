package jsonl_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/watchpost/watchpost/pipeline/watchlist/jsonl"
	"github.com/watchpost/watchpost/pipeline/watchlist/watchlisttest"
)

// BenchmarkReadDocuments measures reading an SLTD file of 100,000 lines (strict parsing and
// every check), reported per line.
func BenchmarkReadDocuments(b *testing.B) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, d := range watchlisttest.Documents(100_000, 1) {
		if err := enc.Encode(d); err != nil {
			b.Fatal(err)
		}
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		docs, err := jsonl.ReadDocuments(bytes.NewReader(data), jsonl.FileSLTD)
		if err != nil || len(docs) != 100_000 {
			b.Fatalf("read %d records: %v", len(docs), err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/100_000, "ns/line")
}
