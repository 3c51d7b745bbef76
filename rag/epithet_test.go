package rag_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"policybot/internal/testengine"
	"policybot/rag"
)

// epithetCorpus is a plan whose overview gives a city's epithet (素有…之称)
// among sections that repeat the question's other words more often.
func epithetCorpus() map[string]string {
	var b strings.Builder
	b.WriteString("某市产城融合示范区总体方案\n\n一、发展基础\n\n")
	b.WriteString("某市位于两省交界地带,素有“豫北门户”之称,是城市群核心发展区城市之一,市域总面积1900平方公里。\n\n")
	for i := 0; i < 6; i++ {
		fmt.Fprintf(&b, "%s、重点任务\n\n某市产城融合示范区总体方案要求,某市加快产城融合示范区建设,推进第%d批重点项目,完善示范区公共服务。\n\n", []string{"二", "三", "四", "五", "六", "七"}[i], i+1)
	}
	return map[string]string{"plan.txt": b.String()}
}

func TestAQuestionAskingWhatAPlaceIsCalledFindsItsEpithet(t *testing.T) {
	eng := corpusEngine(t, epithetCorpus(), nil)
	for _, q := range []string{
		"总体方案里某市向来被称作什么?",
		"某市号称什么?",
		"某市素有什么美誉?",
	} {
		t.Run("asked "+q+", the answer quotes the epithet", func(t *testing.T) {
			res, err := eng.Answer(context.Background(), rag.Query{Question: q}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !res.Answered || !strings.Contains(res.Answer, "豫北门户") {
				t.Errorf("answer %q: want the epithet 豫北门户", res.Answer)
			}
		})
	}
}

// targetsCorpus is a guideline whose targets section sets 2020, 2025 and
// 2035 targets in one paragraph (opening with the 2020 ones), among task
// sections that repeat the question's words more often and name no year.
func targetsCorpus() map[string]string {
	var b strings.Builder
	b.WriteString("某行业发展指导意见\n\n一、总体要求\n\n(一)战略目标.\n\n")
	b.WriteString("到2020年底,基本完成某行业顶层设计,行业产值突破100亿元。到2025年,突破一批制约某行业的关键技术,成为全球创新中心。到2035年,较为全面地掌握核心技术。\n\n")
	b.WriteString("二、主要任务\n\n")
	for i, n := range []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"} {
		fmt.Fprintf(&b, "(%s)加强第%d项工作.\n\n某行业发展指导意见提出,围绕某行业发展目标,推动某行业发展指导意见各项目标落实,加强第%d项工作,提出的目标都要细化,某行业发展目标要落实。\n\n", n, i+1, i+1)
	}
	return map[string]string{"g.txt": b.String()}
}

func TestAPlanSectionIsAboutEveryTargetYearItSets(t *testing.T) {
	eng := corpusEngine(t, targetsCorpus(), nil)
	t.Run("asked the targets of a later year, the answer quotes them rather than refusing", func(t *testing.T) {
		res, err := eng.Answer(context.Background(), rag.Query{Question: "某行业发展指导意见对2025年提了哪些目标?"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Answered || !strings.Contains(res.Answer, "关键技术") {
			t.Errorf("answer %q: want the 2025 targets", res.Answer)
		}
	})
}

// The seed plan's targets section sets 2020 figures (人均生产总值突破10万元)
// and 2025 targets without them: a sentence setting the 2020 targets is
// about 2020, not about the section's other target year.
func TestASentenceSettingOneYearsTargetsIsNotDatedByItsSectionsOtherYears(t *testing.T) {
	eng := testengine.Seeds(t)
	res, err := eng.Answer(context.Background(), rag.Query{Question: "济源总体方案里2025年人均生产总值具体要达到多少?"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Answered && strings.Contains(res.Answer, "10万元") && !strings.Contains(res.Answer, "2025") {
		t.Errorf("answer %q: the 2020 target answers nothing of 2025", res.Answer)
	}
}
