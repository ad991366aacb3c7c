package mrz

import "golang.org/x/text/language"

// Code explains a state or organisation code as printed in an MRZ issuer or nationality field.
type Code struct {
	Code    string `json:"code"`           // as printed, fillers removed
	ISO     string `json:"iso,omitempty"`  // the ISO 3166-1 alpha-3 country, when there is one
	Name    string `json:"name,omitempty"` // what an ICAO 9303 special code designates
	Special bool   `json:"special"`        // an ICAO 9303 code that is not itself ISO 3166-1 alpha-3
}

// specials are the codes ICAO 9303 Part 3 (section 5) adds to ISO 3166-1 alpha-3 for issuing
// states and nationalities, with the codes in everyday use on real documents that ISO does not
// assign (Kosovo) and the fictional state of the ICAO specimens.
var specials = map[string]Code{
	"D":   {ISO: "DEU", Name: "Germany (one-letter ICAO code)"},
	"EUE": {Name: "European Union"},
	"GBD": {ISO: "GBR", Name: "British Overseas Territories Citizen"},
	"GBN": {ISO: "GBR", Name: "British National (Overseas)"},
	"GBO": {ISO: "GBR", Name: "British Overseas Citizen"},
	"GBP": {ISO: "GBR", Name: "British Protected Person"},
	"GBS": {ISO: "GBR", Name: "British Subject"},
	"UNO": {Name: "United Nations Organization or one of its officials"},
	"UNA": {Name: "specialized agency of the United Nations or one of its officials"},
	"UNK": {Name: "resident of Kosovo with a travel document issued by UNMIK"},
	"XBA": {Name: "African Development Bank"},
	"XIM": {Name: "African Export-Import Bank"},
	"XCC": {Name: "Caribbean Community (CARICOM)"},
	"XCE": {Name: "Council of Europe"},
	"XCO": {Name: "Common Market for Eastern and Southern Africa (COMESA)"},
	"XDC": {Name: "Southern African Development Community (SADC)"},
	"XEC": {Name: "Economic Community of West African States (ECOWAS)"},
	"XES": {Name: "Organisation of Eastern Caribbean States (OECS)"},
	"XOM": {Name: "Sovereign Military Order of Malta"},
	"XPO": {Name: "International Criminal Police Organization (INTERPOL)"},
	"XXA": {Name: "stateless person (1954 Convention)"},
	"XXB": {Name: "refugee (1951 Convention)"},
	"XXC": {Name: "refugee other than under the 1951 Convention"},
	"XXX": {Name: "person of unspecified nationality"},
	"RKS": {Name: "Kosovo (code on Kosovo documents, not assigned by ISO 3166-1)"},
	"XKX": {Name: "Kosovo (user-assigned code, not ISO 3166-1)"},
	"UTO": {Name: "Utopia, the fictional state of the ICAO 9303 specimens"},
}

// LookupCode explains an issuer or nationality code: an ICAO 9303 special code (D, GBD, UNO,
// XXA, …) or an ISO 3166-1 alpha-3 country code, including withdrawn codes still printed on
// old documents. ok is false for any other code.
func LookupCode(code string) (c Code, ok bool) {
	if s, ok := specials[code]; ok {
		s.Code, s.Special = code, true
		return s, true
	}
	if len(code) != 3 {
		return Code{Code: code}, false
	}
	r, err := language.ParseRegion(code)
	if err != nil || !r.IsCountry() || r.IsPrivateUse() {
		return Code{Code: code}, false
	}
	return Code{Code: code, ISO: r.ISO3()}, true
}

// cyrillicStates issue documents whose names are usually transliterated from Cyrillic.
var cyrillicStates = map[string]bool{
	"RUS": true, "UKR": true, "BLR": true, "BGR": true, "SRB": true, "MKD": true,
	"KAZ": true, "KGZ": true, "TJK": true, "MNG": true,
}
