package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"policybot/fold"
)

// ParserVersion changes whenever cleaning or chunking changes what chunks
// a file gives; an index cut by another version is parsed again. (5: chunks
// carry the years and time kind they are about; a breadcrumb naming a
// periodical's issue is kept. 6: a long paragraph is cut at a full stop
// rather than at a semicolon within a list, and a paragraph ending in a
// colon starts the chunk of what it introduces. 7: a plan chunk is about
// every target year it sets, not only the first. 8: a work report's first
// chapter reviews the year before its own when nothing in it says so.)
const ParserVersion = 8

// SectionSep joins the headings of a chunk's heading path.
const SectionSep = " › "

// ChunkOptions sets chunk sizes in runes. A chunk grows to about Target
// and never past Max, except that it always ends on a sentence boundary
// when one exists within Max.
type ChunkOptions struct {
	Target int
	Max    int
}

// DefaultChunkOptions are the sizes chosen by measurement on the
// development and held-out question sets (see the README).
var DefaultChunkOptions = ChunkOptions{Target: 400, Max: 700}

// File is the parsed form of one source file.
type File struct {
	Source    string
	Format    string   // FormatText, FormatDOCX, …
	Encoding  string   // text files only
	Warnings  []string // problems that did not stop parsing (an unreadable page)
	Documents []Document
	Chunks    []Chunk
}

// Parse decodes, cleans and chunks one file with the default limits. source
// is its path relative to the corpus root, recorded in every chunk; its
// extension chooses the format (see Extract).
func Parse(source string, raw []byte, opt ChunkOptions) (*File, error) {
	return ParseLimited(source, raw, opt, DefaultLimits)
}

// ParseLimited is Parse with explicit limits.
func ParseLimited(source string, raw []byte, opt ChunkOptions, lim Limits) (*File, error) {
	if opt.Target <= 0 || opt.Max < opt.Target {
		return nil, fmt.Errorf("parse %s: bad chunk sizes target=%d max=%d", source, opt.Target, opt.Max)
	}
	format, ex, err, ok := formatOf(source)
	if !ok {
		format = FormatText // callers chose the file; read it as text
	} else if err != nil {
		return nil, fmt.Errorf("parse %s: %w", source, err)
	}
	if ex == nil {
		if lim.MaxExtracted > 0 && int64(len(raw)) > lim.MaxExtracted {
			return nil, fmt.Errorf("parse %s: %w: %d bytes, over the limit of %d", source, ErrTooLarge, len(raw), lim.MaxExtracted)
		}
		dec, err := Decode(raw)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", source, err)
		}
		f := parseText(source, dec.Text, dec.Orig, nil, opt)
		f.Encoding = dec.Encoding
		f.Format = FormatText
		f.Warnings = dec.Warnings()
		return f, nil
	}
	x, err := Extract(source, raw, lim)
	if err != nil {
		return nil, fmt.Errorf("parse %w", err)
	}
	f := parseText(source, x.Text, nil, x, opt)
	f.Format = format
	f.Warnings = x.Warnings
	return f, nil
}

// parseText cleans and chunks decoded or extracted text. orig maps a text
// byte offset to the original file's (text files); with x (other formats)
// offsets stay in the extracted text, lines are not recorded and pages are.
func parseText(source, text string, orig func(int) int, x *Extracted, opt ChunkOptions) *File {
	if orig == nil {
		orig = func(i int) int { return i }
	}
	paras := Clean(text)
	f := &File{Source: source}
	if len(paras) == 0 {
		return f
	}
	lines := newLineIndex(text)
	starts := splitArticles(paras)
	if starts == nil || x != nil {
		starts = []int{0}
	} else {
		starts[0] = 0 // the page header goes with the first article
	}
	var pubDate string
	for di, s := range starts {
		e := len(paras)
		if di+1 < len(starts) {
			e = starts[di+1]
		}
		dp := paras[s:e]
		doc := Document{
			ID:     source + "#" + strconv.Itoa(di+1),
			Source: source,
			Start:  orig(dp[0].Start),
			End:    orig(dp[len(dp)-1].End),
		}
		header := headerEnd(dp)
		hint := ""
		if x != nil {
			hint = x.Title
			doc.PubDate = x.PubDate
			doc.OCR = x.OCR
		}
		if len(starts) > 1 {
			// The article's title and author lines open it.
			for t := 0; t+2 < len(dp); t++ {
				if reNameLine.MatchString(dp[t+1].Text) && utf8.RuneCountInString(dp[t+2].Text) >= 40 {
					hint = dp[t].Text
					if doc.Issuer == "" {
						doc.Issuer = dp[t+1].Text
					}
					header = max(header, t+2)
					break
				}
			}
		}
		parseMeta(&doc, dp, header, hint)
		if doc.PubDate == "" {
			doc.PubDate = pubDate
			if doc.Date == "" {
				doc.Date = pubDate
			}
		}
		pubDate = doc.PubDate
		chunks := chunkDocument(&doc, dp, header, opt)
		assignPeriods(&doc, chunks)
		for i := range chunks {
			c := &chunks[i]
			a, b := c.Start, c.End // decoded offsets until here
			c.Start, c.End = orig(a), orig(b)
			if x == nil {
				c.LineStart, c.LineEnd = lines.line(a), lines.line(b-1)
			} else if len(x.Pages) > 0 {
				c.Page, c.PageEnd = x.PageAt(a), x.PageAt(b-1)
			}
			c.OCR = x != nil && x.OCR
			c.ID = ChunkID(source, c.Start, c.End, c.Text)
		}
		doc.Chunks = len(chunks)
		f.Documents = append(f.Documents, doc)
		f.Chunks = append(f.Chunks, chunks...)
	}
	return f
}

// ChunkID is the id rule: 16 hex characters of the SHA-256 of the source
// path, byte range and text. Unchanged chunks keep their ids across
// rebuilds.
func ChunkID(source string, start, end int, text string) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%d\x00%d\x00", source, start, end)
	h.Write([]byte(text))
	return hex.EncodeToString(h.Sum(nil)[:8])
}

type heading struct {
	level int
	title string
}

const (
	levelBare  = 1 // a short unnumbered heading line (newspaper sub-heads)
	levelTopic = 6 // a paragraph's short lead sentence, or a short line ending in a colon

	// maxLeadRunes is the longest line ending in a colon read as the lead
	// of the paragraphs after it.
	maxLeadRunes = 40
)

// chunkDocument cuts a document's paragraphs into chunks along its heading
// ladder. Offsets in the returned chunks are still decoded-text offsets.
func chunkDocument(doc *Document, paras []Para, header int, opt ChunkOptions) []Chunk {
	var out []Chunk
	mk := func(kind, section string, ps []Para, from, to int) Chunk {
		// from/to: rune offsets into the first and last paragraph.
		var sb strings.Builder
		for i := range ps {
			rs := []rune(ps[i].Text)
			a, b := 0, len(rs)
			if i == 0 {
				a = from
			}
			if i == len(ps)-1 {
				b = to
			}
			if i > 0 {
				sb.WriteByte('\n')
			}
			sb.WriteString(string(rs[a:b]))
		}
		s, _ := ps[0].runeSpan(from, from+1)
		_, e := ps[len(ps)-1].runeSpan(to-1, to)
		text := sb.String()
		return Chunk{
			DocID: doc.ID, Source: doc.Source, Title: doc.Title, Section: section, Date: doc.Date,
			Kind: kind, Start: s, End: e, Text: text, Folded: fold.String(text),
		}
	}
	// A header that is only a short title line is no block of metadata: it
	// opens the first chunk instead of standing alone.
	if header == 1 && header < len(paras) && utf8.RuneCountInString(paras[0].Text) <= 40 && !reFieldLine.MatchString(paras[0].Text) {
		header = 0
	}
	if header > 0 {
		out = append(out, mk(KindHeader, "", paras[:header], 0, utf8.RuneCountInString(paras[header-1].Text)))
	}
	body := paras[header:]
	var stack []heading
	path := func() string {
		parts := make([]string, len(stack))
		for i, h := range stack {
			parts[i] = h.title
		}
		return strings.Join(parts, SectionSep)
	}
	push := func(h heading) {
		for len(stack) > 0 && stack[len(stack)-1].level >= h.level {
			stack = stack[:len(stack)-1]
		}
		stack = append(stack, h)
	}
	bare := bareHeadings(body)

	var cur []Para
	// lastPath is the heading path after the paragraph last added to cur,
	// lastOpened the heading path that paragraph opened, if any.
	var lastPath, lastOpened string
	curSection := ""
	curRunes := 0
	var curHeadings []string // heading paths opened inside the current chunk
	withHeadings := func(c Chunk, hs []string) Chunk {
		c.Headings = hs
		return c
	}
	flush := func() {
		if len(cur) == 0 {
			return
		}
		out = append(out, withHeadings(mk(KindBody, curSection, cur, 0, utf8.RuneCountInString(cur[len(cur)-1].Text)), curHeadings))
		cur, curRunes, curHeadings = nil, 0, nil
	}
	for i, p := range body {
		n := utf8.RuneCountInString(p.Text)
		hard := false // a new chunk must start here
		opened := ""  // the heading path this paragraph opens, if any
		switch title, lvl, ok := headingTitle(p.Text); {
		case ok:
			push(heading{lvl, title})
			opened = path()
			hard = lvl <= levelSubItem || curRunes >= opt.Target/2
		case bare[i]:
			push(heading{levelBare, p.Text})
			opened = path()
			hard = true
		case isLead(p.Text) && (i+1 == len(body) || headingLevel([]rune(body[i+1].Text)) == levelNone):
			// A short line introducing the paragraphs after it (第十七条
			// 暴雨橙色预警响应措施：) heads them as a topic sentence does;
			// before a numbered heading the ladder heads them.
			push(heading{levelTopic, strings.TrimRight(strings.TrimSpace(p.Text), "：:")})
			opened = path()
			hard = curRunes >= opt.Target/2
		default:
			if s, ok := leadSentence(p.Text, 16); ok && n > 30 {
				push(heading{levelTopic, s})
				opened = path()
				hard = curRunes >= opt.Target/2
			}
		}
		// A chunk holding only headings so far takes the next paragraph along.
		onlyHeadings := len(cur) > 0 && allHeadings(cur, bare, body)
		switch {
		case hard && !onlyHeadings:
			flush()
		case curRunes+n > opt.Max && !onlyHeadings:
			// A paragraph introducing what follows (暴雨橙色预警响应措施：)
			// goes on with the paragraphs it introduces, not at the end of
			// a chunk of its own.
			if last := len(cur) - 1; last > 0 && endsWithColon(cur[last].Text) {
				lead, leadOpened := cur[last], lastOpened
				cur, curRunes = cur[:last], curRunes-utf8.RuneCountInString(lead.Text)
				if leadOpened != "" && len(curHeadings) > 0 {
					curHeadings = curHeadings[:len(curHeadings)-1]
				}
				flush()
				cur, curRunes, curSection = []Para{lead}, utf8.RuneCountInString(lead.Text), lastPath
				if leadOpened != "" {
					curHeadings = []string{leadOpened}
				}
			} else {
				flush()
			}
		}
		if len(cur) == 0 {
			curSection = path()
		}
		if n > opt.Max {
			// A long paragraph: split on sentence boundaries into pieces of
			// about Target runes.
			pieces := splitLong(p.Text, opt)
			hs := curHeadings
			if opened != "" {
				hs = append(hs, opened)
			}
			for k, pc := range pieces {
				if k == 0 && len(cur) > 0 {
					ps := append(cur, p)
					out = append(out, withHeadings(mk(KindBody, curSection, ps, 0, pc[1]), hs))
					cur, curRunes, curHeadings = nil, 0, nil
					continue
				}
				var own []string
				if k == 0 {
					own = hs
				}
				out = append(out, withHeadings(mk(KindBody, curSection, []Para{p}, pc[0], pc[1]), own))
			}
			continue
		}
		cur = append(cur, p)
		curRunes += n
		if opened != "" {
			curHeadings = append(curHeadings, opened)
		}
		lastPath, lastOpened = path(), opened
	}
	flush()
	return out
}

// isLead reports whether a paragraph is a short line introducing the
// paragraphs after it (一年来,我们主要做了以下工作:).
func isLead(p string) bool {
	return utf8.RuneCountInString(p) <= maxLeadRunes && endsWithColon(p)
}

// endsWithColon reports whether a paragraph introduces what follows it.
func endsWithColon(s string) bool {
	s = strings.TrimRight(s, " \t")
	return strings.HasSuffix(s, "：") || strings.HasSuffix(s, ":")
}

// allHeadings reports whether every paragraph in ps is a bare heading line.
func allHeadings(ps []Para, bare map[int]bool, body []Para) bool {
	for _, p := range ps {
		title, _, ok := headingTitle(p.Text)
		if ok && title == strings.TrimRight(p.Text, "。;；:：") {
			continue
		}
		if isLead(p.Text) {
			continue
		}
		isBare := false
		for i := range body {
			if body[i].Start == p.Start && bare[i] {
				isBare = true
				break
			}
		}
		if !isBare {
			return false
		}
	}
	return true
}

// bareHeadings marks unnumbered heading lines: short, no sentence end,
// followed by a longer paragraph (the sub-heads of newspaper articles).
func bareHeadings(ps []Para) map[int]bool {
	m := map[int]bool{}
	for i := 0; i+1 < len(ps); i++ {
		t := ps[i].Text
		c := utf8.RuneCountInString(t)
		if c < 4 || c > 32 || headingLevel([]rune(t)) != levelNone {
			continue
		}
		last, _ := utf8.DecodeLastRuneInString(t)
		if strings.ContainsRune(terminalPunct+",，、", last) {
			continue
		}
		if utf8.RuneCountInString(ps[i+1].Text) > c+10 {
			m[i] = true
		}
	}
	return m
}

// splitLong cuts text into pieces [from,to) of runes, each ending on a
// sentence boundary and at most opt.Max runes, balanced around opt.Target.
// A sentence's full stop is preferred to a semicolon, which parts the items
// of a list (要做到“六个到位”：责任落实到位；防控方案制定到位；…): a piece ends
// at a semicolon only when no full stop is within reach.
func splitLong(text string, opt ChunkOptions) [][2]int {
	rs := []rune(text)
	var bounds, weak []int // rune offsets just after a sentence end, and after a semicolon
	for i, r := range rs {
		if strings.ContainsRune("。！？!?；;", r) {
			j := i + 1
			for j < len(rs) && strings.ContainsRune("”’」』)）", rs[j]) {
				j++
			}
			if r == '；' || r == ';' {
				weak = append(weak, j)
			} else {
				bounds = append(bounds, j)
			}
		}
	}
	if len(bounds) == 0 || bounds[len(bounds)-1] != len(rs) {
		bounds = append(bounds, len(rs))
	}
	bounds = dedupe(bounds)
	weak = dedupe(weak)
	n := (len(rs) + opt.Target - 1) / opt.Target
	want := len(rs) / n
	var out [][2]int
	from := 0
	for from < len(rs) {
		// The sentence boundary nearest from+want that keeps the piece within Max.
		best := nearest(bounds, from, want, opt.Max)
		if best < 0 {
			best = nearest(weak, from, want, opt.Max)
		}
		if best < 0 {
			// No sentence end within Max: cut at a comma, else hard.
			best = from + opt.Max
			if best > len(rs) {
				best = len(rs)
			}
			for k := best - 1; k > from+opt.Max/2; k-- {
				if strings.ContainsRune(",，、:：", rs[k]) {
					best = k + 1
					break
				}
			}
		}
		// Do not leave a tiny tail.
		if len(rs)-best < opt.Target/4 && len(rs)-from <= opt.Max {
			best = len(rs)
		}
		out = append(out, [2]int{from, best})
		from = best
	}
	return out
}

// nearest returns the boundary of bounds (ascending) after from nearest
// from+want that keeps the piece within max runes, or -1.
func nearest(bounds []int, from, want, max int) int {
	best := -1
	for _, b := range bounds {
		if b <= from {
			continue
		}
		if b-from > max {
			break
		}
		if best < 0 || abs(b-from-want) < abs(best-from-want) {
			best = b
		}
	}
	return best
}

func dedupe(xs []int) []int {
	sort.Ints(xs)
	out := xs[:0]
	for i, x := range xs {
		if i == 0 || x != xs[i-1] {
			out = append(out, x)
		}
	}
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// lineIndex maps byte offsets of a text to 1-based line numbers.
type lineIndex []int

func newLineIndex(s string) lineIndex {
	li := lineIndex{0}
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			li = append(li, i+1)
		}
	}
	return li
}

func (li lineIndex) line(off int) int {
	return sort.Search(len(li), func(i int) bool { return li[i] > off })
}
