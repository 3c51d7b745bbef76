package ingest

import (
	"archive/zip"
	"bytes"
	"encoding/xml"

	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A .docx file is a zip of XML parts. Only the main document, its styles
// and its numbering are read: headers, footers, footnotes and comments are
// parts of their own and never reach the text.

// cfbMagic opens an OLE compound file: a .doc renamed .docx, or a
// password-protected .docx (Word wraps those in an encrypted container).
var cfbMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// encryptedPackage is "EncryptedPackage" in UTF-16LE, the stream name an
// encrypted OOXML container holds.
var encryptedPackage = []byte("E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e\x00")

func extractDOCX(raw []byte, lim Limits) (*Extracted, error) {
	if bytes.HasPrefix(raw, cfbMagic) {
		if bytes.Contains(raw, encryptedPackage) {
			return nil, fmt.Errorf("docx: %w: remove the password in Word (File › Info › Protect Document) and save again", ErrEncrypted)
		}
		return nil, fmt.Errorf("docx: %w: an old Word (.doc) file named .docx; save it as .docx", ErrDamaged)
	}
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		return nil, fmt.Errorf("docx: %w: not a zip archive: %v", ErrDamaged, err)
	}
	z := &zipParts{files: map[string]*zip.File{}, budget: lim.MaxExtracted}
	if z.budget <= 0 {
		z.budget = DefaultLimits.MaxExtracted
	}
	z.limit = z.budget
	for _, f := range zr.File {
		z.files[strings.TrimPrefix(f.Name, "/")] = f
	}
	main := z.mainPart()
	if main == "" {
		return nil, fmt.Errorf("docx: %w: no word/document.xml in the archive", ErrDamaged)
	}
	dir := path.Dir(main)
	rels := z.partRels(main)
	stylesName, numberingName := path.Join(dir, "styles.xml"), path.Join(dir, "numbering.xml")
	if t := rels["styles"]; t != "" {
		stylesName = t
	}
	if t := rels["numbering"]; t != "" {
		numberingName = t
	}
	d := &docxReader{styles: map[string]*docxStyle{}, nums: map[string]*docxNum{}, abstract: map[string]*docxAbstract{}}
	if b, err := z.read(stylesName, false); err != nil {
		return nil, err
	} else if b != nil {
		d.parseStyles(b) // bad styles lose heading styles only
	}
	if b, err := z.read(numberingName, false); err != nil {
		return nil, err
	} else if b != nil {
		d.parseNumbering(b)
	}
	body, err := z.read(main, true)
	if err != nil {
		return nil, err
	}
	x := &Extracted{}
	text, err := d.render(body, int(z.limit))
	if err != nil {
		return nil, err
	}
	x.Text = text
	if b, err := z.read("docProps/core.xml", false); err == nil && b != nil {
		x.Title = coreTitle(b)
	}
	return x, nil
}

// zipParts reads archive members within one budget of decompressed bytes
// shared by every member, so a zip bomb stops after MaxExtracted+1 bytes.
type zipParts struct {
	files  map[string]*zip.File
	budget int64 // bytes members may still inflate to
	limit  int64 // the limit itself
}

func (z *zipParts) read(name string, required bool) ([]byte, error) {
	f := z.files[name]
	if f == nil {
		if required {
			return nil, fmt.Errorf("docx: %w: no %s in the archive", ErrDamaged, name)
		}
		return nil, nil
	}
	if f.UncompressedSize64 > uint64(z.budget) {
		return nil, fmt.Errorf("docx: %w: %s would decompress to %d bytes, over the limit of %d", ErrTooLarge, name, f.UncompressedSize64, z.budget)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("docx: %w: %s: %v", ErrDamaged, name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, z.budget+1))
	// A member inflating past the size its header claims fails at that
	// size; at the limit that is a bomb, not a damaged file.
	if int64(len(b)) > z.budget || err != nil && int64(len(b)) == z.budget {
		return nil, fmt.Errorf("docx: %w: %s decompresses to more than the limit of %d bytes", ErrTooLarge, name, z.budget)
	}
	if err != nil {
		return nil, fmt.Errorf("docx: %w: %s: %v", ErrDamaged, name, err)
	}
	z.budget -= int64(len(b))
	return b, nil
}

// mainPart is the officeDocument the package relationships name, else
// word/document.xml.
func (z *zipParts) mainPart() string {
	if b, err := z.read("_rels/.rels", false); err == nil && b != nil {
		for _, r := range parseRels(b) {
			if strings.HasSuffix(r.Type, "/officeDocument") {
				t := strings.TrimPrefix(path.Clean("/"+r.Target), "/")
				if z.files[t] != nil {
					return t
				}
			}
		}
	}
	if z.files["word/document.xml"] != nil {
		return "word/document.xml"
	}
	return ""
}

// partRels maps the last word of a relationship type (styles, numbering)
// to its target part, for the part named.
func (z *zipParts) partRels(part string) map[string]string {
	out := map[string]string{}
	dir, file := path.Split(part)
	b, err := z.read(dir+"_rels/"+file+".rels", false)
	if err != nil || b == nil {
		return out
	}
	for _, r := range parseRels(b) {
		if r.TargetMode == "External" {
			continue
		}
		t := r.Target
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(path.Clean(t), "/")
		} else {
			t = path.Join(dir, t)
		}
		out[path.Base(r.Type)] = t
	}
	return out
}

type docxRel struct {
	Type       string `xml:"Type,attr"`
	Target     string `xml:"Target,attr"`
	TargetMode string `xml:"TargetMode,attr"`
}

func parseRels(b []byte) []docxRel {
	var v struct {
		Rels []docxRel `xml:"Relationship"`
	}
	if xml.Unmarshal(b, &v) != nil {
		return nil
	}
	return v.Rels
}

// coreTitle is dc:title when it looks like a document's title, not a
// converter's or a template's leftover.
func coreTitle(b []byte) string {
	var v struct {
		Title string `xml:"http://purl.org/dc/elements/1.1/ title"`
	}
	if xml.Unmarshal(b, &v) != nil {
		return ""
	}
	t := strings.Join(strings.Fields(v.Title), " ")
	low := strings.ToLower(t)
	switch {
	case utf8.RuneCountInString(t) < 4,
		strings.HasPrefix(low, "microsoft word"),
		strings.HasPrefix(low, "microsoft "),
		strings.HasSuffix(low, ".doc"), strings.HasSuffix(low, ".docx"), strings.HasSuffix(low, ".wps"),
		low == "untitled", low == "document", t == "无标题", t == "文档", t == "标题":
		return ""
	}
	if !strings.ContainsFunc(t, isHan) {
		return "" // an English placeholder in a Chinese corpus
	}
	return t
}

type docxStyle struct {
	basedOn    string
	heading    int  // 1-based heading level, 0 for body styles
	toc        bool // a table of contents entry or heading ("toc 1", "TOC Heading")
	numID, lvl string
	hasNum     bool
}

type docxLevel struct {
	start   int
	numFmt  string
	text    string
	restart int // 1-based level whose use restarts this one; -1 unset; 0 never
	suff    string
	isLgl   bool
	set     bool
	pStyle  string // the paragraph style this level is linked to
}

type docxAbstract struct {
	levels [9]docxLevel
	// styleLink/numStyleLink: a list defined through a numbering style.
	numStyleLink string
}

type docxNum struct {
	abstract string
	override [9]*int // startOverride per level
	lvl      [9]*docxLevel
	used     bool
}

type docxReader struct {
	styles   map[string]*docxStyle
	nums     map[string]*docxNum
	abstract map[string]*docxAbstract
	defStyle string
	// counters per list and level: by abstract definition, or by num for
	// a list restarted with a startOverride.
	counters map[string]*[9]int
}

func atoiDef(s string, def int) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return def
	}
	return n
}

// headingStyleLevel reads a style name as a heading level: "heading 2",
// "Heading 2", "标题 2".
func headingStyleLevel(name string) int {
	n := strings.ToLower(strings.TrimSpace(name))
	for _, p := range []string{"heading", "标题"} {
		if rest, ok := strings.CutPrefix(n, p); ok {
			if l := atoiDef(rest, 0); l >= 1 && l <= 9 {
				return l
			}
		}
	}
	return 0
}

func (d *docxReader) parseStyles(b []byte) {
	dec := xml.NewDecoder(bytes.NewReader(b))
	var cur *docxStyle
	var curID string
	for {
		tok, err := dec.Token()
		if err != nil {
			return
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			if ee, ok := tok.(xml.EndElement); ok && ee.Name.Local == "style" {
				cur = nil
			}
			continue
		}
		switch se.Name.Local {
		case "style":
			if attr(se, "type") != "paragraph" {
				cur = nil
				dec.Skip()
				continue
			}
			curID = attr(se, "styleId")
			cur = &docxStyle{}
			d.styles[curID] = cur
			if v := attr(se, "default"); v == "1" || v == "true" {
				d.defStyle = curID
			}
		case "name":
			if cur != nil && cur.heading == 0 {
				cur.heading = headingStyleLevel(attr(se, "val"))
			}
			if cur != nil {
				n := strings.ToLower(attr(se, "val"))
				cur.toc = strings.HasPrefix(n, "toc ") || strings.HasPrefix(n, "目录")
			}
		case "basedOn":
			if cur != nil {
				cur.basedOn = attr(se, "val")
			}
		case "outlineLvl":
			if cur != nil {
				if l := atoiDef(attr(se, "val"), 9); l < 9 {
					cur.heading = l + 1
				}
			}
		case "numId":
			if cur != nil {
				cur.numID, cur.hasNum = attr(se, "val"), true
			}
		case "ilvl":
			if cur != nil {
				cur.lvl = attr(se, "val")
			}
		case "rPr", "tblPr", "tcPr", "trPr":
			dec.Skip()
		}
	}
}

func parseLevel(dec *xml.Decoder, se xml.StartElement) (int, docxLevel) {
	ilvl := atoiDef(attr(se, "ilvl"), -1)
	l := docxLevel{start: 1, numFmt: "decimal", restart: -1, suff: "tab", set: true}
	for {
		tok, err := dec.Token()
		if err != nil {
			return -1, l
		}
		switch t := tok.(type) {
		case xml.StartElement:
			v := attr(t, "val")
			switch t.Name.Local {
			case "start":
				l.start = atoiDef(v, 1)
			case "numFmt":
				l.numFmt = v
			case "lvlText":
				l.text = v
			case "lvlRestart":
				l.restart = atoiDef(v, -1)
			case "suff":
				l.suff = v
			case "pStyle":
				l.pStyle = v
			case "isLgl":
				l.isLgl = v == "" || v == "1" || v == "true" || v == "on"
			case "pPr", "rPr":
				dec.Skip()
			}
		case xml.EndElement:
			if t.Name.Local == "lvl" {
				return ilvl, l
			}
		}
	}
}

func (d *docxReader) parseNumbering(b []byte) {
	dec := xml.NewDecoder(bytes.NewReader(b))
	var abs *docxAbstract
	var num *docxNum
	ovl := -1
	for {
		tok, err := dec.Token()
		if err != nil {
			return
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "abstractNum":
				abs = &docxAbstract{}
				d.abstract[attr(t, "abstractNumId")] = abs
			case "num":
				num = &docxNum{}
				d.nums[attr(t, "numId")] = num
			case "abstractNumId":
				if num != nil {
					num.abstract = attr(t, "val")
				}
			case "numStyleLink":
				if abs != nil {
					abs.numStyleLink = attr(t, "val")
				}
			case "lvlOverride":
				ovl = atoiDef(attr(t, "ilvl"), -1)
			case "startOverride":
				if num != nil && ovl >= 0 && ovl < 9 {
					s := atoiDef(attr(t, "val"), 1)
					num.override[ovl] = &s
				}
			case "lvl":
				i, l := parseLevel(dec, t)
				if i < 0 || i >= 9 {
					continue
				}
				if num != nil && ovl >= 0 {
					num.lvl[i] = &l
				} else if abs != nil {
					abs.levels[i] = l
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "abstractNum":
				abs = nil
			case "num":
				num = nil
			case "lvlOverride":
				ovl = -1
			}
		}
	}
}

// paraProps are what a paragraph's w:pPr says about numbering and headings.
type paraProps struct {
	style      string
	numID, lvl string
	hasNum     bool
	outline    int // 1-based; 0 unset
}

// resolve follows a paragraph's style chain for numbering and heading level.
func (d *docxReader) resolve(p paraProps) (numID string, ilvl int, heading int) {
	ilvl = -1
	if p.hasNum {
		numID = p.numID
		ilvl = atoiDef(p.lvl, -1)
	}
	heading = p.outline
	sid := p.style
	if sid == "" {
		sid = d.defStyle
	}
	for i := 0; sid != "" && i < 20; i++ {
		s := d.styles[sid]
		if s == nil {
			break
		}
		if heading == 0 {
			heading = s.heading
		}
		if !p.hasNum && s.hasNum && numID == "" {
			numID = s.numID
			if s.lvl != "" {
				ilvl = atoiDef(s.lvl, 0)
			}
		}
		if ilvl < 0 && s.lvl != "" && numID != "" {
			ilvl = atoiDef(s.lvl, 0)
		}
		sid = s.basedOn
	}
	if ilvl < 0 && numID != "" {
		// A heading style linked to a list names no level; the list's
		// level that names the style (w:lvl/w:pStyle) is the one.
		ilvl = d.styleLevel(numID, p.style)
	}
	if ilvl < 0 {
		ilvl = 0
	}
	return numID, ilvl, heading
}

// styleLevel returns the level of a list linked to a paragraph style, -1
// when none is.
func (d *docxReader) styleLevel(numID, style string) int {
	num := d.nums[numID]
	if num == nil || style == "" {
		return -1
	}
	for i := 0; i < 9; i++ {
		if _, l := d.level(num, i); l != nil && l.pStyle == style {
			return i
		}
	}
	return -1
}

// level returns a list's level definition, with a num's override applied
// and a definition made through a numbering style followed.
func (d *docxReader) level(num *docxNum, ilvl int) (string, *docxLevel) {
	if l := num.lvl[ilvl]; l != nil {
		return num.abstract, l
	}
	id := num.abstract
	for i := 0; i < 5; i++ {
		a := d.abstract[id]
		if a == nil {
			return id, nil
		}
		if a.numStyleLink == "" || a.levels[ilvl].set {
			return id, &a.levels[ilvl]
		}
		s := d.styles[a.numStyleLink]
		if s == nil || d.nums[s.numID] == nil {
			return id, &a.levels[ilvl]
		}
		id = d.nums[s.numID].abstract
	}
	return id, nil
}

// number renders the label Word shows before a numbered paragraph and
// advances the list's counters.
func (d *docxReader) number(numID string, ilvl int) string {
	num := d.nums[numID]
	if num == nil || numID == "0" || ilvl < 0 || ilvl >= 9 {
		return ""
	}
	absID, lvl := d.level(num, ilvl)
	if lvl == nil || !lvl.set {
		return ""
	}
	if d.counters == nil {
		d.counters = map[string]*[9]int{}
	}
	// Lists sharing an abstract definition continue each other's count, as
	// Word shows them; a list restarted by a startOverride counts on its own.
	key := absID
	for _, s := range num.override {
		if s != nil {
			key = "num " + numID
			break
		}
	}
	cs := d.counters[key]
	if cs == nil {
		cs = new([9]int)
		for i := range cs {
			cs[i] = -1 // not yet used
		}
		d.counters[key] = cs
	}
	if !num.used {
		num.used = true
		for i, s := range num.override {
			if s != nil {
				cs[i] = *s - 1 // the next paragraph at level i shows *s
			}
		}
	}
	if cs[ilvl] < 0 {
		cs[ilvl] = lvl.start - 1
	}
	cs[ilvl]++
	for k := ilvl + 1; k < 9; k++ {
		_, kl := d.level(num, k)
		restart := -1
		if kl != nil {
			restart = kl.restart
		}
		if restart < 0 || (restart != 0 && ilvl < restart) {
			cs[k] = -1
		}
	}
	if lvl.numFmt == "bullet" || lvl.numFmt == "none" {
		return ""
	}
	var sb strings.Builder
	t := lvl.text
	for i := 0; i < len(t); i++ {
		if t[i] == '%' && i+1 < len(t) && t[i+1] >= '1' && t[i+1] <= '9' {
			k := int(t[i+1] - '1')
			i++
			_, kl := d.level(num, k)
			n := cs[k]
			if n < 0 {
				n = 1
				if kl != nil {
					n = kl.start
				}
			}
			f := "decimal"
			if kl != nil {
				f = kl.numFmt
			}
			if lvl.isLgl {
				f = "decimal"
			}
			sb.WriteString(formatNumber(n, f))
			continue
		}
		sb.WriteByte(t[i])
	}
	label := sb.String()
	if label == "" {
		return ""
	}
	switch lvl.suff {
	case "nothing":
	case "space":
		label += " "
	default: // a tab: a space unless the label ends in a full-width mark (一、 （一）)
		if r, _ := utf8.DecodeLastRuneInString(label); r < 0x2E80 || !unicode.IsPunct(r) {
			label += " "
		}
	}
	return label
}

const (
	cnDigits = "零一二三四五六七八九"
	cnLegal  = "零壹贰叁肆伍陆柒捌玖"
)

// formatNumber renders n in one of Word's number formats (w:numFmt).
func formatNumber(n int, f string) string {
	if n < 0 {
		n = 0
	}
	switch f {
	case "decimal", "":
		return strconv.Itoa(n)
	case "decimalZero":
		if n < 10 {
			return "0" + strconv.Itoa(n)
		}
		return strconv.Itoa(n)
	case "decimalFullWidth", "decimalFullWidth2":
		var sb strings.Builder
		for _, r := range strconv.Itoa(n) {
			sb.WriteRune(r - '0' + '０')
		}
		return sb.String()
	case "upperLetter", "lowerLetter":
		if n < 1 || n > 26*20 {
			return strconv.Itoa(n)
		}
		base := 'a'
		if f == "upperLetter" {
			base = 'A'
		}
		// Word repeats the letter: A..Z, AA..ZZ, AAA…
		return strings.Repeat(string(base+rune((n-1)%26)), (n-1)/26+1)
	case "upperRoman", "lowerRoman":
		r := roman(n)
		if f == "lowerRoman" {
			r = strings.ToLower(r)
		}
		return r
	case "chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting", "taiwaneseCountingThousand", "koreanCounting":
		return chineseNumber(n, cnDigits, "十百千")
	case "chineseLegalSimplified":
		return chineseNumber(n, cnLegal, "拾佰仟")
	case "ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand":
		var sb strings.Builder
		for _, r := range strconv.Itoa(n) {
			if r == '0' {
				sb.WriteRune('〇')
			} else {
				sb.WriteRune([]rune(cnDigits)[r-'0'])
			}
		}
		return sb.String()
	case "ideographTraditional":
		return cycle(n, "甲乙丙丁戊己庚辛壬癸")
	case "ideographZodiac":
		return cycle(n, "子丑寅卯辰巳午未申酉戌亥")
	case "decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle":
		switch {
		case n >= 1 && n <= 20:
			return string(rune('①' + n - 1))
		case n >= 21 && n <= 35:
			return string(rune('㉑' + n - 21))
		case n >= 36 && n <= 50:
			return string(rune('㊱' + n - 36))
		}
		return strconv.Itoa(n)
	case "decimalEnclosedParen":
		if n >= 1 && n <= 20 {
			return string(rune('⑴' + n - 1))
		}
		return "(" + strconv.Itoa(n) + ")"
	case "decimalEnclosedFullstop":
		if n >= 1 && n <= 20 {
			return string(rune('⒈' + n - 1))
		}
		return strconv.Itoa(n) + "."
	case "ordinal":
		return strconv.Itoa(n) + "."
	}
	return strconv.Itoa(n)
}

func cycle(n int, set string) string {
	rs := []rune(set)
	if n < 1 {
		return strconv.Itoa(n)
	}
	return string(rs[(n-1)%len(rs)])
}

func roman(n int) string {
	if n < 1 || n >= 4000 {
		return strconv.Itoa(n)
	}
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
	var sb strings.Builder
	for i, v := range vals {
		for n >= v {
			sb.WriteString(syms[i])
			n -= v
		}
	}
	return sb.String()
}

// chineseNumber writes n in Chinese numerals as Word's chineseCounting does:
// 十, 十一, 二十, 一百零一, 一千零二十. Numbers from 10000 on are written
// digit by digit.
func chineseNumber(n int, digits, units string) string {
	d := []rune(digits)
	u := []rune(units)
	if n <= 0 {
		return string(d[0])
	}
	if n >= 10000 {
		var sb strings.Builder
		for _, r := range strconv.Itoa(n) {
			sb.WriteRune(d[r-'0'])
		}
		return sb.String()
	}
	if n >= 10 && n < 20 {
		s := string(u[0])
		if n > 10 {
			s += string(d[n-10])
		}
		return s
	}
	var sb strings.Builder
	pow := []int{1000, 100, 10, 1}
	zero := false
	started := false
	for i, p := range pow {
		q := n / p % 10
		if q == 0 {
			if started {
				zero = true
			}
			continue
		}
		if zero {
			sb.WriteRune(d[0])
			zero = false
		}
		sb.WriteRune(d[q])
		if i < 3 {
			sb.WriteRune(u[2-i])
		}
		started = true
	}
	return sb.String()
}

// docxCell and docxTable collect a table while its rows are read.
type docxCell struct {
	text   []string
	span   int
	vMerge string // "restart", "continue" or ""
}

type docxTable struct {
	rows  [][]*docxCell
	row   []*docxCell
	cell  *docxCell
	inRow bool
}

// render walks word/document.xml and writes the body text: one line per
// paragraph, numbering labels in front, tables row by row.
func (d *docxReader) render(body []byte, max int) (string, error) {
	dec := xml.NewDecoder(bytes.NewReader(body))
	var out strings.Builder
	var tables []*docxTable
	// Paragraphs nest (a text box inside a run); each has its own text.
	type para struct {
		props paraProps
		sb    strings.Builder
		inPPr bool
		inNum bool
		toc   bool // a table of contents line: left out, it would read as headings
	}
	var paras []*para
	current := func() *para { // the paragraph being read, nil before the first
		if len(paras) == 0 {
			return nil
		}
		return paras[len(paras)-1]
	}
	skip := 0 // depth inside an element whose text is not shown
	sawBody := false
	size := 0 // bytes of text so far, in cells too
	depth := 0
	emit := func(line string) {
		line = strings.TrimSpace(line)
		if line == "" {
			return
		}
		size += len(line) + 1
		if n := len(tables); n > 0 && tables[n-1].cell != nil {
			c := tables[n-1].cell
			c.text = append(c.text, line)
			return
		}
		out.WriteString(line)
		out.WriteByte('\n')
	}
	inText := false
	for {
		if size > max {
			return "", fmt.Errorf("docx: %w: the text is over the limit of %d bytes", ErrTooLarge, max)
		}
		// RawToken: no namespace translation (parts are matched by local
		// name), about a third faster; element nesting is checked by depth.
		tok, err := dec.RawToken()
		if err == io.EOF {
			if depth != 0 {
				return "", fmt.Errorf("docx: %w: document.xml is cut short", ErrDamaged)
			}
			break
		}
		if err != nil {
			if !sawBody {
				return "", fmt.Errorf("docx: %w: document.xml: %v", ErrDamaged, err)
			}
			// A truncated document: keep what was read, say so.
			return "", fmt.Errorf("docx: %w: document.xml is cut short: %v", ErrDamaged, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if skip > 0 {
				skip++
				continue
			}
			p := current()
			switch t.Name.Local {
			case "body":
				sawBody = true
			case "p":
				paras = append(paras, &para{})
			case "pPr":
				if p != nil {
					p.inPPr = true
				}
			case "rPr", "sectPr", "tblPr", "tblGrid", "trPr", "instrText", "delText", "Fallback", "del", "moveFrom", "footnoteReference", "endnoteReference", "commentReference", "annotationRef", "object":
				// Formatting, field codes, deleted text, and a drawing's
				// fallback copy (its text boxes are read once, through
				// mc:Choice) are not shown text.
				skip = 1
			case "pStyle":
				if p != nil && p.inPPr {
					p.props.style = attr(t, "val")
				}
			case "numPr":
				if p != nil && p.inPPr {
					p.inNum = true
					p.props.hasNum = true
				}
			case "numId":
				if p != nil && p.inNum {
					p.props.numID = attr(t, "val")
				}
			case "ilvl":
				if p != nil && p.inNum {
					p.props.lvl = attr(t, "val")
				}
			case "outlineLvl":
				if p != nil && p.inPPr {
					if l := atoiDef(attr(t, "val"), 9); l < 9 {
						p.props.outline = l + 1
					}
				}
			case "t":
				inText = p != nil
			case "tab", "ptab":
				if p != nil && !p.inPPr {
					p.sb.WriteByte(' ')
				}
			case "br", "cr":
				if p != nil && attr(t, "type") != "page" && attr(t, "type") != "column" {
					p.sb.WriteByte('\n')
				}
			case "noBreakHyphen":
				if p != nil {
					p.sb.WriteByte('-')
				}
			case "sym":
				// a symbol-font glyph: no Unicode text
			case "tbl":
				tables = append(tables, &docxTable{})
			case "tr":
				if n := len(tables); n > 0 {
					tables[n-1].row = nil
					tables[n-1].inRow = true
				}
			case "tc":
				if n := len(tables); n > 0 {
					tables[n-1].cell = &docxCell{span: 1}
				}
			case "gridSpan":
				if n := len(tables); n > 0 && tables[n-1].cell != nil {
					if s := atoiDef(attr(t, "val"), 1); s >= 1 && s <= 64 {
						tables[n-1].cell.span = s
					}
				}
			case "vMerge":
				if n := len(tables); n > 0 && tables[n-1].cell != nil {
					v := attr(t, "val")
					if v == "" {
						v = "continue"
					}
					tables[n-1].cell.vMerge = v
				}
			}
		case xml.EndElement:
			depth--
			if skip > 0 {
				skip--
				continue
			}
			p := current()
			switch t.Name.Local {
			case "t":
				inText = false
			case "numPr":
				if p != nil {
					p.inNum = false
				}
			case "pPr":
				if p != nil && p.inPPr {
					p.inPPr = false
					if st := d.styles[p.props.style]; st != nil && st.toc {
						p.toc = true
						continue
					}
					numID, ilvl, _ := d.resolve(p.props)
					if numID != "" {
						p.sb.WriteString(d.number(numID, ilvl))
					}
				}
			case "p":
				if p == nil {
					continue
				}
				paras = paras[:len(paras)-1]
				if p.toc {
					continue
				}
				for _, line := range strings.Split(p.sb.String(), "\n") {
					emit(line)
				}
			case "tc":
				if n := len(tables); n > 0 && tables[n-1].cell != nil {
					tb := tables[n-1]
					tb.row = append(tb.row, tb.cell)
					tb.cell = nil
				}
			case "tr":
				if n := len(tables); n > 0 {
					tb := tables[n-1]
					tb.rows = append(tb.rows, tb.row)
					tb.row, tb.inRow = nil, false
				}
			case "tbl":
				if n := len(tables); n > 0 {
					tb := tables[n-1]
					tables = tables[:n-1]
					renderTable(tb.rows, func(line string) bool {
						emit(line)
						return size <= max
					})
				}
			}
		case xml.CharData:
			if inText && skip == 0 && len(paras) > 0 {
				paras[len(paras)-1].sb.Write(t)
			}
		}
	}
	if !sawBody {
		return "", fmt.Errorf("docx: %w: document.xml has no body", ErrDamaged)
	}
	return out.String(), nil
}

// renderTable writes a table's rows as lines. With a header row and more
// than one column, each cell is prefixed by its column's header
// ("指标：地区生产总值，2018年：641.8亿元，增长：8.0%。"); cells merged down
// repeat the value above so every row stands alone. Cells are joined by
// "，" and a row ends in "。": rag cuts sentences at "；", which would part a
// figure from its row's name, and Clean joins a line not ending in a stop
// to the next, which would run rows together. Lines go to emit, which returns false
// to stop (a limit is reached).
func renderTable(rows [][]*docxCell, emit func(string) bool) {
	// Lay cells out on the grid.
	var grid [][]string
	var above []string
	for _, r := range rows {
		var line []string
		for _, c := range r {
			txt := strings.Join(c.text, " ")
			col := len(line)
			if c.vMerge == "continue" && col < len(above) {
				txt = above[col]
			}
			line = append(line, txt)
			for s := 1; s < c.span; s++ {
				line = append(line, "\x00") // covered by the span
			}
		}
		above = line
		grid = append(grid, line)
	}
	// Drop rows with no text.
	var rs [][]string
	for _, r := range grid {
		for _, c := range r {
			if c != "" && c != "\x00" {
				rs = append(rs, r)
				break
			}
		}
	}
	plain := func(r []string) string {
		var parts []string
		for _, c := range r {
			if c != "" && c != "\x00" {
				parts = append(parts, c)
			}
		}
		return strings.Join(parts, "，")
	}
	// Title rows: a single cell across the table.
	for len(rs) > 0 && countCells(rs[0]) == 1 && len(rs[0]) > 1 && len(rs) > 2 {
		if !emit(plain(rs[0])) {
			return
		}
		rs = rs[1:]
	}
	if len(rs) < 2 || len(rs[0]) < 2 {
		for _, r := range rs {
			if !emit(plain(r)) {
				return
			}
		}
		return
	}
	header := rs[0]
	// A header cell spanning columns names them all.
	for i := 1; i < len(header); i++ {
		if header[i] == "\x00" {
			header[i] = header[i-1]
		}
	}
	for _, r := range rs[1:] {
		var parts []string
		for i, c := range r {
			if c == "" || c == "\x00" {
				continue
			}
			h := ""
			if i < len(header) {
				h = header[i]
			}
			if h == "" || h == c {
				parts = append(parts, c)
			} else {
				parts = append(parts, h+"："+c)
			}
		}
		if len(parts) > 0 && !emit(strings.Join(parts, "，")+"。") {
			return
		}
	}
}

func countCells(r []string) int {
	n := 0
	for _, c := range r {
		if c != "" && c != "\x00" {
			n++
		}
	}
	return n
}
