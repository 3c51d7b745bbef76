package ingest

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// An HTML page saved from a government site holds its article among
// navigation, breadcrumbs, share widgets, scripts and a footer. The article
// is found by readability (Mozilla's algorithm); when that keeps too little
// of the page's prose, the page's body is read with its furniture dropped
// by tag and class instead. Scripts and styles never reach the text.

func extractHTML(raw []byte, lim Limits) (*Extracted, error) {
	if lim.MaxExtracted > 0 && int64(len(raw)) > lim.MaxExtracted {
		return nil, fmt.Errorf("html: %w: %d bytes, over the limit of %d", ErrTooLarge, len(raw), lim.MaxExtracted)
	}
	src, err := decodeHTML(raw)
	if err != nil {
		return nil, err
	}
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return nil, fmt.Errorf("html: %w: %v", ErrDamaged, err)
	}
	x := &Extracted{}
	meta := htmlMeta(doc)
	body := findElem(doc, atom.Body)
	if body == nil {
		body = doc
	}
	// The page without scripts and furniture: the fallback text, and where
	// 发布时间 is looked for.
	max := int(lim.MaxExtracted)
	if max <= 0 {
		max = int(DefaultLimits.MaxExtracted)
	}
	page := htmlText{own: true, max: max}
	page.walk(body)
	pageText := page.String()
	if page.over {
		return nil, fmt.Errorf("html: %w: the text is over the limit of %d bytes", ErrTooLarge, max)
	}

	text := pageText
	if art, err := (readabilityParser()).ParseDocument(doc, nil); err == nil && art.Node != nil {
		r := htmlText{max: max}
		r.walk(art.Node)
		// readability may pick the footer of a short page, or drop short
		// paragraphs and tables: keep its choice only when the furniture
		// filter kept it too and it holds most of the page's prose.
		if rt := r.String(); readabilityAgrees(r.lines, page.lines) {
			text = rt
		}
	}
	x.Title = htmlTitle(doc, meta)
	text = fromTitle(text, x.Title)
	if x.Title != "" && !strings.Contains(firstBytes(text, 400), x.Title) {
		text = x.Title + "\n" + text
	}
	x.Text = text
	x.PubDate = meta.pubDate
	if x.PubDate == "" {
		x.PubDate = pageDate(pageText)
	}
	return x, nil
}

// readabilityAgrees reports whether readability's lines are (by Han
// characters) at least 80% lines the furniture filter kept as well, and
// hold at least 60% of what it kept.
func readabilityAgrees(r, page []string) bool {
	kept := make(map[string]bool, len(page))
	total := 0
	for _, l := range page {
		kept[l] = true
		total += hanCount(l)
	}
	in, all := 0, 0
	for _, l := range r {
		n := hanCount(l)
		all += n
		if kept[l] {
			in += n
		}
	}
	return all > 0 && in*10 >= all*8 && in*10 >= total*6
}

// fromTitle drops the lines above the article's title line (menus and
// breadcrumbs a layout table kept) when the title stands on a line of its
// own near the top.
func fromTitle(text, title string) string {
	if title == "" {
		return text
	}
	off := 0
	for i := 0; i < 60 && off < len(text); i++ {
		end := strings.IndexByte(text[off:], '\n')
		if end < 0 {
			end = len(text) - off
		}
		if text[off:off+end] == title {
			return text[off:]
		}
		off += end + 1
	}
	return text
}

func readabilityParser() *readability.Parser {
	p := readability.NewParser()
	p.MaxElemsToParse = 200000
	p.DisableJSONLD = true
	return &p
}

func firstBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

func hanCount(s string) int {
	n := 0
	for _, r := range s {
		if isHan(r) {
			n++
		}
	}
	return n
}

var reMetaCharset = regexp.MustCompile(`(?i)<meta[^>]*?charset\s*=\s*["']?\s*([a-z0-9_:.-]+)`)

// decodeHTML turns a page into UTF-8: a byte-order mark first, then the
// charset its <meta> declares (GBK and GB2312 are read as GB18030, their
// superset), then what the bytes look like.
func decodeHTML(raw []byte) (string, error) {
	if bytes.HasPrefix(raw, []byte{0xEF, 0xBB, 0xBF}) || bytes.HasPrefix(raw, []byte{0xFF, 0xFE}) || bytes.HasPrefix(raw, []byte{0xFE, 0xFF}) {
		d, err := Decode(raw)
		if err != nil {
			return "", fmt.Errorf("html: %w: %v", ErrDamaged, err)
		}
		return d.Text, nil
	}
	head := raw[:min(len(raw), 4096)]
	if m := reMetaCharset.FindSubmatch(head); m != nil {
		name := strings.ToLower(string(m[1]))
		var enc encoding.Encoding
		switch name {
		case "utf-8", "utf8":
			if utf8.Valid(raw) {
				return string(raw), nil
			}
			// Mislabelled: fall through to what the bytes look like.
		case "gb2312", "gbk", "gb18030", "x-gbk", "cp936", "ms936", "windows-936", "euc-cn", "hz-gb-2312":
			enc = simplifiedchinese.GB18030
		default:
			if e, err := htmlindex.Get(name); err == nil {
				enc = e
			}
		}
		if enc != nil {
			b, err := enc.NewDecoder().Bytes(raw)
			if err == nil {
				return string(b), nil
			}
		}
	}
	d, err := Decode(raw)
	if err != nil {
		return "", fmt.Errorf("html: %w: %v", ErrDamaged, err)
	}
	return d.Text, nil
}

type pageMeta struct {
	title, articleTitle, pubDate string
}

var (
	reYMD = regexp.MustCompile(`(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})`)
	// 发布时间：2024-03-21, 发布日期:2024年3月21日, 日期：2024/03/21
	rePubDateLine = regexp.MustCompile(`(发布时间|发布日期|发文日期|公开日期|成文日期)\s*[:：]\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})`)
	// 日期： and 时间： alone say publication only near the top of the
	// page (further down, 时间：2024年5月1日 is a deadline in the text).
	reDateLine = regexp.MustCompile(`(更新时间|日期|时间)\s*[:：]\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})`)
)

// pageDate is the publication date a page's text states, "" when none.
func pageDate(text string) string {
	if m := rePubDateLine.FindStringSubmatch(text); m != nil {
		return validYMD(m[2], m[3], m[4])
	}
	top := text
	for i, n := 0, 0; i < len(text); i++ {
		if text[i] == '\n' {
			if n++; n == 12 {
				top = text[:i]
				break
			}
		}
	}
	if m := reDateLine.FindStringSubmatch(top); m != nil {
		return validYMD(m[2], m[3], m[4])
	}
	return ""
}

// validYMD is the date as YYYY-MM-DD, or "" for a month or day out of range.
func validYMD(y, m, d string) string {
	mi, _ := strconv.Atoi(m)
	di, _ := strconv.Atoi(d)
	if mi < 1 || mi > 12 || di < 1 || di > 31 {
		return ""
	}
	return fmt.Sprintf("%s-%02d-%02d", y, mi, di)
}

// pubDateMetas are the <meta> names (lower case) that carry a publication
// date: those of China's government CMSs (TRS, 博思), Dublin Core, Open Graph.
var pubDateMetas = map[string]bool{
	"pubdate": true, "publishdate": true, "firstpublishedtime": true, "dc.date": true,
	"dc.date.created": true, "dc.date.issued": true, "article:published_time": true,
	"publish_date": true, "publishtime": true, "og:published_time": true, "date": true,
}

func htmlMeta(doc *html.Node) pageMeta {
	var m pageMeta
	head := findElem(doc, atom.Head)
	if head == nil {
		head = doc
	}
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Title:
				if m.title == "" {
					m.title = collapseSpace(nodeText(n))
				}
			case atom.Meta:
				name := strings.ToLower(getAttr(n, "name") + getAttr(n, "property"))
				content := getAttr(n, "content")
				switch {
				case pubDateMetas[name] && m.pubDate == "":
					if d := reYMD.FindStringSubmatch(content); d != nil {
						m.pubDate = validYMD(d[1], d[2], d[3])
					}
				case name == "articletitle" || name == "og:title":
					if m.articleTitle == "" {
						m.articleTitle = collapseSpace(content)
					}
				}
			case atom.Body:
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(head)
	return m
}

// htmlTitle is the article's title: the CMS's ArticleTitle, else the
// page's first h1 when the <title> holds it, else the <title> without the
// site and column names it is joined to ("要点_政策文件_某县人民政府").
func htmlTitle(doc *html.Node, m pageMeta) string {
	if t := m.articleTitle; utf8.RuneCountInString(t) >= 4 {
		return t
	}
	if h := findElem(doc, atom.H1); h != nil {
		t := collapseSpace(nodeText(h))
		if n := utf8.RuneCountInString(t); n >= 4 && n <= 100 && (m.title == "" || strings.Contains(m.title, t)) {
			return t
		}
	}
	best := ""
	for _, part := range splitTitle(m.title) {
		if utf8.RuneCountInString(part) > utf8.RuneCountInString(best) {
			best = part
		}
	}
	return strings.TrimSpace(best)
}

// splitTitle cuts a <title> at the separators sites join the article,
// column and site names with: _ | ｜, a dash with spaces around it, and a
// hyphen not between digits (2021-2025年 stays whole).
func splitTitle(t string) []string {
	var parts []string
	rs := []rune(t)
	start := 0
	isD := func(i int) bool { return i >= 0 && i < len(rs) && isDigit(rs[i]) }
	for i := 0; i < len(rs); i++ {
		cut := false
		switch rs[i] {
		case '_', '|', '｜':
			cut = true
		case '-', '－', '–':
			cut = !(isD(i-1) && isD(i+1))
		case '—':
			cut = i > 0 && rs[i-1] == ' ' || i+1 < len(rs) && rs[i+1] == ' '
		}
		if cut {
			parts = append(parts, string(rs[start:i]))
			start = i + 1
		}
	}
	return append(parts, string(rs[start:]))
}

func findElem(n *html.Node, a atom.Atom) *html.Node {
	if n.Type == html.ElementNode && n.DataAtom == a {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := findElem(c, a); f != nil {
			return f
		}
	}
	return nil
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

func getAttr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// nodeText is the text under n, scripts and styles left out.
func nodeText(n *html.Node) string {
	var sb strings.Builder
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			sb.WriteString(n.Data)
		case html.ElementNode:
			if skipElem[n.DataAtom] {
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(n)
	return sb.String()
}

func collapseSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// skipElem are elements whose content is never text of the page.
var skipElem = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Iframe: true, atom.Object: true, atom.Embed: true, atom.Svg: true,
	atom.Canvas: true, atom.Head: true, atom.Select: true, atom.Textarea: true,
	atom.Button: true, atom.Input: true, atom.Audio: true, atom.Video: true,
	atom.Map: true, atom.Math: true,
}

// furnitureElem are dropped when the page is read without readability.
var furnitureElem = map[atom.Atom]bool{
	atom.Nav: true, atom.Header: true, atom.Footer: true, atom.Aside: true, atom.Form: true,
}

// furnitureWords mark a class or id of page furniture; they are matched
// against the words of a class or id split at '-', '_' and spaces.
var furnitureWords = map[string]bool{
	"nav": true, "navbar": true, "menu": true, "leftmenu": true, "breadcrumb": true, "crumb": true,
	"crumbs": true, "position": true, "location": true, "dqwz": true, "footer": true, "foot": true,
	"bottom": true, "header": true, "head": true, "top": true, "topbar": true, "share": true,
	"bdshare": true, "bdsharebuttonbox": true, "print": true, "sidebar": true, "side": true,
	"copyright": true, "search": true, "toolbar": true, "login": true, "banner": true, "logo": true,
	"qrcode": true, "ewm": true, "related": true, "xgwz": true, "xgxx": true, "links": true,
	"friendlink": true, "yqlj": true, "comment": true, "comments": true, "ad": true, "ads": true,
	"advert": true, "fixed": true, "gotop": true, "backtop": true, "skip": true, "wza": true,
}

func isFurniture(n *html.Node) bool {
	if furnitureElem[n.DataAtom] {
		return true
	}
	for _, key := range []string{"class", "id"} {
		v := strings.ToLower(getAttr(n, key))
		if v == "" {
			continue
		}
		for _, w := range strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == '-' || r == '_' || r == '\t' }) {
			if furnitureWords[w] {
				return true
			}
		}
	}
	return false
}

// blockElem end a line before and after themselves.
var blockElem = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Br: true, atom.Li: true, atom.Ul: true, atom.Ol: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Tr: true, atom.Table: true, atom.Section: true, atom.Article: true, atom.Header: true,
	atom.Footer: true, atom.Blockquote: true, atom.Pre: true, atom.Dl: true, atom.Dt: true,
	atom.Dd: true, atom.Center: true, atom.Address: true, atom.Hr: true, atom.Main: true,
	atom.Figure: true, atom.Figcaption: true, atom.Caption: true, atom.Tbody: true, atom.Thead: true,
	atom.Nav: true, atom.Aside: true, atom.Form: true, atom.Fieldset: true, atom.Legend: true,
	atom.Td: true, atom.Th: true, atom.Body: true, atom.Html: true,
}

// htmlText renders a tree as lines of text.
type htmlText struct {
	own   bool // drop furniture by tag and class (no readability)
	max   int  // the most bytes of text; 0 for no limit
	size  int
	over  bool // max was reached: the text is cut short
	lines []string
	cur   strings.Builder
	pre   int
}

func (h *htmlText) String() string {
	h.flush()
	if len(h.lines) == 0 {
		return ""
	}
	return strings.Join(h.lines, "\n") + "\n"
}

func (h *htmlText) flush() {
	if line := strings.TrimSpace(h.cur.String()); line != "" {
		h.add(line)
	}
	h.cur.Reset()
}

// add appends a line unless the text is over its limit.
func (h *htmlText) add(line string) {
	if h.over {
		return
	}
	h.size += len(line) + 1
	if h.max > 0 && h.size > h.max {
		h.over = true
		return
	}
	h.lines = append(h.lines, line)
}

func (h *htmlText) text(s string) {
	if h.pre > 0 {
		for i, part := range strings.Split(s, "\n") {
			if i > 0 {
				h.flush()
			}
			h.cur.WriteString(strings.ReplaceAll(part, "\u00a0", " "))
		}
		return
	}
	// Collapse white space as a browser does.
	s = strings.ReplaceAll(s, "\u00a0", " ")
	if s == "" {
		return
	}
	f := strings.Fields(s)
	lead := s[0] == ' ' || s[0] == '\n' || s[0] == '\t' || s[0] == '\r'
	trail := strings.ContainsAny(s[len(s)-1:], " \n\t\r")
	if len(f) == 0 {
		if h.cur.Len() > 0 {
			h.cur.WriteByte(' ')
		}
		return
	}
	if lead && h.cur.Len() > 0 {
		h.cur.WriteByte(' ')
	}
	h.cur.WriteString(strings.Join(f, " "))
	if trail {
		h.cur.WriteByte(' ')
	}
}

func (h *htmlText) walk(n *html.Node) {
	if h.over {
		return
	}
	switch n.Type {
	case html.TextNode:
		h.text(n.Data)
		return
	case html.ElementNode:
		if skipElem[n.DataAtom] || h.own && isFurniture(n) {
			return
		}
		if hasAttr(n, "hidden") || strings.Contains(strings.ReplaceAll(strings.ToLower(getAttr(n, "style")), " ", ""), "display:none") {
			return
		}
		if n.DataAtom == atom.Table && h.table(n) {
			return
		}
	case html.CommentNode, html.DoctypeNode:
		return
	}
	block := n.Type == html.ElementNode && blockElem[n.DataAtom]
	if block {
		h.flush()
	}
	if n.DataAtom == atom.Pre {
		h.pre++
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		h.walk(c)
	}
	if n.DataAtom == atom.Pre {
		h.pre--
	}
	if block {
		h.flush()
	}
}

// table renders a data table row by row with column headers, as for
// .docx; it returns false for a layout table (nested tables, long cells),
// whose cells are then read as blocks.
func (h *htmlText) table(t *html.Node) bool {
	var rows [][]*docxCell
	layout := false
	var pending []int // rowspan cells still covering a column
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		for c := n.FirstChild; c != nil && !layout; c = c.NextSibling {
			if c.Type != html.ElementNode || skipElem[c.DataAtom] {
				continue
			}
			switch c.DataAtom {
			case atom.Table:
				layout = true
			case atom.Tr:
				var row []*docxCell
				col := 0
				for td := c.FirstChild; td != nil; td = td.NextSibling {
					if td.Type != html.ElementNode || td.DataAtom != atom.Td && td.DataAtom != atom.Th {
						continue
					}
					for col < len(pending) && pending[col] > 0 {
						pending[col]--
						row = append(row, &docxCell{span: 1, vMerge: "continue"})
						col++
					}
					if findElem(td, atom.Table) != nil {
						layout = true
						return
					}
					sub := htmlText{own: h.own, max: h.max}
					for k := td.FirstChild; k != nil; k = k.NextSibling {
						sub.walk(k)
					}
					txt := strings.Join(strings.Fields(sub.String()), " ")
					if utf8.RuneCountInString(txt) > 200 {
						layout = true
						return
					}
					span := min(max(atoiDef(getAttr(td, "colspan"), 1), 1), 64)
					rs := min(max(atoiDef(getAttr(td, "rowspan"), 1), 1), 1000)
					cell := &docxCell{span: span}
					if txt != "" {
						cell.text = []string{txt}
					}
					row = append(row, cell)
					for s := 0; s < span; s++ {
						for len(pending) <= col {
							pending = append(pending, 0)
						}
						pending[col] = rs - 1
						col++
					}
				}
				for col < len(pending) && pending[col] > 0 {
					pending[col]--
					row = append(row, &docxCell{span: 1, vMerge: "continue"})
					col++
				}
				rows = append(rows, row)
			default:
				visit(c)
			}
		}
	}
	visit(t)
	if layout {
		return false
	}
	h.flush()
	renderTable(rows, func(line string) bool {
		h.add(line)
		return !h.over
	})
	return true
}
