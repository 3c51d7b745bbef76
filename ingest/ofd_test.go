package ingest

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// makeOFD builds an OFD package from member names and contents.
func makeOFD(t testing.TB, members map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"OFD.xml", "Doc_0/Document.xml", "Doc_0/Pages/Page_0/Content.xml", "Doc_0/Pages/Page_1/Content.xml", "Doc_0/Pages/Page_2/Content.xml"} {
		if s, ok := members[name]; ok {
			w, err := zw.Create(name)
			if err != nil {
				t.Fatal(err)
			}
			w.Write([]byte(s))
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const ofdRoot = `<?xml version="1.0" encoding="UTF-8"?>
<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD"><ofd:DocBody>
<ofd:DocInfo><ofd:Title>测试通知</ofd:Title></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`

func ofdDocument(pages int) string {
	var sb strings.Builder
	sb.WriteString(`<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Pages>`)
	for i := range pages {
		loc := fmt.Sprintf("Pages/Page_%d/Content.xml", i)
		if i == 1 {
			loc = "/Doc_0/" + loc // an absolute location
		}
		fmt.Fprintf(&sb, `<ofd:Page ID="%d" BaseLoc="%s"/>`, i+1, loc)
	}
	sb.WriteString(`</ofd:Pages></ofd:Document>`)
	return sb.String()
}

// ofdText is one TextObject at (x, y) with one TextCode.
func ofdText(x, y float64, deltaX, text string) string {
	return fmt.Sprintf(`<ofd:TextObject ID="1" Font="1" Size="5" Boundary="%g %g 150 8"><ofd:TextCode X="0" Y="5" DeltaX="%s">%s</ofd:TextCode></ofd:TextObject>`, x, y, deltaX, text)
}

func ofdPage(objects ...string) string {
	return `<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer ID="9">` + strings.Join(objects, "") + `</ofd:Layer></ofd:Content></ofd:Page>`
}

func TestOFDRealSamples(t *testing.T) {
	t.Run("a government notice reads in order over two pages", func(t *testing.T) {
		f, err := Parse("notice.ofd", readFixture(t, "ofd/notice.ofd"), DefaultChunkOptions)
		if err != nil {
			t.Fatal(err)
		}
		x, err := Extract("notice.ofd", readFixture(t, "ofd/notice.ofd"), DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		order := []string{"测试符路桥区卫生局文件", "路卫发〔2011〕76号", "关于同意张阿三同志辞职的批复", "区中医院：", "同意张阿三同志辞职。", "2011年3月10日印发"}
		at := -1
		for _, s := range order {
			i := strings.Index(x.Text, s)
			if i <= at {
				t.Fatalf("%q at %d, want after %d in %q", s, i, at, x.Text)
			}
			at = i
		}
		if len(x.Pages) != 2 || x.PageAt(strings.Index(x.Text, "2011年3月10日印发")) != 2 || x.PageAt(strings.Index(x.Text, "区中医院")) != 1 {
			t.Errorf("got page starts %v", x.Pages)
		}
		if want := "\n你院《关于给张阿三同志辞职的请示》（路中医发〔2011〕10号）收悉。\n"; !strings.Contains(x.Text, want) {
			t.Errorf("the wrapped line is not joined: text lacks %q", want)
		}
		if strings.Contains(x.Text, "— 2 —") {
			t.Errorf("the page number is still in the text")
		}
		if c := chunkWith(t, f, "2011年3月10日印发"); c.PageEnd != 2 {
			t.Errorf("got pages %d–%d, want to end on 2", c.Page, c.PageEnd)
		}
		if c := chunkWith(t, f, "路卫发〔2011〕76号"); c.Page != 1 {
			t.Errorf("got page %d, want 1", c.Page)
		}
	})
	for _, tc := range []struct{ name, file, want string }{
		{"DeltaX spaces the characters of one TextCode", "ofd/helloworld.ofd", "你好呀，OFD Reader&Writer！\n"},
		{"TextCodes split mid-word join on their line, on each page", "ofd/keyword2.ofd", "你好呀，OFD Reader&Writer！\n重庆市马上融资担保有限公司\n你好呀，OFD Reader&Writer！\n重庆市马上融资担保有限公司\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x, err := Extract(tc.file, readFixture(t, tc.file), DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			if x.Text != tc.want {
				t.Errorf("got %q, want %q", x.Text, tc.want)
			}
		})
	}
}

func TestOFDReadingOrder(t *testing.T) {
	// Distinct words, not only distinct digits, tell body lines apart.
	word := []string{"甲", "乙", "丙", "丁"}
	body := func(page, n int) string {
		return fmt.Sprintf("第%s%s段正文，内容足够长以便成为页面的主体部分。", word[page], word[n])
	}
	page := func(n int, extra ...string) string {
		objs := []string{
			// Out of order in the XML: the footer first, the body lines
			// backwards, the two halves of a line right before left.
			ofdText(100, 280, "", fmt.Sprintf("— %d —", n)),
			// Paragraphs indented by two characters, as Chinese
			// documents set them.
			ofdText(30, 60, "", body(n, 3)),
			ofdText(30, 50, "", body(n, 2)),
			ofdText(50, 40, "g 3 5", "第二半"+word[n]),
			ofdText(20, 40, "5 5 5 5 5 5 5", "第一半，后接"),
			ofdText(20, 10, "", "某某市人民政府办公室"),
		}
		return ofdPage(append(objs, extra...)...)
	}
	raw := makeOFD(t, map[string]string{
		"OFD.xml":                        ofdRoot,
		"Doc_0/Document.xml":             ofdDocument(3),
		"Doc_0/Pages/Page_0/Content.xml": page(1),
		"Doc_0/Pages/Page_1/Content.xml": page(2, ofdText(30, 70, "", "2023年新增就业岗位3.2万个")),
		"Doc_0/Pages/Page_2/Content.xml": page(3),
	})
	x, err := Extract("t.ofd", raw, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	onePage := "第一半，后接第二半乙\n" + body(1, 2) + "\n" + body(1, 3) + "\n"
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"the title comes from DocInfo", x.Title == "测试通知"},
		{"lines run top to bottom and left to right", strings.HasPrefix(x.Text, onePage)},
		{"the running header and page numbers are removed", !strings.Contains(x.Text, "办公室") && !strings.Contains(x.Text, "—")},
		{"three pages are recorded", len(x.Pages) == 3},
		{"the figure is on page 2", x.PageAt(strings.Index(x.Text, "3.2万个")) == 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !tc.ok {
				t.Errorf("got text %q, pages %v, title %q", x.Text, x.Pages, x.Title)
			}
		})
	}
}

func TestOFDBadFiles(t *testing.T) {
	// A page of 8 MB of spaces compresses to a few kilobytes.
	bomb := makeOFD(t, map[string]string{
		"OFD.xml":                        ofdRoot,
		"Doc_0/Document.xml":             ofdDocument(1),
		"Doc_0/Pages/Page_0/Content.xml": ofdPage(strings.Repeat(" ", 8<<20)),
	})
	if len(bomb) > 100<<10 {
		t.Fatalf("the bomb is %d bytes", len(bomb))
	}
	for _, tc := range []struct {
		name string
		raw  []byte
		want error
	}{
		{"a zip bomb stops at the limit", bomb, ErrTooLarge},
		{"a file that is not a zip is damaged", []byte("<ofd:OFD/>"), ErrDamaged},
		{"a zip without OFD.xml is damaged", makeOFD(t, map[string]string{"Doc_0/Document.xml": ofdDocument(1)}), ErrDamaged},
		{"an OFD.xml naming no document is damaged", makeOFD(t, map[string]string{"OFD.xml": `<OFD><DocBody/></OFD>`}), ErrDamaged},
		{"a missing Document.xml is damaged", makeOFD(t, map[string]string{"OFD.xml": ofdRoot}), ErrDamaged},
		{"a document with no pages is damaged", makeOFD(t, map[string]string{"OFD.xml": ofdRoot, "Doc_0/Document.xml": ofdDocument(0)}), ErrDamaged},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x, err := Extract("bad.ofd", tc.raw, Limits{MaxExtracted: 1 << 20})
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v (text %q), want %v", err, textOf(x), tc.want)
			}
		})
	}
	t.Run("a missing page is warned about and the others read", func(t *testing.T) {
		raw := makeOFD(t, map[string]string{
			"OFD.xml":                        ofdRoot,
			"Doc_0/Document.xml":             ofdDocument(2),
			"Doc_0/Pages/Page_0/Content.xml": ofdPage(ofdText(20, 20, "", "第一页的正文")),
		})
		x, err := Extract("t.ofd", raw, DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		if x.Text != "第一页的正文\n" || len(x.Warnings) != 1 || !strings.HasPrefix(x.Warnings[0], "page 2: could not be read") {
			t.Errorf("got text %q, warnings %q", x.Text, x.Warnings)
		}
	})
	t.Run("a repeat count past the text reads no further", func(t *testing.T) {
		raw := makeOFD(t, map[string]string{
			"OFD.xml":                        ofdRoot,
			"Doc_0/Document.xml":             ofdDocument(1),
			"Doc_0/Pages/Page_0/Content.xml": ofdPage(ofdText(20, 20, "g 2000000000 1", "正文")),
		})
		x, err := Extract("t.ofd", raw, DefaultLimits)
		if err != nil || x.Text != "正文\n" {
			t.Errorf("got %v, text %q", err, textOf(x))
		}
	})
}

func TestOFDDeltas(t *testing.T) {
	for _, tc := range []struct {
		in   string
		max  int
		want string
	}{
		{"1 2 3", 5, "[1 2 3]"},
		{"g 3 1.5 2", 5, "[1.5 1.5 1.5 2]"},
		{"g 3 1.5 2", 2, "[1.5 1.5]"},
		{"g x 1 4", 5, "[4]"},
		{"NaN Inf 1", 5, "[0 0 1]"},
	} {
		if got := fmt.Sprint(deltas(tc.in, tc.max)); got != tc.want {
			t.Errorf("deltas(%q, %d): got %s, want %s", tc.in, tc.max, got, tc.want)
		}
	}
}

func FuzzOFD(f *testing.F) {
	for _, name := range []string{"notice.ofd", "keyword2.ofd", "helloworld.ofd"} {
		f.Add(readFixture(f, "ofd/"+name))
	}
	f.Add(makeOFD(f, map[string]string{
		"OFD.xml":                        ofdRoot,
		"Doc_0/Document.xml":             ofdDocument(1),
		"Doc_0/Pages/Page_0/Content.xml": ofdPage(ofdText(20, 20, "g 2 5 5", "正文内容")),
	}))
	f.Fuzz(func(t *testing.T, raw []byte) {
		x, err := extractOFD(raw, Limits{MaxExtracted: 1 << 20})
		if err != nil {
			if !errors.Is(err, ErrDamaged) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("error of no class: %v", err)
			}
			return
		}
		checkExtracted(t, x)
	})
}

func BenchmarkExtractOFD(b *testing.B) {
	raw := readFixture(b, "ofd/notice.ofd")
	x, err := Extract("notice.ofd", raw, DefaultLimits)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := Extract("notice.ofd", raw, DefaultLimits); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(x.Pages)*b.N)/b.Elapsed().Seconds(), "pages/s")
}

func TestOFDPageWithTooManyCharactersIsTooLarge(t *testing.T) {
	raw := makeOFD(t, map[string]string{
		"OFD.xml":                        ofdRoot,
		"Doc_0/Document.xml":             ofdDocument(1),
		"Doc_0/Pages/Page_0/Content.xml": ofdPage(ofdText(20, 20, "", strings.Repeat("字", maxPageGlyphs+1))),
	})
	if _, err := Extract("t.ofd", raw, DefaultLimits); !errors.Is(err, ErrTooLarge) {
		t.Errorf("got %v, want ErrTooLarge", err)
	}
}
