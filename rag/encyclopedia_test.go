package rag_test

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"policybot/rag"
)

// encyclopedia is a small corpus of encyclopedic articles, written for
// these tests: each file's first line is its title, as in the public
// reading-comprehension sets.
var encyclopedia = map[string]string{
	"a.txt": "青湖\n青湖位于东山县北部，是一座淡水湖。青湖的面积为12平方公里，平均水深约8米。民国二十六年起湖区设立渔业管理所。湖中有小岛五座，岛上建有寺庙与亭台，游人终年不绝。",
	"b.txt": "长柄草\n长柄草是菊科长柄草属的植物，分布于山坡和林缘。叶片长圆形，边缘有不规则的锯齿。总苞圆柱形，长约5毫米，花后常反折。瘦果有棱，被疏毛。",
	"c.txt": "白石港\n白石港是南岭地区的一座海港，南岭地区最大的海港就是白石港。1921年，港务局在此设立第一座灯塔。同年，港口开通了通往北方的定期航线，商船云集。民国14年，白石港划归东江公署管辖。",
	"d.txt": "星图\n古代天文学家以肉眼观测恒星并编制星图。色指数可以用来估计主序带上恒星的表面温度。现代星图由望远镜观测数据编制，收录的恒星数以亿计。",
}

// encyclopediaEngine returns an extractive engine over the encyclopedia.
func encyclopediaEngine(t *testing.T) *rag.Engine {
	t.Helper()
	return corpusEngine(t, encyclopedia, nil)
}

func TestEncyclopedicQuestionsAreAnswered(t *testing.T) {
	eng := encyclopediaEngine(t)
	tests := []struct{ name, question, want string }{
		{"a sentence that does not name its article's subject answers for it", "长柄草的总苞是什么形状？", "圆柱形"},
		{"the year a sentence leans on (同年) comes with it", "白石港哪一年开通了通往北方的定期航线？", "1921年"},
		{"a year of the Republic's era is not read as this century's", "白石港在民国14年划归哪个公署管辖？", "东江公署"},
		{"a common word the dictionary tags as a name (东西) is no name the answer must hold", "什么东西可以估计主序带上恒星的表面温度？", "色指数"},
		{"a question asking which city is answered by the sentence naming it", "南岭地区最大的海港是哪一个城市？", "白石港"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := eng.Answer(context.Background(), rag.Query{Question: tt.question}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !res.Answered || !strings.Contains(res.Answer, tt.want) {
				t.Errorf("got %q (answered %v, %s), want an answer holding %q", res.Answer, res.Answered, res.RefusalReason, tt.want)
			}
			// A question asking one thing gets a short answer: the label
			// line, then at most Weights.ShortBudget runes of quotes and
			// their citations.
			body := res.Answer[strings.Index(res.Answer, "\n")+1:]
			if n := utf8.RuneCountInString(body); n > rag.DefaultWeights().ShortBudget+10 {
				t.Errorf("answer of %d runes, want at most about %d", n, rag.DefaultWeights().ShortBudget)
			}
		})
	}
}
