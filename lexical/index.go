package lexical

import (
	"container/heap"
	"math"
	"slices"
	"strings"
	"sync"
)

// Default BM25 parameters.
const (
	DefaultK1           = 1.2
	DefaultB            = 0.75
	DefaultBigramWeight = 1.0
)

// Options tunes BM25 scoring. Zero fields take the defaults, so Options{}
// means k1=1.2, b=0.75, bigram weight 1. Set a negative B to disable length
// normalization.
//
// On the dev questions over the simplified seeds cut to chunk size (see
// TestDevQuestionsRetrieval) bigram weights from 0.5 to 2 score the same
// (hit@1 0.70, MRR 0.82 over 23 questions); on whole, very uneven paragraphs
// weight 1 beats 0.5 at b=0.75 and b=0.3 helps most. Plain BM25 over both
// kinds of term is therefore the default.
type Options struct {
	K1 float64 // term-frequency saturation
	B  float64 // length normalization, 0..1
	// BigramWeight multiplies the score of terms starting with BigramPrefix;
	// dictionary words and number tokens have weight 1.
	BigramWeight float64
}

func (o Options) withDefaults() Options {
	if o.K1 <= 0 {
		o.K1 = DefaultK1
	}
	switch {
	case o.B == 0:
		o.B = DefaultB
	case o.B < 0:
		o.B = 0
	case o.B > 1:
		o.B = 1
	}
	if o.BigramWeight <= 0 {
		o.BigramWeight = DefaultBigramWeight
	}
	return o
}

// Doc is one unit of retrieval (a chunk) with its terms, usually from
// Tokenizer.Terms. IDs should be unique; they break score ties.
type Doc struct {
	ID    string
	Terms []string
}

// Hit is one search result.
type Hit struct {
	ID    string
	Score float64
}

// Index is an immutable BM25 index. Postings are stored flat: term t owns
// docs[off[t]:off[t+1]] (ascending dense doc numbers) and the matching tfs.
// It is safe for concurrent use.
type Index struct {
	opt Options

	ids    []string // doc number -> ID
	docLen []uint32 // doc number -> number of terms

	terms []string // term number -> term, sorted (looked up by binary search)
	off   []int64  // len(terms)+1
	docs  []int32
	tfs   []uint16

	avgLen float64
	norm   []float32 // doc number -> k1*(1-b+b*len/avgLen)
	pool   sync.Pool // *scratch
}

// scratch is the per-query score accumulator, reused through Index.pool so a
// query allocates nothing proportional to the corpus.
type scratch struct {
	score   []float64
	touched []int32
}

// Build indexes docs in their given order (doc number i is docs[i]). The
// result depends only on docs and opt.
func Build(docs []Doc, opt Options) *Index {
	ix := &Index{
		opt:    opt.withDefaults(),
		ids:    make([]string, len(docs)),
		docLen: make([]uint32, len(docs)),
	}
	// Pass 1: number terms in order of first appearance, record every
	// occurrence as a term number, and count document frequencies. lastDoc
	// tells whether a term was already seen in the current document.
	first := make(map[string]int32)
	var names []string
	var df []int32
	var lastDoc []int32
	total := 0
	for _, d := range docs {
		total += len(d.Terms)
	}
	occ := make([]int32, 0, total)
	for d, doc := range docs {
		ix.ids[d] = doc.ID
		ix.docLen[d] = uint32(min(uint64(len(doc.Terms)), math.MaxUint32))
		for _, t := range doc.Terms {
			id, ok := first[t]
			if !ok {
				id = int32(len(names))
				first[t] = id
				names = append(names, t)
				df = append(df, 0)
				lastDoc = append(lastDoc, -1)
			}
			occ = append(occ, id)
			if lastDoc[id] != int32(d) {
				lastDoc[id] = int32(d)
				df[id]++
			}
		}
	}

	// Final term numbers follow the sorted term strings.
	order := make([]int32, len(names))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(names[a], names[b]) })
	rank := make([]int32, len(names))
	ix.terms = make([]string, len(names))
	ix.off = make([]int64, len(names)+1)
	for r, id := range order {
		rank[id] = int32(r)
		ix.terms[r] = names[id]
		ix.off[r+1] = ix.off[r] + int64(df[id])
	}

	// Pass 2: fill the flat postings. Documents are visited in order, so each
	// term's postings come out ascending; a repeat within a document bumps tf.
	npost := ix.off[len(names)]
	ix.docs = make([]int32, npost)
	ix.tfs = make([]uint16, npost)
	next := make([]int64, len(names)) // next free slot per final term number
	copy(next, ix.off[:len(names)])
	clear(lastDoc)
	for i := range lastDoc {
		lastDoc[i] = -1
	}
	k := 0
	for d, doc := range docs {
		for range doc.Terms {
			r := rank[occ[k]]
			k++
			if lastDoc[r] == int32(d) {
				if p := next[r] - 1; ix.tfs[p] < math.MaxUint16 {
					ix.tfs[p]++
				}
				continue
			}
			lastDoc[r] = int32(d)
			ix.docs[next[r]] = int32(d)
			ix.tfs[next[r]] = 1
			next[r]++
		}
	}
	ix.finish()
	return ix
}

// finish derives the length normalization table; Build and Decode call it.
func (ix *Index) finish() {
	var sum float64
	for _, l := range ix.docLen {
		sum += float64(l)
	}
	ix.avgLen = 1
	if len(ix.docLen) > 0 && sum > 0 {
		ix.avgLen = sum / float64(len(ix.docLen))
	}
	k1, b := ix.opt.K1, ix.opt.B
	ix.norm = make([]float32, len(ix.docLen))
	for d, l := range ix.docLen {
		ix.norm[d] = float32(k1 * (1 - b + b*float64(l)/ix.avgLen))
	}
	n := len(ix.ids)
	ix.pool.New = func() any {
		return &scratch{score: make([]float64, n), touched: make([]int32, 0, 1024)}
	}
}

// termNo returns the number of term, if the index holds it.
func (ix *Index) termNo(term string) (int32, bool) {
	i, ok := slices.BinarySearch(ix.terms, term)
	return int32(i), ok
}

// Len returns the number of documents.
func (ix *Index) Len() int { return len(ix.ids) }

// Options returns the effective scoring options (B is 0 when length
// normalization was turned off).
func (ix *Index) Options() Options { return ix.opt }

// DF returns the number of documents containing term.
func (ix *Index) DF(term string) int {
	t, ok := ix.termNo(term)
	if !ok {
		return 0
	}
	return int(ix.off[t+1] - ix.off[t])
}

// IDF returns the BM25 inverse document frequency of term,
// ln(1 + (N - df + 0.5)/(df + 0.5)), which is always positive. A term absent
// from the corpus gets the largest value, as the rarest possible term.
func (ix *Index) IDF(term string) float64 {
	return idf(len(ix.ids), ix.DF(term))
}

// BM25IDF is the inverse document frequency of a term held by df of n
// documents, as IDF computes it.
func BM25IDF(n, df int) float64 { return idf(n, df) }

func idf(n, df int) float64 {
	return math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
}

// Search scores every document against the query terms with BM25 and
// returns the best k, best first, ties broken by ascending ID. A term given
// twice counts twice.
func (ix *Index) Search(query []string, k int) []Hit {
	w := make(map[string]float64, len(query))
	for _, t := range query {
		w[t]++
	}
	return ix.SearchWeighted(w, k)
}

// SearchWeighted is Search with an explicit weight per query term; terms with
// a weight <= 0 are ignored.
func (ix *Index) SearchWeighted(query map[string]float64, k int) []Hit {
	q := make([]WeightedTerm, 0, len(query))
	for t, w := range query {
		q = append(q, WeightedTerm{t, w})
	}
	hits := ix.SearchTerms(q, k)
	if hits == nil {
		return nil
	}
	out := make([]Hit, len(hits))
	for i, h := range hits {
		out[i] = Hit{ID: ix.ids[h.Doc], Score: h.Score}
	}
	return out
}

// WeightedTerm is a query term and its weight.
type WeightedTerm struct {
	Term   string
	Weight float64
}

// DocHit is a search result by document number (the order of Build's docs).
type DocHit struct {
	Doc   int32
	Score float64
}

// ID returns the ID of document number d.
func (ix *Index) ID(d int32) string { return ix.ids[d] }

// SearchTerms scores every document holding a query term with BM25 and
// returns the best k by document number, best first, ties broken by
// ascending ID. Terms with a weight <= 0 are ignored; a term given twice
// adds its weights.
func (ix *Index) SearchTerms(query []WeightedTerm, k int) []DocHit {
	return ix.SearchTermsIn(query, k, nil)
}

// SearchTermsIn is SearchTerms over the documents for which in returns
// true (all of them when in is nil); scores are those of the whole index.
func (ix *Index) SearchTermsIn(query []WeightedTerm, k int, in func(doc int32) bool) []DocHit {
	if k <= 0 || len(ix.ids) == 0 || len(query) == 0 {
		return nil
	}
	// Sum terms in a fixed order so scores do not depend on the caller's.
	type qterm struct {
		no int32
		w  float64
	}
	terms := make([]qterm, 0, len(query))
	for _, t := range query {
		if t.Weight <= 0 {
			continue
		}
		if no, ok := ix.termNo(t.Term); ok {
			terms = append(terms, qterm{no, t.Weight})
		}
	}
	if len(terms) == 0 {
		return nil
	}
	// Term numbers follow the sorted term strings.
	slices.SortFunc(terms, func(a, b qterm) int { return int(a.no) - int(b.no) })
	terms = mergeTerms(terms, func(a, b qterm) bool { return a.no == b.no }, func(a *qterm, b qterm) { a.w += b.w })

	s := ix.pool.Get().(*scratch)
	defer ix.pool.Put(s)
	score, touched := s.score, s.touched[:0]
	k1p1 := ix.opt.K1 + 1
	for _, t := range terms {
		lo, hi := ix.off[t.no], ix.off[t.no+1]
		qw := t.w * idf(len(ix.ids), int(hi-lo)) * k1p1
		if strings.HasPrefix(ix.terms[t.no], BigramPrefix) {
			qw *= ix.opt.BigramWeight
		}
		docs, tfs := ix.docs[lo:hi], ix.tfs[lo:hi:hi]
		for p, d := range docs {
			tf := float64(tfs[p])
			if score[d] == 0 {
				touched = append(touched, d)
			}
			score[d] += qw * tf / (tf + float64(ix.norm[d]))
		}
	}

	h := hitHeap{ix: ix, k: k}
	for _, d := range touched {
		if in == nil || in(d) {
			h.offer(d, score[d])
		}
		score[d] = 0
	}
	s.touched = touched[:0]
	return h.sorted()
}

// mergeTerms merges adjacent equal elements of a sorted slice in place.
func mergeTerms[T any](s []T, eq func(a, b T) bool, merge func(a *T, b T)) []T {
	out := s[:0]
	for _, x := range s {
		if n := len(out); n > 0 && eq(out[n-1], x) {
			merge(&out[n-1], x)
			continue
		}
		out = append(out, x)
	}
	return out
}

// hitHeap keeps the best k (doc, score) pairs; its root is the worst kept.
type hitHeap struct {
	ix    *Index
	k     int
	docs  []int32
	score []float64
}

func (h *hitHeap) Len() int { return len(h.docs) }

// Less orders worse hits first: lower score, then larger ID.
func (h *hitHeap) Less(i, j int) bool {
	if h.score[i] != h.score[j] {
		return h.score[i] < h.score[j]
	}
	return h.ix.ids[h.docs[i]] > h.ix.ids[h.docs[j]]
}

func (h *hitHeap) Swap(i, j int) {
	h.docs[i], h.docs[j] = h.docs[j], h.docs[i]
	h.score[i], h.score[j] = h.score[j], h.score[i]
}

func (h *hitHeap) Push(x any) {}
func (h *hitHeap) Pop() any {
	n := len(h.docs) - 1
	h.docs, h.score = h.docs[:n], h.score[:n]
	return nil
}

func (h *hitHeap) better(d int32, s float64, than int) bool {
	if s != h.score[than] {
		return s > h.score[than]
	}
	return h.ix.ids[d] < h.ix.ids[h.docs[than]]
}

func (h *hitHeap) offer(d int32, s float64) {
	if len(h.docs) < h.k {
		h.docs = append(h.docs, d)
		h.score = append(h.score, s)
		heap.Fix(h, len(h.docs)-1)
		return
	}
	if h.better(d, s, 0) {
		h.docs[0], h.score[0] = d, s
		heap.Fix(h, 0)
	}
}

func (h *hitHeap) sorted() []DocHit {
	out := make([]DocHit, len(h.docs))
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = DocHit{Doc: h.docs[0], Score: h.score[0]}
		heap.Pop(h)
	}
	return out
}
