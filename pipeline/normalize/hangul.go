package normalize

// Hangul: NFKD has already split every syllable into conjoining jamo (initial U+1100–U+1112,
// medial U+1161–U+1175, final U+11A8–U+11C2); this file romanises them with the Revised
// Romanization of Korean (2000), without the sound-change rules except ㄹㄹ → LL.

var hangulInitial = [...]string{
	"G", "KK", "N", "D", "TT", "R", "M", "B", "PP", "S", "SS", "", "J", "JJ", "CH", "K", "T", "P", "H",
}

var hangulMedial = [...]string{
	"A", "AE", "YA", "YAE", "EO", "E", "YEO", "YE", "O", "WA", "WAE", "OE", "YO", "U", "WO", "WE", "WI", "YU", "EU", "UI", "I",
}

var hangulFinal = [...]string{
	"K", "K", "K", "N", "N", "N", "T", "L", "K", "M", "L", "L", "L", "P", "L", "M", "P", "P", "T", "T", "NG", "T", "T", "K", "T", "P", "T",
}

// koreanSurnames are the usual passport spellings of the commonest surname syllables, which
// Revised Romanization would write otherwise (김 GIM, 이 I, 박 BAK, 최 CHOE, …).
var koreanSurnames = map[rune]string{
	'김': "KIM", '이': "LEE", '박': "PARK", '최': "CHOI", '정': "JUNG", '강': "KANG", '조': "CHO",
	'윤': "YOON", '장': "JANG", '임': "LIM", '한': "HAN", '오': "OH", '서': "SEO", '신': "SHIN",
	'권': "KWON", '황': "HWANG", '안': "AHN", '송': "SONG", '류': "RYU", '유': "YOO", '전': "JEON",
	'홍': "HONG", '고': "KO", '문': "MOON", '양': "YANG", '손': "SON", '배': "BAE", '백': "BAEK",
	'허': "HEO", '남': "NAM", '심': "SHIM", '노': "NOH", '하': "HA", '곽': "KWAK", '성': "SUNG",
	'차': "CHA", '주': "JOO", '우': "WOO", '구': "KOO", '민': "MIN", '진': "JIN", '나': "NA",
	'지': "JI", '엄': "EOM", '채': "CHAE", '원': "WON", '천': "CHEON", '방': "BANG", '공': "KONG",
	'현': "HYUN", '함': "HAM", '변': "BYUN", '염': "YEOM", '여': "YEO", '추': "CHOO", '도': "DO",
	'석': "SEOK", '선': "SUN", '설': "SEOL", '마': "MA", '길': "GIL", '연': "YEON", '표': "PYO",
	'명': "MYUNG", '기': "KI", '반': "BAN", '왕': "WANG", '금': "KEUM", '옥': "OK", '육': "YOOK",
	'인': "IN", '맹': "MAENG", '제': "JE", '모': "MO", '탁': "TAK", '국': "KOOK", '은': "EUN",
	'편': "PYUN", '용': "YONG", '경': "KYUNG", '봉': "BONG", '태': "TAE", '형': "HYUNG",
}

// koreanCompound are two-syllable surnames.
var koreanCompound = map[string]string{
	"남궁": "NAMGOONG", "황보": "HWANGBO", "제갈": "JEGAL", "선우": "SUNWOO", "독고": "DOKGO",
}

type hangulSyllable struct {
	r   rune // the precomposed syllable, 0 for a lone jamo
	rom string
}

func isHangulInitial(r rune) bool { return r >= 0x1100 && r <= 0x1112 }
func isHangulMedial(r rune) bool  { return r >= 0x1161 && r <= 0x1175 }
func isHangulFinal(r rune) bool   { return r >= 0x11A8 && r <= 0x11C2 }

// hangul folds the run of jamo starting at i.
func (f *folder) hangul(i int) int {
	f.arabic = false
	var syl []hangulSyllable
	rs := f.rs
	prevFinalL := false
	for i < len(rs) && rs[i] >= 0x1100 && rs[i] <= 0x11FF {
		r := rs[i]
		switch {
		case isHangulInitial(r) && i+1 < len(rs) && isHangulMedial(rs[i+1]):
			l, v, t := int(r-0x1100), int(rs[i+1]-0x1161), 0
			i += 2
			if i < len(rs) && isHangulFinal(rs[i]) {
				t = int(rs[i]-0x11A8) + 1
				i++
			}
			ini := hangulInitial[l]
			if l == 5 && prevFinalL { // ㄹㄹ reads LL
				ini = "L"
			}
			rom := ini + hangulMedial[v]
			if t > 0 {
				rom += hangulFinal[t-1]
			}
			prevFinalL = t == 8
			syl = append(syl, hangulSyllable{r: rune(0xAC00 + (l*21+v)*28 + t), rom: rom})
		case isHangulInitial(r):
			syl = append(syl, hangulSyllable{rom: hangulInitial[r-0x1100]})
			prevFinalL = false
			i++
		case isHangulMedial(r):
			syl = append(syl, hangulSyllable{rom: hangulMedial[r-0x1161]})
			prevFinalL = false
			i++
		case isHangulFinal(r):
			syl = append(syl, hangulSyllable{rom: hangulFinal[r-0x11A8]})
			prevFinalL = false
			i++
		default: // archaic jamo: kept as they are
			f.cur = append(f.cur, string(r)...)
			prevFinalL = false
			i++
		}
	}
	split := 0 // syllables of a surname to write as a token of its own
	if len(f.cur) == 0 {
		switch {
		case len(syl) == 1 && koreanSurnames[syl[0].r] != "":
			f.cur = append(f.cur, koreanSurnames[syl[0].r]...)
			return i
		case len(syl) == 3 && koreanSurnames[syl[0].r] != "":
			split = 1
		case len(syl) == 4 && koreanCompound[string([]rune{syl[0].r, syl[1].r})] != "":
			split = 2
		}
	}
	switch split {
	case 1:
		f.cur = append(f.cur, koreanSurnames[syl[0].r]...)
		f.flush()
	case 2:
		f.cur = append(f.cur, koreanCompound[string([]rune{syl[0].r, syl[1].r})]...)
		f.flush()
	}
	for _, s := range syl[split:] {
		f.cur = append(f.cur, s.rom...)
	}
	return i
}
