package rag

import (
	"policybot/ingest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"policybot/fold"
	"policybot/lexical"
	"policybot/terms"
)

// fakeTok splits on spaces, tags every word as a noun unless pos says
// otherwise, and weighs every word 0.5 in general use.
type fakeTok struct{ pos map[string]string }

func (fakeTok) Terms(s string) []string { return strings.Fields(s) }
func (fakeTok) Words(s string) []string { return strings.Fields(s) }
func (t fakeTok) Tag(s string) []lexical.Tagged {
	var out []lexical.Tagged
	for _, w := range strings.Fields(s) {
		p := t.pos[w]
		if p == "" {
			p = "n"
		}
		out = append(out, lexical.Tagged{Text: w, Pos: p})
	}
	return out
}
func (fakeTok) WordWeight(string) float64 { return 0.5 }

func testEngine() *Engine {
	return &Engine{
		tok:   fakeTok{pos: map[string]string{"张三": "nr", "济源": "ns", "完成": "v", "美国": "ns"}},
		terms: terms.Builtin(),
		opt:   Options{Places: terms.BuiltinPlaces()},
		w:     DefaultWeights(),
	}
}

// refusalInput is a refusal check's input: a question, one passage, the
// answer taken from it and the best sentence's coverage.
type refusalInput struct {
	question string
	passage  Passage
	answer   string
	more     []string // further sentences of the answer
	cover    float64
	docs     map[string]int     // document frequencies; absent terms are in none
	terms    map[string]float64 // the question's weighted terms, if the check reads them
	names    []string           // names beside the gazetteer's places (中欧, 美国)
}

func (in refusalInput) refusalCase() *refusalCase {
	f := terms.NormalizeYears(fold.String(in.question))
	a := &Analysis{Question: in.question, Folded: f, Years: calendarYears(f, fold.String(in.question))}
	a.Asks, a.Rules = intentsOf(f)
	a.Scope = rankScope(f)
	a.Count = countIn(f)
	if m := reAsksRole.FindStringSubmatch(f); m != nil {
		a.Post = m[1]
	}
	a.terms = map[string]qterm{}
	for k, w := range in.terms {
		a.terms[k] = qterm{weight: w, alts: []string{k}}
	}
	a.unitRx, a.Unit = askedUnit(f)
	if a.Asks.Amount {
		a.amount = amountFigure(f)
	}
	a.Places = terms.BuiltinPlaces().Find(f)
	a.Names = append(slices.Clone(a.Places), in.names...)
	fd := found{a: a, passages: []Passage{in.passage}, ex: extraction{spans: spans{{text: in.answer, cite: 1}}, cited: []int{1}, best: 1, cover: in.cover}}
	answer := in.answer
	if in.answer != "" {
		for i, r := range sentenceRanges(in.answer) {
			st := in.answer[r[0]:r[1]]
			fd.ex.picked = append(fd.ex.picked, sentence{text: st, pos: i, ctx: fold.String(st + "\n" + in.passage.Section)})
		}
		for _, m := range in.more {
			fd.ex.picked = append(fd.ex.picked, sentence{text: m})
			answer += m
		}
	}
	return &refusalCase{a: a, f: fd, df: func(t string) int { return in.docs[t] },
		answer: fold.String(answer), where: whereText(fd.passages, fd.ex.cited)}
}

func TestRefusalChecks(t *testing.T) {
	report := Passage{Title: "2019年济源市政府工作报告", Section: "一、2018年工作回顾", Date: "2019-02-16",
		Text: "进出口总值完成135亿元，居全省第5位。"}
	plan := Passage{Title: "济源市十四五规划", Text: "到2025年，城镇化率力争提高到70%。"}
	undated := Passage{Title: "关于加强管理的通知", Text: "各单位要加强管理。"}
	targets := Passage{Title: "2019年济源市政府工作报告", Section: "二、2019年工作安排", Text: "生产总值增长8%左右。进出口保持平稳增长。"}
	plannedSection := Passage{Title: "2019年济源市政府工作报告", Section: "二、2019年工作安排", Text: "主要污染物排放量完成省定任务。", timeKind: ingest.TimePlan}
	growth := Passage{Title: "在济源产城融合示范区成立暨机构改革动员大会上的讲话", Text: "从1997年到2018年的22年间,全市生产总值增长了14.4倍;"}
	stages := Passage{Title: "在济源产城融合示范区成立暨机构改革动员大会上的讲话",
		Text: "到2020年,常住人口城镇化率超过65%。到2025年,示范区经济社会发展实现重大跨越。"}
	tests := map[string][]struct {
		name    string
		in      refusalInput
		refuses bool
	}{
		"no-passage": {
			{"an answer with sentences passes", refusalInput{question: "进出口总值多少", passage: report, answer: report.Text, cover: 1}, false},
			{"no sentence picked refuses", refusalInput{question: "进出口总值多少", passage: report, cover: 1}, true},
		},
		"coverage": {
			{"an answer holding the question passes", refusalInput{question: "进出口总值多少", passage: report, answer: report.Text, cover: 0.8}, false},
			{"an answer holding little of it refuses", refusalInput{question: "进出口总值多少", passage: report, answer: report.Text, cover: 0.1}, true},
		},
		"years": {
			{"the year asked under the passage's heading passes", refusalInput{question: "2018年进出口总值多少", passage: report, answer: report.Text, cover: 1}, false},
			{"another year refuses", refusalInput{question: "2016年进出口总值多少", passage: report, answer: report.Text, cover: 1}, true},
		},
		"names": {
			{"the place asked where the answer is passes", refusalInput{question: "济源进出口总值多少", passage: report, answer: report.Text, cover: 1}, false},
			{"another city refuses", refusalInput{question: "洛阳进出口总值多少", passage: report, answer: report.Text, cover: 1}, true},
			{"a country the segmenter knows, absent where the answer is, refuses though another name is there", refusalInput{question: "中欧科创产业园签约的美国企业有几家",
				passage: Passage{Title: "中欧科创产业园建设", Text: "签约意向进驻企业53家,其中欧洲企业15家。"}, answer: "签约意向进驻企业53家,其中欧洲企业15家。", cover: 1,
				names: []string{"中欧", "美国"}}, true},
			{"a country named where the answer is passes", refusalInput{question: "中欧科创产业园签约的美国企业有几家",
				passage: Passage{Title: "中欧科创产业园建设", Text: "签约企业53家,其中美国企业3家。"}, answer: "签约企业53家,其中美国企业3家。", cover: 1,
				names: []string{"中欧", "美国"}}, false},
		},
		"key-terms": {
			{"a heavy noun the answer holds passes", refusalInput{question: "进出口 总值 多少", passage: report, answer: report.Text, cover: 1,
				terms: map[string]float64{"进出口": 4, "总值": 2}}, false},
			{"a heavy noun the answer lacks refuses", refusalInput{question: "人均 生产总值 多少", passage: growth, answer: growth.Text, cover: 1,
				terms: map[string]float64{"人均": 3, "生产总值": 3}}, true},
			{"a word framing the figure need not be repeated", refusalInput{question: "进出口 总额 多少", passage: report, answer: report.Text, cover: 1,
				terms: map[string]float64{"进出口": 3, "总额": 3}}, false},
			{"a light noun the answer lacks passes", refusalInput{question: "进出口 总值 专项 多少", passage: report, answer: report.Text, cover: 1,
				terms: map[string]float64{"进出口": 4, "总值": 3, "专项": 1}}, false},
			{"a term in the answer with no figure for it refuses", refusalInput{question: "进出口 总额 目标 多少", passage: targets,
				answer: "生产总值增长8%左右。进出口保持平稳增长。", cover: 1, terms: map[string]float64{"进出口": 4, "总额": 3, "目标": 1}}, true},
			{"a figure close after the sentence naming the term counts", refusalInput{question: "进出口 总值 多少", passage: report,
				answer: "扩大对外开放，进出口稳步发展。总值完成135亿元。", cover: 1, terms: map[string]float64{"进出口": 4, "总值": 2}}, false},
			{"asked a document number, the number is the figure the term is given", refusalInput{question: "工大 那份函 文号是多少",
				passage: Passage{Title: "北京工业大学：", Text: "《关于报送试点实施方案的函》（工大函〔2022〕38号）收悉。"},
				answer:  "《关于报送试点实施方案的函》（工大函〔2022〕38号）收悉。", cover: 1, terms: map[string]float64{"工大": 5, "文号": 5}}, false},
			{"latin letters with digits are a key term", refusalInput{question: "pm2.5 浓度 目标 多少", passage: stages, answer: "到2020年,常住人口城镇化率超过65%。", cover: 1,
				terms: map[string]float64{"pm2.5": 6, "浓度": 1, "目标": 1}}, true},
			{"a count in the very unit asked vouches for a word put otherwise", refusalInput{question: "农村 厕所 改造 多少户", passage: undated,
				answer: "改造农村户厕4万户以上。", cover: 1, terms: map[string]float64{"厕所": 4, "农村": 1, "改造": 1}}, false},
			{"a verb-like word of a terms-table indicator is a key term", refusalInput{question: "一般公共预算支出 多少", passage: report,
				answer: "一般公共预算收入完成50.1亿元。", cover: 1, terms: map[string]float64{"支出": 3, "预算": 1, "一般": 1}}, true},
			{"a lone latin letter cut from an abbreviation is no key term", refusalInput{question: "济源r&d经费投入强度多少",
				passage: Passage{Title: "2019年济源市政府工作报告", Text: "研究与试验发展经费投入强度达2.07%。"}, answer: "研究与试验发展经费投入强度达2.07%。", cover: 1,
				terms: map[string]float64{"r": 8, "d": 6, "强度": 5, "经费": 3, "投入": 3}}, false},
			{"a word the segmenter cut across the question word is no key term", refusalInput{question: "济源全市多大面积,一共多少",
				passage: Passage{Title: "济源国家产城融合示范区总体方案", Text: "市域总面积1931平方公里。"}, answer: "市域总面积1931平方公里。", cover: 1,
				terms: map[string]float64{"大面积": 7, "面积": 4}}, false},
			{"the same word outside the question word stays a key term", refusalInput{question: "大面积造林投资多少",
				passage: Passage{Title: "2019年济源市政府工作报告", Text: "全年造林投资2亿元。"}, answer: "全年造林投资2亿元。", cover: 1,
				terms: map[string]float64{"大面积": 7, "造林": 3, "投资": 2}}, true},
			{"a question asking no figure is not checked", refusalInput{question: "人均 生产总值 怎么样", passage: growth, answer: growth.Text, cover: 1,
				terms: map[string]float64{"人均": 3, "生产总值": 3}}, false},
		},
		"answer-years": {
			{"the year asked in the answer passes", refusalInput{question: "2020年城镇化率目标多少", passage: stages, answer: "到2020年,常住人口城镇化率超过65%。", cover: 1}, false},
			{"an answer naming no year passes", refusalInput{question: "2018年进出口总值多少", passage: report, answer: report.Text, cover: 1}, false},
			{"an answer about another year refuses, though its passage names the year asked", refusalInput{question: "2025年城镇化率目标多少",
				passage: stages, answer: "到2020年,常住人口城镇化率超过65%。", cover: 1}, true},
			{"the year of a document number is no year spoken of", refusalInput{question: "2015年城镇化率多少",
				passage: undated, answer: "按照(发改地区〔2015〕2778号)有关要求,特制定本方案。", cover: 1}, false},
		},
		"document-year": {
			{"a document of the year asked passes", refusalInput{question: "2019年政府工作报告定的生产总值增长目标多少", passage: targets, answer: "生产总值增长8%左右。", cover: 1}, false},
			{"a report of another year refuses, though its text names the year asked", refusalInput{question: "2020年政府工作报告定的城镇化率目标多少",
				passage: Passage{Title: "2019年济源市政府工作报告", Date: "2019-02-16", Text: "到2020年,常住人口城镇化率超过65%。"}, answer: "到2020年,常住人口城镇化率超过65%。", cover: 1}, true},
			{"a year not naming a document is not checked", refusalInput{question: "2020年城镇化率目标多少", passage: stages, answer: "到2020年,常住人口城镇化率超过65%。", cover: 1}, false},
		},
		"year-part": {
			{"a half-year figure of what is asked passes", refusalInput{question: "上半年生产总值增长多少", passage: undated,
				answer: "上半年生产总值增长7.9%。", cover: 1, terms: map[string]float64{"上半年": 4, "生产总值": 3}}, false},
			{"a full-year figure refuses", refusalInput{question: "上半年生产总值增长多少", passage: report,
				answer: "生产总值完成641.8亿元,增长8.3%。", cover: 1, terms: map[string]float64{"上半年": 4, "生产总值": 3}}, true},
			{"the part of the year on another indicator refuses", refusalInput{question: "上半年生产总值增长多少", passage: report,
				answer: "生产总值增长8.3%。", more: []string{"上半年公众安全感指数居全省第1位。"}, cover: 1, terms: map[string]float64{"上半年": 4, "生产总值": 3}}, true},
			{"a question of no year is not checked", refusalInput{question: "生产总值增长多少", passage: report,
				answer: "生产总值增长8.3%。", cover: 1, terms: map[string]float64{"生产总值": 3}}, false},
			{"a question of a whole year answered by a half-year figure refuses", refusalInput{question: "2018年公众安全感指数全省排第几", passage: report,
				answer: "上半年公众安全感指数居全省第1位。", cover: 1, terms: map[string]float64{"安全感": 3, "指数": 2}}, true},
			{"a question of a whole year answered by a whole-year figure passes", refusalInput{question: "2018年生产总值增长多少", passage: report,
				answer: "生产总值增长8.3%。", cover: 1, terms: map[string]float64{"生产总值": 3}}, false},
		},
		"event-ordinal": {
			{"the congress asked passes", refusalInput{question: "第八次党代会提出了什么目标", passage: Passage{Title: "源城区第八次党代会明确新阶段工作重点", Text: "今后五年全区工作的总体目标是经济发展。"},
				answer: "今后五年全区工作的总体目标是经济发展。", cover: 1}, false},
			{"another congress refuses", refusalInput{question: "第九次党代会提出了什么目标", passage: Passage{Title: "源城区第八次党代会明确新阶段工作重点", Text: "今后五年全区工作的总体目标是经济发展。"},
				answer: "今后五年全区工作的总体目标是经济发展。", cover: 1}, true},
			{"the ordinal of a happening that is no meeting is not checked", refusalInput{question: "电视剧第一次播出是什么时候", passage: undated, answer: "1978年4月23日首播。", cover: 1}, false},
			{"an ordinal asked as a question word is not checked", refusalInput{question: "在第几届人代会上作的报告", passage: report, answer: report.Text, cover: 1}, false},
		},
		"qualifier": {
			{"a total given unqualified passes", refusalInput{question: "生产总值多少", passage: report,
				answer: "生产总值完成641.8亿元,人均生产总值7.3万元。", cover: 1, terms: map[string]float64{"生产总值": 3}}, false},
			{"a total given only per head refuses", refusalInput{question: "生产总值多少", passage: report,
				answer: "2016年人均生产总值达到7.3万元。", cover: 1, terms: map[string]float64{"生产总值": 3}}, true},
			{"a question asking per head passes", refusalInput{question: "人均生产总值多少", passage: report,
				answer: "2016年人均生产总值达到7.3万元。", cover: 1, terms: map[string]float64{"人均": 3, "生产总值": 3}}, false},
			{"an indicator per head by custom passes", refusalInput{question: "城镇居民可支配收入多少", passage: report,
				answer: "城镇居民人均可支配收入达33307元。", cover: 1, terms: map[string]float64{"可支配收入": 3}}, false},
		},
		"unit-clause": {
			{"a sum per head of something else refuses", refusalInput{question: "养犬管理服务费每只每年交多少钱", passage: undated,
				answer: "饲养烈性犬的,没收犬只,并处每只二千元罚款。", cover: 1, terms: map[string]float64{"每只": 8, "服务费": 7, "养犬": 6}}, true},
			{"the unit asked in the clause of what is asked passes", refusalInput{question: "进出口总值多少亿元", passage: report,
				answer: "进出口总值完成135亿元,居全省第5位。", cover: 1, terms: map[string]float64{"进出口": 3, "总值": 2}}, false},
			{"the unit asked in a clause of another indicator refuses", refusalInput{question: "规模以上工业增加值总量多少亿元", passage: report,
				answer: "生产总值完成641.8亿元,增长8.3%;规模以上工业增加值增长8.5%。", cover: 1, terms: map[string]float64{"增加值": 4, "总量": 3}}, true},
			{"a gap in the unit after the indicator's clause refuses", refusalInput{question: "襄阳经济总量多少亿元", passage: undated,
				answer: "襄阳经济总量2010年是洛阳的2/3,到2019年缩小到222亿元。", cover: 1, terms: map[string]float64{"经济": 1, "总量": 3}}, true},
			{"a clause naming the place asked counts", refusalInput{question: "济源的企业占比多少", passage: report,
				answer: "全市企业中,其中济源占40%。", cover: 1, terms: map[string]float64{"企业": 2, "占比": 3}}, false},
			{"a light word of the question in another amount's clause refuses", refusalInput{question: "凯盛 大楼 总投资多少钱", passage: undated,
				answer: "签署了总投资13.66亿元人民币的合作协议。加快凯盛大楼等项目建设。", cover: 1, terms: map[string]float64{"凯盛": 4.3, "大楼": 4.3, "投资": 2.1}}, true},
			{"a rate in the clause after its indicator's passes", refusalInput{question: "一般公共预算收入增长百分之几", passage: report,
				answer: "一般公共预算收入完成50.1亿元,增长24.1%,居全省第1位。", cover: 1, terms: map[string]float64{"一般": 1, "预算": 3, "收入": 3, "增长": 1}}, false},
			{"a count may be given by a list", refusalInput{question: "卡洛身兼几家骑士团的大团长", passage: undated,
				answer: "卡洛还是圣乔治骑士团、圣斐迪南骑士团的大团长。曾在一家公关公司工作。", cover: 1, terms: map[string]float64{"骑士团": 3, "大团长": 3}}, false},
		},
		"figure-year": {
			{"the figure of the year asked passes", refusalInput{question: "2019年洛阳gdp多少", passage: undated,
				answer: "2019年全市gdp达到5035亿元,比2016年提升5位。", cover: 1, terms: map[string]float64{"gdp": 4}}, false},
			{"the figure of another year, the year asked only compared, refuses", refusalInput{question: "2016年洛阳gdp多少", passage: undated,
				answer: "2019年全市gdp达到5035亿元,比2016年提升5位。", cover: 1, terms: map[string]float64{"gdp": 4}}, true},
			{"a year after what is asked is left alone", refusalInput{question: "2019年徐州经济总量是洛阳的多少倍", passage: undated,
				answer: "徐州经济总量2010年是洛阳的1.28倍,2019年扩大到1.42倍。", cover: 1, terms: map[string]float64{"经济": 1, "总量": 3}}, false},
			{"a figure in a sentence setting another year's targets refuses, though a later sentence names the year asked", refusalInput{question: "2025年人均生产总值要达到多少", passage: undated,
				answer: "到2020年,综合实力显著增强,人均生产总值突破10万元,城镇化率超过65%。到2025年,示范区经济社会发展实现重大跨越,居民生活更加殷实。", cover: 1, terms: map[string]float64{"人均": 3, "生产总值": 4}}, true},
			{"a figure in a sentence setting the year asked's targets passes", refusalInput{question: "2020年人均生产总值要达到多少", passage: undated,
				answer: "到2020年,综合实力显著增强,人均生产总值突破10万元,城镇化率超过65%。", cover: 1, terms: map[string]float64{"人均": 3, "生产总值": 4}}, false},
		},
		"growth": {
			{"a growth rate asked and given passes", refusalInput{question: "固定资产投资增速多少", passage: growth, answer: "全社会固定资产投资增长10.1%。", cover: 1}, false},
			{"a multiple counts", refusalInput{question: "生产总值翻了多少倍", passage: growth, answer: growth.Text, cover: 1}, false},
			{"only an amount refuses", refusalInput{question: "实际利用外资比上年增长了多少", passage: report, answer: "实际利用外资3.54亿美元。", cover: 1}, true},
		},
		"amount": {
			{"an amount asked and given passes", refusalInput{question: "进出口总额多少亿", passage: report, answer: report.Text, cover: 1}, false},
			{"only rates for an amount asked refuses", refusalInput{question: "进出口总额目标是多少亿", passage: targets, answer: "生产总值增长8%左右。进出口保持平稳增长。", cover: 1}, true},
			{"a rate asked is not checked", refusalInput{question: "生产总值增长目标多少", passage: targets, answer: "生产总值增长8%左右。", cover: 1}, false},
		},
		"post-of": {
			{"a post beside the person passes", refusalInput{question: "张战伟是什么职务", passage: report, answer: "市委书记张战伟出席会议并讲话。", cover: 1, names: []string{"张战伟"}}, false},
			{"the person named without a post refuses", refusalInput{question: "张战伟是什么职务", passage: report, answer: "张战伟 来源:中共济源市委", cover: 1, names: []string{"张战伟"}}, true},
			{"a name the dictionary does not tag is still looked for beside the post", refusalInput{question: "尹弘是什么职务", passage: report,
				answer: "深化职务与职级并行改革,激发干部队伍活力。", cover: 1, terms: map[string]float64{"尹弘": 4, "职务": 4}}, true},
			{"a biography's appointment gives the post", refusalInput{question: "1973年10月王家瑞担任什么职务", passage: report, answer: "1973年10月,任河北省秦皇岛市委副书记。", cover: 1, names: []string{"王家瑞"}}, false},
			{"the author gives their own post in the first person", refusalInput{question: "刘宛康是什么职务",
				passage: Passage{Title: "增强落实力执行力穿透力", Text: "刘宛康\n作为市委常委班子成员和市政府党组主要负责人,我会在市委坚强领导下抓好落实。"},
				answer:  "作为市委常委班子成员和市政府党组主要负责人,我会在市委坚强领导下抓好落实。", cover: 1, names: []string{"刘宛康"}}, false},
			{"someone else's first-person post refuses", refusalInput{question: "刘宛康是什么职务",
				passage: Passage{Title: "推动三服务工作高质量", Text: "作为市委常委班子成员,我会在市委坚强领导下抓好落实。"},
				answer:  "作为市委常委班子成员,我会在市委坚强领导下抓好落实。", cover: 1, names: []string{"刘宛康"}}, true},
			{"asked who and their post, any post the answer gives beside someone passes", refusalInput{question: "2019年济源政府工作报告是谁作的,他什么职务",
				passage: report, answer: "济源市人民政府市长 石迎军", cover: 1, terms: map[string]float64{"政府工作": 4, "报告": 2}}, false},
			{"being engaged as something gives the post", refusalInput{question: "杨朝祥在2011年被聘为什么职务", passage: report, answer: "2011年1月1日,受聘为国策顾问。", cover: 1, names: []string{"杨朝祥"}}, false},
			{"a post of someone else in another clause refuses", refusalInput{question: "张战伟是什么职务", passage: report, answer: "张战伟出席会议,市长石迎军作报告。", cover: 1, names: []string{"张战伟"}}, true},
		},
		"gap": {
			{"an amount of its own passes", refusalInput{question: "襄阳2019年经济总量是多少", passage: report, answer: "襄阳经济总量完成4800亿元。", cover: 1}, false},
			{"a gap for an amount asked refuses", refusalInput{question: "襄阳2019年经济总量是多少", passage: report, answer: "襄阳经济总量2010年是洛阳的2/3,到2019年缩小到222亿元。", cover: 1}, true},
			{"a gap asked is left alone", refusalInput{question: "襄阳和洛阳的差距缩小到多少亿", passage: report, answer: "到2019年缩小到222亿元。", cover: 1}, false},
		},
		"enumeration": {
			{"the items listed pass", refusalInput{question: "城区要改造哪四条河", passage: report, answer: "加快蟒河、湨河、苇泉河、盘溪河四条水系改造。", cover: 1}, false},
			{"a sentence naming the set without its items refuses", refusalInput{question: "每年办的十件民生实事具体是哪十件", passage: report, answer: "每年办好十件民生实事。", cover: 1}, true},
		},
		"quantity": {
			{"an area given in its units passes", refusalInput{question: "示范区规划面积多大", passage: report, answer: "示范区规划面积1931平方公里。", cover: 1}, false},
			{"a count for an area asked refuses", refusalInput{question: "开发区规划面积多大", passage: report, answer: "设立开发区和集聚区2个片区管理办公室。", cover: 1}, true},
			{"a length given in its units passes", refusalInput{question: "高速全长多少", passage: report, answer: "济阳高速全长58公里。", cover: 1}, false},
			{"an amount of money is left to the other checks", refusalInput{question: "城乡居民收入比要缩小到多少", passage: report, answer: "城乡居民收入比缩小到1.7:1。", cover: 1}, false},
		},
		"doc-number": {
			{"a document number given passes", refusalInput{question: "总体方案的文号是什么", passage: report, answer: "豫政〔2017〕20号", cover: 1}, false},
			{"a number other than a document's is left alone", refusalInput{question: "占士邦的编号是", passage: report, answer: "他的代号为007。", cover: 1}, false},
			{"a date for a document number asked refuses", refusalInput{question: "批复设立管委会的文号是什么", passage: report, answer: "2017年6月28日,中央编办批复同意设立管理委员会。", cover: 1}, true},
		},
		"rank-scope": {
			{"a rank in the scope asked passes", refusalInput{question: "进出口在全省排第几", passage: report, answer: report.Text, cover: 1}, false},
			{"省内 is 全省", refusalInput{question: "进出口在省内排第几", passage: report, answer: report.Text, cover: 1}, false},
			{"a rank in another scope refuses", refusalInput{question: "进出口在全国排第几", passage: report, answer: report.Text, cover: 1}, true},
		},
		"rank-of": {
			{"the rank of the indicator asked passes", refusalInput{question: "旅游收入在全省排第几", passage: report,
				answer: "旅游收入66亿元,居全省第3位。", cover: 1, terms: map[string]float64{"旅游": 3, "收入": 3}}, false},
			{"the rank of the indicator beside it refuses", refusalInput{question: "旅游收入在全省排第几", passage: report,
				answer: "全年接待游客1350万人次,旅游收入66亿元。一般公共预算收入完成50.1亿元,居全省第1位。", cover: 1, terms: map[string]float64{"旅游": 3, "收入": 3}}, true},
			{"a word is held by the words it holds", refusalInput{question: "经济总量在全国地级市排第几", passage: report,
				answer: "2019年全市生产总值达到5035亿元,排全国地级及以上城市第45位。", cover: 1, terms: map[string]float64{"地级": 3, "地级市": 3}}, false},
			{"an answer with no rank is left to the other checks", refusalInput{question: "旅游收入在全省排第几", passage: report,
				answer: "旅游收入66亿元。", cover: 1, terms: map[string]float64{"旅游": 3, "收入": 3}}, false},
		},
		"role": {
			{"the post and its holder named passes", refusalInput{question: "区委书记是谁", passage: undated, answer: "张三 任 区委书记", cover: 1}, false},
			{"an organization is no holder of a post", refusalInput{question: "区委书记是谁", passage: undated, answer: "落实区委、区政府重大发展战略", cover: 1}, true},
			{"a person holding another post refuses", refusalInput{question: "人大常委会主任是谁", passage: undated, answer: "济源市人民政府市长 张三", cover: 1}, true},
		},
		"unit": {
			{"money asked, money found passes", refusalInput{question: "进出口总值多少钱", passage: report, answer: report.Text, cover: 1}, false},
			{"acres asked, none found refuses", refusalInput{question: "进出口用地多少亩", passage: report, answer: report.Text, cover: 1}, true},
		},
		"date": {
			{"a date where the answer is passes", refusalInput{question: "什么时候发布的", passage: report, answer: report.Text, cover: 1}, false},
			{"no date anywhere refuses", refusalInput{question: "什么时候发布的", passage: undated, answer: undated.Text, cover: 1}, true},
			{"a point of the year answers a question asking only when", refusalInput{question: "抓项目定了哪几个时间节点",
				passage: Passage{Title: "伊滨新城项目建设", Text: "按照牡丹文化节、半年、十一、年底4个时间节点,加快项目建设。"},
				answer:  "按照牡丹文化节、半年、十一、年底4个时间节点,加快项目建设。", cover: 1}, false},
			{"a duration answers how long, which asks no date", refusalInput{question: "电梯困人了,维保人员要在多长时间内赶到",
				passage: Passage{Title: "电梯安全条例", Text: "维护保养单位接到电梯困人报告后,应当安排维护保养人员在三十分钟内赶到现场实施救援。"},
				answer:  "维护保养单位接到电梯困人报告后,应当安排维护保养人员在三十分钟内赶到现场实施救援。", cover: 1}, false},
			{"the stages of a schedule answer which time nodes", refusalInput{question: "项目建设按哪几个时间节点推进",
				passage: Passage{Title: "伊滨新城项目建设", Text: "按照牡丹文化节、半年、十一、年底4个节点,加快项目建设。"},
				answer:  "按照牡丹文化节、半年、十一、年底4个节点,加快项目建设。", cover: 1}, false},
			{"a point of the year does not answer which month", refusalInput{question: "推进会是几月份开的",
				passage: Passage{Title: "伊滨新城项目建设", Text: "力争年底前召开推进会。"}, answer: "力争年底前召开推进会。", cover: 1}, true},
			{"a point of the year does not answer which day", refusalInput{question: "推进会是哪天开的",
				passage: Passage{Title: "伊滨新城项目建设", Text: "力争年底前召开推进会。"}, answer: "力争年底前召开推进会。", cover: 1}, true},
		},
		"figure": {
			{"a figure of its own passes", refusalInput{question: "进出口总值多少", passage: report, answer: report.Text, cover: 1}, false},
			{"no figure refuses", refusalInput{question: "管理单位多少", passage: undated, answer: undated.Text, cover: 1}, true},
			{"asked which month, a month in words answers", refusalInput{question: "红色文化主题月是每年几月",
				passage: Passage{Title: "红色文化保护传承条例", Text: "每年七月为本省的红色文化主题月。"}, answer: "每年七月为本省的红色文化主题月。", cover: 1}, false},
			{"asked how many, a month is no figure", refusalInput{question: "主题月开展几项活动",
				passage: Passage{Title: "红色文化保护传承条例", Text: "每年七月为本省的红色文化主题月。"}, answer: "每年七月为本省的红色文化主题月。", cover: 1}, true},
		},
		"place": {
			{"an answer naming a place passes", refusalInput{question: "总部在哪里", passage: report, answer: "总部设在济源市。", cover: 1}, false},
			{"an answer naming none refuses", refusalInput{question: "总部在哪里", passage: undated, answer: "各单位 要 加强 管理", cover: 1}, true},
		},
		"person": {
			{"an answer naming someone passes", refusalInput{question: "谁作的报告", passage: report, answer: "张三 作 报告", cover: 1}, false},
			{"an organization counts", refusalInput{question: "谁作的报告", passage: report, answer: "济源市人民政府作报告", cover: 1}, false},
			{"an answer naming no one refuses", refusalInput{question: "谁作的报告", passage: undated, answer: "加强 管理", cover: 1}, true},
		},
		"missing-concepts": {
			{"nouns the corpus holds pass", refusalInput{question: "进出口 总值", passage: report, answer: report.Text, cover: 0.3,
				docs: map[string]int{"进出口": 3, "总值": 2}}, false},
			{"nouns in no document refuse", refusalInput{question: "火星 基地", passage: report, answer: report.Text, cover: 0.3}, true},
			{"a good answer is not second-guessed", refusalInput{question: "火星 基地", passage: report, answer: report.Text, cover: 0.9}, false},
		},
		"outcome": {
			{"an outcome asked and found passes", refusalInput{question: "实际完成了多少", passage: report, answer: report.Text, cover: 1}, false},
			{"only a plan refuses", refusalInput{question: "实际完成了多少", passage: plan, answer: plan.Text, cover: 1}, true},
			{"a plan beside a sentence meeting targets refuses", refusalInput{question: "实际完成了多少", passage: plan,
				answer: plan.Text, more: []string{"能耗完成省定目标。"}, cover: 1}, true},
			{"a plan beside an outcome passes", refusalInput{question: "实际完成了多少", passage: plan,
				answer: plan.Text, more: []string{"进出口总值完成135亿元。"}, cover: 1}, false},
			{"an outcome's words in a section resolved as a plan refuse", refusalInput{question: "实际完成了多少", passage: plannedSection,
				answer: plannedSection.Text, cover: 1}, true},
		},
	}
	for name, cases := range nearMissTests() {
		tests[name] = append(tests[name], cases...)
	}
	e := testEngine()
	for _, rc := range refusalChecks {
		cases := tests[rc.Name]
		if len(cases) < 2 {
			t.Errorf("check %q has no table test", rc.Name)
		}
		for _, tt := range cases {
			t.Run(rc.Name+": "+tt.name, func(t *testing.T) {
				why := rc.Func(e, tt.in.refusalCase())
				if got := why != ""; got != tt.refuses {
					t.Errorf("refuses = %v (%q), want %v", got, why, tt.refuses)
				}
			})
		}
	}
}

func TestHoldsNameIgnoresANameReadAcrossAnother(t *testing.T) {
	e := testEngine()
	e.cur = new(atomic.Pointer[snapshot])
	e.cur.Store(&snapshot{local: terms.NewPlaces([]string{"源城"})})
	tests := []struct {
		name, text, place string
		want              bool
	}{
		{"a district named on its own is held", "源城区第八次党代会", "源城", true},
		{"the district read across a city and the next word is not", "济源城乡居民人均可支配收入", "源城", false},
		{"the city itself is held", "济源城乡居民人均可支配收入", "济源", true},
		{"a second, standalone occurrence counts", "济源城乡一体，源城区", "源城", true},
		{"a government named short (省政府) is held by its full name (省人民政府)", "河南省人民政府关于印发总体方案的通知", "河南省政府", true},
		{"a government named short is not held by another's full name", "河北省人民政府关于印发总体方案的通知", "河南省政府", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := e.holdsName(tt.text, tt.place); got != tt.want {
				t.Errorf("holdsName(%q, %q) = %v, want %v", tt.text, tt.place, got, tt.want)
			}
		})
	}
}

func TestLocalPlaceStemsWithParticlesNameNoPlace(t *testing.T) {
	for _, tt := range []struct {
		stem string
		want bool
	}{{"些地", true}, {"年城", true}, {"源城", false}, {"王屋", false}} {
		t.Run(tt.stem, func(t *testing.T) {
			if got := strings.ContainsAny(tt.stem, notInPlaceNames); got != tt.want {
				t.Errorf("%q holds a character no place name holds: %v, want %v", tt.stem, got, tt.want)
			}
		})
	}
}

func TestCalendarYearsLeavesOutEraYearsAndSpans(t *testing.T) {
	tests := []struct {
		q    string
		want []string
	}{
		{"18年济源城镇化率多少", []string{"2018"}},
		{"民国29年三门县是怎么成立的", nil},
		{"电视产业停滞了10年", nil},
		{"30年代初活跃的建筑师", nil},
		{"2019年和民国29年", []string{"2019"}},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			raw := fold.String(tt.q)
			got := calendarYears(terms.NormalizeYears(raw), raw)
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("calendarYears(%q) = %v, want %v", tt.q, got, tt.want)
			}
		})
	}
}

func TestNounishTakesIndicatorsWhateverTheirPartOfSpeech(t *testing.T) {
	tok, err := lexical.NewTokenizer()
	if err != nil {
		t.Fatal(err)
	}
	e := &Engine{tok: tok, terms: terms.Builtin(), opt: Options{Places: terms.BuiltinPlaces()}, w: DefaultWeights()}
	tests := []struct {
		name, q, k string
		want       bool
	}{
		{"a noun naming an indicator is taken", "2019年济源进出口总额目标是多少亿", "进出口", true},
		{"a word of a terms-table indicator is taken though tagged a verb", "2018年济源一般公共预算支出是多少", "支出", true},
		{"the head of an indicator's name is taken though tagged a verb", "济源城镇居民人均消费支出是多少", "支出", true},
		{"a word before an aspect particle is a verb", "2018年政府办了多少件提案", "政府办", false},
		{"an adverb is not taken", "济源已经划了多少亩永久基本农田", "已经", false},
		{"a noun before a localizer only says where", "扁掌龙亚科在地球上生存了多少年", "地球", false},
		{"latin letters with digits are taken", "pm2.5浓度目标是多少", "pm2.5", true},
		{"a count is not taken", "城区要改造哪四条河", "四条", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := e.nounish(tt.q, tt.k); got != tt.want {
				t.Errorf("nounish(%q, %q) = %v, want %v", tt.q, tt.k, got, tt.want)
			}
		})
	}
}

func TestWordsAskingForAFactAboutADocumentAreNoKeyTerms(t *testing.T) {
	for _, tt := range []struct {
		name, q, k string
		want       bool
	}{
		{"the word asking for the number is what is asked", "北工大报实施方案的那份函,文号是多少?", "文号", true},
		{"the word asking for the title is what is asked", "那篇文章的标题是什么", "标题", true},
		{"a word of the matter asked about is no asking word", "北工大报实施方案的那份函,文号是多少?", "方案", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := inSlotAsk(tt.q, tt.k); got != tt.want {
				t.Errorf("inSlotAsk(%q, %q) = %v, want %v", tt.q, tt.k, got, tt.want)
			}
		})
	}
}
