package gen

import (
	"math/rand/v2"
	"slices"
)

// docFormat describes the numbers an issuer prints. In a pattern, A is a letter, 9 a digit,
// X a letter or digit, anything else itself. Letters I, O and Q are not used, as on most
// modern documents. dni marks the Spanish DNI: eight digits and a check letter.
type docFormat struct {
	passport string
	id       string // empty: the issuer has no identity card used for travel
	dni      bool
}

// issuers are the SLTD issuers and traveller nationalities with their number formats.
var issuers = map[string]docFormat{
	"FRA": {passport: "99AA99999", id: "XXXXXXXXX"},
	"BEL": {passport: "AA999999", id: "999999999999"},
	"CHE": {passport: "A9999999", id: "A9999999"},
	"GBR": {passport: "999999999"},
	"USA": {passport: "A99999999"},
	"IRL": {passport: "AA9999999"},
	"AUS": {passport: "AA9999999"},
	"CAN": {passport: "AA999999"},
	"ESP": {passport: "AAA999999", dni: true},
	"MEX": {passport: "A99999999"},
	"COL": {passport: "AA999999"},
	"ARG": {passport: "AAA999999"},
	"SYR": {passport: "N99999999"},
	"IRQ": {passport: "A9999999"},
	"EGY": {passport: "A99999999"},
	"MAR": {passport: "AA9999999"},
	"DZA": {passport: "999999999"},
	"TUN": {passport: "A999999"},
	"JOR": {passport: "A999999"},
	"LBN": {passport: "RL9999999"},
	"SAU": {passport: "A9999999"},
	"RUS": {passport: "999999999"},
	"UKR": {passport: "AA999999", id: "999999999"},
	"BLR": {passport: "AA9999999"},
	"KAZ": {passport: "N99999999"},
	"CHN": {passport: "E99999999"},
	"TUR": {passport: "U99999999", id: "A99A99999"},
	"DEU": {passport: "CXXXXXXXX", id: "LXXXXXXXX"},
	"AUT": {passport: "A9999999", id: "99999999"},
	"NGA": {passport: "A99999999"},
	"VNM": {passport: "A9999999"},
	"NLD": {passport: "AAXXXXXX9", id: "AAXXXXXX9"},
}

// issuerCodes is the sorted key set of issuers: iterate it, never the map.
var issuerCodes = func() []string {
	out := make([]string, 0, len(issuers))
	for k := range issuers {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}()

const (
	letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
	digits  = "0123456789"
	alnum   = letters + digits
)

// docNumber draws a number for the issuer's passport (typ "P") or identity card ("I").
func docNumber(r *rand.Rand, issuer, typ string) string {
	f := issuers[issuer]
	if typ == "I" && f.dni {
		n := r.IntN(100000000)
		return pad8(n) + string("TRWAGMYFPDXBNJZSQVHLCKE"[n%23])
	}
	pat := f.passport
	if typ == "I" {
		pat = f.id
	}
	b := make([]byte, len(pat))
	for i := range len(pat) {
		switch pat[i] {
		case 'A':
			b[i] = letters[r.IntN(len(letters))]
		case '9':
			b[i] = digits[r.IntN(len(digits))]
		case 'X':
			b[i] = alnum[r.IntN(len(alnum))]
		default:
			b[i] = pat[i]
		}
	}
	return string(b)
}

func pad8(n int) string {
	s := []byte("00000000")
	for i := 7; i >= 0 && n > 0; i-- {
		s[i] = byte('0' + n%10)
		n /= 10
	}
	return string(s)
}

// hasID reports whether the issuer has a travel identity card.
func hasID(issuer string) bool {
	f := issuers[issuer]
	return f.id != "" || f.dni
}

// arrivalAirports are the screening countries and their international airports.
var arrivalAirports = map[string][]string{
	"FRA": {"CDG", "ORY", "NCE", "LYS", "MRS"},
	"DEU": {"FRA", "MUC", "BER", "DUS", "HAM"},
	"GBR": {"LHR", "LGW", "MAN", "EDI"},
	"ESP": {"MAD", "BCN", "AGP", "PMI"},
	"NLD": {"AMS", "EIN", "RTM"},
	"BEL": {"BRU", "CRL"},
	"ITA": {"FCO", "MXP", "VCE", "NAP"},
	"CHE": {"ZRH", "GVA", "BSL"},
	"TUR": {"IST", "SAW", "AYT", "ESB"},
	"USA": {"JFK", "LAX", "ORD", "IAD", "MIA"},
}

// airportCountry maps every airport the generator uses to its country.
var airportCountry = func() map[string]string {
	m := map[string]string{
		"DXB": "ARE", "DOH": "QAT", "CAI": "EGY", "CMN": "MAR", "RAK": "MAR", "ALG": "DZA",
		"TUN": "TUN", "BEY": "LBN", "AMM": "JOR", "JED": "SAU", "RUH": "SAU", "BGW": "IRQ",
		"SVO": "RUS", "KBP": "UKR", "PEK": "CHN", "PVG": "CHN", "SGN": "VNM", "HAN": "VNM",
		"ADD": "ETH", "LOS": "NGA", "ABV": "NGA", "DFW": "USA", "ATL": "USA", "EWR": "USA",
		"YUL": "CAN", "YYZ": "CAN", "MEX": "MEX", "BOG": "COL", "EZE": "ARG", "DUB": "IRL",
		"SYD": "AUS", "VIE": "AUT", "WAW": "POL", "LIS": "PRT", "ATH": "GRC", "DEL": "IND",
	}
	for c, as := range arrivalAirports {
		for _, a := range as {
			m[a] = c
		}
	}
	return m
}()

// airline is a carrier with its home country and hub.
type airline struct{ code, country, hub string }

var airlines = []airline{
	{"AF", "FRA", "CDG"}, {"LH", "DEU", "FRA"}, {"BA", "GBR", "LHR"}, {"IB", "ESP", "MAD"},
	{"KL", "NLD", "AMS"}, {"SN", "BEL", "BRU"}, {"LX", "CHE", "ZRH"}, {"OS", "AUT", "VIE"},
	{"TK", "TUR", "IST"}, {"EK", "ARE", "DXB"}, {"QR", "QAT", "DOH"}, {"MS", "EGY", "CAI"},
	{"AT", "MAR", "CMN"}, {"AH", "DZA", "ALG"}, {"TU", "TUN", "TUN"}, {"ME", "LBN", "BEY"},
	{"RJ", "JOR", "AMM"}, {"SV", "SAU", "JED"}, {"SU", "RUS", "SVO"}, {"PS", "UKR", "KBP"},
	{"CA", "CHN", "PEK"}, {"MU", "CHN", "PVG"}, {"VN", "VNM", "SGN"}, {"ET", "ETH", "ADD"},
	{"P4", "NGA", "LOS"}, {"AA", "USA", "DFW"}, {"DL", "USA", "ATL"}, {"UA", "USA", "EWR"},
	{"AC", "CAN", "YUL"}, {"AM", "MEX", "MEX"}, {"AV", "COL", "BOG"}, {"AR", "ARG", "EZE"},
	{"U2", "GBR", "LGW"}, {"FR", "IRL", "DUB"}, {"EI", "IRL", "DUB"}, {"AZ", "ITA", "FCO"},
}

// origins lists every airport outside country, sorted.
func origins(country string) []string {
	var out []string
	for a, c := range airportCountry {
		if c != country {
			out = append(out, a)
		}
	}
	slices.Sort(out)
	return out
}

// screeningCulture is the culture most travellers to country belong to, if any.
func screeningCulture(country string) int {
	for i, c := range cultures {
		for _, n := range c.nats {
			if n == country {
				return i
			}
		}
	}
	return -1
}

// issuerCulture maps an issuer to the first culture whose nationalities include it.
func issuerCulture(issuer string) int {
	for i, c := range cultures {
		for _, n := range c.nats {
			if n == issuer {
				return i
			}
		}
	}
	return 0
}
