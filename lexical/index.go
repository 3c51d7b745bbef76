package lexical

import (
	"container/heap"
	"math"
	"sort"
	"strings"
	"sync"
)

// Default BM25 parameters.
const (
	DefaultK1           = 1.2
	DefaultB            = 0.75
	DefaultBigramWeight = 0.5
)

// Options tunes BM25 scoring. Zero fields take the defaults, so Options{}
// means k1=1.2, b=0.75, bigram weight 0.5 (chosen on the dev questions, see
// TestDevQuestionsRetrieval). Set a negative B to disable length normalization.
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

	terms  []string         // term number -> term, sorted
	termNo map[string]int32 // term -> term number
	off    []int64          // len(terms)+1
	docs   []int32
	tfs    []uint16

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
	type posting struct {
		doc int32
		tf  uint16
	}
	lists := make(map[string][]posting)
	ix := &Index{
		opt:    opt.withDefaults(),
		ids:    make([]string, len(docs)),
		docLen: make([]uint32, len(docs)),
	}
	counts := make(map[string]int)
	order := make([]string, 0, 64)
	for d, doc := range docs {
		ix.ids[d] = doc.ID
		ix.docLen[d] = uint32(min(uint64(len(doc.Terms)), math.MaxUint32))
		clear(counts)
		order = order[:0]
		for _, t := range doc.Terms {
			if counts[t] == 0 {
				order = append(order, t)
			}
			counts[t]++
		}
		for _, t := range order {
			lists[t] = append(lists[t], posting{doc: int32(d), tf: uint16(min(counts[t], math.MaxUint16))})
		}
	}
	ix.terms = make([]string, 0, len(lists))
	total := 0
	for t, l := range lists {
		ix.terms = append(ix.terms, t)
		total += len(l)
	}
	sort.Strings(ix.terms)
	ix.termNo = make(map[string]int32, len(ix.terms))
	ix.off = make([]int64, len(ix.terms)+1)
	ix.docs = make([]int32, 0, total)
	ix.tfs = make([]uint16, 0, total)
	for i, t := range ix.terms {
		ix.termNo[t] = int32(i)
		for _, p := range lists[t] {
			ix.docs = append(ix.docs, p.doc)
			ix.tfs = append(ix.tfs, p.tf)
		}
		ix.off[i+1] = int64(len(ix.docs))
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

// Len returns the number of documents.
func (ix *Index) Len() int { return len(ix.ids) }

// Options returns the effective scoring options.
func (ix *Index) Options() Options { return ix.opt }

// DF returns the number of documents containing term.
func (ix *Index) DF(term string) int {
	t, ok := ix.termNo[term]
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
	if k <= 0 || len(ix.ids) == 0 || len(query) == 0 {
		return nil
	}
	// Sum terms in a fixed order so scores do not depend on map iteration.
	terms := make([]string, 0, len(query))
	for t, w := range query {
		if w > 0 {
			if _, ok := ix.termNo[t]; ok {
				terms = append(terms, t)
			}
		}
	}
	if len(terms) == 0 {
		return nil
	}
	sort.Strings(terms)

	s := ix.pool.Get().(*scratch)
	defer ix.pool.Put(s)
	score, touched := s.score, s.touched[:0]
	k1p1 := ix.opt.K1 + 1
	for _, t := range terms {
		no := ix.termNo[t]
		lo, hi := ix.off[no], ix.off[no+1]
		qw := query[t] * idf(len(ix.ids), int(hi-lo)) * k1p1
		if strings.HasPrefix(t, BigramPrefix) {
			qw *= ix.opt.BigramWeight
		}
		for p := lo; p < hi; p++ {
			d := ix.docs[p]
			tf := float64(ix.tfs[p])
			if score[d] == 0 {
				touched = append(touched, d)
			}
			score[d] += qw * tf / (tf + float64(ix.norm[d]))
		}
	}

	h := hitHeap{ix: ix, k: k}
	for _, d := range touched {
		h.offer(d, score[d])
		score[d] = 0
	}
	s.touched = touched[:0]
	return h.sorted()
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

func (h *hitHeap) sorted() []Hit {
	out := make([]Hit, len(h.docs))
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = Hit{ID: h.ix.ids[h.docs[0]], Score: h.score[0]}
		heap.Pop(h)
	}
	return out
}
