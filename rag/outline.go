package rag

import (
	"regexp"
	"strings"

	"policybot/fold"
	"policybot/index"
	"policybot/ingest"
)

// An outline answer: a question asking for the parts of something ("六项
// 重点工作是哪些", "从哪几方面抓") is often answered by the headings under one
// heading of a document, spread over several chunks that no single passage
// holds. The heading ladder recorded at ingest gives them in order.

// reCount matches a count in a question or a sentence: 六项, 四个方面, 三大.
var reCount = regexp.MustCompile(`([一二三四五六七八九十两]|[0-9]{1,2})\s*(?:项|个方面|方面|种|大|条|点|个|件|类|部分)`)

// maxOutline bounds how many headings an outline answer lists.
const maxOutline = 12

// outlineItem is one heading of an outline and the chunk where it starts.
type outlineItem struct {
	heading string
	chunk   *ingest.Chunk
}

// outline finds the headings that answer a question asking for the parts of
// something, under an ancestor heading of the best passage (or the
// document itself). It returns nil when there is no such list.
func (e *Engine) outline(ix *index.Index, q query, f found) []outlineItem {
	if f.ex.best < 1 {
		return nil
	}
	want := countIn(q.folded)
	if want == 0 && !reAsksList.MatchString(q.folded) {
		return nil
	}
	best, ok := ix.Chunk(f.passages[f.ex.best-1].ChunkID)
	if !ok {
		return nil
	}
	// A best sentence that enumerates the items itself is the answer.
	if len(f.ex.picked) > 0 && enumerates(f.ex.picked[0].folded, max(want, 3)) {
		return nil
	}
	// Group the document's chunks by parent heading path: each group's
	// children are the next-level headings, in file order.
	type group struct {
		items []outlineItem
		seen  map[string]bool
	}
	groups := map[string]*group{}
	for _, c := range ix.DocChunks(best.DocID) {
		for _, h := range c.Headings {
			path := splitSection(h)
			d := len(path) - 1
			key := strings.Join(path[:d], ingest.SectionSep)
			g := groups[key]
			if g == nil {
				g = &group{seen: map[string]bool{}}
				groups[key] = g
			}
			if !g.seen[path[d]] {
				g.seen[path[d]] = true
				g.items = append(g.items, outlineItem{heading: path[d], chunk: c})
			}
		}
	}
	// The candidates: the best passage's ancestors, deepest first. The best
	// passage's own heading is not an item when it is the introduction
	// that announces them ("重点要做好六个方面工作").
	path := splitSection(best.Section)
	asksParts := reAsksParts.MatchString(q.folded)
	for d := len(path); d >= 0; d-- {
		key := strings.Join(path[:d], ingest.SectionSep)
		g := groups[key]
		if g == nil {
			continue
		}
		items := g.items
		if d < len(path) && want > 0 && len(items) == want+1 {
			items = without(items, path[d])
		}
		if len(items) < 2 || len(items) > maxOutline {
			continue
		}
		switch {
		case want > 0 && len(items) == want:
			return items
		case want == 0 && d > 0 && (asksParts || coverage(fold.String(key), f.w) >= 0.5):
			return items
		}
	}
	return nil
}

// enumerates reports whether a sentence lists at least n items itself:
// 有色、钢铁、化工 or “粤菜师傅”“广东技工”“南粤家政”.
func enumerates(s string, n int) bool {
	seps := strings.Count(s, "、") + strings.Count(s, "”“") + strings.Count(s, "；") + strings.Count(s, ";")
	return seps >= n-1
}

// reAsksParts matches questions asking for the parts of something.
var reAsksParts = regexp.MustCompile(`哪几方面|哪些方面|几个方面|哪几个方面|从哪几|哪几块|哪几项|哪几部分|哪些部分|哪些重点|哪几点`)

func without(items []outlineItem, heading string) []outlineItem {
	var out []outlineItem
	for _, it := range items {
		if it.heading != heading {
			out = append(out, it)
		}
	}
	return out
}

// countIn returns the count a text names (六项 → 6), or 0.
func countIn(s string) int {
	m := reCount.FindStringSubmatch(s)
	if m == nil {
		return 0
	}
	if m[1][0] >= '0' && m[1][0] <= '9' {
		return atoi(m[1])
	}
	return cjkCount[m[1]]
}

var cjkCount = map[string]int{"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}

// outlineAnswer writes an outline answer: the best sentence, then the
// headings, each cited. Headings whose chunk is not among the passages are
// cited as extra sources after them; it returns the text and the cited
// passages (the passages first, then the extras).
func outlineAnswer(f found, items []outlineItem) (string, []int, []Passage) {
	cps := append([]Passage(nil), f.passages...)
	num := map[string]int{}
	for i, p := range cps {
		num[p.ChunkID] = i + 1
	}
	var sb strings.Builder
	var cited []int
	cite := func(n int) {
		if !containsInt(cited, n) {
			cited = append(cited, n)
		}
	}
	if len(f.ex.picked) > 0 {
		sb.WriteString(f.ex.picked[0].text)
		sb.WriteString("[" + itoa(f.ex.best) + "]\n")
		cite(f.ex.best)
	}
	for i, it := range items {
		n, ok := num[it.chunk.ID]
		if !ok {
			cps = append(cps, passageOf(it.chunk, len(cps)+1, 0))
			n = len(cps)
			num[it.chunk.ID] = n
		}
		sb.WriteString(itoa(i+1) + ". " + it.heading + "[" + itoa(n) + "]")
		if i+1 < len(items) {
			sb.WriteString("\n")
		}
		cite(n)
	}
	return sb.String(), cited, cps
}

func splitSection(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ingest.SectionSep)
}
