package rag

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"policybot/fold"
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

// outline finds the headings that answer a question asking for the parts
// of something: the children of the heading, in the documents of the
// passages found, that best matches the question (or, when the question
// gives a count, the heading with that many children above the best
// passage). It returns nil when there is no such list.
func (e *Engine) outline(ix Retriever, q query, f found) []outlineItem {
	if f.ex.best < 1 {
		return nil
	}
	want := countIn(q.folded)
	asksParts := reAsksParts.MatchString(q.folded)
	if want == 0 && !asksParts && !reAsksList.MatchString(q.folded) {
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
	// Each document's groups: parent heading path → the next-level
	// headings under it, in file order.
	groupsOf := map[string]map[string][]outlineItem{}
	docGroups := func(docID string) map[string][]outlineItem {
		if g, ok := groupsOf[docID]; ok {
			return g
		}
		g := map[string][]outlineItem{}
		seen := map[string]bool{}
		for _, c := range ix.DocChunks(docID) {
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
				g[key] = append(g[key], outlineItem{heading: path[len(path)-1], chunk: c})
			}
		}
		groupsOf[docID] = g
		return g
	}
	// With a count: the heading above the best passage with that many
	// children; the best passage's own heading is not an item when it is
	// the introduction that announces them ("重点要做好六个方面工作").
	if want > 0 {
		groups := docGroups(best.DocID)
		path := splitSection(best.Section)
		for d := len(path); d >= 0; d-- {
			items := groups[strings.Join(path[:d], ingest.SectionSep)]
			if d < len(path) && len(items) == want+1 {
				items = without(items, path[d])
			}
			if len(items) == want && want >= 2 && want <= maxOutline {
				return items
			}
		}
	}
	// Else: the heading that best matches the question, among the
	// documents of the passages found.
	// A heading above the best passage, or one whose items the passages
	// found hold, is preferred among equals.
	minCover := minOutlineCover
	if !asksParts {
		minCover = 0.5
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
		groups := docGroups(c.DocID)
		for _, key := range sortedKeys(groups) {
			items := groups[key]
			if key == "" || len(items) < 2 || len(items) > maxOutline || want > 0 && len(items) != want {
				continue
			}
			cv := coverage(fold.String(key), f.w)
			if cv < minCover {
				continue
			}
			score := cv
			if c.DocID == best.DocID && (best.Section == key || strings.HasPrefix(best.Section, key+ingest.SectionSep)) {
				score += 0.2
			}
			for _, it := range items {
				if found[it.chunk.ID] {
					score += 0.1
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

// minOutlineCover is the least share of a question asking for parts that
// the heading listing them must hold.
const minOutlineCover = 0.3

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
		if !slices.Contains(cited, n) {
			cited = append(cited, n)
		}
	}
	// The best sentence introduces the list when it stands in the same
	// document; otherwise the list's own heading does.
	bestDoc := f.passages[f.ex.best-1].Source + f.passages[f.ex.best-1].Title
	if f.ex.top.text != "" && bestDoc == items[0].chunk.Source+items[0].chunk.Title {
		sb.WriteString(f.ex.top.text)
		sb.WriteString("[" + strconv.Itoa(f.ex.best) + "]\n")
		cite(f.ex.best)
	} else if path := splitSection(items[0].chunk.Section); len(path) > 0 {
		sb.WriteString("《" + items[0].chunk.Title + "》")
		if parent := parentOf(items); parent != "" {
			sb.WriteString(parent)
		}
		sb.WriteString("：\n")
	}
	for i, it := range items {
		n, ok := num[it.chunk.ID]
		if !ok {
			cps = append(cps, passageOf(it.chunk, len(cps)+1, 0))
			n = len(cps)
			num[it.chunk.ID] = n
		}
		sb.WriteString(strconv.Itoa(i+1) + ". " + it.heading + "[" + strconv.Itoa(n) + "]")
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
