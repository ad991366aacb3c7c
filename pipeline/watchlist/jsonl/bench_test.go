package jsonl_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"testing"

	"github.com/watchpost/watchpost/pipeline/event"
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

// BenchmarkReadCSV measures reading the same 100,000 SLTD records as CSV (Read, every check),
// reported per row.
func BenchmarkReadCSV(b *testing.B) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"id", "number", "number_to", "type", "issuer", "status", "owner"})
	for _, d := range watchlisttest.Documents(100_000, 1) {
		_ = w.Write([]string{d.ID, d.Number, d.NumberTo, d.Type, d.Issuer, string(d.Status), d.Owner})
	}
	w.Flush()
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		l, err := jsonl.Read(bytes.NewReader(data), "sltd.csv", event.DBSLTD, jsonl.Options{Format: jsonl.FormatCSV})
		if err != nil || len(l.Set.Documents) != 100_000 {
			b.Fatalf("read: %v", err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/100_000, "ns/line")
}
