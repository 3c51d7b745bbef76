package rag_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"policybot/internal/testengine"
	"policybot/rag"
)

func TestExplainSaysHowTheAnswerCameAbout(t *testing.T) {
	eng := testengine.Seeds(t)
	t.Run("an answer is explained by its analysis, candidates, checks and spans", func(t *testing.T) {
		res := answer(t, eng, rag.Query{Question: "济源2018年外贸进出口总额多少？", Explain: true})
		x := res.Explain
		if x == nil {
			t.Fatal("got no explanation, want one")
		}
		if got := x.Analysis.Years; len(got) != 1 || got[0] != "2018" {
			t.Errorf("years: got %v, want [2018]", got)
		}
		if !x.Analysis.Asks.Figure {
			t.Error("the analysis does not say the question asks a figure")
		}
		if len(x.Candidates) != len(res.Passages) || len(x.Candidates) == 0 {
			t.Errorf("got %d candidates, want one per passage (%d)", len(x.Candidates), len(res.Passages))
		}
		if len(x.Checks) == 0 || len(x.Spans) == 0 || len(x.Decision) == 0 {
			t.Errorf("got checks %v, spans %v, decision %v; want each", x.Checks, x.Spans, x.Decision)
		}
		for _, s := range x.Spans {
			for _, p := range res.Passages {
				if p.ChunkID == s.ChunkID && p.Text[s.Start:s.End] != s.Text {
					t.Errorf("span [%d,%d) of %s is %q, want %q", s.Start, s.End, s.ChunkID, p.Text[s.Start:s.End], s.Text)
				}
			}
		}
		var b strings.Builder
		if err := x.WriteText(&b); err != nil || !strings.Contains(b.String(), "refusal checks") {
			t.Errorf("WriteText: %v\n%s", err, b.String())
		}
	})
	t.Run("a refusal names the check that refused", func(t *testing.T) {
		res := answer(t, eng, rag.Query{Question: "许昌2020年城镇化率目标是多少？", Explain: true})
		if res.Answered {
			t.Fatal("answered, want a refusal")
		}
		refused := false
		for _, c := range res.Explain.Checks {
			refused = refused || c.Refuses
		}
		if !refused || !strings.Contains(strings.Join(res.Explain.Decision, "\n"), "refused by the") {
			t.Errorf("checks %v, decision %v: want the refusing check named", res.Explain.Checks, res.Explain.Decision)
		}
	})
	t.Run("the JSON result has no explain object unless asked", func(t *testing.T) {
		res := answer(t, eng, rag.Query{Question: "济源2018年外贸进出口总额多少？"})
		b, err := json.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		if res.Explain != nil || strings.Contains(string(b), `"explain"`) {
			t.Errorf("got an explain object unasked: %s", b)
		}
	})
}

func TestTheKindOfThingAskedIsNotLookedFor(t *testing.T) {
	eng := testengine.Seeds(t)
	// Each kind is a word of the seeds, so it would be looked for were it
	// not read as what is asked.
	tests := []struct{ question, kind string }{
		{"洛阳副中心城市建设推进会是什么时间开的？", "时间"},
		{"中欧科创产业园在什么地方？", "地方"},
		{"济源的城镇化率是个什么数字？", "数字"},
		{"源城区的高新区在哪个位置？", "位置"},
		{"尹弘是什么职务？", "职务"},
	}
	for _, tt := range tests {
		t.Run(tt.question+" does not look for "+tt.kind, func(t *testing.T) {
			res := answer(t, eng, rag.Query{Question: tt.question, Explain: true})
			for _, term := range res.Explain.Analysis.Terms {
				if term.Word == tt.kind {
					t.Errorf("terms %v hold %s, which names what is asked", res.Explain.Analysis.Terms, tt.kind)
				}
			}
			if !res.Answered {
				t.Errorf("refused: %s", res.Answer)
			}
		})
	}
}

func TestExplainNamesTheDocumentsAQuestionNames(t *testing.T) {
	eng := testengine.Seeds(t)
	res := answer(t, eng, rag.Query{Question: "张战伟的讲话里说济源要打造什么？", Explain: true})
	docs := res.Explain.Analysis.Documents
	if len(docs) == 0 {
		t.Fatal("no named documents in the analysis")
	}
	if !strings.Contains(docs[0].Title, "张战伟") && !strings.HasPrefix(docs[0].ID, "000_") {
		t.Errorf("most named document %+v, want the speech of 张战伟 (000_)", docs[0])
	}
	for i := 1; i < len(docs); i++ {
		if docs[i].Share > docs[i-1].Share {
			t.Errorf("documents not ordered by share: %+v", docs)
		}
	}
}

func TestOnlyWordsEndingAsABodysNameNameOne(t *testing.T) {
	eng := testengine.Seeds(t)
	tests := []struct {
		question      string
		want, notName string
	}{
		{"山东新设行政性收费项目最终由谁审批？", "山东", "新设"},
		{"广州党组织从党员收入里抽多大比例？", "广州", "党组织"},
		{"商务部对外贸有什么要求？", "商务部", ""},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			res := answer(t, eng, rag.Query{Question: tt.question, Explain: true})
			names := res.Explain.Analysis.Names
			if !slices.Contains(names, tt.want) {
				t.Errorf("names %v, want %s among them", names, tt.want)
			}
			if tt.notName != "" && slices.Contains(names, tt.notName) {
				t.Errorf("names %v hold %s, which names no body", names, tt.notName)
			}
		})
	}
}

func TestANameTheSegmenterCutsOtherwiseIsLookedFor(t *testing.T) {
	eng := testengine.Seeds(t)
	// 梨林镇要建成 is cut so that no word of it is in the documents, which
	// write 梨林镇农业资源; the town is still what the question is about.
	res := answer(t, eng, rag.Query{Question: "济源总体方案中梨林镇要建成什么样的镇?", Explain: true})
	found := false
	for _, term := range res.Explain.Analysis.Terms {
		found = found || strings.Contains(term.Word, "梨林")
	}
	if !found {
		t.Errorf("terms %v, want 梨林 among them", res.Explain.Analysis.Terms)
	}
	if !res.Answered || !strings.Contains(res.Answer, "梨林") {
		t.Errorf("answer %q, want the sentence about 梨林镇", res.Answer)
	}
}

func TestAnAuthorTheSegmenterCutsApartSelectsTheirArticle(t *testing.T) {
	eng := testengine.Seeds(t)
	// 姜会峰 and 赵会生 are cut at 会 by the segmenter; their bylines name
	// them whole, and what their articles say is theirs.
	tests := []struct{ question, title, want string }{
		{"姜会峰那篇里说要打造什么样的法治环境？", "忠诚履职尽责", "法治环境"},
		{"赵会生那篇说中欧科创产业园签了多少钱的协议？", "中欧科创产业园", "13.66亿"},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			res := answer(t, eng, rag.Query{Question: tt.question})
			if !res.Answered || !strings.Contains(res.Answer, tt.want) {
				t.Fatalf("answer %q, want it to hold %s", res.Answer, tt.want)
			}
			for _, c := range res.Citations {
				if !strings.Contains(c.Title, tt.title) {
					t.Errorf("cites %q, want only the article titled …%s…", c.Title, tt.title)
				}
			}
		})
	}
}

func TestTwoThingsAskedAcrossACommaAreAnsweredEach(t *testing.T) {
	eng := testengine.Seeds(t)
	tests := []struct {
		question string
		parts    int
		want     []string
	}{
		{"济源永久基本农田划了多少万亩，高标准粮田要建多少？", 2, []string{"58.11万亩", "10万亩"}},
		{"济源城镇化率2016年大概多少，到2018年呢？", 2, []string{"60%", "62.36%"}},
		{"2019年济源政府工作报告是谁作的，他什么职务？", 0, []string{"石迎", "市长"}},
		{"我想了解一下，济源示范区是哪年成立的？", 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			res := answer(t, eng, rag.Query{Question: tt.question, Explain: true})
			if got := len(res.Explain.Analysis.Parts); got != tt.parts {
				t.Errorf("parts %q, want %d", res.Explain.Analysis.Parts, tt.parts)
			}
			for _, w := range tt.want {
				if !strings.Contains(res.Answer, w) {
					t.Errorf("answer %q, want it to hold %s", res.Answer, w)
				}
			}
		})
	}
}
