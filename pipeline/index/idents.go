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

// makeNoise are the words dropped from a make before it is compared: corporate forms and
// connectives. "COLT'S MANUFACTURING COMPANY" and "Colt" compare equal.
var makeNoise = map[string]bool{
	"AND": true, "CO": true, "COMPANY": true, "CORP": true, "CORPORATION": true, "INC": true,
	"INCORPORATED": true, "LTD": true, "LLC": true, "GMBH": true, "AG": true, "SPA": true,
	"SA": true, "SRL": true, "MFG": true, "MANUFACTURING": true, "ARMS": true, "FIREARMS": true,
	"MOTOR": true, "MOTORS": true, "AUTOMOBILES": true, "AUTO": true, "CARS": true, "THE": true,
}

// firearmMakes maps the joined words of a firearm make to one canonical make.
var firearmMakes = map[string]string{
	"SW": "SMITHWESSON", "SANDW": "SMITHWESSON", "SMITHWESSON": "SMITHWESSON",
	"COLTS": "COLT", "COLT": "COLT",
	"HK": "HECKLERKOCH", "HECKLERKOCH": "HECKLERKOCH", "HECKLERUNDKOCH": "HECKLERKOCH", "HUK": "HECKLERKOCH",
	"FN": "FNHERSTAL", "FNH": "FNHERSTAL", "FNHERSTAL": "FNHERSTAL", "FABRIQUENATIONALE": "FNHERSTAL",
	"FABRIQUENATIONALEDHERSTAL": "FNHERSTAL", "FABRIQUENATIONALEHERSTAL": "FNHERSTAL",
	"RUGER": "RUGER", "STURMRUGER": "RUGER",
	"BERETTA": "BERETTA", "PIETROBERETTA": "BERETTA", "FABBRICAARMIPIETROBERETTA": "BERETTA",
	"CZ": "CZ", "CESKAZBROJOVKA": "CZ", "CZUB": "CZ",
	"SIG": "SIGSAUER", "SIGSAUER": "SIGSAUER", "SAUER": "SIGSAUER",
	"WALTHER": "WALTHER", "CARLWALTHER": "WALTHER",
	"IMI": "IWI", "IWI": "IWI", "ISRAELWEAPONINDUSTRIES": "IWI", "ISRAELMILITARYINDUSTRIES": "IWI",
	"KALASHNIKOV": "KALASHNIKOV", "IZHMASH": "KALASHNIKOV",
	"NORINCO": "NORINCO", "CHINANORTHINDUSTRIES": "NORINCO",
	"SPRINGFIELD": "SPRINGFIELD", "SPRINGFIELDARMORY": "SPRINGFIELD",
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

// FirearmMake canonicalises a firearm make for comparison: words (apostrophes dropped, other
// punctuation and '&' separating) upper-cased and folded as normalize.DocNumber, corporate
// forms and connectives dropped, the rest joined, and known aliases resolved: "S&W", "S & W"
// and "Smith & Wesson" are SMITHWESSON, "COLT'S" and "Colt's Manufacturing Company" are COLT.
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
	var b strings.Builder
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := normalize.DocNumber(s[start:end])
		start = -1
		if w != "" && !makeNoise[w] {
			b.WriteString(w)
		}
	}
	for i, r := range s {
		switch {
		case isApostrophe(r):
			if start >= 0 {
				// Apostrophes are dropped inside a word: normalize.DocNumber drops them too.
				continue
			}
		case r < utf8.RuneSelf && !isAlnum(byte(r)):
			flush(i)
		default:
			if start < 0 {
				start = i
			}
		}
	}
	flush(len(s))
	joined := b.String()
	if c, ok := aliases[joined]; ok {
		return c
	}
	if makeNoise[joined] {
		return "" // words that only join into a noise word ("A ND"): nothing left to compare
	}
	return joined
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

func isAlnum(c byte) bool { return isDigit(c) || isUpper(c) || c >= 'a' && c <= 'z' }

// calibres maps canonical (normalize.DocNumber) calibre designations to one name per
// cartridge, so that "9mm", "9 x 19", "9mm Luger" and "9mm Parabellum" agree.
var calibres = map[string]string{
	"9MM": "9X19", "9X19": "9X19", "9X19MM": "9X19", "9MMLUGER": "9X19", "9MMPARABELLUM": "9X19", "9MMPARA": "9X19", "9MMNATO": "9X19", "9LUGER": "9X19",
	"380": "9X17", "380ACP": "9X17", "380AUTO": "9X17", "9MMKURZ": "9X17", "9X17": "9X17", "9MMSHORT": "9X17",
	"45": "45ACP", "45ACP": "45ACP", "45AUTO": "45ACP", "1143X23": "45ACP",
	"40": "40SW", "40SW": "40SW", "40SANDW": "40SW",
	"22": "22LR", "22LR": "22LR", "22LONGRIFLE": "22LR",
	"223": "223REM", "223REM": "223REM", "223REMINGTON": "223REM",
	"556": "556X45", "556X45": "556X45", "55645": "556X45", "919": "9X19", "76239": "762X39", "76251": "762X51", "556NATO": "556X45", "556X45MM": "556X45",
	"762X39": "762X39", "762X39MM": "762X39",
	"762X51": "762X51", "762NATO": "762X51", "308": "762X51", "308WIN": "762X51", "308WINCHESTER": "762X51",
	"12GA": "12GAUGE", "12G": "12GAUGE", "12GAUGE": "12GAUGE", "12": "12GAUGE", "12BORE": "12GAUGE",
	"357": "357MAGNUM", "357MAG": "357MAGNUM", "357MAGNUM": "357MAGNUM",
	"38SPL": "38SPECIAL", "38SPECIAL": "38SPECIAL", "38": "38SPECIAL", "38SP": "38SPECIAL",
}

// Calibre canonicalises a calibre designation: normalize.DocNumber (so ".45 ACP" is 45ACP),
// then known aliases of one cartridge resolved to one name.
func Calibre(s string) string {
	c := normalize.DocNumber(s)
	if a, ok := calibres[c]; ok {
		return a
	}
	return c
}
