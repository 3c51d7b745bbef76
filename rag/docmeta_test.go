package rag_test

import (
	"strings"
	"testing"

	"policybot/internal/testengine"
	"policybot/rag"
)

// Questions about the documents themselves: who wrote or issued them, when,
// to whom, under which title, and who did what they tell of.
func TestQuestionsAboutDocumentsThemselves(t *testing.T) {
	eng := testengine.Seeds(t)
	for _, tc := range []struct {
		name, question, source string
		want                   []string // each must be in the answer
	}{
		{"the title of a newspaper article is asked by its author's name",
			"赵会生那篇文章的标题是什么？", "004_4fb8176c685af46a.txt", []string{"以中欧科创产业园建设为抓手"}},
		{"the editor of a newspaper page is on its header, which names no city",
			"洛阳那期报纸的编辑是谁？", "004_4fb8176c685af46a.txt", []string{"郭立翔"}},
		{"the day a newspaper page came out and its editor are both answered",
			"洛阳那期报纸是哪天出的，责任编辑是谁？", "004_4fb8176c685af46a.txt", []string{"4月30日", "郭立翔"}},
		{"who did something a speech tells of is the person it names, not the speaker",
			"成立动员大会上，机构改革方案是谁作的说明？", "000_268244c505393083.txt", []string{"迎军"}},
		{"whom a notice is sent to is its salutation line",
			"省政府印发总体方案的通知是发给哪些单位的？", "002_6b19721ce7bbca47.txt", []string{"济源市人民政府", "省人民政府各部门"}},
		{"the day a speech was given is its own date, not the page's publication date",
			"张战伟的讲话是哪天讲的？", "000_268244c505393083.txt", []string{"8月31日"}},
		{"the speaker of a work report is its author",
			"2019年政府工作报告是哪位市长作的？", "001_44e69a047cd4008f.txt", []string{"石迎军"}},
		{"the author of an article named by its subject is its byline",
			"政法那篇文章是谁写的？", "004_4fb8176c685af46a.txt", []string{"姜会峰"}},
		{"the meeting a report was given at is its header's occasion line",
			"2019年政府工作报告是在哪次会议上作的？", "001_44e69a047cd4008f.txt", []string{"第四次会议"}},
		{"the issue of a periodical a speech was printed in is on its page's breadcrumb",
			"张战伟那篇讲话稿来源是哪个单位，登在哪一期？", "000_268244c505393083.txt", []string{"中共济源市委", "第8期"}},
		{"who approved something is the body a sentence names",
			"济源是哪一年由县改市的，当时经谁批准？", "000_268244c505393083.txt", []string{"1988", "国务院"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := answer(t, eng, rag.Query{Question: tc.question})
			if !res.Answered {
				t.Fatalf("%s: refused (%s)", tc.question, res.RefusalReason)
			}
			for _, w := range tc.want {
				if !strings.Contains(res.Answer, w) {
					t.Errorf("%s: answer %q lacks %s", tc.question, res.Answer, w)
				}
			}
			if len(res.Citations) == 0 || res.Citations[0].Source != tc.source {
				t.Errorf("%s: citations %+v, want the first from %s", tc.question, res.Citations, tc.source)
			}
		})
	}
}

// A question about a place that only passes through a document (焦作 in a
// plan for 济源) is not answered from that document's header.
func TestAHeaderAnswersOnlyForThePlacesItsDocumentIsAbout(t *testing.T) {
	eng := testengine.Seeds(t)
	res := answer(t, eng, rag.Query{Question: "焦作的产城融合示范区总体方案是哪天印发的？"})
	if res.Answered {
		t.Errorf("answered %q, want a refusal: the plan is 济源's", res.Answer)
	}
}

// A question whose words weigh nothing (a name cut into single
// characters) is answered by the one sentence holding what it asks, not by
// every title that holds as little.
func TestATitleAskedByAnAuthorsNameIsThatArticlesOnly(t *testing.T) {
	eng := testengine.Seeds(t)
	res := answer(t, eng, rag.Query{Question: "王敬林写的文章题目是什么？"})
	if !strings.Contains(res.Answer, "推动“三服务”工作高质量") {
		t.Fatalf("answer %q lacks the title of 王敬林's article", res.Answer)
	}
	for _, other := range []string{"以中欧科创产业园建设为抓手", "增强落实力执行力穿透力", "源城区第八次党代会"} {
		if strings.Contains(res.Answer, other) {
			t.Errorf("answer %q also gives the title %s of another article", res.Answer, other)
		}
	}
}
