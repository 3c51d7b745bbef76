// Package officegen builds small .docx and .html files the way Word and
// Chinese government web sites write them, for ingest's fixtures, tests and
// benchmarks. The XML is what Word writes: w:pStyle, w:numPr, w:tbl, a
// numbering part with abstract definitions, headers, footers and footnotes
// in parts of their own.
package officegen

import (
	"archive/zip"
	"bytes"
	"fmt"
	"html"
	"strings"
	"time"
)

// Para is one Word paragraph. Style is a style id ("1" is Word's id for
// heading 1 in a Chinese Word); NumID 0 leaves it unnumbered unless its
// style is numbered.
type Para struct {
	Style string
	NumID int
	Ilvl  int
	Text  string
	// Footnote, when set, puts a footnote reference after the text with
	// this footnote text (in word/footnotes.xml).
	Footnote string
}

// Table is a Word table, rows of cells; a cell "<<" continues the cell
// above (vertical merge), a cell ">>" is covered by the one on its left
// (a grid span).
type Table [][]string

// Doc is a Word document.
type Doc struct {
	Title     string // docProps/core.xml dc:title
	Header    string // page header text
	Footer    string // page footer text (a PAGE field follows it)
	Blocks    []any  // Para or Table
	Numbering string // word/numbering.xml; DefaultNumbering when empty
}

const nsW = `xmlns:wpc="http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:w10="urn:schemas-microsoft-com:office:word" xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" mc:Ignorable="w14"`

const xmlHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n"

// Level is one level of a numbering definition.
type Level struct {
	Fmt, Text string
	Start     int
	Restart   int // w:lvlRestart; 0 leaves it out
}

// Abstract renders a w:abstractNum.
func Abstract(id int, levels ...Level) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, `<w:abstractNum w:abstractNumId="%d"><w:nsid w:val="1A2B3C%02X"/><w:multiLevelType w:val="multilevel"/><w:tmpl w:val="0409001F"/>`, id, id)
	for i, l := range levels {
		start := l.Start
		if start == 0 {
			start = 1
		}
		fmt.Fprintf(&sb, `<w:lvl w:ilvl="%d" w:tplc="04090019"><w:start w:val="%d"/><w:numFmt w:val="%s"/>`, i, start, l.Fmt)
		if l.Restart > 0 {
			fmt.Fprintf(&sb, `<w:lvlRestart w:val="%d"/>`, l.Restart)
		}
		fmt.Fprintf(&sb, `<w:lvlText w:val="%s"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="%d" w:hanging="420"/></w:pPr><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr></w:lvl>`, html.EscapeString(l.Text), 420*(i+1))
	}
	sb.WriteString(`</w:abstractNum>`)
	return sb.String()
}

// Num renders a w:num; starts, if given, are startOverride values by level.
func Num(id, abstract int, starts map[int]int) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, `<w:num w:numId="%d"><w:abstractNumId w:val="%d"/>`, id, abstract)
	for l, s := range starts {
		fmt.Fprintf(&sb, `<w:lvlOverride w:ilvl="%d"><w:startOverride w:val="%d"/></w:lvlOverride>`, l, s)
	}
	sb.WriteString(`</w:num>`)
	return sb.String()
}

// Numbering wraps abstract definitions and nums into word/numbering.xml.
func Numbering(parts ...string) string {
	return xmlHead + `<w:numbering ` + nsW + `>` + strings.Join(parts, "") + `</w:numbering>`
}

// DefaultNumbering is a Chinese official document's outline: 一、 （一） 1.
// （1） linked to heading 1–4 (numId 1), and a plain 1. list (numId 2; numId
// 3 is the same list restarted at 1).
var DefaultNumbering = Numbering(
	Abstract(0,
		Level{Fmt: "chineseCounting", Text: "%1、"},
		Level{Fmt: "chineseCounting", Text: "（%2）"},
		Level{Fmt: "decimal", Text: "%3."},
		Level{Fmt: "decimal", Text: "（%4）"}),
	Abstract(1, Level{Fmt: "decimal", Text: "%1."}),
	Num(1, 0, nil),
	Num(2, 1, nil),
	Num(3, 1, map[int]int{0: 1}),
)

const stylesXML = xmlHead + `<w:styles ` + nsW + `><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:asciiTheme="minorHAnsi" w:eastAsiaTheme="minorEastAsia"/><w:kern w:val="2"/><w:sz w:val="21"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault/></w:docDefaults>` +
	`<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/><w:qFormat/><w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/><w:next w:val="a"/><w:link w:val="10"/><w:uiPriority w:val="9"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:numPr><w:numId w:val="1"/></w:numPr><w:spacing w:before="340" w:after="330" w:line="578" w:lineRule="auto"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:bCs/><w:kern w:val="44"/><w:sz w:val="44"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/><w:basedOn w:val="a"/><w:next w:val="a"/><w:uiPriority w:val="9"/><w:unhideWhenUsed/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="3"><w:name w:val="heading 3"/><w:basedOn w:val="a"/><w:next w:val="a"/><w:qFormat/><w:pPr><w:numPr><w:ilvl w:val="2"/><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="2"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="a3"><w:name w:val="Title"/><w:basedOn w:val="a"/><w:next w:val="a"/><w:qFormat/><w:pPr><w:jc w:val="center"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="a5"><w:name w:val="header"/><w:basedOn w:val="a"/></w:style>` +
	`<w:style w:type="paragraph" w:styleId="a7"><w:name w:val="footer"/><w:basedOn w:val="a"/></w:style>` +
	`<w:style w:type="character" w:styleId="a9"><w:name w:val="footnote reference"/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>` +
	`<w:style w:type="table" w:default="1" w:styleId="a4"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/></w:tblPr></w:style>` +
	`</w:styles>`

func run(text string) string {
	return `<w:r><w:rPr><w:rFonts w:ascii="仿宋_GB2312" w:eastAsia="仿宋_GB2312" w:hint="eastAsia"/><w:sz w:val="32"/></w:rPr><w:t xml:space="preserve">` + html.EscapeString(text) + `</w:t></w:r>`
}

func para(p Para, fn *int, notes *[]string) string {
	var sb strings.Builder
	sb.WriteString(`<w:p w14:paraId="3F2A1B0C" w14:textId="77777777" w:rsidR="00A1B2C3" w:rsidRDefault="00A1B2C3"><w:pPr>`)
	if p.Style != "" {
		fmt.Fprintf(&sb, `<w:pStyle w:val="%s"/>`, p.Style)
	}
	if p.NumID != 0 {
		fmt.Fprintf(&sb, `<w:numPr><w:ilvl w:val="%d"/><w:numId w:val="%d"/></w:numPr>`, p.Ilvl, p.NumID)
	}
	sb.WriteString(`<w:ind w:firstLineChars="200" w:firstLine="640"/><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr></w:pPr>`)
	// Word splits text into runs at whim (spell check, revision ids).
	rs := []rune(p.Text)
	if len(rs) > 12 {
		sb.WriteString(run(string(rs[:5])))
		sb.WriteString(`<w:proofErr w:type="gramStart"/>`)
		sb.WriteString(run(string(rs[5:])))
	} else if len(rs) > 0 {
		sb.WriteString(run(p.Text))
	}
	if p.Footnote != "" {
		*fn++
		fmt.Fprintf(&sb, `<w:r><w:rPr><w:rStyle w:val="a9"/></w:rPr><w:footnoteReference w:id="%d"/></w:r>`, *fn)
		*notes = append(*notes, p.Footnote)
	}
	sb.WriteString(`</w:p>`)
	return sb.String()
}

func table(t Table) string {
	var sb strings.Builder
	cols := 0
	for _, r := range t {
		cols = max(cols, len(r))
	}
	sb.WriteString(`<w:tbl><w:tblPr><w:tblStyle w:val="a4"/><w:tblW w:w="0" w:type="auto"/><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="auto"/></w:tblBorders><w:tblLook w:val="04A0"/></w:tblPr><w:tblGrid>`)
	for i := 0; i < cols; i++ {
		sb.WriteString(`<w:gridCol w:w="2765"/>`)
	}
	sb.WriteString(`</w:tblGrid>`)
	for _, r := range t {
		sb.WriteString(`<w:tr w:rsidR="00A1B2C3"><w:trPr><w:jc w:val="center"/></w:trPr>`)
		for i := 0; i < len(r); i++ {
			c := r[i]
			if c == ">>" {
				continue
			}
			span := 1
			for i+span < len(r) && r[i+span] == ">>" {
				span++
			}
			sb.WriteString(`<w:tc><w:tcPr><w:tcW w:w="2765" w:type="dxa"/>`)
			if span > 1 {
				fmt.Fprintf(&sb, `<w:gridSpan w:val="%d"/>`, span)
			}
			switch {
			case c == "<<":
				sb.WriteString(`<w:vMerge/>`)
				c = ""
			case strings.HasPrefix(c, "^"):
				sb.WriteString(`<w:vMerge w:val="restart"/>`)
				c = c[1:]
			}
			sb.WriteString(`<w:vAlign w:val="center"/></w:tcPr>`)
			sb.WriteString(para(Para{Text: c}, new(int), new([]string)))
			sb.WriteString(`</w:tc>`)
		}
		sb.WriteString(`</w:tr>`)
	}
	sb.WriteString(`</w:tbl>`)
	return sb.String()
}

func hdrftr(tag, text string, page bool) string {
	var sb strings.Builder
	sb.WriteString(xmlHead + `<w:` + tag + ` ` + nsW + `><w:p><w:pPr><w:pStyle w:val="a5"/><w:jc w:val="center"/></w:pPr>`)
	sb.WriteString(run(text))
	if page {
		sb.WriteString(`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE   \* MERGEFORMAT </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>`)
	}
	sb.WriteString(`</w:p></w:` + tag + `>`)
	return sb.String()
}

// DocumentXML renders the main part's XML, and the footnotes it refers to.
func (d *Doc) DocumentXML() (string, []string) {
	var sb strings.Builder
	var notes []string
	fn := 0
	sb.WriteString(xmlHead + `<w:document ` + nsW + `><w:body>`)
	for _, b := range d.Blocks {
		switch b := b.(type) {
		case Para:
			sb.WriteString(para(b, &fn, &notes))
		case Table:
			sb.WriteString(table(b))
			sb.WriteString(`<w:p/>`)
		}
	}
	sb.WriteString(`<w:sectPr w:rsidR="00A1B2C3"><w:headerReference w:type="default" r:id="rId8"/><w:footerReference w:type="default" r:id="rId9"/><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="992" w:gutter="0"/><w:cols w:space="425"/><w:docGrid w:type="lines" w:linePitch="312"/></w:sectPr></w:body></w:document>`)
	return sb.String(), notes
}

// DOCX writes the document as a .docx file.
func (d *Doc) DOCX() []byte {
	doc, notes := d.DocumentXML()
	num := d.Numbering
	if num == "" {
		num = DefaultNumbering
	}
	var fns strings.Builder
	fns.WriteString(xmlHead + `<w:footnotes ` + nsW + `><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>`)
	for i, n := range notes {
		fmt.Fprintf(&fns, `<w:footnote w:id="%d"><w:p><w:pPr><w:pStyle w:val="a8"/></w:pPr><w:r><w:footnoteRef/></w:r>%s</w:p></w:footnote>`, i+1, run(n))
	}
	fns.WriteString(`</w:footnotes>`)
	when := time.Date(2024, 3, 18, 8, 30, 0, 0, time.UTC).Format(time.RFC3339)
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", xmlHead + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/><Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>`},
		{"_rels/.rels", xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"docProps/app.xml", xmlHead + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Template>Normal.dotm</Template><Application>Microsoft Office Word</Application><AppVersion>16.0000</AppVersion></Properties>`},
		{"docProps/core.xml", xmlHead + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>` + html.EscapeString(d.Title) + `</dc:title><dc:creator>办公室</dc:creator><cp:lastModifiedBy>办公室</cp:lastModifiedBy><cp:revision>3</cp:revision><dcterms:created xsi:type="dcterms:W3CDTF">` + when + `</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">` + when + `</dcterms:modified></cp:coreProperties>`},
		{"word/_rels/document.xml.rels", xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId8" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/><Relationship Id="rId6" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/></Relationships>`},
		{"word/document.xml", doc},
		{"word/styles.xml", stylesXML},
		{"word/numbering.xml", num},
		{"word/footnotes.xml", fns.String()},
		{"word/header1.xml", hdrftr("hdr", d.Header, false)},
		{"word/footer1.xml", hdrftr("ftr", d.Footer, true)},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			panic(err)
		}
		w.Write([]byte(p.body))
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// Sample is the fixture document: a notice with a 一、/（一）/1. outline in
// Word's automatic numbering, a footnote, a header and footer, and a table
// of figures.
func Sample() *Doc {
	return &Doc{
		Title:  "关于印发《青川县2024年粮食生产工作方案》的通知",
		Header: "青川县人民政府办公室文件",
		Footer: "页眉页脚不应出现在正文中 第",
		Blocks: []any{
			Para{Style: "a3", Text: "青川县人民政府办公室关于印发《青川县2024年粮食生产工作方案》的通知"},
			Para{Text: "青政办发〔2024〕7号"},
			Para{Text: "各乡镇人民政府，县直各部门："},
			Para{Text: "《青川县2024年粮食生产工作方案》已经县政府同意，现印发给你们，请认真贯彻执行。", Footnote: "脚注文字：本方案由县农业农村局负责解释。"},
			Para{Style: "1", Text: "总体要求"},
			Para{Text: "坚持稳面积、增单产、优结构，确保全县粮食播种面积稳定在42.3万亩以上，粮食总产量稳定在58.6万吨以上，切实扛稳粮食安全政治责任。"},
			Para{Style: "2", Text: "指导思想"},
			Para{Text: "以保障粮食安全为首要任务，坚持藏粮于地、藏粮于技，推动粮食生产高质量发展。"},
			Para{Style: "2", Text: "目标任务"},
			Para{Style: "3", Text: "稳定播种面积。"},
			Para{Text: "全县粮食播种面积稳定在42.3万亩以上，其中水稻12.1万亩、玉米18.4万亩。"},
			Para{Style: "3", Text: "提高单产水平。"},
			Para{Text: "粮食平均亩产提高到386公斤，较上年增加5公斤。"},
			Para{Style: "1", Text: "重点工作"},
			Para{Style: "2", Text: "加强耕地保护"},
			Para{Text: "落实耕地保护责任目标，新建高标准农田3.2万亩，坚决遏制耕地非农化。"},
			Para{Style: "2", Text: "强化政策支持"},
			Para{Text: "对种粮大户按每亩120元给予补贴，补贴资金由县财政统筹安排。"},
			Para{Text: "近年全县粮食生产情况见下表："},
			Table{
				{"指标", "2022年", "2023年", "增长"},
				{"粮食播种面积", "41.8万亩", "42.0万亩", "0.5%"},
				{"2023年粮食产量", "57.9万吨", "58.6万吨", "1.2%"},
				{"高标准农田", "26.5万亩", "29.7万亩", "12.1%"},
			},
			Para{Style: "1", Text: "保障措施"},
			Para{NumID: 2, Text: "加强组织领导。各乡镇要成立粮食生产工作专班，主要负责同志亲自抓。"},
			Para{NumID: 2, Text: "严格考核奖惩。将粮食生产纳入乡镇年度目标考核，考核结果通报全县。"},
			Para{Text: "附件：各乡镇粮食播种面积任务分解表"},
			Para{NumID: 3, Text: "乡镇任务以县农业农村局下达数为准。"},
			Para{Text: "青川县人民政府办公室"},
			Para{Text: "2024年3月18日"},
		},
	}
}
