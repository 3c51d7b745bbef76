package rag_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"policybot/internal/fakeopenai"
	"policybot/internal/testengine"
	"policybot/rag"
)

const seed002 = "002_6b19721ce7bbca47.txt"

// followUps point into the answer before them: an item of its list, a
// figure it gave, its document, or the place it was about.
var followUps = []struct {
	name, first, followUp string
	want                  []string // in the follow-up's answer
}{
	{"an ordinal points at an item of the previous list", "总体方案里的基本原则有哪些？", "第三条具体怎么说的？", []string{"省直管体制优势"}},
	{"a word of an item points at that item", "2019年济源要办哪十件民生实事？", "公交那件具体是啥？", []string{"180"}},
	{"a pronoun points at the previous answer's document", "总体方案对新能源汽车产业定了什么目标？", "它的文号是多少？", []string{"豫政〔2017〕20号"}},
	{"那个倍数 points at the figure of the previous answer", "张战伟讲话里济源生产总值增长了多少倍？", "那个倍数是从哪年开始算的？", []string{"1997"}},
	{"那X呢 switches the place inside the previous document", "总体方案里梨林镇要重点发展什么？", "那邵原镇呢？", []string{"商贸"}},
	{"当地 names the previous place", "济源2018年外贸进出口总额多少？", "当地的城镇化率呢？", []string{"62.36%"}},
	{"同年 names the previous year", "济源2018年外贸进出口总额多少？", "同年新增就业多少人？", []string{"1.5万"}},
}

func TestAFollowUpPointsIntoAKeptResult(t *testing.T) {
	eng := testengine.Seeds(t)
	for _, tt := range followUps {
		t.Run(tt.name, func(t *testing.T) {
			first := answer(t, eng, rag.Query{Question: tt.first})
			res := answer(t, eng, rag.Query{Question: tt.followUp, Previous: first})
			checkFollowUp(t, res, tt.want)
		})
	}
}

func TestAFollowUpWithTextHistoryRecoversThePreviousResult(t *testing.T) {
	eng := testengine.Seeds(t)
	for _, tt := range followUps {
		t.Run(tt.name, func(t *testing.T) {
			first := answer(t, eng, rag.Query{Question: tt.first})
			res := answer(t, eng, rag.Query{Question: tt.followUp, History: []rag.Turn{
				{Role: "user", Content: tt.first}, {Role: "assistant", Content: first.Answer},
			}})
			checkFollowUp(t, res, tt.want)
		})
	}
}

func checkFollowUp(t *testing.T, res *rag.Result, want []string) {
	t.Helper()
	if !res.Answered {
		t.Fatalf("got refusal (%s) %q, want an answer (standalone %q)", res.RefusalReason, res.Answer, res.Standalone)
	}
	checkConsistent(t, res)
	for _, w := range want {
		if !strings.Contains(res.Answer, w) {
			t.Errorf("got %q (standalone %q), want it to hold %q", res.Answer, res.Standalone, w)
		}
	}
}

func TestAFollowUpReadsTheListTheReaderSaw(t *testing.T) {
	// The history's answer, written by someone else, is what 第五个 counts in.
	eng := testengine.Seeds(t)
	res := answer(t, eng, rag.Query{Question: "第五个方面下面有哪几项措施？", Explain: true, History: []rag.Turn{
		{Role: "user", Content: "源城区党代会定了哪几方面重点工作？"},
		{Role: "assistant", Content: "共六个方面：发展都市经济；深化改革扩大开放；改善人民生活品质；建设宜居宜业宜游城市；深入实施乡村振兴战略；加强党的全面领导[1]。"},
	}})
	fu := res.Explain.Analysis.Followup
	if fu == nil || fu.Item != "深入实施乡村振兴战略" {
		t.Fatalf("got follow-up %+v, want the fifth item 深入实施乡村振兴战略", fu)
	}
	if !strings.Contains(res.Answer, "乡村建设行动") {
		t.Errorf("got %q, want the measures under 乡村振兴", res.Answer)
	}
	var b strings.Builder
	if err := res.Explain.WriteText(&b); err != nil || !strings.Contains(b.String(), "followup-ordinal") {
		t.Errorf("--explain text does not say how the follow-up was read (%v):\n%s", err, b.String())
	}
}

func TestAFollowUpStaysInThePreviousDocument(t *testing.T) {
	eng := testengine.Seeds(t)
	first := answer(t, eng, rag.Query{Question: "总体方案对示范区建设怎么考核？"})
	tests := []struct {
		name, question string
		keep           bool
	}{
		{"a follow-up keeps the previous document", "这个考核是哪个部门牵头？", true},
		{"a follow-up naming another document leaves it", "那源城区党代会报道里怎么考核？", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := answer(t, eng, rag.Query{Question: tt.question, Previous: first, Explain: true})
			fu := res.Explain.Analysis.Followup
			kept := fu != nil && len(fu.Docs) > 0 && strings.Contains(fu.Docs[0], "总体方案")
			if kept != tt.keep {
				t.Errorf("got follow-up %+v, want the overall plan kept: %v", fu, tt.keep)
			}
			if tt.keep && (len(res.Passages) == 0 || res.Passages[0].Source != seed002) {
				t.Errorf("got first passage %+v, want one of %s", res.Passages, seed002)
			}
		})
	}
}

func TestAQuestionWithoutHistoryIsNoFollowUp(t *testing.T) {
	eng := testengine.Seeds(t)
	res := answer(t, eng, rag.Query{Question: "第三条具体怎么说的？", Explain: true})
	if res.Standalone != "" || res.Explain.Analysis.Followup != nil {
		t.Errorf("got standalone %q and follow-up %+v, want the question read alone", res.Standalone, res.Explain.Analysis.Followup)
	}
}

func TestLLMRewriteIsGivenThePreviousResult(t *testing.T) {
	const rewritten = "总体方案的基本原则中，改革创新、先行先试具体怎么说？"
	srv := fakeopenai.New(t, fakeopenai.WithChat(func(req fakeopenai.ChatRequest) string {
		if isRewrite(req) {
			return rewritten
		}
		return fmt.Sprintf("发挥省直管体制优势[%d]。", passageWith(req, "省直管体制优势"))
	}))
	eng := llmEngine(t, srv, true)
	res := answer(t, eng, rag.Query{Question: "第三条具体怎么说的？", History: []rag.Turn{
		{Role: "user", Content: "总体方案里的基本原则有哪些？"},
		{Role: "assistant", Content: "四条：规划引领、优化布局；以产兴城、依城促产；改革创新、先行先试；绿色低碳、生态环保[1]。"},
	}})
	if res.Standalone != rewritten {
		t.Errorf("got standalone %q, want the model's rewrite", res.Standalone)
	}
	reqs := chatRequests(t, srv)
	if len(reqs) != 2 || !isRewrite(reqs[0]) {
		t.Fatalf("got %d chat requests, want the rewrite then the answer (the previous question is answered again without the model)", len(reqs))
	}
	u := reqs[0].LastUserMessage()
	for _, want := range []string{"上一轮回答列出的条目", "3. 改革创新、先行先试", "上一轮回答出自：《河南省人民政府关于印发济源国家产城融合示范区总体方案的通知》", "追问：第三条具体怎么说的？"} {
		if !strings.Contains(u, want) {
			t.Errorf("rewrite request lacks %q:\n%s", want, u)
		}
	}
}

func TestAFollowUpStaysInThePreviousDocumentAmongManyAlike(t *testing.T) {
	// Other documents speak of 明确职责分工 more than the overall plan does:
	// asked alone the words find them, asked as a follow-up to the plan's
	// list they must not.
	lib := testengine.NewLibrary(t)
	for i := range 6 {
		text := fmt.Sprintf("关于第%d批重点项目建设的通知\n\n一、明确职责分工\n各单位要明确职责分工，明确职责分工到人，职责分工明确后报送。明确职责分工是项目建设的前提。\n", i+1)
		if err := os.WriteFile(filepath.Join(lib.Corpus(), fmt.Sprintf("zz_notice_%d.txt", i)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := lib.Ingest(context.Background()); err != nil {
		t.Fatal(err)
	}
	ask := func(q rag.Query) *rag.Result {
		t.Helper()
		res, err := lib.Answer(context.Background(), q, nil)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	alone := ask(rag.Query{Question: "明确职责分工具体讲了啥？"})
	if len(alone.Passages) == 0 || alone.Passages[0].Source == seed002 {
		t.Fatalf("asked alone, got first passage %+v, want another document (else this test shows nothing)", alone.Passages)
	}
	res := ask(rag.Query{Question: "第二块具体讲了啥？", History: []rag.Turn{
		{Role: "user", Content: "总体方案的组织实施部分分了几块？"},
		{Role: "assistant", Content: "三块：强化组织领导；明确职责分工；加强督促检查[1]。"},
	}})
	if !res.Answered || !strings.Contains(res.Answer, "密切配合") {
		t.Errorf("got %q (standalone %q), want the plan's 明确职责分工 text", res.Answer, res.Standalone)
	}
	for _, c := range res.Citations {
		if c.Source != seed002 {
			t.Errorf("got a citation of %s, want only the overall plan (%s)", c.Source, seed002)
		}
	}
}

func TestOddFollowUpsAreAnsweredWithoutFailing(t *testing.T) {
	eng := testengine.Seeds(t)
	list := []rag.Turn{
		{Role: "user", Content: "总体方案里的基本原则有哪些？"},
		{Role: "assistant", Content: "四条：规划引领、优化布局；以产兴城、依城促产[1]。"},
	}
	tests := []struct {
		name     string
		question string
		history  []rag.Turn
	}{
		{"an ordinal past the end of the list", "第九条具体怎么说？", list},
		{"an ordinal of zero", "第零条呢？", list},
		{"only a particle", "呢", list},
		{"the last item of no list", "最后一条呢？", []rag.Turn{{Role: "user", Content: "济源面积多大？"}, {Role: "assistant", Content: "1931平方公里[1]。"}}},
		{"a history of the assistant only", "那2019年呢？", []rag.Turn{{Role: "assistant", Content: "四条：甲；乙。"}}},
		{"a history whose question is blank", "第一条呢？", []rag.Turn{{Role: "user", Content: "  "}, {Role: "assistant", Content: "甲；乙；丙。"}}},
		{"a pronoun to the document after a refusal", "它的文号是多少？", []rag.Turn{{Role: "user", Content: "许昌2020年城镇化率目标是多少？"}, {Role: "assistant", Content: "抱歉，现有文件中没有找到能回答这个问题的内容。"}}},
		{"a figure pronoun after an answer without figures", "那个数字是哪年的？", []rag.Turn{{Role: "user", Content: "管委会是什么级别？"}, {Role: "assistant", Content: "正厅级[1]。"}}},
		{"a very long previous answer", "第二条呢？", []rag.Turn{{Role: "user", Content: "有哪些措施？"}, {Role: "assistant", Content: strings.Repeat("措施甲；", 2000)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := answer(t, eng, rag.Query{Question: tt.question, History: tt.history})
			if res.Answer == "" {
				t.Errorf("got an empty answer")
			}
		})
	}
}

func TestAPronounNamesThePreviousTurnsPerson(t *testing.T) {
	eng := testengine.Seeds(t)
	tests := []struct{ first, followUp, person string }{
		{"张战伟在哪个会上讲的话？", "他是什么职务？", "张战伟"},
		{"刘宛康那篇说当前的工作思路是什么？", "他还提到了什么？", "刘宛康"},
		{"姜会峰那篇文章题目是什么？", "这个人还写了什么？", "姜会峰"},
	}
	for _, tt := range tests {
		t.Run(tt.followUp+" after "+tt.first, func(t *testing.T) {
			first := answer(t, eng, rag.Query{Question: tt.first})
			res := answer(t, eng, rag.Query{Question: tt.followUp, History: []rag.Turn{
				{Role: "user", Content: tt.first}, {Role: "assistant", Content: first.Answer},
			}})
			if !strings.HasPrefix(res.Standalone, tt.person) {
				t.Errorf("standalone %q, want it to start with %s", res.Standalone, tt.person)
			}
		})
	}
}
