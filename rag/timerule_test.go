package rag_test

import (
	"context"
	"strings"
	"testing"

	"policybot/rag"
)

// ruleCorpus is a regulation that lays down durations in Chinese numerals
// (提前七日, 四小时, 二十分钟) in words other than an official's (闭馆, 抽烟,
// 禁烟), and a report whose 百日攻坚 counts no days of anything asked.
func ruleCorpus() map[string]string {
	return map[string]string{
		"law.txt": "某市公共文化设施管理条例\n\n2006年9月29日某市第十届人民代表大会常务委员会第二十三次会议通过;2014年5月30日某市第十二届人民代表大会常务委员会第八次会议修订\n\n第一条 为了规范公共文化设施管理,制定本条例。\n\n" +
			"第二条 机场、车站、商场、医疗机构、景区景点等人员密集的场所,应当配备母婴室等设施;公共文化设施、公共场所应当设置明显的禁止吸烟标识。\n\n" +
			"第十条 公共文化设施临时停止开放或者更改开放时间的,除突发原因外,应当提前七日向社会公告。\n\n" +
			"第十一条 在禁止吸烟的场所吸烟的,由卫生健康主管部门处五十元以上二百元以下罚款。\n\n" +
			"第十二条 驾驶校车的驾驶人连续驾车行驶不得超过四小时,停车休息时间不得少于二十分钟。\n\n" +
			"第十三条 本条例自2020年10月1日起施行。\n",
		"report.txt": "某市2019年政府工作报告\n\n一、2018年工作回顾\n\n" +
			"环保工作以纳入重点城市为契机,开展了大气污染防治百日攻坚,城市环境空气质量持续改善。\n",
	}
}

func TestARulesDurationsAndColloquialWordsAnswerOfficialsQuestions(t *testing.T) {
	eng := corpusEngine(t, ruleCorpus(), nil)
	cases := []struct {
		name, question, want string
	}{
		{"asked how many days ahead a closure (闭馆) is announced, the answer gives 七日 of 停止开放", "某市公共文化设施管理条例:临时闭馆要提前几天公告?", "七日"},
		{"asked the time a rule lays down (有什么时间规定), the answer gives the duration, not the date of effect", "某市公共文化设施管理条例对校车疲劳驾驶有什么时间规定?", "四小时"},
		{"asked the fine for smoking (抽烟) where it is banned (禁烟), the answer quotes the fine for 吸烟", "某市公共文化设施管理条例里在禁烟场所抽烟怎么罚?", "五十元以上二百元以下"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := eng.Answer(context.Background(), rag.Query{Question: tc.question}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !res.Answered || !strings.Contains(res.Answer, tc.want) {
				t.Errorf("answer %q: want %q", res.Answer, tc.want)
			}
		})
	}
	t.Run("asked a count of days the documents never give, 百日攻坚 is no such count", func(t *testing.T) {
		res, err := eng.Answer(context.Background(), rag.Query{Question: "某市2018年空气优良天数有多少天?"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Answered {
			t.Errorf("answered %q: want a refusal", res.Answer)
		}
	})
}

// approvalCorpus is a speech whose many sentences on the 管委会 repeat the
// question's words, and one dates its approval in a document's words (批复).
func approvalCorpus() map[string]string {
	var b strings.Builder
	b.WriteString("在某示范区成立大会上的讲话\n\n一、深刻认识重大意义\n\n")
	b.WriteString("2017年6月28日,中央编办批复同意设立某示范区管理委员会,为省政府派出机构,规格为正厅级。\n\n二、扎实推进工作\n\n")
	for i := 0; i < 8; i++ {
		b.WriteString("某示范区管委会要深化管委会机构改革,示范区管委会各部门要深入基层调研,把示范区管委会的职责落到实处。\n\n")
	}
	return map[string]string{"speech.txt": b.String()}
}

func TestAskedWhenSomethingWasApprovedInAnOfficialsWordsTheAnswerDatesTheApproval(t *testing.T) {
	eng := corpusEngine(t, approvalCorpus(), nil)
	res, err := eng.Answer(context.Background(), rag.Query{Question: "示范区管委会是哪天批下来的?"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Answered || !strings.Contains(res.Answer, "2017年6月28日") {
		t.Errorf("answer %q: want the day of the 批复, 2017年6月28日", res.Answer)
	}
}
