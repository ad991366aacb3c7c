package schemas_test

import "testing"

// BenchmarkManifest300 encodes and decodes a 300-traveller manifest, two documents each.
func BenchmarkManifest300(b *testing.B) {
	s := newTestSerde(b)
	m := bigManifest(300)
	enc, err := s.EncodeManifest(m)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("encode", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(enc)))
		for b.Loop() {
			if _, err := s.EncodeManifest(m); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(enc)))
		for b.Loop() {
			if _, err := s.DecodeManifest(enc); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encode+decode", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(enc)))
		for b.Loop() {
			out, err := s.EncodeManifest(m)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := s.DecodeManifest(out); err != nil {
				b.Fatal(err)
			}
		}
	})
}
