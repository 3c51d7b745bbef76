package rag_test

import (
	"strings"
	"testing"

	"policybot/rag"
)

// paraphraseCorpus is a small county report whose facts are stated in other
// words than the questions below use: a span of years, a run of clauses
// under one time frame, a transition period.
var paraphraseCorpus = map[string]string{
	"report.txt": "2019年某县政府工作报告\n\n一、发展回顾\n" +
		"1988年撤县建市,1997年实行省直管体制以来,农民增收渠道不断拓宽,四大班子主要领导按副地级干部高配,由省委管理;人均公共服务水平不断提高。\n" +
		"从1997年到2018年的22年间,全县生产总值增长了14.4倍;一般公共预算收入增长了18.2倍;城乡居民人均可支配收入分别增长了7.3倍、8.5倍。\n" +
		"二、机构改革\n" +
		"对于新组建和整合调整幅度比较大的部门,给予3至5年的过渡期,逐步理顺职责关系。\n" +
		"改革完成后,全县党政机构由52个精简为38个。\n",
	"other.txt": "某市交通规划\n\n到2025年,全市高速公路通车里程达到500公里,农村公路全部硬化。公交线路新增20条。\n",
	"city.txt": "加快建设副中心城市\n\n一、发展态势\n" +
		"比如,甲市生产总值2010年是本市的1.28倍,2019年扩大到1.42倍;乙市生产总值2010年是本市的2/3,到2019年缩小到222亿元。\n" +
		"进入十三五以来,本市发展持续向好,2019年全市生产总值达到5035亿元,排全国地级及以上城市第45位,比2016年提升5位。\n" +
		"二、2018年工作回顾\n" +
		"全域旅游示范区建设顺利推进,全年接待游客1350万人次,增长17.6%;实现收入66亿元,增长18.1%。\n" +
		"坚持在发展中保障和改善民生,财政民生支出占比71.4%,十件民生实事落地见效。\n" +
		"我们自觉接受人大监督和政协民主监督,认真办理人大代表议案建议141件、政协提案204件。\n" +
		"三、狠抓落实\n" +
		"一是以谋促落实。深入开展调查研究。二是以改促落实。破除体制机制障碍。三是以督促落实。加强督导检查。\n",
}

// Each question here says in its own words what the corpus states: it must
// be answered, with the stated figure, not refused.
func TestParaphrasedQuestionsAreAnsweredWithTheStatedFigure(t *testing.T) {
	eng := corpusEngine(t, paraphraseCorpus, nil)
	for _, tc := range []struct {
		name, question, want string
	}{
		{"a span of years written 22年里 is no year 2022", "22年里一般公共预算收入涨了几倍？", "18.2倍"},
		{"a clause after a semicolon is read with the time frame opening its sentence", "从97年省直管以来农民人均收入涨了几倍？", "8.5倍"},
		{"asked a multiple, the sentence giving one answers, not the one giving a year", "省直管以来城乡居民收入增长了多少倍？", "7.3倍"},
		{"the event a span is counted from need not be named where the answer dates it", "从实行省直管到2018年,全县生产总值增长了多少倍？", "14.4倍"},
		{"几年 given for a transition asks a duration, not a date", "调整幅度大的新部门给几年过渡时间？", "3至5年"},
		{"asked an amount, a sentence giving only another's gap or multiple is not the answer", "2019年本市生产总值多少？", "5035亿元"},
		{"a rank asked in 名 is answered by a place written 第45位", "2019年本市生产总值在全国地级以上城市排多少名？", "第45位"},
		{"a year after 比 is where a change is counted from", "本市生产总值全国排名比2016年前进了几位？", "提升5位"},
		{"a clause after a semicolon speaks of its run's opening", "2018年旅游总收入多少？", "66亿元"},
		{"a word cut in two by another one is still found (财政…支出)", "2018年财政支出里民生占了多少？", "71.4%"},
		{"a word before 了 is a verb phrase, not a key noun", "2018年政府办了多少件人大建议和政协提案？", "141件"},
		{"several things quoted and counted are asked as a list", "第三部分提的几个“促落实”分别是什么？", "以督促落实"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := answer(t, eng, rag.Query{Question: tc.question})
			if !res.Answered {
				t.Fatalf("refused (%s), want an answer holding %s", res.RefusalReason, tc.want)
			}
			if !strings.Contains(res.Answer, tc.want) {
				t.Errorf("answer lacks %s:\n%s", tc.want, res.Answer)
			}
		})
	}
}

// reportsCorpus holds several work reports sharing their vocabulary, and a
// plan whose title names no place while its text keeps naming its province.
var reportsCorpus = map[string]string{
	"cn2025.txt": "2025年中华人民共和国国务院政府工作报告\n\n各位代表：\n" +
		"今年发展主要预期目标是：国内生产总值增长5%左右；城镇新增就业1200万人以上；居民消费价格涨幅2%左右。\n" +
		"今年赤字率拟按4%左右安排、比上年提高1个百分点。\n",
	"cn2024.txt": "2024年中华人民共和国国务院政府工作报告\n\n各位代表：\n今年发展主要预期目标是：国内生产总值增长5%左右；城镇新增就业1200万人以上。\n",
	"hb2025.txt": "2025年河北省政府工作报告\n\n各位代表：\n今年全省经济社会发展的主要预期目标是：地区生产总值增长5.5%左右。\n",
	"plan.txt": "为深入实施创新驱动发展战略，发挥科技创新对标志性产业链的引领作用，特制定本实施方案。\n\n" +
		"一、总体要求\n坚持以科技创新推动产业创新，服务山东高质量发展。\n" +
		"二、主要目标\n到2027年，山东标志性产业链创新能力显著提升，全省高新技术企业达到5万家。\n" +
		"三、保障措施\n山东各市要加强组织领导，省科技厅牵头推进山东科技创新。\n",
	"defense.txt":  "中华人民共和国国防教育法\n\n第一条 为了普及和加强国防教育，发扬爱国主义精神，制定本法。\n第二条 国防教育是建设和巩固国防的基础。\n",
	"city2018.txt": "2018年某市经济运行情况\n\n一、居民收入\n全年城镇居民人均可支配收入达33307元,增长8.5%;农村居民人均可支配收入达18446元,增长8.9%。\n二、生态环境\n城市绿化覆盖率达41.66%,荣获全国森林城市称号。\n三、对外开放\n进出口总值完成135亿元,增长6.2%。\n",
	"consume.txt":  "某省促进消费的若干措施\n\n鼓励居民家庭扩大消费,各级财政支出向民生倾斜,居民存款余额稳步增长。\n",
	"notice1.txt":  "省工业和信息化厅关于有序推进工业企业复工复产的通知 黔工信运行〔2020〕9号 各市(州)工业和信息化主管部门: 对外省返岗员工,要进行14天隔离医学观察。企业要落实防控责任。\n",
	"notice2.txt":  "市人民政府办公厅关于切实做好复工复产的通知 筑府办发电〔2020〕5号 各区县: 对外省返岗员工,要进行7天居家健康观察。企业要落实防控责任。\n",
	"city.txt":     "2019年某市政府工作报告\n\n一、2019年工作安排\n今年要办好十件民生实事。一是新建改造城市道路10条。二是新增公交车180辆,实施城区公交全年免费。\n",
}

func TestQuestionsAmongReportsOfOneGenre(t *testing.T) {
	eng := corpusEngine(t, reportsCorpus, nil)
	for _, tc := range []struct {
		name, question, want string
		answered             bool
	}{
		{"国务院 names the report of 中华人民共和国国务院", "2025年国务院政府工作报告把赤字率定在多少？", "4%", true},
		{"a plan whose title names no place speaks for the province its text keeps naming", "山东标志性产业链方案提出高新技术企业要达到多少家？", "5万家", true},
		{"a list item is read with the sentence opening its list", "2019年民生实事里要新增多少辆公交车？", "180辆", true},
		{"the words naming the report do not dilute a term the answer must hold", "2025年国务院政府工作报告里国防预算增长多少？", "", false},
		{"one of two things a word names together is not found in it (出口 in 进出口)", "2018年某市出口做了多少亿？", "", false},
		{"the word naming both is found", "2018年某市外贸进出口总值是多少？", "135亿元", true},
		{"an indicator's words held apart name no such indicator", "2018年某市森林覆盖率是多少？", "", false},
		{"an indicator's words a few characters apart are that indicator", "2018年某市城镇居民收入是多少？", "33307元", true},
		{"a document number names its document", "黔工信运行[2020]9号文，外省返岗员工要观察几天？", "14天", true},
		{"lighter words missing together name another indicator", "2018年某市城镇居民家庭人均存款余额是多少？", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := answer(t, eng, rag.Query{Question: tc.question})
			if res.Answered != tc.answered {
				t.Fatalf("answered %v (%s), want %v:\n%s", res.Answered, res.RefusalReason, tc.answered, res.Answer)
			}
			if tc.answered && !strings.Contains(res.Answer, tc.want) {
				t.Errorf("answer lacks %s:\n%s", tc.want, res.Answer)
			}
		})
	}
}

// quotingCorpus holds a plan and a speech that quotes it.
var quotingCorpus = map[string]string{
	"plan.txt":   "某市产城融合示范区总体方案\n\n一、发展目标\n到2020年,人均生产总值突破10万元,常住人口城镇化率超过65%。\n二、保障措施\n加强组织领导。\n",
	"speech.txt": "在示范区成立大会上的讲话\n\n一、明确目标\n根据《总体方案》,到2020年示范区城镇化率超过65%。我们要抓好落实。\n",
}

func TestAFactQuotedFromAnotherDocumentIsCitedFromIt(t *testing.T) {
	eng := corpusEngine(t, quotingCorpus, nil)
	res := answer(t, eng, rag.Query{Question: "示范区2020年城镇化率目标是多少？"})
	if !res.Answered || !strings.Contains(res.Answer, "65%") {
		t.Fatalf("want an answer holding 65%%, got (%s):\n%s", res.RefusalReason, res.Answer)
	}
	for _, c := range res.Citations {
		if c.Source == "speech.txt" {
			t.Errorf("cites the speech quoting the plan, want the plan itself:\n%s", res.Answer)
		}
	}
}
