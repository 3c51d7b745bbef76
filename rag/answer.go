package rag

import (
	"context"
	"errors"
	"policybot/fold"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"policybot/ingest"
)

// MaxQuestionRunes is the longest question answered; longer text is cut.
const MaxQuestionRunes = 300

// maxParts is how many parts of a question are answered one by one.
const maxParts = 4

// ExcerptLabel opens an extractive answer quoted in the documents' own
// script: the reader sees quoted document text, not a written summary.
// ConvertedLabel opens one with sentences converted to simplified script.
const ExcerptLabel = "以下为文件原文摘录："

// UncitedLabel opens a model's answer that cites no passage.
const UncitedLabel = "（⚠ 此回答未标注出处，请对照下方资料核实）"

// FallbackLabel opens an extractive answer given because the model failed.
const FallbackLabel = "（模型暂时不可用，以下为文件原文摘录）"

// Answer answers q. In LLM mode onPartial, if not nil, receives the
// accumulated answer text as it streams. An error is returned for a
// cancelled context, a broken index or a failing embedder (the question
// cannot be searched); a failing model gives an extractive-fallback result
// instead.
func (e *Engine) Answer(ctx context.Context, q Query, onPartial func(text string)) (*Result, error) {
	e = e.view()
	ix := e.snap().r
	res := &Result{ID: q.ID, Question: q.Question, Unsupported: []string{}, Citations: []Citation{}, Passages: []Passage{}}
	question := strings.TrimSpace(q.Question)
	if question == "" {
		res.Mode = ModeExtractive
		res.Answer = "请输入问题。"
		return res, nil
	}
	// A question is a sentence or two; a pasted document is cut, so one
	// message cannot cost hundreds of searches.
	if rs := []rune(question); len(rs) > MaxQuestionRunes {
		question = string(rs[:MaxQuestionRunes])
	}
	// resolve: a follow-up is read against the previous turn
	pr, err := e.priorOf(ctx, ix, q)
	if err != nil {
		return nil, err
	}
	standalone, fu := e.standalone(ctx, ix, q.History, pr, question)
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
	// analyze
	pq := e.withParts(ix, e.applyFollowup(e.analyze(ix, standalone), fu))
	// retrieve → fuse → rerank → select → refuse, for the question and,
	// if it asks several things, for each part
	whole, err := e.find(ctx, ix, pq, k)
	if err != nil {
		return nil, err
	}
	f, merged, err := e.findParts(ctx, ix, pq, whole, k)
	if err != nil {
		return nil, err
	}
	var xp *Explanation
	if q.Explain {
		xp = e.explainFound(ix, pq, whole)
		res.Explain = xp
	}
	if merged {
		xp.decide("the question asks several things (%s): answered from the answers to its parts", strings.Join(pq.Parts, " | "))
	}
	res.Passages = f.passages
	if f.why != "" {
		xp.decide("refused by the %s check: %s", f.check, f.why)
		e.refusal(res, f.why, f.lack)
		return res, nil
	}
	// compose
	sp, cps := f.ex.spans, res.Passages // cps: what citations may point at
	if d, ok := e.itemDetail(pq, f); ok {
		sp = d
		xp.decide("asks what an item of the previous answer says: answered with its heading and the text after it")
	} else if items := e.outline(ix, pq, f); items != nil {
		sp, cps = outlineAnswer(f, items)
		res.Passages = cps // the passages of items below the first k are cited too
		xp.decide("asks for a list: answered with its %d items, each cited", len(items))
	} else {
		xp.decide("answered with the %d best sentences, from passages %v", len(f.ex.picked), f.ex.cited)
	}
	xp.answerSpans(sp)
	// generate → verify
	if e.opt.Generator != nil {
		text, err := e.opt.Generator.Answer(ctx, standalone, res.Passages, onPartial)
		if err == nil {
			if strings.TrimSpace(text) == LLMRefusal || strings.HasPrefix(strings.TrimSpace(text), LLMRefusal) {
				xp.decide("the model found no answer in the passages")
				e.refusal(res, "the model found no answer", "")
				return res, nil
			}
			xp.decide("the model's answer was given, its citations and figures checked")
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
		xp.decide("the model failed (%v): the extractive answer was given", err)
	}
	e.render(res, sp, cps)
	return res, nil
}

// render writes an extractive answer into res: its text with citations
// and label, and the citations of the passages cps it cites. Citations
// quote the original text; the reader's text may be converted.
func (e *Engine) render(res *Result, sp spans, cps []Passage) {
	answer := sp.render(true)
	res.Citations = citationsFor(cps, sp.cited(), sp.quotes())
	text, converted := answer, false
	if e.opt.Script == ScriptSimplified {
		// The dictionaries are embedded in the binary: a failure to load
		// them is a broken build, and the original text is still an answer.
		if t, ch, err := e.simp.convert(answer); err == nil {
			text, converted = t, ch
		}
	}
	label := ExcerptLabel
	switch {
	case res.Mode == ModeExtractiveFallback && converted:
		label = FallbackConvertedLabel
	case res.Mode == ModeExtractiveFallback:
		label = FallbackLabel
	case converted:
		label = ConvertedLabel
	}
	res.Answer = label + "\n" + text
	res.Answered = true
}

// findParts answers each part of a question that asks several things, and
// merges their answers with the whole question's when the whole is
// refused or misses what a part finds. It returns whole when there is
// nothing to merge.
func (e *Engine) findParts(ctx context.Context, ix Retriever, q *Analysis, whole found, k int) (found, bool, error) {
	parts := q.Parts
	if len(parts) < 2 {
		return whole, false, nil
	}
	// A question in several parts may need several places, even several
	// documents: each part is answered from its own passages.
	var fs []found
	for i, part := range parts {
		pa := e.analyze(ix, part)
		if i > 0 && !q.ByPlace {
			pa = e.withCarry(ix, pa, e.carry(parts[0]))
		}
		pa.Followup = q.Followup
		if pa.When == nil {
			pa.When = q.When // a part naming no time asks of the question's (18年…？提高了几个点？)
		}
		pf, err := e.find(ctx, ix, pa, k)
		if err != nil {
			return found{}, false, err
		}
		fs = append(fs, pf)
	}
	if m, ok := mergeFound(whole, fs, k, q.ByPlace, e.w); ok {
		return m, true, nil
	}
	return whole, false, nil
}

// found is a question, or a part of one, with its passages and the
// extractive answer from them (or why there is none).
type found struct {
	a        *Analysis
	passages []Passage
	ex       extraction
	why      string     // why the question is refused, if it is
	check    string     // the refusal check that refused it
	lack     string     // what the documents lack, in the reader's words
	feat     []features // the passages' ranking features
	refit    bool       // the answer was taken again from passages that fit the years and names asked
	// bestWhere is where the best sentence's passage speaks (whereFor).
	bestWhere string
	// citedWhere is where each cited passage speaks, by citation number
	// (whereFor).
	citedWhere map[int]string
}

// find retrieves k passages for q and extracts its answer.
func (e *Engine) find(ctx context.Context, ix Retriever, q *Analysis, k int) (found, error) {
	ps, feat, err := e.rank(ctx, ix, q, k)
	if err != nil {
		return found{}, err
	}
	f := found{a: q, passages: ps, feat: feat}
	docOf := func(p Passage) (*ingest.Document, bool) {
		if c, ok := ix.Chunk(p.ChunkID); ok {
			d, _ := ix.Doc(c.DocID)
			return d, c.Kind == ingest.KindHeader
		}
		return nil, false
	}
	f.ex = e.extract(q, f.passages, docOf, e.priorAllow(ix, q, f.passages))
	// The place, person or year asked about must be where the answer is.
	// When the best sentences are about another, answer from the passages
	// that speak of the one asked about, if any.
	docYear := namedDocYear(q.Folded)
	fits := func(n int) bool {
		// Asked of the 1992 report, the answer is the 1992 report's.
		p := f.passages[n-1]
		if !yearsFit(f.passages, []int{n}, contentYears(q)) || !ofYear(p.Title, p.Date, docYear) {
			return false
		}
		return e.namesFit(q, e.whereFor(ix, q, f.passages, n))
	}
	if f.ex.best > 0 && !fits(f.ex.best) {
		if ex := e.extract(q, f.passages, docOf, func(i int) bool { return fits(i + 1) }); ex.best > 0 {
			f.ex, f.refit = ex, true
		}
	}
	f.bestWhere = e.whereFor(ix, q, f.passages, f.ex.best)
	f.citedWhere = make(map[int]string, len(f.ex.cited))
	for _, n := range f.ex.cited {
		f.citedWhere[n] = e.whereFor(ix, q, f.passages, n)
	}
	f.why, f.check, f.lack = e.refuse(ix, q, f)
	return f, nil
}

// headerReach is how many chunks of its document a header passage speaks
// for when the names a question asks about are looked for, and
// headerNameMin how often the document must name one: throughout, not in
// passing (焦作 twice in a plan for 济源).
const (
	headerReach   = 40
	headerNameMin = 3
)

// whereFor is where passage n (1-based) speaks: its text with its title,
// section, date and its document's issuer; for a document's header block
// (title, date, editor, author), when q asks about the document itself, and
// for any passage of a document whose title names no place, also the names
// of q its document keeps naming (headerNameMin times or more; a header
// within its first headerReach chunks, a placeless document throughout):
// "洛阳那期报纸的编辑" is answered by a header that names no 洛阳, and a
// plan titled 为深入实施创新驱动发展战略… speaks for the 山东 of its text.
func (e *Engine) whereFor(ix Retriever, q *Analysis, ps []Passage, n int) string {
	where := whereText(ps, []int{n})
	if n < 1 || n > len(ps) {
		return where
	}
	c, ok := ix.Chunk(ps[n-1].ChunkID)
	if !ok {
		return where
	}
	// Its author or issuer says every passage of a document (姜会峰's
	// article, 张战伟's speech).
	d, hasDoc := ix.Doc(c.DocID)
	if hasDoc && d.Issuer != "" {
		where += "\n" + fold.String(d.Issuer)
	}
	// A document whose title names no place (为深入实施创新驱动发展战略,…
	// 特制定本实施方案) speaks for the place its text keeps naming (全省
	// and 山东 four times).
	if len(q.Names) == 0 {
		return where // no name to count in its document
	}
	placeless := hasDoc && !e.namesPlace(fold.String(d.Title))
	if !placeless && (!q.asksAboutDocument() || c.Kind != ingest.KindHeader) {
		return where
	}
	counts := map[string]int{}
	for i, dc := range ix.DocChunks(c.DocID) {
		if i >= headerReach && !placeless {
			break
		}
		for _, name := range q.Names {
			counts[name] += strings.Count(dc.Folded, name)
		}
	}
	for _, name := range q.Names {
		if counts[name] >= headerNameMin {
			where += "\n" + name
		}
	}
	return where
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
			Start: p.Start, End: p.End, Locus: p.Locus, Quote: q,
		})
	}
	return out
}

// refusal turns res into a refusal saying what the documents lack (lack,
// or "" for the plain wording) and naming the closest documents, their
// titles in simplified script.
func (e *Engine) refusal(res *Result, why, lack string) {
	res.Answered = false
	res.RefusalReason = why
	res.Citations = []Citation{}
	seen := map[string]bool{}
	for _, p := range res.Passages {
		t := p.Title
		if c, _, err := e.simp.convert(t); err == nil {
			t = c
		}
		if t != "" && !seen[t] && len(res.Nearest) < 3 {
			seen[t] = true
			res.Nearest = append(res.Nearest, t)
		}
	}
	res.Answer = refusalText(lack, res.Nearest)
}

// refusalText is what a reader is told when the documents do not answer:
// what they lack, and the nearest documents to check.
func refusalText(lack string, nearest []string) string {
	if lack == "" {
		lack = "能回答这个问题的内容"
	}
	msg := "抱歉，现有文件中没有找到" + lack + "。"
	if len(nearest) > 0 {
		msg += "最接近的文件是：《" + strings.Join(nearest, "》《") + "》，可查阅原文核实。"
	}
	return msg
}

// standalone turns a follow-up question into one that stands alone: by
// the rules of resolve (followup.go), which read it against the previous
// turn, and, when a model is configured to, by the model given the history
// and the previous result. The previous turn's documents are kept either way.
func (e *Engine) standalone(ctx context.Context, ix Retriever, history []Turn, pr *prior, question string) (string, *Followup) {
	s, fu := e.resolve(ix, pr, question)
	if pr == nil || e.opt.Generator == nil || !e.opt.RewriteFollowups {
		return s, fu
	}
	if len(history) == 0 {
		history = []Turn{{Role: "user", Content: pr.question}, {Role: "assistant", Content: pr.answer}}
	}
	r, err := e.opt.Generator.RewriteWith(ctx, history, pr.context(), question)
	if err == nil && strings.TrimSpace(r) != "" {
		if fu != nil {
			fu.Own = "" // the model wrote the whole question: no word is carried
		}
		return strings.TrimSpace(r), fu
	}
	if err != nil && errors.Is(ctx.Err(), context.Canceled) {
		return question, fu
	}
	return s, fu
}

// sentenceRerank reorders candidates by how much of the question their best
// sentence holds, blended with the fused score: the answer to a question
// is usually one sentence, and a passage that holds it whole beats one
// that scatters the same words.
func (e *Engine) sentenceRerank(q *Analysis, in []scored) []scored {
	if len(in) == 0 {
		return in
	}
	top := in[0].score
	if top <= 0 {
		top = 1 // cosine scores of vector-only candidates may be ≤ 0
	}
	out := append([]scored(nil), in...)
	docYear := namedDocYear(q.Folded)
	// Inside a document the question names clearly, the passages repeating its
	// name (its header, its opening, the article putting it into force)
	// outscore by words alone the one holding what is asked: the named
	// document's passages are leveled towards its best fused score by
	// Weights.NamedLevel, so their own content decides among them.
	docBest := map[string]float64{}
	searched := q.searched // the documents named clearly enough to be searched on their own
	for _, c := range out {
		if slices.Contains(searched, c.c.DocID) {
			docBest[c.c.DocID] = max(docBest[c.c.DocID], c.score)
		}
	}
	for i := range out {
		if b, ok := docBest[out[i].c.DocID]; ok {
			out[i].score += e.w.NamedLevel * (b - out[i].score)
		}
	}
	typed := e.w.AnswerTypePassage > 0 && asksAnswerType(q)
	for i := range out {
		best := 0.0
		// A sentence is about the years its section is about (过去一年 under
		// 一、工作回顾 of a 2021 report: 2020), and holds the words naming
		// its document (headTerms).
		about := aboutYears(q.When, out[i].c.Years, out[i].c.TimeKind)
		var head string
		if d, ok := e.snap().r.Doc(out[i].c.DocID); ok {
			head = e.headTerms(q, d, q.terms)
		}
		typedBest := 0.0 // the best sentence holding the kind of thing asked (a date, a figure, someone)
		for _, s := range passageSentences(out[i].c.Folded) {
			c := coverage(s+about+head, q.terms)
			best = max(best, c)
			if typed && c > typedBest && e.holdsAnswerType(q, q.terms, s) {
				typedBest = c
			}
		}
		out[i].score = out[i].score/top + e.w.SentenceWeight*best + e.w.AnswerTypePassage*typedBest
		out[i].feat.Cover = best
		if s := q.about[out[i].c.DocID]; s > 0 {
			out[i].score += e.w.NamedDoc * s
			out[i].feat.Named = true
		}
		out[i].score += e.priorBoost(q, out[i].c.DocID, out[i].c.ID)
		if q.When != nil {
			c := out[i].c
			yr, kd := timeFit(q.When, c.Years, c.TimeKind, yearOf(c.Date))
			if !ofYear(c.Title, c.Date, docYear) {
				// Asked of the 1992 report, the 1988 report's plan for
				// 1992 is another document's: the time fits the named one.
				yr, kd = min(yr, 0), min(kd, 0)
			}
			out[i].feat.Time = e.w.TimeYear*yr + e.w.TimeKind*kd
			out[i].score += out[i].feat.Time
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].score > out[j].score })
	return out
}

// docName is a word of a question that names documents.
type docName struct {
	word string
	ids  []string
	spec float64 // how few documents it names (specificity)
}

// docNames returns the words of a question that name documents, each with
// the documents it names, in the order of the question.
func (e *Engine) docNames(ix Retriever, folded string) []docName {
	return e.docNamesOf(ix, e.tok.Words(folded))
}

// docNamesOf returns those of words that name documents, each with the
// documents it names, in the order of words.
func (e *Engine) docNamesOf(ix Retriever, words []string) []docName {
	return e.docNamesIn(ix, "", words, nil)
}

// docNamesIn is docNamesOf where words[i] names a document only when its
// title or issuer holds wholes[i] as whole words (namesHead); wholes[i]
// holds words[i], question is the folded question. Nil wholes: every title holding a word is named by it
// (splitting a question by the documents it names, following up on them).
func (e *Engine) docNamesIn(ix Retriever, question string, words, wholes []string) []docName {
	sn := e.snap()
	docs, heads := ix.Documents(), sn.heads
	if len(heads) != len(docs) || len(docs) < 2 {
		return nil
	}
	var out []docName
	for k, word := range words {
		if utf8.RuneCountInString(word) < 2 || reQuestionWord.MatchString(word) {
			continue
		}
		whole := word
		if k < len(wholes) && strings.Contains(wholes[k], word) {
			whole = wholes[k]
		}
		// A word weighs by how few titles hold it at all (规划 of many
		// titles …规划纲要 is a common word of titles even where it is
		// part of a longer word), and names those holding it as it stands
		// in the question (namesHead).
		var hits []int
		held := 0
		for i, h := range heads {
			if !strings.Contains(h, word) {
				continue
			}
			held++
			var spans [][2]int
			if i < len(sn.headWords) {
				spans = sn.headWords[i]
			}
			if wholes == nil || namesHead(h, spans, whole, question) {
				hits = append(hits, i)
			}
		}
		if len(hits) == 0 || held*2 > len(docs) {
			continue // in no title, or in most: it names no document
		}
		n := docName{word: word, spec: specificity(held, len(docs))}
		for _, i := range hits {
			n.ids = append(n.ids, docs[i].ID)
		}
		out = append(out, n)
	}
	return out
}
