package rag

import (
	"strings"
	"testing"

	"policybot/fold"
	"policybot/lexical"
	"policybot/terms"
)

// fakeTok splits on spaces, tags every word as a noun unless pos says
// otherwise, and weighs every word 0.5 in general use.
type fakeTok struct{ pos map[string]string }

func (fakeTok) Terms(s string) []string { return strings.Fields(s) }
func (fakeTok) Words(s string) []string { return strings.Fields(s) }
func (t fakeTok) Tag(s string) []lexical.Tagged {
	var out []lexical.Tagged
	for _, w := range strings.Fields(s) {
		p := t.pos[w]
		if p == "" {
			p = "n"
		}
		out = append(out, lexical.Tagged{Text: w, Pos: p})
	}
	return out
}
func (fakeTok) WordWeight(string) float64 { return 0.5 }

func testEngine() *Engine {
	return &Engine{
		tok:   fakeTok{pos: map[string]string{"张三": "nr", "济源": "ns", "完成": "v"}},
		terms: terms.Builtin(),
		opt:   Options{Places: terms.BuiltinPlaces()},
		w:     DefaultWeights(),
	}
}

// refusalInput is a refusal check's input: a question, one passage, the
// answer taken from it and the best sentence's coverage.
type refusalInput struct {
	question string
	passage  Passage
	answer   string
	more     []string // further sentences of the answer
	cover    float64
	docs     map[string]int // document frequencies; absent terms are in none
}

func (in refusalInput) refusalCase() *refusalCase {
	f := terms.NormalizeYears(fold.String(in.question))
	a := &Analysis{Question: in.question, Folded: f, Years: reYear.FindAllString(f, -1)}
	a.Asks, a.Rules = intentsOf(f)
	a.unitRx, a.Unit = askedUnit(f)
	a.Places = terms.BuiltinPlaces().Find(f)
	a.Names = a.Places
	fd := found{a: a, passages: []Passage{in.passage}, ex: extraction{spans: spans{{text: in.answer, cite: 1}}, cited: []int{1}, best: 1, cover: in.cover}}
	answer := in.answer
	if in.answer != "" {
		fd.ex.picked = []sentence{{text: in.answer}}
		for _, m := range in.more {
			fd.ex.picked = append(fd.ex.picked, sentence{text: m})
			answer += m
		}
	}
	return &refusalCase{a: a, f: fd, df: func(t string) int { return in.docs[t] },
		answer: fold.String(answer), where: whereText(fd.passages, fd.ex.cited)}
}

func TestRefusalChecks(t *testing.T) {
	report := Passage{Title: "2019年济源市政府工作报告", Section: "一、2018年工作回顾", Date: "2019-02-16",
		Text: "进出口总值完成135亿元，居全省第5位。"}
	plan := Passage{Title: "济源市十四五规划", Text: "到2025年，城镇化率力争提高到70%。"}
	undated := Passage{Title: "关于加强管理的通知", Text: "各单位要加强管理。"}
	tests := map[string][]struct {
		name    string
		in      refusalInput
		refuses bool
	}{
		"no-passage": {
			{"an answer with sentences passes", refusalInput{question: "进出口总值多少", passage: report, answer: report.Text, cover: 1}, false},
			{"no sentence picked refuses", refusalInput{question: "进出口总值多少", passage: report, cover: 1}, true},
		},
		"coverage": {
			{"an answer holding the question passes", refusalInput{question: "进出口总值多少", passage: report, answer: report.Text, cover: 0.8}, false},
			{"an answer holding little of it refuses", refusalInput{question: "进出口总值多少", passage: report, answer: report.Text, cover: 0.1}, true},
		},
		"years": {
			{"the year asked under the passage's heading passes", refusalInput{question: "2018年进出口总值多少", passage: report, answer: report.Text, cover: 1}, false},
			{"another year refuses", refusalInput{question: "2016年进出口总值多少", passage: report, answer: report.Text, cover: 1}, true},
		},
		"names": {
			{"the place asked where the answer is passes", refusalInput{question: "济源进出口总值多少", passage: report, answer: report.Text, cover: 1}, false},
			{"another city refuses", refusalInput{question: "洛阳进出口总值多少", passage: report, answer: report.Text, cover: 1}, true},
		},
		"unit": {
			{"money asked, money found passes", refusalInput{question: "进出口总值多少钱", passage: report, answer: report.Text, cover: 1}, false},
			{"acres asked, none found refuses", refusalInput{question: "进出口用地多少亩", passage: report, answer: report.Text, cover: 1}, true},
		},
		"date": {
			{"a date where the answer is passes", refusalInput{question: "什么时候发布的", passage: report, answer: report.Text, cover: 1}, false},
			{"no date anywhere refuses", refusalInput{question: "什么时候发布的", passage: undated, answer: undated.Text, cover: 1}, true},
		},
		"figure": {
			{"a figure of its own passes", refusalInput{question: "进出口总值多少", passage: report, answer: report.Text, cover: 1}, false},
			{"no figure refuses", refusalInput{question: "管理单位多少", passage: undated, answer: undated.Text, cover: 1}, true},
		},
		"place": {
			{"an answer naming a place passes", refusalInput{question: "总部在哪里", passage: report, answer: "总部设在济源市。", cover: 1}, false},
			{"an answer naming none refuses", refusalInput{question: "总部在哪里", passage: undated, answer: "各单位 要 加强 管理", cover: 1}, true},
		},
		"person": {
			{"an answer naming someone passes", refusalInput{question: "谁作的报告", passage: report, answer: "张三 作 报告", cover: 1}, false},
			{"an organization counts", refusalInput{question: "谁作的报告", passage: report, answer: "济源市人民政府作报告", cover: 1}, false},
			{"an answer naming no one refuses", refusalInput{question: "谁作的报告", passage: undated, answer: "加强 管理", cover: 1}, true},
		},
		"missing-concepts": {
			{"nouns the corpus holds pass", refusalInput{question: "进出口 总值", passage: report, answer: report.Text, cover: 0.3,
				docs: map[string]int{"进出口": 3, "总值": 2}}, false},
			{"nouns in no document refuse", refusalInput{question: "火星 基地", passage: report, answer: report.Text, cover: 0.3}, true},
			{"a good answer is not second-guessed", refusalInput{question: "火星 基地", passage: report, answer: report.Text, cover: 0.9}, false},
		},
		"outcome": {
			{"an outcome asked and found passes", refusalInput{question: "实际完成了多少", passage: report, answer: report.Text, cover: 1}, false},
			{"only a plan refuses", refusalInput{question: "实际完成了多少", passage: plan, answer: plan.Text, cover: 1}, true},
			{"a plan beside a sentence meeting targets refuses", refusalInput{question: "实际完成了多少", passage: plan,
				answer: plan.Text, more: []string{"能耗完成省定目标。"}, cover: 1}, true},
			{"a plan beside an outcome passes", refusalInput{question: "实际完成了多少", passage: plan,
				answer: plan.Text, more: []string{"进出口总值完成135亿元。"}, cover: 1}, false},
		},
	}
	e := testEngine()
	for _, rc := range refusalChecks {
		cases := tests[rc.Name]
		if len(cases) < 2 {
			t.Errorf("check %q has no table test", rc.Name)
		}
		for _, tt := range cases {
			t.Run(rc.Name+": "+tt.name, func(t *testing.T) {
				why := rc.Func(e, tt.in.refusalCase())
				if got := why != ""; got != tt.refuses {
					t.Errorf("refuses = %v (%q), want %v", got, why, tt.refuses)
				}
			})
		}
	}
}
