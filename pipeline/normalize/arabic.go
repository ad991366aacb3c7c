package normalize

// Arabic names in Latin letters. Most romanisations of one Arabic name meet in the phonetic
// skeleton (MOHAMMED, MUHAMMAD, MOHAMED → MHMT; HUSSEIN, HUSAYN, HOSSEIN → HSN), but a few
// letters change consonant class between romanisations, and no general rule can join them
// without joining unrelated names of other languages:
//
//   - ث is TH in Arabic spellings and S in Turkish, Persian and Urdu ones (OTHMAN, OSMAN;
//     THABIT, SABIT; HAITHAM, HAYSAM), but reading TH as S would join THOMAS and SOMAS;
//   - ج is J (or DJ in French spellings), G in Egyptian ones and C in Turkish ones (JAMAL,
//     DJAMEL, GAMAL, CEMAL), but reading G as J would join GORDON and JORDAN;
//   - ق is Q or K, and G or GH in Gulf, Sudanese and Persian spellings (QASIM, GASIM, GHASEM);
//   - ذ, ض and ظ are DH, D or TH in Arabic spellings and Z in Persian, Urdu and Turkish ones
//     (DHAKIR, ZAKIR; FADIL, FAZIL; RAMADAN, RAMAZAN).
//
// So a token that is a known spelling of a common name with such a letter gets the key of its
// name (arabicNameKey): the phonetic skeleton of the name's commonest spelling, so that this
// spelling keeps every spelling it already met and the others join it. Like the Korean surname
// table, it gives a phonetic match (index.NamePhonetic), weaker than the spelling the record
// holds.
//
// Names are listed only where every spelling is the one name. Some are left out because a
// spelling is a common name of another language (NAGY, Hungarian, for ناجي NAGI; GOUDA for
// جودة) or because the class's key would join another common name (ثريا: SORAYA's key SRa is
// SARA's; قيس: GAIS would join QAIS's key KSi, CASEY's).

// arabicNameClass is one Arabic name and its Latin spellings, the commonest first.
type arabicNameClass struct {
	script    string   // the name in Arabic script, as records hold it
	spellings []string // folded tokens, the commonest first
}

// arabicNameClasses lists common Arabic given names and surnames whose romanisations differ in
// a consonant class. A spelling such as JMAL or DHAKR is the unvowelled one translit.go writes
// for the script (where its skeleton differs from the key).
var arabicNameClasses = []arabicNameClass{
	// ث: TH, S, T
	{"عثمان", []string{"OTHMAN", "OSMAN", "UTHMAN", "USMAN", "OTMAN", "OTHMANE", "OUTHMANE", "OSMANE"}},
	{"عثماني", []string{"OTHMANI", "OSMANI", "USMANI", "UTHMANI"}},
	{"ثابت", []string{"THABIT", "THABET", "SABIT", "SABET"}},
	{"هيثم", []string{"HAITHAM", "HAYTHAM", "HEITHAM", "HAISAM", "HAYSAM", "HEYSEM"}},
	{"مثنى", []string{"MUTHANNA", "MUTHANA", "MOTHANNA", "MUSANNA"}},
	{"كوثر", []string{"KAWTHAR", "KAWSAR", "KAUSAR", "KOUSAR", "KOWSAR", "KEVSER", "KUTHR"}},
	// ج: J, DJ, G, C
	{"جمال", []string{"JAMAL", "GAMAL", "DJAMEL", "JAMEL", "DJAMAL", "CEMAL"}},
	{"جميل", []string{"JAMIL", "GAMIL", "JAMEEL", "GAMEEL", "DJAMIL", "CEMIL"}},
	{"جلال", []string{"JALAL", "GALAL", "JELAL", "DJELAL", "CELAL"}},
	{"جعفر", []string{"JAFAR", "JAAFAR", "JAFFAR", "JAFER", "GAAFAR", "GAFAR", "DJAFAR", "CAFER"}},
	{"جمعة", []string{"JUMA", "JUMAA", "JOUMAA", "JOMAA", "GOMAA", "GUMAA", "GOMA", "DJOUMA", "CUMA"}},
	{"جابر", []string{"JABER", "JABIR", "GABER", "GABIR", "DJABER"}},
	{"جبر", []string{"JABR", "GABR"}},
	{"رجب", []string{"RAJAB", "RAGAB", "REGEB", "REDJEB", "RECEP"}},
	{"نجيب", []string{"NAJIB", "NAGUIB", "NAGIB", "NEGUIB", "NADJIB", "NECIP"}},
	{"حجازي", []string{"HIJAZI", "HEJAZI", "HIJAZY", "HEGAZY", "HEGAZI", "HIGAZI"}},
	{"مجدي", []string{"MAGDY", "MAGDI", "MAJDI", "MAJDY", "MEJDI", "MJDI"}},
	{"وجدي", []string{"WAGDY", "WAGDI", "WAJDI", "WAJDY", "WJDI"}},
	{"مجاهد", []string{"MUJAHID", "MUJAHED", "MOJAHED", "MEGAHED", "MUGAHID"}},
	// ق: Q, K, G, GH
	{"قاسم", []string{"QASIM", "KASSEM", "QASSEM", "QASEM", "KASIM", "KASEM", "KACEM", "QASSIM", "KASSIM", "GASIM", "GASSIM", "GHASEM", "GHASSEM"}},
	{"قادر", []string{"QADIR", "KADER", "KADIR", "QADER", "GADIR", "GHADER"}},
	// ذ, ض, ظ: DH, D, TH, Z
	{"ذاكر", []string{"ZAKIR", "ZAKER", "DHAKIR", "DHAKER", "DHAKR"}},
	{"ذكي", []string{"ZAKI", "ZAKY", "ZAKKI", "DHAKI", "DHKI"}},
	{"كاظم", []string{"KAZIM", "KAZEM", "KADHIM", "KADHEM"}},
	{"ناظم", []string{"NAZIM", "NAZEM", "NADHIM", "NADHEM"}},
	{"حافظ", []string{"HAFIZ", "HAFEZ", "HAFIDH", "HAFEDH"}},
	{"ظاهر", []string{"ZAHIR", "ZAHER", "DHAHIR", "DHAHER"}},
	{"فاضل", []string{"FADIL", "FADEL", "FADHIL", "FAZIL", "FAZEL"}},
	{"رمضان", []string{"RAMADAN", "RAMADHAN", "RAMAZAN", "RAMZAN", "RAMDANE"}},
	{"", []string{"ZULFIQAR", "ZULFIKAR", "ZULFAQAR", "ZOLFAGHAR", "ZULFAGHAR", "DHULFIQAR"}},
}

// arabicArticlePrefixes are the spellings of the article that a surname is found joined to
// (ALOTHMAN, ELGAMAL): a listed spelling after one of them gets the key of the article joined
// to the commonest spelling.
var arabicArticlePrefixes = []string{"AL", "EL"}

// maxArabicNameLen is the length of the longest key of arabicNameKey: longer tokens skip the
// table.
const maxArabicNameLen = 11

// arabicNameKey maps every spelling of arabicNameClasses, alone and joined to the article, to
// its class's key: the phonetic skeleton of the commonest spelling (alone or joined to AL).
// Built once; read only.
var arabicNameKey = func() map[string]string {
	m := map[string]string{}
	for _, class := range arabicNameClasses {
		key := string(appendSkeleton(nil, class.spellings[0]))
		alKey := string(appendSkeleton(nil, "AL"+class.spellings[0]))
		for _, s := range class.spellings {
			m[s] = key
			for _, art := range arabicArticlePrefixes {
				m[art+s] = alKey
			}
		}
	}
	return m
}()
