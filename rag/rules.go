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
	"strconv"
	"strings"

	"policybot/fold"
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

// pairedWords lists words naming two things together (进出口 is 进口 and
// 出口): a question's word found only inside one is not found.
var pairedWords = wordList{"paired-words", "words naming two things together, whose parts name one of them: 出口 is not found in 进出口", []string{
	"进出口", "收支", "存贷款", "产销", "购销", "供需",
}}

// nationalQualifiers are the words naming the country a Chinese body's
// name is understood to carry: 中华人民共和国国务院 is 国务院.
var nationalQualifiers = wordList{"national-qualifiers", "the country a Chinese body's name carries unsaid: 国务院 names 中华人民共和国国务院", []string{
	"中华人民共和国", "中国", "中共",
}}

// aspectParticles mark a verb's aspect: the word before one is a verb
// phrase (政府办了), not a noun the answer must hold.
var aspectParticles = wordList{"aspect-particles", "particles after a verb: 政府办了 is a verb phrase", []string{"了", "过", "着"}}

// notNames lists common words the segmenter's dictionary tags as names
// (东西 as a place, 范畴 as a person): a question holding one names nothing.
var notNames = wordList{"not-names", "common words the dictionary tags as place or person names: 东西 ns, 范畴 nr", []string{
	"东西", "南北", "城市", "都市", "长度", "大国", "小国", "范畴", "借由", "荣获", "中断",
	"外国", "国外", "境外", "海外", "外省", "外地",
}}

// quantity is a kind of quantity a question may ask the amount of, and
// what an amount of it looks like: 面积 is answered in 平方公里 or 亩, not
// in 米 (asks-amount).
type quantity struct {
	name     string
	asked    string // the question's words naming it (folded)
	figure   string // an amount of it
	pos, neg []string
}

// quantities are the kinds of quantity whose unit a question's amount
// must have; a question naming none takes any amount-figure.
var quantities = []quantity{
	{"area", `面积|占地|用地规模|多大面积`, `[0-9.]+\s*(?:[万亿千百]\s*)?(?:平方|km²|km2|m²|亩|公顷)`,
		[]string{"陆地管辖面积为1750.33km²", "市域总面积1931平方公里", "占地200亩"}, []string{"距卡塞雷斯63千米"}},
	{"length", `长度|距离|里程|全长|多长|多远|多高|高度|海拔|深度|多深`, `[0-9.]+\s*(?:[万千百]\s*)?(?:米|厘米|毫米|公里|千米|km|cm|mm|m)`,
		[]string{"全长120公里", "海拔1715米", "全长通常只有2cm", "长57厘米"}, []string{"人口30万"}},
	{"money", `生产总值|gdp|收入|投资|产值|金额|资金|预算|经费|总额|税收|利润|营收|销售额|票房|价格|工资|成本|多少钱`, `[0-9.]+\s*(?:[万亿千百]\s*)?(?:元|美元|欧元|英镑)|[0-9.]+\s*[万亿](?:$|[^0-9人户个件次吨亩平公斤辆家所座名位项套张头只台千万亿])`,
		[]string{"生产总值完成641.8亿元", "票房1.2亿", "总投资13.66亿。"}, []string{"增长了14.4倍", "增长8.3%", "新注册各类市场主体1.26万户", "接待游客1350万人次"}},
	{"people", `人口|人数|多少人|几个人|几人|游客|学生|员工|职工`, `[0-9.]+\s*(?:[万千百]\s*)?(?:人|万)|[一二三四五六七八九十百千两]+(?:万)?人`,
		[]string{"总人口73.3万", "接待游客1350万人次", "在校生近2100人"}, []string{"增长8.3%"}},
}

// quantityFigures holds each quantity's compiled question and figure patterns.
var quantityFigures = func() []struct{ asked, figure *regexp.Regexp } {
	out := make([]struct{ asked, figure *regexp.Regexp }, len(quantities))
	for i, q := range quantities {
		out[i].asked, out[i].figure = regexp.MustCompile(q.asked), regexp.MustCompile(q.figure)
	}
	return out
}()

// amountFigure returns what an amount answering a folded question looks
// like: in the unit of the quantity it names (面积 → 平方公里), else any
// amount-figure.
func amountFigure(q string) *regexp.Regexp {
	for _, f := range quantityFigures {
		if f.asked.MatchString(q) {
			return f.figure
		}
	}
	return reAmountFigure
}

// measuredQuantity returns what an amount of a measured quantity (an area
// or a length, whose units nothing else shares) that a folded question asks
// about looks like (面积 → 平方公里, 亩), or nil when it names none.
// Amounts of money and people are left out: a ratio (收入比), a share or an
// intensity answers questions naming them too.
func measuredQuantity(q string) *regexp.Regexp {
	for i, f := range quantityFigures {
		if n := quantities[i].name; (n == "area" || n == "length") && f.asked.MatchString(q) {
			return f.figure
		}
	}
	return nil
}

// frameWords lists words that frame a question (its scope, that it asks a
// plan or an outcome, when it was said) without saying what it asks about:
// an answer need not repeat them (see checkKeyTerms).
var frameWords = wordList{"frame-words", "words framing a question (scope, plan, outcome, occasion, the kind of figure) that an answer need not repeat", []string{
	"全市", "全省", "全国", "全区", "全县", "本市", "当地", "市里", "省里",
	"计划", "目标", "预期", "预计", "打算", "安排", "规划", "要求", "任务",
	"实际", "最后", "最终", "当时", "期间", "会上", "之前", "以来", "西元", "公元", "年底", "年末", "全年",
	"比例", "比重", "占比", "百分比", "数量", "人数", "总数", "数目", "数字", "情况",
	"总额", "总值", "总量", "总计", "合计", "金额", "数额", "规模", "差距", "差额",
}}

// shortForms pairs how documents write a body's name with how people
// shorten it (河南省人民政府 → 河南省政府, 发展改革委 → 发改委): a question
// naming the short form names the body where the full one is written.
var shortForms = []struct{ full, short string }{
	{"人民政府", "政府"}, {"人民代表大会", "人大"}, {"发展和改革委员会", "发改委"}, {"发展改革委", "发改委"},
	{"中央编办", "中编办"}, {"机构编制委员会办公室", "编办"}, {"管理委员会", "管委会"},
}

// withShortForms returns text followed, when it writes a body's full name,
// by the text with the short forms.
func withShortForms(text string) string {
	short := text
	for _, f := range shortForms {
		short = strings.ReplaceAll(short, f.full, f.short)
	}
	if short == text {
		return text
	}
	return text + "\n" + short
}

// namesShortForm reports whether a folded question names a body by a
// short form (省政府, 发改委).
func namesShortForm(f string) bool {
	for _, sf := range shortForms {
		if strings.Contains(f, sf.short) {
			return true
		}
	}
	return false
}

// cjkYears returns the ways documents write a year in Chinese numerals
// (2035 → 二〇三五, 二○三五, 二零三五), or nil for a word that is no year.
func cjkYears(w string) []string {
	if len(w) != 4 || !reYear.MatchString(w) || !isASCIIDigits(w) {
		return nil
	}
	var out []string
	for _, zero := range []rune{'〇', '○', '零'} {
		digits := []rune{zero, '一', '二', '三', '四', '五', '六', '七', '八', '九'}
		var b strings.Builder
		for _, d := range w {
			b.WriteRune(digits[d-'0'])
		}
		out = append(out, b.String())
	}
	return out
}

// namedDocYear returns the year a folded question names a document by
// (1992年政府工作报告 → 1992), or "".
func namedDocYear(f string) string {
	if m := reDocumentYear.FindStringSubmatch(f); m != nil {
		return m[1]
	}
	return ""
}

// ofYear reports whether a document, by its title or date, is of year
// (namedDocYear's); true for no year.
func ofYear(title, date, year string) bool {
	return year == "" || strings.Contains(fold.String(title+" "+date), year)
}

// wordLists are the word lists of the table, for tests and --explain.
var wordLists = []wordList{unitWords, genericPlaces, frameWords, notNames, pairedWords, nationalQualifiers, aspectParticles}

// ruleTable holds every rule, questions' intents first.
var ruleTable = []rule{
	// What a question asks for.
	{name: "asks-date", doc: "asks when: a year, month or day",
		pattern: `哪天|何时|什么时候|哪一年|哪年|日期|时间|几月|几号|哪个月`, set: func(a *Asks) { a.Date = true },
		pos: []string{"济源是哪一年撤县建市的", "会议什么时候召开"}, neg: []string{"济源市域总面积多少平方公里"}},
	{name: "asks-day", doc: "asks for the day itself, not only the year",
		pattern: `哪天|哪一天|几号|几日|具体日期|哪日`, set: func(a *Asks) { a.Day = true },
		pos: []string{"报告是哪天作的", "几号发布"}, neg: []string{"哪一年成立"}},
	{name: "asks-time-rule", doc: "asks what a rule lays down about time (有什么时间规定, 时间上有什么要求): a duration or a limit, not a date; clears asks-date and asks-day",
		pattern: `时间(?:上)?(?:有什么|有哪些)?(?:规定|要求|限制|限定|上限)`, set: func(a *Asks) { a.Date, a.Day, a.Number = false, false, true },
		pos: []string{"对疲劳驾驶有什么时间规定", "营业时间有什么限制", "时间上有什么要求"}, neg: []string{"会议什么时候召开", "施行时间是哪天", "有什么规定"}},
	{name: "asks-duration", doc: "asks how long (多长时间, 多久, 几天内): a duration, not a date; clears asks-date and asks-day",
		pattern: `多长时间|多少时间|多久|(?:几|多少)个?(?:分钟|小时|工作日|天|周|星期|个月)(?:内|以内|之内)?|(?:^|[^哪])几年(?:内|以内|之内|的?过渡|时间|期限)|(?:给|用|花|要|需要|需|留)了?几年`, set: func(a *Asks) { a.Date, a.Day, a.Number = false, false, true },
		pos: []string{"维保人员要在多长时间内赶到", "多久办结", "几个工作日内答复", "多少天内完成", "新部门给几年过渡时间", "过渡期留几年"}, neg: []string{"推进会是几月开的", "哪年成立", "会议什么时候召开", "哪几年的过渡时间最长"}},
	{name: "asks-time-nodes", doc: "asks the stages of a schedule (哪几个时间节点, 时间表): a list, not a date; clears asks-date and asks-day",
		pattern: `时间节点|时间表|时间安排|时间段`, set: func(a *Asks) { a.Date, a.Day = false, false },
		pos: []string{"项目建设按哪几个时间节点推进", "有什么时间表"}, neg: []string{"什么时间开的会", "施行时间"}},
	{name: "asks-number", doc: "asks something a figure answers (a sentence with a number is favoured)",
		pattern: `多少|几|多长|多大|多高|多远|多久|多重|多深|多宽|多厚|比例|比重|增长|增速|增幅|排名|第几|率|规模|面积|人口|总量|金额|亿|万|倍|%`,
		set:     func(a *Asks) { a.Number = true },
		pos:     []string{"外贸进出口总额多少", "城镇化率是多少", "增长了吗"}, neg: []string{"管委会是什么级别"}},
	{name: "asks-figure", doc: "wants a figure in the answer (refused without one)",
		pattern: `多少|(?:^|[^哪])几[个项条家所座倍类种批成年月天位名]|比例|比重|百分之|排第|第几`,
		set:     func(a *Asks) { a.Figure = true },
		pos:     []string{"总人口多少", "有几个方面", "在省内排第几"}, neg: []string{"哪几个方面", "什么级别"}},
	{name: "asks-items-of-count", doc: "asks what the several things are (几个“促落实”分别是什么): the items, not their count; clears asks-figure",
		pattern: `几[个项条大类种点方].{0,24}(?:分别是|分别指|都是|各是|是哪|有哪|包括哪|具体是)`, set: func(a *Asks) { a.Figure = false; a.List = true },
		pos: []string{"第四部分提的几个“促落实”分别是什么", "这几项措施都是什么"}, neg: []string{"有几个方面", "几个方面是什么时候提出的吗"}},
	{name: "asks-who", doc: "asks who: a person, author, issuer or department",
		pattern: `谁|作者|哪位|讲话人|哪个部门|哪个单位|发文机关|哪家单位|署名|什么部门|什么单位|哪个机关`,
		set:     func(a *Asks) { a.Who = true },
		pos:     []string{"这份文件是谁发的", "发文机关是什么"}, neg: []string{"在哪里召开"}},
	{name: "asks-person", doc: "asks who, so the answer must name someone",
		pattern: `谁|哪位|哪个人|什么人|哪些人`, set: func(a *Asks) { a.Person = true },
		pos: []string{"谁作的报告", "哪些人参加"}, neg: []string{"哪个部门发的"}},
	{name: "asks-doc-number", doc: "asks for a document number (文号; 发文字号 whole, so its 发文 is part of the ask, not a word to find)",
		pattern: `发文字号|文号|字号|发文号|编号`, set: func(a *Asks) { a.DocNumber = true },
		pos: []string{"这份通知的文号是什么", "省政府发文字号是多少"}, neg: []string{"通知是哪天发的"}},
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
		pattern: `实际|最终|最后|到底完成|完成了|实现了|达到了|真的|目前|现有`, set: func(a *Asks) { a.Outcome = true },
		pos: []string{"实际完成了多少", "最终达到了吗", "源城区目前常住人口多少"}, neg: []string{"目标是多少", "这种情况常出现在哪一种体制中"}},
	{name: "asks-target", doc: "asks what was planned or set as a target, not what happened",
		pattern: `目标|计划|预期|预计|力争|打算|争取|规划|控制在|定的|定了|要(?:新建|建|实现|完成|做|对|抓|推进|缩小|提高|控制|增长|达到|改造|新增|打造|突破)|(?:^|[^0-9年])到(?:19|20)[0-9]{2}年`,
		set:     func(a *Asks) { a.Target = true },
		pos:     []string{"2019年济源gdp增长目标定的多少", "19年要新建改造多少条城市道路", "到2020年城镇空间占比控制在多少", "今年计划增长多少"},
		neg:     []string{"2018年济源全市生产总值是多少", "从1997年到2018年翻了几倍", "实际完成了多少"}},
	{name: "asks-author", doc: "asks who wrote, gave, signed or issued the document itself, not who did something it tells of",
		pattern: `作者|署名|撰稿|组稿|执笔|发文机关|发文单位|讲话人|谁写|谁发|谁讲|谁签|(?:谁|哪位|哪个人|哪个部门|哪个单位|哪个机关|什么部门|什么单位|哪位\p{Han}{1,3})(?:作|做|写|讲|发|印发|发布|起草|签发)的(?:报告|讲话|文件|通知|文章)?[?？]?$|^(?:作|做|写|发表)[^?？。]{0,24}(?:报告|讲话|文章)的\p{Han}{0,3}是(?:谁|哪位)`,
		set:     func(a *Asks) { a.Author = true },
		pos:     []string{"这份文件是谁发的", "发文机关是什么", "2019年政府工作报告是哪位市长作的", "写中欧科创产业园那篇文章的作者是谁", "这篇讲话是谁讲的", "作济源2019年政府工作报告的市长是谁", "发表那篇讲话的是谁"},
		neg:     []string{"机构改革方案是谁作的说明", "谁牵头负责考核", "由哪个部门负责"}},
	{name: "asks-title", doc: "asks the title of a document",
		pattern: `标题|题目|题为|文章名|篇名|叫什么名字|名称是什么|什么题目`,
		set:     func(a *Asks) { a.Title = true },
		pos:     []string{"赵会生那篇文章的标题是什么", "王敬林写的文章题目是什么"}, neg: []string{"文章是谁写的", "主要问题"}},
	{name: "asks-addressee", doc: "asks whom a document is sent or addressed to",
		pattern: `(?:发给|印发给|下发给|发送给|送给|主送|抄送|发往)(?:了)?(?:哪些|哪个|哪几个|谁|什么)|主送机关|主送单位|抄送单位|(?:哪些|哪个|什么)(?:单位|部门|机关)(?:收|接收)`,
		set:     func(a *Asks) { a.Addressee = true },
		pos:     []string{"省政府印发总体方案的通知是发给哪些单位的", "主送机关是什么"}, neg: []string{"哪个部门印发的", "这份文件是谁发的"}},
	{name: "asks-occasion", doc: "asks at which meeting or occasion a report or speech was given",
		pattern: `(?:哪次|哪个|什么|哪一次)(?:会议|大会)|在(?:哪次|哪个|什么)会上`,
		set:     func(a *Asks) { a.Occasion = true },
		pos:     []string{"2019年政府工作报告是在哪次会议上作的", "张战伟是在什么会上讲话的"},
		neg:     []string{"会议什么时候召开", "大会提出了什么目标", "为什么会被认为是害虫", "有什么活动"}},
	{name: "occasion", doc: "a sentence naming a meeting or occasion",
		pattern: `会议|大会|全会|座谈会|推进会|论坛|仪式|典礼`,
		pos:     []string{"在济源市第十四届人民代表大会第四次会议上", "动员大会上的讲话"}, neg: []string{"各位代表"}},
	{name: "asks-effective", doc: "asks from when a rule takes effect (施行, 实施, 生效): the sentence saying 自…起施行 answers it",
		pattern: `(?:施行|实施|生效)(?:日期|时间)|(?:哪天|哪一天|哪日|何时|什么时候|哪年|哪一年|几月|几号)(?:起|开始)?(?:正式)?(?:施行|实施|生效)|(?:从|自)(?:哪天|哪一天|何时|什么时候|哪年)(?:起|开始)`,
		set:     func(a *Asks) { a.Effective = true },
		pos:     []string{"周口大气污染防治条例从哪天起实施", "条例什么时候施行", "办法的施行日期是哪天", "从何时起生效"},
		neg:     []string{"条例是哪天通过的", "方案什么时候印发的", "实施了哪些项目"}},
	{name: "effective-clause", doc: "a sentence saying from when a rule takes effect",
		pattern: `自.{2,40}?起(?:施行|实施|生效)|(?:施行|实施|生效)日期`,
		pos:     []string{"本条例自2020年10月1日起施行", "本办法自发布之日起实施"}, neg: []string{"2020年6月23日 周口市第四届人民代表大会常务委员会第二十五次会议通过", "加快实施乡村振兴战略"}},
	{name: "asks-issue", doc: "asks in which issue of a periodical a text was published",
		pattern: `哪一期|哪期|第几期|哪一版|期号|刊期`,
		set:     func(a *Asks) { a.Issue = true },
		pos:     []string{"张战伟那篇讲话稿登在哪一期", "刊登在第几期"}, neg: []string{"洛阳那期报纸是哪天出的", "二期工程"}},
	{name: "issue", doc: "the issue of a periodical",
		pattern: `第\s*[0-9一二三四五六七八九十]+\s*期`,
		pos:     []string{"首页 >> 2019年第8期 >> 新思想"}, neg: []string{"工业园三期", "2019年8月"}},
	{name: "asks-rate", doc: "asks a rate, a share, a multiple or a rank, which a figure without a unit of amount answers",
		pattern: `增长|增速|增幅|涨|降幅|下降|提高|倍|率|比重|比例|占比|百分|翻|排名|排第|第几|位次|多少位|几个点|百分点`,
		pos:     []string{"gdp增长多少", "城镇化率是多少", "翻了多少倍", "在全省排第几"}, neg: []string{"生产总值是多少", "总人口多少"}},
	{name: "asks-amount", doc: "asks how much of a quantity (an amount with its unit), unless it asks a rate (asks-rate)",
		pattern: `多少|多大|规模|总量|总额|(?:^|[^哪])几(?:个|家|条|所|座|户|人|项|万|亿)`,
		pos:     []string{"2018年济源全市生产总值是多少", "gdp规模多大", "有几个校区"}, neg: []string{"什么级别", "哪一年", "从哪几个方面抓"}},
	{name: "year-span", doc: "a span of years (1997年到2018年, 2010年以来): asks about the span, not its last year",
		pattern: `(?:19|20)[0-9]{2}年?\s*(?:到|至|—|-|~|～)\s*(?:19|20)[0-9]{2}年|(?:19|20)[0-9]{2}年以来`,
		pos:     []string{"1997年到2018年济源经济总量涨了多少", "2010年以来"}, neg: []string{"2018年济源gdp", "到2020年目标"}},
	{name: "relative-year", doc: "a year named relative to the speaker's (去年, 今年), read against each document's own year",
		pattern: `前年|去年|上一年|今年|本年度|明年`,
		pos:     []string{"去年gdp多少", "今年的主要预期目标"}, neg: []string{"2018年", "年度"}},
	{name: "asks-growth", doc: "asks a rate of growth or a multiple: the answer must give a percentage or a multiple",
		pattern: `增速|增幅|涨幅|增长率|增长了?多少|增长了?几|涨了?多少|(?:几|多少)倍|翻了?(?:几|多少)`,
		set:     func(a *Asks) { a.Growth = true },
		pos:     []string{"固定资产投资增速多少", "比上年增长了多少", "翻了多少倍", "商品房销售面积涨了多少"}, neg: []string{"生产总值是多少", "增长点在哪里"}},
	{name: "asks-role", doc: "asks who holds a post, with the body the post is of when the question names it (区委书记, 常委会主任): the answer must name that post and a person",
		pattern: `((?:[区市县省镇乡村]委|党工委|工委|党委|常委会|管委会)?(?:常务)?副?(?:书记|主任|局长|市长|省长|县长|区长|部长|主席|厅长|处长|校长|院长|主编|编辑|负责人|一把手|董事长|总经理|总裁|行长|社长|会长|理事长|秘书长))(?:是谁|是哪位|叫什么|姓什么)`,
		set:     func(a *Asks) { a.Role = true },
		pos:     []string{"区委书记是谁", "人大常委会主任是谁", "责任编辑是谁", "凯盛科技集团董事长是谁"}, neg: []string{"谁作的报告", "这份文件是谁发的"}},
	{name: "asks-post-of", doc: "asks what post or title someone holds: the answer must give a post beside the person",
		pattern: `(?:什么|哪个|啥|何)(?:职务|职位|官职|岗位|头衔|级别的干部)|(?:任|担任|当)(?:什么|啥|何)职|是(?:什么|哪个|啥)(?:领导|官)`,
		set:     func(a *Asks) { a.PostOf = true },
		pos:     []string{"张战伟当时是济源什么职务", "赵会生担任什么职", "他是哪个职位"}, neg: []string{"区委书记是谁", "管委会是什么级别", "职务犯罪"}},
	{name: "asks-gap", doc: "asks a difference or a comparison, which a gap or a multiple answers",
		pattern: `差距|相差|差多少|差了|缩小|扩大|多出|少了|高出|低于|多多少|少多少|几倍|倍数|比例|比重|几分之几|分之|是.{1,6}的多少|比.{1,8}(?:多|少|高|低)`,
		set:     func(a *Asks) { a.Gap = true },
		pos:     []string{"襄阳和洛阳差距缩小到多少", "徐州是洛阳的几倍"}, neg: []string{"襄阳2019年经济总量是多少", "徐州2019年gdp具体是多少亿"}},
	{name: "asks-which-counted", doc: "asks which things of a counted set (哪十件, 哪四条河): the answer must list about that many",
		pattern: `哪([一二三四五六七八九十两]{1,3}|[0-9]{1,2})\s*(?:个(?:$|[^字词])|项|件|条|大|点|方面|类|种|家|所|座|位|名|批|处|样|招)`,
		pos:     []string{"源城每年办的十件民生实事具体是哪十件", "城区要改造哪四条河"}, neg: []string{"有哪些措施", "第四条是什么", "工作思路是哪十二个字"}},
	{name: "comparison-figure", doc: "a clause giving a figure as a gap or a multiple of another's (缩小到222亿元, 是洛阳的1.42倍), not an amount of its own",
		pattern: `缩小到|扩大到|缩小至|扩大至|差距|相差|高出|低于|之差|多出|少于|是\p{Han}{1,8}的[0-9.]+(?:倍|/[0-9]+)`,
		pos:     []string{"到2019年缩小到222亿元", "2010年是洛阳的1.28倍"}, neg: []string{"生产总值完成641.8亿元"}},
	{name: "asks-rank-scope", doc: "asks a rank within a scope (在全省排第几): the answer must rank in that scope",
		pattern: `(全国|全省|全市|全区|省内|国内|市内)[^，,。？?]{0,6}(?:排|第几|名次|位次)|(?:排名|排|名次|位次)[^，,。？?]{0,4}(全国|全省|全市|全区)`,
		pos:     []string{"在全国排第几", "在省内排第几", "排全省第几"}, neg: []string{"排第几", "全国有多少"}},
	{name: "asks-unit", doc: "asks a figure in a unit: 多少亩, 几户, 百分之几",
		pattern: `(?:多少|(?:^|[^哪])几)(?:亿|万|千|百)?(` + strings.Join(unitWords.words, "|") + `)|(百分之几|百分比|占比|比重|多少个百分点)`,
		pos:     []string{"新增耕地多少亩", "惠及几户", "占比多少", "多少钱", "总量是多少亿元", "接待多少万人次"}, neg: []string{"哪几人", "多少", "多少亿"}},
	{name: "asks-rank", doc: "asks a place in a ranking (排第几, 排名, 名次)",
		pattern: `排第几|排多少|排在第几|第几位|第几名|排名|名次|位次|排几`,
		pos:     []string{"旅游收入在全省排第几", "排名多少", "名次是多少"}, neg: []string{"有几个方面", "第几条"}},
	{name: "asks-rank-unit", doc: "asks a rank in 名 or 位 (排多少名, 排第几位): a place in a ranking, written 第45位 or 第3名, answers",
		pattern: `排(?:在|名)?(?:多少|第几|几)[名位]|名次|第几[名位]`,
		pos:     []string{"在全国地级以上城市排多少名", "排第几位", "名次是多少"}, neg: []string{"有多少名干部", "培训了几名教师"}},
	{name: "rank-figure", doc: "a place in a ranking",
		pattern: `第\s*[0-9一二三四五六七八九十百]+\s*[位名]|[0-9一二三四五六七八九十百]+\s*强`,
		pos:     []string{"排全国地级及以上城市第45位", "居全省第3名", "进入全国百强"}, neg: []string{"培训120名教师", "第三季度"}},
	{name: "baseline-year", doc: "a year a change is counted from (比2016年前进了几位, 较2018年增长): the figure asked is of a later year",
		pattern: `(?:比|较|相比|同|与)((?:19|20)[0-9]{2})年`,
		pos:     []string{"全国排名比2016年前进了几位", "较2018年增长多少"}, neg: []string{"2016年排第几", "2018年比上年增长多少"}},
	{name: "span-start", doc: "the event a span of time is counted from (从实行省直管到2018年): the answer may give it as a year (从1997年到2018年), so its words need not be there",
		pattern: `从([^,，。?？从到至]{2,12}?)(?:到|至)`,
		pos:     []string{"从实行省直管到2018年,济源gdp增长了多少倍", "从撤县建市至今"}, neg: []string{"从哪些方面推进", "到2020年目标"}},
	{name: "indicator-head", doc: "a word ending an indicator's name, which a word before it qualifies (森林 of 森林覆盖率)",
		pattern: `^(?:覆盖率|复盖率|增长率|占有率|普及率|合格率|达标率|利用率|增加值|产值|产量|销量|余额|总额|支出|收入|面积|人口|人数|户数)$`,
		pos:     []string{"覆盖率", "增加值", "支出"}, neg: []string{"森林", "城市绿化覆盖率"}},
	{name: "each", doc: "asks the same of several places or documents (哪两个 asks which two things, not the same of two)",
		pattern: `各自|分别|各|都|两地|(?:^|[^哪])两个`,
		pos:     []string{"济源和洛阳各是什么定位", "两地分别", "两个城市的定位"}, neg: []string{"济源是什么定位", "设了哪两个开发区"}},
	{name: "followup", doc: "marks a follow-up question that leans on the one before (the longer mark first: 那个 before 那)",
		pattern: `^(那个|那么|那|还有|另外|再问|then|其中|这里面|里面|上面|刚才|前面|这个|这份|这篇|这|它们|它|其|该|此)|呢[？?]?$`,
		pos:     []string{"那2019年呢？", "它的面积", "洛阳呢", "其中第一个具体怎么说", "里面欧洲的企业有几家", "这个考核是哪个部门牵头"},
		neg:     []string{"济源的面积是多少", "王屋镇要建成什么样的镇"}},
	{name: "followup-filler", doc: "a 呢 inside a follow-up, before more of the question (那现代物流呢，要建成个啥)",
		pattern: `呢([,?，？])`, pos: []string{"现代物流呢,要建成个啥"}, neg: []string{"洛阳呢", "呢喃"}},
	{name: "followup-ordinal", doc: "a follow-up pointing at an item of the previous answer by its place in the list",
		pattern: `(?:第\s*([一二三四五六七八九十两0-9]{1,3})|(最后)\s*一?)\s*(?:个方面|个|条|项|点|件|方面|部分|类|种|块|句)`,
		pos:     []string{"第三条具体怎么说的", "第五个方面下面有哪几项措施", "其中第一个具体怎么说", "最后一条呢", "第2点"},
		neg:     []string{"在全省排第几", "居全省第4位", "三条措施", "最后完成了多少"}},
	{name: "followup-item", doc: "a follow-up pointing at an item of the previous answer by a word of it (公交那件)",
		pattern: `([\p{Han}A-Za-z0-9]{2,10}?)(?:那|这)一?(?:件|条|项|个|块|点|部分|方面|类)`,
		pos:     []string{"公交那件具体是啥", "党建信息化那块要建个啥平台", "教育这一项"},
		neg:     []string{"在全省排第几", "跟哪家德国企业在谈合作", "那个倍数是从哪年开始算的"}},
	{name: "followup-place", doc: "a follow-up naming the previous turn's place by a pronoun (当地, 那里)",
		pattern: `当地|那里|那儿|该地|该市|该县|该区|该省|这个地方|那个地方`,
		pos:     []string{"当地的城镇化率呢", "那里的人口有多少"}, neg: []string{"济源的城镇化率呢", "哪里人"}},
	{name: "followup-person", doc: "a follow-up naming the previous turn's person by a pronoun (他是什么职务, 这个人还说了什么)",
		pattern: `^(他|她|此人|这个人|这人|该同志|这位同志|这位)(?:[^们]|$)`,
		pos:     []string{"他是什么职务", "她还说了什么", "这个人是哪里的"}, neg: []string{"其他还有哪些", "他们", "当地的城镇化率呢"}},
	{name: "followup-year", doc: "a follow-up naming the previous turn's year by a pronoun (当年, 同年)",
		pattern: `当年|同年|那年|那一年|这一年|该年`,
		pos:     []string{"当年的财政收入呢", "同年新增就业多少"}, neg: []string{"2019年呢", "哪一年"}},
	{name: "followup-detail", doc: "a follow-up asking what an item of the previous answer says in full (具体怎么说)",
		pattern: `具体|详细|展开|(?:讲|说|写)[了的]?(?:什么|啥|些啥)|怎么说|怎么讲|内容`,
		pos:     []string{"第三条具体怎么说的", "文明建设那块讲了啥", "第二点的内容"},
		neg:     []string{"第三条是哪年定的", "公交那件花了多少钱"}},
	{name: "followup-figure", doc: "a follow-up pointing at a figure of the previous answer (那个数字, 这个倍数)",
		pattern: `^(?:那个|这个|那|这|该|其|上面的?|刚才的?)(数字|数据|倍数|比例|比重|金额|增速|增幅|数|目标|指标|排名)`,
		pos:     []string{"那个数字是哪年的", "那个倍数是从哪年开始算的", "这个比例是哪年的"},
		neg:     []string{"那2019年呢", "这个考核是哪个部门牵头", "数字经济规模多少"}},
	{name: "followup-document", doc: "a follow-up asking about the previous answer's document itself (它的文号, 这份文件是谁发的)",
		pattern: `^(?:它|其|该|这|那|此|上述)(?:份|个|篇|部)?(?:文件|通知|讲话|报告|方案|文章|意见|规划|办法|材料)?的?(?:文号|发文字号|字号|发文机关|发文单位|作者|讲话人|落款|成文|印发|发布|出台|标题|题目|全称)|^(?:这|那)(?:份|篇|个)(?:文件|通知|讲话|报告|方案|文章|意见|规划|办法|材料)|^(?:该|此|上述)(?:份|篇|个)?(?:文件|通知|讲话|报告|方案|文章|意见|规划|办法|材料)|^(?:它|这|那)是(?:谁|哪个部门|哪个单位|哪天|什么时候)(?:发|印发|写|讲|出台|发布)`,
		pos:     []string{"它的文号是多少", "这份文件是谁发的", "该通知什么时候印发的", "这篇文章作者是谁", "它是谁发的"},
		neg:     []string{"它是什么级别的", "这个考核是哪个部门牵头", "那2019年呢"}},
	{name: "followup-document-word", doc: "what is left of a pronoun to the document once the pronoun is read (份文件的)",
		pattern: `^(?:份|个|篇|部)?(?:文件|通知|讲话|报告|方案|文章|意见|规划|办法|材料)的?|^的`,
		pos:     []string{"份文件是谁发的", "的文号"}, neg: []string{"是谁发的"}},
	{name: "followup-switch-rest", doc: "words of a follow-up that switches place or year other than the new name (那边, 的, 呢)",
		pattern: `那边|那儿|这边|那块|这块|那篇|这篇|那份|这份|怎么样|情况|[的呢吗?？,，。\s]`,
		pos:     []string{"那边", "的"}, neg: []string{"面积"}},
	{name: "question-word", doc: "words that only ask and hold no content to look for",
		pattern: `多少|什么|哪|谁|几|怎么|怎样|如何|吗|呢|啥|咋|多长|多大|多高|多远|多久|多重|多深|多宽|一共|总共`,
		pos:     []string{"多少", "哪年", "如何", "比起来咋样", "怎样", "一共"}, neg: []string{"面积", "济源", "共产党"}},
	{name: "asked-kind", doc: "the kind of thing a question word asks for (哪个年份, 几月份, 什么名字, 什么提法): what is asked, not a word its answer holds",
		pattern: `(?:多少|什么|哪|几|啥)(?:个|一个|一|种|样的?)?(段时间|段时期|年份|月份|日子|日期|时间|时候|时段|地方|地点|位置|名字|名称|称呼|叫法|提法|说法|数字|数值|号码|程度|样子|职务|职位|头衔|身份)|(号码|电话|网址|邮箱)(?:是|为)?(?:多少|什么|啥)`,
		pos:     []string{"济源是哪个年份撤县建市的", "推进会是几月份", "每年哪段时间禁止挖道路", "那个园区叫什么名字", "城市定位是个什么提法", "在什么地方", "尹弘是什么职务", "爱心热线号码是多少"},
		neg:     []string{"时间节点有哪些", "城镇化率是多少", "名称变更的时间", "地方财政收入多少"}},
	{name: "organization-name", doc: "how the name of a body ends (商务部, 国务院, 党工委, 富国银行): a word the dictionary tags as an organization (nt) without such an ending (新设, 党组织, 中医药) names none",
		pattern: `(?:会|院|委|行|办|校|学|司|府|部|队|所|局|党|厅|署|社|台|馆|店|处|团|中心|联合国)$`,
		pos:     []string{"商务部", "国务院", "党工委", "富国银行", "中编办", "河南省政府", "首钢总公司", "四川大学", "党代会"},
		neg:     []string{"新设", "党组织", "中医药", "暨"}},
	{name: "first-person-post", doc: "a writer giving their own post (作为市委常委…,我会…), not 我 of 我市",
		pattern: `作为[^,，。;；]{1,40}[,，]\s*我(?:[^市省区县镇乡村们国党军院部局委厅办]|$)`,
		pos:     []string{"作为市委常委班子成员和市政府党组主要负责人,我会在市委坚强领导下抓好落实"},
		neg:     []string{"伊滨区作为我市创新创业新高地,在强化开放引领", "作为全市的龙头,我市要带头"}},
	{name: "document-word", doc: "words that speak of the documents themselves (那篇文章), not of what they say",
		pattern: `文章|文件|报告|讲话|方案|通知|材料|内容|原文|稿子|这篇|那篇`,
		pos:     []string{"文件", "那篇"}, neg: []string{"面积"}},
	{name: "count", doc: "a count in a question or a sentence: 六项, 四个方面, 三大, 十二条; not a part of a larger number or an ordinal (第三条), nor a congress (十九大)",
		pattern: `(?:^|[^一二三四五六七八九十两百千0-9第])(?:([一二三四五六七八九十两]{1,3}|[0-9]{1,2})\s*(?:项|个方面|方面|种|条|点|个|件|类|部分)|([一二三四五六七八九两])大)`,
		pos:     []string{"六项重点工作", "四个方面", "3条", "抓好三大攻坚战", "十二条措施"}, neg: []string{"重点工作", "十九大报告提出了什么", "第三条规定", "党的二十大精神"}},
	{name: "ordinal", doc: "an ordinal reference to a part of a document: 第三条, 第二章",
		pattern: `第[一二三四五六七八九十百零〇0-9]+(?:条|款|章|节|项|部分|点)`,
		pos:     []string{"第三条规定了什么", "第12条"}, neg: []string{"排第几", "三条措施"}},

	// What a near-miss question asks of, beside the indicator: a part of a
	// year, a document of a given year, an event's ordinal, a qualified figure.
	{name: "year-part", doc: "a part of a year a figure may be of (上半年, 一季度, 1-6月): not the whole year",
		pattern: `[上下]半年|前三季度|第?[一二三四1-4]季度|[0-9一二三四五六七八九十]{1,2}\s*(?:至|到|-|—|～|~)\s*[0-9一二三四五六七八九十]{1,2}月|[0-9一二三四五六七八九十]{1,2}月份`,
		pos:     []string{"2018年上半年生产总值", "一季度增速", "前三季度", "1-6月", "3月份的数据"},
		neg:     []string{"2018年生产总值", "全年", "6月7日", "半年以上"}},
	{name: "document-of-year", doc: "a document named with its year (2020年政府工作报告, 2018年的总体方案): the year is the document's",
		pattern: `((?:19|20)[0-9]{2})年(?:的|度)?(?:\p{Han}{0,4}?)(?:政府工作报告|工作报告|总体方案|实施方案|讲话|通知)`,
		pos:     []string{"济源2020年政府工作报告定的目标", "2019年济源政府工作报告", "2018年的总体方案"},
		neg:     []string{"2019年济源新增就业目标", "总体方案要求2020年人均生产总值", "到2025年规划建设"}},
	{name: "event-ordinal", doc: "the ordinal of a meeting or a body (第八次党代会, 第十四届人大): another ordinal is another event",
		pattern: `(第[一二三四五六七八九十百零〇0-9]+(?:次|届))\p{Han}{0,8}?(?:会议|大会|全会|党代会|人大|政协|委员会|代表会)`,
		pos:     []string{"第九次党代会", "第十四届人大", "第十四届人民代表大会第四次会议"}, neg: []string{"第几届", "第三条", "排第几", "第一次播出是什么时候"}},
	{name: "figure-qualifier", doc: "a word that makes a figure per head or per unit (人均生产总值): not the total",
		pattern: `人均|户均|亩均|地均`,
		pos:     []string{"人均生产总值", "亩均税收"}, neg: []string{"生产总值", "人民"}},
	{name: "asks-total", doc: "asks a total amount by its word or its magnitude (总额, 多少亿); 经济总量 may be asked as a share: a rate of growth does not give it",
		pattern: `总额|多少[万亿千百]|几[万亿千百]`,
		pos:     []string{"进出口总额目标是多少亿", "接待游客多少万人次"}, neg: []string{"城乡居民收入比要缩小到多少", "贡献了多少财税、经济总量和就业", "生产总值目标多少"}},
	{name: "clause-break", doc: "where an answer's clauses break: commas, semicolons, colons and stops",
		pattern: `[,，;；。:：!！?？\n]`,
		pos:     []string{"2/3,到2019年", "641.8亿元;一般"}, neg: []string{"2/3", "641.8亿元"}},
	{name: "total-word", doc: "an indicator that is a total (生产总值, 经济总量, GDP), which a per-head figure does not give; 可支配收入 is per head by custom",
		pattern: `总值|总量|总额|总数|总产值|总收入|gdp`,
		pos:     []string{"生产总值", "经济总量", "gdp"}, neg: []string{"可支配收入", "城镇化率"}},

	// Near misses: what is asked of the words found (nearmiss.go).
	{name: "asks-when", doc: "asks when something happened (哪年获批, 哪天通车), not how long (多长时间)",
		pattern: `哪天|哪一天|何时|几时|什么时候|什么时间|哪个时间|哪一年|哪年|几月|几号|哪个月|哪月|哪个年代|什么年代|日期`,
		pos:     []string{"济源综合保税区是哪年获批的", "济阳高速哪天正式通车的", "什么时候建成"}, neg: []string{"建设用了多长时间", "抓项目定了哪几个时间节点", "几年"}},
	{name: "asks-of-document", doc: "asks the date of a document or an issue itself (报纸哪天出的, 哪天印发的), which its header gives",
		pattern: `报纸|报刊|期刊|杂志|刊物|那期|这期|版面|发表|刊登|印发|发布|出台|签发|发文`,
		pos:     []string{"洛阳那期报纸是哪天出的", "意见是哪天印发的"}, neg: []string{"济阳高速哪天正式通车的", "综合保税区是哪年获批的"}},
	{name: "asks-why", doc: "asks why (为什么, 为何, 原因): not 为什么 read as 为 + 什么 after a verb (称之为什么, 改组为什么), nor a closing 为何 (最大的树林为何)",
		pattern: `(?:^|[^称名成改聘誉作视定列组选封任认以更译叫变位造设划置评])为(?:什么|何|啥)[^？?。，,\s]|原因|何故|因何|缘何|怎么会|凭什么`,
		set:     func(a *Asks) { a.Why = true },
		pos:     []string{"土地出让收入为什么增长130%", "经济差距缩小的原因是什么", "为何要撤县建市", "于海为何无缘国奥队"}, neg: []string{"土地出让收入增长了多少", "天门冬又称之为什么？", "国民政府改组为什么", "目前最大的树林为何?", "被聘为什么职务", "克井镇定位为什么特色镇"}},
	{name: "why-change", doc: "a why-question about a change or a standing (为什么增长130%, 差距为什么缩小, 为什么能率先实现), whose cause a report states in words",
		pattern: `增长|增加|下降|减少|上涨|大涨|涨|下跌|缩小|扩大|提高|提升|降低|翻番|率先|领先|第一|[0-9]+(?:\.[0-9]+)?%`,
		pos:     []string{"土地出让收入为什么增长130%", "襄阳和洛阳的经济差距为什么缩小", "为什么能在全省率先实现城乡低保并轨"}, neg: []string{"第1舰队为什么被称为柱岛舰队", "杨昊为什么加盟贵州人和"}},
	{name: "causal", doc: "a statement of a cause or a purpose: the words that answer why",
		pattern: `因为|由于|因此|所以|原因|得益于|归功于|归因|之所以|在于|因而|缘于|源于|出于|鉴于|考虑到|为了|旨在|目的|以便|以免|为此|导致|致使|使得|造成|引起|带动|拉动|随着|伴随|受\p{Han}{0,12}影响|的结果|的需要|需要|离不开|取决于|基于|据此|(?:^|[^基])因`,
		pos:     []string{"得益于重点项目的带动", "由于连年战乱", "为了促进就业", "受国际金融危机影响", "因病去世"}, neg: []string{"土地出让收入14.6亿元,增长130%", "在全省率先实现城乡低保并轨", "基因突变"}},
	{name: "quoted-phrase", doc: "a phrase a question quotes (几个“促落实”): the documents' own words, looked for whole",
		pattern: `[“"「『‘]([^“”"「」『』‘’]{2,12})[”"」』’]`,
		pos:     []string{"几个“促落实”分别是什么", "「放管服」改革"}, neg: []string{"促落实分别是什么", "《总体方案》"}},
	{name: "part-ordinal", doc: "a part of a document by its number (第四部分, 第二点): its words are found in no text, which writes 四、",
		pattern: `第[一二三四五六七八九十]+(?:部分|点|方面)`,
		pos:     []string{"第四部分提的几个促落实", "第二点说了什么"}, neg: []string{"第三条规定了什么", "四个方面"}},
	{name: "quoted-title", doc: "a title quoted in 《》: a document or work the documents must hold",
		pattern: `《([^《》]{2,60})》`,
		pos:     []string{"《济源产城融合示范区建设三年行动计划》定了哪些目标", "《总体方案》"}, neg: []string{"总体方案定了哪些目标", "《》"}},
	{name: "quoting-source", doc: "a sentence giving what another document says (根据《总体方案》,…; 《总体方案》提出): a quotation, whose source may be indexed too",
		pattern: `(?:根据|按照|依据|依照)《([^《》]{2,60})》|《([^《》]{2,60})》(?:提出|明确|指出|要求|规定|确定)`,
		pos:     []string{"根据《总体方案》,济源产城融合示范区发展总体上有两个阶段性目标", "《总体方案》明确了四大定位"}, neg: []string{"贯彻落实总体方案", "认真学习《条例》全文"}},
	{name: "meeting-session", doc: "a meeting named by its term and session (十四届人大五次会议, 市委十二届九次全会, 第十四届人民代表大会第四次会议)",
		pattern: `第?([一二三四五六七八九十]{1,3}|[0-9]{1,2})届\p{Han}{0,12}?((?:第?(?:[一二三四五六七八九十]{1,3}|[0-9]{1,2})次[、和及与]?)+)(?:全体)?(?:会议|全会|大会)`,
		pos:     []string{"市十四届人大三次会议", "市委十二届八次全会", "济源市第十四届人民代表大会第四次会议", "省委十届六次、八次全会"}, neg: []string{"第十四届人大", "第八次党代会", "十四五规划", "十九届二中、三中全会"}},
	{name: "session-number", doc: "one session number of a meeting's list of sessions (六次、八次)",
		pattern: `([一二三四五六七八九十]{1,3}|[0-9]{1,2})次`,
		pos:     []string{"六次", "第4次"}, neg: []string{"次数", "多次"}},
	{name: "sets-target-year", doc: "a sentence setting a target for a year of its own (到2020年,…; 力争到2025年): it is about that year, not the other years its section sets",
		pattern: `(?:^|[,，。;；:：、.\s])(?:到|至|预计到|力争到)(?:19|20)[0-9]{2}年`,
		pos:     []string{"到2020年,综合实力显著增强", "阶段性目标:到2020年,人均生产总值突破10万元", "力争到2025年"}, neg: []string{"从1997年到2018年的22年间", "2025年生产总值增长6%"}},
	{name: "time-word", doc: "a time an answer may give without a year or month (当时, 高二的时候, 新春期间, 白垩纪中期, 十月, 四国征伐后,): it dates an event",
		pattern: `时候|时期|期间|之际|当时|当日|当天|早上|上午|下午|晚上|凌晨|正午|[春夏秋冬]季|纪|初期|中期|末期|晚期|早期|前夕|[一二三四五六七八九十]{1,2}月|[0-9]+时|时[，,]|后[，,]|\p{Han}{2}[一二三四五六七八九十]{1,3}年`,
		pos:     []string{"高二的时候拍了MV", "新春期间", "白垩纪中期", "十月，王守仁率兵", "四国征伐后，", "绍兴十一年"}, neg: []string{"济源海关正式获批", "加快愚公移山干部学院建设"}},
	{name: "asks-share-scope", doc: "asks a share of a whole scope (占全省比重多少): the answer must give it of that scope",
		pattern: `占(全国|全省|全市|全区|全县)\p{Han}{0,8}?(?:比重|比例|份额|百分之几|多少|几成)`,
		pos:     []string{"电商交易额占全省比重多少", "占全国的比例是多少"}, neg: []string{"服务业增加值占生产总值比重多少", "在全省排第几"}},
	{name: "listed-before", doc: "the end of a text before a name that is an item of an enumeration: an enumeration comma (承留镇、|思礼镇)",
		pattern: `、$`,
		pos:     []string{"承留镇、", "与洛阳、"}, neg: []string{"发挥", "加强与"}},
	{name: "listed-after", doc: "the start of a text after a name that is an item of an enumeration: a place suffix, then an enumeration comma or 等 (克井|镇、, 晋城|等周边城市); not a body of the place (济源|市委、市政府)",
		pattern: `^(?:省|市|县|区|镇|乡|村|街道)?(?:、|等)`,
		pos:     []string{"镇、五龙口镇", "等周边城市"}, neg: []string{"镇省际交界区位优势", "省际交界", "市委、市政府", "通快等欧洲企业"}},
	{name: "list-tail", doc: "the rest of a clause after a list item that a 等 closes (…、轵城镇等小城镇倾斜)",
		pattern: `^[^，,。；;：:！？!?]*?等`,
		pos:     []string{"镇、五龙口镇、轵城镇等小城镇倾斜", "等周边城市"}, neg: []string{"、清漳河、浊漳河；", "、澳大利亚甚至世界1/4的人口"}},
	{name: "asks-several", doc: "asks for several things, which a list answers (哪些, 哪几, 分别, 几个方面)",
		pattern: `哪些|哪几|分别|几个方面|几项|几大|各自`,
		pos:     []string{"提出了哪几项重点工作", "分别是多少"}, neg: []string{"克井镇定位为什么特色镇", "合作共建的是哪个产业园"}},
	{name: "asks-other-item", doc: "asks for another item of a list the question starts (除了衡阳、长沙还有哪个, 临沂以及哪一个地方)",
		pattern: `除了|还有哪|(?:以及|和|与|及)(?:哪|什么)`,
		pos:     []string{"除了衡阳、长沙，还有哪一个分局", "临沂以及哪一个地方", "香港、澳门以及哪里"}, neg: []string{"克井镇在总体方案里定位为什么特色镇", "济源和晋城合作共建的是哪个产业园"}},
	{name: "indicator-word", doc: "a word naming an indicator by its ending (保有量, 销售额, 覆盖率, 增加值), of Han characters only",
		pattern: `^\p{Han}+(?:额|量|率|值|比)$`,
		pos:     []string{"保有量", "销售额", "覆盖率", "增加值"}, neg: []string{"耕地", "2018年", "商品房"}},
	{name: "figure-start", doc: "text that starts with a figure, maybe after a verb of amount (81.6万册, 达58万亩, 为三成)",
		pattern: `^(?:达到|达|为|是|约|共|有|超过)?\s*[0-9一二三四五六七八九十百千万两]`,
		pos:     []string{"81.6万册", "达58.11万亩", "为三成"}, neg: []string{"面积增长30%", "制度"}},
	{name: "place-suffix-end", doc: "the place suffix a place-shaped name ends with (东源|县, 伊滨|区, 五龙口|镇)",
		pattern: `(?:新城|新区|街道|自治州|自治县|省|市|县|区|镇|乡|村|州)$`,
		pos:     []string{"东源县", "伊滨区", "滨海新区"}, neg: []string{"东源", "党代会"}},
	{name: "year-lead", doc: "a sentence opening with the year of what follows it (到2020年，…; 2018年，…)",
		pattern: `^(?:到|至|截至)?((?:19|20)[0-9]{2})年`,
		pos:     []string{"到2020年,综合实力显著增强", "2018年,全市生产总值"}, neg: []string{"综合实力到2020年显著增强", "根据《总体方案》"}},
	{name: "era", doc: "a time given by its era, not by a year (唐代, 明朝, 康熙年间, 战国时期): it dates an event",
		pattern: `[夏商周秦汉晋隋唐宋辽金元明清][朝代末初]|\p{Han}{1,2}(?:时期|年间|末年|初年|时代)|公元|世纪|年代|春秋|战国|民国`,
		pos:     []string{"始建于唐代", "明朝时", "康熙年间", "战国时期", "民国初年"}, neg: []string{"2018年", "加快建设"}},

	// Shapes of passages and answers.
	{name: "short-year", doc: "a year written with two digits (18年), which the question means in full",
		pattern: `(?:^|[^0-9])([0-9]{2})年`, pos: []string{"18年", "那19年呢"}, neg: []string{"2018年", "18岁"}},
	{name: "not-calendar-year", doc: "a two-digit 年 that is no calendar year: a reign or era year (民国29年), a span (停滞了10年), a decade (30年代)",
		pattern: `(?:民国|明治|大正|昭和|平成|令和|光绪|宣统|同治|咸丰|道光|嘉庆|乾隆|雍正|康熙|顺治|了|过|近|约|达|满|逾|持续|历时)([0-9]{2})年|([0-9]{2})年(?:代|间|来|之久|多)`,
		pos:     []string{"民国29年", "停滞了10年", "30年代初", "明治29年"}, neg: []string{"18年济源", "那19年呢"}},
	{name: "year-written", doc: "a calendar year written in full with its 年",
		pattern: `(?:19|20)[0-9]{2}年`, pos: []string{"2016年和2018年"}, neg: []string{"16年", "2018"}},
	{name: "year", doc: "a year written in full",
		pattern: `(?:19|20)[0-9]{2}`, pos: []string{"2018年"}, neg: []string{"18年"}},
	{name: "has-date", doc: "a sentence holding a date",
		pattern: `[0-9]{3,4}年|[0-9]{1,2}月|[一二三四五六七八九十〇○零]{2,4}年|[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日|(?:^|[^一二三四五六七八九十第0-9])(?:十[一二]|[一二三四五六七八九十])月|[0-9一二三四五六七八九十]+世纪|[0-9]{2,4}年代|\p{Han}{2}(?:元|[一二三四五六七八九十]{1,3})年[间初末]?[，,。春夏秋冬正一二三四五六七八九十]`,
		pos:     []string{"2019年2月16日", "二〇一九年", "公元前240年", "公元前三世纪", "1970年代", "光绪十年，设新疆省", "咸康七年，设临沂县", "每年七月为本省的红色文化主题月", "十二月召开"},
		neg:     []string{"生产总值641.8亿元", "连续三年增长", "第三个月", "岁月如歌"}},
	{name: "has-time-of-year", doc: "a sentence naming a point of the year or a plan period (十四五) without a date: it answers when, not which year, month or day",
		pattern: `年底|年初|年中|年末|年内|上半年|下半年|半年|[一二三四]季度|月底|月初|春节|国庆|十[一二三四五六七八九]五`,
		pos:     []string{"按照牡丹文化节、半年、十一、年底4个时间节点", "力争年底前建成", "力争“十四五”期末常住人口突破百万"}, neg: []string{"连续三年增长", "生产总值641.8亿元"}},
	{name: "asks-year-or-month", doc: "asks which year or month, which a point of the year (年底) does not give",
		pattern: `哪年|哪一年|几年|年份|几月|哪个月|哪月`,
		pos:     []string{"济源是哪一年撤县建市的", "推进会是几月份"}, neg: []string{"会议什么时候召开", "抓项目定了哪几个时间节点"}},
	{name: "time-frame", doc: "an opening phrase setting the time of what follows (从1997年到2018年的22年间, 2018年以来, 过去五年)",
		pattern: `(?:19|20)[0-9]{2}年|[0-9一二三四五六七八九十两]+年(?:间|来|中|里)|以来|过去[一二三四五六七八九十两]+年|期间`,
		pos:     []string{"从1997年到2018年的22年间", "党的十八大以来", "过去五年"}, neg: []string{"全市生产总值增长了14.4倍", "城乡居民人均可支配收入分别增长了7.3倍"}},
	{name: "has-day", doc: "a sentence holding a day-level date",
		pattern: `[0-9]{1,2}月[0-9]{1,2}日|[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日`,
		pos:     []string{"2月16日", "二月十六日"}, neg: []string{"2019年"}},
	{name: "has-number", doc: "a sentence holding a number",
		pattern: `[0-9０-９]|[一二三四五六七八九十百千万亿两]+(?:个|项|大|条|家|所|座|倍|类|种|批)`,
		pos:     []string{"增长8%", "三大任务"}, neg: []string{"持续深化改革"}},
	{name: "figure", doc: "the figures of a text: Arabic, or Chinese with a counter",
		pattern: `[0-9]+(?:\.[0-9]+)?|[一二三四五六七八九十百千两廿卅]+[万亿]|[一二三四五六七八九十百千万亿两廿卅]+(?:多|余)?(?:个|项|大|条|家|所|座|倍|类|种|批|位|名|届|次|套|省|期|级|件|人|岁|天|小时|分钟|周|分之)|[一二三四五六七八九十两]+(?:个工作日|个自然日|日(?:内|以内|之内|前|起|后|向))|第[一二三四五六七八九十百千零〇两]+`,
		pos:     []string{"641.8", "七万", "三个", "十多个", "廿八岁", "第五套", "第十四届", "五分之一", "两天", "一省", "提前七日向社会公告", "十五个工作日", "不得超过四小时", "不得少于二十分钟"}, neg: []string{"深化改革", "第几", "大气污染防治百日攻坚"}},
	{name: "percent-figure", doc: "a figure in percent",
		pattern: `[0-9.]+\s*%|百分之|个百分点|[一二三四五六七八九]成|[一二三四五六七八九十]分之[一二三四五六七八九十]`,
		pos:     []string{"8.5%", "百分之十", "三成", "五分之四"}, neg: []string{"85元"}},
	{name: "amount-figure", doc: "an amount: a number with a unit of quantity, not a rate, multiple or rank",
		pattern: `(?:[0-9.]+|[一二三四五六七八九十百千两]+)\s*(?:[万亿千百]\s*)?(?:元|美元|人次|人|户|亩|平方公里|平方千米|平方米|km²|km2|m²|公顷|公里|千米|米|吨|千瓦|辆|家|个|所|座|条|项|套|间|张|名|台|场|届|处|万|亿)`,
		pos:     []string{"生产总值完成641.8亿元", "总人口73.3万", "新增耕地1.2万亩", "两个校区"}, neg: []string{"增长了14.4倍", "增长8.3%", "居全省第4位"}},
	{name: "growth-figure", doc: "a rate of growth or a multiple",
		pattern: `[0-9.]+\s*%|百分之|个百分点|[0-9.一二三四五六七八九十两]+\s*倍|翻[一二三四五六七八九十两]*番|[一二三四五六七八九]成`,
		pos:     []string{"增长8.5%", "增长了14.4倍", "翻一番", "提高1.31个百分点"}, neg: []string{"完成135亿元"}},
	{name: "growth-clause", doc: "a growth told as one: a rate after a word of change (增长8.3%, 提高1.31个百分点), or a multiple",
		pattern: `(?:增长|增速|增幅|提高|提升|下降|上升|减少|降低|回升|扩大|缩小)[^,，;；。]{0,6}?(?:[0-9.]+\s*%|百分之|个百分点)|[0-9.一二三四五六七八九十两]+\s*倍|翻[一二三四五六七八九十两]*番`,
		pos:     []string{"生产总值增长8.3%", "增长了14.4倍", "提高1.31个百分点", "翻一番"}, neg: []string{"研究与试验发展经费投入强度达2.07%", "占比71.4%"}},
	{name: "money-figure", doc: "a sum of money",
		pattern: `[0-9.]+\s*(?:亿|万|千)?元|[0-9.]+\s*(?:亿|万)|[一二三四五六七八九十两][一二三四五六七八九十百千万两零〇]*(?:亿|万|千)?元(?:[^化素旦年首宵老帅结论]|$)`,
		pos:     []string{"135亿元", "20万", "处以一百元以上五百元以下罚款", "奖励五千元"}, neg: []string{"20户", "推进一元化管理", "二元结构"}},
	{name: "doc-number", doc: "a document number: 豫政〔2017〕20号",
		pattern: `\p{Han}{1,8}[〔\[【(]\d{4}[〕\]】)]\s*\d+\s*号`,
		pos:     []string{"豫政〔2017〕20号", "发改地区〔2015〕2778号"}, neg: []string{"2017年20号"}},
	{name: "list-item", doc: "a sentence that is an item of an enumeration",
		pattern: `^(?:[一二三四五六七八九十]+是|[（(][一二三四五六七八九十0-9]+[)）]|[0-9]+[.、．])`,
		pos:     []string{"九是办好民生实事", "（三）持续深化改革", "2.推进"}, neg: []string{"推进改革"}},
	{name: "heading-ordinal", doc: "the number of a heading, by its rung: 一、 （一） 1. 一是",
		pattern: `^(?:([一二三四五六七八九十])(、)|[(]([一二三四五六七八九十])([)])|([0-9]{1,2})([.、])|([一二三四五六七八九十])(是))`,
		pos:     []string{"一、总体要求", "(二)基本原则", "3.严格督促检查", "四是政府工作存在不足"}, neg: []string{"顺势而为,势如破竹", "2019年工作回顾"}},
	{name: "inline-item", doc: "an item of a run inside a paragraph: 一是…, 二是…",
		pattern: `^([一二三四五六七八九十])是`,
		pos:     []string{"一是转型发展任务艰巨", "四是政府工作存在不足"}, neg: []string{"这是一项工作", "是一项重点"}},
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
	{name: "body", doc: "the name of a public body or company by a telling ending (stricter than organization: no 会, 组, 中心)",
		pattern: `\p{Han}{1,12}(?:政府|委员会|人大|政协|国务院|中央|省委|市委|区委|县委|党委|编办|部|局|厅|院|委|公司|集团|大学|学院|银行)`,
		pos:     []string{"经国务院批准", "中央编办批复", "济源市人民政府"}, neg: []string{"机构改革动员大会上的讲话", "会议印发了方案"}},
	{name: "salutation", doc: "a salutation line: those addressed, then a colon",
		pattern: `^[^。；;!！?？]{2,80}[:：]$`,
		pos:     []string{"济源市人民政府,省人民政府各部门:", "各位代表:"}, neg: []string{"今年主要预期目标是:生产总值增长8%", "济源市人民政府"}},
	{name: "person-title", doc: "a person named with a form of address or a role (迎军同志, 编辑:郭立翔), or signing under a post (市人民政府市长 石迎军)",
		pattern: `\p{Han}{2,3}同志|(?:编辑|记者|作者|校对|组版|摄影|撰稿)\s*[:：]?\s*\p{Han}{2,3}|(?:长|书记|主任|主席|总理|委员)(?:\s+|[:：]\s*)\p{Han}{2,3}(?:$|\s|[,，。;；、])`,
		pos:     []string{"迎军同志刚才就方案作了说明", "编辑:郭立翔", "济源市人民政府市长 石迎军", "区委书记:张三,"}, neg: []string{"同志们", "编辑部", "市长作报告", "市长 工作报告"}},
	{name: "place-word", doc: "a word that names a place by its ending",
		pattern: `\p{Han}{1,8}(?:省|市|县|区|镇|乡|村|州|郡|国|山|河|江|湖|海|岛|港|城)`,
		pos:     []string{"河南省", "济源市"}, neg: []string{"管委会"}},
	{name: "place-name", doc: "a whole word shaped like a place name",
		pattern: `^\p{Han}{2,6}(?:市|区|县|省|镇|乡|村|州|新城|新区)$`,
		pos:     []string{"济源市", "伊滨区"}, neg: []string{"济源市政府", "市"}},
	{name: "place-suffix", doc: "the whole suffix a place name's stem takes (济源 of 济源市, 伊滨 of 伊滨区)",
		pattern: `^(?:省|市|区|县|镇|乡|村|州|盟|旗|新城|新区|街道|自治区|自治州|自治县|特别行政区)$`,
		pos:     []string{"市", "自治州"}, neg: []string{"岛", "理论", "市政府"}},
	{name: "national-document", doc: "a title or issuer of the whole country's document (a national report, law or central decision): it speaks of no one local place",
		pattern: `中华人民共和国|国务院|全国人民代表大会|全国人大|中共中央`,
		pos:     []string{"2017年中华人民共和国国务院政府工作报告", "中共中央 国务院关于…的意见"}, neg: []string{"2019年济源市政府工作报告", "河南省人民政府关于印发济源国家产城融合示范区总体方案的通知"}},
	{name: "national-place", doc: "a place a question may name that is the whole country, which a national document speaks of",
		pattern: `^(?:中国|全国|我国|中华人民共和国|国家|国内)$`,
		pos:     []string{"中国", "全国"}, neg: []string{"洛阳", "中国共产党"}},
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
	{name: "topic-pair", doc: "two topics joined by 和 or 与 that a question asks the same of (在水系生态和污染治理上怎么安排): one question per topic",
		pattern: `在(\p{Han}{2,6}?)(?:和|与|及)(\p{Han}{2,6}?)(?:上|方面)(?:都|分别|各)?(?:怎么|如何|有哪些|有什么|提了|作了|做了)`,
		pos:     []string{"总体方案在水系生态和污染治理上怎么安排的", "在教育与医疗方面有哪些举措"}, neg: []string{"济源和洛阳各是什么定位", "在水系生态上怎么安排的"}},
	{name: "question-split", doc: "where a question asking several things splits",
		pattern: `[？?；;]+`, pos: []string{"多少？", "；"}, neg: []string{"，"}},
	{name: "clause-split", doc: "where a question asking two things may split across a comma (see splitClauses)",
		pattern: `[，,]`, pos: []string{"基本农田划了多少万亩，高标准粮田要建多少"}, neg: []string{"基本农田划了多少万亩"}},
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
	reAsksUnit   = rx("asks-unit")
	reAsksRole   = rx("asks-role")
	reComparison = rx("comparison-figure")
	reAsksPostOf = rx("asks-post-of")
	// reAppointed matches an appointment to a post (任, 担任, 当选).
	reAppointed = regexp.MustCompile(`(?:担|出|兼|调|升|改|转|历|曾)任|当选|就任|任职|^任|[,，。;；\s]任|(?:受|被|获)聘为|聘任为|任命为|被任命|被选为|被推举为`)
	// reAsksFileNumber matches asking a document's issue number (文号), not
	// any number (编号).
	reAsksFileNumber   = regexp.MustCompile(`文号|发文号|字号`)
	reAsksWhichCounted = rx("asks-which-counted")
	rePost             = regexp.MustCompile(`(?:书记|主任|局长|市长|省长|县长|区长|镇长|乡长|部长|主席|厅长|处长|科长|校长|院长|主编|总编|编辑|记者|负责人|董事长|总经理|总裁|行长|社长|会长|理事长|秘书长|委员|常委|主管|总理|司长|巡视员|调研员|专员)`)
	reAsksRankScope    = rx("asks-rank-scope")
	reGrowthFigure     = rx("growth-figure")
	reTimeFrame        = rx("time-frame")
	reGrowthClause     = rx("growth-clause")
	reAsksRankUnit     = rx("asks-rank-unit")
	reRankFigure       = rx("rank-figure")
	reBaselineYear     = rx("baseline-year")
	reSpanStart        = rx("span-start")
	reIndicatorHead    = rx("indicator-head")
	reAsksRank         = rx("asks-rank")
	reQuotingSource    = rx("quoting-source")
	reEach             = rx("each")
	reFollowMarker     = rx("followup")
	reFollowFiller     = rx("followup-filler")
	reFollowOrdinal    = rx("followup-ordinal")
	reFollowItem       = rx("followup-item")
	reFollowFigure     = rx("followup-figure")
	reFollowDetail     = rx("followup-detail")
	reFollowPlace      = rx("followup-place")
	reFollowYear       = rx("followup-year")
	reFollowPerson     = rx("followup-person")
	reFollowDoc        = rx("followup-document")
	reFollowDocWord    = rx("followup-document-word")
	reSwitchRest       = rx("followup-switch-rest")
	reQuestionWord     = rx("question-word")
	reDocumentWord     = rx("document-word")
	reAskedKind        = rx("asked-kind")
	reOrgName          = rx("organization-name")
	reFirstPersonPost  = rx("first-person-post")
	// reAsksSlot matches the words asking for a fact about a document (文号,
	// 标题, 主送机关, 发文机关): what is asked, not a word the answer repeats.
	reAsksSlot = regexp.MustCompile(rx("asks-doc-number").String() + "|" + rx("asks-title").String() + "|" +
		rx("asks-addressee").String() + "|" + rx("asks-author").String())
	reCount         = rx("count")
	reOrdinal       = rx("ordinal")
	reYearPart      = rx("year-part")
	reDocumentYear  = rx("document-of-year")
	reEventOrdinal  = rx("event-ordinal")
	reQualifier     = rx("figure-qualifier")
	reTotalWord     = rx("total-word")
	reClauseBreak   = rx("clause-break")
	reAsksTotal     = rx("asks-total")
	reQualifierEnd  = regexp.MustCompile(`(?:` + rx("figure-qualifier").String() + `)$`)
	reAsksRate      = rx("asks-rate")
	reAsksAmount    = rx("asks-amount")
	reAmountFigure  = rx("amount-figure")
	reRelativeYear  = rx("relative-year")
	reYearSpan      = rx("year-span")
	reYear          = rx("year")
	reYearWritten   = rx("year-written")
	reShortYear     = rx("short-year")
	reNotYear       = rx("not-calendar-year")
	reHasDate       = rx("has-date")
	reHasDay        = rx("has-day")
	reTimeOfYear    = rx("has-time-of-year")
	reAsksYearMonth = rx("asks-year-or-month")
	reHasNumber     = rx("has-number")
	reFigure        = rx("figure")
	rePercentFigure = rx("percent-figure")
	reMoneyFigure   = rx("money-figure")
	reDocNumberIn   = rx("doc-number")
	reListItem      = rx("list-item")
	reInlineItem    = rx("inline-item")
	reHeadingNum    = rx("heading-ordinal")
	reLeansBack     = rx("leans-back")
	rePlan          = rx("plan")
	reOutcome       = rx("outcome")
	rePlaceWord     = rx("place-word")
	rePlace         = rx("place-name")
	reLocalPlace    = rx("local-place")
	reEffective     = rx("effective-clause")
	reNationalDoc   = rx("national-document")
	reNationalPlace = rx("national-place")
	rePlaceSuffix   = rx("place-suffix")
	reNoPlaceStem   = rx("no-place-stem")
	reLocativeTail  = rx("locative-tail")
	reOrganization  = rx("organization")
	reSalutation    = rx("salutation")
	reOccasion      = rx("occasion")
	reIssue         = rx("issue")
	reBody          = rx("body")
	rePersonTitle   = rx("person-title")
	reParts         = rx("question-split")
	reClauseSplit   = rx("clause-split")
	reTopicPair     = rx("topic-pair")
)

// The compiled rules of the near-miss checks (nearmiss.go).
var (
	reAsksWhen       = rx("asks-when")
	reAsksTimeRule   = rx("asks-time-rule")
	reEra            = rx("era")
	reAsksOfDoc      = rx("asks-of-document")
	reCausal         = rx("causal")
	reWhyChange      = rx("why-change")
	reTimeWord       = rx("time-word")
	reSetsTargetYear = rx("sets-target-year")
	reAsksShareScope = rx("asks-share-scope")
	reListedBefore   = rx("listed-before")
	reListedAfter    = rx("listed-after")
	reAsksOtherItem  = rx("asks-other-item")
	reListTail       = rx("list-tail")
	reAsksSeveral    = rx("asks-several")
	rePlaceSuffixEnd = rx("place-suffix-end")
	reYearLead       = rx("year-lead")
	reIndicatorWord  = rx("indicator-word")
	reFigureStart    = rx("figure-start")
	reQuotedTitle    = rx("quoted-title")
	reQuotedPhrase   = rx("quoted-phrase")
	rePartOrdinal    = rx("part-ordinal")
	reMeetingSession = rx("meeting-session")
	reSessionNumber  = rx("session-number")
)

// relativeYears maps the words of the relative-year rule to their offset
// from a document's own year.
var relativeYears = map[string]int{"前年": -2, "去年": -1, "上一年": -1, "今年": 0, "本年度": 0, "明年": 1}

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
		if u == "天" {
			// Rules count days in 日 (提前七日向社会公告, 十五个工作日), not
			// after a month (12月30日 is a date) nor in a name (百日攻坚).
			m[u] = regexp.MustCompile(`(?:^|[^0-9月一二三四五六七八九十百千万两])[0-9一二三四五六七八九十百千万两]+\s*(?:余|多)?\s*(?:个?工作日|个?自然日|天|日(?:内|以内|之内|前|起|后|向))`)
		}
	}
	return m
}()

// notInPlaceNames holds characters no district, county or town name holds:
// 年 of 2019年城区, 些 of 哪些地区, particles. A word shaped like a local
// place (…区, …镇) with one of them is no place.
const notInPlaceNames = "年月日的和与及在于是为对了之其各该本全些哪这那每"

// isFrameWord reports whether w only frames a question (frameWords), or
// names a year relative to each document's own (去年, 今年): that time is
// resolved per document and checked as a year, and an answer from a 2019
// report says 2018年 or 全年, not 去年.
func isFrameWord(w string) bool {
	if _, ok := relativeYears[w]; ok {
		return true
	}
	for _, f := range frameWords.words {
		if f == w {
			return true
		}
	}
	return false
}

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

// numeralValue returns the value of a count written in digits (12) or in
// Chinese numerals (十二), or 0.
func numeralValue(s string) int {
	if s != "" && s[0] >= '0' && s[0] <= '9' {
		n, _ := strconv.Atoi(s)
		return n
	}
	return cjkCount(s)
}

// cjkCount returns the value of a Chinese numeral from one to ninety-nine
// (两 is two; 十二, 二十, 九十九), or 0.
func cjkCount(s string) int {
	digit := func(r string) int {
		if r == "两" {
			return 2
		}
		if i := strings.Index("一二三四五六七八九", r); i >= 0 && len(r) == len("一") {
			return i/len("一") + 1
		}
		return 0
	}
	tens, ones, found := strings.Cut(s, "十")
	if !found {
		return digit(s)
	}
	n := 10
	if tens != "" {
		if n = digit(tens) * 10; n == 0 {
			return 0
		}
	}
	if ones != "" {
		d := digit(ones)
		if d == 0 {
			return 0
		}
		n += d
	}
	return n
}
