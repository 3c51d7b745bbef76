package rag

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"policybot/fold"
)

// FigureWarning is appended after each sentence of an answer that states a
// figure not found in the passages the sentence cites.
const FigureWarning = "（⚠未在引用资料中找到该数字）"

// Checked is an LLM answer after CheckAnswer.
type Checked struct {
	// Answer is the answer with invalid citations removed, valid ones written
	// [n], and FigureWarning after each sentence with an unbacked figure.
	Answer string
	// Cited holds the valid passage numbers (1-based) in order of first use,
	// each once.
	Cited []int
	// Unsupported holds, without citations, each sentence that states a
	// figure none of its passages contains. Never nil.
	Unsupported []string
	// Uncited reports an answer, other than the refusal, that cites nothing valid.
	Uncited bool
	// Refused reports that the answer is the refusal marker LLMRefusal.
	Refused bool
}

// IsRefusal reports whether answer is the refusal marker LLMRefusal, give or
// take surrounding space, the final full stop and citations.
func IsRefusal(answer string) bool {
	t := citeRun.ReplaceAllString(answer, "")
	t = strings.TrimRight(strings.TrimSpace(t), "。.！! ")
	return t == strings.TrimSuffix(LLMRefusal, "。")
}

// CheckAnswer validates the citations and figures of an LLM answer written
// from passages (cited as [1]..[len(passages)]).
//
// Citations: the forms [n], [n,m], [n、m], [n-m], [n][m], 【n】, ［n］ and
// [资料n] are recognised when every number has at most three digits (so a
// bracketed year such as [2017] is left alone). Numbers outside
// 1..len(passages) are dropped, the rest rewritten as [n][m].
//
// Figures: the answer is split into sentences at 。！？；!?; and line breaks
// (a citation right after the end mark belongs to the sentence before). Each
// figure a sentence states must occur in one of the passages it cites; a
// sentence citing nothing borrows the citations of the next citing sentence
// in its paragraph (paragraphs are separated by blank lines), else it is
// checked against all passages. A passage's title, section and date count as
// its text. Both sides are compared after folding traditional script and
// full-width forms, removing pinyin annotations such as "(bào)", and turning
// dates 2019-11-22 into 2019年11月22日. A figure is compared by value, so
// 641.8亿, 641.8億 and 64,180,000,000 match, 7.3万 matches 七点三万, 100万
// matches 百万, 第5 matches 第五, and 2019年2月16日 matches 二O一九年二月十六日.
// Percent (%), per mille (‰) and percentage points (个百分点) must agree, an
// ordinal (第…) must be an ordinal in the passage, and a figure followed by
// 年, 月 or 日 must not carry a different one of those units there.
//
// What counts as a figure: every number in Arabic digits, except list
// markers (1. 1、 (1)) at the start of a sentence; Chinese numerals that are
// ordinals (第三, except a leading discourse marker such as "第一，"), that
// follow 百分之, that carry 万 or 亿 (百万, 七点三万), that are dates (二〇一九年,
// 二月, 十六日), or that are at least ten and followed by a counter (十四届,
// 十九大). Chinese counts from two to nine followed by a counter (两个, 三大,
// 五项) are everyday words in summaries, so they are checked loosely: any
// occurrence of the same value in the passages backs them. 一 on its own
// (一个, 一批, 统一) and numerals in names such as 十四五 are not figures.
func CheckAnswer(answer string, passages []Passage) Checked {
	text, cited := normalizeCitations(answer, len(passages))
	c := Checked{Answer: strings.TrimSpace(text), Cited: cited, Unsupported: []string{}}
	if IsRefusal(text) {
		c.Answer, c.Cited, c.Refused = LLMRefusal, nil, true
		return c
	}
	c.Uncited = len(cited) == 0

	segs := splitSentences(c.Answer)
	var pfigs [][]figure // lazily extracted figures of each passage
	figuresOf := func(i int) []figure {
		if pfigs == nil {
			pfigs = make([][]figure, len(passages))
		}
		if pfigs[i] == nil {
			p := passages[i]
			pfigs[i] = extractFigures(p.Title+"\n"+p.Section+"\n"+p.Date+"\n"+p.Text, false)
		}
		return pfigs[i]
	}

	var b strings.Builder
	for i, sg := range segs {
		b.WriteString(sg.text)
		stripped := strings.TrimSpace(citeRun.ReplaceAllString(sg.text, ""))
		figs := extractFigures(stripSentenceMarker(stripped), true)
		if len(figs) > 0 && !figuresBacked(figs, sourcesFor(segs, i, len(passages)), figuresOf) {
			b.WriteString(FigureWarning)
			c.Unsupported = append(c.Unsupported, stripped)
		}
		b.WriteString(sg.sep)
	}
	c.Answer = b.String()
	return c
}

// figuresBacked reports whether every figure occurs in one of the passages
// (0-based indexes).
func figuresBacked(figs []figure, sources []int, figuresOf func(int) []figure) bool {
	for _, f := range figs {
		found := false
		for _, i := range sources {
			for _, p := range figuresOf(i) {
				if backs(p, f) {
					found = true
					break
				}
			}
			if found {
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// sourcesFor returns the 0-based passage indexes sentence i is checked
// against: its own citations, else those of the next citing sentence in the
// same paragraph, else every passage.
func sourcesFor(segs []segment, i, n int) []int {
	for j := i; j < len(segs) && segs[j].para == segs[i].para; j++ {
		if cs := citedIn(segs[j].text, n); len(cs) > 0 {
			return cs
		}
	}
	all := make([]int, n)
	for k := range all {
		all[k] = k
	}
	return all
}

// citedIn returns the 0-based indexes of the valid [n] citations in s.
func citedIn(s string, n int) []int {
	var out []int
	for _, m := range oneCite.FindAllStringSubmatch(s, -1) {
		if k, err := strconv.Atoi(m[1]); err == nil && k >= 1 && k <= n {
			out = append(out, k-1)
		}
	}
	return out
}

// Citation syntax. citeGroup matches one bracketed group; citeRun a run of
// groups separated by spaces at most, which normalizeCitations merges.
var (
	citeGroup = `[\[［【]\s*(?:资料|来源|参考|文献)?\s*[0-9０-９]{1,3}(?:\s*(?:[,，、;；]|[-–—~～])\s*(?:资料|来源|参考|文献)?\s*[0-9０-９]{1,3})*\s*[\]］】]`
	citeRun   = regexp.MustCompile(`(?:` + citeGroup + `[ \t　]*)*` + citeGroup)
	citeItem  = regexp.MustCompile(`[0-9０-９]{1,3}(?:\s*[-–—~～]\s*(?:资料|来源|参考|文献)?\s*[0-9０-９]{1,3})?`)
	oneCite   = regexp.MustCompile(`\[([0-9]{1,3})\]`)
)

// maxCiteRange bounds how many numbers a range such as [1-3] expands to.
const maxCiteRange = 50

// normalizeCitations rewrites every run of citation groups as [a][b]…
// holding the numbers in 1..n, each once, and drops runs with none. It
// returns the new text and the valid numbers in order of first use.
func normalizeCitations(s string, n int) (string, []int) {
	var cited []int
	seen := map[int]bool{}
	var b strings.Builder
	last := 0
	for _, loc := range citeRun.FindAllStringIndex(s, -1) {
		run := s[loc[0]:loc[1]]
		var nums []int
		inRun := map[int]bool{}
		add := func(k int) {
			if k < 1 || k > n || inRun[k] {
				return
			}
			inRun[k] = true
			nums = append(nums, k)
		}
		for _, item := range citeItem.FindAllString(fold.String(run), -1) {
			lo, hi := item, item
			if i := strings.IndexFunc(item, func(r rune) bool { return !unicode.IsDigit(r) }); i >= 0 {
				lo = item[:i]
				hi = strings.TrimLeftFunc(item[i:], func(r rune) bool { return !unicode.IsDigit(r) })
			}
			a, _ := strconv.Atoi(lo)
			z, _ := strconv.Atoi(hi)
			if z < a {
				a, z = z, a
			}
			for k := a; k <= z && k-a < maxCiteRange; k++ {
				add(k)
			}
		}
		prefix := s[last:loc[0]]
		if len(nums) == 0 {
			prefix = strings.TrimRight(prefix, " \t")
		}
		b.WriteString(prefix)
		for _, k := range nums {
			b.WriteString("[" + strconv.Itoa(k) + "]")
			if !seen[k] {
				seen[k] = true
				cited = append(cited, k)
			}
		}
		last = loc[1]
	}
	b.WriteString(s[last:])
	return b.String(), cited
}

// segment is one sentence of an answer: its text (end marks and trailing
// citations included, line break excluded), the line break after it if
// any, and the paragraph it belongs to.
type segment struct {
	text string
	sep  string
	para int
}

func isSentenceEnd(r rune) bool { return strings.ContainsRune("。！？；!?;", r) }

// isCloser reports closing quotes and brackets that may follow an end mark.
func isCloser(r rune) bool { return strings.ContainsRune("”’」』）)】》\"'", r) }

// splitSentences cuts s into sentences; concatenating text+sep of all
// segments gives s back.
func splitSentences(s string) []segment {
	var (
		segs      []segment
		cur       strings.Builder
		para      int
		lineBlank = true
	)
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if r == '\n' {
			if lineBlank && len(segs) > 0 {
				para++
			}
			segs = append(segs, segment{text: cur.String(), sep: "\n", para: para})
			cur.Reset()
			lineBlank = true
			continue
		}
		if !unicode.IsSpace(r) {
			lineBlank = false
		}
		cur.WriteRune(r)
		if !isSentenceEnd(r) {
			continue
		}
		j := i + 1
		for j < len(rs) && (isSentenceEnd(rs[j]) || isCloser(rs[j])) {
			j++
		}
		for k := citeAt(rs, j); k > j; k = citeAt(rs, j) {
			j = k
		}
		cur.WriteString(string(rs[i+1 : j]))
		i = j - 1
		segs = append(segs, segment{text: cur.String(), para: para})
		cur.Reset()
	}
	if cur.Len() > 0 {
		segs = append(segs, segment{text: cur.String(), para: para})
	}
	return segs
}

// citeAt returns the index after the normalized citation [n] starting at
// rs[j], or j if there is none.
func citeAt(rs []rune, j int) int {
	if j >= len(rs) || rs[j] != '[' {
		return j
	}
	k := digitsAt(rs, j+1)
	if k == j+1 || k-(j+1) > 3 || k >= len(rs) || rs[k] != ']' {
		return j
	}
	return k + 1
}

// listMarker matches a list or outline marker at the start of a sentence:
// 1. 1、 1) (1) and markdown bullets or emphasis before them.
var listMarker = regexp.MustCompile(`^[\s*#>•·\-]*(?:[(（][0-9０-９]{1,2}[)）]|[0-9０-９]{1,2}[.．、)）])`)

// discourseOrdinal matches a leading "第一，" style discourse marker.
var discourseOrdinal = regexp.MustCompile(`^[\s*#>•·\-]*第[一二三四五六七八九十]+[，,、：:]`)

// stripSentenceMarker removes a leading list marker or discourse ordinal,
// which are structure, not figures. "1.5%" is a number, not marker 1.
func stripSentenceMarker(s string) string {
	if m := listMarker.FindStringIndex(s); m != nil {
		rest := s[m[1]:]
		if r := []rune(rest); len(r) == 0 || !unicode.IsDigit(r[0]) {
			return rest
		}
	}
	return discourseOrdinal.ReplaceAllString(s, "")
}

// figKind says whether a figure is a percentage and of which sort.
type figKind uint8

const (
	plainFig figKind = iota
	percentFig
	permilleFig
	pointsFig // 个百分点
)

// figure is one number found in text.
type figure struct {
	text    string // as written after folding, for messages and tests
	value   float64
	kind    figKind
	ordinal bool // preceded by 第
	unit    rune // 年, 月, 日 or 0
	// loose marks a small Chinese count (两个, 三大): any occurrence of the
	// value in a passage backs it.
	loose bool
}

// backs reports whether passage figure p supports answer figure f.
func backs(p, f figure) bool {
	if p.kind != f.kind || !sameValue(p.value, f.value) {
		return false
	}
	if f.loose {
		return true
	}
	if f.ordinal && !p.ordinal {
		return false
	}
	return f.unit == 0 || p.unit == 0 || p.unit == f.unit
}

func sameValue(a, b float64) bool {
	return a == b || math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b))
}

var (
	// pinyin drops the pinyin annotations of the traditional-script seed
	// ("報(bào)告"), which can sit between a number and its unit.
	pinyin = regexp.MustCompile(`\([a-zà-ɏ]{1,8}\)`)
	// isoDate rewrites 2019-11-22, 2019/11/22 and 2019.11.22 in Chinese form.
	isoDate = regexp.MustCompile(`\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b`)
)

// figureText prepares text for figure extraction. The full-width comma is
// turned into 、 before folding so that it is never read as a thousands
// separator.
func figureText(s string) []rune {
	s = strings.ReplaceAll(s, "，", "、")
	s = fold.String(s)
	s = pinyin.ReplaceAllString(s, "")
	s = isoDate.ReplaceAllString(s, "${1}年${2}月${3}日")
	return []rune(s)
}

// Character classes of Chinese numerals.
const (
	cnDigits   = "零〇○一二三四五六七八九两"
	cnUnits    = "十百千"
	cnBig      = "万亿"
	cnCounters = "个项大类届次条名位家所座批件种点张篇章款级倍岁人户元亩吨台辆层期轮天周部套块"
)

func cnDigit(r rune) (int, bool) {
	switch r {
	case '零', '〇', '○', 'o', '0':
		return 0, true
	case '一':
		return 1, true
	case '二', '两':
		return 2, true
	case '三':
		return 3, true
	case '四':
		return 4, true
	case '五':
		return 5, true
	case '六':
		return 6, true
	case '七':
		return 7, true
	case '八':
		return 8, true
	case '九':
		return 9, true
	}
	return 0, false
}

func isCNDigit(r rune) bool { return strings.ContainsRune(cnDigits, r) }

func isASCIIDigit(r rune) bool { return '0' <= r && r <= '9' }

func isNumSpace(r rune) bool { return r == ' ' || r == '\u00a0' || r == '\u2009' || r == '\u202f' }

// extractFigures returns the figures in s. For an answer (answer true) it
// returns only what CheckAnswer checks; for a passage it returns every
// number, and for 1,234-style groups also each group alone, since the seed
// texts use "," as a Chinese comma.
func extractFigures(s string, answer bool) []figure {
	rs := figureText(s)
	var out []figure
	pct := false // just after 百分之
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case r == '百' && i+2 < len(rs) && rs[i+1] == '分' && rs[i+2] == '之':
			pct = true
			i += 3
			continue
		case isASCIIDigit(r):
			f, parts, j := arabicFigure(rs, i)
			if pct {
				f.kind = percentFig
			}
			out = append(out, f)
			if !answer {
				out = append(out, parts...)
			}
			i = j
		case isCNDigit(r) || strings.ContainsRune(cnUnits, r):
			f, kind, j := chineseFigure(rs, i)
			if j == i {
				i++
				break
			}
			if pct {
				f.kind = percentFig
			}
			if !answer {
				if kind != cnInvalid {
					out = append(out, f)
				}
			} else if kind == cnStrict || pct && kind != cnInvalid {
				out = append(out, f)
			} else if kind == cnLoose {
				f.loose = true
				out = append(out, f)
			}
			i = j
		default:
			i++
		}
		pct = false
	}
	return out
}

// before returns the rune before index i, skipping number spaces, or 0.
func before(rs []rune, i int) rune {
	for i--; i >= 0; i-- {
		if !isNumSpace(rs[i]) {
			return rs[i]
		}
	}
	return 0
}

// skipSpaces returns the first index from j that is not a number space.
func skipSpaces(rs []rune, j int) int {
	for j < len(rs) && isNumSpace(rs[j]) {
		j++
	}
	return j
}

// digitsAt returns the end of the run of ASCII digits starting at j.
func digitsAt(rs []rune, j int) int {
	for j < len(rs) && isASCIIDigit(rs[j]) {
		j++
	}
	return j
}

// arabicFigure reads the number in Arabic digits at rs[i] with its thousands
// groups, decimals, magnitude (万 亿 千 百), percent sign and time unit. It
// returns the figure, each thousands group as a figure of its own, and the
// index after the figure.
func arabicFigure(rs []rune, i int) (figure, []figure, int) {
	j := digitsAt(rs, i)
	num := string(rs[i:j])
	var groups []string
	if j-i <= 3 {
		groups = append(groups, num)
		for j < len(rs) && (rs[j] == ',' || isNumSpace(rs[j])) {
			k := digitsAt(rs, j+1)
			if k-(j+1) != 3 {
				break
			}
			groups = append(groups, string(rs[j+1:k]))
			num += string(rs[j+1 : k])
			j = k
		}
	}
	if j+1 < len(rs) && rs[j] == '.' && isASCIIDigit(rs[j+1]) {
		k := digitsAt(rs, j+1)
		num += string(rs[j:k])
		j = k
	}
	f := figure{ordinal: before(rs, i) == '第'}
	var exp int
	j, exp = magnitude(rs, skipSpaces(rs, j))
	f.value, _ = strconv.ParseFloat(num+"e"+strconv.Itoa(exp), 64)
	j = percentAndUnit(rs, j, &f)
	f.text = string(rs[i:j])

	var parts []figure
	if len(groups) > 1 {
		for _, g := range groups {
			gv, _ := strconv.ParseFloat(g, 64)
			parts = append(parts, figure{text: g, value: gv})
		}
	}
	return f, parts, j
}

// magnitude reads the 万 亿 千 百 characters from j and returns the index
// after them and the power of ten they stand for. 千 in 千米, 千克, 千瓦 is a
// unit prefix, not 1000, and 百 in 百分点 is not 100.
func magnitude(rs []rune, j int) (int, int) {
	exp := 0
	for ; j < len(rs); j++ {
		switch rs[j] {
		case '万':
			exp += 4
		case '亿':
			exp += 8
		case '千':
			if j+1 < len(rs) && strings.ContainsRune("米克瓦伏", rs[j+1]) {
				return j, exp
			}
			exp += 3
		case '百':
			if j+1 < len(rs) && rs[j+1] == '分' {
				return j, exp
			}
			exp += 2
		default:
			return j, exp
		}
	}
	return j, exp
}

// percentAndUnit reads a percent sign or 个百分点, or a time unit, from j.
func percentAndUnit(rs []rune, j int, f *figure) int {
	j = skipSpaces(rs, j)
	if j >= len(rs) {
		return j
	}
	switch {
	case rs[j] == '%':
		f.kind = percentFig
		return j + 1
	case rs[j] == '‰':
		f.kind = permilleFig
		return j + 1
	case strings.HasPrefix(string(rs[j:min(len(rs), j+4)]), "个百分点"):
		f.kind = pointsFig
		return j + 4
	case strings.HasPrefix(string(rs[j:min(len(rs), j+3)]), "百分点"):
		f.kind = pointsFig
		return j + 3
	case rs[j] == '年' || rs[j] == '月' || rs[j] == '日':
		f.unit = rs[j]
		return j + 1
	}
	return j
}

// How a Chinese numeral counts as a figure in an answer.
const (
	cnInvalid = iota // not a numeral (十四五) — skipped everywhere
	cnSkip           // a numeral but not a figure in an answer (一个, 十分)
	cnLoose          // a small count (两个, 三大)
	cnStrict         // a figure (第五, 十四届, 百万, 二〇一九年)
)

// chineseFigure reads the Chinese numeral at rs[i] and classifies it. It
// returns the index after the numeral (i itself if there is none).
func chineseFigure(rs []rune, i int) (figure, int, int) {
	j := i
	for j < len(rs) {
		r := rs[j]
		switch {
		case isCNDigit(r) || strings.ContainsRune(cnUnits, r):
		case strings.ContainsRune(cnBig, r) && j > i:
		case (r == 'o' || r == '0') && j > i && isCNDigit(rs[j-1]) && j+1 < len(rs) && isCNDigit(rs[j+1]):
		case r == '点' && j > i && j+1 < len(rs) && isCNDigit(rs[j+1]):
		default:
			goto done
		}
		j++
	}
done:
	run := rs[i:j]
	if len(run) == 0 {
		return figure{}, cnInvalid, i
	}
	v, digitwise, ok := parseChinese(run)
	if !ok {
		return figure{}, cnInvalid, j
	}
	f := figure{value: v, ordinal: before(rs, i) == '第'}
	end := percentAndUnit(rs, j, &f)
	f.text = string(rs[i:end])
	hasBig := strings.ContainsAny(string(run), cnBig)
	next := rune(0)
	if j < len(rs) {
		next = rs[j]
	}
	counter := next != 0 && strings.ContainsRune(cnCounters, next)
	switch {
	case f.ordinal, f.kind != plainFig:
		return f, cnStrict, end
	case f.unit == '年' && digitwise && len(run) == 4:
		return f, cnStrict, end
	case (f.unit == '月' || f.unit == '日') && v >= 2 && v <= 31:
		return f, cnStrict, end
	case hasBig && v >= 1e4:
		return f, cnStrict, end
	case v >= 10 && counter && !digitwise:
		return f, cnStrict, end
	case v >= 2 && v <= 9 && (counter || f.unit != 0):
		return f, cnLoose, end
	}
	return f, cnSkip, end
}

// parseChinese returns the value of a Chinese numeral such as 十四, 一百零五,
// 七点三万, 百万 or, read digit by digit, 二〇一九. ok is false for runs that
// are not one numeral (十三五).
func parseChinese(run []rune) (v float64, digitwise, ok bool) {
	s := string(run)
	if !strings.ContainsAny(s, cnUnits+cnBig+"点") {
		if len(run) == 1 {
			d, _ := cnDigit(run[0])
			return float64(d), false, true
		}
		for _, r := range run {
			d, _ := cnDigit(r)
			v = v*10 + float64(d)
		}
		return v, true, true
	}
	// Trailing magnitudes apply to the whole number, decimals included.
	exp := 0
	for len(run) > 0 && strings.ContainsRune(cnBig, run[len(run)-1]) && strings.ContainsRune(string(run[:len(run)-1]), '点') {
		if run[len(run)-1] == '万' {
			exp += 4
		} else {
			exp += 8
		}
		run = run[:len(run)-1]
	}
	intPart, frac, _ := strings.Cut(string(run), "点")
	v, ok = parseChineseInt([]rune(intPart))
	if !ok {
		return 0, false, false
	}
	// Build the decimal text so that 七点三万 is exactly 73000.
	num := strconv.FormatFloat(v, 'f', -1, 64) + "."
	for _, r := range frac {
		d, isD := cnDigit(r)
		if !isD {
			return 0, false, false
		}
		num += strconv.Itoa(d)
	}
	v, err := strconv.ParseFloat(num+"0e"+strconv.Itoa(exp), 64)
	return v, false, err == nil
}

// parseChineseInt parses an integer numeral with 十百千万亿.
func parseChineseInt(run []rune) (float64, bool) {
	if len(run) == 0 {
		return 0, false
	}
	for _, big := range []struct {
		r rune
		m float64
	}{{'亿', 1e8}, {'万', 1e4}} {
		s := string(run)
		if k := strings.LastIndex(s, string(big.r)); k >= 0 {
			left, right := []rune(s[:k]), []rune(s[k+len(string(big.r)):])
			lv := 1.0
			if len(left) > 0 {
				var ok bool
				if lv, ok = parseChineseInt(left); !ok {
					return 0, false
				}
			}
			rv := 0.0
			if len(right) > 0 {
				var ok bool
				if rv, ok = parseChineseInt(right); !ok {
					return 0, false
				}
			}
			return lv*big.m + rv, true
		}
	}
	// One section below 10000.
	total, lastUnit := 0, 10000
	digit, pending := 0, false
	for _, r := range run {
		if d, ok := cnDigit(r); ok {
			if d == 0 {
				pending = false
				continue
			}
			if pending {
				return 0, false // two digits in a row: 十三五, not one numeral
			}
			digit, pending = d, true
			continue
		}
		u := map[rune]int{'十': 10, '百': 100, '千': 1000}[r]
		if u == 0 || u >= lastUnit {
			return 0, false
		}
		if !pending {
			digit = 1
		}
		total += digit * u
		lastUnit, pending = u, false
	}
	if pending {
		total += digit
	}
	return float64(total), true
}
