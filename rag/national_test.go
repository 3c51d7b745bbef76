package rag_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"policybot/rag"
)

// nationalCorpus is a local newspaper article whose title names no place
// and many national work reports that repeat the question's words about
// the whole country, in the year asked.
func nationalCorpus() map[string]string {
	files := map[string]string{
		"a.txt": "增强落实力执行力 加快推动副中心城市建设\n\n" +
			"进入新阶段以来,洛阳经济社会发展保持稳中有进、持续向好的态势,2019年全市GDP达到5035亿元,增速高于全省平均水平。\n\n" +
			"洛阳要以更加强烈的紧迫感转变思想观念,强化开放引领。\n",
	}
	for i := 0; i < 8; i++ {
		files[fmt.Sprintf("n%d.txt", i)] = "2020年中华人民共和国国务院政府工作报告\n\n一、2019年工作回顾\n\n" +
			fmt.Sprintf("2019年国内生产总值GDP达到%d万亿元,GDP增长6.1%%,GDP总量再创新高。\n", 90+i)
	}
	return files
}

func TestAQuestionNamingALocalPlaceIsNotAnsweredFromANationalDocument(t *testing.T) {
	eng := corpusEngine(t, nationalCorpus(), nil)
	res, err := eng.Answer(context.Background(), rag.Query{Question: "洛阳2019年GDP是多少？"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("the local article ranks first, not a national report that never names 洛阳", func(t *testing.T) {
		if len(res.Passages) == 0 || !strings.HasSuffix(res.Passages[0].Source, "a.txt") {
			t.Fatalf("first passage is not the article: %+v", res.Passages)
		}
	})
	t.Run("the answer gives 洛阳's figure, not the country's", func(t *testing.T) {
		if !res.Answered || !strings.Contains(res.Answer, "5035") || strings.Contains(res.Answer, "万亿元") {
			t.Errorf("answer %q: want 5035 and no national figure", res.Answer)
		}
	})
}

func TestAQuestionAskingTheCountryIsStillAnsweredFromANationalDocument(t *testing.T) {
	eng := corpusEngine(t, nationalCorpus(), nil)
	res, err := eng.Answer(context.Background(), rag.Query{Question: "全国2019年GDP增长多少？"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Answered || !strings.Contains(res.Answer, "6.1%") {
		t.Errorf("answer %q: want the national growth 6.1%%", res.Answer)
	}
}

func TestARelativeYearNeedNotBeWrittenWhereTheAnswerIs(t *testing.T) {
	eng := corpusEngine(t, genreCorpus(), nil)
	res, err := eng.Answer(context.Background(), rag.Query{Question: "许昌去年新增就业多少？"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("a 2019 report's figure for 2018 answers 去年 though it never says 去年", func(t *testing.T) {
		if !res.Answered || !strings.Contains(res.Answer, "6.2") {
			t.Errorf("answer %q: want 许昌's 6.2万人", res.Answer)
		}
	})
}

func TestAReportsYearNamedIsNotAnsweredByAnotherYearsPlanForIt(t *testing.T) {
	files := map[string]string{
		"r1988.txt": "1988年中华人民共和国国务院政府工作报告\n\n今后五年建设和改革的目标\n\n到1992年，力争使国民生产总值达到15500亿元左右，国民生产总值平均每年增长7.5%。\n",
		"r1992.txt": "1992年中华人民共和国国务院政府工作报告\n\n二、抓紧有利时机，加快经济发展\n\n今年计划要求，在保持总需求与总供给基本平衡的基础上，国民生产总值增长百分之六。\n",
	}
	for i := 0; i < 6; i++ {
		files[fmt.Sprintf("o%d.txt", i)] = fmt.Sprintf("关于加强第%d批项目管理的通知\n\n各单位要加强项目管理，按期完成任务。\n", i)
	}
	eng := corpusEngine(t, files, nil)
	res, err := eng.Answer(context.Background(), rag.Query{Question: "1992年政府工作报告计划国民生产总值增长多少？"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("the 1992 report's own plan answers, not the 1988 report's plan for 1992", func(t *testing.T) {
		if !res.Answered || !strings.Contains(res.Answer, "百分之六") || strings.Contains(res.Answer, "7.5%") {
			t.Errorf("answer %q: want the 1992 report's 百分之六", res.Answer)
		}
	})
}
