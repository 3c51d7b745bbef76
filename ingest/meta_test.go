package ingest

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// body is a long line of ordinary prose that starts no heading and ends its
// sentence, so it is never joined with what follows.
const body = "今年以来，全市上下坚持稳中求进工作总基调，统筹推进稳增长、促改革、调结构、惠民生、防风险各项工作，经济社会发展保持了总体平稳、稳中有进的良好态势。"

func parseOne(t *testing.T, text string) *File {
	t.Helper()
	f, err := Parse("doc.txt", []byte(text), DefaultChunkOptions)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(f.Documents) == 0 {
		t.Fatalf("Parse found no documents in %q", text)
	}
	return f
}

func TestParseMetadata(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Document // only the non-empty fields are checked
		bug  string
	}{
		{"a web table header gives title, issuer, number and publication date",
			"标 题 河南省人民政府关于印发济源示范区总体方案的通知\n发文机关 河南省人民政府\n发文字号 豫政〔2017〕20号 发布时间 2017年06月07日\n\n" + body,
			Document{Title: "河南省人民政府关于印发济源示范区总体方案的通知", Issuer: "河南省人民政府", DocNumber: "豫政〔2017〕20号", PubDate: "2017-06-07", Date: "2017-06-07"}, ""},
		{"header fields with colons give title and issuer",
			"标题：关于加快推进产城融合的实施意见\n发文机关：济源市人民政府\n发布时间：2020-04-30\n" + body,
			Document{Title: "关于加快推进产城融合的实施意见", Issuer: "济源市人民政府", PubDate: "2020-04-30", Date: "2020-04-30"}, ""},
		{"a 作者: line gives the issuer",
			"济源示范区加快推进高质量发展\n作者：王小明 来源：济源日报\n" + body,
			Document{Title: "济源示范区加快推进高质量发展", Issuer: "王小明"}, ""},
		{"a 来源: line gives the issuer when there is no author",
			"济源示范区加快推进高质量发展\n来源：济源日报\n" + body,
			Document{Title: "济源示范区加快推进高质量发展", Issuer: "济源日报"}, ""},
		{"a standalone date in parentheses gives the document's date",
			"在全市经济工作会议上的讲话\n（2019年8月31日）\n" + body,
			Document{Title: "在全市经济工作会议上的讲话", Date: "2019-08-31"}, ""},
		{"a half-width parenthesised date gives the document's date",
			"在全市经济工作会议上的讲话\n(2019年8月31日)\n" + body,
			Document{Title: "在全市经济工作会议上的讲话", Date: "2019-08-31"}, ""},
		{"the occasion line of a report gives the day it was given",
			"2024年政府工作报告\n\n政府工作报告\n\n——2024年3月5日在第十四届全国人民代表大会第二次会议上\n" + body,
			Document{Date: "2024-03-05"}, ""},
		{"a Chinese-numeral date in the header converts to digits",
			"2019年济源市政府工作报告\n二O一九年二月十六日\n" + body,
			Document{Title: "2019年济源市政府工作报告", Date: "2019-02-16"}, ""},
		{"a Chinese-numeral date with 〇 and 十 converts to digits",
			"2019年济源市政府工作报告\n二〇二〇年十二月三十一日\n" + body,
			Document{Title: "2019年济源市政府工作报告", Date: "2020-12-31"}, ""},
		{"a signature date in digits at the end gives the document's date",
			"关于加快推进产城融合的实施意见\n" + body + "\n" + body + "\n济源市人民政府\n2019年2月16日\n",
			Document{Date: "2019-02-16"}, ""},
		{"a Chinese-numeral signature date at the end gives the document's date",
			"关于加快推进产城融合的实施意见\n" + body + "\n" + body + "\n济源市人民政府\n二〇一九年二月十六日\n",
			Document{Date: "2019-02-16"},
			""},
		{"a number in 〔〕 brackets is the document number",
			"河南省人民政府关于印发总体方案的通知\n豫政〔2017〕20号\n" + body,
			Document{DocNumber: "豫政〔2017〕20号"}, ""},
		{"a number in square brackets is the document number",
			"国务院关于印发新时代发展规划的通知\n国发[2020]5号\n" + body,
			Document{DocNumber: "国发[2020]5号"}, ""},
		{"a 发文字号: field with a colon gives the document number",
			"国务院关于印发新时代发展规划的通知\n发文字号：国发[2020]5号\n" + body,
			Document{DocNumber: "国发[2020]5号"},
			""},
		{"a 失效时间 with a date gives the validity",
			"关于加快推进产城融合的实施意见\n失效时间：2025年12月31日\n" + body,
			Document{Validity: "2025年12月31日"}, ""},
		{"a 失效时间 of 长期有效 gives the validity",
			"关于加快推进产城融合的实施意见\n失效时间 长期有效\n" + body,
			Document{Validity: "长期有效"}, ""},
		{"a title after a site name and a bar keeps only the title",
			"济源市人民政府网 | 关于加快推进产城融合的实施意见\n" + body,
			Document{Title: "关于加快推进产城融合的实施意见"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.bug != "" {
				t.Skip("bug: " + tc.bug)
			}
			f := parseOne(t, tc.in)
			if len(f.Documents) != 1 {
				t.Fatalf("got %d documents, want 1", len(f.Documents))
			}
			got, w := f.Documents[0], tc.want
			check := func(field, got, want string) {
				if want != "" && got != want {
					t.Errorf("%s: got %q, want %q", field, got, want)
				}
			}
			check("title", got.Title, w.Title)
			check("issuer", got.Issuer, w.Issuer)
			check("date", got.Date, w.Date)
			check("pub_date", got.PubDate, w.PubDate)
			check("doc_number", got.DocNumber, w.DocNumber)
			check("validity", got.Validity, w.Validity)
		})
	}
}

func TestParseSplitsANewspaperPageIntoArticles(t *testing.T) {
	page := "2020年4月30日 星期四\n\n编辑:郭立 校对:王伟\n" +
		"增强落实力执行力穿透力加快推动各项措施落地\n刘宛康\n" + body + "\n" + body + "\n" +
		"以科创产业园建设为抓手全力打造创新创业高地\n赵会生\n" + strings.ReplaceAll(body, "全市", "新城") + "\n"
	f := parseOne(t, page)
	if len(f.Documents) != 2 {
		t.Fatalf("got %d documents, want 2: %+v", len(f.Documents), f.Documents)
	}
	want := []struct{ title, issuer string }{
		{"增强落实力执行力穿透力加快推动各项措施落地", "刘宛康"},
		{"以科创产业园建设为抓手全力打造创新创业高地", "赵会生"},
	}
	for i, w := range want {
		d := f.Documents[i]
		t.Run("article "+w.title+" has its own title and author", func(t *testing.T) {
			if d.Title != w.title || d.Issuer != w.issuer {
				t.Errorf("got title %q issuer %q, want %q and %q", d.Title, d.Issuer, w.title, w.issuer)
			}
			if d.PubDate != "2020-04-30" {
				t.Errorf("got pub_date %q, want the page's 2020-04-30", d.PubDate)
			}
			if d.Chunks == 0 {
				t.Errorf("got no chunks")
			}
		})
	}
	t.Run("chunks never mix articles", func(t *testing.T) {
		docs := map[string]Document{}
		for _, d := range f.Documents {
			docs[d.ID] = d
		}
		counts := map[string]int{}
		for _, c := range f.Chunks {
			d, ok := docs[c.DocID]
			if !ok {
				t.Fatalf("chunk %s names unknown document %q", c.ID, c.DocID)
			}
			counts[c.DocID]++
			if c.Start < d.Start || c.End > d.End {
				t.Errorf("chunk %s [%d,%d) lies outside its document %s [%d,%d)", c.ID, c.Start, c.End, d.ID, d.Start, d.End)
			}
			if c.Title != d.Title {
				t.Errorf("chunk %s: got title %q, want its document's %q", c.ID, c.Title, d.Title)
			}
			other := want[0].issuer
			if d.ID == f.Documents[0].ID {
				other = want[1].issuer
			}
			if strings.Contains(c.Text, other) {
				t.Errorf("chunk %s of %s holds the other article's author %q:\n%s", c.ID, d.ID, other, c.Text)
			}
		}
		for _, d := range f.Documents {
			if counts[d.ID] != d.Chunks {
				t.Errorf("document %s: got %d chunks, its Chunks field says %d", d.ID, counts[d.ID], d.Chunks)
			}
		}
		if f.Documents[0].End > f.Documents[1].Start {
			t.Errorf("documents overlap: first ends at %d, second starts at %d", f.Documents[0].End, f.Documents[1].Start)
		}
	})
}

func TestParseMapsChunksOfAGBKFileToTheirOriginalBytes(t *testing.T) {
	text := "河南省人民政府关于印发总体方案的通知\n豫政〔2017〕20号\n\n" +
		"一、充分认识重大意义。\n" + body + "\n" + strings.Repeat(body, 6) + "\n二、准确把握战略定位。\n" + body + "\n"
	raw, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse("gbk.txt", raw, ChunkOptions{Target: 120, Max: 200})
	if err != nil {
		t.Fatal(err)
	}
	if f.Encoding != EncGB18030 {
		t.Fatalf("got encoding %s, want %s", f.Encoding, EncGB18030)
	}
	if len(f.Chunks) < 4 {
		t.Fatalf("got %d chunks, want several", len(f.Chunks))
	}
	lines := newLineIndex(text)
	for _, c := range f.Chunks {
		t.Run(fmt.Sprintf("the chunk at bytes %d-%d decodes from its own original bytes", c.Start, c.End), func(t *testing.T) {
			if c.Start < 0 || c.End > len(raw) || c.Start >= c.End {
				t.Fatalf("got range [%d,%d) for a %d-byte file", c.Start, c.End, len(raw))
			}
			src, err := simplifiedchinese.GB18030.NewDecoder().Bytes(raw[c.Start:c.End])
			if err != nil {
				t.Fatalf("original bytes [%d,%d) do not decode: %v", c.Start, c.End, err)
			}
			if got := squash(CleanText(string(src))); got != squash(c.Text) {
				t.Errorf("original bytes [%d,%d) clean to\n%q\nwant the chunk text\n%q", c.Start, c.End, got, c.Text)
			}
			before, err := simplifiedchinese.GB18030.NewDecoder().Bytes(raw[:c.Start])
			if err != nil {
				t.Fatal(err)
			}
			if l := lines.line(len(before)); l != c.LineStart {
				t.Errorf("got line_start %d, want %d", c.LineStart, l)
			}
		})
	}
}

// FuzzParse checks that Parse never panics and that every chunk it returns
// points at a non-empty byte range of the input and has a rune-aligned
// folded form.
func FuzzParse(f *testing.F) {
	f.Add([]byte("标 题 关于印发总体方案的通知\n发文字号 豫政〔2017〕20号\n\n一、总体要求。" + body))
	f.Add([]byte("报(bào)告 ?(qū)域 ?qū) &ldquo;示范&rdquo;\n\n（一）基本原则\n1.加快发展\n(1)完善\n一是加强\n——坚持"))
	f.Add([]byte("2020年4月30日 星期四\n标题一二三四五六七\n张三\n" + body + "\n标题八九十百千万亿\n李四\n" + body))
	f.Add(utf16Bytes("政策文件\n"+body, false))
	f.Add(utf16Bytes("政策文件\n"+body, true))
	if gb, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte("政策文件\n" + body)); err == nil {
		f.Add(gb)
	}
	f.Add([]byte{0xEF, 0xBB, 0xBF, '\n', '?', '(', 0xC7, 0x9C, ')'})
	f.Add([]byte(""))
	opts := []ChunkOptions{DefaultChunkOptions, {Target: 8, Max: 12}}
	f.Fuzz(func(t *testing.T, raw []byte) {
		for _, opt := range opts {
			file, err := Parse("fuzz.txt", raw, opt)
			if err != nil {
				continue
			}
			for _, c := range file.Chunks {
				if c.Start < 0 || c.Start >= c.End || c.End > len(raw) {
					t.Fatalf("chunk %s: got range [%d,%d), want 0 ≤ start < end ≤ %d", c.ID, c.Start, c.End, len(raw))
				}
				if a, b := len([]rune(c.Folded)), len([]rune(c.Text)); a != b {
					t.Fatalf("chunk %s: got %d folded runes, want %d like the text", c.ID, a, b)
				}
				if c.LineStart < 1 || c.LineEnd < c.LineStart {
					t.Fatalf("chunk %s: got lines %d-%d", c.ID, c.LineStart, c.LineEnd)
				}
			}
		}
	})
}

func TestZeroPaddedMonthsAndDaysOf08And09AreRead(t *testing.T) {
	tests := []struct{ y, m, d, want string }{
		{"2024", "08", "09", "2024-08-09"},
		{"2019", "09", "08", "2019-09-08"},
		{"2019", "2", "16", "2019-02-16"},
	}
	for _, tt := range tests {
		t.Run(tt.y+"-"+tt.m+"-"+tt.d+" reads as "+tt.want, func(t *testing.T) {
			if got := ymd(tt.y, tt.m, tt.d); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}
