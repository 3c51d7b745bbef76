package rag

// The rules table: every word list and question shape the engine knows,
// as data. Each rule is a named pattern over folded text with examples it
// must match (pos) and must not match (neg); TestRulesTable runs them all.
// A rule that sets an intent (set) is read once, by analyze, into the
// question's Analysis; later stages read the Analysis, never the question.

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// rule is one entry of the rules table.
type rule struct {
	name    string
	doc     string
	pattern string
	// set records the intent in an Analysis when the rule matches the
	// question; nil for rules about passages and answers.
	set      func(*Asks)
	pos, neg []string
}

// wordList is a list of words the engine treats alike, as data.
type wordList struct {
	name  string
	doc   string
	words []string
}

// units are the units a figure may be asked in (多少亩, 几户).
var unitWords = wordList{"units", "units a figure may be asked in: 多少亩, 几户", strings.Split(
	"亩|户|人|元|钱|公里|千米|平方米|平方公里|公顷|吨|座|所|家|辆|套|间|张|名|天|次|台|场|届", "|")}

// genericPlaces lists words shaped like place names that name no place.
var genericPlaces = wordList{"generic-places", "words shaped like a local place name (…区, …镇) that name no place", []string{
	"示范区", "集聚区", "开发区", "功能区", "核心区", "中心区", "试验区",
	"保护区", "风景区", "自贸区", "城区", "新区", "园区", "社区",
	"景区", "片区", "市区", "县区", "全区", "全县", "本区", "辖区",
	"该区", "各区", "各县", "乡镇", "城镇", "小镇", "特色镇", "重点镇",
	"农村", "地区", "山区", "库区", "灌区", "林区", "矿区", "老区", "行政区",
}}

// notNames lists common words the segmenter's dictionary tags as names
// (东西 as a place, 范畴 as a person): a question holding one names nothing.
var notNames = wordList{"not-names", "common words the dictionary tags as place or person names: 东西 ns, 范畴 nr", []string{
	"东西", "南北", "城市", "都市", "长度", "大国", "小国", "范畴", "借由", "荣获",
}}

// wordLists are the word lists of the table, for tests and --explain.
var wordLists = []wordList{unitWords, genericPlaces, notNames}

// ruleTable holds every rule, questions' intents first.
var ruleTable = []rule{
	// What a question asks for.
	{name: "asks-date", doc: "asks when: a year, month or day",
		pattern: `哪天|何时|什么时候|哪一年|哪年|日期|时间|几月|几号|哪个月`, set: func(a *Asks) { a.Date = true },
		pos: []string{"济源是哪一年撤县建市的", "会议什么时候召开"}, neg: []string{"济源市域总面积多少平方公里"}},
	{name: "asks-day", doc: "asks for the day itself, not only the year",
		pattern: `哪天|哪一天|几号|几日|具体日期|哪日`, set: func(a *Asks) { a.Day = true },
		pos: []string{"报告是哪天作的", "几号发布"}, neg: []string{"哪一年成立"}},
	{name: "asks-number", doc: "asks something a figure answers (a sentence with a number is favoured)",
		pattern: `多少|几|多长|多大|多高|多远|多久|多重|多深|多宽|多厚|比例|比重|增长|增速|增幅|排名|第几|率|规模|面积|人口|总量|金额|亿|万|倍|%`,
		set:     func(a *Asks) { a.Number = true },
		pos:     []string{"外贸进出口总额多少", "城镇化率是多少", "增长了吗"}, neg: []string{"管委会是什么级别"}},
	{name: "asks-figure", doc: "wants a figure in the answer (refused without one)",
		pattern: `多少|(?:^|[^哪])几[个项条家所座倍类种批成年月天位名]|比例|比重|百分之|排第|第几`,
		set:     func(a *Asks) { a.Figure = true },
		pos:     []string{"总人口多少", "有几个方面", "在省内排第几"}, neg: []string{"哪几个方面", "什么级别"}},
	{name: "asks-who", doc: "asks who: a person, author, issuer or department",
		pattern: `谁|作者|哪位|讲话人|哪个部门|哪个单位|发文机关|哪家单位|署名|什么部门|什么单位|哪个机关`,
		set:     func(a *Asks) { a.Who = true },
		pos:     []string{"这份文件是谁发的", "发文机关是什么"}, neg: []string{"在哪里召开"}},
	{name: "asks-person", doc: "asks who, so the answer must name someone",
		pattern: `谁|哪位|哪个人|什么人|哪些人`, set: func(a *Asks) { a.Person = true },
		pos: []string{"谁作的报告", "哪些人参加"}, neg: []string{"哪个部门发的"}},
	{name: "asks-doc-number", doc: "asks for a document number (文号)",
		pattern: `文号|字号|发文号|编号`, set: func(a *Asks) { a.DocNumber = true },
		pos: []string{"这份通知的文号是什么"}, neg: []string{"通知是哪天发的"}},
	{name: "asks-place", doc: "asks where, so the answer must name a place",
		pattern: `哪里人|哪儿人|在哪里|在哪儿|哪个地方|什么地方|籍贯|位于哪|在哪个(?:省|市|县|区|城市|国家)`,
		set:     func(a *Asks) { a.Place = true },
		pos:     []string{"他是哪里人", "总部在哪个城市"}, neg: []string{"哪个部门负责"}},
	{name: "asks-list", doc: "asks for several things, an explanation or a summary: longer answers",
		pattern: `哪些|哪几|分别|几个方面|几项|几大|措施|内容|怎么|如何|说说|讲讲|介绍|概括|总结|主要|来龙去脉|为什么|为啥|原因`,
		set:     func(a *Asks) { a.List = true },
		pos:     []string{"重点工作有哪些", "如何推进", "为什么要撤县建市"}, neg: []string{"总面积多少"}},
	{name: "asks-parts", doc: "asks for the parts of something: an outline answer",
		pattern: `哪几方面|哪些方面|几个方面|哪几个方面|从哪几|哪几块|哪几项|哪几部分|哪些部分|哪些重点|哪几点`,
		set:     func(a *Asks) { a.Parts = true },
		pos:     []string{"从哪几个方面抓", "包括哪些部分"}, neg: []string{"有哪些措施"}},
	{name: "asks-outcome", doc: "asks what actually happened, not what was planned",
		pattern: `实际|最终|最后|到底完成|完成了|实现了|达到了|真的`, set: func(a *Asks) { a.Outcome = true },
		pos: []string{"实际完成了多少", "最终达到了吗"}, neg: []string{"目标是多少"}},
	{name: "asks-unit", doc: "asks a figure in a unit: 多少亩, 几户, 百分之几",
		pattern: `(?:多少|(?:^|[^哪])几)(` + strings.Join(unitWords.words, "|") + `)|(百分之几|百分比|占比|比重|多少个百分点)`,
		pos:     []string{"新增耕地多少亩", "惠及几户", "占比多少", "多少钱"}, neg: []string{"哪几人", "多少"}},
	{name: "each", doc: "asks the same of several places or documents",
		pattern: `各|分别|各自|都|两地|两个`,
		pos:     []string{"济源和洛阳各是什么定位", "两地分别"}, neg: []string{"济源是什么定位"}},
	{name: "followup", doc: "marks a follow-up question that leans on the one before",
		pattern: `^(那么?|那个|还有|另外|再问|then)|呢[？?]?$|^(它|其|该|这个|此)`,
		pos:     []string{"那2019年呢？", "它的面积", "洛阳呢"}, neg: []string{"济源的面积是多少"}},
	{name: "question-word", doc: "words that only ask and hold no content to look for",
		pattern: `多少|什么|哪|谁|几|怎么|如何|吗|呢|啥|多长|多大|多高|多远|多久|多重|多深|多宽`,
		pos:     []string{"多少", "哪年", "如何"}, neg: []string{"面积", "济源"}},
	{name: "document-word", doc: "words that speak of the documents themselves (那篇文章), not of what they say",
		pattern: `文章|文件|报告|讲话|方案|通知|材料|内容|原文|稿子|这篇|那篇`,
		pos:     []string{"文件", "那篇"}, neg: []string{"面积"}},
	{name: "count", doc: "a count in a question or a sentence: 六项, 四个方面, 三大",
		pattern: `([一二三四五六七八九十两]|[0-9]{1,2})\s*(?:项|个方面|方面|种|大|条|点|个|件|类|部分)`,
		pos:     []string{"六项重点工作", "四个方面", "3条"}, neg: []string{"重点工作"}},
	{name: "ordinal", doc: "an ordinal reference to a part of a document: 第三条, 第二章",
		pattern: `第[一二三四五六七八九十百零〇0-9]+(?:条|款|章|节|项|部分|点)`,
		pos:     []string{"第三条规定了什么", "第12条"}, neg: []string{"排第几", "三条措施"}},

	// Shapes of passages and answers.
	{name: "short-year", doc: "a year written with two digits (18年), which the question means in full",
		pattern: `(?:^|[^0-9])([0-9]{2})年`, pos: []string{"18年", "那19年呢"}, neg: []string{"2018年", "18岁"}},
	{name: "year", doc: "a year written in full",
		pattern: `(?:19|20)[0-9]{2}`, pos: []string{"2018年"}, neg: []string{"18年"}},
	{name: "has-date", doc: "a sentence holding a date",
		pattern: `[0-9]{3,4}年|[0-9]{1,2}月|[一二三四五六七八九十〇○零]{2,4}年|[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日|[0-9一二三四五六七八九十]+世纪|[0-9]{2,4}年代|\p{Han}{2}(?:元|[一二三四五六七八九十]{1,3})年[间初末]?[，,。春夏秋冬正一二三四五六七八九十]`,
		pos:     []string{"2019年2月16日", "二〇一九年", "公元前240年", "公元前三世纪", "1970年代", "光绪十年，设新疆省", "咸康七年，设临沂县"},
		neg:     []string{"生产总值641.8亿元", "连续三年增长"}},
	{name: "has-day", doc: "a sentence holding a day-level date",
		pattern: `[0-9]{1,2}月[0-9]{1,2}日|[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日`,
		pos:     []string{"2月16日", "二月十六日"}, neg: []string{"2019年"}},
	{name: "has-number", doc: "a sentence holding a number",
		pattern: `[0-9０-９]|[一二三四五六七八九十百千万亿两]+(?:个|项|大|条|家|所|座|倍|类|种|批)`,
		pos:     []string{"增长8%", "三大任务"}, neg: []string{"持续深化改革"}},
	{name: "figure", doc: "the figures of a text: Arabic, or Chinese with a counter",
		pattern: `[0-9]+(?:\.[0-9]+)?|[一二三四五六七八九十百千两廿卅]+[万亿]|[一二三四五六七八九十百千万亿两廿卅]+(?:多|余)?(?:个|项|大|条|家|所|座|倍|类|种|批|位|名|套|省|岁|天|分之)|第[一二三四五六七八九十百千]+`,
		pos:     []string{"641.8", "七万", "三个", "十多个", "廿八岁", "第五套", "五分之一", "两天"}, neg: []string{"深化改革", "第几"}},
	{name: "percent-figure", doc: "a figure in percent",
		pattern: `[0-9.]+\s*%|百分之|个百分点|[一二三四五六七八九]成|[一二三四五六七八九十]分之[一二三四五六七八九十]`,
		pos:     []string{"8.5%", "百分之十", "三成", "五分之四"}, neg: []string{"85元"}},
	{name: "money-figure", doc: "a sum of money",
		pattern: `[0-9.]+\s*(?:亿|万|千)?元|[0-9.]+\s*(?:亿|万)`,
		pos:     []string{"135亿元", "20万"}, neg: []string{"20户"}},
	{name: "doc-number", doc: "a document number: 豫政〔2017〕20号",
		pattern: `\p{Han}{1,8}[〔\[【(]\d{4}[〕\]】)]\s*\d+\s*号`,
		pos:     []string{"豫政〔2017〕20号", "发改地区〔2015〕2778号"}, neg: []string{"2017年20号"}},
	{name: "list-item", doc: "a sentence that is an item of an enumeration",
		pattern: `^(?:[一二三四五六七八九十]+是|[（(][一二三四五六七八九十0-9]+[)）]|[0-9]+[.、．])`,
		pos:     []string{"九是办好民生实事", "（三）持续深化改革", "2.推进"}, neg: []string{"推进改革"}},
	{name: "leans-back", doc: "a sentence that leans on the one before it: it opens with a word pointing back (同年, 该线, 由于这, 他)",
		pattern: `^(?:同年|同月|同日|次年|翌年|次月|当年|当时|此后|其后|之后|随后|后来|赛后|战后|会后|因此|所以|因而|于是|由于这|由此|在此|对此|为此|这|那些|该|此|其[^他它余实]|[他她它][^人山乡]|但|而|并且|然而|不过|另外|此外)`,
		pos:     []string{"同年，第2张个人唱片推出", "该线贯穿东北三省", "由于这发明，人们不再需要蜡烛", "他的政敌恺撒称赞他", "在此背景下，各家决定"},
		neg:     []string{"2012年7月4日，公司拆分", "济源市位于河南省", "其他地区", "他人的作品"}},
	{name: "plan", doc: "a sentence that gives a plan or target",
		pattern: `预期|目标|力争|计划|有望|争取|拟|^到(?:19|20)[0-9]{2}年`,
		pos:     []string{"力争完成", "到2020年城镇化率达到60%"}, neg: []string{"完成135亿元"}},
	{name: "outcome", doc: "a sentence that gives what happened",
		pattern: `完成|实现|达到|已经|初步核算`,
		pos:     []string{"完成135亿元", "初步核算"}, neg: []string{"力争"}},
	{name: "place-word", doc: "a word that names a place by its ending",
		pattern: `\p{Han}{1,8}(?:省|市|县|区|镇|乡|村|州|郡|国|山|河|江|湖|海|岛|港|城)`,
		pos:     []string{"河南省", "济源市"}, neg: []string{"管委会"}},
	{name: "place-name", doc: "a whole word shaped like a place name",
		pattern: `^\p{Han}{2,6}(?:市|区|县|省|镇|乡|村|州|新城|新区)$`,
		pos:     []string{"济源市", "伊滨区"}, neg: []string{"济源市政府", "市"}},
	{name: "local-place", doc: "a district, county or town: a two-character stem and its suffix",
		pattern: `(\p{Han}{2})(?:区|县|镇|乡|街道)`,
		pos:     []string{"源城区", "坡头镇"}, neg: []string{"济源市"}},
	{name: "no-place-stem", doc: "a stem of a local-place match that is a numeral or pointer, not a name (哪一地区, 这一地区, 哪一种地区)",
		pattern: `^[一二三四五六七八九十两几每各本该此这那哪种个全]`,
		pos:     []string{"一地", "种地", "这一"}, neg: []string{"源城", "坡头"}},
	{name: "locative-tail", doc: "a name the segmenter glued to a locative (雨林中, 东征中): the name is its stem",
		pattern: `^(\p{Han}{2,})[中内里上]$`,
		pos:     []string{"雨林中", "东征中"}, neg: []string{"济源", "中"}},
	{name: "organization", doc: "the name of an organization, by its ending",
		pattern: `\p{Han}{1,12}(?:政府|委员会|人大|政协|国务院|中央|省委|市委|区委|县委|部|局|厅|院|办|委|会|组|所|公司|集团|大学|学院|银行|中心)`,
		pos:     []string{"济源市人民政府", "发展改革委"}, neg: []string{"持续深化改革"}},
	{name: "question-split", doc: "where a question asking several things splits",
		pattern: `[？?；;]+`, pos: []string{"多少？", "；"}, neg: []string{"，"}},
}

// rx compiles the pattern of the named rule. The names are fixed in the
// source, so an unknown one is a programming error.
func rx(name string) *regexp.Regexp {
	for _, r := range ruleTable {
		if r.name == name {
			return regexp.MustCompile(r.pattern)
		}
	}
	panic(fmt.Sprintf("rag: no rule %q", name))
}

// The compiled rules, once each.
var (
	reAsksUnit      = rx("asks-unit")
	reEach          = rx("each")
	reFollowMarker  = rx("followup")
	reQuestionWord  = rx("question-word")
	reDocumentWord  = rx("document-word")
	reCount         = rx("count")
	reOrdinal       = rx("ordinal")
	reYear          = rx("year")
	reShortYear     = rx("short-year")
	reHasDate       = rx("has-date")
	reHasDay        = rx("has-day")
	reHasNumber     = rx("has-number")
	reFigure        = rx("figure")
	rePercentFigure = rx("percent-figure")
	reMoneyFigure   = rx("money-figure")
	reDocNumberIn   = rx("doc-number")
	reListItem      = rx("list-item")
	reLeansBack     = rx("leans-back")
	rePlan          = rx("plan")
	reOutcome       = rx("outcome")
	rePlaceWord     = rx("place-word")
	rePlace         = rx("place-name")
	reLocalPlace    = rx("local-place")
	reNoPlaceStem   = rx("no-place-stem")
	reLocativeTail  = rx("locative-tail")
	reOrganization  = rx("organization")
	reParts         = rx("question-split")
)

// intentRule is a compiled rule that sets an intent.
type intentRule struct {
	name string
	re   *regexp.Regexp
	set  func(*Asks)
}

// intentRules are the rules that set intents, compiled once, in table order.
var intentRules = func() []intentRule {
	var out []intentRule
	for _, r := range ruleTable {
		if r.set != nil {
			out = append(out, intentRule{r.name, regexp.MustCompile(r.pattern), r.set})
		}
	}
	return out
}()

// unitFigures holds, for each unit of unitWords, what a figure in it looks
// like: a number, maybe 余 or 多, then the unit (7万余人).
var unitFigures = func() map[string]*regexp.Regexp {
	m := map[string]*regexp.Regexp{}
	for _, u := range unitWords.words {
		if u == "元" || u == "钱" {
			continue // money has a shape of its own
		}
		m[u] = regexp.MustCompile(`[0-9一二三四五六七八九十百千万两]\s*(?:余|多)?\s*` + regexp.QuoteMeta(u))
	}
	return m
}()

// isNotName reports whether a word the dictionary tags as a name is a
// common word.
func isNotName(w string) bool { return slices.Contains(notNames.words, w) }

// isGenericPlace reports whether a word shaped like a local place name
// names no place.
func isGenericPlace(w string) bool {
	for _, g := range genericPlaces.words {
		if g == w {
			return true
		}
	}
	return false
}

// cjkCount returns the value of a Chinese numeral from one to ten (两 is
// two), or 0.
func cjkCount(s string) int {
	switch s {
	case "两":
		return 2
	case "十":
		return 10
	}
	if i := strings.Index("一二三四五六七八九", s); i >= 0 && len(s) == len("一") {
		return i/len("一") + 1
	}
	return 0
}
