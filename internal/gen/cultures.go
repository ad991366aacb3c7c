package gen

import (
	"math/rand/v2"
	"strings"
)

// cultureKind selects the naming rules of a culture.
type cultureKind int

const (
	kindPlain      cultureKind = iota // one surname token, 1-2 given names
	kindSpanish                       // two surnames (paternal, maternal)
	kindArabic                        // AL/EL/ABU/BIN particles, given + father's names
	kindRussian                       // gendered surnames, given name + patronymic
	kindChinese                       // one-syllable surname, given of 1-2 pinyin syllables
	kindVietnamese                    // surname, middle name + given name
	kindDutch                         // VAN / VAN DER / DE particles
)

// culture is a naming tradition: its surname material, given names and the nationalities of
// the people who bear them.
type culture struct {
	id           string
	kind         cultureKind
	nats         []string // nationalities, repeated for weight
	heads, tails []string // surnames are head+tail combinations...
	real         []string // ...plus real common surnames
	male, female []string
	weight       int // relative share among travellers and records
}

var cultures = []culture{
	{
		id: "french", kind: kindPlain, weight: 12, nats: []string{"FRA", "FRA", "FRA", "BEL", "CHE"},
		heads:  []string{"BEAU", "BEL", "BER", "BON", "BOU", "CHA", "CHE", "DAR", "DEL", "DU", "FAU", "FON", "GAR", "GIR", "LAM", "LAR", "MAR", "MER", "MON", "PER", "RAM", "ROU", "SAU", "TAR", "VAL", "VER", "VIL", "BLAN", "CLA", "GRAN", "BRI", "COR", "DES", "FER", "GUIL", "HER", "JOU", "LEC", "MAU", "PAS"},
		tails:  []string{"AND", "ARD", "AUD", "EAU", "ELLE", "ERT", "ET", "IER", "IN", "OT", "OUX", "ON", "ONT", "OUR", "ENT", "AIS", "EIL", "IGNY", "ANGE", "ERRE", "ILLE", "OIS"},
		real:   []string{"DUBOIS", "LEFÈVRE", "MOREAU", "LAURENT", "GIRARD", "BONNET", "FRANÇOIS", "MERCIER", "BOYER", "CHEVALIER", "GAUTHIER", "PERRIN", "ROUSSEAU", "LEGRAND", "GARNIER", "FAURE", "ANDRÉ", "MASSÉ", "BÉRANGER", "LEMAÎTRE"},
		male:   []string{"JEAN", "PIERRE", "MICHEL", "PHILIPPE", "ALAIN", "NICOLAS", "CHRISTOPHE", "LAURENT", "FRÉDÉRIC", "SÉBASTIEN", "JÉRÔME", "FRANÇOIS", "THIERRY", "OLIVIER", "DIDIER", "PASCAL", "ANTOINE", "JULIEN", "MAXIME", "GUILLAUME", "BENOÎT", "CÉDRIC", "THÉO", "ÉTIENNE", "RENÉ", "ANDRÉ", "HERVÉ", "LUC", "YANNICK", "MATHIEU"},
		female: []string{"MARIE", "NATHALIE", "ISABELLE", "SYLVIE", "CATHERINE", "FRANÇOISE", "VALÉRIE", "CHRISTINE", "SANDRINE", "CÉLINE", "HÉLÈNE", "AURÉLIE", "ÉMILIE", "CHLOÉ", "CAMILLE", "LÉA", "MANON", "JULIE", "SOPHIE", "CLAIRE", "AGNÈS", "BÉATRICE", "MÉLANIE", "ÉLODIE", "AMÉLIE", "NOÉMIE", "ANNE", "MARTINE", "CHANTAL", "ODILE"},
	},
	{
		id: "english", kind: kindPlain, weight: 9, nats: []string{"GBR", "GBR", "USA", "USA", "IRL", "AUS", "CAN"},
		heads:  []string{"ASH", "BLACK", "BRAD", "CAR", "CRAN", "FAIR", "GREEN", "HAR", "HOL", "LANG", "MID", "NORTH", "RAD", "SHEL", "STAN", "WAL", "WEST", "WHIT", "WOOD", "BRIDG", "ELL", "HAWK", "KEN", "LIN", "MOR"},
		tails:  []string{"FORD", "TON", "WELL", "LEY", "FIELD", "WOOD", "WORTH", "BY", "HAM", "DALE", "BURY", "SON", "MAN", "SHAW", "COMBE"},
		real:   []string{"SMITH", "JONES", "WILLIAMS", "TAYLOR", "BROWN", "DAVIES", "EVANS", "WILSON", "JOHNSON", "ROBERTS", "WALKER", "WRIGHT", "ROBINSON", "THOMPSON", "WHITE", "HUGHES", "EDWARDS", "HALL", "HARRIS", "LEWIS", "JACKSON", "CLARKE", "TURNER", "HILL", "SCOTT", "COOPER", "MORRIS", "WARD", "KING", "WATSON", "BAKER", "HARRISON", "MORGAN", "PATEL", "YOUNG", "ALLEN", "MITCHELL", "O'BRIEN", "O'CONNOR", "MCCARTHY"},
		male:   []string{"JAMES", "JOHN", "ROBERT", "MICHAEL", "WILLIAM", "DAVID", "RICHARD", "JOSEPH", "THOMAS", "CHARLES", "CHRISTOPHER", "DANIEL", "MATTHEW", "ANTHONY", "MARK", "STEVEN", "PAUL", "ANDREW", "JOSHUA", "KEVIN", "BRIAN", "GEORGE", "EDWARD", "RYAN", "JACOB", "GARY", "NICHOLAS", "ERIC", "JONATHAN", "OLIVER", "HARRY", "JACK"},
		female: []string{"MARY", "PATRICIA", "JENNIFER", "LINDA", "ELIZABETH", "BARBARA", "SUSAN", "JESSICA", "SARAH", "KAREN", "LISA", "NANCY", "BETTY", "MARGARET", "SANDRA", "ASHLEY", "EMILY", "DONNA", "MICHELLE", "CAROL", "AMANDA", "MELISSA", "DEBORAH", "STEPHANIE", "REBECCA", "LAURA", "SHARON", "CYNTHIA", "KATHLEEN", "AMY", "OLIVIA", "EMMA"},
	},
	{
		id: "spanish", kind: kindSpanish, weight: 10, nats: []string{"ESP", "ESP", "MEX", "COL", "ARG"},
		heads:  []string{"CAST", "MOR", "VAL", "SAL", "TORR", "CAMP", "MED", "HERR", "GALL", "SERR", "NAV", "RAM", "VEG", "MOL", "ORT", "ROM", "DOM", "LOZ", "CAB", "GUERR", "PAR", "BARR", "SOT", "FUENT", "ARR", "CORD", "ESC", "VID", "RUB", "MAC", "ALD", "BENIT", "CARR", "DELG", "ESPIN", "FIG", "GIR", "MANZ", "OLIV", "PACH"},
		tails:  []string{"ERO", "ADO", "ALES", "EDA", "ILLO", "ERA", "ANO", "ÓN", "AS", "EZ", "ARES", "INO", "UELO", "ÁN", "ÍN"},
		real:   []string{"GARCÍA", "FERNÁNDEZ", "GONZÁLEZ", "RODRÍGUEZ", "LÓPEZ", "MARTÍNEZ", "SÁNCHEZ", "PÉREZ", "GÓMEZ", "JIMÉNEZ", "RUIZ", "HERNÁNDEZ", "DÍAZ", "MORENO", "MUÑOZ", "ÁLVAREZ", "ROMERO", "ALONSO", "GUTIÉRREZ", "NAVARRO", "TORRES", "DOMÍNGUEZ", "VÁZQUEZ", "RAMOS", "GIL", "SERRANO", "BLANCO", "SUÁREZ", "MOLINA", "NÚÑEZ", "IBÁÑEZ"},
		male:   []string{"JOSÉ", "ANTONIO", "MANUEL", "FRANCISCO", "JUAN", "DAVID", "JAVIER", "DANIEL", "CARLOS", "JESÚS", "ALEJANDRO", "MIGUEL", "RAFAEL", "PABLO", "SERGIO", "FERNANDO", "JORGE", "ALBERTO", "LUIS", "ÁLVARO", "ADRIÁN", "DIEGO", "RAÚL", "ENRIQUE", "RAMÓN", "VÍCTOR", "ÓSCAR", "ANDRÉS", "IGNACIO", "EDUARDO"},
		female: []string{"MARÍA", "CARMEN", "ANA", "LAURA", "ISABEL", "DOLORES", "PILAR", "JOSEFA", "TERESA", "ROSA", "CRISTINA", "MARTA", "LUCÍA", "ELENA", "PAULA", "SARA", "RAQUEL", "BEATRIZ", "SILVIA", "PATRICIA", "ROCÍO", "INÉS", "SOFÍA", "ALBA", "NURIA", "MERCEDES", "VERÓNICA", "CONSUELO", "ÁNGELA", "MONTSERRAT"},
	},
	{
		id: "arabic", kind: kindArabic, weight: 14, nats: []string{"SYR", "IRQ", "EGY", "MAR", "MAR", "DZA", "DZA", "TUN", "JOR", "LBN", "SAU"},
		heads:  []string{"HASH", "MANS", "QAS", "HAD", "KHAL", "NAS", "RASH", "SAL", "SHAM", "TAW", "ZAH", "JAB", "HAM", "MAHM", "SULT", "BAKR", "HUS", "ABD", "FAR", "QUR", "SHAR", "TAM", "OTH", "ZUB", "DAHM", "KAW", "BAZ", "MAJ", "NAJ", "HAKK", "SAAD", "TAY", "BAGH", "MASR", "JAZ", "KARM", "NAHH", "FADL", "SHAHR", "QAHT", "DARW", "GHAZ", "JUB", "KHAT", "MUTAW", "NUSS", "QADD", "RUB", "SHIB", "WAHH", "YAHY", "ZAYD", "BARGH", "TIKR", "MADAN"},
		tails:  []string{"IMI", "OURI", "AWI", "ANI", "IRI", "EDI", "AMI", "OUDI", "ARI", "ISSI", "IKI", "ULI", "ABI", "ATI", "AYRI"},
		male:   []string{"MOHAMMED", "MOHAMED", "MUHAMMAD", "AHMED", "AHMAD", "ALI", "OMAR", "KHALED", "KHALID", "HASSAN", "HUSSEIN", "YOUSSEF", "YUSUF", "IBRAHIM", "MAHMOUD", "MUSTAFA", "ABDULLAH", "ABDELKADER", "KARIM", "SAMIR", "TAREK", "WALID", "HAMZA", "BILAL", "ZIAD", "NABIL", "RACHID", "SALEH", "FAISAL", "JAMAL", "ADNAN"},
		female: []string{"FATIMA", "AISHA", "KHADIJA", "MARYAM", "ZAINAB", "LEILA", "NOUR", "SALMA", "HANA", "AMINA", "YASMINE", "RANIA", "SAMIRA", "HOUDA", "NADIA", "LAYLA", "MUNA", "REEM", "SARA", "HIBA", "IMANE", "SOUAD", "ZAHRA", "WAFA", "ASMA", "DINA", "LINA", "RIM", "NAWAL", "MALIKA"},
	},
	{
		id: "russian", kind: kindRussian, weight: 8, nats: []string{"RUS", "RUS", "UKR", "BLR", "KAZ"},
		heads:  []string{"IVAN", "PETR", "SMIRN", "KUZNETS", "POP", "SOKOL", "LEBED", "KOZL", "NOVIK", "MOROZ", "VOLK", "SOLOV", "VASIL", "ZAITS", "PAVL", "SEMEN", "GOLUB", "VINOGRAD", "BOGDAN", "VOROB", "FEDOR", "MIKHAIL", "BEL", "TARAS", "BELOUS", "KOMAR", "ORL", "KISEL", "MAKAR", "ZAKHAR", "GROM", "DANIL", "ROMAN", "KRYL", "SHEST", "GUS"},
		tails:  []string{"OV", "EV", "IN", "SKIY", "ENKO", "CHUK"},
		male:   []string{"ALEKSANDR", "SERGEY", "DMITRIY", "ANDREY", "ALEKSEY", "MAKSIM", "IVAN", "ARTEM", "MIKHAIL", "NIKOLAY", "VLADIMIR", "PAVEL", "ROMAN", "OLEG", "DENIS", "YURIY", "EVGENIY", "VIKTOR", "BORIS", "KONSTANTIN", "ANATOLIY", "VADIM", "GRIGORIY", "STANISLAV", "TIMUR", "RUSLAN", "FEDOR"},
		female: []string{"ELENA", "OLGA", "NATALIA", "TATIANA", "IRINA", "SVETLANA", "ANNA", "MARIA", "EKATERINA", "YULIA", "ANASTASIA", "DARIA", "LYUDMILA", "GALINA", "NADEZHDA", "VALENTINA", "ALINA", "KSENIA", "POLINA", "VERA", "OKSANA", "LARISA", "MARINA", "ZOYA", "INNA", "ALLA", "VIKTORIA", "SOFIA", "DIANA", "EVGENIA"},
	},
	{
		id: "chinese", kind: kindChinese, weight: 6, nats: []string{"CHN"},
		real: []string{"WANG", "LI", "ZHANG", "LIU", "CHEN", "YANG", "HUANG", "ZHAO", "WU", "ZHOU", "XU", "SUN", "MA", "ZHU", "HU", "GUO", "HE", "LIN", "GAO", "LUO", "ZHENG", "LIANG", "XIE", "SONG", "TANG", "HAN", "FENG", "DENG", "CAO", "PENG", "ZENG", "XIAO", "TIAN", "DONG", "PAN", "YUAN", "CAI", "JIANG", "YU", "DU", "YE", "CHENG", "WEI", "SU", "LYU", "DING", "REN", "LU", "YAO", "SHEN", "ZHONG", "CUI", "TAN", "FAN", "JIN", "SHI", "QIU", "QIN", "GU", "HOU", "SHAO", "MENG", "LONG", "WAN", "DUAN", "LEI", "QIAN", "YIN", "CHANG", "KONG", "OUYANG", "SIMA", "ZHUGE", "MO", "BAI", "XIONG", "JIA", "KANG", "FU", "GONG"},
		// given-name syllables; a given name is one or two of them written together
		male:   []string{"WEI", "QIANG", "JUN", "YONG", "JIE", "TAO", "MING", "CHAO", "GANG", "HUA", "KAI", "BIN", "BO", "GUANG", "HAO", "JIAN", "PENG", "RUI", "ZHI", "XIANG", "ZE", "HONG", "XUAN", "HUI", "QING", "NING", "SHAN", "WEN", "XIN", "HENG"},
		female: []string{"FANG", "NA", "XIU", "YING", "MIN", "JING", "JUAN", "XIA", "PING", "LAN", "DAN", "FEI", "LING", "MEI", "TING", "XUE", "ZHEN", "YAN", "QIAO", "YUE", "HUI", "QING", "NING", "SHAN", "WEN", "XIN", "LI", "YI", "ZI", "SHU"},
	},
	{
		id: "turkish", kind: kindPlain, weight: 8, nats: []string{"TUR"},
		heads:  []string{"KARA", "AK", "ÖZ", "GÖK", "YIL", "ER", "KOÇ", "TUN", "ALP", "ÇAK", "BAŞ", "KUR", "SARI", "UYS", "KOR", "TOP", "AY", "GÜN", "BOZ", "ŞEN"},
		tails:  []string{"OĞLU", "TÜRK", "SOY", "MAZ", "KAN", "DAĞ", "TAŞ", "ER", "CAN", "GÜL", "DEMİR", "ASLAN", "ÇELİK", "OK", "BAY"},
		real:   []string{"YILMAZ", "KAYA", "DEMİR", "ŞAHİN", "ÇELİK", "YILDIZ", "YILDIRIM", "ÖZTÜRK", "AYDIN", "ÖZDEMİR", "ARSLAN", "DOĞAN", "KILIÇ", "ÇETİN", "KARA", "KOÇ", "KURT", "ÖZKAN", "ŞİMŞEK", "POLAT", "ÖZCAN", "KORKMAZ", "ÇAKIR", "ERDOĞAN", "YAVUZ", "ACAR", "AKSOY"},
		male:   []string{"MEHMET", "MUSTAFA", "AHMET", "ALİ", "HÜSEYİN", "HASAN", "İBRAHİM", "İSMAİL", "OSMAN", "YUSUF", "MURAT", "ÖMER", "RAMAZAN", "HALİL", "SÜLEYMAN", "ABDULLAH", "MAHMUT", "SALİH", "KEMAL", "ORHAN", "GÖKHAN", "ÖZGÜR", "ÇAĞLAR", "ŞÜKRÜ", "EMRE", "BURAK", "SERKAN", "VOLKAN", "TOLGA", "UĞUR"},
		female: []string{"FATMA", "AYŞE", "EMİNE", "HATİCE", "ZEYNEP", "ELİF", "MERYEM", "ŞERİFE", "ZEHRA", "SULTAN", "HANİFE", "MERVE", "HAVVA", "ZELİHA", "ESRA", "ÖZLEM", "YASEMİN", "HÜLYA", "DERYA", "GÜLSÜM", "ÇİĞDEM", "SEVGİ", "BÜŞRA", "KÜBRA", "TUĞBA", "GİZEM", "DİLEK", "NURCAN", "SİBEL", "EBRU"},
	},
	{
		id: "german", kind: kindPlain, weight: 9, nats: []string{"DEU", "DEU", "DEU", "AUT"},
		heads:  []string{"SCHWARZ", "WEISS", "GRÜN", "BERG", "HOF", "KIRCH", "LIND", "ROSEN", "STEIN", "WALD", "BRAND", "FELD", "HAHN", "KOCH", "ZIMMER", "BAU", "SCHRÖD", "KÖHL", "MÜHL", "BÖHM", "HÜBN", "FUCHS", "WOLF", "LANG", "KRAUS", "BRAUN", "HART", "SCHUL", "KLEIN", "EICH"},
		tails:  []string{"MANN", "ER", "BERG", "HOFF", "FELD", "STEIN", "KOPF", "BAUER", "MEIER", "LE", "WALD", "HAUSER", "BRUCK", "INGER"},
		real:   []string{"MÜLLER", "SCHMIDT", "SCHNEIDER", "FISCHER", "WEBER", "MEYER", "WAGNER", "BECKER", "SCHULZ", "HOFFMANN", "SCHÄFER", "KOCH", "BAUER", "RICHTER", "KLEIN", "WOLF", "NEUMANN", "SCHWARZ", "ZIMMERMANN", "BRAUN", "KRÜGER", "HOFMANN", "HARTMANN", "LANGE", "SCHMITT", "WERNER", "KRAUSE", "LEHMANN", "GROß", "STRAUß", "GROßMANN", "JÄGER"},
		male:   []string{"JÜRGEN", "KLAUS", "STEFAN", "MATTHIAS", "MICHAEL", "THOMAS", "ANDREAS", "WOLFGANG", "FRANK", "UWE", "JÖRG", "SÖREN", "BERND", "DIETER", "HANS", "PETER", "TOBIAS", "FLORIAN", "LUKAS", "JONAS", "FELIX", "MAXIMILIAN", "KARL-HEINZ", "GÜNTER", "HORST", "RALF", "MARKUS", "SVEN", "DIRK", "HEIKO"},
		female: []string{"BÄRBEL", "KATRIN", "SABINE", "PETRA", "ANDREA", "MONIKA", "URSULA", "GABRIELE", "SUSANNE", "CLAUDIA", "BIRGIT", "STEFANIE", "JULIA", "LENA", "HANNAH", "LEONIE", "ANNELIESE", "HILDEGARD", "GERTRUD", "INGRID", "KÄTHE", "JUTTA", "HEIKE", "SILKE", "ANJA", "NICOLE", "TANJA", "SANDRA", "DÖRTE", "GRETA"},
	},
	{
		id: "nigerian", kind: kindPlain, weight: 7, nats: []string{"NGA"},
		heads:  []string{"ADE", "OLU", "OKO", "CHI", "NWA", "EZE", "OBI", "IFE", "BABA", "ONY", "UZO", "AKIN", "OLA", "AYO", "EME", "NNA", "IKE", "OGU", "ABI", "FOLA"},
		tails:  []string{"BAYO", "WALE", "NKWO", "NEDU", "KWE", "NNA", "MI", "DELE", "TUNDE", "SANYA", "BUIKE", "GWU", "LUWA", "YEMI", "JOBI"},
		real:   []string{"ADEBAYO", "OKONKWO", "OKAFOR", "BELLO", "OKEKE", "NWOSU", "EZE", "OBI", "ADEYEMI", "OLAWALE", "OGUNDIPE", "ADELEKE", "NWANKWO", "OYELARAN", "DANJUMA", "ABUBAKAR"},
		male:   []string{"CHINEDU", "EMEKA", "OLUWASEUN", "TUNDE", "BABATUNDE", "SEGUN", "IFEANYI", "CHUKWUEMEKA", "OBINNA", "NNAMDI", "UCHE", "KELECHI", "IBRAHIM", "MUSA", "SANI", "YUSUF", "DANIEL", "SAMUEL", "JOHN", "EMMANUEL", "GODWIN", "SUNDAY", "FEMI", "KUNLE", "DAYO", "TOBI", "YEMI", "CHIDI"},
		female: []string{"NGOZI", "FUNMILAYO", "CHIAMAKA", "ADAEZE", "AMAKA", "BLESSING", "FATIMA", "AISHA", "HAUWA", "ZAINAB", "YETUNDE", "BOLANLE", "FOLAKE", "TITILAYO", "CHIOMA", "NKECHI", "IFEOMA", "OLUCHI", "KEMI", "BISI", "GRACE", "MERCY", "JOY", "PATIENCE", "ESTHER", "RUTH", "DEBORAH", "HALIMA", "AMINAT"},
	},
	{
		id: "vietnamese", kind: kindVietnamese, weight: 4, nats: []string{"VNM"},
		real:   []string{"NGUYEN", "TRAN", "LE", "PHAM", "HOANG", "HUYNH", "PHAN", "VU", "VO", "DANG", "BUI", "DO", "HO", "NGO", "DUONG", "LY", "TRUONG", "DINH", "LAM", "TRINH", "LUONG", "CAO", "TA", "QUACH", "KHUC", "TIEU"},
		male:   []string{"HUNG", "DUNG", "TUAN", "HAI", "NAM", "SON", "THANG", "KHOA", "PHONG", "TRUNG", "HIEU", "KHANH", "BAO", "PHUC", "VINH", "QUY", "TAI", "LOC"},
		female: []string{"LAN", "HOA", "HUONG", "LINH", "TRANG", "THAO", "NHUNG", "HANH", "YEN", "PHUONG", "VY", "NGA", "TUYET", "XUAN", "DIEP", "OANH"},
	},
	{
		id: "dutch", kind: kindDutch, weight: 5, nats: []string{"NLD", "NLD", "BEL"},
		heads:  []string{"OOST", "WEST", "NOORD", "ZUID", "GROOT", "HOOG", "BRAND", "ROZEN", "EIKEN", "LINDEN", "AMER", "DOOR", "HEEM", "WAGE", "ZWART", "BLOEM", "STEEN"},
		tails:  []string{"BERG", "DIJK", "BROEK", "HOF", "VELD", "MEER", "BOS", "HUIS", "BEEK", "KAMP", "ZAND", "HOUT", "WIJK", "DAM"},
		real:   []string{"DE JONG", "JANSEN", "DE VRIES", "VAN DEN BERG", "VAN DIJK", "BAKKER", "JANSSEN", "VISSER", "SMIT", "MEIJER", "DE BOER", "MULDER", "DE GROOT", "BOS", "VOS", "PETERS", "HENDRIKS", "VAN LEEUWEN", "DEKKER", "BROUWER", "DE WIT", "DIJKSTRA", "SMITS", "DE GRAAF", "VAN DER MEER"},
		male:   []string{"JAN", "PIETER", "DAAN", "BRAM", "SEM", "LUCAS", "MILAN", "THIJS", "RUUD", "JOOST", "WOUTER", "HENK", "GERRIT", "KEES", "MAARTEN", "SJOERD", "BAS", "NIELS", "JEROEN", "STIJN"},
		female: []string{"SANNE", "ANOUK", "FLEUR", "LOTTE", "EVA", "ISA", "FENNA", "MAAIKE", "ANNEKE", "INGE", "MARIEKE", "ILSE", "FEMKE", "NIENKE", "ROOS", "JOKE", "WILLEMIJN", "SASKIA"},
	},
}

// nicknames are weak aliases. None of their words is a given name or a surname stem, so a
// traveller can never carry one.
var nicknames = []string{
	"EL FLACO", "EL GORDO", "LA TIGRESA", "EL MONO", "LE GITAN", "LE BARBU", "AL FARANSI",
	"AL BRITANI", "ABU QATADA", "ABU DUJANA", "SHAKAL", "ZMEY", "TOPOR", "DER SCHATTEN",
	"EL PROFE", "KOBRA", "EL SARGENTO", "EL CHINO", "IL DOTTORE", "MAMBA NEGRA",
}

// unidentified is the name of black-notice records (unidentified bodies).
const unidentified = "UNIDENTIFIED"

// stem is one family name as it is written for a man and for a woman (identical outside
// gendered traditions). fixed stems already carry their particle.
type stem struct {
	m, f  string
	fixed bool
	group string // stems of one group go to the same pool: the head of a combination
}

func (s stem) form(sex string) string {
	if sex == "F" {
		return s.f
	}
	return s.m
}

// stems lists the culture's family names, in a fixed order.
func (c *culture) stems() []stem {
	var out []stem
	for _, r := range c.real {
		out = append(out, stem{m: r, f: r, fixed: strings.Contains(r, " ") || c.kind == kindDutch, group: r})
	}
	for _, h := range c.heads {
		for _, t := range c.tails {
			s := stem{m: h + t, f: h + t}
			if c.kind == kindRussian {
				s = russianStem(h, t)
			}
			s.group = "+" + h
			out = append(out, s)
		}
	}
	return out
}

func russianStem(head, tail string) stem {
	switch tail {
	case "SKIY":
		return stem{m: head + "SKIY", f: head + "SKAYA"}
	case "ENKO", "CHUK":
		return stem{m: head + tail, f: head + tail}
	default:
		return stem{m: head + tail, f: head + tail + "A"}
	}
}

// givenTokens is every word a given name of this culture can contain.
func (c *culture) givenTokens() []string {
	out := append(append([]string(nil), c.male...), c.female...)
	switch c.kind {
	case kindRussian:
		for _, m := range c.male {
			out = append(out, patronymic(m, "M"), patronymic(m, "F"))
		}
	case kindChinese:
		syl := append(append([]string(nil), c.male...), c.female...)
		for _, a := range syl {
			for _, b := range syl {
				out = append(out, a+b)
			}
		}
	case kindVietnamese:
		out = append(out, vietMiddleM...)
		out = append(out, vietMiddleF...)
	default:
	}
	return out
}

var (
	vietMiddleM = []string{"VAN", "DUC", "HUU", "MINH", "QUANG", "THANH"}
	vietMiddleF = []string{"THI", "NGOC", "THU", "KIM", "BICH"}
)

// patronymic derives a Russian patronymic from the father's given name.
func patronymic(father, sex string) string {
	base, suffix := father, "OV"
	if strings.HasSuffix(father, "Y") {
		base, suffix = strings.TrimSuffix(father, "Y"), "EV"
	}
	if sex == "F" {
		return base + suffix + "NA"
	}
	return base + suffix + "ICH"
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// given draws given names for a person of this culture and sex ("U" draws either).
func (c *culture) given(r *rand.Rand, sex string) string {
	if sex != "M" && sex != "F" {
		sex = pick(r, []string{"M", "F"})
	}
	pool := c.male
	if sex == "F" {
		pool = c.female
	}
	n := 1
	switch c.kind {
	case kindRussian:
		if r.IntN(10) < 7 {
			return pick(r, pool) + " " + patronymic(pick(r, c.male), sex)
		}
		return pick(r, pool)
	case kindChinese:
		if r.IntN(10) < 3 {
			return pick(r, pool)
		}
		return pick(r, pool) + pick(r, pick(r, [][]string{c.male, c.female}))
	case kindVietnamese:
		mid := vietMiddleM
		if sex == "F" {
			mid = vietMiddleF
		}
		if r.IntN(10) < 8 {
			return pick(r, mid) + " " + pick(r, pool)
		}
		return pick(r, pool)
	case kindArabic:
		// own name, then father's (and grandfather's) names
		switch x := r.IntN(20); {
		case x < 9:
		case x < 17:
			return pick(r, pool) + " " + pick(r, c.male)
		default:
			return pick(r, pool) + " " + pick(r, c.male) + " " + pick(r, c.male)
		}
	default:
		if r.IntN(10) < 3 {
			n = 2
		}
	}
	first := pick(r, pool)
	if n == 1 {
		return first
	}
	for range 5 {
		if second := pick(r, pool); second != first {
			return first + " " + second
		}
	}
	return first
}

// surname renders a family name for a person: the stem's form for the sex, with the
// culture's particles, and for Spanish names a second (maternal) surname from more.
func (c *culture) surname(r *rand.Rand, s stem, sex string, more []stem) string {
	name := s.form(sex)
	if s.fixed {
		return name
	}
	switch c.kind {
	case kindArabic:
		sep := " "
		if r.IntN(5) == 0 {
			sep = "-"
		}
		switch x := r.IntN(20); {
		case x < 9:
			return "AL" + sep + name
		case x < 12:
			return "EL" + sep + name
		case x < 13:
			return "ABU " + name
		case x < 14:
			return "BIN " + name
		}
	case kindDutch:
		switch x := r.IntN(20); {
		case x < 7:
			return "VAN " + name
		case x < 9:
			return "VAN DER " + name
		case x < 10:
			return "VAN DEN " + name
		case x < 12:
			return "DE " + name
		}
	case kindSpanish:
		if len(more) > 0 && r.IntN(10) < 8 {
			for range 5 {
				if m := pick(r, more); !m.fixed && m.m != s.m {
					return name + " " + m.m
				}
			}
		}
	default:
	}
	return name
}

// surnameFirst reports whether the culture writes the surname first in a full name.
func (c *culture) surnameFirst() bool {
	return c.kind == kindChinese || c.kind == kindVietnamese
}

// fullName writes a name the way a record with an unknown split carries it.
func (c *culture) fullName(surname, given string) string {
	if c.surnameFirst() {
		return surname + " " + given
	}
	return given + " " + surname
}
