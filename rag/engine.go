package rag

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync/atomic"

	"policybot/fold"
	"policybot/index"
	"policybot/ingest"
	"policybot/lexical"
	"policybot/terms"
)

// Embedder embeds query text with the model that built the index.
type Embedder interface {
	Name() string
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}

// Tokenizer splits folded text into lexical index terms (Terms) and into
// content words (Words), tags the segmenter's words with parts of speech
// (Tag: ns a place, nr a person, nt a body), and says how informative a
// word is in general use (WordWeight: higher is rarer).
type Tokenizer interface {
	Terms(text string) []string
	Words(text string) []string
	Tag(text string) []lexical.Tagged
	WordWeight(word string) float64
}

// Reranker scores passages against a query, one score per passage.
type Reranker interface {
	Rerank(ctx context.Context, query string, docs []string) ([]float64, error)
}

// Retrieval modes.
const (
	RetrieveHybrid  = "hybrid"
	RetrieveLexical = "lexical"
	RetrieveVector  = "vector"
)

// Options tunes an Engine. Zero values take the defaults.
type Options struct {
	K            int     // passages in a result (default 5)
	Candidates   int     // candidates taken from each retriever (default 50)
	Mode         string  // hybrid (default), lexical or vector
	VectorWeight float64 // weight of the vector list in the fusion (default DefaultVectorWeight)
	// MinCoverage is the least share of the question's term weight the best
	// answer sentence must hold (default 0.3); below it the question is refused.
	MinCoverage float64
	// MaxAnswerChars bounds an extractive answer's length (default 500).
	MaxAnswerChars int
	// Generator writes answers in LLM mode; nil means extractive answers.
	Generator *Generator
	// Reranker reorders the fused candidates; nil means no reranking.
	Reranker Reranker
	// RerankTopN is how many fused candidates are reranked (default 20).
	RerankTopN int
	// Fusion is how the two lists combine: FusionRRF (reciprocal rank) or
	// FusionScore (normalized BM25 plus weighted cosine).
	Fusion string
	// Places is the gazetteer of place names questions may be about
	// (nil: the built-in one).
	Places *terms.Places
	// RewriteFollowups lets the Generator rewrite follow-up questions.
	RewriteFollowups bool
	// Weights are the stages' weights (nil: DefaultWeights with
	// VectorWeight and MinCoverage above, when set).
	Weights *Weights
	// Script is the script of an extractive answer's text: ScriptSimplified
	// (default) or ScriptOriginal. Citations and passages always keep the
	// original text.
	Script string
}

// Fusion methods.
const (
	FusionRRF   = "rrf"
	FusionScore = "score"
)

// DefaultVectorWeight is the vector list's weight in the fusion, chosen by
// measurement on the development and held-out sets (see the README).
const DefaultVectorWeight = 0.3

func (o Options) withDefaults() Options {
	if o.K <= 0 {
		o.K = 5
	}
	if o.Candidates <= 0 {
		o.Candidates = 50
	}
	if o.Candidates < o.K {
		o.Candidates = o.K
	}
	if o.Mode == "" {
		o.Mode = RetrieveHybrid
	}
	if o.Fusion == "" {
		o.Fusion = FusionScore
	}
	if o.Weights == nil {
		w := DefaultWeights()
		if o.VectorWeight != 0 {
			w.VectorWeight = o.VectorWeight
		}
		if o.MinCoverage > 0 {
			w.MinCoverage = o.MinCoverage
		}
		o.Weights = &w
	}
	o.VectorWeight, o.MinCoverage = o.Weights.VectorWeight, o.Weights.MinCoverage
	if o.Places == nil {
		o.Places = terms.BuiltinPlaces()
	}
	if o.MaxAnswerChars <= 0 {
		o.MaxAnswerChars = 500
	}
	if o.RerankTopN <= 0 {
		o.RerankTopN = 20
	}
	if o.Script == "" {
		o.Script = ScriptSimplified
	}
	return o
}

// ErrEmbedderMismatch reports a configured embedder other than the one
// that built the index.
var ErrEmbedderMismatch = errors.New("embedder does not match the index")

// Retriever is what the engine needs from an index, shaped so that a
// search engine can serve it: one search of the analysed question giving
// candidates with their lexical and dense scores, term statistics in one
// call, document metadata and a document's outline. *index.Index is the
// in-process implementation; a client of an external engine (OpenSearch,
// Qdrant) would be another, in one package.
type Retriever interface {
	// Search returns the union of the K best chunks by BM25 over q.Terms
	// and the K best by cosine to q.Vector, with each score and rank.
	Search(ctx context.Context, q index.Query) ([]index.Candidate, error)
	// TermStats returns the number of chunks and each term's document
	// frequency.
	TermStats(terms []string) index.TermStats
	// Chunk returns a chunk by id.
	Chunk(id string) (*ingest.Chunk, bool)
	// Doc returns a document's metadata by id.
	Doc(id string) (*ingest.Document, bool)
	// Documents lists every document (read-only).
	Documents() []ingest.Document
	// DocChunks returns a document's chunks in file order: its outline.
	DocChunks(docID string) []*ingest.Chunk
	// Embedder names the embedder the chunk vectors were made with.
	Embedder() string
	// Dir and Generation say which index this is, for messages.
	Dir() string
	Generation() string
}

// snapshot is everything an answer reads that Swap replaces: one is taken
// per answer, so an answer never mixes two indexes.
type snapshot struct {
	r Retriever
	// local holds the district, county and town names of the indexed
	// documents' titles (源城区 → 源城), which no gazetteer lists.
	local *terms.Places
	// heads holds each indexed document's folded title and issuer, in the
	// order of the index's documents.
	heads []string
	// headWords holds the byte ranges of the segmenter's words of each
	// head, in the order of heads (nil for a head read without a tagging
	// tokenizer: every occurrence of a word in it names it).
	headWords [][][2]int
	// headPlaces holds, by document id, the places of the gazetteer a
	// document's title and issuer name (河南省…, 2025年甘肃省政府工作报告).
	headPlaces map[string][]string
	// authors holds the people the indexed documents name as their author
	// or speaker (姜会峰 of a byline), whom the segmenter may cut apart
	// (姜/会/峰): a question naming one names them whole.
	authors *terms.Places
}

// Engine answers questions over one index. It is safe for concurrent use;
// Swap replaces the index without stopping answers in flight.
type Engine struct {
	cur *atomic.Pointer[snapshot] // shared by an engine and its views
	// pinned is the snapshot a view (one answer) reads; nil: cur's.
	pinned *snapshot
	emb    Embedder
	tok    Tokenizer
	terms  *terms.Table
	opt    Options
	w      Weights     // *opt.Weights
	simp   *simplifier // converts extractive answers for Options.Script; shared by views, loaded once
}

// view returns the engine pinned to the current snapshot, for one answer.
func (e *Engine) view() *Engine {
	if e.pinned != nil {
		return e
	}
	v := *e
	v.pinned = e.cur.Load()
	return &v
}

// snap returns the snapshot the engine reads.
func (e *Engine) snap() *snapshot {
	if e.pinned != nil {
		return e.pinned
	}
	return e.cur.Load()
}

// New returns an Engine over ix.
func New(ix Retriever, emb Embedder, tok Tokenizer, tt *terms.Table, opt Options) (*Engine, error) {
	if ix == nil || emb == nil || tok == nil {
		return nil, errors.New("rag: index, embedder and tokenizer are required")
	}
	if tt == nil {
		tt = terms.Builtin()
	}
	opt = opt.withDefaults()
	switch opt.Mode {
	case RetrieveHybrid, RetrieveLexical, RetrieveVector:
	default:
		return nil, fmt.Errorf("rag: unknown retrieval mode %q", opt.Mode)
	}
	switch opt.Fusion {
	case FusionScore, FusionRRF:
	default:
		return nil, fmt.Errorf("rag: unknown fusion %q", opt.Fusion)
	}
	switch opt.Script {
	case ScriptSimplified, ScriptOriginal:
	default:
		return nil, fmt.Errorf("rag: unknown answer script %q", opt.Script)
	}
	e := &Engine{cur: new(atomic.Pointer[snapshot]), emb: emb, tok: tok, terms: tt, opt: opt, w: *opt.Weights, simp: new(simplifier)}
	if err := e.Swap(ix); err != nil {
		return nil, err
	}
	return e, nil
}

// Swap makes the engine answer from ix from now on.
func (e *Engine) Swap(ix Retriever) error {
	if ix == nil {
		return errors.New("rag: no index to answer from")
	}
	if ix.Embedder() != e.emb.Name() {
		return fmt.Errorf("%w: index %s was built with %s, the engine embeds with %s: rebuild it with `policybot ingest --rebuild --index %s`",
			ErrEmbedderMismatch, ix.Dir(), ix.Embedder(), e.emb.Name(), ix.Dir())
	}
	docs := ix.Documents()
	var names, authors []string
	heads := make([]string, len(docs))
	headWords := make([][][2]int, len(docs))
	headPlaces := map[string][]string{}
	for i, d := range docs {
		heads[i] = fold.String(d.Title + " " + d.Issuer)
		headWords[i] = e.wordSpans(heads[i])
		for _, n := range e.localPlaces(heads[i]) {
			if !strings.ContainsAny(n, notInPlaceNames) && !e.commonWord(n) {
				names = append(names, n)
			}
		}
		if ps := e.opt.Places.Find(heads[i]); len(ps) > 0 {
			headPlaces[d.ID] = ps
		}
		if a := fold.String(d.Issuer); isPersonName(a) {
			authors = append(authors, a)
		}
	}
	e.cur.Store(&snapshot{r: ix, local: terms.NewPlaces(names), heads: heads, headWords: headWords, headPlaces: headPlaces,
		authors: terms.NewPlaces(authors)})
	return nil
}

// Index returns the index the engine answers from.
func (e *Engine) Index() Retriever { return e.snap().r }

// Documents lists the indexed documents.
func (e *Engine) Documents() []ingest.Document {
	return append([]ingest.Document(nil), e.snap().r.Documents()...)
}

// Passage returns the stored passage with the given chunk id.
func (e *Engine) Passage(id string) (Passage, bool) {
	c, ok := e.snap().r.Chunk(id)
	if !ok {
		return Passage{}, false
	}
	return passageOf(c, 0, 0), true
}

func passageOf(c *ingest.Chunk, rank int, score float64) Passage {
	return Passage{
		Rank: rank, Score: score, ChunkID: c.ID, Source: c.Source, Title: c.Title, Section: c.Section, Date: c.Date,
		Start: c.Start, End: c.End, Locus: locusOf(c), Text: c.Text,
		years: c.Years, timeKind: c.TimeKind, docYear: yearOf(c.Date),
	}
}

func locusOf(c *ingest.Chunk) Locus {
	return Locus{LineStart: c.LineStart, LineEnd: c.LineEnd, Page: c.Page, PageEnd: c.PageEnd, OCR: c.OCR}
}

// scored is a retrieved chunk with its fused score.
type scored struct {
	c     *ingest.Chunk
	score float64
	feat  features
	pool  float64 // added to score only to choose the reranked pool (preferNamed)
}

// features are the scores a candidate was ranked by, for --explain.
type features struct {
	Lexical float64 `json:"lexical,omitempty"` // BM25 score
	Dense   float64 `json:"dense,omitempty"`   // cosine similarity
	Fused   float64 `json:"fused"`             // the two fused
	Cover   float64 `json:"cover"`             // the best sentence's share of the question's term weight
	Named   bool    `json:"named,omitempty"`   // of a document the question names
	Time    float64 `json:"time,omitempty"`    // how its time fits the time asked (timeFit), weighted
	Other   bool    `json:"other,omitempty"`   // of another place's document (otherPlace)
}

// retrieve returns the union of the best chunks by BM25 over the
// question's terms (and their equivalents, weighted lower) and by cosine
// to its vector, each with its scores and ranks.
func (e *Engine) retrieve(ctx context.Context, ix Retriever, q *Analysis) ([]index.Candidate, error) {
	iq := index.Query{K: e.opt.Candidates}
	if e.opt.Mode != RetrieveVector {
		weights := map[string]float64{}
		for _, t := range e.tok.Terms(q.Folded) {
			if !q.asked[t] {
				weights[t]++
			}
		}
		for _, x := range q.Expanded {
			for _, t := range e.tok.Terms(x) {
				if _, ok := weights[t]; !ok {
					weights[t] = e.w.ExpandedTerm
				}
			}
		}
		for t, w := range weights {
			iq.Terms = append(iq.Terms, index.Term{Text: t, Weight: e.carriedTerm(q, t, w)})
		}
		iq.Docs = q.searched
	}
	if e.opt.Mode != RetrieveLexical {
		text := q.Folded
		if len(q.Expanded) > 0 {
			text += " " + strings.Join(q.Expanded, " ")
		}
		vs, err := e.emb.Embed(ctx, []string{text})
		if err != nil {
			return nil, fmt.Errorf("embed question: %w", err)
		}
		if len(vs) != 1 {
			return nil, fmt.Errorf("embed question: got %d vectors, want 1", len(vs))
		}
		iq.Vector = vs[0]
	}
	return ix.Search(ctx, iq)
}

// fuse scores each candidate from its two lists, by normalized score
// (BM25 over the best BM25, plus the weighted cosine) or by reciprocal
// rank, and returns them best first.
func (e *Engine) fuse(cands []index.Candidate) []scored {
	var top float64 // the best BM25 score
	for _, c := range cands {
		if c.LexicalRank == 1 {
			top = c.Lexical
		}
	}
	w := e.w.VectorWeight
	if e.opt.Mode == RetrieveVector {
		w = 1
	}
	out := make([]scored, 0, len(cands))
	for _, c := range cands {
		var s float64
		f := features{Lexical: c.Lexical, Dense: c.Dense}
		if c.LexicalRank > 0 || c.DocRank > 0 {
			if e.opt.Fusion == FusionScore {
				s += c.Lexical / top
			} else {
				rank := c.LexicalRank
				if rank == 0 { // ranked only among the named documents' chunks
					rank = e.opt.Candidates + c.DocRank
				}
				s += 1.0 / (e.w.RRFK + float64(rank))
			}
		}
		// Fused by score, a chunk outside the vector list's K best keeps its
		// cosine where the index gives it (found by BM25, or among the named
		// documents' chunks): the list's cut is no judgement of it.
		if c.DenseRank > 0 || c.Dense != 0 && e.opt.Fusion == FusionScore {
			if e.opt.Fusion == FusionScore {
				s += w * c.Dense
			} else {
				s += w / (e.w.RRFK + float64(c.DenseRank))
			}
		}
		f.Fused = s
		if c.Chunk != nil {
			out = append(out, scored{c: c.Chunk, score: s, feat: f})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].score != out[j].score {
			return out[i].score > out[j].score
		}
		return out[i].c.ID < out[j].c.ID
	})
	return out
}

// rerank reorders the top candidates by the reranker's scores. A failing
// reranker leaves the fused order: it is an improvement, not a dependency.
func (e *Engine) rerank(ctx context.Context, q *Analysis, in []scored) []scored {
	n := min(e.opt.RerankTopN, len(in))
	docs := make([]string, n)
	for i := 0; i < n; i++ {
		docs[i] = in[i].c.Text
	}
	scores, err := e.opt.Reranker.Rerank(ctx, q.Question, docs)
	if err != nil || len(scores) != n {
		return in
	}
	top := append([]scored(nil), in[:n]...)
	for i := range top {
		top[i].score = scores[i]
	}
	sort.SliceStable(top, func(i, j int) bool { return top[i].score > top[j].score })
	return append(top, in[n:]...)
}

// Retrieve returns the k passages best matching question, best first: the
// retrieval half of Answer (fusion and sentence reranking, or the reranker),
// for benchmarks and for callers that write their own answers.
func (e *Engine) Retrieve(ctx context.Context, question string, k int) ([]Passage, error) {
	if k <= 0 {
		k = e.opt.K
	}
	e = e.view()
	ix := e.snap().r
	ps, _, err := e.rank(ctx, ix, e.analyze(ix, question), k)
	return ps, err
}

// rank returns the k best passages for q, ranked by retrieval then by the
// sentence reranker (or the configured reranker).
func (e *Engine) rank(ctx context.Context, ix Retriever, q *Analysis, k int) ([]Passage, []features, error) {
	hits, err := e.retrieve(ctx, ix, q)
	if err != nil {
		return nil, nil, err
	}
	cands := e.preferNamed(q, e.fuse(hits))
	// rerank: by the configured reranker, else by the best sentences
	if e.opt.Reranker != nil && len(cands) > 1 {
		cands = e.rerank(ctx, q, cands)
	}
	cands = cands[:min(len(cands), max(k, e.w.RerankPool))]
	for i := range cands {
		cands[i].score -= cands[i].pool
	}
	cands = e.withPriorChunks(ix, q, cands) // a follow-up stays in the previous turn's documents
	cands = e.withSlotChunks(ix, q, cands)
	if e.opt.Reranker == nil {
		cands = e.sentenceRerank(q, cands)
	}
	cands = dedupeNear(cands, k, e.w) // one copy of a document saved in two formats
	out := make([]Passage, 0, len(cands))
	feat := make([]features, 0, len(cands))
	for i, c := range cands {
		out = append(out, passageOf(c.c, i+1, c.score))
		feat = append(feat, c.feat)
	}
	return out, feat, nil
}

// slotDocs is how many of the best candidates' documents are looked
// through for the chunk holding the kind of sentence asked for.
const slotDocs = 3

// slotShape returns what the one sentence answering q looks like when it
// has a shape of its own (本条例自…起施行 for when a rule takes effect),
// else nil.
func slotShape(q *Analysis) *regexp.Regexp {
	switch {
	case q.Asks.Effective:
		return reEffective
	}
	return nil
}

// withSlotChunks adds, for a question whose answer has a shape of its own
// (slotShape), the chunks of the documents it names or the best
// candidates are of that hold that shape: the last article of a long
// regulation, saying when it takes effect, shares few words with the
// question and ranks low among its own chunks.
func (e *Engine) withSlotChunks(ix Retriever, q *Analysis, cands []scored) []scored {
	shape := slotShape(q)
	if shape == nil || len(cands) == 0 {
		return cands
	}
	at := map[string]int{}
	for i, c := range cands {
		at[c.c.ID] = i
	}
	// Such a chunk holds what is asked as surely as the best candidate
	// holds the question's words: it takes the best fused score.
	top := cands[0].score
	docs := slices.Clone(q.searched)
	// When a rule takes effect is said once, in its last article: the best
	// candidates' documents are looked through too.
	for _, c := range cands[:min(len(cands), slotDocs)] {
		if !slices.Contains(docs, c.c.DocID) {
			docs = append(docs, c.c.DocID)
		}
	}
	for _, id := range docs {
		for _, c := range ix.DocChunks(id) {
			if !shape.MatchString(c.Folded) {
				continue
			}
			if i, ok := at[c.ID]; ok {
				cands[i].score = max(cands[i].score, top)
				continue
			}
			at[c.ID] = len(cands)
			cands = append(cands, scored{c: c, score: top, feat: features{Fused: top}})
		}
	}
	return cands
}

// isPersonName reports whether an issuer is shaped like a person's name:
// two to four Han characters (姜会峰), not a body (济源日报, 河南省人民政府).
func isPersonName(s string) bool {
	return reHanName.MatchString(s) && !reOrgName.MatchString(s) && !strings.ContainsAny(s, "报社网刊站")
}
