package eval

// Curated name material: names as they are written in their own script, with the Latin
// spellings they are found under on passports, watchlists and manifests. The first spelling
// is the usual one. Each culture's surnames and given names combine freely.

type spelled struct {
	script string   // the name in its own script ("" for Latin-script cultures)
	latin  []string // Latin spellings, the usual one first
}

type culture struct {
	kind     string // the kind of variation it exercises: "translit-cyrillic", …, "mrz-umlaut"
	nat      string
	surnames []spelled
	given    []spelled
	// fullName: the record holds the whole name in script, surname first, without a split
	// (Han, Hangul).
	fullName bool
}

var cultures = []culture{
	{kind: "translit-cyrillic", nat: "RUS",
		surnames: []spelled{
			{"Иванов", []string{"IVANOV", "IVANOFF"}}, {"Смирнов", []string{"SMIRNOV"}}, {"Кузнецов", []string{"KUZNETSOV", "KOUZNETSOV"}},
			{"Соколов", []string{"SOKOLOV"}}, {"Лебедев", []string{"LEBEDEV"}}, {"Козлов", []string{"KOZLOV"}},
			{"Новиков", []string{"NOVIKOV"}}, {"Морозов", []string{"MOROZOV"}}, {"Соловьёв", []string{"SOLOVYOV", "SOLOVEV", "SOLOVIEV"}},
			{"Васильев", []string{"VASILYEV", "VASILEV", "VASILIEV"}}, {"Зайцев", []string{"ZAYTSEV", "ZAITSEV"}}, {"Семёнов", []string{"SEMYONOV", "SEMENOV"}},
			{"Воробьёв", []string{"VOROBYOV", "VOROBEV"}}, {"Шевченко", []string{"SHEVCHENKO"}}, {"Щербаков", []string{"SHCHERBAKOV"}},
			{"Жуков", []string{"ZHUKOV"}}, {"Чернов", []string{"CHERNOV"}}, {"Юдин", []string{"YUDIN", "IUDIN"}},
		},
		given: []spelled{
			{"Юрий", []string{"YURIY", "IURII", "YURI"}}, {"Евгений", []string{"YEVGENIY", "EVGENII", "EVGENY"}},
			{"Алексей", []string{"ALEKSEY", "ALEKSEI", "ALEXEY"}}, {"Дмитрий", []string{"DMITRIY", "DMITRII", "DMITRY"}},
			{"Сергей", []string{"SERGEY", "SERGEI"}}, {"Андрей", []string{"ANDREY", "ANDREI"}}, {"Николай", []string{"NIKOLAY", "NIKOLAI"}},
			{"Наталья", []string{"NATALYA", "NATALIA"}}, {"Татьяна", []string{"TATYANA", "TATIANA"}}, {"Юлия", []string{"YULIA", "IULIIA", "YULIYA"}},
			{"Ксения", []string{"KSENIA", "KSENIIA", "KSENIYA"}}, {"Анастасия", []string{"ANASTASIYA", "ANASTASIIA", "ANASTASIA"}},
			{"Екатерина", []string{"YEKATERINA", "EKATERINA"}}, {"Михаил", []string{"MIKHAIL"}}, {"Владимир", []string{"VLADIMIR"}},
		}},
	{kind: "translit-arabic", nat: "SYR",
		surnames: []spelled{
			{"الحسن", []string{"AL-HASSAN", "ALHASAN", "EL HASSAN"}}, {"المصري", []string{"AL-MASRI", "EL MASRY", "ALMASRI"}},
			{"حداد", []string{"HADDAD", "HADAD"}}, {"خوري", []string{"KHOURY", "KHOURI", "KHURI"}}, {"منصور", []string{"MANSOUR", "MANSUR"}},
			{"الشامي", []string{"AL-SHAMI", "ALSHAMI", "ECH-CHAMI"}}, {"عثمان", []string{"OTHMAN", "OSMAN", "UTHMAN"}},
			{"القاسم", []string{"AL-QASIM", "ALKASSEM", "EL KASSEM"}}, {"حمدان", []string{"HAMDAN"}}, {"سليمان", []string{"SULEIMAN", "SULAIMAN", "SOLIMAN"}},
			{"الرشيد", []string{"AL-RASHID", "ALRASHEED", "EL RACHID"}}, {"الخطيب", []string{"AL-KHATIB", "ALKHATEEB", "EL KHATIB"}},
		},
		given: []spelled{
			{"محمد", []string{"MOHAMMED", "MUHAMMAD", "MOHAMED", "MOHAMMAD"}}, {"أحمد", []string{"AHMED", "AHMAD"}},
			{"حسين", []string{"HUSSEIN", "HUSSAIN", "HUSAYN", "HOSSEIN"}}, {"يوسف", []string{"YOUSSEF", "YUSUF", "YOUSEF"}},
			{"عبد الله", []string{"ABDULLAH", "ABDALLAH"}}, {"خالد", []string{"KHALED", "KHALID"}}, {"عمر", []string{"OMAR", "UMAR"}},
			{"فاطمة", []string{"FATIMA", "FATMA", "FATEMA"}}, {"مصطفى", []string{"MUSTAFA", "MOSTAFA", "MUSTAPHA"}},
			{"إبراهيم", []string{"IBRAHIM", "EBRAHIM"}}, {"سعيد", []string{"SAID", "SAEED"}}, {"جمال", []string{"JAMAL", "DJAMEL", "GAMAL"}},
			{"طارق", []string{"TAREK", "TARIQ", "TARIK"}}, {"كريم", []string{"KARIM", "KAREEM"}},
		}},
	{kind: "translit-greek", nat: "GRC",
		surnames: []spelled{
			{"Παπαδόπουλος", []string{"PAPADOPOULOS"}}, {"Παπαγεωργίου", []string{"PAPAGEORGIOU"}}, {"Οικονόμου", []string{"OIKONOMOU", "ECONOMOU"}},
			{"Γεωργίου", []string{"GEORGIOU"}}, {"Βασιλείου", []string{"VASILEIOU", "VASSILIOU"}}, {"Καραγιάννης", []string{"KARAGIANNIS", "KARAYANNIS"}},
			{"Χατζηδάκης", []string{"CHATZIDAKIS", "HATZIDAKIS"}}, {"Αντωνίου", []string{"ANTONIOU"}}, {"Μακρής", []string{"MAKRIS"}},
			{"Νικολάου", []string{"NIKOLAOU"}}, {"Δημητρίου", []string{"DIMITRIOU"}}, {"Ευαγγέλου", []string{"EVANGELOU"}},
		},
		given: []spelled{
			{"Γεώργιος", []string{"GEORGIOS", "GIORGOS", "YORGOS"}}, {"Ευάγγελος", []string{"EVANGELOS"}}, {"Δημήτριος", []string{"DIMITRIOS", "DEMETRIOS"}},
			{"Κωνσταντίνος", []string{"KONSTANTINOS", "CONSTANTINOS"}}, {"Νικόλαος", []string{"NIKOLAOS"}}, {"Ιωάννης", []string{"IOANNIS", "IOANIS"}},
			{"Ελένη", []string{"ELENI"}}, {"Αικατερίνη", []string{"AIKATERINI", "EKATERINI"}}, {"Σοφία", []string{"SOFIA", "SOPHIA"}},
			{"Χρήστος", []string{"CHRISTOS", "HRISTOS"}},
		}},
	{kind: "translit-hangul", nat: "KOR", fullName: true,
		surnames: []spelled{
			{"김", []string{"KIM"}}, {"이", []string{"LEE", "YI", "RHEE"}}, {"박", []string{"PARK", "PAK"}}, {"최", []string{"CHOI", "CHOE"}},
			{"정", []string{"JUNG", "JEONG", "CHUNG"}}, {"강", []string{"KANG"}}, {"조", []string{"CHO", "JO"}}, {"윤", []string{"YOON", "YUN"}},
			{"장", []string{"JANG", "CHANG"}}, {"임", []string{"LIM", "IM"}}, {"한", []string{"HAN"}}, {"신", []string{"SHIN", "SIN"}},
		},
		given: []spelled{
			{"민준", []string{"MINJUN", "MIN-JUN", "MIN JUN"}}, {"서연", []string{"SEOYEON", "SEO-YEON", "SEO YEON"}}, {"지훈", []string{"JIHUN", "JI-HUN"}},
			{"현우", []string{"HYEONU", "HYUNWOO"}}, {"수빈", []string{"SUBIN", "SU-BIN"}}, {"예은", []string{"YEEUN", "YE-EUN"}},
			{"도윤", []string{"DOYUN", "DO-YUN", "DOYOON"}}, {"하은", []string{"HAEUN", "HA-EUN"}}, {"지민", []string{"JIMIN", "JI-MIN"}},
			{"성민", []string{"SEONGMIN", "SUNGMIN"}},
		}},
	{kind: "translit-han", nat: "CHN", fullName: true,
		surnames: []spelled{
			{"王", []string{"WANG"}}, {"李", []string{"LI"}}, {"张", []string{"ZHANG"}}, {"刘", []string{"LIU"}}, {"陈", []string{"CHEN"}},
			{"杨", []string{"YANG"}}, {"黄", []string{"HUANG"}}, {"赵", []string{"ZHAO"}}, {"吴", []string{"WU"}}, {"周", []string{"ZHOU"}},
			{"徐", []string{"XU"}}, {"孙", []string{"SUN"}}, {"马", []string{"MA"}}, {"胡", []string{"HU"}}, {"郭", []string{"GUO"}},
		},
		given: []spelled{
			{"小明", []string{"XIAOMING", "XIAO MING"}}, {"伟", []string{"WEI"}}, {"娜", []string{"NA"}}, {"秀英", []string{"XIUYING", "XIU YING"}},
			{"建国", []string{"JIANGUO", "JIAN GUO"}}, {"丽娟", []string{"LIJUAN", "LI JUAN"}}, {"志强", []string{"ZHIQIANG", "ZHI QIANG"}},
			{"海燕", []string{"HAIYAN", "HAI YAN"}}, {"文", []string{"WEN"}}, {"晓东", []string{"XIAODONG", "XIAO DONG"}}, {"春梅", []string{"CHUNMEI", "CHUN MEI"}},
		}},
	{kind: "translit-kana", nat: "JPN",
		surnames: []spelled{
			{"たなか", []string{"TANAKA"}}, {"さとう", []string{"SATO", "SATOU"}}, {"すずき", []string{"SUZUKI"}}, {"たかはし", []string{"TAKAHASHI"}},
			{"わたなべ", []string{"WATANABE"}}, {"いとう", []string{"ITO", "ITOH"}}, {"やまもと", []string{"YAMAMOTO"}}, {"なかむら", []string{"NAKAMURA"}},
			{"こばやし", []string{"KOBAYASHI"}}, {"かとう", []string{"KATO", "KATOH"}}, {"しみず", []string{"SHIMIZU"}}, {"まつもと", []string{"MATSUMOTO"}},
		},
		given: []spelled{
			{"ひろし", []string{"HIROSHI"}}, {"たけし", []string{"TAKESHI"}}, {"ゆうき", []string{"YUKI", "YUUKI"}}, {"しょうた", []string{"SHOTA", "SHOUTA"}},
			{"はると", []string{"HARUTO"}}, {"さくら", []string{"SAKURA"}}, {"ゆい", []string{"YUI"}}, {"りょう", []string{"RYO", "RYOU"}},
			{"けんじ", []string{"KENJI"}}, {"なおみ", []string{"NAOMI"}},
		}},
	{kind: "mrz-umlaut", nat: "DEU",
		surnames: []spelled{
			{"Müller", []string{"MUELLER", "MULLER"}}, {"Schröder", []string{"SCHROEDER", "SCHRODER"}}, {"Günther", []string{"GUENTHER", "GUNTHER"}},
			{"Öztürk", []string{"OEZTUERK", "OZTURK"}}, {"Köhler", []string{"KOEHLER", "KOHLER"}}, {"Jäger", []string{"JAEGER", "JAGER"}},
			{"Krüger", []string{"KRUEGER", "KRUGER"}}, {"Böhm", []string{"BOEHM", "BOHM"}}, {"Gärtner", []string{"GAERTNER", "GARTNER"}},
			{"Wöhler", []string{"WOEHLER", "WOHLER"}}, {"Düring", []string{"DUERING", "DURING"}}, {"Sönmez", []string{"SOENMEZ", "SONMEZ"}},
		},
		given: []spelled{
			{"Jürgen", []string{"JUERGEN", "JURGEN"}}, {"Jörg", []string{"JOERG", "JORG"}}, {"Björn", []string{"BJOERN", "BJORN"}},
			{"Gülay", []string{"GUELAY", "GULAY"}}, {"Özlem", []string{"OEZLEM", "OZLEM"}}, {"Käthe", []string{"KAETHE", "KATHE"}},
			{"Jürgen Uwe", []string{"JUERGEN UWE", "JURGEN UWE"}}, {"Hans-Jörg", []string{"HANS JOERG", "HANS-JORG"}},
		}},
}
