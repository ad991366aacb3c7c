package normalize

import (
	"testing"
)

// TestKoreanSurnameClasses checks the surname table: every spelling in one class only, every
// key long enough to be a skeleton and of letters only, and the passport spellings of
// hangul.go's surnames listed first.
func TestKoreanSurnameClasses(t *testing.T) {
	t.Parallel()
	seen := map[string]int{}
	for i, class := range koreanSurnameClasses {
		for _, s := range class {
			if j, ok := seen[s]; ok {
				t.Errorf("%s is in classes %d and %d", s, j, i)
			}
			seen[s] = i
			if len(s) > maxKoreanSurnameLen {
				t.Errorf("%s is longer than maxKoreanSurnameLen", s)
			}
			if tok := NameTokens(s); len(tok) != 1 || tok[0] != s {
				t.Errorf("%s is not a folded token", s)
			}
		}
		key := koreanSurnameKey[class[0]]
		if len(key) < MinSkeletonLen {
			t.Errorf("key of %s %q shorter than MinSkeletonLen", class[0], key)
		}
		for j := 0; j < len(key); j++ {
			if c := key[j]; !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
				t.Errorf("key of %s %q has byte %q", class[0], key, c)
			}
		}
	}
	passport := map[string]bool{}
	for _, s := range koreanSurnames {
		passport[s] = true
	}
	for _, class := range koreanSurnameClasses {
		if !passport[class[0]] {
			t.Errorf("class %v does not start with a passport spelling hangul.go writes", class)
		}
	}
}

// TestKoreanSyllables: many short names of other languages read as Korean syllables too
// (HASSAN, MARIA); koreanGiven changes only their G, P and WOO.
func TestKoreanSyllables(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		tok  string
		want bool
	}{
		{"MINJUN", true}, {"HYUNWOO", true}, {"GYEONGSU", true}, {"SEOYEON", true}, {"JIHUN", true},
		{"BYEONGCHEOL", true}, {"KYONGSU", true}, {"YEEUN", true},
		{"MIN", false}, {"", false}, {"AHMED", false}, {"FATIMA", false}, {"SMITH", false},
		{"KOWALCZYK", false}, {"PETROV", false}, {"MARCO", false}, {"SOPHIA", false},
	} {
		if got := koreanSyllables(tt.tok); got != tt.want {
			t.Errorf("koreanSyllables(%q) = %v, want %v", tt.tok, got, tt.want)
		}
	}
}

func TestKoreanGiven(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ tok, want string }{
		{"GYEONGSU", "KYEONGSU"}, {"PYONGHO", "BYONGHO"}, {"HYUNWOO", "HYUNU"}, {"SEONGMIN", "SEONGMIN"},
		{"MINJUN", "MINJUN"}, {"GABRIEL", "GABRIEL"}, {"WOOJIN", "UJIN"}, {"HANGUK", "HANGUK"},
	} {
		got := tt.tok
		if b, ok := koreanGiven(nil, tt.tok); ok {
			got = string(b)
		}
		if got != tt.want {
			t.Errorf("koreanGiven(%q) = %q, want %q", tt.tok, got, tt.want)
		}
	}
}
