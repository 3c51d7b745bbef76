package rag

import (
	"context"
	"errors"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"policybot/fold"
	"policybot/ingest"
	"policybot/terms"
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
	// analyze
	pq := e.withParts(ix, e.analyze(ix, standalone))
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
		e.refusal(res, f.why)
		return res, nil
	}
	// compose
	sp, cps := f.ex.spans, res.Passages // cps: what citations may point at
	if items := e.outline(ix, pq, f); items != nil {
		sp, cps = outlineAnswer(f, items)
		xp.decide("asks for parts: answered with the %d headings of one section", len(items))
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
				e.refusal(res, "the model found no answer")
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
		if i > 0 && !q.ByPlace {
			part += " " + e.carry(parts[0])
		}
		pf, err := e.find(ctx, ix, e.analyze(ix, part), k)
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
	feat     []features // the passages' ranking features
	refit    bool       // the answer was taken again from passages that fit the years and names asked
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
	f.ex = e.extract(q, f.passages, docOf, nil)
	// The place, person or year asked about must be where the answer is.
	// When the best sentences are about another, answer from the passages
	// that speak of the one asked about, if any.
	fits := func(n int) bool {
		if !yearsFit(f.passages, []int{n}, q.Years) {
			return false
		}
		return e.namesFit(q, whereText(f.passages, []int{n}))
	}
	if f.ex.best > 0 && !fits(f.ex.best) {
		if ex := e.extract(q, f.passages, docOf, func(i int) bool { return fits(i + 1) }); ex.best > 0 {
			f.ex, f.refit = ex, true
		}
	}
	f.why, f.check = e.refuse(ix, q, f)
	return f, nil
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
	return e.followupRule(prev, question)
}

// followupRule combines an elliptical follow-up with the previous question:
// a year or a place in the follow-up replaces the previous question's, and
// the follow-up's words are added to the previous question's.
func (e *Engine) followupRule(prev, q string) string {
	fq := fold.String(terms.NormalizeYears(q))
	// A follow-up says so (那…, …呢, 它…), or is too short to stand alone:
	// no place of its own and at most two content words. A new question
	// asked later in a chat stands alone.
	if !reFollowMarker.MatchString(q) {
		if utf8.RuneCountInString(q) > 10 || len(e.places(fq)) > 0 || len(e.tok.Words(fq)) > 2 {
			return q
		}
	}
	fp := fold.String(terms.NormalizeYears(prev))
	if ys := reYear.FindAllString(fq, -1); len(ys) > 0 {
		fp = reYear.ReplaceAllString(fp, ys[0])
	}
	ix := e.snap().r
	if newNames := e.namesIn(ix, fq); len(newNames) > 0 {
		for _, old := range e.namesIn(ix, fp) {
			if !slices.Contains(newNames, old) {
				fp = strings.ReplaceAll(fp, old, newNames[0])
			}
		}
	}
	core := strings.TrimSpace(reFollowMarker.ReplaceAllString(fq, ""))
	core = strings.Trim(core, "？?。，, ")
	return core + " " + fp
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
	for i := range out {
		best := 0.0
		var head string
		if d, ok := e.snap().r.Doc(out[i].c.DocID); ok {
			head = e.headTerms(q, d, q.terms)
		}
		for _, s := range passageSentences(out[i].c.Folded) {
			best = max(best, coverage(s+head, q.terms))
		}
		out[i].score = out[i].score/top + e.w.SentenceWeight*best
		out[i].feat.Cover = best
		if s := q.about[out[i].c.DocID]; s > 0 {
			out[i].score += e.w.NamedDoc * s
			out[i].feat.Named = true
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
	docs, heads := ix.Documents(), e.snap().heads
	if len(heads) != len(docs) || len(docs) < 2 {
		return nil
	}
	var out []docName
	for _, word := range words {
		if utf8.RuneCountInString(word) < 2 || reQuestionWord.MatchString(word) {
			continue
		}
		var hits []int
		for i, h := range heads {
			if strings.Contains(h, word) {
				hits = append(hits, i)
			}
		}
		if len(hits) == 0 || len(hits)*2 > len(docs) {
			continue // in no title, or in most: it names no document
		}
		n := docName{word: word, spec: specificity(len(hits), len(docs))}
		for _, i := range hits {
			n.ids = append(n.ids, docs[i].ID)
		}
		out = append(out, n)
	}
	return out
}
