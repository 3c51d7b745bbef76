package rag

import (
	"context"
	"errors"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"policybot/fold"
	"policybot/index"
	"policybot/ingest"
	"policybot/lexical"
	"policybot/terms"
)

// ExcerptLabel opens every extractive answer: the reader sees quoted
// document text, not a written summary.
const ExcerptLabel = "以下为文件原文摘录："

// UncitedLabel opens a model's answer that cites no passage.
const UncitedLabel = "（⚠ 此回答未标注出处，请对照下方资料核实）"

// FallbackLabel opens an extractive answer given because the model failed.
const FallbackLabel = "（模型暂时不可用，以下为文件原文摘录）"

// Answer answers q. In LLM mode onPartial, if not nil, receives the
// accumulated answer text as it streams. An error is returned only for a
// cancelled context or a broken index; a failing model gives an
// extractive-fallback result instead.
func (e *Engine) Answer(ctx context.Context, q Query, onPartial func(text string)) (*Result, error) {
	ix := e.ix.Load()
	res := &Result{ID: q.ID, Question: q.Question, Unsupported: []string{}, Citations: []Citation{}, Passages: []Passage{}}
	question := strings.TrimSpace(q.Question)
	if question == "" {
		res.Mode = ModeExtractive
		res.Answer = "请输入问题。"
		return res, nil
	}
	standalone := e.standalone(ctx, q.History, question)
	if standalone != question {
		res.Standalone = standalone
	}
	k := q.K
	if k <= 0 {
		k = e.opt.K
	}
	res.Mode = ModeExtractive
	if e.opt.Generator != nil {
		res.Mode = ModeLLM
	}
	f, err := e.find(ctx, ix, e.prepare(standalone), k)
	if err != nil {
		return nil, err
	}
	parts := splitParts(standalone)
	if parts == nil {
		parts = e.splitByPlace(standalone)
	}
	if len(parts) > 1 {
		// A question in several parts may need several places, even
		// several documents: each part is answered from its own passages
		// when the whole question is refused or misses what a part finds.
		var fs []found
		for i, part := range parts {
			if i > 0 {
				part += " " + e.carry(parts[0])
			}
			pf, err := e.find(ctx, ix, e.prepare(part), k)
			if err != nil {
				return nil, err
			}
			fs = append(fs, pf)
		}
		if m, ok := mergeFound(f, fs, k); ok {
			f = m
		}
	}
	res.Passages = f.passages
	if f.why != "" {
		e.refusal(res, f.why)
		return res, nil
	}
	ex := f.ex
	answer, cited := ex.text, ex.cited
	if e.opt.Generator != nil {
		text, err := e.opt.Generator.Answer(ctx, standalone, res.Passages, onPartial)
		if err == nil {
			if strings.TrimSpace(text) == LLMRefusal || strings.HasPrefix(strings.TrimSpace(text), LLMRefusal) {
				e.refusal(res, "the model found no answer")
				return res, nil
			}
			chk := CheckAnswer(text, res.Passages)
			res.Answer, res.Unsupported, res.Uncited = chk.Answer, chk.Unsupported, chk.Uncited
			if res.Unsupported == nil {
				res.Unsupported = []string{}
			}
			if res.Uncited {
				res.Answer = UncitedLabel + "\n" + res.Answer
			}
			res.Answered = true
			res.Citations = citationsFor(res.Passages, chk.Cited, nil)
			return res, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		res.Mode = ModeExtractiveFallback
		res.Error = err.Error()
		answer = FallbackLabel + "\n" + answer
	} else {
		answer = ExcerptLabel + "\n" + answer
	}
	res.Answer = answer
	res.Answered = true
	res.Citations = citationsFor(res.Passages, cited, quotesOf(answer))
	return res, nil
}

// found is a question, or a part of one, with its passages and the
// extractive answer from them (or why there is none).
type found struct {
	passages []Passage
	ex       extraction
	why      string
	w        map[string]qterm // the question's weighted terms
	years    []string         // the years the question names
}

// find retrieves k passages for q and extracts its answer.
func (e *Engine) find(ctx context.Context, ix *index.Index, q query, k int) (found, error) {
	cands, err := e.retrieve(ctx, ix, q, max(k, rerankPool))
	if err != nil {
		return found{}, err
	}
	w := e.termWeights(q, ix.Lexical.DF, ix.Lexical.IDF)
	if e.opt.Reranker == nil {
		cands = e.sentenceRerank(q, cands, w)
	}
	var f found
	f.w = w
	f.years = reYear.FindAllString(q.folded, -1)
	f.passages = []Passage{}
	for i, c := range cands {
		if i >= k {
			break
		}
		f.passages = append(f.passages, passageOf(c.c, i+1, c.score))
	}
	docOf := func(p Passage) (*ingest.Document, bool) {
		if c, ok := ix.Chunk(p.ChunkID); ok {
			d, _ := ix.Doc(c.DocID)
			return d, c.Kind == ingest.KindHeader
		}
		return nil, false
	}
	f.ex = e.extract(q, f.passages, w, docOf, nil)
	// The place, person or year asked about must be where the answer is.
	// When the best sentences are about another, answer from the passages
	// that speak of the one asked about, if any.
	names, years := e.names(q), reYear.FindAllString(q.folded, -1)
	fits := func(n int) bool {
		if !yearsFit(f.passages, []int{n}, years) {
			return false
		}
		return len(names) == 0 || holdsAny(whereText(f.passages, []int{n}), names)
	}
	if f.ex.best > 0 && !fits(f.ex.best) {
		if ex := e.extract(q, f.passages, w, docOf, func(i int) bool { return fits(i + 1) }); ex.best > 0 {
			f.ex = ex
		}
	}
	f.why = e.refuse(q, f.passages, f.ex)
	return f, nil
}

// reParts splits a question at its question marks and semicolons.
var reParts = regexp.MustCompile(`[？?；;]+`)

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

// reEach matches questions that ask the same of several places.
var reEach = regexp.MustCompile(`各|分别|各自|都|两地|两个`)

// splitByPlace turns "济源和洛阳各是什么定位" into one question per place
// named, or returns nil when the question names fewer than two places or
// does not ask of each.
func (e *Engine) splitByPlace(q string) []string {
	f := fold.String(q)
	names := e.opt.Places.Find(f)
	if len(names) < 2 || !reEach.MatchString(f) {
		return nil
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

// mergeFound combines the answers to a question's parts: each answered
// part's cited passages first, then the rest, up to k, with the parts'
// citations renumbered. It is used when the whole question was refused or
// when a part's answer comes from a passage the whole question's answer
// does not cite.
func mergeFound(whole found, parts []found, k int) (found, bool) {
	wholeCites := map[string]bool{}
	if whole.why == "" {
		for _, n := range whole.ex.cited {
			wholeCites[whole.passages[n-1].ChunkID] = true
		}
	}
	// The answers to merge: the whole question's, if any, then each part's
	// whose best passage the whole question's answer does not cite.
	var use []found
	if whole.why == "" {
		use = append(use, whole)
	}
	wholeText := fold.String(whole.ex.text)
	for _, p := range parts {
		// A part the whole answer already covers adds nothing but noise.
		if whole.why == "" && coverage(wholeText, p.w) >= 0.6 && allYears(whole.passages, whole.ex.cited, p.years) {
			continue
		}
		if p.why == "" && p.ex.cover >= 0.6 && !wholeCites[p.passages[p.ex.best-1].ChunkID] {
			use = append(use, p)
			wholeCites[p.passages[p.ex.best-1].ChunkID] = true
		}
	}
	if len(use) == 0 || whole.why == "" && len(use) == 1 {
		return found{}, false
	}
	var m found
	m.passages = []Passage{}
	num := map[string]int{} // chunk id → merged passage number
	add := func(p Passage) {
		if _, ok := num[p.ChunkID]; ok || len(m.passages) >= k {
			return
		}
		p.Rank = len(m.passages) + 1
		m.passages = append(m.passages, p)
		num[p.ChunkID] = p.Rank
	}
	// The whole question's ranking stays, with the cited passages of the
	// answers taking the places of its last ones.
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
	extra := 0
	for _, id := range order {
		if !inWhole[id] {
			extra++
		}
	}
	keep := max(0, k-extra)
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
	var texts []string
	var plain strings.Builder // the merged answer's text so far, without citations
	for _, f := range use {
		// Runs of sentences another answer gave already are dropped.
		var kept []string
		for _, run := range reCiteRun.FindAllString(f.ex.text, -1) {
			body := strings.TrimSpace(reCite.ReplaceAllString(run, ""))
			if body == "" || strings.Contains(plain.String(), body) {
				continue
			}
			plain.WriteString(body)
			kept = append(kept, strings.TrimSpace(run))
		}
		if len(kept) == 0 {
			continue
		}
		t := reCite.ReplaceAllStringFunc(strings.Join(kept, "\n"), func(c string) string {
			n := atoi(c[1 : len(c)-1])
			if n >= 1 && n <= len(f.passages) {
				if mn, ok := num[f.passages[n-1].ChunkID]; ok {
					return "[" + itoa(mn) + "]"
				}
			}
			return ""
		})
		texts = append(texts, t)
		if m.ex.best == 0 {
			m.ex.best = num[f.passages[f.ex.best-1].ChunkID]
			m.ex.cover = f.ex.cover
		}
	}
	m.ex.text = strings.Join(texts, "\n")
	for _, c := range reCite.FindAllString(m.ex.text, -1) {
		if n := atoi(c[1 : len(c)-1]); !containsInt(m.ex.cited, n) {
			m.ex.cited = append(m.ex.cited, n)
		}
	}
	return m, true
}

var reCite = regexp.MustCompile(`\[\d+\]`)

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// quotesOf maps each [n] of an extractive answer to the text before it.
func quotesOf(answer string) map[int]string {
	out := map[int]string{}
	for _, m := range reCiteRun.FindAllStringSubmatch(answer, -1) {
		n := atoi(m[2])
		out[n] += strings.TrimSpace(m[1])
	}
	return out
}

var reCiteRun = regexp.MustCompile(`(?s)([^\[\]\n]+)\[(\d+)\]`)

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

func citationsFor(ps []Passage, cited []int, quotes map[int]string) []Citation {
	out := []Citation{}
	for _, n := range cited {
		if n < 1 || n > len(ps) {
			continue
		}
		p := ps[n-1]
		q := quotes[n]
		if q == "" {
			q = p.Text
		}
		out = append(out, Citation{
			N: n, ChunkID: p.ChunkID, Source: p.Source, Title: p.Title, Section: p.Section, Date: p.Date,
			Start: p.Start, End: p.End, LineStart: p.LineStart, LineEnd: p.LineEnd, Quote: q,
		})
	}
	return out
}

// refusal turns res into a refusal naming the closest documents.
func (e *Engine) refusal(res *Result, why string) {
	res.Answered = false
	res.RefusalReason = why
	res.Citations = []Citation{}
	seen := map[string]bool{}
	for _, p := range res.Passages {
		if !seen[p.Title] && len(res.Nearest) < 3 {
			seen[p.Title] = true
			res.Nearest = append(res.Nearest, p.Title)
		}
	}
	msg := "抱歉，现有文件中没有找到能回答这个问题的内容。"
	if len(res.Nearest) > 0 {
		msg += "最相关的文件是：《" + strings.Join(res.Nearest, "》《") + "》，可查阅原文核实。"
	}
	res.Answer = msg
}

var reYear = regexp.MustCompile(`(?:19|20)[0-9]{2}`)

// tagger tags words with parts of speech; the lexical tokenizer does.
type tagger interface {
	Tag(text string) []lexical.Tagged
}

// refuse decides whether the passages fail to answer the question and
// says why ("" when they may answer it). The signs: the answer sentences
// hold too little of the question's weight; a year the question names is
// not where the answer was found; a place, person or organization the
// question names is in no passage; a question asking for a date or a
// figure gets sentences without one.
func (e *Engine) refuse(q query, ps []Passage, ex extraction) string {
	if len(ps) == 0 || len(ex.picked) == 0 {
		return "no passage"
	}
	if ex.cover < e.opt.MinCoverage {
		return "question terms not found"
	}
	w := whereText(ps, ex.cited)
	if years := reYear.FindAllString(q.folded, -1); !yearsFit(ps, ex.cited, years) {
		return "year " + strings.Join(years, " ") + " not where the answer is"
	}
	// A place, person or organization the question is about must be where
	// the answer was found: an answer about another city is no answer.
	if names := e.names(q); len(names) > 0 && !holdsAny(whereText(ps, []int{ex.best}), names) {
		return "names " + strings.Join(names, " ") + " not where the answer is"
	}
	answer := fold.String(reCite.ReplaceAllString(ex.text, ""))
	// A figure asked in a unit (多少亩, 百分之几) must be there in that unit.
	if unit := askedUnit(q.folded); unit != nil && !unit.MatchString(answer) {
		return "the unit asked for is not in the answer"
	}
	if reAsksDate.MatchString(q.folded) && !reHasDate.MatchString(answer) && !reHasDate.MatchString(w) {
		return "asks a date, found none"
	}
	if reAsksCount.MatchString(q.folded) && !hasOwnFigure(answer, q.folded) {
		return "asks a figure, found none"
	}
	// Asked what happened, the documents may only give the plan.
	if reAsksOutcome.MatchString(q.folded) && rePlan.MatchString(answer) && !reOutcome.MatchString(answer) {
		return "asks an outcome, found only a plan"
	}
	if why := e.missingConcepts(q); why != "" {
		return why
	}
	return ""
}

// whereText is where an answer was found: the cited passages with their
// titles, sections and dates, folded.
func whereText(ps []Passage, cited []int) string {
	var sb strings.Builder
	for _, n := range cited {
		if n < 1 || n > len(ps) {
			continue
		}
		p := ps[n-1]
		sb.WriteString(fold.String(p.Title + " " + p.Section + " " + p.Date + " " + p.Text))
		sb.WriteByte('\n')
	}
	return sb.String()
}

// yearsFit reports whether the cited passages speak of the year asked
// about. A passage's own heading path and text decide when they name any
// year (a report titled 2019 reviews 2018 under "2018年工作回顾"); only a
// passage that names no year is dated by its document's title and date.
func yearsFit(ps []Passage, cited []int, years []string) bool {
	if len(years) == 0 {
		return true
	}
	var own, doc strings.Builder
	for _, n := range cited {
		if n < 1 || n > len(ps) {
			continue
		}
		p := ps[n-1]
		t := fold.String(p.Section + " " + p.Text)
		if reYear.MatchString(t) {
			own.WriteString(t)
		} else {
			doc.WriteString(fold.String(p.Title + " " + p.Date))
		}
		own.WriteByte('\n')
	}
	where := own.String() + doc.String()
	// A question comparing years ("18年…，到19年…") may be answered in
	// part: one of them is enough.
	if len(years) > 1 {
		return holdsAny(where, years)
	}
	return strings.Contains(where, years[0])
}

// allYears reports whether the cited passages speak of every one of years.
func allYears(ps []Passage, cited []int, years []string) bool {
	for _, y := range years {
		if !yearsFit(ps, cited, []string{y}) {
			return false
		}
	}
	return true
}

func holdsAny(text string, words []string) bool {
	for _, w := range words {
		if strings.Contains(text, w) {
			return true
		}
	}
	return false
}

// Outcome questions and plan answers.
var (
	reAsksOutcome = regexp.MustCompile(`实际|最终|最后|到底完成|完成了|实现了|达到了|真的`)
	rePlan        = regexp.MustCompile(`预期|目标|力争|计划|有望|争取|拟`)
	reOutcome     = regexp.MustCompile(`完成|实现|达到|已经|初步核算`)
)

// reFigure matches the numbers in a text: Arabic, or Chinese with a counter.
var reFigure = regexp.MustCompile(`[0-9]+(?:\.[0-9]+)?|[一二三四五六七八九十百千两]+[万亿]|[一二三四五六七八九十百千万亿两]+(?:个|项|大|条|家|所|座|倍|类|种|批|位|名)`)

// hasOwnFigure reports whether answer holds a figure that is not merely one
// the question itself contains (the 5 of "5G").
func hasOwnFigure(answer, question string) bool {
	own := map[string]bool{}
	for _, f := range reFigure.FindAllString(question, -1) {
		own[f] = true
	}
	for _, f := range reFigure.FindAllString(answer, -1) {
		if !own[f] {
			return true
		}
	}
	return false
}

// rareWord is the WordWeight above which a word is unknown or rare in
// general use.
const rareWord = 0.9

// rePlace matches words that name places by their suffix.
var rePlace = regexp.MustCompile(`^\p{Han}{2,6}(?:市|区|县|省|镇|乡|村|州|新城|新区)$`)

// names returns the places, people and organizations a question names:
// words tagged as such by the segmenter's dictionary, or shaped like a
// place name, or naming the place of an indexed document's title.
func (e *Engine) names(q query) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range e.opt.Places.Find(q.folded) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	t, ok := e.tok.(tagger)
	if !ok {
		return out
	}
	for _, tw := range t.Tag(q.folded) {
		name := tw.Text
		if utf8.RuneCountInString(name) < 2 || seen[name] || reQuestionWord.MatchString(name) {
			continue
		}
		// Small places are rarely in the dictionary: a word it does not know
		// that is shaped like a place name is taken as one.
		unknown := false
		if ww, ok := e.tok.(wordWeigher); ok {
			unknown = ww.WordWeight(name) >= rareWord
		}
		if tw.Pos == "ns" || tw.Pos == "nr" || tw.Pos == "nt" || unknown && rePlace.MatchString(name) {
			seen[name] = true
			out = append(out, name)
		}
	}
	return out
}

// missingConcepts reports a question whose informative words are mostly in
// no document at all: the corpus does not speak of what it asks.
func (e *Engine) missingConcepts(q query) string {
	ww, ok := e.tok.(wordWeigher)
	if !ok {
		return ""
	}
	ix := e.ix.Load()
	var missing, total float64
	var gone []string
	t, ok := e.tok.(tagger)
	if !ok {
		return ""
	}
	tagged := t.Tag(q.folded)
	// Latin-letter terms (pm2.5, r&d) come whole from Words, not from Tag.
	for _, word := range e.tok.Words(q.folded) {
		if isASCIIWord(word) && !isASCIIDigits(word) {
			tagged = append(tagged, lexical.Tagged{Text: word, Pos: "eng"})
		}
	}
	for _, tw := range tagged {
		word := tw.Text
		// Nouns the dictionary knows: segmentation debris and verbs say
		// too little about what the corpus covers.
		if utf8.RuneCountInString(word) < 2 || reQuestionWord.MatchString(word) || reDocumentWord.MatchString(word) ||
			!strings.HasPrefix(tw.Pos, "n") && tw.Pos != "eng" {
			continue
		}
		wt := ww.WordWeight(word)
		if tw.Pos == "eng" {
			wt = 1
		} else if wt >= 1 {
			continue
		}
		total += wt
		if ix.Lexical.DF(word) > 0 {
			continue
		}
		found := false
		for _, x := range e.terms.Expand(word) {
			if ix.Lexical.DF(x) > 0 {
				found = true
				break
			}
		}
		if !found {
			missing += wt
			gone = append(gone, word)
		}
	}
	if total > 0 && missing/total >= maxMissingShare {
		return "words in no document: " + strings.Join(gone, " ")
	}
	return ""
}

// reDocumentWord matches words that speak of the documents themselves
// (那篇文章, 这份报告), not of what they say.
var reDocumentWord = regexp.MustCompile(`文章|文件|报告|讲话|方案|通知|材料|内容|原文|稿子|这篇|那篇`)

// maxMissingShare is the share of a question's informative weight that may
// be in no document before it is refused.
const maxMissingShare = 0.45

// wordWeigher says how informative a word is in general use.
type wordWeigher interface {
	WordWeight(word string) float64
}

func isASCIIDigits(s string) bool {
	for _, r := range s {
		if (r < '0' || r > '9') && r != '.' && r != '%' {
			return false
		}
	}
	return s != ""
}

// reAsksCount matches questions that want a figure in the answer.
var reAsksCount = regexp.MustCompile(`多少|几[个项条家所座倍类种批成年月天位名]|比例|比重|百分之|排第|第几`)

// defaultMinCoverage is the least share of the question's term weight the
// best sentence must hold for an answer to be given.
const defaultMinCoverage = 0.3

// standalone turns a follow-up question into one that stands alone: by
// the model when one is configured, else by a rule that carries the
// earlier question's subject over.
func (e *Engine) standalone(ctx context.Context, history []Turn, question string) string {
	var prev string
	for i := len(history) - 1; i >= 0; i-- {
		if history[i].Role == "user" && strings.TrimSpace(history[i].Content) != "" {
			prev = strings.TrimSpace(history[i].Content)
			break
		}
	}
	if prev == "" {
		return question
	}
	if e.opt.Generator != nil && e.opt.RewriteFollowups {
		if s, err := e.opt.Generator.Rewrite(ctx, history, question); err == nil && strings.TrimSpace(s) != "" {
			return strings.TrimSpace(s)
		} else if err != nil && errors.Is(ctx.Err(), context.Canceled) {
			return question
		}
	}
	return followupRule(prev, question)
}

var reFollowMarker = regexp.MustCompile(`^(那么?|那个|还有|另外|再问|then)|呢[？?]?$|^(它|其|该|这个|此)`)

// followupRule combines an elliptical follow-up with the previous question:
// a year in the follow-up replaces the previous question's year, and the
// follow-up's words are added to the previous question's.
func followupRule(prev, q string) string {
	short := utf8.RuneCountInString(q) <= 16
	if !short && !reFollowMarker.MatchString(q) {
		return q
	}
	fq := terms.NormalizeYears(q)
	fp := terms.NormalizeYears(prev)
	if ys := reYear.FindAllString(fq, -1); len(ys) > 0 {
		fp = reYear.ReplaceAllString(fp, ys[0])
	}
	core := strings.TrimSpace(reFollowMarker.ReplaceAllString(fq, ""))
	core = strings.Trim(core, "？?。，, ")
	return core + " " + fp
}

// rerankPool is how many fused candidates the sentence reranker reorders.
const rerankPool = 20

// sentenceRerank reorders candidates by how much of the question their best
// sentence holds, blended with the fused score: the answer to a question
// is usually one sentence, and a passage that holds it whole beats one
// that scatters the same words.
func (e *Engine) sentenceRerank(q query, in []scored, w map[string]qterm) []scored {
	if len(in) == 0 {
		return in
	}
	top := in[0].score
	out := append([]scored(nil), in...)
	for i := range out {
		best := 0.0
		for _, s := range passageSentences(out[i].c.Folded) {
			best = max(best, coverage(s, w))
		}
		out[i].score = out[i].score/top + sentenceWeight*best
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].score > out[j].score })
	return out
}

// sentenceWeight is the weight of the best sentence's coverage against the
// normalized fused score.
const sentenceWeight = 0.5
