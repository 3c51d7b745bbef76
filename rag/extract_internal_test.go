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
