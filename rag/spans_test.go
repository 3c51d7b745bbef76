package rag

import (
	"reflect"
	"testing"
)

func TestSentenceRangesAreTheSentencesBytes(t *testing.T) {
	text := "  一、总体要求\n进出口总值完成135亿元，居全省第5位。“办好十件实事！”九是 \n\n尾句"
	want := []string{"一、总体要求", "进出口总值完成135亿元，居全省第5位。", "“办好十件实事！”", "九是", "尾句"}
	var got []string
	for _, r := range sentenceRanges(text) {
		got = append(got, text[r[0]:r[1]])
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestSentenceRangesKeepNamesWhole(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"a stop inside a title 《…》 ends no sentence", "《卡拉OK.LIVE！‧台北‧我》是第六张专辑。其后发行新作。",
			[]string{"《卡拉OK.LIVE！‧台北‧我》是第六张专辑。", "其后发行新作。"}},
		{"a Latin name's ! ends no sentence", "组合（包括Hey! Say! JUMP）出版产品。",
			[]string{"组合（包括Hey! Say! JUMP）出版产品。"}},
		{"an unclosed 《 opens no title", "书名号《未闭合！后文。",
			[]string{"书名号《未闭合！", "后文。"}},
		{"a Latin sentence's final ! still ends it", "He said hello!\n下一行。",
			[]string{"He said hello!", "下一行。"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, r := range sentenceRanges(tt.text) {
				got = append(got, tt.text[r[0]:r[1]])
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSpansRenderTheAnswer(t *testing.T) {
	sp := spans{
		{chunk: "a", start: 0, end: 6, text: "发文机关", sep: "；"},
		{chunk: "a", start: 6, end: 20, text: "济源市人民政府。", cite: 1, sep: "\n"},
		{start: -1, end: -1, text: "《规划》：", sep: "\n"},
		{chunk: "b", start: 3, end: 9, text: "1. 总体要求", cite: 3},
	}
	if got, want := sp.render(true), "发文机关；济源市人民政府。[1]\n《规划》：\n1. 总体要求[3]"; got != want {
		t.Errorf("render with citations: got %q, want %q", got, want)
	}
	if got, want := sp.render(false), "发文机关；济源市人民政府。\n《规划》：\n1. 总体要求"; got != want {
		t.Errorf("render without: got %q, want %q", got, want)
	}
	if got, want := sp.cited(), []int{1, 3}; !reflect.DeepEqual(got, want) {
		t.Errorf("cited: got %v, want %v", got, want)
	}
	want := map[int]string{1: "发文机关；济源市人民政府。", 3: "1. 总体要求"}
	if got := sp.quotes(); !reflect.DeepEqual(got, want) {
		t.Errorf("quotes: got %v, want %v (a line citing nothing is no one's quote)", got, want)
	}
}
