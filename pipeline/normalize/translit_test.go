package normalize_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/watchpost/watchpost/pipeline/normalize"
)

// TestTransliteration checks each script's table on names as they are written in the script
// and as passports and watchlists usually romanise them.
func TestTransliteration(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want []string
	}{
		// Cyrillic, ICAO 9303 Table B.
		{"russian", "Иванов Иван Иванович", []string{"IVANOV", "IVAN", "IVANOVICH"}},
		{"russian iotated", "Юрий Яковлев", []string{"IURII", "IAKOVLEV"}},
		{"russian hard sign", "Подъячев", []string{"PODIEIACHEV"}},
		{"russian soft sign dropped", "Игорь", []string{"IGOR"}},
		{"russian yo", "Горбачёв", []string{"GORBACHEV"}},
		{"ukrainian", "Олександр Шевченко", []string{"OLEKSANDR", "SHEVCHENKO"}},
		{"serbian", "Ђорђе Његош", []string{"DORDE", "NJEGOSH"}},
		// Greek, ELOT 743.
		{"greek ou", "Παπαδόπουλος", []string{"PAPADOPOULOS"}},
		{"greek eu before vowel", "Ευάγγελος", []string{"EVANGELOS"}},
		{"greek au before voiceless", "Ευθύμιος Αυτάς", []string{"EFTHYMIOS", "AFTAS"}},
		{"greek gg gk", "Αγγελική Γκίκας", []string{"ANGELIKI", "GKIKAS"}},
		{"greek dialytika breaks the digraph", "Αϋπνία", []string{"AYPNIA"}},
		{"greek final sigma", "Γιώργος", []string{"GIORGOS"}},
		{"greek chi and psi", "Χρήστος Ψαρράς", []string{"CHRISTOS", "PSARRAS"}},
		// Arabic: consonants, long vowels, written short vowels, the article.
		{"arabic unvowelled", "محمد", []string{"MHMD"}},
		{"arabic vowelled", "مُحَمَّد", []string{"MUHAMAD"}},
		{"arabic alef hamza", "أحمد", []string{"AHMD"}},
		{"arabic article split", "الحسن", []string{"AL", "HSN"}},
		{"arabic abd allah joined", "عبد الله", []string{"ABDALLH"}},
		{"arabic waw and ya", "يوسف خالد", []string{"YUSF", "KHALD"}},
		{"arabic ta marbuta", "فاطمة", []string{"FATMA"}},
		{"arabic ibn", "بن لادن", []string{"BN", "LADN"}},
		{"arabic digits", "٢٠٢٤", []string{"2024"}},
		{"persian letters", "پژمان", []string{"PZHMAN"}},
		// Hebrew.
		{"hebrew yosef", "יוסף", []string{"YOSF"}},
		{"hebrew avraham", "אברהם", []string{"AVRHM"}},
		{"hebrew final he", "שרה", []string{"SHRA"}},
		// Hangul: Revised Romanization, passport surname spellings.
		{"hangul full name split", "김민준", []string{"KIM", "MINJUN"}},
		{"hangul lee", "이서연", []string{"LEE", "SEOYEON"}},
		{"hangul surname alone", "박", []string{"PARK"}},
		{"hangul given name", "지훈", []string{"JIHUN"}},
		{"hangul compound surname", "남궁민수", []string{"NAMGOONG", "MINSU"}},
		{"hangul rieul rieul", "빌라", []string{"BILLA"}},
		{"hangul compatibility jamo", "ㄱ", []string{"G"}},
		// Kana: passport Hepburn.
		{"hiragana", "たなか ひろし", []string{"TANAKA", "HIROSHI"}},
		{"long vowel shortened", "さとう", []string{"SATO"}},
		{"sokuon", "がっこう", []string{"GAKKO"}},
		{"youon", "きょうこ しゅん", []string{"KYOKO", "SHUN"}},
		{"katakana with long mark", "ジョーンズ", []string{"JONZU"}},
		{"katakana small vowel", "ファティマ", []string{"FATIMA"}},
		{"n before b", "なんば", []string{"NAMBA"}},
		{"half-width katakana", "ﾀﾅｶ", []string{"TANAKA"}},
		{"katakana middle dot separates", "ジョン・スミス", []string{"JON", "SUMISU"}},
		// Han: pinyin table, surname split off.
		{"han full name", "王小明", []string{"WANG", "XIAOMING"}},
		{"han two characters", "李娜", []string{"LI", "NA"}},
		{"han traditional", "陳偉", []string{"CHEN", "WEI"}},
		{"han lyu", "吕娜", []string{"LYU", "NA"}},
		{"han compound surname", "欧阳明", []string{"OUYANG", "MING"}},
		{"han unknown character kept", "王㐀", []string{"WANG", "㐀"}},
		{"han separate tokens", "王 小明", []string{"WANG", "XIAOMING"}},
		{"han given name alone", "小明", []string{"XIAOMING"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, normalize.NameTokens(tt.in)); diff != "" {
				t.Errorf("NameTokens(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

// TestSkeleton checks that romanisations of one name share a phonetic skeleton and that
// different names do not.
func TestSkeleton(t *testing.T) {
	t.Parallel()
	same := [][]string{
		{"MOHAMMED", "MUHAMMAD", "MOHAMED", "MOHAMMAD", "MUHAMMED", "MHMD" /* محمد */, "MUHAMAD" /* مُحَمَّد */},
		{"AHMED", "AHMAD", "AHMET", "AHMD"},
		{"HUSSEIN", "HUSAYN", "HOSSEIN", "HUSSAIN"},
		{"YOUSSEF", "YUSUF", "YOUSEF", "IUSUF", "YUSF"},
		{"ABDULLAH", "ABDALLAH", "ABDALLH"},
		{"KHALED", "KHALID", "KHALD"},
		{"FATIMA", "FATMA", "FATEMA", "FATIMAH"},
		{"SERGEY", "SERGEI", "SERGEJ"},
		{"YEVGENIY", "EVGENII", "IEVGEN", "EVGENY"},
		{"ALEKSANDR", "ALEXANDER", "ALEKSANDER"},
		{"TCHAIKOVSKY", "CHAIKOVSKII", "TSCHAIKOWSKI"},
		{"GORBACHEV", "GORBATCHEV", "GORBATSCHOW"},
		{"SCHMIDT", "SHMIDT"},
		{"RAHMAN", "RHMN"},
		{"YURIY", "IURII", "YURI", "YURIJ"},
		{"SAID", "SAEED"},
		{"SOFIA", "SOPHIA"},
		{"AGATA", "AGATHA"},
		// CH is SH in French spellings of Arabic names.
		{"RASHID", "RACHID", "RSHID" /* رشيد */},
		{"HISHAM", "HICHAM"},
		// Greek Γ before Ι or Ε and another vowel is a glide, as Y writes it.
		{"GEORGIOS", "GIORGOS", "YORGOS"},
		{"KARAGIANNIS", "KARAYANNIS"},
		{"IOANNIS", "GIANNIS", "YANNIS"},
		// Russian -OV, -EV written -OFF, -EFF (French and German spellings).
		{"IVANOV", "IVANOFF", "IWANOW"},
		{"SMIRNOV", "SMIRNOFF"},
		{"PROKOFIEV", "PROKOFIEFF"},
		// Korean surnames: one key per surname, from its passport spelling.
		{"LEE", "YI", "RHEE", "RI"},
		{"PARK", "PAK", "BAK"},
		{"CHOI", "CHOE"},
		{"JUNG", "JEONG", "CHUNG", "JOUNG"},
		{"CHO", "JO"},
		{"YOON", "YUN"},
		{"JANG", "CHANG"},
		{"LIM", "IM", "RIM"},
		{"SHIN", "SIN"},
		{"KIM", "GIM"},
		{"KANG", "GANG"},
		// Korean given names: McCune–Reischauer (breves dropped), Revised Romanization and the
		// usual spellings.
		{"HYEONU", "HYUNWOO"},
		{"GYEONGSU", "KYONGSU", "KYUNGSOO"},
		{"BYEONGHO", "PYONGHO", "BYUNGHO"},
		{"SEOYEON", "SOYON"},
		{"SEONGMIN", "SUNGMIN"},
	}
	for _, group := range same {
		t.Run(group[0], func(t *testing.T) {
			t.Parallel()
			want := normalize.Skeleton(group[0])
			if len(want) < normalize.MinSkeletonLen {
				t.Fatalf("Skeleton(%s) = %q, too short", group[0], want)
			}
			for _, s := range group[1:] {
				if got := normalize.Skeleton(s); got != want {
					t.Errorf("Skeleton(%s) = %q, Skeleton(%s) = %q: want equal", s, got, group[0], want)
				}
			}
		})
	}
	different := [][2]string{{"SMITH", "SCHMIDT"}, {"MOHAMMED", "AHMED"}, {"IVANOV", "PETROV"}, {"KHALED", "WALID"}, {"YURI", "YARA"}, {"ANNA", "ANNE"},
		{"LEE", "LIM"}, {"KIM", "KANG"}, {"PARK", "BAEK"}, {"CHO", "CHOI"}, {"SHIN", "SHIM"}, {"MINJUN", "MINJI"}, {"MEYER", "MAYA"}, {"JOSEF", "JOSEV"}, {"HOFF", "HOV"}}
	for _, d := range different {
		if a, b := normalize.Skeleton(d[0]), normalize.Skeleton(d[1]); a == b && a != "" {
			t.Errorf("Skeleton(%s) = Skeleton(%s) = %q: want different", d[0], d[1], a)
		}
	}
	// JO has a key: it is a spelling of the Korean surname 조 (CHO).
	for _, short := range []string{"ALI", "LI", "NG", "JON", "", "A1B2C3", "ÄB", "MOM"} {
		if got := normalize.Skeleton(short); got != "" {
			t.Errorf("Skeleton(%q) = %q, want none (too short or not folded)", short, got)
		}
	}
}

func TestMRZFold(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"MUELLER", "MULLER"}, {"OEZTUERK", "OZTURK"}, {"AASTROEM", "ASTROM"}, {"BAER", "BAR"},
		{"SMITH", "SMITH"}, {"", ""}, {"AAE", "AE"}, {"UE", "U"},
	}
	for _, tt := range tests {
		if got := normalize.MRZFold(tt.in); got != tt.want {
			t.Errorf("MRZFold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, p := range [][2]string{{"MUELLER", "MULLER"}, {"MUELLER", "MÜLLER"}, {"OEZTUERK", "OZTURK"}, {"OEZTURK", "OZTUERK"}} {
		a, b := strings.Join(normalize.NameTokens(p[0]), ""), strings.Join(normalize.NameTokens(p[1]), "")
		if !normalize.MRZEqual(a, b) {
			t.Errorf("MRZEqual(%s, %s) = false, want true", a, b)
		}
	}
	if normalize.MRZEqual("MULLER", "MILLER") {
		t.Error("MRZEqual(MULLER, MILLER) = true")
	}
}

// FuzzSkeleton checks that Skeleton and MRZFold never panic, that a skeleton is empty or at
// least MinSkeletonLen bytes of [A-Za-z], that AppendSkeleton appends exactly Skeleton, and
// that MRZEqual agrees with comparing MRZFold forms.
func FuzzSkeleton(f *testing.F) {
	for _, s := range []string{"MOHAMMED", "SHCHERBAK", "YEVGENIY", "AAE", "", "X", "TSCHAIKOWSKI", "\xff", "RHEE", "HYUNWOO", "GYEONGSUWOO", "KARAGIANNIS", "GEO", "OSMAN", "ELGAMAL", "GHASSEM"} {
		f.Add(s, "MUELLER")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		sk := normalize.Skeleton(a)
		if sk != "" && len(sk) < normalize.MinSkeletonLen {
			t.Fatalf("skeleton %q shorter than MinSkeletonLen", sk)
		}
		for i := 0; i < len(sk); i++ {
			if c := sk[i]; !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
				t.Fatalf("skeleton byte %d is %q", i, c)
			}
		}
		if got := string(normalize.AppendSkeleton([]byte("x"), a)); got != "x"+sk {
			t.Fatalf("AppendSkeleton = %q, want %q", got, "x"+sk)
		}
		if normalize.MRZEqual(a, b) != (normalize.MRZFold(a) == normalize.MRZFold(b)) {
			t.Fatal("MRZEqual disagrees with MRZFold")
		}
	})
}
