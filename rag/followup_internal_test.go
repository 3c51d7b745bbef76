package rag

import (
	"reflect"
	"strings"
	"testing"
)

func TestListItemsReadsTheItemsOfAnAnswer(t *testing.T) {
	tests := []struct {
		name, answer string
		want         []string
	}{
		{"an enumeration after a colon, parts split by semicolons",
			"总体方案提出四条基本原则：规划引领、优化布局；以产兴城、依城促产；改革创新、先行先试；绿色低碳、生态环保[1]。",
			[]string{"规划引领、优化布局", "以产兴城、依城促产", "改革创新、先行先试", "绿色低碳、生态环保"}},
		{"an enumeration after a colon, parts split by enumeration commas",
			"十件民生实事包括：改善城市水生态、农村小学生免费营养餐、新增公交车并实施城区公交免费[1]。",
			[]string{"改善城市水生态", "农村小学生免费营养餐", "新增公交车并实施城区公交免费"}},
		{"an answer that is the list itself",
			"解放思想和拉高标杆；创先争优和补齐短板；转型升级和绿色发展[1]。",
			[]string{"解放思想和拉高标杆", "创先争优和补齐短板", "转型升级和绿色发展"}},
		{"an outline answer of numbered lines, label and sources aside",
			ExcerptLabel + "\n现将《总体方案》印发给你们。[1]\n1. 规划引领,优化布局[5]\n2. 以产兴城,依城促产[5]\n3. 改革创新,先行先试[6]\n\n来源：\n[5] 《通知》",
			[]string{"规划引领,优化布局", "以产兴城,依城促产", "改革创新,先行先试"}},
		{"items written 一是…二是…",
			"重点抓好两件事：一是建设现代产业园区；二是发展现代服务业。",
			[]string{"建设现代产业园区", "发展现代服务业"}},
		{"a single fact lists nothing", "2018年济源生产总值完成641.8亿元，增长8.3%[1]。", nil},
		{"an empty answer lists nothing", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := listItems(tt.answer); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestOrdinalValueReadsChineseAndArabicNumerals(t *testing.T) {
	tests := map[string]int{"一": 1, "三": 3, "两": 2, "十": 10, "十一": 11, "二十": 20, "二十三": 23, "5": 5, "12": 12, "几": 0, "": 0}
	for s, want := range tests {
		if got := ordinalValue(s); got != want {
			t.Errorf("ordinalValue(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestFigureClauseFindsTheFigureAFollowUpNames(t *testing.T) {
	answer := "据张战伟讲话，1997年到2018年的22年间，全市生产总值增长了14.4倍，城镇化率达到62.4%[1]。"
	tests := []struct{ name, answer, noun, want string }{
		{"a 倍数 is the clause with 倍", answer, "倍数", "全市生产总值增长了14.4倍"},
		{"a 比例 is the clause with a percentage", answer, "比例", "城镇化率达到62.4%"},
		{"a figure of no known shape is the first clause with a figure", answer, "数字", "1997年到2018年的22年间"},
		{"an answer without figures has none", "没有数字的回答。", "数字", ""},
		{"an answer without a figure of the shape named has none", "生产总值增长8%左右。", "倍数", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := figureClause(tt.answer, tt.noun); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestIsHeadingOfTellsAnItemsHeadingFromItsText(t *testing.T) {
	tests := []struct {
		name, sentence, item string
		want                 bool
	}{
		{"the heading line of the item", "(二)明确职责分工", "明确职责分工", true},
		{"an 一是 heading with its stop", "二是深入推进文明建设。", "深入推进文明建设", true},
		{"the sentence after the heading", "省有关部门要密切配合,结合职能分工研究制定支持示范区建设的具体政策。", "明确职责分工", false},
		{"a heading of another item", "(三)加强督促检查", "明确职责分工", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := isHeadingOf(tt.sentence, tt.item); got != tt.want {
				t.Errorf("isHeadingOf(%q, %q) = %v, want %v", tt.sentence, tt.item, got, tt.want)
			}
		})
	}
}

func TestResolveWithoutAPreviousTurnLeavesTheQuestion(t *testing.T) {
	e := testEngine()
	got, fu := e.resolve(nil, nil, "第三条具体怎么说？")
	if got != "第三条具体怎么说？" || fu != nil {
		t.Errorf("got %q, %+v; want the question unchanged and no follow-up", got, fu)
	}
}

func TestStripCitationsKeepsOnlyTheAnswersText(t *testing.T) {
	got := stripCitations(ConvertedLabel + "\n进出口总值完成135亿元。[2]\n\n来源：\n[2] 《报告》")
	if got != "进出口总值完成135亿元。" || strings.Contains(got, "来源") {
		t.Errorf("got %q", got)
	}
}
