package ingest

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// The fixtures are made by testdata/formats/pdf/make_pdf.sh.

// noOCR are the default limits with OCR off, as on a machine without
// tesseract.
var noOCR = Limits{MaxExtracted: DefaultLimits.MaxExtracted, NoOCR: true}

// chunkWith returns the chunk whose text holds s.
func chunkWith(t *testing.T, f *File, s string) Chunk {
	t.Helper()
	for _, c := range f.Chunks {
		if strings.Contains(c.Text, s) {
			return c
		}
	}
	t.Fatalf("no chunk holds %q", s)
	return Chunk{}
}

func TestPDFChunksCarryTheirPages(t *testing.T) {
	f, err := Parse("gov.pdf", readFixture(t, "pdf/gov.pdf"), DefaultChunkOptions)
	if err != nil {
		t.Fatal(err)
	}
	if f.Format != FormatPDF {
		t.Errorf("got format %q, want %q", f.Format, FormatPDF)
	}
	for _, tc := range []struct {
		name, text string
		page       int
	}{
		{"the document number is on page 1", "示政〔2024〕12号", 1},
		{"the first measure is on page 1", "按每人1500元给予一次性扩岗补助", 1},
		{"the figure of 2023 is on page 2", "2023年新增就业岗位3.2万个", 2},
		{"the validity is on page 2", "有效期至2025年12月31日", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := chunkWith(t, f, tc.text)
			if c.Page > tc.page || c.PageEnd < tc.page {
				t.Errorf("got pages %d–%d, want %d within", c.Page, c.PageEnd, tc.page)
			}
		})
	}
	for _, c := range f.Chunks {
		if c.Page < 1 || c.PageEnd < c.Page || c.PageEnd > 2 {
			t.Errorf("chunk %s: got pages %d–%d, want within 1–2", c.ID, c.Page, c.PageEnd)
		}
	}
}

func TestPDFTextOfAGovernmentNotice(t *testing.T) {
	x, err := Extract("gov.pdf", readFixture(t, "pdf/gov.pdf"), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Pages) != 2 || x.Pages[0] != 0 {
		t.Fatalf("got page starts %v, want 2 pages from 0", x.Pages)
	}
	if got := x.PageAt(strings.Index(x.Text, "2023年新增就业岗位3.2万个")); got != 2 {
		t.Errorf("the figure of 2023: got page %d, want 2", got)
	}
	for _, tc := range []struct{ name, text string }{
		{"the running header is removed", "示例市人民政府办公室文件"},
		{"the page number with dashes is removed", "- 1 -"},
		{"the second page's number is removed", "- 2 -"},
		{"the page number in Chinese is removed", "第1页"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if strings.Contains(x.Text, tc.text) {
				t.Errorf("text still holds %q", tc.text)
			}
		})
	}
	t.Run("lines come in reading order", func(t *testing.T) {
		order := []string{"示例市人民政府关于印发稳就业若干措施的通知", "示政〔2024〕12号", "一、支持企业稳岗扩岗", "四、加强职业技能培训", "五、工作成效", "2024年3月15日"}
		at := -1
		for _, s := range order {
			i := strings.Index(x.Text, s)
			if i <= at {
				t.Fatalf("%q at %d, want after %d", s, i, at)
			}
			at = i
		}
	})
	t.Run("lines that wrapped are joined into their paragraph", func(t *testing.T) {
		want := "\n一、支持企业稳岗扩岗。对不裁员或少裁员的参保企业，按企业及其职工上年度实际缴纳失业保险费的60%返还。" +
			"中小微企业吸纳离校两年内未就业高校毕业生，签订一年以上劳动合同并参加失业保险的，按每人1500元给予一次性扩岗补助。\n"
		if !strings.Contains(x.Text, want) {
			t.Errorf("text lacks %q", want)
		}
	})
	t.Run("short lines stay lines of their own", func(t *testing.T) {
		for _, want := range []string{"\n示政〔2024〕12号\n", "\n各县（市、区）人民政府，市政府各部门：\n", "\n示例市人民政府\n2024年3月15日\n"} {
			if !strings.Contains(x.Text, want) {
				t.Errorf("text lacks %q", want)
			}
		}
	})
}

func TestPDFColumnsAndTables(t *testing.T) {
	x, err := Extract("columns.pdf", readFixture(t, "pdf/columns.pdf"), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, want string }{
		{"the headline comes first", "本报讯 全市经济运行稳中向好\n左栏第一段。"},
		{"a column is read to its end before the next", "各项指标均高于全省平均水平。\n右栏第一段。"},
		{"a paragraph wrapped in its column is one line", "\n左栏第一段。今年以来，全市上下坚持稳中求进工作总基调，统筹推进经济社会发展各项工作，主要经济指标保持平稳增长，发展质量稳步提升，为全年目标任务完成打下坚实基础。\n"},
		{"a table is read row by row, cells apart", "\n指标 数值 增长\n地区生产总值 2856亿元 6.1%\n工业增加值 1020亿元 7.3%\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(x.Text, tc.want) {
				t.Errorf("text lacks %q; got %q", tc.want, x.Text)
			}
		})
	}
}

func TestPDFHeadingsOpenSections(t *testing.T) {
	f, err := Parse("gov.pdf", readFixture(t, "pdf/gov.pdf"), DefaultChunkOptions)
	if err != nil {
		t.Fatal(err)
	}
	if c := chunkWith(t, f, "2023年新增就业岗位3.2万个"); c.Section != "五、工作成效" {
		t.Errorf("got section %q, want 五、工作成效", c.Section)
	}
	if d := f.Documents[0]; d.Title != "示例市人民政府关于印发稳就业若干措施的通知" || d.DocNumber != "示政〔2024〕12号" || d.Date != "2024-03-15" {
		t.Errorf("got document %+v", d)
	}
}

func TestPDFCIDFonts(t *testing.T) {
	const line5 = "二、2023年全省城镇新增就业68.5万人，城镇调查失业率控制在5.5%以内。"
	t.Run("a CID font with a ToUnicode map gives its text", func(t *testing.T) {
		x, err := Extract("cid.pdf", readFixture(t, "pdf/cid.pdf"), DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(x.Text, line5) || !strings.HasPrefix(x.Text, "关于进一步做好稳就业工作的通知\n") {
			t.Errorf("got %q", x.Text)
		}
		if len(x.Warnings) != 0 || x.OCR {
			t.Errorf("got warnings %q, OCR %v; want none", x.Warnings, x.OCR)
		}
	})
	t.Run("text drawn through a form XObject is read", func(t *testing.T) {
		x, err := Extract("xobject.pdf", readFixture(t, "pdf/xobject.pdf"), noOCR)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(x.Text, line5) || x.OCR {
			t.Errorf("got OCR %v, text %q", x.OCR, x.Text)
		}
	})
	t.Run("without its ToUnicode map and without OCR, the only page is refused", func(t *testing.T) {
		x, err := Extract("cid-notounicode.pdf", readFixture(t, "pdf/cid-notounicode.pdf"), noOCR)
		if !errors.Is(err, ErrNoTextLayer) {
			t.Fatalf("got %v (text %q), want ErrNoTextLayer", err, textOf(x))
		}
		for _, want := range []string{"page 1: text could not be recovered", "ingest.disable_ocr"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("got %q, want it to say %q", err, want)
			}
		}
	})
	t.Run("without its ToUnicode map, an unreadable page is left out with a warning", func(t *testing.T) {
		x, err := Extract("mixed.pdf", readFixture(t, "pdf/mixed.pdf"), noOCR)
		if err != nil {
			t.Fatal(err)
		}
		if len(x.Pages) != 2 || x.Pages[1] != len(x.Text) {
			t.Errorf("got page starts %v for %d bytes, want page 2 empty at the end", x.Pages, len(x.Text))
		}
		if !strings.Contains(x.Text, line5) || strings.Count(x.Text, "稳就业") != 2 {
			t.Errorf("got %q, want page 1's text once", x.Text)
		}
		if len(x.Warnings) != 1 || !strings.HasPrefix(x.Warnings[0], "page 2: text could not be recovered") {
			t.Errorf("got warnings %q, want one naming page 2", x.Warnings)
		}
	})
	t.Run("without its ToUnicode map, OCR recovers the page when installed", func(t *testing.T) {
		if !ocrAvailable() {
			t.Skip("OCR not installed: apt-get install tesseract-ocr tesseract-ocr-chi-sim poppler-utils")
		}
		x, err := Extract("cid-notounicode.pdf", readFixture(t, "pdf/cid-notounicode.pdf"), DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		if !x.OCR || !strings.Contains(x.Text, "城镇调查失业率") {
			t.Errorf("got OCR %v, text %q", x.OCR, x.Text)
		}
	})
}

func textOf(x *Extracted) string {
	if x == nil {
		return ""
	}
	return x.Text
}

func TestScanWithoutTesseractSaysHowToInstallIt(t *testing.T) {
	if ocrAvailable() {
		t.Skip("tesseract with chi_sim is installed here")
	}
	_, err := Extract("scanned.pdf", readFixture(t, "pdf/scanned.pdf"), DefaultLimits)
	if !errors.Is(err, ErrNoTextLayer) || !strings.Contains(err.Error(), "install tesseract-ocr and tesseract-ocr-chi-sim") {
		t.Errorf("got %v, want ErrNoTextLayer saying how to install tesseract", err)
	}
}

func TestPDFBadFiles(t *testing.T) {
	gov := readFixture(t, "pdf/gov.pdf")
	for _, tc := range []struct {
		name string
		raw  []byte
		lim  Limits
		want error
		says string
	}{
		{"a truncated PDF is damaged", readFixture(t, "pdf/truncated.pdf"), noOCR, ErrDamaged, ""},
		{"a binary file named .pdf is damaged", readFixture(t, "pdf/binary.pdf"), noOCR, ErrDamaged, "not a PDF"},
		{"an empty file is damaged", nil, noOCR, ErrDamaged, ""},
		{"a PDF header with nothing after it is damaged", []byte("%PDF-1.7\n%%EOF\n"), noOCR, ErrDamaged, ""},
		{"a password-protected PDF is encrypted", readFixture(t, "pdf/encrypted.pdf"), noOCR, ErrEncrypted, "password"},
		{"a scan with OCR turned off has no text layer", readFixture(t, "pdf/scanned.pdf"), noOCR, ErrNoTextLayer, "OCR needed: it is turned off (ingest.disable_ocr)"},
		{"text over the limit is too large", gov, Limits{MaxExtracted: 1000}, ErrTooLarge, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x, err := Extract("bad.pdf", tc.raw, tc.lim)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v (text %q), want %v", err, textOf(x), tc.want)
			}
			if !strings.Contains(err.Error(), tc.says) || !strings.HasPrefix(err.Error(), "bad.pdf: ") {
				t.Errorf("got %q, want the file name and %q", err, tc.says)
			}
		})
	}
}

func TestPDFRestrictedButOpenWithoutPassword(t *testing.T) {
	if _, err := exec.LookPath("qpdf"); err != nil {
		t.Skip("qpdf not installed: AES-256 files are read only through it (apt-get install qpdf)")
	}
	x, err := Extract("owner-only.pdf", readFixture(t, "pdf/owner-only.pdf"), noOCR)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(x.Text, "城镇调查失业率控制在5.5%以内") {
		t.Errorf("got %q", x.Text)
	}
}

func TestPDFEncryptedWithoutQPDF(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := Extract("encrypted.pdf", readFixture(t, "pdf/encrypted.pdf"), noOCR)
	if !errors.Is(err, ErrEncrypted) {
		t.Errorf("got %v, want ErrEncrypted", err)
	}
}

func TestPDFScanIsRecognizedWhenOCRIsInstalled(t *testing.T) {
	if !ocrAvailable() {
		t.Skip("OCR not installed: apt-get install tesseract-ocr tesseract-ocr-chi-sim poppler-utils (the scan's refusal is tested in TestPDFBadFiles)")
	}
	f, err := Parse("scanned.pdf", readFixture(t, "pdf/scanned.pdf"), DefaultChunkOptions)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Documents) != 1 || !f.Documents[0].OCR {
		t.Fatalf("got documents %+v, want one marked OCR", f.Documents)
	}
	c := chunkWith(t, f, "1500元")
	if c.Page != 1 {
		t.Errorf("got page %d, want 1", c.Page)
	}
	if !strings.Contains(strings.Join(f.Warnings, "\n"), "page 1: text recognized by OCR") {
		t.Errorf("got warnings %q", f.Warnings)
	}
}

func TestPageNumberLines(t *testing.T) {
	for _, tc := range []struct {
		line string
		want bool
	}{
		{"- 3 -", true},
		{"— 12 —", true},
		{"－3－", true},
		{"第3页", true},
		{"第 3 页 共 10 页", true},
		{"3/10", true},
		{"7", true},
		{"- 1 - 第1页", true},
		{"Page 2 of 9", true},
		{"2023年新增就业岗位3.2万个", false},
		{"第三章 总则", false},
		{"一、总体要求", false},
	} {
		if got := rePageNumber.MatchString(tc.line); got != tc.want {
			t.Errorf("%q: got %v, want %v", tc.line, got, tc.want)
		}
	}
}

func TestUnreadableText(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       bool
	}{
		{"Chinese prose is readable", "为深入贯彻落实党中央、国务院决策部署，全力做好稳就业工作。", false},
		{"a table of figures is readable", "2023 68.5 5.5% 1500 3.2", false},
		{"Chinese with one stray control character is readable", "为深入贯彻落实党中央、国务院决策部署\x01，全力做好稳就业工作。", false},
		{"glyph ids read as control characters are not", "\x01\x02\x03\x04\x05\x06\a\b\x0e\x0f\x10\x11\x12\x13\x14\x15", true},
		{"replacement characters are not", "\ufffd\ufffd\ufffd\ufffd\ufffd˘ˇˆ˙\ufffd\ufffd", true},
		{"private-use code points are not", "\ue001\ue002\ue003\ue004\ue005\ue006", true},
		{"ASCII symbols with no Chinese are not", "!\"#$%&'()*+,-./:;<=>?@A[]^_`{|}", true},
		{"byte codes read as Latin-1 are not (found by FuzzPDF)", "N$W2Î#ƒ@Ý:3h'j&80p:S#Â\n#`Æ2±$(6Ü:Ç31343@:|-j0ý\"æ1c$ˇ4/3\"Ó\"ö¢I,ıj`Ï<±-ý\"æHS8s'+ô6/6&#±&Q¢I&42Î0ý", true},
		{"an English sentence is readable", "The State Council issued the plan in 2023.", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := unreadable(tc.text) != ""; got != tc.want {
				t.Errorf("got unreadable %v (%q), want %v", got, unreadable(tc.text), tc.want)
			}
		})
	}
}

func FuzzPDF(f *testing.F) {
	for _, name := range []string{"gov.pdf", "cid.pdf", "cid-notounicode.pdf", "truncated.pdf", "encrypted.pdf", "scanned.pdf", "xobject.pdf", "columns.pdf"} {
		f.Add(readFixture(f, "pdf/"+name))
	}
	f.Add(handPDF(chineseFont("STSong-Light", "GBK-EUC-H", "GB1"), "BT /F1 12 Tf 72 720 Td <b6fe> Tj 0 -18 Td <32303233c4ea> Tj ET"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		x, err := extractPDF(raw, Limits{MaxExtracted: 1 << 20, NoOCR: true})
		if err != nil {
			if !errors.Is(err, ErrDamaged) && !errors.Is(err, ErrEncrypted) && !errors.Is(err, ErrNoTextLayer) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("error of no class: %v", err)
			}
			return
		}
		checkExtracted(t, x)
	})
}

// checkExtracted checks what every extraction promises.
func checkExtracted(t *testing.T, x *Extracted) {
	t.Helper()
	if !utf8.ValidString(x.Text) {
		t.Fatalf("text is not UTF-8")
	}
	prev := 0
	for i, p := range x.Pages {
		if p < prev || p > len(x.Text) || i == 0 && p != 0 {
			t.Fatalf("page starts %v out of order for %d bytes", x.Pages, len(x.Text))
		}
		prev = p
	}
	if why := unreadable(x.Text); why != "" {
		t.Fatalf("text is unreadable (%s): %q", why, x.Text)
	}
}

func BenchmarkExtractPDF(b *testing.B) {
	raw := readFixture(b, "pdf/gov.pdf")
	x, err := Extract("gov.pdf", raw, DefaultLimits)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := Extract("gov.pdf", raw, DefaultLimits); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(x.Pages)*b.N)/b.Elapsed().Seconds(), "pages/s")
}

func TestLayoutLines(t *testing.T) {
	run := func(x, y float64, s string) []glyph {
		var gs []glyph
		for _, r := range s {
			gs = append(gs, glyph{x: x, y: y, w: 10, size: 10, s: string(r)})
			x += 10
		}
		return gs
	}
	for _, tc := range []struct {
		name string
		gs   []glyph
		want string
	}{
		{"lines run top to bottom, glyphs left to right",
			append(append(run(60, 20, "第二行"), run(0, 20, "这是")...), run(0, 0, "第一行")...), "第一行|这是 第二行"},
		{"a glyph drawn again on itself is faux bold, read once",
			append(run(0, 0, "标题"), run(0.5, 0.2, "标题")...), "标题"},
		{"a character repeated side by side stays", run(0, 0, "人人"), "人人"},
		{"glyphs positioned only at their run's start keep content order",
			[]glyph{{x: 5, size: 10, s: "二"}, {x: 5, size: 10, s: "、"}, {x: 5, size: 10, s: "6"}, {x: 5, size: 10, s: "8"}}, "二、68"},
		{"a line whose glyphs map to nothing is left out",
			append(run(0, 0, "\x01\x02\x03\x04"), run(0, 20, "正文")...), "|正文"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, l := range layoutLines(tc.gs) {
				got = append(got, l.text)
			}
			if g := strings.Join(got, "|"); g != tc.want {
				t.Errorf("got %q, want %q", g, tc.want)
			}
		})
	}
}

// handPDF writes a one-page PDF whose font F1 is fontDict and whose page
// content is content.
func handPDF(fontDict, content string) []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		fontDict,
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// chineseFont is a non-embedded Type0 font with a predefined CMap, as older
// Chinese tools wrote them (no ToUnicode: the codes are the text).
func chineseFont(base, cmap, ordering string) string {
	return fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /%[1]s /Encoding /%[2]s /DescendantFonts [<< /Type /Font "+
		"/Subtype /CIDFontType0 /BaseFont /%[1]s /CIDSystemInfo << /Registry (Adobe) /Ordering (%[3]s) /Supplement 4 >> "+
		"/FontDescriptor << /Type /FontDescriptor /FontName /%[1]s /Flags 6 /FontBBox [0 -200 1000 900] /ItalicAngle 0 "+
		"/Ascent 880 /Descent -120 /CapHeight 880 /StemV 80 >> >>] >>", base, cmap, ordering)
}

func TestPDFPredefinedChineseCMaps(t *testing.T) {
	gbk := func(s string) string {
		b, _ := simplifiedchinese.GBK.NewEncoder().String(s)
		return hex.EncodeToString([]byte(b))
	}
	big5 := func(s string) string {
		b, _ := traditionalchinese.Big5.NewEncoder().String(s)
		return hex.EncodeToString([]byte(b))
	}
	ucs2 := func(s string) string {
		var b []byte
		for _, u := range utf16.Encode([]rune(s)) {
			b = append(b, byte(u>>8), byte(u))
		}
		return hex.EncodeToString(b)
	}
	const l1, l2 = "二、2023年全省城镇新增就业68.5万人，", "城镇调查失业率控制在5.5%以内。"
	for _, tc := range []struct {
		name, font, hex1, hex2, want string
	}{
		{"GBK-EUC-H codes are GBK text", chineseFont("STSong-Light", "GBK-EUC-H", "GB1"), gbk(l1), gbk(l2), l1 + l2},
		{"UniGB-UCS2-H codes are UTF-16 text", chineseFont("STSong-Light", "UniGB-UCS2-H", "GB1"), ucs2(l1), ucs2(l2), l1 + l2},
		{"ETen-B5-H codes are Big5 text", chineseFont("MSung-Light", "ETen-B5-H", "CNS1"), big5("二、臺灣省城鎮新增就業68.5萬人，"), big5("城鎮調查失業率控制在5.5%以內。"),
			"二、臺灣省城鎮新增就業68.5萬人，城鎮調查失業率控制在5.5%以內。"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			content := fmt.Sprintf("BT /F1 12 Tf 72 720 Td <%s> Tj 0 -18 Td <%s> Tj ET", tc.hex1, tc.hex2)
			x, err := Extract("t.pdf", handPDF(tc.font, content), DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.ReplaceAll(x.Text, "\n", ""); got != tc.want {
				t.Errorf("got %q, want %q", x.Text, tc.want)
			}
		})
	}
}

func TestDropFurniture(t *testing.T) {
	page := func(top, bottom string, body ...string) []textLine {
		var ls []textLine
		for _, s := range append(append([]string{top}, body...), bottom) {
			if s != "" {
				ls = append(ls, textLine{text: s})
			}
		}
		return ls
	}
	body := func(p int) []string {
		w := strings.Repeat("丙", p)
		return []string{"甲" + w, "乙" + w, "丁" + w, "戊" + w}
	}
	texts := func(pages [][]textLine) string {
		var out []string
		for _, ls := range pages {
			var t []string
			for _, l := range ls {
				t = append(t, l.text)
			}
			out = append(out, strings.Join(t, "/"))
		}
		return strings.Join(out, " | ")
	}
	for _, tc := range []struct {
		name  string
		pages [][]textLine
		want  string
	}{
		{"a header on every page and page numbers go",
			[][]textLine{page("某市人民政府文件", "- 1 -", body(1)...), page("某市人民政府文件", "- 2 -", body(2)...), page("某市人民政府文件", "- 3 -", body(3)...)},
			"甲丙/乙丙/丁丙/戊丙 | 甲丙丙/乙丙丙/丁丙丙/戊丙丙 | 甲丙丙丙/乙丙丙丙/丁丙丙丙/戊丙丙丙"},
		{"left and right pages' own headers go",
			[][]textLine{page("政府工作报告", "", body(1)...), page("第一章 总体要求", "", body(2)...), page("政府工作报告", "", body(3)...), page("第一章 总体要求", "", body(4)...)},
			"甲丙/乙丙/丁丙/戊丙 | 甲丙丙/乙丙丙/丁丙丙/戊丙丙 | 甲丙丙丙/乙丙丙丙/丁丙丙丙/戊丙丙丙 | 甲丙丙丙丙/乙丙丙丙丙/丁丙丙丙丙/戊丙丙丙丙"},
		{"a title on one page only stays",
			[][]textLine{page("关于印发方案的通知", "", body(1)...), page("", "", body(2)...)},
			"关于印发方案的通知/甲丙/乙丙/丁丙/戊丙 | 甲丙丙/乙丙丙/丁丙丙/戊丙丙"},
		{"short pages alike are not furniture",
			[][]textLine{page("表一", "合计"), page("表一", "合计")},
			"表一/合计 | 表一/合计"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dropFurniture(tc.pages)
			if got := texts(tc.pages); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestPDFCyclicPageTreeEnds(t *testing.T) {
	// The page tree's root lists itself as its kids, twice.
	raw := []byte("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" +
		"2 0 obj\n<< /Type /Pages /Kids [2 0 R 2 0 R] /Count 1000000 >>\nendobj\n")
	xref := len(raw)
	raw = append(raw, fmt.Sprintf("xref\n0 3\n0000000000 65535 f \n%010d 00000 n \n%010d 00000 n \ntrailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n",
		9, bytes.Index(raw, []byte("2 0 obj")), xref)...)
	_, err := Extract("cycle.pdf", raw, DefaultLimits)
	if !errors.Is(err, ErrDamaged) {
		t.Errorf("got %v, want ErrDamaged", err)
	}
}
