package ingest

import (
	"strings"
	"testing"
)

// longA and longB are the two halves of one prose sentence broken mid-way,
// as newspaper columns and PDF exports break them.
const (
	longA = "济源示范区是经国务院批准设立的全国首个产城融合示范区，承担着探索产城融合发展新路径的重要"
	longB = "使命，要坚持高标准规划。"
)

func TestCleanText(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
		bug  string // non-empty: a known bug, the case is skipped
	}{
		{"a pinyin reading after a Han character is removed", "报(bào)告", "报告", ""},
		{"a reading in full-width parentheses is removed", "報（bào）告", "報告", ""},
		{"a reading with ü is removed", "绿(lǜ)色", "绿色", ""},
		{"a date in parentheses is kept", "（2019年8月31日）", "（2019年8月31日）", ""},
		{"a half-width date in parentheses is kept", "讲话(2019年8月31日)", "讲话(2019年8月31日)", ""},
		{"a section number in parentheses is kept", "(一)基本原则", "(一)基本原则", ""},
		{"an abbreviation note in parentheses is kept", "方案(以下简称《总体方案》)印发", "方案(以下简称《总体方案》)印发", ""},
		{"an upper-case acronym in parentheses is kept", "生产总值(GDP)", "生产总值(GDP)", ""},
		{"lower-case letters without a tone mark are kept", "指数(pmi)", "指数(pmi)", ""},
		{"a lost character followed by its reading becomes a box", "?(qū)域", "□域", ""},
		{"a lost character whose reading lost its opening parenthesis becomes a box", "?qū)域", "□域", ""},
		{"a full-width question mark with a reading becomes a box", "？(qū)域", "□域", ""},
		{"a question mark that ends a question is kept", "怎么办?", "怎么办?", ""},
		{"HTML quote entities are decoded", "&ldquo;示范区&rdquo;", "“示范区”", ""},
		{"entities whose ampersand was lost are decoded", "?ldquo;示范区?rdquo;", "“示范区”", ""},
		{"an unknown entity is kept as it is", "&foo;示范区", "&foo;示范区", ""},
		{"a breadcrumb line is dropped", "当前位置：首页 > 政务公开 > 政策文件\n正文第一段。", "正文第一段。", ""},
		{"a breadcrumb naming a periodical's issue is kept", "当前位置: 首页 >> 2019年第8期 >> 新思想\n正文第一段。", "当前位置: 首页 >> 2019年第8期 >> 新思想\n正文第一段。", ""},
		{"a share prompt is dropped", "正文第一段。\n扫一扫在手机打开当前页\n正文第二段。", "正文第一段。\n正文第二段。", ""},
		{"print and close links are dropped", "正文第一段。\n【打印】【关闭】", "正文第一段。", ""},
		{"a long prose line broken mid-sentence is joined with the next", longA + "\n" + longB, longA + longB, ""},
		{"a prose line broken mid-sentence is joined across a blank line", longA + "\n\n" + longB, longA + longB, ""},
		{"a line that ends its sentence is not joined", longA + "。\n" + longB, longA + "。\n" + longB, ""},
		{"a title line followed by an author's name is not joined", "济源示范区加快推进高质量发展\n张三\n", "济源示范区加快推进高质量发展\n张三", ""},
		{"a long title without inner punctuation is not joined with the next line",
			"济源产城融合示范区成立暨机构改革动员大会上的讲话全文内容摘要发布\n今天我们召开大会，动员全区上下迅速行动。",
			"济源产城融合示范区成立暨机构改革动员大会上的讲话全文内容摘要发布\n今天我们召开大会，动员全区上下迅速行动。", ""},
		{"a long header field line is not joined with the next field line",
			"主题分类：城乡建设、环境保护，其他事项与相关规定及补充说明等内容和材料\n发文机关：河南省人民政府办公厅",
			"主题分类：城乡建设、环境保护，其他事项与相关规定及补充说明等内容和材料\n发文机关：河南省人民政府办公厅", ""},
		{"a 发文字号 field line with a colon is kept", "发文字号：豫政〔2017〕20号", "发文字号：豫政〔2017〕20号",
			""},
		{"leading and trailing white space is trimmed", " \t　示范区 \r", "示范区", ""},
		{"inner runs of white space collapse to one space", "推进  高质量\t\u3000发展", "推进 高质量 发展", ""},
		{"blank lines give no paragraphs", "\n \n\t\n", "", ""},
		{"a byte-order mark inside the text is dropped", "\uFEFF示范区", "示范区", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.bug != "" {
				t.Skip("bug: " + tc.bug)
			}
			if got := CleanText(tc.in); got != tc.want {
				t.Errorf("CleanText(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestCleanParagraphPositions(t *testing.T) {
	type para struct {
		text string
		src  string // the exact decoded bytes [Start,End) must hold
		line int
	}
	tests := []struct {
		name string
		in   string
		want []para
	}{
		{"two paragraphs with surrounding white space report their trimmed bytes",
			"第一段文字。\n\n  第二段 文字。  \n",
			[]para{{"第一段文字。", "第一段文字。", 1}, {"第二段 文字。", "第二段 文字。", 3}}},
		{"a removed reading stays inside the paragraph's range",
			"报(bào)告\n",
			[]para{{"报告", "报(bào)告", 1}}},
		{"a reading at the end of a line is covered by the range",
			"工作报(bào)\n",
			[]para{{"工作报", "工作报(bào)", 1}}},
		{"a decoded entity covers its whole source",
			"&ldquo;示范区&rdquo;",
			[]para{{"“示范区”", "&ldquo;示范区&rdquo;", 1}}},
		{"a joined paragraph runs from its first line to its last",
			"标题\n" + longA + "\n\n" + longB + "\n",
			[]para{{"标题", "标题", 1}, {longA + longB, longA + "\n\n" + longB, 2}}},
		{"a dropped boilerplate line shifts the next paragraph's line number",
			"扫一扫在手机打开当前页\n正文。",
			[]para{{"正文。", "正文。", 2}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Clean(tc.in)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d paragraphs %+v, want %d", len(got), got, len(tc.want))
			}
			for i, w := range tc.want {
				p := got[i]
				if p.Text != w.text {
					t.Errorf("paragraph %d: got text %q, want %q", i, p.Text, w.text)
				}
				if p.Start < 0 || p.End > len(tc.in) || p.Start >= p.End {
					t.Fatalf("paragraph %d: got range [%d,%d), outside the %d-byte input", i, p.Start, p.End, len(tc.in))
				}
				if src := tc.in[p.Start:p.End]; src != w.src {
					t.Errorf("paragraph %d: got source %q, want %q", i, src, w.src)
				}
				if p.Line != w.line {
					t.Errorf("paragraph %d: got line %d, want %d", i, p.Line, w.line)
				}
				if n := len([]rune(p.Text)); len(p.pos) != n {
					t.Errorf("paragraph %d: got %d rune positions, want %d", i, len(p.pos), n)
				}
				if got := CleanText(tc.in[p.Start:p.End]); strings.ReplaceAll(got, "\n", "") != p.Text {
					t.Errorf("paragraph %d: cleaning its own bytes gives %q, want %q", i, got, p.Text)
				}
			}
		})
	}
}
