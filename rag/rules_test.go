package rag

import (
	"reflect"
	"regexp"
	"testing"
)

func TestRulesTable(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range ruleTable {
		t.Run(r.name+" matches its examples and not its counter-examples", func(t *testing.T) {
			if seen[r.name] {
				t.Fatalf("rule %q is in the table twice", r.name)
			}
			seen[r.name] = true
			if r.doc == "" || len(r.pos) == 0 || len(r.neg) == 0 {
				t.Fatalf("rule %q needs a doc, positive and negative examples", r.name)
			}
			re, err := regexp.Compile(r.pattern)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range r.pos {
				if !re.MatchString(s) {
					t.Errorf("%q does not match %q, want a match", r.name, s)
				}
			}
			for _, s := range r.neg {
				if re.MatchString(s) {
					t.Errorf("%q matches %q, want none", r.name, s)
				}
			}
		})
	}
}

func TestWordListsHoldEachWordOnce(t *testing.T) {
	for _, l := range wordLists {
		t.Run(l.name+" holds each word once", func(t *testing.T) {
			seen := map[string]bool{}
			for _, w := range l.words {
				if w == "" || seen[w] {
					t.Errorf("word %q empty or twice", w)
				}
				seen[w] = true
			}
		})
	}
}

func TestIntentsOfAQuestion(t *testing.T) {
	tests := []struct {
		q    string
		want Asks
	}{
		{"济源是哪一年撤县建市的", Asks{Date: true}},
		{"报告是哪天作的", Asks{Date: true, Day: true}},
		{"2019年新增耕地多少亩", Asks{Number: true, Figure: true, Unit: true}},
		{"这份通知是谁发的，文号是什么", Asks{Who: true, Person: true, DocNumber: true, Author: true}},
		{"机构改革方案是谁作的说明", Asks{Who: true, Person: true}},
		{"他是哪里人", Asks{Place: true}},
		{"从哪几个方面抓", Asks{Number: true, List: true, Parts: true}},
		{"实际完成了多少", Asks{Number: true, Figure: true, Outcome: true, Amount: true}},
		{"2018年济源全市生产总值是多少", Asks{Number: true, Figure: true, Amount: true}},
		{"2018年gdp增长多少", Asks{Number: true, Figure: true, Growth: true}},
		{"2019年gdp增长目标定的多少", Asks{Number: true, Figure: true, Target: true}},
		{"济源示范区管委会是什么级别", Asks{}},
		{"对疲劳驾驶有什么时间规定", Asks{Number: true}},
		{"营业时间上有什么要求", Asks{Number: true}},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			got, _ := intentsOf(tt.q)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestAskedUnitNamesTheUnit(t *testing.T) {
	tests := []struct{ q, want string }{
		{"新增耕地多少亩", "亩"},
		{"投资多少钱", "元"},
		{"占比多少", "%"},
		{"总人口多少人口", ""},
		{"哪几人参加", ""},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			if _, got := askedUnit(tt.q); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCountInReadsTheCount(t *testing.T) {
	tests := []struct {
		s    string
		want int
	}{{"六项重点工作", 6}, {"四个方面", 4}, {"两大任务", 2}, {"12条措施", 12}, {"十个方面", 10}, {"重点工作", 0},
		// a count of more than one numeral, and numerals that count nothing:
		// a congress (十九大), a part of a larger number, an ordinal.
		{"出台了十二条措施", 12}, {"抓好三大攻坚战", 3}, {"十九大报告提出了什么", 0}, {"党的二十大精神", 0}, {"第三条规定了什么", 0}}
	for _, tt := range tests {
		if got := countIn(tt.s); got != tt.want {
			t.Errorf("countIn(%q) = %d, want %d", tt.s, got, tt.want)
		}
	}
}
