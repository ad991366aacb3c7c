package normalize

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Han characters have no algorithmic romanisation: a character's reading depends on the word
// and, for Japanese kanji, on a dictionary. hanTable holds the pinyin (without tones; ü as YU,
// as on PRC passports) of the 623 commonest surname and given-name characters, simplified and
// traditional; hanCompound the compound surnames. Characters outside it are kept as they are.
const hanTable = `
王WANG 李LI 张ZHANG 張ZHANG 刘LIU 劉LIU 陈CHEN 陳CHEN 杨YANG 楊YANG 黄HUANG 黃HUANG 赵ZHAO 趙ZHAO 吴WU
吳WU 周ZHOU 徐XU 孙SUN 孫SUN 马MA 馬MA 朱ZHU 胡HU 郭GUO 何HE 高GAO 林LIN 罗LUO 羅LUO 郑ZHENG 鄭ZHENG 梁LIANG
谢XIE 謝XIE 宋SONG 唐TANG 许XU 許XU 韩HAN 韓HAN 冯FENG 馮FENG 邓DENG 鄧DENG 曹CAO 彭PENG 曾ZENG 肖XIAO
萧XIAO 蕭XIAO 田TIAN 董DONG 袁YUAN 潘PAN 于YU 蒋JIANG 蔣JIANG 蔡CAI 余YU 杜DU 叶YE 葉YE 程CHENG 苏SU 蘇SU
魏WEI 吕LYU 呂LYU 丁DING 任REN 沈SHEN 姚YAO 卢LU 盧LU 姜JIANG 崔CUI 钟ZHONG 鍾ZHONG 谭TAN 譚TAN 陆LU 陸LU
汪WANG 范FAN 金JIN 石SHI 廖LIAO 贾JIA 賈JIA 夏XIA 韦WEI 韋WEI 付FU 傅FU 方FANG 白BAI 邹ZOU 鄒ZOU 孟MENG
熊XIONG 秦QIN 邱QIU 江JIANG 尹YIN 薛XUE 闫YAN 阎YAN 閻YAN 段DUAN 雷LEI 侯HOU 龙LONG 龍LONG 史SHI 陶TAO 黎LI
贺HE 賀HE 顾GU 顧GU 毛MAO 郝HAO 龚GONG 龔GONG 邵SHAO 万WAN 萬WAN 钱QIAN 錢QIAN 严YAN 嚴YAN 覃QIN 武WU 戴DAI
莫MO 孔KONG 向XIANG 汤TANG 湯TANG 常CHANG 温WEN 溫WEN 康KANG 施SHI 文WEN 牛NIU 樊FAN 葛GE 邢XING 安AN 齐QI
齊QI 易YI 乔QIAO 喬QIAO 伍WU 庞PANG 龐PANG 颜YAN 顏YAN 倪NI 庄ZHUANG 莊ZHUANG 聂NIE 聶NIE 章ZHANG 鲁LU 魯LU
岳YUE 翟ZHAI 殷YIN 詹ZHAN 申SHEN 欧OU 歐OU 耿GENG 关GUAN 關GUAN 兰LAN 蘭LAN 焦JIAO 俞YU 左ZUO 柳LIU 甘GAN
祝ZHU 包BAO 宁NING 寧NING 尚SHANG 符FU 舒SHU 阮RUAN 柯KE 纪JI 紀JI 梅MEI 童TONG 凌LING 毕BI 畢BI 单SHAN
單SHAN 季JI 裴PEI 霍HUO 涂TU 成CHENG 苗MIAO 谷GU 盛SHENG 曲QU 翁WENG 冉RAN 骆LUO 駱LUO 蓝LAN 藍LAN 路LU
游YOU 辛XIN 靳JIN 管GUAN 柴CHAI 蒙MENG 鲍BAO 鮑BAO 华HUA 華HUA 喻YU 祁QI 蒲PU 房FANG 滕TENG 屈QU 饶RAO 饒RAO
解XIE 牟MOU 艾AI 尤YOU 阳YANG 陽YANG 时SHI 時SHI 穆MU 农NONG 農NONG 司SI 卓ZHUO 古GU 吉JI 缪MIAO 繆MIAO
简JIAN 簡JIAN 车CHE 車CHE 项XIANG 項XIANG 连LIAN 連LIAN 芦LU 蘆LU 麦MAI 麥MAI 褚CHU 娄LOU 婁LOU 窦DOU 竇DOU
戚QI 岑CEN 景JING 党DANG 黨DANG 宫GONG 宮GONG 费FEI 費FEI 卜BU 冷LENG 晏YAN 席XI 卫WEI 衛WEI 米MI 柏BAI
宗ZONG 瞿QU 桂GUI 全QUAN 佟TONG 应YING 應YING 臧ZANG 闵MIN 閔MIN 苟GOU 邬WU 鄔WU 边BIAN 邊BIAN 卞BIAN 姬JI
师SHI 師SHI 和HE 仇QIU 栾LUAN 欒LUAN 隋SUI 商SHANG 刁DIAO 沙SHA 荣RONG 榮RONG 巫WU 寇KOU 桑SANG 郎LANG
甄ZHEN 丛CONG 叢CONG 仲ZHONG 虞YU 敖AO 巩GONG 鞏GONG 明MING 佘SHE 池CHI 查ZHA 麻MA 苑YUAN 迟CHI 遲CHI
邝KUANG 鄺KUANG 朴PIAO 洪HONG 谈TAN 談TAN 鞠JU 郁YU 匡KUANG 伟WEI 偉WEI 芳FANG 娜NA 敏MIN 静JING 靜JING
丽LI 麗LI 强QIANG 強QIANG 磊LEI 军JUN 軍JUN 洋YANG 勇YONG 艳YAN 艷YAN 杰JIE 傑JIE 娟JUAN 涛TAO 濤TAO 超CHAO
秀XIU 霞XIA 平PING 刚GANG 剛GANG 英YING 玉YU 萍PING 红HONG 紅HONG 鹏PENG 鵬PENG 辉HUI 輝HUI 建JIAN 国GUO
國GUO 峰FENG 斌BIN 宇YU 浩HAO 凯KAI 凱KAI 健JIAN 俊JUN 帆FAN 帅SHUAI 帥SHUAI 旭XU 欢HUAN 歡HUAN 佳JIA
婷TING 雪XUE 琳LIN 晶JING 燕YAN 丹DAN 玲LING 莉LI 倩QIAN 慧HUI 颖YING 穎YING 博BO 志ZHI 海HAI 波BO 飞FEI
飛FEI 东DONG 東DONG 亮LIANG 春CHUN 小XIAO 晓XIAO 曉XIAO 云YUN 雲YUN 新XIN 利LI 清QING 永YONG 福FU 生SHENG
德DE 光GUANG 天TIAN 子ZI 家JIA 嘉JIA 思SI 雨YU 欣XIN 怡YI 梓ZI 涵HAN 轩XUAN 軒XUAN 睿RUI 泽ZE 澤ZE 晨CHEN
瑞RUI 诗SHI 詩SHI 一YI 若RUO 萱XUAN 然RAN 铭MING 銘MING 昊HAO 豪HAO 哲ZHE 彤TONG 妍YAN 琪QI 璐LU 瑶YAO 瑤YAO
洁JIE 潔JIE 蕾LEI 薇WEI 芬FEN 凤FENG 鳳FENG 珍ZHEN 淑SHU 娥E 翠CUI 琴QIN 素SU 月YUE 兵BING 宏HONG 鑫XIN
坤KUN 毅YI 振ZHEN 力LI 伦LUN 倫LUN 翔XIANG 民MIN 忠ZHONG 山SHAN 河HE 水SHUI 立LI 正ZHENG 喜XI 庆QING 慶QING
世SHI 中ZHONG 仁REN 义YI 義YI 礼LI 禮LI 信XIN 智ZHI 胜SHENG 勝SHENG 达DA 達DA 发FA 發FA 财CAI 財CAI 贵GUI
貴GUI 宝BAO 寶BAO 珠ZHU 鸿HONG 鴻HONG 彬BIN 琦QI 晖HUI 暉HUI 恒HENG 淼MIAO 爱AI 愛AI 莲LIAN 蓮LIAN 锦JIN
錦JIN 秋QIU 冬DONG 雅YA 婉WAN 蓉RONG 芸YUN 菲FEI 露LU 霖LIN 鹤HE 鶴HE 松SONG 桥QIAO 橋QIAO 长CHANG 長CHANG
峻JUN 晗HAN 宸CHEN 逸YI 辰CHEN 航HANG 鸣MING 鳴MING 晴QING 悦YUE 悅YUE 可KE 心XIN 语YU 語YU 依YI 沐MU 乐LE
樂LE 媛YUAN 娇JIAO 嬌JIAO 兴XING 興XING 顺SHUN 順SHUN 良LIANG 友YOU 美MEI 惠HUI 巧QIAO 芝ZHI 香XIANG 花HUA
君JUN 青QING 亚YA 亞YA 泉QUAN 根GEN 岩YAN 彪BIAO 虎HU 雄XIONG 威WEI 猛MENG 锋FENG 鋒FENG 柱ZHU 铁TIE 鐵TIE
钢GANG 鋼GANG 娅YA 婭YA 丰FENG 豐FENG 宜YI 冰BING 贤XIAN 賢XIAN 龄LING 齡LING 琼QIONG 瓊QIONG
`

// hanSurnames are the single-character surnames of hanTable: a two-character word starting
// with one is read as a full name (李娜 → LI NA), otherwise as one given name (小明 → XIAOMING).
const hanSurnames = `
王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何高林罗羅郑鄭梁谢謝宋唐许許韩韓冯馮邓鄧曹彭曾肖萧蕭田董袁潘于蒋蔣蔡余
杜叶葉程苏蘇魏吕呂丁任沈姚卢盧姜崔钟鍾谭譚陆陸汪范金石廖贾賈夏韦韋付傅方白邹鄒孟熊秦邱江尹薛闫阎閻段雷侯龙龍史陶黎贺賀顾
顧毛郝龚龔邵万萬钱錢严嚴覃武戴莫孔向汤湯常温溫康施文牛樊葛邢安齐齊易乔喬伍庞龐颜顏倪庄莊聂聶章鲁魯岳翟殷詹申欧歐耿关關兰
蘭焦俞左柳甘祝包宁寧尚符舒阮柯纪紀梅童凌毕畢单單季裴霍涂成苗谷盛曲翁冉骆駱蓝藍路游辛靳管柴蒙鲍鮑华華喻祁蒲房滕屈饶饒解牟
艾尤阳陽时時穆农農司卓古吉缪繆简簡车車项項连連芦蘆麦麥褚娄婁窦竇戚岑景党黨宫宮费費卜冷晏席卫衛米柏宗瞿桂全佟应應臧闵閔苟
邬鄔边邊卞姬师師和仇栾欒隋商刁沙荣榮巫寇桑郎甄丛叢仲虞敖巩鞏明佘池查麻苑迟遲邝鄺朴洪谈談鞠郁匡
`

const hanCompoundTable = `
欧阳OUYANG 歐陽OUYANG 司马SIMA 司馬SIMA 诸葛ZHUGE 諸葛ZHUGE 上官SHANGGUAN 东方DONGFANG 東方DONGFANG
皇甫HUANGFU 尉迟YUCHI 尉遲YUCHI 公孙GONGSUN 公孫GONGSUN 慕容MURONG 令狐LINGHU 司徒SITU 夏侯XIAHOU 宇文YUWEN
长孙ZHANGSUN 長孫ZHANGSUN 端木DUANMU 申屠SHENTU 闻人WENREN 聞人WENREN 轩辕XUANYUAN 軒轅XUANYUAN
`

// hanTables are the parsed tables.
type hanTables struct {
	single   map[rune]string
	surname  map[rune]bool
	compound map[string]string
}

// hanReadings parses the tables once.
var hanReadings = sync.OnceValue(func() *hanTables {
	h := &hanTables{single: map[rune]string{}, surname: map[rune]bool{}, compound: map[string]string{}}
	for _, r := range strings.Join(strings.Fields(hanSurnames), "") {
		h.surname[r] = true
	}
	for _, w := range strings.Fields(hanTable) {
		r := []rune(w)
		h.single[r[0]] = string(r[1:])
	}
	for _, w := range strings.Fields(hanCompoundTable) {
		r := []rune(w)
		h.compound[string(r[:2])] = string(r[2:])
	}
	return h
})

// han folds the run of Han characters starting at i. A run of two or more characters that
// starts the name and begins with a known surname (one character, or a compound before at
// least one more) is a full name: the surname becomes a token of its own and the rest is
// written together (王小明 → WANG XIAOMING). Any other run is one token (小明 → XIAOMING).
func (f *folder) han(i int) int {
	f.arabic = false
	h := hanReadings()
	single, compound := h.single, h.compound
	j := i
	for j < len(f.rs) && isHan(f.rs[j]) {
		j++
	}
	run := f.rs[i:j]
	split := 0
	if len(f.cur) == 0 && len(f.toks) == 0 && len(run) >= 2 {
		switch {
		case len(run) >= 3 && compound[string(run[:2])] != "":
			split = 2
		case h.surname[run[0]]:
			split = 1
		}
	}
	if split > 0 {
		if split == 2 {
			f.cur = append(f.cur, compound[string(run[:2])]...)
		} else {
			f.cur = appendHan(f.cur, run[0], single)
		}
		f.flush()
	}
	for _, r := range run[split:] {
		f.cur = appendHan(f.cur, r, single)
	}
	return j
}

func appendHan(dst []byte, r rune, single map[rune]string) []byte {
	if p, ok := single[r]; ok {
		return append(dst, p...)
	}
	return utf8.AppendRune(dst, r)
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }
