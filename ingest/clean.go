package ingest

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Para is one cleaned paragraph: the lines of a paragraph with web
// boilerplate dropped, pinyin annotations removed, lost characters marked,
// and lines broken mid-sentence joined back together.
type Para struct {
	Text string
	// Start and End are the offsets of the paragraph's first and one past its
	// last byte in the decoded text (see Decoded.Orig for file offsets).
	Start, End int
	// pos holds, for every rune of Text, the [start,end) byte range in the
	// decoded text it came from.
	pos [][2]int32
	// Line is the 1-based number of the line the paragraph starts on.
	Line int
}

// runeSpan returns the decoded-text byte range of runes [i,j) of p.
func (p *Para) runeSpan(i, j int) (int, int) {
	return int(p.pos[i][0]), int(p.pos[j-1][1])
}

// boilerplate lists the markers of web-page furniture lines: navigation,
// print/close links, share prompts. A short line holding one is dropped.
// reIssue is the issue of a periodical (2019年第8期).
var reIssue = regexp.MustCompile(`第\s*[0-9一二三四五六七八九十]+\s*期`)

var boilerplate = []string{
	"当前位置", "您现在的位置", "扫一扫在手机打开当前页", "扫一扫在手机上打开", "【打印】", "【关闭】",
	"打印】", "【关闭", "【字体", "【字号", "字号:大", "字号：大", "字号:[", "字号：[", "分享到", "上一篇", "下一篇", "返回顶部",
	"网站地图", "ICP备", "主办单位", "【我要纠错】", "[打印]", "[关闭]",
}

func isBoilerplate(line string) bool {
	if utf8.RuneCountInString(line) > 80 || reIssue.MatchString(line) {
		return false // a breadcrumb naming a periodical's issue (2019年第8期) says where the text was published
	}
	for _, m := range boilerplate {
		if strings.Contains(line, m) {
			return true
		}
	}
	return false
}

// Clean splits decoded text into cleaned paragraphs. It is deterministic
// and local: cleaning a span of a file gives the same characters as the
// matching part of cleaning the whole file (line joins aside).
func Clean(text string) []Para {
	var paras []Para
	var cur *Para
	var st paraState       // what shouldJoin needs of the current paragraph
	var sb strings.Builder // the current paragraph's text
	finish := func() {
		if cur != nil {
			cur.Text = sb.String()
		}
	}
	lineNo := 0
	for off := 0; off <= len(text); {
		lineNo++
		nl := strings.IndexByte(text[off:], '\n')
		end := len(text)
		if nl >= 0 {
			end = off + nl
		}
		line := cleanLine(text[off:end], off)
		switch {
		case len(line.runes) == 0 || isBoilerplate(string(line.runes)):
			// A blank or furniture line: the paragraph may still continue
			// on the next line if it was broken mid-sentence.
		case cur != nil && shouldJoin(&st, line.runes):
			sb.WriteString(string(line.runes))
			cur.pos = append(cur.pos, line.pos...)
			cur.End = int(line.pos[len(line.pos)-1][1])
			st.add(line.runes)
		default:
			finish()
			paras = append(paras, Para{
				Start: int(line.pos[0][0]),
				End:   int(line.pos[len(line.pos)-1][1]),
				pos:   line.pos,
				Line:  lineNo,
			})
			cur = &paras[len(paras)-1]
			sb.Reset()
			sb.WriteString(string(line.runes))
			st = newParaState(line.runes)
		}
		if nl < 0 {
			break
		}
		off = end + 1
	}
	finish()
	return paras
}

// paraState is what deciding a line join needs to know of the paragraph so
// far, kept up to date line by line so long paragraphs cost no rescans.
type paraState struct {
	runes     int  // length so far
	last      rune // its last character
	lastShort bool // its last line was short (an author's name)
	heading   bool // it opens with a heading marker
	field     bool // it is a header field line (作者:…)
	punct     bool // it holds inner punctuation: prose
}

func newParaState(first []rune) paraState {
	head := first
	if len(head) > 12 {
		head = head[:12]
	}
	st := paraState{heading: headingLevel(head) > 0, field: reFieldLine.MatchString(string(head))}
	st.add(first)
	return st
}

func (st *paraState) add(line []rune) {
	st.runes += len(line)
	st.last = line[len(line)-1]
	st.lastShort = len(line) < 8
	if !st.punct && strings.ContainsAny(string(line), ",，、。；;") {
		st.punct = true
	}
}

// CleanText is Clean's paragraphs joined by newlines: the display form of a
// span of text.
func CleanText(text string) string {
	ps := Clean(text)
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.Text
	}
	return strings.Join(parts, "\n")
}

const terminalPunct = "。！？!?；;：:”’」』）)…"

// shouldJoin reports whether next continues the paragraph described by st,
// which was broken mid-sentence (newspaper columns, PDF exports): the
// paragraph does not end a sentence, is long enough not to be a title or
// heading, and next is not a heading or a short line such as an author's
// name.
func shouldJoin(st *paraState, next []rune) bool {
	if strings.ContainsRune(terminalPunct, st.last) || st.lastShort {
		return false
	}
	if len(next) < 8 || headingLevel(next) > 0 {
		return false
	}
	midSentence := st.last == ',' || st.last == '，' || st.last == '、'
	if !midSentence && (st.runes < 30 || st.heading && st.runes < 40) {
		return false
	}
	// Only prose breaks mid-sentence: a line with no inner punctuation is a
	// title, a field line or a date line.
	if !st.punct || st.field || reDateOnly.MatchString(string(next)) {
		return false
	}
	return isHan(st.last) || midSentence || unicode.IsDigit(st.last) || unicode.IsLetter(st.last)
}

type cleanedLine struct {
	runes []rune
	pos   [][2]int32
}

// cleanLine cleans one line whose first byte is at offset base of the
// decoded text: trims white space, collapses inner white space, removes
// pinyin annotations such as 報(bào), marks lost characters (a '?' followed
// by an annotation) with □ and decodes stray HTML entities.
func cleanLine(s string, base int) cleanedLine {
	var rs []rune
	var pos [][2]int32
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		rs = append(rs, r)
		pos = append(pos, [2]int32{int32(base + i), int32(base + i + n)})
		i += n
	}
	var out cleanedLine
	emit := func(r rune, a, b int32) {
		out.runes = append(out.runes, r)
		out.pos = append(out.pos, [2]int32{a, b})
	}
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == '?' || r == '？':
			// A lost character followed by its reading: ?(qū) or ?qū).
			if j := pinyinAnnotation(rs, i+1, true); j > 0 {
				emit('□', pos[i][0], pos[j-1][1])
				i = j - 1
				continue
			}
			if ent, j := entityAt(rs, i+1, false); j > 0 {
				emit(ent, pos[i][0], pos[j-1][1])
				i = j - 1
				continue
			}
		case r == '&':
			if ent, j := entityAt(rs, i+1, true); j > 0 {
				emit(ent, pos[i][0], pos[j-1][1])
				i = j - 1
				continue
			}
		case (r == '(' || r == '（') && i > 0 && (isHan(rs[i-1]) || rs[i-1] == '?'):
			if j := pinyinAnnotation(rs, i, false); j > 0 {
				// The reading belongs to the character before it: a span
				// that ends on that character takes its reading along.
				if n := len(out.pos); n > 0 && out.pos[n-1][1] == pos[i][0] {
					out.pos[n-1][1] = pos[j-1][1]
				}
				i = j - 1
				continue
			}
		}
		if isSpace(r) {
			if len(out.runes) == 0 {
				continue // leading white space
			}
			j := i
			for j < len(rs) && isSpace(rs[j]) {
				j++
			}
			if j == len(rs) {
				break // trailing white space
			}
			emit(' ', pos[i][0], pos[j-1][1])
			i = j - 1
			continue
		}
		if unicode.IsControl(r) || r == '\uFEFF' {
			continue
		}
		emit(r, pos[i][0], pos[i][1])
	}
	return out
}

func isSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\r' || r == '\u3000' || r == '\u00A0' || r == '\f' || r == '\v'
}

// pinyinAnnotation matches a pinyin reading in parentheses starting at rs[i]
// ("(bào)"); with openOptional also a reading missing its "(" ("qū)"). It
// returns the index after the closing parenthesis, or 0. A reading needs a
// tone mark or ü, so ordinary parenthesised words are never taken.
func pinyinAnnotation(rs []rune, i int, openOptional bool) int {
	if i < len(rs) && (rs[i] == '(' || rs[i] == '（') {
		i++
	} else if !openOptional {
		return 0
	}
	start, toned := i, false
	for i < len(rs) && i-start <= 7 {
		r := rs[i]
		switch {
		case r >= 'a' && r <= 'z':
		case strings.ContainsRune(toneVowels, r):
			toned = true
		case r == ')' || r == '）':
			if toned && i > start {
				return i + 1
			}
			return 0
		default:
			return 0
		}
		i++
	}
	return 0
}

const toneVowels = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿê"

var entities = map[string]rune{
	"ldquo": '“', "rdquo": '”', "lsquo": '‘', "rsquo": '’', "mdash": '—', "hellip": '…',
	"nbsp": ' ', "middot": '·', "amp": '&', "lt": '<', "gt": '>', "quot": '"', "times": '×',
}

// entityAt matches an HTML entity name and ';' at rs[i] (the '&' already
// seen, or lost and replaced by '?').
func entityAt(rs []rune, i int, _ bool) (rune, int) {
	j := i
	for j < len(rs) && j-i < 8 && rs[j] >= 'a' && rs[j] <= 'z' {
		j++
	}
	if j == i || j >= len(rs) || rs[j] != ';' {
		return 0, 0
	}
	r, ok := entities[string(rs[i:j])]
	if !ok {
		return 0, 0
	}
	return r, j + 1
}

// reFieldLine matches header field lines such as 作者:… or 发文机关 ….
var reFieldLine = regexp.MustCompile(`^[\p{Han}\s]{2,6}[:：]`)

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }
