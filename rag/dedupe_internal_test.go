package rag

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"policybot/fold"
	"policybot/ingest"
)

func TestDedupeNear(t *testing.T) {
	const (
		para  = "到2025年，全市新能源汽车产业产值力争突破三百亿元，建成豫西北新能源汽车零部件生产基地，培育龙头企业五家以上。"
		other = "示范区吉祥物确定为愚公娃娃，于2021年3月18日正式对外发布，并在各类宣传活动中统一使用，各单位不得擅自改动。"
	)
	cand := func(source, text string, score float64) scored {
		return scored{c: &ingest.Chunk{ID: source + ":" + text[:6], Source: source, Text: text, Folded: fold.String(text)}, score: score}
	}
	tests := []struct {
		name string
		in   []scored
		k    int
		want []string // sources kept, in order
	}{
		{"different passages are all kept in rank order",
			[]scored{cand("a.txt", para, 3), cand("b.txt", other, 2)}, 5, []string{"a.txt", "b.txt"}},
		{"the same text in two files is kept once, the better ranked",
			[]scored{cand("b.pdf", para, 3), cand("a.docx", para, 2), cand("c.txt", other, 1)}, 5, []string{"b.pdf", "c.txt"}},
		{"on a tie the earlier source name is kept, in the first one's place",
			[]scored{cand("b.pdf", para, 2), cand("c.txt", other, 1.5), cand("a.docx", para, 2)}, 5, []string{"a.docx", "c.txt"}},
		{"line breaks, spaces and punctuation from another extractor do not matter",
			[]scored{cand("a.pdf", para, 2), cand("a.docx", strings.NewReplacer("，", "\n", "。", " ").Replace(para), 1)}, 5, []string{"a.pdf"}},
		{"traditional script folds to the same text",
			[]scored{cand("a.txt", "濟源市國民經濟和社會發展第十三個五年規劃綱要提出，到二〇二〇年全市生產總值達到八百億元。", 2),
				cand("b.txt", "济源市国民经济和社会发展第十三个五年规划纲要提出，到二〇二〇年全市生产总值达到八百亿元。", 1)}, 5, []string{"a.txt"}},
		{"a passage contained in a longer one is a copy",
			[]scored{cand("page.html", other+para, 2), cand("attachment.docx", para, 1)}, 5, []string{"page.html"}},
		{"a short heading inside a longer passage is not a copy",
			[]scored{cand("a.txt", para, 2), cand("b.txt", "新能源汽车产业产值", 1)}, 5, []string{"a.txt", "b.txt"}},
		{"passages sharing half their text are both kept",
			[]scored{cand("a.txt", para+other, 2), cand("b.txt", para+strings.Repeat("另起一段讲述完全不同的内容，涉及教育卫生文化体育等方面的安排。", 2), 1)}, 5, []string{"a.txt", "b.txt"}},
		{"k bounds the result after duplicates are dropped",
			[]scored{cand("a.txt", para, 3), cand("b.txt", para, 2), cand("c.txt", other, 1)}, 1, []string{"a.txt"}},
		{"a tie just past the last place still picks the earlier name",
			[]scored{cand("c.txt", other, 3), cand("b.txt", para, 2), cand("a.txt", para, 2)}, 2, []string{"c.txt", "a.txt"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := dedupeNear(tc.in, tc.k, DefaultWeights())
			var srcs []string
			for _, c := range got {
				srcs = append(srcs, c.c.Source)
			}
			if strings.Join(srcs, " ") != strings.Join(tc.want, " ") {
				t.Errorf("got %q, want %q", srcs, tc.want)
			}
		})
	}
}

// BenchmarkDedupeNear measures the cost per question: a pool of 20
// distinct candidates of 400 characters of a seed document, 5 kept.
func BenchmarkDedupeNear(b *testing.B) {
	raw, err := os.ReadFile(filepath.Join("..", "seeds", "001_44e69a047cd4008f.txt"))
	if err != nil {
		b.Fatal(err)
	}
	rs := []rune(fold.String(string(raw)))
	var in []scored
	for i := range 20 {
		in = append(in, scored{c: &ingest.Chunk{Source: "a.txt", Folded: string(rs[i*400 : i*400+400])}, score: float64(20 - i)})
	}
	b.ResetTimer()
	for range b.N {
		dedupeNear(in, 5, DefaultWeights())
	}
}
