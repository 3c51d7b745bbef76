package rag

// Document preference: a question that names a place, a body, a person or
// a document prefers the documents about it. Many documents of one genre
// (every province's work report, every city's regulation on the same
// matter) share the question's vocabulary; what sets the one asked about
// apart is document-level evidence — its title and issuer — not the
// passage's words.

import (
	"math"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"policybot/fold"
	"policybot/ingest"
	"policybot/lexical"
)

// aboutDocs returns, for each document the question names, the share of
// the question's naming weight its title and issuer hold: 1 for a document
// named by every naming word, less for one named by some. A naming word
// weighs by how few documents it names (济源 in three titles of two
// thousand weighs more than 2019 in fifty) times how rare it is in the
// corpus's text (its weight as a term: 增长 is in a few titles but in
// thousands of passages, a word of content, not a name), so a document
// of another place that shares the year and genre ranks below the one of
// the place asked about. A year weighs Weights.AboutYear of that: a work
// report titled 2019 reviews 2018. Nil when the question names no
// document.
func (e *Engine) aboutDocs(ix Retriever, names []docName, terms map[string]qterm) map[string]float64 {
	weight := make([]float64, len(names))
	var total float64
	for i, n := range names {
		rare, ok := terms[n.word]
		if !ok { // a name the segmenter cuts otherwise (伊滨 of 伊滨区): its rarity as a term
			rare.weight = e.nameRarity(ix, n.word)
		}
		weight[i] = n.spec * rare.weight
		if reYear.MatchString(n.word) {
			weight[i] *= e.w.AboutYear
		}
		total += weight[i]
	}
	if total <= 0 {
		return nil
	}
	out := map[string]float64{}
	for i, n := range names {
		for _, id := range n.ids {
			out[id] += weight[i] / total
		}
	}
	return out
}

// ofDocumentYear keeps, of the documents a question names, those of the
// year it names them by (2022年政府工作报告: the report of 2022, not every
// year's), as the document-year refusal check reads that year: by the year
// in their title or date. When none of them is of that year, about is kept
// whole (the check then refuses).
func ofDocumentYear(ix Retriever, folded string, about map[string]float64) map[string]float64 {
	year := namedDocYear(folded)
	if year == "" || len(about) == 0 {
		return about
	}
	kept := map[string]float64{}
	for id, share := range about {
		if d, ok := ix.Doc(id); ok && ofYear(d.Title, d.Date, year) {
			kept[id] = share
		}
	}
	if len(kept) == 0 {
		return about
	}
	return kept
}

// namingWords returns the words of the folded question f that may name
// documents: its content words, then the places, people and bodies it
// names that are not among them (伊滨 of 伊滨区); and for each, the whole
// words of f it is part of (wholeWords), which a title must hold as whole
// words for it to name the document: 民主党 of 社会民主党 names no
// document titled 民主党, 方案 of 总体方案 names the one titled …总体方案….
func (e *Engine) namingWords(f string, names []string) (words, wholes []string) {
	spans := e.wordSpans(f)
	for _, w := range e.tok.Words(f) {
		words = append(words, w)
		wholes = append(wholes, wholeWords(f, spans, w))
	}
	for _, n := range names {
		if !slices.Contains(words, n) {
			words = append(words, n)
			wholes = append(wholes, n)
		}
	}
	return words, wholes
}

// wholeWords returns the shortest run of whole words of text (spans, as
// of wordSpans) holding the first occurrence of w: w itself when it
// stands as whole words, 社会民主党 for 民主党 of 社会民主党. Without spans,
// or when w is not in text, w.
func wholeWords(text string, spans [][2]int, w string) string {
	i := strings.Index(text, w)
	if i < 0 || spans == nil {
		return w
	}
	start, end := wordRun(spans, i, i+len(w))
	return text[start:end]
}

// wordRun returns the bounds of the shortest run of words of spans holding
// bytes [start, end).
func wordRun(spans [][2]int, start, end int) (int, int) {
	for _, s := range spans {
		if s[0] < start && s[1] > start {
			start = s[0]
		}
		if s[0] < end && s[1] > end {
			end = s[1]
		}
	}
	return start, end
}

// nameRarity is the inverse document frequency of a name among the
// chunks: as a word of the index, else as a character bigram.
func (e *Engine) nameRarity(ix Retriever, name string) float64 {
	grams := charBigrams(name)
	st := ix.TermStats(append([]string{name}, grams...))
	df := st.DF[0]
	if df == 0 && len(grams) > 0 {
		// Cut apart by the segmenter (姜/会/峰), a name is in no more
		// passages than its rarest character pair.
		df = st.DF[1]
		for _, g := range st.DF[2:] {
			df = min(df, g)
		}
	}
	if df == 0 {
		return 0
	}
	return lexical.BM25IDF(st.N, df)
}

// charBigrams returns the index's bigram terms of a name's overlapping
// character pairs (姜会峰 → 姜会, 会峰).
func charBigrams(name string) []string {
	rs := []rune(name)
	var out []string
	for i := 0; i+1 < len(rs); i++ {
		out = append(out, lexical.BigramPrefix+string(rs[i:i+2]))
	}
	return out
}

// specificity is the weight of a word naming named of docs documents.
func specificity(named, docs int) float64 {
	if named <= 0 || docs <= 0 {
		return 0
	}
	return math.Log(1 + float64(docs)/float64(named))
}

// searchedDocs returns the documents whose chunks are searched on their
// own (index.Query.Docs): the best-named ones, at most Weights.AboutDocs,
// each holding at least Weights.AboutSearch of the question's naming
// weight. A passage of the document asked about may rank low in the whole
// corpus when it does not repeat the place its title names. Documents
// named equally are taken all or none: which of them to search is not for
// the order of their ids to say.
func searchedDocs(about map[string]float64, w Weights) []string {
	var ids []string
	for id, s := range about {
		if s >= w.AboutSearch {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool {
		if about[ids[i]] != about[ids[j]] {
			return about[ids[i]] > about[ids[j]]
		}
		return ids[i] < ids[j]
	})
	n := min(len(ids), w.AboutDocs)
	for n > 0 && n < len(ids) && about[ids[n]] == about[ids[n-1]] {
		n-- // a tie across the limit: leave the tied documents out
	}
	return ids[:n]
}

// preferNamed adds to each candidate's fused score Weights.AboutFused
// times the share of the question's naming weight its document holds, for
// choosing the pool of reranked candidates only (scored.pool: the document
// asked about is in it; the reranker weighs it with Weights.NamedDoc), and
// takes Weights.OtherPlace of the score of a passage of another place's
// document (otherPlace), then reorders them.
func (e *Engine) preferNamed(q *Analysis, in []scored) []scored {
	if len(in) == 0 || (len(q.about) == 0 || e.w.AboutFused == 0) && (len(q.Places) == 0 || e.w.OtherPlace == 0) {
		return in
	}
	top := in[0].score
	if top <= 0 {
		top = 1
	}
	for i := range in {
		if s := q.about[in[i].c.DocID]; s > 0 {
			in[i].pool = e.w.AboutFused * s * top
			in[i].score += in[i].pool
		}
		if e.otherPlace(q, in[i].c) {
			in[i].score -= e.w.OtherPlace * top
			in[i].feat.Other = true
		}
	}
	sort.SliceStable(in, func(i, j int) bool { return in[i].score > in[j].score })
	return in
}

// otherPlace reports whether c is a passage of another place's document:
// the question names places, the document's title or issuer names a place
// of the gazetteer that is none of them, and neither it nor the passage
// names one of the question's (2025年甘肃省政府工作报告 to a question about
// 济源; a passage of 河南's report that speaks of 济源 is not).
func (e *Engine) otherPlace(q *Analysis, c *ingest.Chunk) bool {
	if len(q.Places) == 0 {
		return false
	}
	hp := e.snap().headPlaces[c.DocID]
	d, ok := e.snap().r.Doc(c.DocID)
	head := ""
	if ok {
		head = fold.String(d.Title + " " + d.Issuer)
	}
	if len(hp) == 0 && !nationalOnly(head, q.Places) || holdsAny(strings.Join(hp, " "), q.Places) {
		return false
	}
	if holdsAny(head, q.Places) {
		return false
	}
	return !holdsAny(c.Folded, q.Places)
}

// nationalOnly reports whether head, a document's folded title and
// issuer, is the whole country's (2017年中华人民共和国国务院政府工作报告) while
// the places asked about are all local: such a document speaks of them only
// where its passage names them.
func nationalOnly(head string, places []string) bool {
	if !reNationalDoc.MatchString(head) {
		return false
	}
	for _, p := range places {
		if reNationalPlace.MatchString(p) {
			return false
		}
	}
	return true
}

// localPlaces returns the stems of the districts, counties and towns text
// names (源城区 → 源城): a two-character stem and its suffix that the
// segmenter reads as a name of their own, not as parts of other words
// (重点地区, 2018年城镇化率, 上线区级疫情, 方案里城区 name no place) nor as one
// common noun (住宅区). Without a tagging tokenizer every match is taken.
func (e *Engine) localPlaces(text string) []string {
	ms := reLocalPlace.FindAllStringSubmatchIndex(text, -1)
	if len(ms) == 0 {
		return nil
	}
	var toks [][2]int // byte ranges of the segmenter's words
	ok := true
	low := strings.ToLower(text)
	at := 0
	for _, tw := range e.tok.Tag(text) {
		i := strings.Index(low[at:], tw.Text)
		if i < 0 {
			ok = false // the segmenter changed the text: take every match
			break
		}
		toks = append(toks, [2]int{at + i, at + i + len(tw.Text)})
		at += i + len(tw.Text)
	}
	var out []string
	for _, m := range ms {
		whole := text[m[0]:m[1]]
		if isGenericPlace(whole) {
			continue
		}
		if ok && !e.placeWords(toks, m[0], m[3], m[1], whole) {
			continue
		}
		out = append(out, text[m[2]:m[3]])
	}
	return out
}

// placeWords reports whether the segmenter's words toks read text's
// [start,end), a stem ending at stemEnd and its suffix, as a place name:
// no word crosses its bounds, and the suffix is a word of its own (伊/滨/区)
// or the whole is one word that is a place (海陵区) or is rare (源城区).
func (e *Engine) placeWords(toks [][2]int, start, stemEnd, end int, whole string) bool {
	for _, t := range toks {
		if t[1] <= start || t[0] >= end {
			continue
		}
		if t[0] < start || t[1] > end {
			return false // a word crosses the name's bounds
		}
		if t[0] == start && t[1] == end {
			tags := e.tok.Tag(whole)
			if len(tags) == 1 && tags[0].Pos == "ns" {
				return true
			}
			return e.tok.WordWeight(whole) >= e.w.RareWord
		}
		if t[0] < stemEnd && t[1] > stemEnd {
			return false // the suffix is glued to part of the stem (里/城区)
		}
	}
	return true
}

// sentenceWeights returns the question's term weights for choosing
// passages and sentences inside the documents found: a term naming a place,
// a person or a body the question names weighs Weights.PlaceSentence of
// its corpus-wide weight. Rare in the corpus, such a name is everywhere in
// the documents about it; there, a sentence merely repeating it does not
// answer, the one holding what is asked does. Choosing documents reads the
// corpus-wide weights (aboutDocs).
func (e *Engine) sentenceWeights(a *Analysis) map[string]qterm {
	if e.w.PlaceSentence == 1 || len(a.Names) == 0 {
		return a.terms
	}
	out := make(map[string]qterm, len(a.terms))
	for k, t := range a.terms {
		if holdsAny(k, a.Names) {
			t.weight *= e.w.PlaceSentence
		}
		out[k] = t
	}
	return out
}

// headTerms returns the terms of w that name documents (Analysis.docs) and
// that doc's title or issuer holds, each after a space: what holds for
// every sentence of the document. Inside the document a question names,
// its name (总体方案, 济源, 张战伟) does not tell one sentence from another;
// the sentence holding what is asked does.
func (e *Engine) headTerms(q *Analysis, doc *ingest.Document, w map[string]qterm) string {
	if doc == nil || e.w.HeadTerms == 0 {
		return ""
	}
	var out strings.Builder
	for _, n := range q.docs {
		if _, ok := w[n.word]; ok && slices.Contains(n.ids, doc.ID) {
			out.WriteString(" " + n.word)
		}
	}
	return out.String()
}

// wordSpans returns the byte ranges of the segmenter's words of text, in
// text order, or nil without a tagging tokenizer or when the segmenter's
// words are not found in text as they are.
func (e *Engine) wordSpans(text string) [][2]int {
	low := strings.ToLower(text)
	var out [][2]int
	at := 0
	for _, tw := range e.tok.Tag(text) {
		if tw.Text == "" {
			continue
		}
		i := strings.Index(low[at:], tw.Text)
		if i < 0 {
			return nil
		}
		out = append(out, [2]int{at + i, at + i + len(tw.Text)})
		at += i + len(tw.Text)
	}
	return out
}

// namesHead reports whether word names the document whose folded title
// and issuer are head, with spans the byte ranges of head's words
// (wordSpans): word stands in head as whole words — it begins where a word
// of head begins and ends where one ends (美国众议院 is named by 美国 and by
// 美国众议院, 2025年济源市政府工作报告 by 政府工作报告) —, as the word
// for a document's genre that ends a compound word (方案 of 总体方案: a
// 总体方案 is a 方案), or as the stem of a place name before its suffix
// (济源 of 济源市). A word that is part of a longer word of the title
// names something else: 邓小平 is not 邓小平理论, 台湾 not 台湾岛, 众议院
// not 美国众议院, 帝国 not 罗马帝国, unless the longer word only adds the
// country a Chinese body's name carries (国务院 of 中华人民共和国国务院, see
// nationalQualifiers). Without spans every occurrence names it.
//
// A title word the question holds whole names it however the segmenter
// cut the question (电视 of 电视剧中, cut 电视/剧中, names 格斗天王 (电视剧)):
// question, when not empty, is the folded question.
func namesHead(head string, spans [][2]int, word, question string) bool {
	if word == "" {
		return false
	}
	if spans == nil {
		return strings.Contains(head, word)
	}
	for off := 0; off < len(head); {
		i := strings.Index(head[off:], word)
		if i < 0 {
			return false
		}
		start, end := off+i, off+i+len(word)
		if w, ok := wordAt(spans, start); ok && (boundary(spans, end) || w[1] > end && rePlaceSuffix.MatchString(head[end:w[1]])) {
			return true
		}
		if ws, we := wordRun(spans, start, end); question != "" && strings.Contains(question, head[ws:we]) {
			return true
		}
		if w, ok := wordHolding(spans, start); ok && w[1] == end {
			if reDocumentWord.FindString(word) == word {
				return true // a genre ending a compound: 方案 of 总体方案
			}
			if slices.Contains(nationalQualifiers.words, head[w[0]:start]) {
				return true // 国务院 of 中华人民共和国国务院: the country is understood
			}
		}
		_, size := utf8.DecodeRuneInString(head[start:])
		off = start + size
	}
	return false
}

// wordAt returns the word of spans beginning at byte i.
func wordAt(spans [][2]int, i int) ([2]int, bool) {
	k, ok := slices.BinarySearchFunc(spans, i, func(s [2]int, i int) int { return s[0] - i })
	if !ok {
		return [2]int{}, false
	}
	return spans[k], true
}

// wordHolding returns the word of spans holding byte i past its first.
func wordHolding(spans [][2]int, i int) ([2]int, bool) {
	k, _ := slices.BinarySearchFunc(spans, i, func(s [2]int, i int) int { return s[0] - i })
	if k == 0 || spans[k-1][1] <= i {
		return [2]int{}, false
	}
	return spans[k-1], true
}

// boundary reports whether a word of spans ends at byte i.
func boundary(spans [][2]int, i int) bool {
	_, ok := slices.BinarySearchFunc(spans, i, func(s [2]int, i int) int { return s[1] - i })
	return ok
}
