package mrz_test

import (
	"testing"

	"github.com/watchpost/watchpost/pipeline/mrz"
)

func BenchmarkParse(b *testing.B) {
	cases := []struct {
		name string
		in   []string
	}{
		{"TD3/clean", td3Specimen},
		{"TD1/long-number", td1Long},
		{"TD2/clean", td2Specimen},
		{"TD3/ocr-confusions", []string{td3Specimen[0], "L8989O2C36UT07408122F12O4159ZE184226B<<<<<10"}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := mrz.Parse(c.in, ref); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkTransliterate(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = mrz.Transliterate("Jörg Müller-Weiß Жанна Хрущёва")
	}
}
