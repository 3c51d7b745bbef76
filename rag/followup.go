package rag

// resolve: follow-up questions. A follow-up ("第三条具体怎么说", "它的文号是多少",
// "那个数字是哪年的", "那济源的呢") points into the previous turn's result: the
// items its answer listed, the figures it gave, the documents it came from,
// the place and year it was about. The previous result is the one the caller
// kept (Query.Previous: chat, the bot), or, when the history arrives as text
// only (ask --jsonl, eval), the previous question answered again
// (extractive, so deterministic) and read beside the previous answer's text.
// The rules that read a follow-up are in the rules table (followup-…).

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"policybot/fold"
	"policybot/terms"
)

// Followup says how a follow-up question was read against the previous
// turn, for --explain.
type Followup struct {
	// Rules are the names of the follow-up rules that resolved it.
	Rules []string `json:"rules,omitempty"`
	// Item is the item of the previous answer it points at.
	Item string `json:"item,omitempty"`
	// Own is the follow-up's own text after resolution; the words carried
	// from the previous question weigh less than these.
	Own string `json:"own,omitempty"`
	// Docs are the titles of the previous turn's documents kept for
	// retrieval; Related when the question only shares words with the
	// previous turn (a smaller preference).
	Docs    []string `json:"docs,omitempty"`
	Related bool     `json:"related,omitempty"`

	detail bool            // it asks what the item says in full
	docs   map[string]bool // the kept documents' ids
	chunks map[string]bool // the chunks the previous answer came from
}

// prior is the previous turn as a follow-up reads it.
type prior struct {
	question string   // the previous question, standalone
	answer   string   // its answer, as the reader saw it
	items    []string // the items that answer lists, in order
	docs     []string // the documents it came from, best first
	titles   []string // their titles
	chunks   []string // the chunks it came from
	quotes   []string // their text, for the rewrite prompt
}

// maxPriorDocs is how many of the previous turn's documents a follow-up keeps.
const maxPriorDocs = 2

// maxOtherDocs is the most titles a word of a follow-up may be in for it
// to name another document than the previous turn's.
const maxOtherDocs = 2

// maxPriorInject is how many chunks of a kept document join the candidates
// when retrieval did not find them.
const maxPriorInject = 8

// priorOf returns the turn q follows: the result the caller kept, else the
// last question of the history answered again. It returns nil for a
// question with no history.
func (e *Engine) priorOf(ctx context.Context, ix Retriever, q Query) (*prior, error) {
	if q.Previous != nil {
		return e.priorFromResult(ix, q.Previous, "", nil), nil
	}
	h := q.History
	iu := -1
	for i := len(h) - 1; i >= 0; i-- {
		if h[i].Role == "user" && strings.TrimSpace(h[i].Content) != "" {
			iu = i
			break
		}
	}
	if iu < 0 {
		return nil, nil
	}
	var shown string
	for _, t := range h[iu+1:] {
		if t.Role == "assistant" {
			shown = t.Content
			break
		}
	}
	// The previous question is answered again with the exchange before it
	// (so a chain of follow-ups resolves, at most two answers deep),
	// extractively: no model call, the same answer every time.
	v := *e
	v.opt.Generator = nil
	res, err := v.Answer(ctx, Query{Question: h[iu].Content, History: h[max(0, iu-2):iu]}, nil)
	if err != nil {
		return nil, err
	}
	var quoted []Passage
	if shown != "" && !IsRefusal(shown) {
		// The passages the answer the reader saw came from: those holding
		// most of its text, among the question's and those the question
		// with that text retrieves (the question alone may find others in a
		// large corpus).
		query := []rune(h[iu].Content + " " + stripCitations(shown))
		ps, _, err := e.rank(ctx, ix, e.analyze(ix, string(query[:min(len(query), MaxQuestionRunes)])), e.opt.K)
		if err != nil {
			return nil, err
		}
		quoted = quotedPassages(ix, shown, append(slices.Clip(res.Passages), ps...))
	}
	return e.priorFromResult(ix, res, shown, quoted), nil
}

// priorFromResult reads a previous result. shown, when not empty, is the
// answer the reader saw (the history's text): its items are the ones a
// follow-up counts; quoted are the passages it came from, if known.
func (e *Engine) priorFromResult(ix Retriever, res *Result, shown string, quoted []Passage) *prior {
	p := &prior{question: res.Question, answer: res.Answer}
	if res.Standalone != "" {
		p.question = res.Standalone
	}
	if shown != "" {
		p.answer = shown
	}
	p.items = listItems(p.answer)
	if len(p.items) == 0 && shown != "" {
		p.items = listItems(res.Answer)
	}
	from := quoted // the passages the answer came from
	if len(from) == 0 {
		for _, c := range res.Citations {
			from = append(from, Passage{ChunkID: c.ChunkID, Title: c.Title})
		}
	}
	if len(from) == 0 && len(res.Passages) > 0 {
		from = res.Passages[:1]
	}
	// A document the previous turn named (总体方案提出……) is the one "it"
	// means, before those its passages came from.
	inResult := map[string]bool{}
	for _, ps := range res.Passages {
		if c, ok := ix.Chunk(ps.ChunkID); ok {
			inResult[c.DocID] = true
		}
	}
	for _, n := range e.docNames(ix, fold.String(p.question+" "+stripCitations(p.answer))) {
		if len(n.ids) == 1 && inResult[n.ids[0]] && !slices.Contains(p.docs, n.ids[0]) && len(p.docs) < maxPriorDocs {
			if d, ok := ix.Doc(n.ids[0]); ok {
				p.docs = append(p.docs, d.ID)
				p.titles = append(p.titles, d.Title)
			}
		}
	}
	for _, ps := range from {
		c, ok := ix.Chunk(ps.ChunkID)
		if !ok {
			continue // removed since: the follow-up reads the text only
		}
		p.chunks = append(p.chunks, c.ID)
		if len(p.quotes) < maxPriorDocs {
			p.quotes = append(p.quotes, c.Text)
		}
		if !slices.Contains(p.docs, c.DocID) && len(p.docs) < maxPriorDocs {
			p.docs = append(p.docs, c.DocID)
			p.titles = append(p.titles, c.Title)
		}
	}
	return p
}

// quotedPassages returns the passages whose text holds most of an answer's
// character bigrams, best first: the ones a written answer came from. A
// passage counts only when its document's passages together hold nearly as
// much of the answer as the best document's: a list gathered from one
// document's headings is not also from another that shares a few words.
func quotedPassages(ix Retriever, answer string, ps []Passage) []Passage {
	grams := questionBigrams(fold.String(stripCitations(answer)))
	if len(grams) == 0 {
		return nil
	}
	type sc struct {
		p Passage
		s float64
	}
	var all []sc
	best := 0.0
	for _, p := range ps {
		s := bigramShare(fold.String(p.Text), grams)
		all = append(all, sc{p, s})
		best = max(best, s)
	}
	if best < 0.4 {
		return nil
	}
	docOf := func(p Passage) string {
		if c, ok := ix.Chunk(p.ChunkID); ok {
			return c.DocID
		}
		return ""
	}
	texts := map[string]string{} // each document's passages, folded
	for _, p := range ps {
		texts[docOf(p)] += fold.String(p.Text) + "\n"
	}
	docShare := map[string]float64{}
	bestDoc := 0.0
	for d, t := range texts {
		docShare[d] = bigramShare(t, grams)
		bestDoc = max(bestDoc, docShare[d])
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].s > all[j].s })
	var out []Passage
	for _, x := range all {
		if x.s >= 0.8*best && docShare[docOf(x.p)] >= 0.8*bestDoc {
			out = append(out, x.p)
		}
	}
	return out
}

var reCitationMark = regexp.MustCompile(`\[[0-9]+\]`)

// stripCitations removes [n] marks, the label line of an extractive answer
// and its list of sources.
func stripCitations(answer string) string {
	s := reCitationMark.ReplaceAllString(answer, "")
	if i := strings.Index(s, "\n来源："); i >= 0 {
		s = s[:i]
	}
	for _, l := range []string{ExcerptLabel, ConvertedLabel, FallbackLabel, FallbackConvertedLabel, UncitedLabel} {
		s = strings.ReplaceAll(s, l, "")
	}
	return strings.TrimSpace(s)
}

// listItems returns the items an answer lists, in order: its numbered lines
// (1. …, （一）…, 一是…), else the parts of an enumeration after a colon
// (…：甲；乙；丙 or …：甲、乙、丙), else nothing.
func listItems(answer string) []string {
	text := stripCitations(answer)
	var items []string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if m := reListItem.FindString(line); m != "" {
			if it := trimItem(line[len(m):]); it != "" {
				items = append(items, it)
			}
		}
	}
	if len(items) >= 2 {
		return items
	}
	flat := strings.ReplaceAll(text, "\n", "")
	bodies := reEnumeration.FindAllStringSubmatch(flat, -1)
	if first, _, _ := strings.Cut(flat, "。"); len(bodies) == 0 && first != "" {
		bodies = append(bodies, []string{"", first}) // an answer that is the list itself: 甲；乙；丙
	}
	for _, m := range bodies {
		body := m[1]
		for _, sep := range []string{"；", ";", "、"} {
			parts := strings.Split(body, sep)
			if len(parts) < 2 {
				continue
			}
			items = items[:0]
			for _, p := range parts {
				if it := trimItem(reListItem.ReplaceAllString(strings.TrimSpace(p), "")); it != "" {
					items = append(items, it)
				}
			}
			if len(items) >= 2 {
				return items
			}
		}
	}
	return nil
}

// reEnumeration finds what follows a colon up to the end of its sentence.
var reEnumeration = regexp.MustCompile(`[：:]([^。！？!?]+)`)

func trimItem(s string) string {
	return strings.Trim(strings.TrimSpace(s), "，,。；;、：: ")
}

// ordinalValue reads 三, 12, 十一 as a number; 0 when it is none.
func ordinalValue(s string) int {
	if n := 0; s != "" && strings.Trim(s, "0123456789") == "" {
		for _, r := range s {
			n = n*10 + int(r-'0')
		}
		return n
	}
	rs := []rune(s)
	switch {
	case len(rs) == 1:
		return cjkCount(s)
	case len(rs) == 2 && rs[0] == '十':
		return 10 + cjkCount(string(rs[1]))
	case len(rs) == 2 && rs[1] == '十':
		return 10 * cjkCount(string(rs[0]))
	case len(rs) == 3 && rs[1] == '十':
		return 10*cjkCount(string(rs[0])) + cjkCount(string(rs[2]))
	}
	return 0
}

// resolve reads a follow-up question against the previous turn: it
// returns the standalone question and how it was read. With no previous
// turn, the question stands alone.
func (e *Engine) resolve(ix Retriever, p *prior, question string) (string, *Followup) {
	if p == nil || strings.TrimSpace(p.question) == "" {
		return question, nil
	}
	fq := fold.String(terms.NormalizeYears(question))
	fu := &Followup{}
	marked := reFollowMarker.MatchString(fq)
	own := strings.TrimSpace(reFollowMarker.ReplaceAllString(fq, ""))
	own = reFollowFiller.ReplaceAllString(own, "$1")
	own = strings.Trim(own, "？?。，, ")
	// An item of the previous answer, by its ordinal or by a word of it.
	if m := reFollowOrdinal.FindStringSubmatchIndex(own); m != nil && len(p.items) > 0 {
		n := len(p.items) // 最后一条
		if m[2] >= 0 {
			n = ordinalValue(own[m[2]:m[3]])
		}
		if n >= 1 && n <= len(p.items) {
			fu.Item = p.items[n-1]
			own = own[:m[0]] + asWritten(fu.Item) + " " + own[m[1]:]
			fu.Rules = append(fu.Rules, "followup-ordinal")
		}
	} else if m := reFollowItem.FindStringSubmatchIndex(own); m != nil {
		word := own[m[2]:m[3]]
		rep := word
		for _, it := range p.items {
			if strings.Contains(fold.String(it), word) {
				fu.Item, rep = it, asWritten(it)
				break
			}
		}
		own = own[:m[0]] + rep + " " + own[m[1]:]
		fu.Rules = append(fu.Rules, "followup-item")
	}
	// A figure of the previous answer (那个倍数是从哪年算的): the clause
	// that gives it.
	if m := reFollowFigure.FindStringSubmatch(fq); m != nil && strings.HasPrefix(own, m[1]) {
		if clause := figureClause(p.answer, m[1]); clause != "" {
			own = asWritten(clause) + " " + strings.TrimPrefix(own, m[1])
			fu.Rules = append(fu.Rules, "followup-figure")
		}
	}
	// The previous turn's place or year, by a pronoun (当地的…, 当年的…).
	fprev := fold.String(terms.NormalizeYears(p.question + " " + stripCitations(p.answer)))
	if loc := reFollowPlace.FindStringIndex(own); loc != nil {
		if pl := e.places(fprev); len(pl) > 0 {
			own = own[:loc[0]] + pl[0] + own[loc[1]:]
			fu.Rules = append(fu.Rules, "followup-place")
		}
	}
	// Read on the question as asked: the marks (这个, 此) are part of the
	// pronoun (这个人, 此人).
	if m := reFollowPerson.FindStringSubmatchIndex(fq); m != nil {
		if who := e.personIn(ix, fprev); who != "" {
			own = who + strings.Trim(fq[m[3]:], "？?。，, ")
			fu.Rules = append(fu.Rules, "followup-person")
		}
	}
	if loc := reFollowYear.FindStringIndex(own); loc != nil {
		if y := reYear.FindString(fprev); y != "" {
			own = own[:loc[0]] + y + "年" + own[loc[1]:]
			fu.Rules = append(fu.Rules, "followup-year")
		}
	}
	// The previous document itself (它的文号是多少): named by its title.
	if m := reFollowDoc.FindStringIndex(fq); m != nil && len(p.titles) > 0 {
		own = fold.String(p.titles[0]) + " " + strings.TrimSpace(reFollowDocWord.ReplaceAllString(own, ""))
		fu.Rules = append(fu.Rules, "followup-document")
	}
	strong := marked || len(fu.Rules) > 0
	if !strong {
		// Too short to stand alone: no place of its own and at most two
		// content words. A longer question stands alone.
		strong = utf8.RuneCountInString(question) <= 10 && len(e.places(fq)) == 0 && len(e.tok.Words(fq)) <= 2
	}
	named := e.otherDocs(ix, p, fq)
	if !strong {
		// A question that speaks of what the previous turn was about (王屋镇
		// after an answer naming it), or names no place nor document of its
		// own (比2016年前进了几位), keeps its documents, with less weight.
		if len(named) == 0 && (len(e.places(fq)) == 0 || sharesWord(e, own, fold.String(p.question+" "+stripCitations(p.answer)))) {
			fu.Related = true
			e.keepDocs(ix, fu, p, own, named)
		}
		if fu.Related {
			return question, fu
		}
		return question, nil
	}
	fu.Own = own
	e.keepDocs(ix, fu, p, own, named)
	if slices.Contains(fu.Rules, "followup-document") {
		return own, fu // about the document itself: the previous question's words do not help
	}
	carried := e.switchTo(ix, own, fold.String(terms.NormalizeYears(p.question)))
	return own + " " + carried, fu
}

// personIn returns the first person a folded text names: an author or
// speaker of the documents, else a name that is no place nor body; or "".
func (e *Engine) personIn(ix Retriever, folded string) string {
	if sn := e.snap(); sn != nil && sn.authors != nil {
		if as := sn.authors.Find(folded); len(as) > 0 {
			return as[0] // an author or speaker of the documents
		}
	}
	places := e.places(folded)
	for _, n := range e.namesIn(ix, folded) {
		if !slices.Contains(places, n) && isPersonName(n) {
			return n
		}
	}
	return ""
}

// switchTo returns the previous question with the year and the place or
// name the follow-up switches to (那2019年呢, 那济源的呢) in place of its own,
// without the marks that split a question into parts.
func (e *Engine) switchTo(ix Retriever, own, prev string) string {
	if ys := reYear.FindAllString(own, -1); len(ys) > 0 {
		prev = reYear.ReplaceAllString(prev, ys[0])
	}
	newNames := e.namesIn(ix, own)
	rest := own
	for _, n := range newNames {
		rest = strings.ReplaceAll(rest, n, "")
	}
	rest = reSwitchRest.ReplaceAllString(rest, "")
	if len(newNames) == 0 && reYear.FindString(own) == "" && reHanName.MatchString(rest) && !strings.Contains(prev, rest) {
		// 那姜会峰那篇呢: what is left is itself the new name, which no
		// dictionary knows.
		newNames, rest = []string{rest}, ""
	}
	// Only a follow-up that is little more than the new name switches
	// (王屋镇呢, 襄阳那边呢); "跟哪家德国企业谈" asks a new thing of the same subject.
	if len(newNames) > 0 && utf8.RuneCountInString(rest) <= 4 {
		for _, old := range e.oldNames(ix, prev) {
			if !slices.Contains(newNames, old) && !strings.Contains(newNames[0], old) {
				prev = strings.Replace(prev, old, newNames[0], 1)
				break
			}
		}
	}
	return strings.TrimSpace(reParts.ReplaceAllString(prev, " "))
}

// oldNames returns the names of the previous question a switch may replace:
// its places, people and organizations, else its words that general use
// does not know (a person's name: 刘宛康).
func (e *Engine) oldNames(ix Retriever, prev string) []string {
	if ns := e.namesIn(ix, prev); len(ns) > 0 {
		return ns
	}
	var out []string
	for _, w := range e.tok.Words(prev) {
		if reHanName.MatchString(w) && !reQuestionWord.MatchString(w) && !reDocumentWord.MatchString(w) && e.tok.WordWeight(w) >= e.w.RareWord {
			out = append(out, w)
		}
	}
	return out
}

// otherDocs returns the words of a folded question that name documents
// other than the previous turn's: words of other titles that the previous
// documents never use (源城区党代会 after a question on 总体方案). Over a
// large corpus most words are in some title; one the previous documents
// use names nothing new.
func (e *Engine) otherDocs(ix Retriever, p *prior, fq string) []docName {
	var out []docName
	for _, n := range e.docNames(ix, fq) {
		if len(n.ids) > maxOtherDocs {
			continue // a word of many titles (前进, 报告) names no document in particular
		}
		if slices.ContainsFunc(n.ids, func(id string) bool { return slices.Contains(p.docs, id) }) {
			continue
		}
		if slices.ContainsFunc(p.docs, func(id string) bool { return docMentions(ix, id, []string{n.word}) }) {
			continue
		}
		out = append(out, n)
	}
	return out
}

// keepDocs records the previous turn's documents for retrieval, unless the
// follow-up names another document, or a place they never mention.
func (e *Engine) keepDocs(ix Retriever, fu *Followup, p *prior, own string, named []docName) {
	if len(named) > 0 {
		return // it names another document
	}
	places := e.places(own)
	for i, id := range p.docs {
		if len(places) > 0 && !docMentions(ix, id, places) {
			continue
		}
		if fu.docs == nil {
			fu.docs, fu.chunks = map[string]bool{}, map[string]bool{}
		}
		fu.docs[id] = true
		fu.Docs = append(fu.Docs, p.titles[i])
	}
	if fu.docs != nil {
		for _, c := range p.chunks {
			fu.chunks[c] = true
		}
	}
}

// docMentions reports whether a document speaks of every one of places.
func docMentions(ix Retriever, docID string, places []string) bool {
	left := slices.Clone(places)
	for _, c := range ix.DocChunks(docID) {
		left = slices.DeleteFunc(left, func(pl string) bool { return strings.Contains(c.Folded, pl) })
		if len(left) == 0 {
			return true
		}
	}
	return false
}

// sharesWord reports whether the question holds a content word (two
// characters or more, not a question word) of text.
func sharesWord(e *Engine, q, text string) bool {
	for _, w := range e.tok.Words(q) {
		if utf8.RuneCountInString(w) >= 2 && !reQuestionWord.MatchString(w) && !reDocumentWord.MatchString(w) && strings.Contains(text, w) {
			return true
		}
	}
	return false
}

// figureClause returns the clause of an answer that gives a figure of the
// kind noun names (倍数: …倍; 比例: …%), none when it gives no such figure,
// and for a noun of no known shape (数字) its first clause with a figure.
func figureClause(answer, noun string) string {
	want := figureShapes[noun]
	var first string
	for _, cl := range reClause.Split(stripCitations(answer), -1) {
		cl = strings.TrimSpace(cl)
		if !reFigure.MatchString(cl) {
			continue
		}
		if want != nil && want.MatchString(cl) {
			return cl
		}
		if first == "" && want == nil {
			first = cl
		}
	}
	return first
}

// asWritten folds text quoted from an answer for a question, keeping its
// two-digit counts of years (22年间) from being read as short years (2022年).
func asWritten(s string) string {
	return reShortYearIn.ReplaceAllString(fold.String(s), "$1$2 年")
}

var reShortYearIn = regexp.MustCompile(`(^|[^0-9])([0-9]{2})年`)

// reHanName is a short run of Han characters, such as a name.
var reHanName = regexp.MustCompile(`^\p{Han}{2,4}$`)

var reClause = regexp.MustCompile(`[。；;！？!?\n]|，|,`)

// figureShapes maps the nouns a follow-up names a figure by to what such a
// figure looks like.
var figureShapes = map[string]*regexp.Regexp{
	"倍数": regexp.MustCompile(`[0-9.]+倍`),
	"比例": rePercentFigure, "比重": rePercentFigure, "增速": rePercentFigure, "增幅": rePercentFigure,
	"金额": reMoneyFigure,
}

// applyFollowup marks the analysis of a resolved follow-up: the words it
// carried from the previous question weigh less than its own, and the
// previous turn's documents are preferred.
func (e *Engine) applyFollowup(a *Analysis, fu *Followup) *Analysis {
	if fu == nil {
		return a
	}
	a.Followup = fu
	if fu.Own == "" {
		return a
	}
	for k, t := range a.terms {
		if !strings.Contains(fu.Own, k) && !slices.ContainsFunc(t.alts, func(x string) bool { return strings.Contains(fu.Own, x) }) {
			t.weight *= e.w.CarriedTerm
			a.terms[k] = t
		}
	}
	a.bigrams = questionBigrams(fu.Own)
	fu.detail = fu.Item != "" && reFollowDetail.MatchString(fu.Own)
	if reQuestionWord.MatchString(fu.Own) {
		// It asks its own question (那2025年呢，要达到啥水平): what it asks
		// for is read from its own words, not the previous question's.
		a.Asks, a.Rules = intentsOf(fu.Own)
		a.unitRx, a.Unit = askedUnit(fu.Own)
		a.Count = countIn(fu.Own)
	}
	a.Terms = a.Terms[:0]
	for _, k := range sortedKeys(a.terms) {
		a.Terms = append(a.Terms, Term{Word: k, Weight: a.terms[k].weight, Alts: a.terms[k].alts[1:]})
	}
	return a
}

// carriedTerm returns the lexical weight of a query term: lower when it was
// carried from the previous question.
func (e *Engine) carriedTerm(q *Analysis, t string, w float64) float64 {
	if q.Followup == nil || q.Followup.Own == "" || strings.Contains(q.Followup.Own, t) {
		return w
	}
	return w * e.w.CarriedTerm
}

// priorBoost is the bonus of a candidate of the previous turn's documents.
func (e *Engine) priorBoost(q *Analysis, docID, chunkID string) float64 {
	fu := q.Followup
	if fu == nil || !fu.docs[docID] {
		return 0
	}
	b := e.w.PriorDoc
	if fu.Related {
		b = e.w.RelatedDoc
	}
	if fu.chunks[chunkID] {
		b += e.w.PriorPassage
	}
	return b
}

// withPriorChunks adds to the candidates the chunks of the previous turn's
// documents that hold most of the question, when retrieval missed them:
// over a large corpus a follow-up's words alone may find other documents
// first. Only the kept documents are read, not the corpus.
func (e *Engine) withPriorChunks(ix Retriever, q *Analysis, cands []scored) []scored {
	fu := q.Followup
	if fu == nil || len(fu.docs) == 0 || len(cands) == 0 {
		return cands
	}
	have := map[string]bool{}
	for _, c := range cands {
		have[c.c.ID] = true
	}
	top := cands[0].score
	var add []scored
	for _, id := range sortedKeys(fu.docs) {
		for _, c := range ix.DocChunks(id) {
			if have[c.ID] {
				continue
			}
			if cov := coverage(c.Folded, q.terms); cov > 0 {
				add = append(add, scored{c: c, score: cov * top, feat: features{Fused: cov * top}})
			}
		}
	}
	sort.SliceStable(add, func(i, j int) bool { return add[i].score > add[j].score })
	return append(cands, add[:min(len(add), maxPriorInject)]...)
}

// context is the previous turn as the rewrite prompt shows it.
func (p *prior) context() *PreviousTurn {
	pt := &PreviousTurn{Titles: p.titles}
	for i, it := range p.items {
		pt.Items = append(pt.Items, fmt.Sprintf("%d. %s", i+1, it))
	}
	for _, q := range p.quotes {
		q = strings.Join(strings.Fields(q), " ")
		if utf8.RuneCountInString(q) > rewriteMaxTurnRunes {
			q = string([]rune(q)[:rewriteMaxTurnRunes]) + "…"
		}
		pt.Passages = append(pt.Passages, q)
	}
	return pt
}

// itemDetail answers a follow-up asking what an item of the previous answer
// says (第三条具体怎么说) when the best sentence is only the item's heading:
// with the heading and the sentences after it in its passage.
func (e *Engine) itemDetail(q *Analysis, f found) (spans, bool) {
	fu := q.Followup
	if fu == nil || !fu.detail || f.ex.best <= 0 || len(f.ex.picked) != 1 || f.ex.best > len(f.passages) {
		return nil, false
	}
	top := f.ex.picked[0]
	if !isHeadingOf(fold.String(top.text), fold.String(fu.Item)) {
		return nil, false
	}
	p := f.passages[top.pass]
	var sp spans
	used := 0
	for _, r := range sentenceRanges(p.Text) {
		if r[0] < top.start {
			continue
		}
		s := p.Text[r[0]:r[1]]
		n := utf8.RuneCountInString(s)
		if len(sp) > 1 && used+n > e.w.ShortBudget {
			break
		}
		if len(sp) > 0 && !endsWithPunct(sp[len(sp)-1].text) {
			sp[len(sp)-1].sep = "；"
		}
		sp = append(sp, span{chunk: p.ChunkID, start: r[0], end: r[1], text: s, why: "what the item of the previous answer says, after its heading"})
		used += n
	}
	if len(sp) < 2 {
		return nil, false
	}
	sp[len(sp)-1].cite = top.pass + 1
	return sp, true
}

// isHeadingOf reports whether a folded sentence is little more than an
// item's words: its heading (（二）明确职责分工, 二是深入推进文明建设。).
func isHeadingOf(sentence, item string) bool {
	s := strings.Trim(reListItem.ReplaceAllString(sentence, ""), "。;；,，:： ")
	grams := questionBigrams(item)
	return len(grams) > 0 && utf8.RuneCountInString(s) <= utf8.RuneCountInString(item)+6 && bigramShare(s, grams) >= 0.6
}

// priorAllow limits the sentences of a follow-up's answer to the passages
// of the previous turn's documents, when it keeps them and some are among
// the passages (for a question only related to the previous turn: when the
// best passage is one): it asks about what the previous answer was about.
// It returns nil (every passage) otherwise.
func (e *Engine) priorAllow(ix Retriever, q *Analysis, ps []Passage) func(int) bool {
	fu := q.Followup
	if fu == nil || len(fu.docs) == 0 || len(ps) == 0 {
		return nil
	}
	if c, ok := ix.Chunk(ps[0].ChunkID); fu.Related && (!ok || !fu.docs[c.DocID]) {
		return nil
	}
	keep := make([]bool, len(ps))
	some := false
	for i, p := range ps {
		if c, ok := ix.Chunk(p.ChunkID); ok && fu.docs[c.DocID] {
			keep[i], some = true, true
		}
	}
	if !some {
		return nil
	}
	return func(i int) bool { return i >= 0 && i < len(keep) && keep[i] }
}
