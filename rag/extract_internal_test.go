package rag

import (
	"strings"
	"testing"

	"policybot/index"
	"policybot/ingest"
)

// analysisOf is an Analysis of a folded question with the given term weights.
func analysisOf(folded string, weights map[string]float64) *Analysis {
	a := &Analysis{Question: folded, Folded: folded, terms: map[string]qterm{}}
	for t, w := range weights {
		a.terms[t] = qterm{weight: w, alts: []string{t}}
	}
	a.Asks, a.Rules = intentsOf(folded)
	a.Years = reYear.FindAllString(folded, -1)
	a.unitRx, a.Unit = askedUnit(folded)
	a.bigrams = questionBigrams(folded)
	return a
}

func noDoc(Passage) (*ingest.Document, bool) { return nil, false }

func TestSelectTakesTheSentenceThatAnswers(t *testing.T) {
	e := testEngine()
	ps := []Passage{
		{ChunkID: "a", Source: "a.txt", Title: "济源概况", Text: "济源市位于河南省西北部。济源市总面积1931平方公里。"},
		{ChunkID: "b", Source: "b.txt", Title: "工作报告", Start: 0, Text: "全年生产总值增长8%。"},
	}
	tests := []struct {
		name     string
		a        *Analysis
		want     string
		wantBest int
	}{
		{"a figure asked is answered by the sentence holding it", analysisOf("济源总面积多少平方公里", map[string]float64{"济源": 1, "总面积": 3}),
			"济源市总面积1931平方公里。[1]", 1},
		{"the other passage answers what it holds", analysisOf("生产总值增长多少", map[string]float64{"生产总值": 3, "增长": 1}),
			"全年生产总值增长8%。[2]", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := e.extract(tt.a, ps, noDoc, nil)
			if got := ex.spans.render(true); got != tt.want || ex.best != tt.wantBest {
				t.Errorf("got %q (best %d), want %q (best %d)", got, ex.best, tt.want, tt.wantBest)
			}
			for _, s := range ex.spans {
				p := ps[s.cite-1]
				if s.chunk != p.ChunkID || p.Text[s.start:s.end] != s.text {
					t.Errorf("span %+v is not bytes of passage %s", s, p.ChunkID)
				}
			}
		})
	}
	t.Run("passages allow leaves out are not read", func(t *testing.T) {
		ex := e.extract(tests[0].a, ps, noDoc, func(i int) bool { return i != 0 })
		if ex.best == 1 {
			t.Errorf("got an answer from passage 1, which allow leaves out")
		}
	})
}

func TestWithSlotsWeighsWhatTheQuestionAsksFor(t *testing.T) {
	a := analysisOf("济源哪一年撤县建市", map[string]float64{"济源": 1, "撤县建市": 3})
	w, total := withSlots(a, DefaultWeights())
	if total != 4 {
		t.Errorf("total = %v, want 4", total)
	}
	if got := w[slotDate].weight; got != 2 {
		t.Errorf("date slot weight = %v, want half the terms' weight, 2", got)
	}
	if _, ok := a.terms[slotDate]; ok {
		t.Error("the slot was added to the analysis itself, want a copy")
	}
}

func TestAnswerSpansCiteEachRunOnce(t *testing.T) {
	ps := []Passage{{ChunkID: "a", Source: "x", Text: "发文机关\n济源市人民政府。"}, {ChunkID: "b", Source: "y", Text: "第二句。"}}
	sents := []sentence{
		{text: "发文机关", pass: 0, pos: 0, start: 0, end: 12},
		{text: "济源市人民政府。", pass: 0, pos: 1, start: 13, end: 37},
		{text: "第二句。", pass: 1, pos: 0, start: 0, end: 12},
	}
	picked := documentOrder([]int{2, 1, 0}, sents, ps)
	if got, want := answerSpans(picked, sents, ps, nil).render(true), "发文机关；济源市人民政府。[1]\n第二句。[2]"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestFuseCombinesTheTwoLists(t *testing.T) {
	a, b, c := &ingest.Chunk{ID: "a"}, &ingest.Chunk{ID: "b"}, &ingest.Chunk{ID: "c"}
	cands := []index.Candidate{
		{Chunk: a, Lexical: 10, LexicalRank: 1},
		{Chunk: b, Lexical: 5, LexicalRank: 2, Dense: 0.9, DenseRank: 1},
		{Chunk: c, Dense: 0.5, DenseRank: 2},
		{Chunk: nil, Lexical: 1, LexicalRank: 3},
	}
	tests := []struct {
		fusion string
		want   []string
		wantB  float64
	}{
		{FusionScore, []string{"a", "b", "c"}, 0.5 + 0.3*0.9},
		{FusionRRF, []string{"b", "a", "c"}, 1.0/62 + 0.3/61},
	}
	for _, tt := range tests {
		t.Run(tt.fusion+" fusion ranks by both lists and drops candidates without a chunk", func(t *testing.T) {
			e := testEngine()
			e.opt.Fusion = tt.fusion
			got := e.fuse(cands)
			var ids []string
			for _, s := range got {
				ids = append(ids, s.c.ID)
				if s.c.ID == "b" && (s.score != tt.wantB || s.feat.Lexical != 5 || s.feat.Dense != 0.9 || s.feat.Fused != s.score) {
					t.Errorf("b: score %v features %+v, want %v", s.score, s.feat, tt.wantB)
				}
			}
			if strings.Join(ids, " ") != strings.Join(tt.want, " ") {
				t.Errorf("got %v, want %v", ids, tt.want)
			}
		})
	}
}

func TestSelectReadsWhatTheQuestionAsks(t *testing.T) {
	e := testEngine()
	tests := []struct {
		name string
		p    Passage
		a    *Analysis
		want string // a sentence the answer must hold
		not  string // a sentence it must not hold
	}{
		{"a when question prefers the sentence holding a date beyond the question's words",
			Passage{ChunkID: "a", Title: "石桥", Text: "石桥横跨清河，石桥是当地最古老的桥梁之一，石桥修建的经过见于县志。石桥建成于1853年，由乡绅出资修建。"},
			analysisOf("石桥何时建成", map[string]float64{"石桥": 2, "建成": 1}),
			"石桥建成于1853年，由乡绅出资修建。", ""},
		{"a sentence under its passage's title answers for the thing the title names",
			Passage{ChunkID: "a", Title: "长柄草", Section: "长柄草", Text: "长柄草是菊科长柄草属的植物，长柄草分布于山坡。总苞圆柱形，长约5毫米。"},
			analysisOf("长柄草的总苞是什么形状", map[string]float64{"长柄草": 3, "总苞": 2, "形状": 1}),
			"总苞圆柱形，长约5毫米。", ""},
		{"a sentence leaning on the one before it comes with it",
			Passage{ChunkID: "a", Title: "歌手", Text: "她在1983年参加音乐节并获奖，此后声名鹊起，唱片公司为她筹备新作。同年，第二张唱片《红》推出，销量创下纪录。"},
			analysisOf("第二张唱片红推出销量", map[string]float64{"第二张唱片": 2, "推出": 1, "销量": 1}),
			"她在1983年参加音乐节并获奖，此后声名鹊起，唱片公司为她筹备新作。", ""},
		{"a fragment comes with the sentence after it",
			Passage{ChunkID: "a", Title: "机场", Text: "机场简介如下。机场有三条跑道。主跑道长1980米，第二条长1667米。另有货运站一座，航站楼内设有商店与餐厅，供旅客使用。"},
			analysisOf("机场有几条跑道", map[string]float64{"机场": 1, "跑道": 2}),
			"主跑道长1980米，第二条长1667米。", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := e.extract(tt.a, []Passage{tt.p}, noDoc, nil)
			got := ex.spans.render(false)
			if !strings.Contains(got, tt.want) {
				t.Errorf("got %q, want it to hold %q", got, tt.want)
			}
			if tt.not != "" && strings.Contains(got, tt.not) {
				t.Errorf("got %q, want it without %q", got, tt.not)
			}
		})
	}
}

func TestHoldsAnswerTypeLooksBeyondTheQuestionsWords(t *testing.T) {
	e := testEngine()
	tests := []struct {
		name     string
		a        *Analysis
		sentence string
		want     bool
	}{
		{"a date of its own answers a when question", analysisOf("2018年石桥何时建成", map[string]float64{"石桥": 1}), "石桥于1853年建成", true},
		{"the question's own year does not", analysisOf("2018年石桥何时建成", map[string]float64{"石桥": 1}), "2018年石桥重修", false},
		{"a figure of its own answers how many", analysisOf("机场有几条跑道", map[string]float64{"机场": 1, "跑道": 1}), "机场有三条跑道", true},
		{"no figure does not", analysisOf("机场有几条跑道", map[string]float64{"机场": 1, "跑道": 1}), "机场跑道很长", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, _ := withSlots(tt.a, e.w)
			if got := e.holdsAnswerType(tt.a, w, tt.sentence); got != tt.want {
				t.Errorf("holdsAnswerType(%q) = %v, want %v", tt.sentence, got, tt.want)
			}
		})
	}
}

func TestCloseSentencesComeTogetherWithinTheBudget(t *testing.T) {
	e := testEngine()
	p := Passage{ChunkID: "a", Title: "湖泊", Text: "青湖的面积为12平方公里。青湖的平均水深约为8米。青湖的湖岸线长约30公里，湖中有小岛五座，岛上建有寺庙与亭台，游人终年不绝。"}
	a := analysisOf("青湖的面积和水深", map[string]float64{"青湖": 1, "面积": 1, "水深": 1})
	t.Run("two sentences scoring close are both given", func(t *testing.T) {
		got := e.extract(a, []Passage{p}, noDoc, nil).spans.render(false)
		for _, s := range []string{"青湖的面积为12平方公里。", "青湖的平均水深约为8米。"} {
			if !strings.Contains(got, s) {
				t.Errorf("got %q, want it to hold %q", got, s)
			}
		}
	})
	t.Run("no sentence passes the short budget", func(t *testing.T) {
		small := testEngine()
		small.w.ShortBudget = 15
		got := small.extract(a, []Passage{p}, noDoc, nil).spans.render(false)
		if n := len([]rune(got)); n > 15 {
			t.Errorf("got %d runes (%q), want at most the budget, 15", n, got)
		}
	})
}
