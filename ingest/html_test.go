package ingest

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"

	"policybot/internal/gen/officegen"
)

func TestTheHTMLFixturesMatchTheirGoldenText(t *testing.T) {
	for _, name := range []string{"page.html", "page-gbk.html"} {
		t.Run(name+" gives the golden text", func(t *testing.T) {
			x := extractText(t, name, readFixture(t, name))
			checkGolden(t, "formats/page.html.golden", x.Text)
		})
	}
}

// scriptWords are in the fixtures' scripts, styles and noscript only.
var scriptWords = []string{"脚本", "收藏本站", "导航样式", "微软雅黑", "document.write", "Math.random", "_bd_share_config", "您的浏览器不支持"}

func TestScriptAndStyleTextNeverReachesTheText(t *testing.T) {
	pages := map[string]string{
		"the fixture":                    string(readFixture(t, "page.html")),
		"a script inside a paragraph":    `<html><body><p>正文第一段，内容完整。<script>document.write("脚本文字")</script>正文继续。</p></body></html>`,
		"an unclosed script":             `<html><body><p>正文第一段，内容完整。</p><script>var a = "脚本文字未闭合`,
		"a style in the body":            `<html><body><style>p{font-family:"微软雅黑"}</style><p>正文第一段，内容完整。</p></body></html>`,
		"a script with a fake end tag":   `<html><body><p>正文。</p><script>var s = "<\/script>脚本文字";</script></body></html>`,
		"a noscript fallback":            `<html><body><p>正文第一段，内容完整。</p><noscript>您的浏览器不支持脚本</noscript></body></html>`,
		"a script in a table cell":       `<html><body><table><tr><td>指标</td><td>数值</td></tr><tr><td>产量<script>alert("脚本")</script></td><td>58.6万吨</td></tr></table></body></html>`,
		"a script typed as a JSON block": `<html><head><script type="application/ld+json">{"headline":"脚本标题"}</script></head><body><p>正文第一段，内容完整。</p></body></html>`,
	}
	for name, page := range pages {
		t.Run(name+" leaves no script text", func(t *testing.T) {
			x := extractText(t, "x.html", []byte(page))
			for _, w := range append(scriptWords, "脚本文字", "alert", "font-family", "<script") {
				if strings.Contains(x.Text, w) || strings.Contains(x.Title, w) {
					t.Errorf("text holds %q:\n%s", w, x.Text)
				}
			}
			if !strings.Contains(x.Text, "正文") && !strings.Contains(x.Text, "58.6万吨") {
				t.Errorf("the page's text is lost:\n%s", x.Text)
			}
		})
	}
}

func TestAGovernmentPageKeepsItsArticleAndDropsItsFurniture(t *testing.T) {
	x := extractText(t, "page.html", readFixture(t, "page.html"))
	for _, s := range []string{"为切实抓好2024年春季农业生产", "一、稳定粮食播种面积", "（二）强化农机作业。投入各类农机具3600台套",
		"指标：2023年粮食产量，2023年：58.6万吨，2024年目标：59.0万吨。", "青川县农业农村局\n2024年3月20日"} {
		t.Run("it keeps "+s, func(t *testing.T) {
			if !strings.Contains(x.Text, s) {
				t.Errorf("text lacks %q:\n%s", s, x.Text)
			}
		})
	}
	for _, s := range []string{"网站首页", "政务服务", "当前位置", "政府信息公开指南", "分享到", "微博", "打印", "关闭", "主办单位", "ICP备", "版权所有", "请输入关键字"} {
		t.Run("it drops "+s, func(t *testing.T) {
			if strings.Contains(x.Text, s) {
				t.Errorf("text holds %q:\n%s", s, x.Text)
			}
		})
	}
}

func TestAShortNoticeIsNotReplacedByThePageFooter(t *testing.T) {
	page := officegen.GovHTML("utf-8", 1)
	i := strings.Index(page, `<div class="content" id="zoom">`)
	j := strings.Index(page, `<div class="share">`)
	page = page[:i] + `<div class="content" id="zoom"><p>经研究，决定自2024年4月1日起调整县城3路公交线路。</p></div></div>` + page[j:]
	x := extractText(t, "short.html", []byte(page))
	if !strings.Contains(x.Text, "调整县城3路公交线路") {
		t.Errorf("the notice is lost:\n%s", x.Text)
	}
	if strings.Contains(x.Text, "版权所有") || strings.Contains(x.Text, "ICP备") {
		t.Errorf("the footer is kept:\n%s", x.Text)
	}
}

func TestHTMLCharsetsAreDecoded(t *testing.T) {
	const body = `<title>关于做好春耕的通知</title></head><body><p>全县春播粮食面积稳定在29.1万亩以上，確保面積只增不減。</p></body></html>`
	tests := []struct {
		name string
		raw  []byte
	}{
		{"a GBK page declared with http-equiv", officegen.GBK(`<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk">` + strings.ReplaceAll(body, "確保面積只增不減", "确保面积只增不减"))},
		{"a GB2312 page declared with meta charset", officegen.GBK(`<html><head><meta charset="gb2312">` + strings.ReplaceAll(body, "確保面積只增不減", "确保面积只增不减"))},
		{"a GBK page with no declaration", officegen.GBK(`<html><head>` + strings.ReplaceAll(body, "確保面積只增不減", "确保面积只增不减"))},
		{"a page declared UTF-8 but saved in GBK", officegen.GBK(`<html><head><meta charset="utf-8">` + strings.ReplaceAll(body, "確保面積只增不減", "确保面积只增不减"))},
		{"a UTF-8 page with a byte-order mark", []byte("\xEF\xBB\xBF<html><head>" + body)},
		{"a UTF-8 page", []byte(`<html><head><meta charset="UTF-8">` + body)},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is read", func(t *testing.T) {
			x := extractText(t, "x.html", tt.raw)
			if !strings.Contains(x.Text, "全县春播粮食面积稳定在29.1万亩以上") {
				t.Errorf("got text %q", x.Text)
			}
			if x.Title != "关于做好春耕的通知" {
				t.Errorf("got title %q", x.Title)
			}
		})
	}
}

func TestHTMLTitleAndPublicationDateAreRead(t *testing.T) {
	const para = `<p>为切实抓好春季农业生产，确保粮食和重要农产品稳定安全供给，现提出如下工作要点。</p>`
	tests := []struct {
		name, page, title, pub string
	}{
		{"the CMS's PubDate meta and ArticleTitle", string(readFixture(t, "page.html")), "青川县2024年春季农业生产工作要点", "2024-03-21"},
		{"发布日期 in Chinese date form on the page",
			`<html><head><title>春耕通知_县政府</title></head><body><h1>春耕通知</h1><div>发布日期：2024年3月5日</div>` + para + `</body></html>`, "春耕通知", "2024-03-05"},
		{"日期 with slashes",
			`<html><head><title>关于做好春耕的通知 - 农业农村局</title></head><body><span>日期: 2023/11/02</span>` + para + `</body></html>`, "关于做好春耕的通知", "2023-11-02"},
		{"Open Graph's published_time",
			`<html><head><meta property="article:published_time" content="2022-07-09T08:00:00+08:00"><title>夏粮收购工作方案</title></head><body>` + para + `</body></html>`, "夏粮收购工作方案", "2022-07-09"},
		{"a deadline deep in the text is no publication date",
			`<html><head><title>关于做好春耕的通知</title></head><body>` + strings.Repeat(para, 15) + `<p>报送时间：2024年5月1日前</p></body></html>`, "关于做好春耕的通知", ""},
		{"发布时间 below the text still counts",
			`<html><head><title>关于做好春耕的通知</title></head><body>` + strings.Repeat(para, 15) + `<p>发布时间：2024-08-09</p></body></html>`, "关于做好春耕的通知", "2024-08-09"},
		{"no date anywhere", `<html><head><title>关于做好春耕的通知</title></head><body>` + para + `</body></html>`, "关于做好春耕的通知", ""},
		{"an h1 that is not in the title gives way to the title",
			`<html><head><title>关于做好春耕的通知_县政府</title></head><body><h1>县政府门户网站</h1>` + para + `</body></html>`, "关于做好春耕的通知", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name+" gives title and date", func(t *testing.T) {
			x := extractText(t, "x.html", []byte(tt.page))
			if x.Title != tt.title || x.PubDate != tt.pub {
				t.Errorf("got title %q date %q, want %q %q", x.Title, x.PubDate, tt.title, tt.pub)
			}
			if !strings.HasPrefix(x.Text, tt.title+"\n") {
				t.Errorf("the text does not open with the title:\n%s", x.Text)
			}
		})
	}
}

func TestHTMLBlocksAndTablesBecomeLines(t *testing.T) {
	tests := []struct {
		name, page string
		want       []string
	}{
		{"paragraphs, line breaks and list items are lines",
			`<body><div>第一段<br>第二行</div><ul><li>一项</li><li>二项</li></ul><h2>三、标题</h2><p>段落 <b>加粗</b> 文字</p></body>`,
			[]string{"第一段", "第二行", "一项", "二项", "三、标题", "段落 加粗 文字"}},
		{"a data table is read row by row with its headers; th and rowspan too",
			`<body><table><thead><tr><th>乡镇</th><th>作物</th><th>面积</th></tr></thead><tbody><tr><td rowspan="2">乔庄镇</td><td>水稻</td><td>1.2万亩</td></tr><tr><td>玉米</td><td>2.3万亩</td></tr></tbody></table></body>`,
			[]string{"乡镇：乔庄镇，作物：水稻，面积：1.2万亩。", "乡镇：乔庄镇，作物：玉米，面积：2.3万亩。"}},
		{"a layout table is read cell by cell",
			`<body><table><tr><td><table><tr><td>内层</td></tr></table></td><td><p>正文段落。</p></td></tr></table></body>`,
			[]string{"内层", "正文段落。"}},
		{"hidden elements are left out",
			`<body><p>看得见。</p><div style="display: none">看不见</div><p hidden>也看不见</p></body>`,
			[]string{"看得见。"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h htmlText
			doc := mustParseHTML(t, tt.page)
			h.walk(doc)
			_ = h.String()
			got := h.lines
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got lines\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestBadHTMLFilesAreRejectedWithTheirReason(t *testing.T) {
	tests := []struct {
		name string
		raw  []byte
		lim  Limits
		want error
	}{
		{"a binary file named .html is damaged", []byte("\x00\x01\x02PK\x03\x04\x00\x00binary"), DefaultLimits, ErrDamaged},
		{"a page over the limit is too large", []byte(strings.Repeat("<p>很长的页面。</p>", 100)), Limits{MaxExtracted: 1000}, ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Extract("x.html", tt.raw, tt.lim)
			if !errors.Is(err, tt.want) {
				t.Errorf("got error %v, want %v", err, tt.want)
			}
		})
	}
}

func TestAParsedHTMLPageHasHeadingPathsAndOffsetsIntoItsExtractedText(t *testing.T) {
	raw := readFixture(t, "page-gbk.html")
	f, err := Parse("x.htm", raw, DefaultChunkOptions)
	if err != nil {
		t.Fatal(err)
	}
	x := extractText(t, "x.htm", raw)
	if len(f.Documents) != 1 || f.Documents[0].PubDate != "2024-03-21" || f.Documents[0].Title != "青川县2024年春季农业生产工作要点" {
		t.Errorf("got documents %+v", f.Documents)
	}
	var found bool
	for _, c := range f.Chunks {
		if strings.Contains(c.Section, "二、抓好春耕物资供应") {
			found = true
		}
		if got := CleanText(x.Text[c.Start:c.End]); squash(got) != squash(c.Text) {
			t.Errorf("chunk %s [%d,%d): cleaned bytes\n%q\nwant chunk text\n%q", c.ID, c.Start, c.End, got, c.Text)
		}
	}
	if !found {
		t.Errorf("no chunk under 二、抓好春耕物资供应")
	}
}

func mustParseHTML(t *testing.T, page string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func FuzzHTML(f *testing.F) {
	f.Add(readFixture(f, "page.html"))
	f.Add(readFixture(f, "page-gbk.html"))
	f.Add([]byte(`<table><tr><td rowspan=3 colspan=2>a<td>b<tr><td>c</table>`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		x, err := extractHTML(raw, Limits{MaxExtracted: 1 << 20})
		if err != nil {
			if !errors.Is(err, ErrDamaged) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("error of no known class: %v", err)
			}
			return
		}
		if !utf8.ValidString(x.Text) {
			t.Fatalf("text is not UTF-8")
		}
	})
}

func BenchmarkExtractHTML(b *testing.B) {
	raw := []byte(officegen.GovHTML("utf-8", 300))
	benchFormat(b, len(raw), func() error {
		_, err := Extract("big.html", raw, DefaultLimits)
		return err
	})
}

func BenchmarkParseHTML(b *testing.B) {
	raw := []byte(officegen.GovHTML("utf-8", 300))
	benchFormat(b, len(raw), func() error {
		_, err := Parse("big.html", raw, DefaultChunkOptions)
		return err
	})
}

const layoutTablePage = `<html><head><meta charset="utf-8"><title>关于开展2024年度农民工工资支付专项检查的通知-人社局</title></head><body>
<table width="100%"><tr><td class="top"><a href="/">首页</a> <a href="/x">机构设置</a> <a href="/y">政策法规</a></td></tr></table>
<table width="980" align="center"><tr><td width="200" valign="top"><table><tr><td><a href="/a">通知公告</a></td></tr><tr><td><a href="/b">工作动态</a></td></tr></table></td>
<td valign="top"><table width="100%"><tr><td align="center"><font size="5"><b>关于开展2024年度农民工工资支付专项检查的通知</b></font></td></tr>
<tr><td align="center">发布日期：2024-08-09 &nbsp; 点击数：<span id="hits">128</span></td></tr>
<tr><td>各县（区）人社局：<br>为切实保障农民工工资按时足额支付，经研究，决定自2024年9月1日至11月30日在全市开展农民工工资支付专项检查。现将有关事项通知如下：<br>一、检查范围<br>全市在建工程建设项目、劳动密集型加工制造企业和餐饮服务企业，重点检查在建项目126个。<br>二、检查内容<br>（一）用人单位按时足额支付工资情况。<br>（二）工资保证金缴存情况，工资保证金按合同额1%缴存。<br>三、工作要求<br>各地要于2024年12月5日前报送检查总结。</td></tr></table></td></tr></table>
<table width="100%"><tr><td class="bottom">版权所有：某市人力资源和社会保障局 ICP备12345678号</td></tr></table></body></html>`

func TestAnOldTableLayoutPageKeepsItsArticleFromTheTitleDown(t *testing.T) {
	x := extractText(t, "x.html", []byte(layoutTablePage))
	if want := "关于开展2024年度农民工工资支付专项检查的通知"; x.Title != want || !strings.HasPrefix(x.Text, want+"\n") {
		t.Errorf("got title %q, text opening %q; want both %q", x.Title, firstBytes(x.Text, 80), want)
	}
	if x.PubDate != "2024-08-09" {
		t.Errorf("got date %q, want 2024-08-09", x.PubDate)
	}
	for _, s := range []string{"首页", "通知公告", "工作动态", "版权所有"} {
		if strings.Contains(x.Text, s) {
			t.Errorf("text holds %q:\n%s", s, x.Text)
		}
	}
	if !strings.Contains(x.Text, "（二）工资保证金缴存情况，工资保证金按合同额1%缴存。\n") {
		t.Errorf("the article is cut:\n%s", x.Text)
	}
}

func TestPageTitlesLoseTheSiteNamesJoinedToThem(t *testing.T) {
	tests := []struct{ title, want string }{
		{"关于开展专项检查的通知-人社局", "关于开展专项检查的通知"},
		{"某市国民经济和社会发展第十四个五年规划（2021-2025年）_规划计划_某市人民政府", "某市国民经济和社会发展第十四个五年规划（2021-2025年）"},
		{"政策解读 | 关于做好春耕工作的通知", "关于做好春耕工作的通知"},
		{"关于做好春耕工作的通知 — 农业农村局", "关于做好春耕工作的通知"},
	}
	for _, tt := range tests {
		t.Run(tt.title+" gives "+tt.want, func(t *testing.T) {
			if got := htmlTitle(mustParseHTML(t, "<title>"+tt.title+"</title>"), pageMeta{title: tt.title}); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
