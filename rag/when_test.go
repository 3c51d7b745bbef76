package rag_test

import (
	"strings"
	"testing"

	"policybot/rag"
)

// timeCorpus is a work report of 2021 that reviews 2020 and plans 2021, and
// a speech of 2021 that names 2020 as the end of a span: the same words
// (全市生产总值) in all three places, so only the time tells them apart.
var timeCorpus = map[string]string{
	"report.txt": strings.Join([]string{
		"2021年某市政府工作报告",
		"二〇二一年一月二十日在某市第五届人民代表大会第一次会议上",
		"一、过去一年工作回顾",
		"过去一年,全市上下攻坚克难,经济社会发展稳中有进。初步核算,全市生产总值完成500亿元,增长6%;一般公共预算收入完成40亿元。" +
			"城乡居民收入稳步增长,各项社会事业全面进步,人民生活持续改善,生态环境明显好转,营商环境不断优化,发展活力持续增强。",
		"二、今年工作安排",
		"今年经济社会发展主要预期目标是:全市生产总值力争达到535亿元,增长7%左右;一般公共预算收入增长8%。" +
			"全面完成各项约束性指标,推动高质量发展取得新成效,城乡居民收入与经济增长基本同步,社会事业加快发展。",
	}, "\n"),
	"speech.txt": strings.Join([]string{
		"在全市经济工作会议上的讲话",
		"(2021年6月10日)",
		"同志们:这次会议的主要任务是总结经验、分析形势、部署工作。" +
			"从2010年到2020年的十年间,全市生产总值增长了2.5倍,综合实力显著增强,人民生活水平大幅提高,城市面貌发生深刻变化。" +
			"我们要坚定信心,真抓实干,奋力开创高质量发展新局面,为建设现代化城市作出新的更大贡献。",
	}, "\n"),
}

func TestAnswersTakeTheFigureOfTheTimeAsked(t *testing.T) {
	eng := corpusEngine(t, timeCorpus, nil)
	for _, tc := range []struct {
		name, question, want, source string
		not                          []string
	}{
		{"the year before a report is answered from its review, not from a speech's span ending that year",
			"2020年全市生产总值是多少？", "500亿元", "report.txt", []string{"2.5倍", "535亿元"}},
		{"the report's own year's target is answered from its plan",
			"2021年全市生产总值目标是多少？", "535亿元", "report.txt", []string{"500亿元"}},
		{"last year is read against the documents' own year, not today's",
			"去年全市生产总值是多少？", "500亿元", "report.txt", []string{"535亿元"}},
		{"this year's expected target is the plan of the report's year",
			"今年全市生产总值预期目标是多少？", "535亿元", "report.txt", []string{"500亿元"}},
		{"a later part naming no year asks of the year the question names",
			"2020年全市生产总值是多少？增长了多少？", "增长6%", "report.txt", []string{"增长7%", "535亿元"}},
		{"a growth asked over a span is still answered with the multiple",
			"从2010年到2020年全市生产总值增长了多少倍？", "2.5倍", "speech.txt", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := answer(t, eng, rag.Query{Question: tc.question})
			if !res.Answered || !strings.Contains(res.Answer, tc.want) {
				t.Fatalf("%s: got answered=%v %q (%s), want %s", tc.question, res.Answered, res.Answer, res.RefusalReason, tc.want)
			}
			for _, n := range tc.not {
				if strings.Contains(res.Answer, n) {
					t.Errorf("%s: answer %q holds %s, of another time", tc.question, res.Answer, n)
				}
			}
			if len(res.Citations) == 0 || res.Citations[0].Source != tc.source {
				t.Errorf("%s: citations %+v, want the first from %s", tc.question, res.Citations, tc.source)
			}
		})
	}
}
