package ingest

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseSurvivesPagesWhoseArticlesAreHardToDelimit(t *testing.T) {
	body := strings.Repeat("这是一段足够长的正文内容，用来说明文章的主要观点和具体措施，并且没有在这里结束", 2) + "。"
	page := strings.Join([]string{
		"第一篇文章的标题在这里写得比较长一些", "张三", body,
		"第二篇文章的标题也写得比较长一些吧", "李四", body,
		"一行没有句号而且长度在四十到四十八个字符之间的文字用来迷惑分篇的规则呀呀呀呀", "短",
	}, "\n")
	f, err := Parse("page.txt", []byte(page), DefaultChunkOptions)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Documents) < 2 {
		t.Fatalf("got %d documents, want the page split into articles", len(f.Documents))
	}
	for _, c := range f.Chunks {
		if c.Start < 0 || c.End > len(page) || c.Start >= c.End {
			t.Errorf("chunk %s has bad range [%d,%d)", c.ID, c.Start, c.End)
		}
	}
}

func TestATitleAfterAFullWidthBarIsValidText(t *testing.T) {
	body := strings.Repeat("正文内容说明政策的具体要求。", 8)
	f, err := Parse("t.txt", []byte("标题：首页｜河南省人民政府关于某事的通知\n"+body), DefaultChunkOptions)
	if err != nil {
		t.Fatal(err)
	}
	got := f.Documents[0].Title
	if !utf8.ValidString(got) || got != "河南省人民政府关于某事的通知" {
		t.Errorf("got title %q, want the part after ｜ as valid text", got)
	}
}

// BenchmarkCleanWrappedLines measures cleaning a file of lines wrapped
// mid-sentence (every line joins the one before): it must stay linear.
func BenchmarkCleanWrappedLines(b *testing.B) {
	text := strings.Repeat("这一行在句子中间被截断了，后面还有内容继续写下去直到下一行\n", 20000)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Clean(text)
	}
}
