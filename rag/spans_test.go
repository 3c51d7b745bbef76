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
