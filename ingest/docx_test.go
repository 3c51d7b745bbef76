package ingest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"hash/crc32"
	"io"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"policybot/internal/gen/officegen"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile("testdata/formats/" + name)
	if err != nil {
		t.Fatalf("read fixture (regenerate with ingest/testdata/formats/make.sh): %v", err)
	}
	return raw
}

func extractText(t *testing.T, name string, raw []byte) *Extracted {
	t.Helper()
	x, err := Extract(name, raw, DefaultLimits)
	if err != nil {
		t.Fatalf("Extract(%s): %v", name, err)
	}
	return x
}

func TestTheDOCXFixtureMatchesItsGoldenText(t *testing.T) {
	x := extractText(t, "notice.docx", readFixture(t, "notice.docx"))
	checkGolden(t, "formats/notice.docx.golden", x.Text)
}

func TestALibreOfficeMadeDOCXShowsItsOutlineNumbering(t *testing.T) {
	// notice-lo.docx: LibreOffice's export of src/notice-lo.fodt, whose
	// headings are numbered by the outline (taiwaneseCountingThousand
	// levels linked to the heading styles through w:lvl/w:pStyle).
	x := extractText(t, "notice-lo.docx", readFixture(t, "notice-lo.docx"))
	checkGolden(t, "formats/notice-lo.docx.golden", x.Text)
	for _, s := range []string{"一、工作目标\n", "（二）加强水质检测\n1.完善检测网络。\n2.定期公布水质。\n二、重点任务\n（一）实施水源保护\n", "指标：千吨万人供水工程，2023年：38处，2024年目标：41处。\n", "三、保障措施\n1.压实属地责任。"} {
		if !strings.Contains(x.Text, s) {
			t.Errorf("text lacks %q", s)
		}
	}
	for _, s := range []string{"页眉", "页脚", "脚注"} {
		if strings.Contains(x.Text, s) {
			t.Errorf("text holds %q", s)
		}
	}
	if x.Title != "关于印发《临溪市2024年农村供水保障工作方案》的通知" {
		t.Errorf("got title %q", x.Title)
	}
}

func TestWordNumberFormatsRenderAsWordShowsThem(t *testing.T) {
	tests := []struct {
		n    int
		fmt  string
		want string
	}{
		{1, "chineseCounting", "一"},
		{10, "chineseCounting", "十"},
		{11, "chineseCounting", "十一"},
		{20, "chineseCounting", "二十"},
		{35, "chineseCounting", "三十五"},
		{101, "chineseCountingThousand", "一百零一"},
		{1010, "chineseCountingThousand", "一千零一十"},
		{110, "chineseCountingThousand", "一百一十"},
		{3, "chineseLegalSimplified", "叁"},
		{1, "ideographTraditional", "甲"},
		{10, "ideographTraditional", "癸"},
		{11, "ideographTraditional", "甲"},
		{1, "decimal", "1"},
		{12, "decimal", "12"},
		{3, "decimalZero", "03"},
		{1, "upperLetter", "A"},
		{27, "upperLetter", "AA"},
		{2, "lowerLetter", "b"},
		{4, "upperRoman", "IV"},
		{9, "lowerRoman", "ix"},
		{1, "decimalEnclosedCircle", "①"},
		{20, "decimalEnclosedCircle", "⑳"},
		{21, "decimalEnclosedCircle", "㉑"},
		{2, "decimalEnclosedParen", "⑵"},
		{5, "decimalFullWidth", "５"},
		{305, "ideographDigital", "三〇五"},
		{12, "taiwaneseCountingThousand", "十二"},
		{7, "someFormatWordAddsLater", "7"},
	}
	for _, tt := range tests {
		t.Run(tt.fmt+" shows "+tt.want, func(t *testing.T) {
			if got := formatNumber(tt.n, tt.fmt); got != tt.want {
				t.Errorf("formatNumber(%d, %s): got %q, want %q", tt.n, tt.fmt, got, tt.want)
			}
		})
	}
}

// lines extracts a generated document and returns its lines.
func docLines(t *testing.T, d *officegen.Doc) []string {
	t.Helper()
	x := extractText(t, "x.docx", d.DOCX())
	return strings.Split(strings.TrimSuffix(x.Text, "\n"), "\n")
}

func TestNumberingIsRenderedInFrontOfParagraphs(t *testing.T) {
	p := func(style string, num, lvl int, text string) officegen.Para {
		return officegen.Para{Style: style, NumID: num, Ilvl: lvl, Text: text}
	}
	tests := []struct {
		name      string
		numbering string
		blocks    []any
		want      []string
	}{
		{
			name: "heading styles linked to a multilevel list show 一、 （一） 1. and restart the lower levels",
			blocks: []any{
				p("1", 0, 0, "总体要求"), p("2", 0, 0, "指导思想"), p("2", 0, 0, "目标任务"), p("3", 0, 0, "稳面积"), p("3", 0, 0, "增单产"),
				p("1", 0, 0, "重点工作"), p("2", 0, 0, "耕地保护"), p("3", 0, 0, "建农田"),
			},
			want: []string{"一、总体要求", "（一）指导思想", "（二）目标任务", "1. 稳面积", "2. 增单产", "二、重点工作", "（一）耕地保护", "1. 建农田"},
		},
		{
			name:   "two paragraphs of one list continue its count and a num with a startOverride restarts it",
			blocks: []any{p("", 2, 0, "甲"), p("", 2, 0, "乙"), p("", 3, 0, "丙"), p("", 3, 0, "丁"), p("", 3, 0, "戊"), p("", 2, 0, "己")},
			want:   []string{"1. 甲", "2. 乙", "1. 丙", "2. 丁", "3. 戊", "3. 己"},
		},
		{
			name: "the ten heavenly stems, enclosed circles and letters render their own way",
			numbering: officegen.Numbering(
				officegen.Abstract(0, officegen.Level{Fmt: "ideographTraditional", Text: "%1、"},
					officegen.Level{Fmt: "decimalEnclosedCircle", Text: "%2"},
					officegen.Level{Fmt: "upperLetter", Text: "%3)"}),
				officegen.Num(1, 0, nil)),
			blocks: []any{p("", 1, 0, "一项"), p("", 1, 1, "细目"), p("", 1, 1, "细目"), p("", 1, 2, "字母"), p("", 1, 0, "二项"), p("", 1, 1, "细目")},
			want:   []string{"甲、一项", "① 细目", "② 细目", "A) 字母", "乙、二项", "① 细目"},
		},
		{
			name: "a level that refers to its parents shows them all (1.1, 1.2, 2.1)",
			numbering: officegen.Numbering(
				officegen.Abstract(0, officegen.Level{Fmt: "decimal", Text: "%1."}, officegen.Level{Fmt: "decimal", Text: "%1.%2"}),
				officegen.Num(1, 0, nil)),
			blocks: []any{p("", 1, 0, "总则"), p("", 1, 1, "目的"), p("", 1, 1, "依据"), p("", 1, 0, "分则"), p("", 1, 1, "范围")},
			want:   []string{"1. 总则", "1.1 目的", "1.2 依据", "2. 分则", "2.1 范围"},
		},
		{
			name: "a level with lvlRestart 1 restarts only after level 1 is used, and a start value counts from there",
			numbering: officegen.Numbering(
				officegen.Abstract(0, officegen.Level{Fmt: "chineseCounting", Text: "第%1章"},
					officegen.Level{Fmt: "chineseCounting", Text: "第%2条", Restart: 1, Start: 3}),
				officegen.Num(1, 0, nil)),
			blocks: []any{p("", 1, 0, "总则"), p("", 1, 1, "甲"), p("", 1, 1, "乙"), p("", 1, 0, "附则"), p("", 1, 1, "丙")},
			want:   []string{"第一章 总则", "第三条 甲", "第四条 乙", "第二章 附则", "第三条 丙"},
		},
		{
			name: "two nums of one abstract definition continue one count",
			numbering: officegen.Numbering(
				officegen.Abstract(0, officegen.Level{Fmt: "decimal", Text: "%1."}),
				officegen.Num(1, 0, nil), officegen.Num(2, 0, nil)),
			blocks: []any{p("", 1, 0, "甲"), p("", 1, 0, "乙"), p("", 2, 0, "丙")},
			want:   []string{"1. 甲", "2. 乙", "3. 丙"},
		},
		{
			name:   "a paragraph with numId 0 drops its style's numbering",
			blocks: []any{p("1", 0, 0, "总则"), p("1", -1, 0, "未编号的标题")},
			want:   []string{"一、总则", "未编号的标题"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			blocks := tt.blocks
			for i, b := range blocks {
				if pp, ok := b.(officegen.Para); ok && pp.NumID == -1 {
					pp.NumID = 0
					blocks[i] = pp
				}
			}
			d := &officegen.Doc{Blocks: blocks, Numbering: tt.numbering}
			raw := d.DOCX()
			if strings.Contains(tt.name, "numId 0") {
				// Word writes <w:numId w:val="0"/> to switch a style's list off.
				raw = rewriteMember(t, raw, "word/document.xml", func(s string) string {
					i := strings.LastIndex(s, `<w:pStyle w:val="1"/>`)
					return s[:i] + `<w:pStyle w:val="1"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>` + s[i+len(`<w:pStyle w:val="1"/>`):]
				})
			}
			x := extractText(t, "x.docx", raw)
			got := strings.Split(strings.TrimSuffix(x.Text, "\n"), "\n")
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got lines\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

// rewriteMember returns a copy of a zip with one member's text changed.
func rewriteMember(t testing.TB, raw []byte, name string, fn func(string) string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		if f.Name == name {
			b = []byte(fn(string(b)))
		}
		w, _ := zw.Create(f.Name)
		w.Write(b)
	}
	zw.Close()
	return buf.Bytes()
}

func TestWordTablesAreReadRowByRowWithTheirHeaders(t *testing.T) {
	tests := []struct {
		name  string
		table officegen.Table
		want  []string
	}{
		{
			name:  "each cell is prefixed by its column's header",
			table: officegen.Table{{"指标", "2018年", "增长"}, {"地区生产总值", "641.8亿元", "8.0%"}},
			want:  []string{"指标：地区生产总值，2018年：641.8亿元，增长：8.0%。"},
		},
		{
			name:  "a cell merged down repeats the value above so each row stands alone",
			table: officegen.Table{{"乡镇", "作物", "面积"}, {"^乔庄镇", "水稻", "1.2万亩"}, {"<<", "玉米", "2.3万亩"}},
			want:  []string{"乡镇：乔庄镇，作物：水稻，面积：1.2万亩。", "乡镇：乔庄镇，作物：玉米，面积：2.3万亩。"},
		},
		{
			name:  "a title row across the table stands on its own line",
			table: officegen.Table{{"表1 粮食生产情况", ">>", ">>"}, {"指标", "2023年", "增长"}, {"产量", "58.6万吨", "1.2%"}},
			want:  []string{"表1 粮食生产情况", "指标：产量，2023年：58.6万吨，增长：1.2%。"},
		},
		{
			name:  "empty cells are left out",
			table: officegen.Table{{"项目", "金额", "备注"}, {"补贴", "120元/亩", ""}},
			want:  []string{"项目：补贴，金额：120元/亩。"},
		},
		{
			name:  "a one-column table is read as lines",
			table: officegen.Table{{"附件清单"}, {"任务分解表"}},
			want:  []string{"附件清单", "任务分解表"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := docLines(t, &officegen.Doc{Blocks: []any{tt.table}})
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got lines\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestDOCXLeavesOutHeadersFootersAndFootnotes(t *testing.T) {
	x := extractText(t, "notice.docx", readFixture(t, "notice.docx"))
	for _, s := range []string{"页眉页脚不应出现", "办公室文件", "脚注文字", "PAGE", "MERGEFORMAT"} {
		t.Run("the text holds no "+s, func(t *testing.T) {
			if strings.Contains(x.Text, s) {
				t.Errorf("extracted text holds %q:\n%s", s, x.Text)
			}
		})
	}
	t.Run("the body paragraph that carries the footnote reference is kept", func(t *testing.T) {
		if !strings.Contains(x.Text, "现印发给你们，请认真贯彻执行。\n") {
			t.Errorf("body paragraph missing:\n%s", x.Text)
		}
	})
}

func TestDOCXTitleComesFromCorePropertiesOnlyWhenItIsATitle(t *testing.T) {
	tests := []struct{ title, want string }{
		{"关于印发《青川县2024年粮食生产工作方案》的通知", "关于印发《青川县2024年粮食生产工作方案》的通知"},
		{"Microsoft Word - 青川县方案.doc", ""},
		{"", ""},
		{"Document", ""},
		{"新建 Microsoft Word 文档.docx", ""},
		{"文档", ""},
	}
	for _, tt := range tests {
		t.Run("dc:title "+strings.TrimSpace(tt.title+" ")+"gives "+tt.want, func(t *testing.T) {
			d := &officegen.Doc{Title: tt.title, Blocks: []any{officegen.Para{Text: "正文"}}}
			if got := extractText(t, "x.docx", d.DOCX()).Title; got != tt.want {
				t.Errorf("got title %q, want %q", got, tt.want)
			}
		})
	}
}

func TestBadDOCXFilesAreRejectedWithTheirReason(t *testing.T) {
	good := readFixture(t, "notice.docx")
	cfb := append(append([]byte{}, cfbMagic...), make([]byte, 504)...)
	encrypted := append(append([]byte{}, cfb...), encryptedPackage...)
	cutXML := rewriteMember(t, good, "word/document.xml", func(s string) string { return s[:len(s)/2] })
	noDoc := rewriteMember(t, good, "word/document.xml", func(s string) string { return s })
	noDoc = bytes.Replace(noDoc, []byte("word/document.xml"), []byte("word/documenX.xml"), -1)
	tests := []struct {
		name string
		raw  []byte
		want error
	}{
		{"a text file named .docx is damaged", []byte("这不是一个Word文件，只是文本。"), ErrDamaged},
		{"an empty file is damaged", nil, ErrDamaged},
		{"a docx cut in half is damaged", good[:len(good)/2], ErrDamaged},
		{"a docx whose document.xml is cut short is damaged", cutXML, ErrDamaged},
		{"a zip with no document.xml is damaged", noDoc, ErrDamaged},
		{"an old .doc named .docx is damaged", cfb, ErrDamaged},
		{"a password-protected docx is encrypted", encrypted, ErrEncrypted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Extract("x.docx", tt.raw, DefaultLimits)
			if !errors.Is(err, tt.want) {
				t.Errorf("got error %v, want %v", err, tt.want)
			}
		})
	}
}

// zipBomb is a .docx whose document.xml inflates to size bytes of one
// paragraph. With claim > 0 the zip headers claim that size instead, so
// the header check passes and the limited reader must stop it.
func zipBomb(t testing.TB, size, claim int64) []byte {
	t.Helper()
	var body bytes.Buffer
	fw, _ := flate.NewWriter(&body, flate.BestSpeed)
	head := `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>`
	fw.Write([]byte(head))
	crc := crc32.NewIEEE()
	crc.Write([]byte(head))
	chunk := bytes.Repeat([]byte("炸"), 1<<18) // 768 KB
	n := int64(len(head))
	for n < size {
		fw.Write(chunk)
		crc.Write(chunk)
		n += int64(len(chunk))
	}
	fw.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	declared := uint64(n)
	if claim > 0 {
		declared = uint64(claim)
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "word/document.xml", Method: zip.Deflate, CRC32: crc.Sum32(),
		CompressedSize64: uint64(body.Len()), UncompressedSize64: declared, Modified: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(body.Bytes())
	zw.Close()
	return buf.Bytes()
}

func TestAZipBombNamedDOCXIsRejectedQuickly(t *testing.T) {
	lim := Limits{MaxExtracted: 4 << 20}
	tests := []struct {
		name string
		lie  bool
		want error
	}{
		{"a bomb that declares its size is too large before it is inflated", false, ErrTooLarge},
		{"a bomb whose header claims the limit is stopped by the limited reader", true, ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			claim := int64(0)
			if tt.lie {
				claim = lim.MaxExtracted
			}
			raw := zipBomb(t, 64<<20, claim)
			start := time.Now()
			_, err := Extract("bomb.docx", raw, lim)
			took := time.Since(start)
			if !errors.Is(err, tt.want) {
				t.Errorf("got error %v, want %v", err, tt.want)
			}
			if took > 2*time.Second {
				t.Errorf("rejection took %v", took)
			}
		})
	}
}

func TestAParsedDOCXHasHeadingPathsAndOffsetsIntoItsExtractedText(t *testing.T) {
	raw := readFixture(t, "notice.docx")
	f, err := Parse("x.docx", raw, DefaultChunkOptions)
	if err != nil {
		t.Fatal(err)
	}
	x := extractText(t, "x.docx", raw)
	t.Run("the document's title and date are read", func(t *testing.T) {
		if len(f.Documents) != 1 {
			t.Fatalf("got %d documents, want 1", len(f.Documents))
		}
		d := f.Documents[0]
		if !strings.Contains(d.Title, "粮食生产工作方案") {
			t.Errorf("got title %q", d.Title)
		}
		if d.Date != "2024-03-18" {
			t.Errorf("got date %q, want 2024-03-18", d.Date)
		}
	})
	t.Run("sections show Word's numbering as the heading path", func(t *testing.T) {
		var found bool
		for _, c := range f.Chunks {
			if strings.Contains(c.Section, "二、重点工作") && strings.Contains(c.Section, "（二）强化政策支持") {
				found = true
			}
		}
		if !found {
			for _, c := range f.Chunks {
				t.Logf("section %q: %.40s", c.Section, c.Text)
			}
			t.Error("no chunk under 二、重点工作 › （二）强化政策支持")
		}
	})
	t.Run("every chunk is its extracted text's bytes cleaned", func(t *testing.T) {
		for _, c := range f.Chunks {
			if c.Start < 0 || c.End > len(x.Text) || c.Start >= c.End {
				t.Fatalf("chunk %s has bad range [%d,%d)", c.ID, c.Start, c.End)
			}
			if got := CleanText(x.Text[c.Start:c.End]); squash(got) != squash(c.Text) {
				t.Errorf("chunk %s [%d,%d): cleaned bytes\n%q\nwant chunk text\n%q", c.ID, c.Start, c.End, got, c.Text)
			}
			if c.LineStart != 0 || c.Page != 0 {
				t.Errorf("chunk %s has lines %d or page %d; a docx has neither", c.ID, c.LineStart, c.Page)
			}
		}
	})
	t.Run("the table's figure is in a chunk with its headers", func(t *testing.T) {
		for _, c := range f.Chunks {
			if strings.Contains(c.Text, "2023年粮食产量，2022年：57.9万吨，2023年：58.6万吨") {
				return
			}
		}
		t.Error("no chunk holds the table row with 58.6万吨")
	})
}

func FuzzDOCX(f *testing.F) {
	f.Add(readFixture(f, "notice.docx"))
	f.Add(readFixture(f, "notice-lo.docx"))
	f.Add((&officegen.Doc{Blocks: []any{officegen.Table{{"a", "b"}, {"^1", "2"}, {"<<", ">>"}}}}).DOCX())
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		x, err := extractDOCX(raw, Limits{MaxExtracted: 1 << 20})
		if err != nil {
			if !errors.Is(err, ErrDamaged) && !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrEncrypted) {
				t.Fatalf("error of no known class: %v", err)
			}
			return
		}
		if !utf8.ValidString(x.Text) {
			t.Fatalf("text is not UTF-8")
		}
	})
}

// FuzzDOCXParts fuzzes the XML parts themselves, zipped without
// compression, so the mutations reach the XML readers (FuzzDOCX's mostly
// break the zip's checksums).
func FuzzDOCXParts(f *testing.F) {
	raw := readFixture(f, "notice.docx")
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		f.Fatal(err)
	}
	part := func(name string) []byte {
		for _, z := range zr.File {
			if z.Name == name {
				rc, _ := z.Open()
				b, _ := io.ReadAll(rc)
				rc.Close()
				return b
			}
		}
		f.Fatalf("no %s in the fixture", name)
		return nil
	}
	f.Add(part("word/document.xml"), part("word/styles.xml"), part("word/numbering.xml"))
	f.Add([]byte(`<w:document xmlns:w="w"><w:body><w:p><w:pPr><w:numPr><w:ilvl w:val="8"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>x</w:t></w:r></w:p></w:body></w:document>`),
		[]byte(`<w:styles xmlns:w="w"/>`),
		[]byte(`<w:numbering xmlns:w="w"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="8"><w:start w:val="2147483647"/><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%9%1%2"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>`))
	f.Fuzz(func(t *testing.T, document, styles, numbering []byte) {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, p := range []struct {
			name string
			b    []byte
		}{{"word/document.xml", document}, {"word/styles.xml", styles}, {"word/numbering.xml", numbering}} {
			w, _ := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Store})
			w.Write(p.b)
		}
		zw.Close()
		x, err := extractDOCX(buf.Bytes(), Limits{MaxExtracted: 1 << 20})
		if err != nil {
			if !errors.Is(err, ErrDamaged) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("error of no known class: %v", err)
			}
			return
		}
		if len(x.Text) > 64*(len(document)+len(numbering))+1024 {
			t.Fatalf("%d bytes of text from %d bytes of XML", len(x.Text), len(document)+len(numbering))
		}
	})
}

// BenchmarkZipBomb: a 1 GB document.xml under DefaultLimits (64 MB). An
// honest header is refused before inflating; a header claiming exactly the
// limit is the worst case: 64 MB are inflated before the reader stops.
func BenchmarkZipBomb(b *testing.B) {
	for _, c := range []struct {
		name  string
		claim int64
	}{{"honest header", 0}, {"header claims 4 KB", 4096}, {"header claims the limit", DefaultLimits.MaxExtracted}} {
		raw := zipBomb(b, 1<<30, c.claim)
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := Extract("bomb.docx", raw, DefaultLimits); err == nil {
					b.Fatal("bomb accepted")
				}
			}
		})
	}
}

func bigDOCX() []byte {
	d := officegen.Sample()
	var blocks []any
	for i := 0; i < 150; i++ {
		blocks = append(blocks, d.Blocks[4:]...)
	}
	d.Blocks = append(d.Blocks[:4], blocks...)
	return d.DOCX()
}

// BenchmarkExtractDOCX reports MB/s of the .docx file (deflated) and of
// its inflated document.xml (xml-MB/s, per CPU second: xml-cpu-MB/s).
func BenchmarkExtractDOCX(b *testing.B) {
	raw, xmlSize := bigDOCX(), float64(bigDOCXXML())
	c0 := cpuTime()
	benchFormat(b, len(raw), func() error {
		_, err := Extract("big.docx", raw, DefaultLimits)
		return err
	})
	cpu := (cpuTime() - c0).Seconds()
	b.ReportMetric(xmlSize*float64(b.N)/b.Elapsed().Seconds()/1e6, "xml-MB/s")
	b.ReportMetric(xmlSize*float64(b.N)/cpu/1e6, "xml-cpu-MB/s")
}

func bigDOCXXML() int {
	raw := bigDOCX()
	zr, _ := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			return int(f.UncompressedSize64)
		}
	}
	return 0
}

func BenchmarkParseDOCX(b *testing.B) {
	raw, xmlSize := bigDOCX(), float64(bigDOCXXML())
	c0 := cpuTime()
	benchFormat(b, len(raw), func() error {
		_, err := Parse("big.docx", raw, DefaultChunkOptions)
		return err
	})
	cpu := (cpuTime() - c0).Seconds()
	b.ReportMetric(xmlSize*float64(b.N)/b.Elapsed().Seconds()/1e6, "xml-MB/s")
	b.ReportMetric(xmlSize*float64(b.N)/cpu/1e6, "xml-cpu-MB/s")
}

func TestTextThatOutgrowsItsSourceStopsAtTheLimit(t *testing.T) {
	lim := Limits{MaxExtracted: 1 << 20}
	t.Run("a long numbering label on many paragraphs is too large", func(t *testing.T) {
		var blocks []any
		for i := 0; i < 2000; i++ {
			blocks = append(blocks, officegen.Para{NumID: 1, Text: "项"})
		}
		d := &officegen.Doc{Blocks: blocks, Numbering: officegen.Numbering(
			officegen.Abstract(0, officegen.Level{Fmt: "decimal", Text: strings.Repeat("很长的编号", 200) + "%1"}),
			officegen.Num(1, 0, nil))}
		if _, err := Extract("x.docx", d.DOCX(), lim); !errors.Is(err, ErrTooLarge) {
			t.Errorf("got error %v, want too large", err)
		}
	})
	t.Run("a table whose long header repeats on every row is too large", func(t *testing.T) {
		tb := officegen.Table{{strings.Repeat("表头", 2000), "值"}}
		for i := 0; i < 200; i++ {
			tb = append(tb, []string{"格", "1"})
		}
		if _, err := Extract("x.docx", (&officegen.Doc{Blocks: []any{tb}}).DOCX(), Limits{MaxExtracted: 1 << 20}); !errors.Is(err, ErrTooLarge) {
			t.Errorf("got error %v, want too large", err)
		}
	})
	t.Run("an html cell spanning many rows and columns is too large", func(t *testing.T) {
		page := `<table><tr><td>` + strings.Repeat("头", 190) + `</td><td>表头二</td></tr><tr><td colspan="64" rowspan="1000">` + strings.Repeat("长", 190) + `</td></tr>` + strings.Repeat("<tr></tr>", 999) + `</table>`
		if _, err := Extract("x.html", []byte(page), lim); !errors.Is(err, ErrTooLarge) {
			t.Errorf("got error %v, want too large", err)
		}
	})
}

func TestAHeadingStyleLinkedToAListLevelByTheLevelsPStyleIsNumbered(t *testing.T) {
	d := &officegen.Doc{Blocks: []any{
		officegen.Para{Style: "1", Text: "总体要求"}, officegen.Para{Style: "2", Text: "指导思想"}, officegen.Para{Style: "2", Text: "目标任务"},
	}}
	raw := rewriteMember(t, d.DOCX(), "word/styles.xml", func(s string) string {
		// Heading 2's numPr names the list only.
		return strings.Replace(s, `<w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr>`, `<w:numPr><w:numId w:val="1"/></w:numPr>`, 1)
	})
	raw = rewriteMember(t, raw, "word/numbering.xml", func(s string) string {
		s = strings.Replace(s, `<w:lvl w:ilvl="0" w:tplc="04090019"><w:start w:val="1"/>`, `<w:lvl w:ilvl="0" w:tplc="04090019"><w:start w:val="1"/><w:pStyle w:val="1"/>`, 1)
		return strings.Replace(s, `<w:lvl w:ilvl="1" w:tplc="04090019"><w:start w:val="1"/>`, `<w:lvl w:ilvl="1" w:tplc="04090019"><w:start w:val="1"/><w:pStyle w:val="2"/>`, 1)
	})
	x := extractText(t, "x.docx", raw)
	if want := "一、总体要求\n（一）指导思想\n（二）目标任务\n"; x.Text != want {
		t.Errorf("got %q, want %q", x.Text, want)
	}
}

func TestATableOfContentsIsLeftOut(t *testing.T) {
	d := &officegen.Doc{Blocks: []any{
		officegen.Para{Style: "TOCHeading", Text: "目录"},
		officegen.Para{Style: "11", Text: "一、总体要求 1"},
		officegen.Para{Style: "21", Text: "（一）指导思想 1"},
		officegen.Para{Style: "1", Text: "总体要求"},
		officegen.Para{Style: "2", Text: "指导思想"},
	}}
	raw := rewriteMember(t, d.DOCX(), "word/styles.xml", func(s string) string {
		return strings.Replace(s, `</w:styles>`, `<w:style w:type="paragraph" w:styleId="TOCHeading"><w:name w:val="TOC Heading"/><w:basedOn w:val="1"/></w:style>`+
			`<w:style w:type="paragraph" w:styleId="11"><w:name w:val="toc 1"/><w:basedOn w:val="a"/></w:style>`+
			`<w:style w:type="paragraph" w:styleId="21"><w:name w:val="toc 2"/><w:basedOn w:val="a"/></w:style></w:styles>`, 1)
	})
	if got, want := extractText(t, "x.docx", raw).Text, "一、总体要求\n（一）指导思想\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
