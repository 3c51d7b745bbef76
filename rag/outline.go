package rag

import (
	"strconv"
	"strings"

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
	// A best sentence that enumerates the items itself is the answer.
	if f.ex.top.folded != "" && enumerates(f.ex.top.folded, max(want, 3)) {
		return nil
	}
	groups := &outlineGroups{ix: ix, of: map[string]map[string][]outlineItem{}}
	if want > 0 {
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
	m := map[string][]outlineItem{}
	seen := map[string]bool{}
	for _, c := range g.ix.DocChunks(docID) {
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
	g.of[docID] = m
	return m
}

// countedOutline returns the heading above the best passage (at section)
// with want children; the best passage's own heading is not an item when
// it is the introduction that announces them ("重点要做好六个方面工作").
func countedOutline(groups map[string][]outlineItem, section string, want int) []outlineItem {
	path := splitSection(section)
	for d := len(path); d >= 0; d-- {
		items := groups[strings.Join(path[:d], ingest.SectionSep)]
		if d < len(path) && len(items) == want+1 {
			items = without(items, path[d])
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
	if f.a != nil {
		w = f.a.terms
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
		if !ok || seenDoc[c.DocID] {
			continue
		}
		seenDoc[c.DocID] = true
		docGroups := groups.doc(c.DocID)
		for _, key := range sortedKeys(docGroups) {
			items := docGroups[key]
			if key == "" || len(items) < 2 || len(items) > maxOutline || want > 0 && len(items) != want {
				continue
			}
			cv := coverage(fold.String(key), w)
			if cv < minCover {
				continue
			}
			score := cv
			if c.DocID == best.DocID && (best.Section == key || strings.HasPrefix(best.Section, key+ingest.SectionSep)) {
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

// enumerates reports whether a sentence lists at least n items itself:
// 有色、钢铁、化工 or “粤菜师傅”“广东技工”“南粤家政”.
func enumerates(s string, n int) bool {
	seps := strings.Count(s, "、") + strings.Count(s, "”“") + strings.Count(s, "；") + strings.Count(s, ";")
	return seps >= n-1
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
	m := reCount.FindStringSubmatch(s)
	if m == nil {
		return 0
	}
	if m[1][0] >= '0' && m[1][0] <= '9' {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return cjkCount(m[1])
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
	// The best sentence introduces the list when it stands in the same
	// document; otherwise the list's own heading does.
	bp := f.passages[f.ex.best-1]
	if f.ex.top.text != "" && bp.Source+bp.Title == items[0].chunk.Source+items[0].chunk.Title {
		sp = append(sp, span{chunk: bp.ChunkID, start: f.ex.top.start, end: f.ex.top.end, text: f.ex.top.text, cite: f.ex.best, sep: "\n", why: "the best sentence introduces the list"})
	} else if path := splitSection(items[0].chunk.Section); len(path) > 0 {
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
		// path, not in its text.
		x := span{start: -1, end: -1, text: strconv.Itoa(i+1) + ". " + it.heading, cite: n, why: "a heading of the section"}
		if i+1 < len(items) {
			x.sep = "\n"
		}
		sp = append(sp, x)
	}
	return sp, cps
}

func splitSection(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ingest.SectionSep)
}
