package normalize

import (
	"testing"
)

// TestArabicNameClasses checks the name table: every spelling a folded token in one class
// only and in no Korean surname class, every spelling (alone and after the article) with its
// class's key, every key long enough to be a skeleton, maxArabicNameLen the longest key, and
// the script of each name folding to its key.
func TestArabicNameClasses(t *testing.T) {
	t.Parallel()
	seen := map[string]int{}
	longest := 0
	for i, class := range arabicNameClasses {
		key := string(appendSkeleton(nil, class.spellings[0]))
		alKey := string(appendSkeleton(nil, "AL"+class.spellings[0]))
		if len(key) < MinSkeletonLen {
			t.Errorf("key of %s %q shorter than MinSkeletonLen", class.spellings[0], key)
		}
		for _, s := range class.spellings {
			if j, ok := seen[s]; ok {
				t.Errorf("%s is in classes %d and %d", s, j, i)
			}
			seen[s] = i
			if _, ok := koreanSurnameKey[s]; ok {
				t.Errorf("%s is a Korean surname spelling too", s)
			}
			if tok := NameTokens(s); len(tok) != 1 || tok[0] != s {
				t.Errorf("%s is not a folded token", s)
			}
			if got := Skeleton(s); got != key {
				t.Errorf("Skeleton(%q) = %q, want %q (%s)", s, got, key, class.spellings[0])
			}
			for _, art := range arabicArticlePrefixes {
				if got := Skeleton(art + s); got != alKey {
					t.Errorf("Skeleton(%q) = %q, want %q (AL%s)", art+s, got, alKey, class.spellings[0])
				}
				longest = max(longest, len(art+s))
			}
		}
		if class.script == "" {
			continue
		}
		toks := NameTokens(class.script)
		if len(toks) != 1 {
			t.Errorf("%s folds to %v, want one token", class.script, toks)
			continue
		}
		if got := Skeleton(toks[0]); got != key {
			t.Errorf("%s folds to %s with skeleton %q, want %q (%s)", class.script, toks[0], got, key, class.spellings[0])
		}
	}
	if longest != maxArabicNameLen {
		t.Errorf("the longest spelling has %d letters, maxArabicNameLen is %d", longest, maxArabicNameLen)
	}
}

// TestArabicNameVariants: the romanisations of one name meet, in a record's script or Latin
// letters, alone or after the article.
func TestArabicNameVariants(t *testing.T) {
	t.Parallel()
	for _, names := range [][]string{
		{"OTHMAN", "OSMAN", "UTHMAN", "USMAN", "عثمان"},
		{"JAMAL", "GAMAL", "DJAMEL", "CEMAL", "جمال"},
		{"JAMIL", "GAMIL", "JAMEEL", "جميل"},
		{"QASIM", "KASIM", "GASIM", "KASSEM", "GHASEM", "قاسم"},
		{"THABIT", "SABIT", "ثابت"},
		{"ZAKIR", "DHAKIR", "ذاكر"},
		{"ZAKI", "DHAKI", "ذكي"},
		{"JABER", "GABER", "JABIR", "جابر"},
		{"QADIR", "KADIR", "KADER", "قادر"},
		{"HAITHAM", "HAYSAM", "HAYTHAM", "هيثم"},
		{"RAMADAN", "RAMAZAN", "RAMZAN", "رمضان"},
		{"HUSSEIN", "HUSAYN", "HOSSEIN", "HUSSAIN", "حسين"}, // no table needed
		{"ALOTHMAN", "ELOSMAN"},
		{"ELGAMAL", "ALJAMAL"},
	} {
		want := skeletonOf(t, names[0])
		for _, n := range names[1:] {
			if got := skeletonOf(t, n); got != want {
				t.Errorf("%s has skeleton %q, %s %q", n, got, names[0], want)
			}
		}
	}
}

// TestArabicNamesApart: the table joins only the names it lists, never by a rule of letters:
// names of other languages that differ by the same letters stay apart, and none takes a key
// of the table.
func TestArabicNamesApart(t *testing.T) {
	t.Parallel()
	for _, pair := range [][2]string{
		{"THOMAS", "SOMAS"}, {"GORDON", "JORDAN"}, {"GARY", "JERRY"}, {"GABOR", "GABER"},
		{"KAMAL", "GAMAL"}, {"KAMIL", "GAMIL"}, {"SAMUEL", "CEMAL"}, {"HAZEM", "HAYSAM"},
		{"SAMER", "THAMER"}, {"GEMMA", "JUMA"},
	} {
		if a, b := Skeleton(pair[0]), Skeleton(pair[1]); a == b {
			t.Errorf("%s and %s meet (%q)", pair[0], pair[1], a)
		}
	}
	keys := map[string]string{}
	for _, class := range arabicNameClasses {
		keys[arabicNameKey[class.spellings[0]]] = class.spellings[0]
	}
	for _, n := range []string{
		"THOMAS", "SOMAS", "GORDON", "JORDAN", "GARY", "JERRY", "GABOR", "NAGY", "SAMUEL", "JAMES",
		"GEORGE", "GEMMA", "KAMAL", "KAMIL", "CASEY", "SARA", "SAMIR", "SEAMUS", "THEO", "GABRIEL",
		"GAMMA", "GOMEZ", "JOSEPH", "ZACHARY", "SACHA", "KATY", "OSMOND", "THAMES", "MANSOUR",
	} {
		if _, ok := arabicNameKey[n]; ok {
			t.Errorf("%s is listed", n)
		}
		if c, ok := keys[Skeleton(n)]; ok {
			t.Errorf("%s has the key of %s (%q)", n, c, Skeleton(n))
		}
	}
}

func skeletonOf(t *testing.T, name string) string {
	t.Helper()
	toks := NameTokens(name)
	if len(toks) != 1 {
		t.Fatalf("%s folds to %v, want one token", name, toks)
	}
	return Skeleton(toks[0])
}
