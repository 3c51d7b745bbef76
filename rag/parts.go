package rag

// Questions that ask several things: split, answered part by part, merged.

import (
	"slices"
	"strings"
	"unicode/utf8"

	"policybot/fold"
	"policybot/terms"
)

// splitParts returns the parts of a question that asks several things, or
// nil. Each part must ask something (hold a question word).
func splitParts(q string) []string {
	var parts []string
	for _, p := range reParts.Split(q, -1) {
		p = strings.TrimSpace(p)
		if utf8.RuneCountInString(p) >= 4 {
			parts = append(parts, p)
		}
	}
	if len(parts) < 2 {
		return nil
	}
	for _, p := range parts {
		if !reQuestionWord.MatchString(p) {
			return nil
		}
	}
	return parts
}

// splitClauses returns the two parts of a question asking two things
// across a comma (基本农田划了多少万亩，高标准粮田要建多少), or nil. The
// second may leave out what the first says: 到2018年呢 asks the first again
// of 2018; 高标准粮田要建多少 is asked of the first's place. A second part
// pointing back by a pronoun (他什么职务) is not split off: it is the first's
// answer it speaks of.
func (e *Engine) splitClauses(ix Retriever, q string) []string {
	f := strings.TrimRight(fold.String(q), "?？。 ")
	cs := reClauseSplit.Split(f, -1)
	if len(cs) != 2 {
		return nil
	}
	first, second := strings.TrimSpace(cs[0]), strings.TrimSpace(cs[1])
	if utf8.RuneCountInString(first) < 4 || !reQuestionWord.MatchString(first) || reFollowPerson.MatchString(second) ||
		strings.HasPrefix(second, "它") || strings.HasPrefix(second, "其") {
		return nil
	}
	if own, ok := strings.CutSuffix(second, "呢"); ok && !reQuestionWord.MatchString(own) {
		own = strings.TrimPrefix(strings.TrimPrefix(own, "那"), "到")
		if other := e.switchTo(ix, own, first); other != first {
			return []string{first, other}
		}
		return nil
	}
	if utf8.RuneCountInString(second) < 4 || !reQuestionWord.MatchString(second) {
		return nil
	}
	if ps := e.places(first); len(ps) > 0 && len(e.places(second)) == 0 {
		second = ps[0] + second
	}
	return []string{first, second}
}

// splitByPlace turns "济源和洛阳各是什么定位" into one question per place
// named, or returns nil when the question names fewer than two places or
// does not ask of each. A question naming one place may still ask the
// same of two years (城镇化率2016年和2018年分别是多少) or of two documents
// named side by side (讲话和总体方案都怎么说的).
func (e *Engine) splitByPlace(ix Retriever, q string) []string {
	f := fold.String(q)
	if !reEach.MatchString(f) {
		return nil
	}
	names := e.places(f)
	if len(names) < 2 {
		if parts := splitSubjects(f, yearsWritten(f)); parts != nil {
			return parts
		}
		return splitSubjects(f, joinedDocNames(f, e.docNames(ix, f)))
	}
	if parts := splitSubjects(f, names); parts != nil {
		return parts
	}
	var parts []string
	for _, n := range names {
		p := f
		for _, other := range names {
			if other != n {
				p = strings.ReplaceAll(p, other, "")
			}
		}
		parts = append(parts, p)
	}
	return parts
}

// splitTopics turns "总体方案在水系生态和污染治理上怎么安排的" into one
// question per topic, each with the rest of the question; nil for a
// question of another shape.
func splitTopics(q string) []string {
	f := fold.String(q)
	m := reTopicPair.FindStringSubmatchIndex(f)
	if m == nil {
		return nil
	}
	a, b := f[m[2]:m[3]], f[m[4]:m[5]]
	head, tail := f[:m[2]], f[m[5]:]
	return []string{head + a + tail, head + b + tail}
}

// yearsWritten returns the distinct calendar years a folded question
// writes in full with their 年 (2016年), in its order.
func yearsWritten(f string) []string {
	var out []string
	for _, y := range reYearWritten.FindAllString(f, -1) {
		if !slices.Contains(out, y) {
			out = append(out, y)
		}
	}
	return out
}

// joinedDocNames returns the first two words naming documents that stand
// side by side in f, joined by a conjunction (讲话和总体方案), or nil. In a
// large corpus many common words (示范, 城镇) are in some title; only two
// joined this way are two subjects asked of alike.
func joinedDocNames(f string, names []docName) []string {
	for i := 0; i+1 < len(names); i++ {
		a, b := names[i].word, names[i+1].word
		if a == b {
			continue
		}
		for _, conj := range []string{"和", "与", "及", "跟", "、"} {
			if strings.Contains(f, a+conj+b) {
				return []string{a, b}
			}
		}
	}
	return nil
}

// splitSubjects splits "洛阳19年GDP和济源18年GDP分别是多少" into one question
// per subject, each subject with its own words (洛阳19年GDP, 济源18年GDP)
// and the predicate they share (分别是多少): two names joined by 和, 与, 及,
// 跟 or 、, the second followed by what asks of each. It returns nil when
// the question has another shape.
func splitSubjects(f string, names []string) []string {
	if len(names) != 2 {
		return nil
	}
	a, b := strings.Index(f, names[0]), strings.Index(f, names[1])
	first, second := names[0], names[1]
	if a > b {
		a, b = b, a
		first, second = second, first
	}
	if a < 0 || a+len(first) > b {
		return nil
	}
	between := f[a+len(first) : b]
	c := -1
	for _, conj := range []string{"和", "与", "及", "跟", "、"} {
		if i := strings.LastIndex(between, conj); i >= 0 && (c < 0 || i > c) {
			c = i
		}
	}
	if c < 0 {
		return nil
	}
	c += a + len(first)
	loc := reEach.FindStringIndex(f[b+len(second):])
	if loc == nil {
		return nil
	}
	r := b + len(second) + loc[0]
	rest := f[b+len(second)+loc[1]:] // 是多少: each part asks of one subject
	own := f[a:c]
	if c == a+len(first) {
		own += f[b+len(second) : r] // 2018年和2019年gdp: a bare first subject shares the second's words
	}
	return []string{f[:a] + own + rest, f[:a] + f[b:r] + rest}
}

// carry returns the content words of a question's first part, without its
// years and figures, to give later parts ("在省内排第几？") their subject.
func (e *Engine) carry(first string) string {
	var out []string
	for _, w := range e.tok.Words(terms.NormalizeYears(fold.String(first))) {
		if !isASCIIDigits(w) && !reQuestionWord.MatchString(w) {
			out = append(out, w)
		}
	}
	return strings.Join(out, " ")
}

// withCarry returns the analysis of a later part with the subject carried
// from the first part added to its words. What the part asks for (its
// intents, unit and count) stays its own: "18年城镇化率实际到了多少？总体方案定
// 的目标是多少？" asks an outcome first and a target second.
func (e *Engine) withCarry(ix Retriever, own *Analysis, carried string) *Analysis {
	if strings.TrimSpace(carried) == "" {
		return own
	}
	a := e.analyze(ix, own.Question+" "+carried)
	a.Asks, a.Rules = own.Asks, own.Rules
	a.unitRx, a.Unit, a.Count = own.unitRx, own.Unit, own.Count
	return a
}

// mergeFound combines the answers to a question's parts: each answered
// part's cited passages first, then the rest, up to k, with the parts'
// citations renumbered. It is used when the whole question was refused or
// when a part's answer comes from a passage the whole question's answer
// does not cite.
//
// Parts asking the same of different places (byPlace) each need their own
// answer: none is taken as covered by the whole question's answer, and a
// lower coverage is enough.
func mergeFound(whole found, parts []found, k int, byPlace bool, w Weights) (found, bool) {
	use := answersToMerge(whole, parts, byPlace, w)
	if len(use) == 0 || whole.why == "" && len(use) == 1 {
		return found{}, false
	}
	var m found
	var num map[string]int
	m.passages, num = mergedPassages(whole, use, k)
	var plain strings.Builder // the merged answer's text so far, without citations
	for _, f := range use {
		// Runs of sentences another answer gave already are dropped; the
		// rest cite the merged passages.
		kept := false
		for _, run := range f.ex.spans.runs() {
			body := run.body()
			if body == "" || strings.Contains(plain.String(), body) {
				continue
			}
			plain.WriteString(body)
			kept = true
			if len(m.ex.spans) > 0 {
				m.ex.spans[len(m.ex.spans)-1].sep = "\n"
			}
			run = append(spans(nil), run...)
			last := &run[len(run)-1]
			last.cite = num[f.passages[last.cite-1].ChunkID] // 0: not among the merged passages
			last.sep = ""
			m.ex.spans = append(m.ex.spans, run...)
		}
		if kept && m.ex.best == 0 {
			m.ex.best = num[f.passages[f.ex.best-1].ChunkID]
			m.ex.cover = f.ex.cover
		}
	}
	m.ex.cited = m.ex.spans.cited()
	return m, true
}

// answersToMerge returns the answers to merge: the whole question's, if
// any, then each part's whose best passage the whole question's answer
// does not cite and that the whole answer does not already cover.
func answersToMerge(whole found, parts []found, byPlace bool, w Weights) []found {
	quoted := map[string]bool{} // the sentences the answers to merge quote
	var use []found
	if whole.why == "" {
		for _, s := range whole.ex.picked {
			quoted[s.text] = true
		}
		use = append(use, whole)
	}
	wholeText := fold.String(whole.ex.spans.render(true))
	minCover := w.PartCover
	if byPlace {
		minCover = w.PlacePartCover
	}
	for _, p := range parts {
		// A part the whole answer already covers adds nothing but noise;
		// one whose own answer holds more of it than the whole answer does
		// is not covered.
		if cv := coverage(wholeText, p.a.terms); !byPlace && whole.why == "" && cv >= w.PartCovered && (p.why != "" || cv >= p.ex.cover) &&
			allYears(whole.passages, whole.ex.cited, p.a.Years) &&
			allIn(whereText(whole.passages, whole.ex.cited), p.a.Names) {
			continue
		}
		// A part adds to the whole answer when its best sentence is not
		// already quoted: two parts may be answered by two sentences of one
		// passage (孵化中小企业32家；签约意向进驻企业53家).
		if p.why == "" && p.ex.cover >= minCover && !quoted[p.ex.top.text] {
			use = append(use, p)
			for _, s := range p.ex.picked {
				quoted[s.text] = true
			}
		}
	}
	return use
}

// mergedPassages returns the passages of a merged answer, at most k, and
// their numbers by chunk id: the whole question's ranking stays, with the
// cited passages of the answers taking the places of its last ones.
func mergedPassages(whole found, use []found, k int) ([]Passage, map[string]int) {
	out := []Passage{}
	num := map[string]int{} // chunk id → merged passage number
	add := func(p Passage) {
		if _, ok := num[p.ChunkID]; ok || len(out) >= k {
			return
		}
		p.Rank = len(out) + 1
		out = append(out, p)
		num[p.ChunkID] = p.Rank
	}
	need := map[string]Passage{}
	var order []string
	for _, f := range use {
		for _, n := range f.ex.cited {
			id := f.passages[n-1].ChunkID
			if _, ok := need[id]; !ok {
				need[id] = f.passages[n-1]
				order = append(order, id)
			}
		}
	}
	inWhole := map[string]bool{}
	for _, p := range whole.passages {
		inWhole[p.ChunkID] = true
	}
	keep := max(0, k-len(order)) // the passages cited keep their places
	for _, p := range whole.passages {
		_, needed := need[p.ChunkID]
		if needed || keep > 0 {
			if !needed {
				keep--
			}
			add(p)
		}
	}
	for _, id := range order {
		add(need[id])
	}
	return out, num
}

// allIn reports whether text holds every one of words.
func allIn(text string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(text, w) {
			return false
		}
	}
	return true
}
