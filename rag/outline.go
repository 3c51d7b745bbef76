package rag

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"policybot/fold"
	"policybot/ingest"
)

// An outline answer: a question asking for the parts of something ("六项
// 重点工作是哪些", "从哪几方面抓") is often answered by the headings under one
// heading of a document, spread over several chunks that no single passage
// holds. The heading ladder recorded at ingest gives them in order.

// maxOutline bounds how many headings an outline answer lists.
const maxOutline = 12

// outlineItem is one heading of an outline and the chunk where it starts.
type outlineItem struct {
	heading string
	chunk   *ingest.Chunk
	// quoted is set for an item that is text of its chunk (a topic
	// sentence, an item of a 一是…二是… run), at Text[start:end]; a
	// heading stands in the chunk's heading path instead.
	quoted     bool
	start, end int
}

// outline finds the headings that answer a question asking for the parts
// of something: the children of the heading, in the documents of the
// passages found, that best matches the question (or, when the question
// gives a count, the heading with that many children above the best
// passage). It returns nil when there is no such list.
func (e *Engine) outline(ix Retriever, q *Analysis, f found) []outlineItem {
	if f.ex.best < 1 {
		return nil
	}
	want := q.Count
	if want == 0 && !q.Asks.Parts && !q.Asks.List {
		return nil
	}
	best, ok := ix.Chunk(f.passages[f.ex.best-1].ChunkID)
	if !ok {
		return nil
	}
	// A best sentence that enumerates the items itself is the answer,
	// unless the question asks for the parts of something without a count
	// (its parts are the headings), or the best passage announces that
	// many items without listing them ("重点要做好六个方面工作").
	// The sentence must name what is asked itself, not only through its
	// heading path (a sentence of item 3 listing 模式、难题、质量 is no
	// answer to 基本原则有哪些).
	if f.ex.top.folded != "" && enumerates(f.ex.top.folded, max(want, 3)) &&
		coverage(f.ex.top.folded, withoutNaming(q, q.terms, best.DocID)) >= e.w.OutlineListCover &&
		!(q.Asks.Parts && want == 0) && !announces(best.Folded, want) {
		return nil
	}
	groups := &outlineGroups{ix: ix, of: map[string]map[string][]outlineItem{}}
	if want > 0 && (len(q.docs) == 0 || namesDoc(q, best.DocID)) {
		if items := countedOutline(groups.doc(best.DocID), best.Section, want); items != nil {
			return items
		}
	}
	return e.matchedOutline(ix, groups, f, best, want, q.Asks.Parts)
}

// outlineGroups holds each document's groups of headings: parent heading
// path → the next-level headings under it, in file order; read once per
// document.
type outlineGroups struct {
	ix Retriever
	of map[string]map[string][]outlineItem
}

func (g *outlineGroups) doc(docID string) map[string][]outlineItem {
	if m, ok := g.of[docID]; ok {
		return m
	}
	m := headingGroups(g.ix.DocChunks(docID))
	g.of[docID] = m
	return m
}

// namesDoc reports whether the question names the document docID.
func namesDoc(q *Analysis, docID string) bool {
	for _, n := range q.docs {
		if slices.Contains(n.ids, docID) {
			return true
		}
	}
	return false
}

// withoutNaming returns the terms of a question without those of its
// words naming the document docID ("总体方案的基本原则是哪几条": 总体方案
// names the plan; a heading of the plan must hold 基本原则), or w when no
// other term would be left.
func withoutNaming(q *Analysis, w map[string]qterm, docID string) map[string]qterm {
	out := map[string]qterm{}
	for k, t := range w {
		naming := false
		for _, n := range q.docs {
			naming = naming || slices.Contains(n.ids, docID) && strings.Contains(n.word, k)
		}
		if !naming {
			out[k] = t
		}
	}
	if len(out) == 0 {
		return w
	}
	return out
}

// outlineList is one list of a document: its items and the heading path
// they stand under ("" for the document itself).
type outlineList struct {
	key   string
	items []outlineItem
	leads bool   // written as parallel paragraphs, not headings
	intro string // folded; for a run inside a paragraph, the text that opens it
}

// lists returns every list of a document: its groups of sibling headings,
// then its runs of parallel paragraphs.
func (g *outlineGroups) lists(docID string) []outlineList {
	m := g.doc(docID)
	var out []outlineList
	for _, key := range sortedKeys(m) {
		for _, run := range numberedRuns(m[key]) {
			out = append(out, outlineList{key: key, items: run})
		}
	}
	chunks := g.ix.DocChunks(docID)
	for _, items := range leadGroups(chunks) {
		out = append(out, outlineList{key: items[0].chunk.Section, items: items, leads: true})
	}
	for _, l := range inlineGroups(chunks) {
		out = append(out, outlineList{key: l.items[0].chunk.Section, items: l.items, intro: l.intro})
	}
	return out
}

// numberedRuns cuts a group of sibling headings into the lists it holds.
// Numbered siblings of one list share a rung (一、 or （一） or 1.) and count
// up: headings of another rung are left out, and numbering that starts
// again at one starts another list (a notice's 一、…五、 and the plan it
// issues, 一、…五、, both at the top of one document). A group without two
// numbered headings is one list as it is.
func numberedRuns(items []outlineItem) [][]outlineItem {
	style, numbered := "", 0
	for _, it := range items {
		if st, n := headingOrdinal(it.heading); n > 0 {
			if style == "" {
				style = st
			}
			numbered++
		}
	}
	if numbered < 2 {
		return [][]outlineItem{items}
	}
	var out [][]outlineItem
	var cur []outlineItem
	last := 0
	for _, it := range items {
		st, n := headingOrdinal(it.heading)
		if n == 0 || st != style {
			continue
		}
		if n <= last && len(cur) > 0 {
			out = append(out, cur)
			cur = nil
		}
		cur = append(cur, it)
		last = n
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	var keep [][]outlineItem
	for _, run := range out {
		if len(run) >= 2 {
			keep = append(keep, run)
		}
	}
	return keep
}

// headingOrdinal returns the rung of a heading's number (its shape with
// the number taken out: "、", "（）", ".", "是") and the number; 0 for a
// heading without one.
func headingOrdinal(h string) (string, int) {
	m := reHeadingNum.FindStringSubmatch(fold.String(h))
	if m == nil {
		return "", 0
	}
	for i := 1; i+1 < len(m); i += 2 {
		if m[i] == "" {
			continue
		}
		n := cjkCount(m[i])
		if m[i][0] >= '0' && m[i][0] <= '9' {
			n, _ = strconv.Atoi(m[i])
		}
		return m[i+1], n
	}
	return "", 0
}

// headingGroups returns a document's groups of headings, from its chunks
// in file order: parent heading path → the next-level headings under it.
// Every rung of the ladder counts alike (一、 （一） 1. 一是 ——), so the
// siblings of one list are the headings with one parent.
func headingGroups(chunks []*ingest.Chunk) map[string][]outlineItem {
	m := map[string][]outlineItem{}
	seen := map[string]bool{}
	for _, c := range chunks {
		for _, h := range c.Headings {
			if seen[h] {
				continue
			}
			seen[h] = true
			path := splitSection(h)
			if len(path) == 0 {
				continue
			}
			key := strings.Join(path[:len(path)-1], ingest.SectionSep)
			m[key] = append(m[key], outlineItem{heading: path[len(path)-1], chunk: c})
		}
	}
	return m
}

// Parallel leads: a list written without numbers or headings, as
// paragraphs that open with topic sentences of one shape ("以更加强烈的使命感
// 提高政治站位,坚定发展方向。", "以更加强烈的危机感找准发展差距,着力破解难题。").
const (
	maxLeadRunes  = 40 // the longest topic sentence of a paragraph
	minLeadPrefix = 2  // the shortest opening the leads of one list share
	minLeads      = 3  // the fewest paragraphs that make such a list
)

// leadGroups returns the runs of paragraphs of a document, from its chunks
// in file order, whose topic sentences open alike: each run is a list
// whose items are the topic sentences. A paragraph's topic sentence is its
// first sentence when it is short and more text follows it; paragraphs
// without one may stand between the items.
func leadGroups(chunks []*ingest.Chunk) [][]outlineItem {
	type lead struct {
		text       string
		chunk      *ingest.Chunk
		start, end int
	}
	var leads []lead
	for _, c := range chunks {
		if c.Kind != ingest.KindBody {
			continue
		}
		for _, para := range paragraphs(c.Text) {
			rs := sentenceRanges(c.Text[para[0]:para[1]])
			if len(rs) < 2 {
				continue
			}
			a, b := para[0]+rs[0][0], para[0]+rs[0][1]
			first := c.Text[a:b]
			if n := utf8.RuneCountInString(first); n < 4 || n > maxLeadRunes || !strings.HasSuffix(first, "。") {
				continue
			}
			leads = append(leads, lead{strings.TrimSuffix(first, "。"), c, a, b - len("。")})
		}
	}
	var out [][]outlineItem
	for i := 0; i < len(leads); {
		j := i + 1
		for j < len(leads) && commonPrefixRunes(leads[i].text, leads[j].text) >= minLeadPrefix {
			j++
		}
		if j-i >= minLeads && j-i <= maxOutline {
			var items []outlineItem
			for _, l := range leads[i:j] {
				items = append(items, outlineItem{heading: l.text, chunk: l.chunk, quoted: true, start: l.start, end: l.end})
			}
			out = append(out, items)
		}
		i = j
	}
	return out
}

// paragraphs returns the byte ranges of the lines of a chunk's text.
func paragraphs(text string) [][2]int {
	var out [][2]int
	start := 0
	for i := 0; i <= len(text); i++ {
		if i == len(text) || text[i] == '\n' {
			if i > start {
				out = append(out, [2]int{start, i})
			}
			start = i + 1
		}
	}
	return out
}

// inlineList is a run of items inside one paragraph (…困难和问题:一是转型发展
// 任务艰巨。……二是城市功能亟待完善。……), with the text that opens it.
type inlineList struct {
	intro string
	items []outlineItem
}

// inlineGroups returns the runs of ordinal items inside the paragraphs of
// a document's chunks: sentences that open with 一是, 二是, 三是… in order.
// An item is its sentence, from its ordinal to its stop; the intro is the
// text of the paragraph before the first item.
func inlineGroups(chunks []*ingest.Chunk) []inlineList {
	var out []inlineList
	for _, c := range chunks {
		if c.Kind != ingest.KindBody {
			continue
		}
		for _, para := range paragraphs(c.Text) {
			var cur inlineList
			flush := func() {
				if len(cur.items) >= 2 && len(cur.items) <= maxOutline {
					out = append(out, cur)
				}
				cur = inlineList{}
			}
			for _, r := range sentenceRanges(c.Text[para[0]:para[1]]) {
				a, b := para[0]+r[0], para[0]+r[1]
				s := c.Text[a:b]
				at, n := ordinalItemAt(s)
				if n == 0 {
					continue // the text of an item, after its first sentence
				}
				if n != len(cur.items)+1 {
					flush() // out of order: the run ends, or a new one starts
					if n != 1 {
						continue
					}
				}
				if n == 1 {
					cur.intro = fold.String(c.Text[para[0]:a] + s[:at])
				}
				text := strings.TrimRight(s[at:], "。；;")
				cur.items = append(cur.items, outlineItem{heading: text, chunk: c, quoted: true, start: a + at, end: a + at + len(text)})
			}
			flush()
		}
	}
	return out
}

// ordinalItemAt returns the byte offset in sentence s where its ordinal
// item starts (一是… at its start, or after a colon: 困难和问题:一是…), and
// the item's number; 0 when it holds none. s is matched folded, which has
// as many runes as s.
func ordinalItemAt(s string) (int, int) {
	f := []rune(fold.String(s))
	from := 0
	if !reInlineItem.MatchString(string(f)) {
		from = -1
		for i := len(f) - 1; i >= 0; i-- {
			if f[i] == ':' || f[i] == '：' {
				from = i + 1
				break
			}
		}
		if from < 0 || !reInlineItem.MatchString(string(f[from:])) {
			return 0, 0
		}
	}
	m := reInlineItem.FindStringSubmatch(string(f[from:]))
	return len(string([]rune(s)[:from])), cjkCount(m[1])
}

// commonPrefixRunes returns how many runes a and b share at their start.
func commonPrefixRunes(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	n := 0
	for n < len(ra) && n < len(rb) && ra[n] == rb[n] {
		n++
	}
	return n
}

// countedOutline returns the heading above the best passage (at section)
// with want children; the best passage's own heading is not an item when
// it is the introduction that announces them ("重点要做好六个方面工作").
func countedOutline(groups map[string][]outlineItem, section string, want int) []outlineItem {
	path := splitSection(section)
	for d := len(path); d >= 0; d-- {
		items := groups[strings.Join(path[:d], ingest.SectionSep)]
		if d < len(path) && len(items) == want+1 {
			// One more than asked: the one unnumbered heading among numbered
			// ones (顺势而为 before 一、…四、) is the odd one out; else the
			// question's own item is.
			if odd := unnumbered(items); odd != "" {
				items = without(items, odd)
			} else {
				items = without(items, path[d])
			}
		}
		if len(items) == want && want >= 2 && want <= maxOutline {
			return items
		}
	}
	return nil
}

// matchedOutline returns the heading that best matches the question,
// among the documents of the passages found (with want children, if
// want). A heading above the best passage, or one whose items the
// passages found hold, is preferred among equals.
func (e *Engine) matchedOutline(ix Retriever, groups *outlineGroups, f found, best *ingest.Chunk, want int, asksParts bool) []outlineItem {
	minCover := e.w.OutlineCover
	if !asksParts {
		minCover = e.w.OutlineListCover
	}
	// The headings are matched against the terms of the question f was
	// found for; answers merged from a question's parts have none.
	var w map[string]qterm
	namedDocs := map[string]bool{} // the documents the question names, if any
	if f.a != nil {
		w = f.a.terms
		for _, n := range f.a.docs {
			for _, id := range n.ids {
				namedDocs[id] = true
			}
		}
	}
	found := map[string]bool{}
	for _, p := range f.passages {
		found[p.ChunkID] = true
	}
	var pick []outlineItem
	bestScore := 0.0
	seenDoc := map[string]bool{}
	for _, p := range f.passages {
		c, ok := ix.Chunk(p.ChunkID)
		if !ok || seenDoc[c.DocID] || len(namedDocs) > 0 && !namedDocs[c.DocID] {
			continue // a list comes from the document the question names
		}
		seenDoc[c.DocID] = true
		docKey := ""
		dw := w // the terms a heading of this document must hold
		if d, ok := ix.Doc(c.DocID); ok {
			docKey = fold.String(d.Title + " " + d.Issuer)
			if f.a != nil {
				dw = withoutNaming(f.a, w, d.ID)
			}
		}
		for _, g := range groups.lists(c.DocID) {
			key, items := g.key, g.items
			if len(items) < 2 || len(items) > maxOutline || want > 0 && len(items) != want {
				continue
			}
			// A list at the top of a document, or one written as parallel
			// paragraphs, answers what the document as a whole is about.
			// Headings at the top are many things at once (a notice and the
			// plan it issues): only a count picks them. Parallel paragraphs
			// answer a question asking for its parts too.
			whole := key == "" && g.intro == ""
			if whole && !g.leads && want == 0 || g.leads && !asksParts && want == 0 {
				continue
			}
			match := fold.String(key)
			if whole {
				match = docKey
			}
			if g.intro != "" {
				match += "\n" + g.intro // the run's own opening says what it lists
			}
			// A heading may hold the words naming its document (源城 in
			// 源城党建) or leave them to the title (总体方案 in 总体方案的
			// 基本原则, under (二)基本原则): either way it matches.
			cv := max(coverage(match, w), coverage(match, dw))
			if cv < minCover {
				continue
			}
			score := cv
			if c.DocID == best.DocID && !whole && (best.Section == key || strings.HasPrefix(best.Section, key+ingest.SectionSep)) {
				score += e.w.OutlineAbove
			}
			for _, it := range items {
				if found[it.chunk.ID] {
					score += e.w.OutlineFound
					break
				}
			}
			if score > bestScore {
				pick, bestScore = items, score
			}
		}
	}
	return pick
}

// announces reports whether a passage holds a sentence naming a count of
// want items (六个方面工作) that does not list them itself: the items
// follow, under headings of their own.
func announces(text string, want int) bool {
	if want < 2 {
		return false
	}
	for _, s := range passageSentences(text) {
		if countIn(s) == want && !enumerates(s, want) {
			return true
		}
	}
	return false
}

// enumerates reports whether a sentence lists at least n items itself:
// 有色、钢铁、化工 or “粤菜师傅”“广东技工”“南粤家政”.
func enumerates(s string, n int) bool {
	seps := strings.Count(s, "、") + strings.Count(s, "”“") + strings.Count(s, "；") + strings.Count(s, ";")
	return seps >= n-1
}

// unnumbered returns the one heading of items that opens with no ladder
// numbering when all the others do, or "".
func unnumbered(items []outlineItem) string {
	odd := ""
	for _, it := range items {
		if !ingest.Numbered(it.heading) {
			if odd != "" {
				return ""
			}
			odd = it.heading
		}
	}
	return odd
}

func without(items []outlineItem, heading string) []outlineItem {
	var out []outlineItem
	for _, it := range items {
		if it.heading != heading {
			out = append(out, it)
		}
	}
	return out
}

// parentOf returns the heading the items stand under (the last part of
// their common path), or "".
func parentOf(items []outlineItem) string {
	for _, h := range items[0].chunk.Headings {
		path := splitSection(h)
		if len(path) >= 2 && path[len(path)-1] == items[0].heading {
			return path[len(path)-2]
		}
	}
	return ""
}

// countIn returns the count a text names (六项 → 6), or 0.
func countIn(s string) int {
	// The rule leaves out a numeral after another, part of a larger number
	// or an ordinal (十九大, 第三大), and reads 十二项 whole.
	m := reCount.FindStringSubmatch(s)
	if m == nil {
		return 0
	}
	c := m[1]
	if c == "" {
		c = m[2] // 三大
	}
	return numeralValue(c)
}

// outlineAnswer writes an outline answer: the best sentence, then the
// headings, each cited. Headings whose chunk is not among the passages are
// cited as extra sources after them; it returns the answer and the
// passages it may cite (the passages first, then the extras).
func outlineAnswer(f found, items []outlineItem) (spans, []Passage) {
	cps := append([]Passage(nil), f.passages...)
	num := map[string]int{}
	for i, p := range cps {
		num[p.ChunkID] = i + 1
	}
	var sp spans
	// The best sentence introduces the list when it opens the passage of
	// its first item (every citation of the list holds an item); otherwise
	// the list's own heading does.
	bp := f.passages[f.ex.best-1]
	first := items[0]
	opens := first.chunk.ID == bp.ChunkID && (!first.quoted || f.ex.top.end <= first.start)
	if f.ex.top.text != "" && opens {
		sp = append(sp, span{chunk: bp.ChunkID, start: f.ex.top.start, end: f.ex.top.end, text: f.ex.top.text, cite: f.ex.best, sep: "\n", why: "the best sentence introduces the list"})
	} else {
		sp = append(sp, span{start: -1, end: -1, text: "《" + items[0].chunk.Title + "》" + parentOf(items) + "：", sep: "\n", why: "the list's own heading introduces it"})
	}
	for i, it := range items {
		n, ok := num[it.chunk.ID]
		if !ok {
			cps = append(cps, passageOf(it.chunk, len(cps)+1, 0))
			n = len(cps)
			num[it.chunk.ID] = n
		}
		// A heading is the engine's text: it stands in the chunk's heading
		// path, not in its text. An item that is text of its chunk is
		// quoted after the engine's number.
		x := span{start: -1, end: -1, text: strconv.Itoa(i+1) + ". " + fullHeading(it), cite: n, why: "a heading of the section"}
		if it.quoted {
			sp = append(sp, span{start: -1, end: -1, text: strconv.Itoa(i+1) + ". "})
			x = span{chunk: it.chunk.ID, start: it.start, end: it.end, text: it.chunk.Text[it.start:it.end], cite: n, why: "an item of a list in the text"}
		}
		if i+1 < len(items) {
			x.sep = "\n"
		}
		sp = append(sp, x)
	}
	return sp, cps
}

// fullHeading returns an item's heading whole: a heading path keeps long
// headings cut (…以市域社会治理现代化为牵引,为加快建设副中心…), while the
// line of the chunk's text it was read from holds all of it.
func fullHeading(it outlineItem) string {
	prefix, cut := strings.CutSuffix(it.heading, "…")
	if !cut || prefix == "" {
		return it.heading
	}
	for _, line := range strings.Split(it.chunk.Text, "\n") {
		if line = strings.TrimSpace(line); strings.HasPrefix(line, prefix) {
			if i := strings.IndexAny(line, "。;；"); i > 0 {
				line = line[:i]
			}
			return line
		}
	}
	return it.heading
}

func splitSection(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ingest.SectionSep)
}
