package watchlisttest

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

// Person names are drawn the way real ones are distributed: a Zipf–Mandelbrot law over a
// vocabulary whose head is real common names from many cultures (SMITH, WANG, GARCIA, NGUYEN,
// MOHAMMED, MARIA, …) and whose long tail is synthetic names built from syllables. With the
// default sizes the commonest surname is about 0.9% of names and the commonest given name
// about 3%, and half of all people carry a surname shared by fewer than ~100 others in a
// million — close to what national name statistics show.

var realSurnames = strings.Fields(`
SMITH WANG LI ZHANG NGUYEN GARCIA LIU CHEN KIM DEVI KHAN SINGH KUMAR RODRIGUEZ JOHNSON MARTINEZ
HERNANDEZ LOPEZ GONZALEZ YANG HUANG ZHAO PEREZ SANCHEZ WILLIAMS BROWN JONES MILLER DAVIS SILVA
AHMED ALI HASSAN MOHAMED IBRAHIM HUSSAIN SHAH ABDULLAH PARK LEE CHOI JUNG WU ZHOU XU SUN MA ZHU
HU GUO HE LIN GAO LUO TRAN LE PHAM HOANG SANTOS OLIVEIRA SOUZA PEREIRA COSTA FERREIRA ALVES
RAMIREZ TORRES FLORES RIVERA GOMEZ DIAZ CRUZ MORALES REYES GUTIERREZ ORTIZ JIMENEZ RUIZ ALVAREZ
MUELLER SCHMIDT SCHNEIDER FISCHER WEBER MEYER WAGNER BECKER HOFFMANN MARTIN BERNARD DUBOIS
THOMAS ROBERT RICHARD PETIT DURAND LEROY MOREAU ROSSI RUSSO FERRARI ESPOSITO BIANCHI ROMANO
IVANOV SMIRNOV KUZNETSOV POPOV VASILIEV PETROV SOKOLOV MIKHAILOV NOVIKOV FEDOROV KOWALSKI NOWAK
WISNIEWSKI WOJCIK YILMAZ KAYA DEMIR SAHIN CELIK YILDIZ OZTURK AYDIN SHARMA PATEL GUPTA DAS
TANAKA SUZUKI SATO TAKAHASHI WATANABE ITO YAMAMOTO NAKAMURA OKAFOR ADEBAYO MENSAH DIALLO TRAORE
DIOP NDIAYE JANSEN BAKKER PAPADOPOULOS GEORGIOU COHEN LEVI MIZRAHI TAYLOR WILSON ANDERSON MOORE
JACKSON WHITE HARRIS CLARK LEWIS ROBINSON WALKER YOUNG ALLEN KING WRIGHT SCOTT HILL GREEN ADAMS
NELSON BAKER HALL CAMPBELL MITCHELL CARTER ROBERTS PHILLIPS EVANS TURNER PARKER COLLINS EDWARDS
STEWART MORRIS MURPHY COOK ROGERS MORGAN PETERSON COOPER REED BAILEY BELL KELLY HOWARD WARD COX
RICHARDSON WOOD WATSON BROOKS BENNETT GRAY JAMES HUGHES PRICE SANDERS MYERS LONG ROSS FOSTER
HAMDAN HADDAD KHOURY SALEH NASSER AZIZ RAHMAN KARIMI HOSSEINI MOHAMMADI AHMADI REZAEI MOUSAVI
BOTHA DLAMINI NKOSI MOKOENA OKEKE OKONKWO EZE BELLO ABUBAKAR MUSA YUSUF SULEIMAN OMAR MAHMOUD`)

var realGiven = strings.Fields(`
MOHAMMED MARIA JOHN JOSE MUHAMMAD AHMED ALI ANA DAVID WEI JUAN MICHAEL JAMES ROBERT LUIS CARLOS
FATIMA JING LI ELENA ANNA OMAR HASSAN WILLIAM RICHARD JOSEPH THOMAS CHARLES DANIEL MATTHEW
ANTHONY MARK PAUL STEVEN ANDREW PEDRO MIGUEL ANTONIO FRANCISCO MANUEL JEAN PIERRE MICHEL
PHILIPPE ALAIN NICOLAS HANS PETER KLAUS WOLFGANG GIUSEPPE GIOVANNI MARCO LUCA ALEKSANDR SERGEY
DMITRY ANDREY ALEKSEY IVAN VLADIMIR JUN MIN HUI YAN NA MINJUN SEOYEON HIROSHI TAKESHI YUKI
HUSSEIN KHALED YOUSSEF IBRAHIM MAHMOUD MUSTAFA ABDULLAH AISHA KHADIJA MARYAM ZAINAB OLGA
NATALIA TATIANA IRINA SOFIA LAURA SARAH EMMA OLIVIA ISABEL CARMEN ROSA LUCIA JULIA MARIE CLAIRE
SOPHIE NATHALIE PRIYA RAHUL AMIT RAJESH SANJAY MEHMET AHMET EMRE AYSE EMINE THANH MINH LINH
HUNG TUAN MARY PATRICIA JENNIFER LINDA ELIZABETH BARBARA SUSAN JESSICA KAREN NANCY LISA BETTY
GEORGE EDWARD BRIAN KEVIN JASON JEFFREY RYAN JACOB GARY ERIC STEPHEN LARRY JUSTIN SCOTT FRANK
YUSUF SALEM KARIM SAMIR TAREK WALID NABIL RACHID LEILA NOUR SALMA HANA AMINA YASMINE RANIA
GIORGOS NIKOS DIMITRIS KOSTAS YANNIS MOSHE YOSEF DAVID AVRAHAM SARA RIVKA ESTHER CHIDI EMEKA
TUNDE FEMI NGOZI CHIAMAKA KWAME KOFI AMA ABENA MAMADOU MOUSSA AMADOU AWA FATOU AMINATA`)

// NameVocabulary is a vocabulary of surnames and given names with Zipf–Mandelbrot
// frequencies. It is read-only after NewNameVocabulary and safe for concurrent use.
type NameVocabulary struct {
	Surnames, Given []string
	surCDF, givCDF  []float64
}

// NewNameVocabulary builds a vocabulary of nSurnames surnames and nGiven given names, real
// names first, with weights 1/(rank+q)^s: s = 1, q = 10 for surnames and q = 3 for given names.
func NewNameVocabulary(nSurnames, nGiven int, seed uint64) *NameVocabulary {
	r := rand.New(rand.NewPCG(seed, 0x6e616d6573))
	v := &NameVocabulary{Surnames: vocabulary(r, realSurnames, nSurnames, true), Given: vocabulary(r, realGiven, nGiven, false)}
	v.surCDF = zipfCDF(len(v.Surnames), 1, 10)
	v.givCDF = zipfCDF(len(v.Given), 1, 3)
	return v
}

func zipfCDF(n int, s, q float64) []float64 {
	cdf := make([]float64, n)
	var sum float64
	for i := range cdf {
		sum += 1 / math.Pow(float64(i+1)+q, s)
		cdf[i] = sum
	}
	for i := range cdf {
		cdf[i] /= sum
	}
	return cdf
}

// Surname draws a surname.
func (v *NameVocabulary) Surname(r *rand.Rand) string { return v.Surnames[draw(r, v.surCDF)] }

// GivenName draws a given name.
func (v *NameVocabulary) GivenName(r *rand.Rand) string { return v.Given[draw(r, v.givCDF)] }

// Share returns the probability of the most frequent surname and given name.
func (v *NameVocabulary) Share() (surname, given float64) { return v.surCDF[0], v.givCDF[0] }

func draw(r *rand.Rand, cdf []float64) int {
	i, _ := slices.BinarySearch(cdf, r.Float64())
	return min(i, len(cdf)-1)
}

var (
	onsets  = strings.Fields("B BR CH D DR F G GR H J K KH KR L M N P PR R S SH ST T TR V W Y Z")
	vowels  = strings.Fields("A E I O U A E I O AI EI OU IA")
	codas   = strings.Fields("N R L S M K T ND RT LL SS NK")
	suffix  = strings.Fields("OV EV SKI SKA EZ SON SEN MANN ESCU IDIS OGLU ELLI INI IC ENKO ER AN IN ARA AWI")
	gSuffix = strings.Fields("A O I E IA ANA INA ELLE ETTE IO OS")
)

func syllable(r *rand.Rand, b []byte) []byte {
	if r.IntN(5) != 0 {
		b = append(b, onsets[r.IntN(len(onsets))]...)
	}
	b = append(b, vowels[r.IntN(len(vowels))]...)
	if r.IntN(3) == 0 {
		b = append(b, codas[r.IntN(len(codas))]...)
	}
	return b
}

func vocabulary(r *rand.Rand, real []string, n int, surnames bool) []string {
	seen := make(map[string]bool, n)
	out := make([]string, 0, n)
	for _, s := range real {
		if len(out) < n && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	var b []byte
	for len(out) < n {
		b = b[:0]
		for range 1 + r.IntN(2) {
			b = syllable(r, b)
		}
		if surnames {
			if r.IntN(3) != 0 {
				b = append(b, suffix[r.IntN(len(suffix))]...)
			} else {
				b = syllable(r, b)
			}
		} else if r.IntN(2) == 0 {
			b = append(b, gSuffix[r.IntN(len(gSuffix))]...)
		}
		if s := string(b); len(s) >= 3 && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

var personNats = strings.Fields("FRA DEU ESP ITA GBR USA CHN IND PAK NGA EGY MAR DZA TUR RUS UKR POL ROU BRA MEX COL ARG SYR IRQ AFG IRN VNM PHL IDN KOR JPN GRC ISR SAU ARE TUN SEN MLI GHA CMR ETH SOM SDN KEN ZAF NLD BEL PRT CHE AUT SWE")

// Persons generates n notice records with names drawn from v: 70% men, one to three given
// names, a second surname one time in six; no alias for 55% of them, and one to three for the
// rest (another surname, another given name, the name written in full order, or a weak
// nickname); a full date of birth for 85%, a year or year and month for 12%, none for 3%, and
// a second candidate date for 5%; one or two nationalities. The same v, n and seed always
// give the same records.
func Persons(v *NameVocabulary, n int, seed uint64) []watchlist.Person {
	r := rand.New(rand.NewPCG(seed, 0x7065727333))
	types := []watchlist.NoticeType{watchlist.NoticeRed, watchlist.NoticeRed, watchlist.NoticeRed, watchlist.NoticeYellow, watchlist.NoticeBlue, watchlist.NoticeGreen, watchlist.NoticeUNSpecial}
	natCDF := zipfCDF(len(personNats), 1, 2)
	out := make([]watchlist.Person, n)
	for i := range out {
		p := watchlist.Person{ID: id("N", i), NoticeType: types[r.IntN(len(types))], Sex: "M"}
		if r.IntN(10) < 3 {
			p.Sex = "F"
		}
		nat := personNats[draw(r, natCDF)]
		p.Owner, p.Nationalities = nat, []string{nat}
		if r.IntN(10) == 0 {
			p.Nationalities = append(p.Nationalities, personNats[draw(r, natCDF)])
		}
		sur, giv := v.Surname(r), v.given(r)
		if r.IntN(6) == 0 {
			sur += " " + v.Surname(r)
		}
		p.Names = []watchlist.Name{{Surname: sur, GivenNames: giv}}
		aliases := 0
		switch x := r.IntN(100); {
		case x < 55:
		case x < 80:
			aliases = 1
		case x < 92:
			aliases = 2
		default:
			aliases = 3
		}
		for range aliases {
			switch r.IntN(4) {
			case 0:
				p.Names = append(p.Names, watchlist.Name{Surname: v.Surname(r), GivenNames: giv})
			case 1:
				p.Names = append(p.Names, watchlist.Name{Surname: sur, GivenNames: v.given(r)})
			case 2:
				p.Names = append(p.Names, watchlist.Name{FullName: giv + " " + sur})
			default:
				p.Names = append(p.Names, watchlist.Name{FullName: "EL " + v.Given[r.IntN(len(v.Given))] + "O", Weak: true})
			}
		}
		p.BirthDates = []event.Date{birthDate(r)}
		switch x := r.IntN(100); {
		case x < 3:
			p.BirthDates = nil
		case x < 9:
			p.BirthDates[0].Month, p.BirthDates[0].Day = 0, 0
		case x < 15:
			p.BirthDates[0].Day = 0
		case x < 20:
			p.BirthDates = append(p.BirthDates, birthDate(r))
		}
		out[i] = p
	}
	return out
}

func (v *NameVocabulary) given(r *rand.Rand) string {
	g := v.GivenName(r)
	for range r.IntN(3) / 2 {
		g += " " + v.GivenName(r)
	}
	return g
}

func birthDate(r *rand.Rand) event.Date {
	return event.Date{Year: 1940 + r.IntN(66), Month: 1 + r.IntN(12), Day: 1 + r.IntN(28)}
}

// PersonSubjects generates n travellers screened against people: nine in ten are random
// people drawn from v (so common names collide with records, as in real traffic), one in ten
// is a record's person presented with a variation — as recorded, a typo in the surname,
// surname and given names swapped, the surname alone, the given names missing one, a
// day/month swap or a one-digit typo in the date of birth.
func PersonSubjects(v *NameVocabulary, people []watchlist.Person, n int, seed uint64) []*event.Subject {
	r := rand.New(rand.NewPCG(seed, 0x7375626a))
	out := make([]*event.Subject, n)
	for i := range out {
		p := &event.Person{Surname: v.Surname(r), GivenNames: v.given(r), BirthDate: birthDate(r), Sex: "M", Nationality: personNats[r.IntN(len(personNats))]}
		if r.IntN(3) == 0 {
			p.Sex = "F"
		}
		if i%10 == 0 && len(people) > 0 {
			src := &people[r.IntN(len(people))]
			name := src.Names[0]
			p.Surname, p.GivenNames, p.Sex = name.Surname, name.GivenNames, src.Sex
			if len(src.BirthDates) > 0 {
				p.BirthDate = src.BirthDates[0]
			}
			if len(src.Nationalities) > 0 {
				p.Nationality = src.Nationalities[0]
			}
			switch r.IntN(7) {
			case 1:
				p.Surname = typo(r, p.Surname)
			case 2:
				p.Surname, p.GivenNames = p.GivenNames, p.Surname
			case 3:
				p.GivenNames = ""
			case 4:
				if g := strings.Fields(p.GivenNames); len(g) > 1 {
					p.GivenNames = g[0]
				}
			case 5:
				if d := p.BirthDate; d.Precision() == 3 && d.Day <= 12 {
					p.BirthDate.Month, p.BirthDate.Day = d.Day, d.Month
				}
			case 6:
				if p.BirthDate.Precision() == 3 {
					p.BirthDate.Day = 1 + (p.BirthDate.Day+4)%28
				}
			}
		}
		out[i] = &event.Subject{ID: id("S", i) + "/0", EventID: id("S", i), Kind: event.KindPerson, Person: p}
	}
	return out
}

// typo changes one letter of the first word of s of five letters or more.
func typo(r *rand.Rand, s string) string {
	b := []byte(s)
	for i := 0; i+4 < len(b); i++ {
		if b[i] != ' ' && (i == 0 || b[i-1] == ' ') && !strings.Contains(string(b[i:i+5]), " ") {
			k := i + 1 + r.IntN(3)
			b[k] = "AEIOURSTN"[r.IntN(9)]
			return string(b)
		}
	}
	return s
}
