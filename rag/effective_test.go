package rag_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"policybot/rag"
)

// regulation is a long local regulation: its header gives the dates it
// was passed and approved, its last article the date it takes effect.
func regulation(city, topic, effective string) string {
	var b strings.Builder
	b.WriteString(city + "市" + topic + "条例\n\n")
	b.WriteString("2020年6月23日 " + city + "市人民代表大会常务委员会第二十五次会议通过\n\n")
	b.WriteString("2020年7月31日 河南省人民代表大会常务委员会第十九次会议批准\n\n第一章 总则\n\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&b, "第%d条 %s工作应当坚持预防为主、综合治理，有关部门按照职责做好%s监督管理工作，具体办法由市人民政府制定并组织实施。\n\n", i, topic, topic)
	}
	b.WriteString("第五章 附则\n\n第四十一条 本条例自" + effective + "起施行。\n")
	return b.String()
}

func TestAQuestionAskingWhenARuleTakesEffectIsAnsweredByTheArticleSayingSo(t *testing.T) {
	eng := corpusEngine(t, map[string]string{
		"a.txt": regulation("周口", "大气污染防治", "2020年10月1日"),
		"b.txt": regulation("信阳", "文明行为促进", "2021年1月1日"),
		"c.txt": regulation("许昌", "城市绿化", "2019年7月1日"),
	}, nil)
	for _, tc := range []struct {
		name, question, want string
	}{
		{"实施 asked, 施行 written: the last article's date answers", "周口大气污染防治条例从哪天起实施？", "2020年10月1日"},
		{"施行日期 asked of another regulation", "信阳文明行为促进条例的施行日期是哪天？", "2021年1月1日"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := eng.Answer(context.Background(), rag.Query{Question: tc.question}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !res.Answered || !strings.Contains(res.Answer, tc.want) {
				t.Errorf("answer %q: want the date it takes effect, %s", res.Answer, tc.want)
			}
			if strings.Contains(res.Answer, "会议通过") {
				t.Errorf("answer %q gives the date it was passed", res.Answer)
			}
		})
	}
}
