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
		{"几年 given for a transition asks a duration, not a date", "调整幅度大的新部门给几年过渡时间？", "3至5年"},
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
