package normalize

import "strings"

// Kana: passport Hepburn, as Japanese passports write names.

const (
	dakuten    = '\u3099'
	handakuten = '\u309A'
)

func isKana(r rune) bool { return r >= 0x3041 && r <= 0x30FF && r != 0x30FB && r != 0x30A0 }

// hiragana maps every hiragana (katakana are folded onto them first) to Hepburn. っ and the
// small ゃゅょぁぃぅぇぉ are handled in folder.kana.
var hiragana = map[rune]string{
	'あ': "A", 'い': "I", 'う': "U", 'え': "E", 'お': "O",
	'か': "KA", 'が': "GA", 'き': "KI", 'ぎ': "GI", 'く': "KU", 'ぐ': "GU", 'け': "KE", 'げ': "GE", 'こ': "KO", 'ご': "GO",
	'さ': "SA", 'ざ': "ZA", 'し': "SHI", 'じ': "JI", 'す': "SU", 'ず': "ZU", 'せ': "SE", 'ぜ': "ZE", 'そ': "SO", 'ぞ': "ZO",
	'た': "TA", 'だ': "DA", 'ち': "CHI", 'ぢ': "JI", 'つ': "TSU", 'づ': "ZU", 'て': "TE", 'で': "DE", 'と': "TO", 'ど': "DO",
	'な': "NA", 'に': "NI", 'ぬ': "NU", 'ね': "NE", 'の': "NO",
	'は': "HA", 'ば': "BA", 'ぱ': "PA", 'ひ': "HI", 'び': "BI", 'ぴ': "PI", 'ふ': "FU", 'ぶ': "BU", 'ぷ': "PU",
	'へ': "HE", 'べ': "BE", 'ぺ': "PE", 'ほ': "HO", 'ぼ': "BO", 'ぽ': "PO",
	'ま': "MA", 'み': "MI", 'む': "MU", 'め': "ME", 'も': "MO",
	'や': "YA", 'ゆ': "YU", 'よ': "YO",
	'ら': "RA", 'り': "RI", 'る': "RU", 'れ': "RE", 'ろ': "RO",
	'わ': "WA", 'ゐ': "I", 'ゑ': "E", 'を': "O", 'ん': "N", 'ゔ': "VU", 'ゕ': "KA", 'ゖ': "KE",
	'ゎ': "WA",
}

// kanaBase folds katakana onto hiragana and composes a decomposed voicing mark.
func kanaBase(r rune, mark rune) rune {
	if r >= 0x30A1 && r <= 0x30F6 {
		r -= 0x60
	}
	switch {
	case mark == dakuten && r == 'う':
		return 'ゔ'
	case mark == dakuten:
		if _, ok := hiragana[r+1]; ok {
			return r + 1
		}
	case mark == handakuten:
		if _, ok := hiragana[r+2]; ok {
			return r + 2
		}
	}
	return r
}

// kana folds the run of kana starting at i.
func (f *folder) kana(i int) int {
	f.arabic = false
	rs := f.rs
	var out []byte
	geminate := false
	for i < len(rs) && (isKana(rs[i]) || rs[i] == dakuten || rs[i] == handakuten) {
		r := rs[i]
		i++
		var mark rune
		if i < len(rs) && (rs[i] == dakuten || rs[i] == handakuten) {
			mark = rs[i]
			i++
		}
		switch r {
		case 0x30F7, 0x30F8, 0x30F9, 0x30FA: // ヷヸヹヺ
			out = appendKana(out, []string{"VA", "VI", "VE", "VO"}[r-0x30F7], &geminate)
			continue
		case 'ー', dakuten, handakuten, 'ゝ', 'ゞ', 'ヽ', 'ヾ':
			continue // long vowels are not written in passport Hepburn
		}
		b := kanaBase(r, mark)
		switch b {
		case 'っ':
			geminate = true
			continue
		case 'ゃ', 'ゅ', 'ょ':
			v := map[rune]byte{'ゃ': 'A', 'ゅ': 'U', 'ょ': 'O'}[b]
			if n := len(out); n > 1 && out[n-1] == 'I' {
				if n > 2 && (out[n-2] == 'H' && (out[n-3] == 'S' || out[n-3] == 'C')) || out[n-2] == 'J' {
					out[n-1] = v // SHI+YA → SHA, CHI+YO → CHO, JI+YU → JU
				} else {
					out = append(out[:n-1], 'Y', v) // KI+YA → KYA
				}
				continue
			}
			out = appendKana(out, "Y"+string(v), &geminate)
			continue
		case 'ぁ', 'ぃ', 'ぅ', 'ぇ', 'ぉ':
			v := map[rune]byte{'ぁ': 'A', 'ぃ': 'I', 'ぅ': 'U', 'ぇ': 'E', 'ぉ': 'O'}[b]
			n := len(out)
			switch {
			case n == 1 && out[0] == 'U', n > 1 && out[n-1] == 'U' && isKanaVowel(out[n-2]):
				out = append(out[:n-1], 'W', v) // ウィ → WI
			case n > 0 && isKanaVowel(out[n-1]):
				out[n-1] = v // ファ → FA, ティ → TI
			default:
				out = append(out, v)
			}
			continue
		}
		rom, ok := hiragana[b]
		if !ok {
			continue
		}
		out = appendKana(out, rom, &geminate)
	}
	// ん before B, M, P reads M.
	for k := 0; k+1 < len(out); k++ {
		if out[k] == 'N' && (out[k+1] == 'B' || out[k+1] == 'M' || out[k+1] == 'P') && (k == 0 || isKanaVowel(out[k-1]) || out[k-1] == 'N') {
			out[k] = 'M'
		}
	}
	f.cur = append(f.cur, longVowels.Replace(string(out))...)
	return i
}

// longVowels shortens the long vowels passport Hepburn does not write (さとう → SATO).
var longVowels = strings.NewReplacer("OU", "O", "OO", "O", "UU", "U")

func isKanaVowel(c byte) bool { return c == 'A' || c == 'I' || c == 'U' || c == 'E' || c == 'O' }

// appendKana appends a syllable, doubling its consonant after っ (CH after っ is TCH).
func appendKana(out []byte, rom string, geminate *bool) []byte {
	if *geminate {
		*geminate = false
		switch {
		case strings.HasPrefix(rom, "CH"):
			out = append(out, 'T')
		case !isKanaVowel(rom[0]):
			out = append(out, rom[0])
		}
	}
	return append(out, rom...)
}
