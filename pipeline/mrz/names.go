package mrz

import "strings"

// splitName splits an MRZ name field into its primary identifier (surname) and secondary
// identifier (given names) at the first "<<", turns the remaining fillers into single spaces
// and reports whether the field is full, which ICAO 9303 uses to show a truncated name.
func splitName(field string) (primary, secondary string, truncated bool) {
	truncated = len(field) > 0 && field[len(field)-1] != '<'
	p, s, _ := strings.Cut(field, "<<")
	return fillersToSpaces(p), fillersToSpaces(s), truncated
}

// fillersToSpaces turns runs of '<' into one space and trims the ends.
func fillersToSpaces(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '<' }), " ")
}

// ambiguity is a letter sequence in an MRZ name that a transliteration may have produced.
type ambiguity struct{ seq, from string }

// latinAmbiguities are the ICAO 9303 Part 3 transliterations of Latin letters with
// diacritics that a plain reading cannot tell apart from the letters themselves.
var latinAmbiguities = []ambiguity{
	{"AE", "Ä or Æ"}, {"OE", "Ö, Ø or Œ"}, {"UE", "Ü"}, {"AA", "Å"}, {"SS", "ß"}, {"TH", "Þ"},
	{"NXX", "Ñ"}, {"UXX", "Ü"},
}

// cyrillicAmbiguities are the ICAO 9303 Part 3 transliterations of Cyrillic letters that
// take more than one Latin letter.
var cyrillicAmbiguities = []ambiguity{
	{"ZH", "Ж"}, {"KH", "Х"}, {"TS", "Ц"}, {"CH", "Ч"}, {"SHCH", "Щ"}, {"SH", "Ш"},
	{"IU", "Ю"}, {"IA", "Я"}, {"IE", "Ъ or Є"},
}

// transliterationNote says which sequences of an MRZ name may stand for other letters, or
// "" when none does. The note names the sequences, never the name.
func transliterationNote(part, name string, cyrillic bool) string {
	var found []string
	add := func(list []ambiguity) {
		for _, a := range list {
			if strings.Contains(name, a.seq) {
				found = append(found, a.seq+" may stand for "+a.from)
			}
		}
	}
	add(latinAmbiguities)
	if cyrillic {
		add(cyrillicAmbiguities)
	}
	if len(found) == 0 {
		return ""
	}
	return part + " is in MRZ transliteration (ICAO 9303 Part 3): " + strings.Join(found, "; ")
}
