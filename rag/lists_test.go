package rag_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"policybot/fold"
	"policybot/ingest"
	"policybot/internal/testengine"
	"policybot/rag"
)

var reItemLine = regexp.MustCompile(`^\d+\. (.+)\[(\d+)\]$`)

// citedText returns the cleaned text of the file bytes a citation points
// at (pinyin annotations and line breaks of the seeds removed), folded.
func citedText(t *testing.T, c rag.Citation) string {
	t.Helper()
	return fold.String(strings.ReplaceAll(ingest.CleanText(seedSpan(t, c.Source, c.Start, c.End)), "\n", ""))
}

func TestEveryCitationOfAListAnswerHoldsOneOfItsItems(t *testing.T) {
	eng := testengine.SeedsScript(t, rag.ScriptOriginal)
	for _, tc := range []struct {
		name     string
		question string
		items    int
	}{
		{"a run of 一是…十是 inside one paragraph", "2019年要办的十件民生实事是哪些？", 10},
		{"paragraphs opening alike in a newspaper article", "刘宛康那篇主要从哪几个方面谈的？", 4},
		{"the headings a passage announces by their count", "源城区党代会定的六项重点工作是哪些？", 6},
		{"headings （一）… under the matched heading", "济源示范区总体方案提出了哪几方面的基本原则？", 4},
		{"top headings 一、二、三、 a count picks", "张战伟讲话讲了哪三点意见？", 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := answer(t, eng, rag.Query{Question: tc.question})
			if !res.Answered {
				t.Fatalf("got a refusal (%s), want a list", res.RefusalReason)
			}
			itemsOf := map[int][]string{} // citation number → the items citing it
			n := 0
			for _, line := range strings.Split(res.Answer, "\n") {
				if m := reItemLine.FindStringSubmatch(line); m != nil {
					c, _ := strconv.Atoi(m[2])
					itemsOf[c] = append(itemsOf[c], m[1])
					n++
				}
			}
			if n != tc.items {
				t.Fatalf("got %d items, want %d:\n%s", n, tc.items, res.Answer)
			}
			if len(res.Citations) == 0 {
				t.Fatalf("the list cites nothing:\n%s", res.Answer)
			}
			for _, c := range res.Citations {
				text := citedText(t, c)
				holds := false
				for _, it := range itemsOf[c.N] {
					holds = holds || strings.Contains(text, fold.String(it))
				}
				if !holds {
					t.Errorf("citation [%d] (%s [%d,%d)) holds none of the items citing it %q", c.N, c.Source, c.Start, c.End, itemsOf[c.N])
				}
			}
		})
	}
}

func TestAQuestionInTwoPartsOverTwoDocumentsAnswersEachFromItsOwn(t *testing.T) {
	eng := testengine.Seeds(t)
	// A figure from the work report (what happened in 2018) and a target
	// from the plan: the first part's 实际 (an outcome) must not make the
	// second part refuse the plan's target.
	res := answer(t, eng, rag.Query{Question: "济源18年城镇化率实际到了多少？总体方案定的2020年目标是多少？"})
	if !res.Answered {
		t.Fatalf("got a refusal (%s), want both figures", res.RefusalReason)
	}
	for _, part := range []struct{ figure, source string }{
		{"62.36%", "001_44e69a047cd4008f.txt"},
		{"65%", ""},
	} {
		line := ""
		for _, l := range strings.Split(res.Answer, "\n") {
			if strings.Contains(l, part.figure) {
				line = l
				break
			}
		}
		if line == "" {
			t.Errorf("the answer lacks %s:\n%s", part.figure, res.Answer)
			continue
		}
		m := regexp.MustCompile(`\[(\d+)\]$`).FindStringSubmatch(line)
		if m == nil {
			t.Errorf("the line giving %s cites nothing: %q", part.figure, line)
			continue
		}
		n, _ := strconv.Atoi(m[1])
		var cited *rag.Citation
		for i := range res.Citations {
			if res.Citations[i].N == n {
				cited = &res.Citations[i]
			}
		}
		if cited == nil {
			t.Errorf("the line giving %s cites [%d], which no citation has", part.figure, n)
			continue
		}
		if !strings.Contains(citedText(t, *cited), part.figure) {
			t.Errorf("the line giving %s cites [%d], whose text does not hold it", part.figure, n)
		}
		if part.source != "" && cited.Source != part.source {
			t.Errorf("the line giving %s cites %s, want %s", part.figure, cited.Source, part.source)
		}
	}
}

// semicolonListDoc has a list run on with semicolons after a colon, in a
// paragraph of other sentences: its items are sentences of their own.
const semicolonListDoc = "关于有序推进企业复工的通知\n\n各区县人民政府：\n\n" +
	"当前疫情防控形势依然严峻，返工压力较大。各地要结合企业复工申报平台有序组织复工。" +
	"企业复工要做到“六个到位”：责任落实到位；防控方案制定到位；员工信息排查到位；联动防控机制到位；防控物资到位；安全生产保障到位。" +
	"企业复工申报审核通过后，员工还需每日健康打卡。\n"

func TestASentenceOpeningASemicolonListBringsEveryItem(t *testing.T) {
	eng := corpusEngine(t, map[string]string{"a.txt": semicolonListDoc, "b.txt": mascotDoc}, nil)
	for _, q := range []string{"企业复工要做到哪“六个到位”？", "复工的六个到位是什么"} {
		t.Run("the six items follow the lead for "+q, func(t *testing.T) {
			res := answer(t, eng, rag.Query{Question: q})
			for _, item := range []string{"责任落实到位", "防控方案制定到位", "员工信息排查到位", "联动防控机制到位", "防控物资到位", "安全生产保障到位"} {
				if !strings.Contains(res.Answer, item) {
					t.Errorf("answer %q lacks %s", res.Answer, item)
				}
			}
			if strings.Contains(res.Answer, "每日健康打卡") {
				t.Errorf("answer %q runs on past the list's end", res.Answer)
			}
		})
	}
}
