package index

import (
	"strings"
	"unicode/utf8"

	"github.com/watchpost/watchpost/pipeline/ident"
	"github.com/watchpost/watchpost/pipeline/normalize"
)

// Canonical forms of the identifiers of vehicles, vessels and firearms. Each canonicaliser is
// pure, deterministic and idempotent; records are canonicalised by Build and presented values
// by the matcher with the same functions, so both sides always agree.

// Unreadable is the canonical marker of one unreadable character in a presented VIN (written
// '*', '?' or '_' by the officer or the reader).
const Unreadable = '*'

// VIN canonicalises a vehicle identification number or chassis number: upper-case ASCII
// letters and digits as normalize.DocNumber keeps them (spaces, dashes, dots and other
// punctuation dropped; full-width forms, diacritics and Latin look-alikes folded), with each
// unreadable-character marker ('*', '?', '_') kept as [Unreadable].
func VIN(s string) string {
	if strings.IndexAny(s, "*?_") < 0 {
		return normalize.DocNumber(s)
	}
	var b strings.Builder
	for {
		i := strings.IndexAny(s, "*?_")
		if i < 0 {
			b.WriteString(normalize.DocNumber(s))
			return b.String()
		}
		b.WriteString(normalize.DocNumber(s[:i]))
		b.WriteByte(Unreadable)
		s = s[i+1:]
	}
}

// VINFoldByte folds the letters a VIN may not contain onto the digits OCR confuses them with:
// I → 1, O and Q → 0. Every other byte is returned unchanged: S, B, Z, G are legitimate VIN
// characters and are not folded.
func VINFoldByte(c byte) byte {
	switch c {
	case 'I':
		return '1'
	case 'O', 'Q':
		return '0'
	}
	return c
}

// VINTailLen is how many trailing characters key a VIN in the index: the vehicle identifier
// section (model year, plant and serial number), the part a partial VIN reports.
const VINTailLen = 8

// vinAlphabet is every byte VINFoldByte can produce from a canonical character: the 33
// substitutions tried for an unreadable character in the indexed tail.
const vinAlphabet = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"

// Plate canonicalises a registration plate: upper-case letters and digits only, as
// normalize.DocNumber (spaces and dashes dropped, Cyrillic and Greek look-alikes folded).
func Plate(s string) string { return normalize.DocNumber(s) }

// Serial canonicalises an engine, part or firearm serial number as normalize.DocNumber.
// Serials compare OCR-folded (normalize.OCRFoldByte) as a weaker match.
func Serial(s string) string { return normalize.DocNumber(s) }

// Model canonicalises a vehicle or firearm model designation as normalize.DocNumber.
func Model(s string) string { return normalize.DocNumber(s) }

// VesselName canonicalises a vessel name as normalize.DocNumber (letters and digits only).
func VesselName(s string) string { return normalize.DocNumber(s) }

// IMO canonicalises an IMO ship identification number: normalize.DocNumber, then the
// leading "IMO" prefixes and a label before the seven characters of the number are dropped
// (ident.TrimIMOLabel: "IMO No. 9074729", "IMO-Nr. 9074729" and "IMO number 9074729" are
// 9074729). A valid number is seven digits with a check digit (see IMOValid); letters are
// kept, for the OCR-folded comparison.
func IMO(s string) string { return ident.TrimIMOLabel(normalize.DocNumber(s)) }

// IMOValid reports whether a canonical IMO number is seven digits whose last is the check
// digit (ident.IMOCheckDigit): the sum of the first six digits weighted 7, 6, 5, 4, 3, 2,
// modulo 10.
func IMOValid(c string) bool {
	if len(c) != 7 || !isDigit(c[6]) {
		return false
	}
	d, ok := ident.IMOCheckDigit(c[:6])
	return ok && d == c[6]
}

// HIN canonicalises a hull identification number: normalize.DocNumber, and a 14-character
// craft identification number with a two-letter country prefix (ISO 10087, "FR-ABC12345D404")
// loses the prefix, so that it compares with the bare 12-character HIN. HINs compare folded
// with VINFoldByte as a weaker match.
func HIN(s string) string {
	c := normalize.DocNumber(s)
	if len(c) == 14 && isUpper(c[0]) && isUpper(c[1]) {
		c = c[2:]
	}
	return c
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

// makeNoise are the words dropped from a make wherever they stand, before it is compared:
// corporate forms, trade words and connectives. "COLT'S MANUFACTURING COMPANY" and "Colt"
// compare equal. ARMI, ARMES and ARMAS are arms in Italian, French, Spanish and Portuguese
// (Benelli Armi S.p.A., Taurus Armas S.A.).
var makeNoise = map[string]bool{
	"AND": true, "CO": true, "COMPANY": true, "CORP": true, "CORPORATION": true, "INC": true,
	"INCORPORATED": true, "LTD": true, "LLC": true, "GMBH": true, "AG": true, "SPA": true,
	"SA": true, "SRL": true, "MFG": true, "MANUFACTURING": true, "ARMS": true, "FIREARMS": true,
	"ARMI": true, "ARMES": true, "ARMAS": true, "MOTOR": true, "MOTORS": true, "AUTOMOBILES": true, "AUTO": true, "CARS": true,
	"THE": true,
}

// legalForms are legal forms and family suffixes dropped only from the end of a make of two
// or more words, where they stand in company names, because as a first or middle word they
// may be part of the name: a.s. (Czech and Slovak joint-stock company), Ges.m.b.H. (which
// splits into GES and MBH), & Sons, Concern (Kalashnikov Concern), and the like.
var legalForms = map[string]bool{
	"AS": true, "ASA": true, "AB": true, "OY": true, "OYJ": true, "SE": true, "NV": true, "BV": true,
	"KG": true, "MBH": true, "GES": true, "GESMBH": true, "PLC": true, "SAS": true, "SARL": true,
	"LIMITED": true, "CONCERN": true, "GROUP": true, "HOLDING": true, "HOLDINGS": true,
	"SONS": true, "SOHN": true, "SOEHNE": true,
}

// firearmMakes maps the joined words of a firearm make to one canonical make.
var firearmMakes = map[string]string{
	"SW": "SMITHWESSON", "SANDW": "SMITHWESSON", "SMITHWESSON": "SMITHWESSON",
	"COLTS": "COLT", "COLT": "COLT", "COLTPATENT": "COLT", // Colt's Patent Fire Arms Manufacturing Company
	"HK": "HECKLERKOCH", "HECKLERKOCH": "HECKLERKOCH", "HECKLERUNDKOCH": "HECKLERKOCH", "HUK": "HECKLERKOCH",
	"FN": "FNHERSTAL", "FNH": "FNHERSTAL", "FNHERSTAL": "FNHERSTAL", "FABRIQUENATIONALE": "FNHERSTAL",
	"FABRIQUENATIONALEDHERSTAL": "FNHERSTAL", "FABRIQUENATIONALEHERSTAL": "FNHERSTAL",
	"RUGER": "RUGER", "STURMRUGER": "RUGER",
	"BERETTA": "BERETTA", "PIETROBERETTA": "BERETTA", "FABBRICAPIETROBERETTA": "BERETTA", "BERETTAUSA": "BERETTA",
	"CZ": "CZ", "CESKAZBROJOVKA": "CZ", "CZUB": "CZ", "CESKAZBROJOVKAUHERSKYBROD": "CZ",
	"SIG": "SIGSAUER", "SIGSAUER": "SIGSAUER", "SAUER": "SIGSAUER",
	"WALTHER": "WALTHER", "CARLWALTHER": "WALTHER",
	"IMI": "IWI", "IWI": "IWI", "ISRAELWEAPONINDUSTRIES": "IWI", "ISRAELMILITARYINDUSTRIES": "IWI",
	"KALASHNIKOV": "KALASHNIKOV", "IZHMASH": "KALASHNIKOV",
	"NORINCO": "NORINCO", "CHINANORTHINDUSTRIES": "NORINCO",
	"SPRINGFIELD": "SPRINGFIELD", "SPRINGFIELDARMORY": "SPRINGFIELD",
	"MOSSBERG": "MOSSBERG", "OFMOSSBERG": "MOSSBERG", // O.F. Mossberg & Sons
	"TAURUS": "TAURUS", "FORJASTAURUS": "TAURUS",
}

// vehicleMakes maps the joined words of a vehicle make to one canonical make.
var vehicleMakes = map[string]string{
	"VW": "VOLKSWAGEN", "VOLKSWAGEN": "VOLKSWAGEN",
	"MERCEDES": "MERCEDESBENZ", "MERCEDESBENZ": "MERCEDESBENZ", "MB": "MERCEDESBENZ", "DAIMLERBENZ": "MERCEDESBENZ",
	"CHEVY": "CHEVROLET", "CHEVROLET": "CHEVROLET",
	"ALFA": "ALFAROMEO", "ALFAROMEO": "ALFAROMEO",
	"LANDROVER": "LANDROVER", "RANGEROVER": "LANDROVER",
	"BMW": "BMW", "BAYERISCHEMOTORENWERKE": "BMW",
	"VAUXHALL": "OPEL", "OPEL": "OPEL",
	"CITROEN": "CITROEN", "PEUGEOT": "PEUGEOT", "RENAULT": "RENAULT",
	"TOYOTA": "TOYOTA", "LEXUS": "LEXUS", "HONDA": "HONDA", "NISSAN": "NISSAN", "DATSUN": "NISSAN",
}

// FirearmMake canonicalises a firearm make for comparison. It splits the make into words
// (see makeWords: folded as normalize.DocNumber, so diacritics go; elided d' and l' and a
// possessive 's dropped; initials joined, so S.p.A. is SPA and S & W is SW), drops the
// makeNoise words wherever they stand (and a word that joins the next into one, "Fire
// Arms"), then the legalForms words from the end while another word is left, joins the rest
// and resolves known aliases and long forms: "S&W" and "Smith & Wesson" are SMITHWESSON,
// "Colt's Manufacturing Company" is COLT, "Glock Ges.m.b.H." is GLOCK, "Fabbrica d'Armi
// Pietro Beretta S.p.A." is BERETTA and "Česká zbrojovka a.s." is CZ.
func FirearmMake(s string) string { return canonicalMake(s, firearmMakes) }

// VehicleMake canonicalises a vehicle make as FirearmMake does, with the vehicle aliases
// ("VW" is VOLKSWAGEN, "Mercedes" is MERCEDESBENZ, …).
func VehicleMake(s string) string { return canonicalMake(s, vehicleMakes) }

func canonicalMake(s string, aliases map[string]string) string {
	if isAlnumWord(s) { // one plain word ("Glock", "BMW"): no builder needed
		w := normalize.DocNumber(s)
		if c, ok := aliases[w]; ok {
			return c
		}
		if makeNoise[w] {
			return ""
		}
		return w
	}
	var buf [8]string
	words := buf[:0]
	for _, w := range makeWords(buf[:0], s) {
		if !makeNoise[w] {
			words = append(words, w)
		} else if n := len(words); n > 0 && makeNoise[words[n-1]+w] {
			words = words[:n-1] // "FIRE ARMS": the two words make one noise word
		}
	}
	for len(words) > 1 && legalForms[words[len(words)-1]] {
		words = words[:len(words)-1]
	}
	joined := strings.Join(words, "")
	if c, ok := aliases[joined]; ok {
		return c
	}
	if makeNoise[joined] {
		return "" // words that only join into a noise word ("A ND"): nothing left to compare
	}
	return joined
}

// makeWords appends to dst the words of a make, each folded as normalize.DocNumber (empty
// ones left out). Words are separated by ASCII characters other than letters and digits.
// Apostrophes never separate: an elided article ("d'Armi", "l'Arme") loses its letter, a
// possessive 's at the end of a word ("Colt's") is dropped, and any other apostrophe is left
// out of its word. A run of one-character words is joined into one ("S.p.A." is SPA, "a.s."
// AS, "B.M.W." BMW, "S & W" SW), so that initials and dotted abbreviations compare whole.
func makeWords(dst []string, s string) []string {
	initials := false // the last word of dst is a run of one-character words
	add := func(raw string) {
		w := normalize.DocNumber(raw)
		switch {
		case w == "":
			return
		case len(w) == 1 && initials:
			dst[len(dst)-1] += w
			return
		}
		dst = append(dst, w)
		initials = len(w) == 1
	}
	start := -1
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case isApostrophe(r):
			next := i + size
			switch {
			case start < 0:
			case next-size-start == 1 && strings.IndexByte("dDlL", s[start]) >= 0 && next < len(s) && isLetterByte(s[next]):
				start = -1 // an elided article: d'Armi is ARMI
			case next < len(s) && (s[next] == 's' || s[next] == 'S') && (next+1 == len(s) || !isAlnum(s[next+1]) && s[next+1] < utf8.RuneSelf):
				add(s[start:i]) // a possessive: Colt's is COLT
				start = -1
				next++
			}
			i = next
			continue
		case r < utf8.RuneSelf && !isAlnum(byte(r)):
			if start >= 0 {
				add(s[start:i])
				start = -1
			}
		default:
			if start < 0 {
				start = i
			}
		}
		i += size
	}
	if start >= 0 {
		add(s[start:])
	}
	return dst
}

func isApostrophe(r rune) bool {
	switch r {
	case '\'', '`', '´', 'ʼ', '‘', '’':
		return true
	}
	return false
}

// isAlnumWord reports whether s is non-empty ASCII letters and digits only.
func isAlnumWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isAlnum(s[i]) {
			return false
		}
	}
	return s != ""
}

func isAlnum(c byte) bool      { return isDigit(c) || isLetterByte(c) }
func isLetterByte(c byte) bool { return isUpper(c) || c >= 'a' && c <= 'z' }

// calibres maps canonical calibre designations (see Calibre) to one name per cartridge, so
// that "9mm", "9 x 19", "9mm Luger" and "9mm Parabellum" agree.
var calibres = map[string]string{
	"9MM": "9X19", "9X19": "9X19", "9MMLUGER": "9X19", "9MMPARABELLUM": "9X19", "9MMPARA": "9X19", "9MMNATO": "9X19", "9LUGER": "9X19",
	"380": "9X17", "380ACP": "9X17", "380AUTO": "9X17", "9MMKURZ": "9X17", "9X17": "9X17", "9MMSHORT": "9X17",
	"45": "45ACP", "45ACP": "45ACP", "45AUTO": "45ACP", "1143X23": "45ACP",
	"40": "40SW", "40SW": "40SW", "40SANDW": "40SW",
	"22": "22LR", "22LR": "22LR", "22LONGRIFLE": "22LR",
	"223": "223REM", "223REM": "223REM", "223REMINGTON": "223REM",
	"556": "556X45", "556X45": "556X45", "55645": "556X45", "919": "9X19", "76239": "762X39", "76251": "762X51", "556NATO": "556X45", "556X45NATO": "556X45",
	"762X39": "762X39",
	"762X51": "762X51", "762NATO": "762X51", "762X51NATO": "762X51", "308": "762X51", "308WIN": "762X51", "308WINCHESTER": "762X51",
	"12GA": "12GAUGE", "12G": "12GAUGE", "12GAUGE": "12GAUGE", "12": "12GAUGE", "12BORE": "12GAUGE",
	"357": "357MAGNUM", "357MAG": "357MAGNUM", "357MAGNUM": "357MAGNUM",
	"38SPL": "38SPECIAL", "38SPECIAL": "38SPECIAL", "38": "38SPECIAL", "38SP": "38SPECIAL",
}

// Calibre canonicalises a calibre designation: the multiplication sign read as x, then
// normalize.DocNumber (so ".45 ACP" is 45ACP, and "5.45x39" and "5,45 x 39" are 545X39),
// then the "mm" of a metric bore-by-case designation dropped (metricMM: "5.45x39mm" and
// "7.62×54mmR" are 545X39 and 762X54R), then known aliases of one cartridge resolved to one
// name. Different numbers stay different: 7.62x39 and 7.62x51 never agree.
func Calibre(s string) string {
	if strings.ContainsRune(s, '×') {
		s = strings.ReplaceAll(s, "×", "x")
	}
	c := metricMM(normalize.DocNumber(s))
	if a, ok := calibres[c]; ok {
		return a
	}
	return c
}

// metricMM drops from a canonical metric designation, digits X digits (bore by case length,
// millimetres), every "MM" right after either number, unless digits follow it: 545X39MM,
// 545MMX39 and 545X39 are 545X39, and 762X54MMR is 762X54R. Anything else is returned as it
// is.
func metricMM(c string) string {
	bore := digitRun(c)
	if bore == 0 {
		return c
	}
	x := skipMM(c, bore)
	if x == len(c) || c[x] != 'X' {
		return c
	}
	caseEnd := x + 1 + digitRun(c[x+1:])
	if caseEnd == x+1 {
		return c
	}
	rest := skipMM(c, caseEnd)
	if rest < len(c) && isDigit(c[rest]) {
		rest = caseEnd // digits after the MM would join the case length: keep it
	}
	if x == bore && rest == caseEnd {
		return c // no MM to drop
	}
	return c[:bore] + "X" + c[x+1:caseEnd] + c[rest:]
}

// digitRun is the length of the run of digits that starts s.
func digitRun(s string) int {
	n := 0
	for n < len(s) && isDigit(s[n]) {
		n++
	}
	return n
}

// skipMM returns the index after every "MM" that follows position i of c.
func skipMM(c string, i int) int {
	for strings.HasPrefix(c[i:], "MM") {
		i += 2
	}
	return i
}
