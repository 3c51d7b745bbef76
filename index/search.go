package index

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"

	"github.com/philippgille/chromem-go"

	"policybot/ingest"
	"policybot/lexical"
)

// Query is an analysed question as a search backend takes it: weighted
// lexical terms, the question's vector, how many candidates each of
// the two searches returns, and the documents the question names, whose
// chunks are also searched on their own (a filter on the document id, for
// a search engine).
type Query struct {
	Terms  []Term    // lexical terms; none: no lexical search
	Vector []float32 // question vector; nil: no dense search
	K      int       // candidates from each search
	// Docs are document ids: the K best chunks of these documents by BM25
	// and the K best by cosine are candidates too, whatever their rank in
	// the whole corpus.
	Docs []string
}

// Term is a lexical query term and its weight (terms of weight <= 0 are
// ignored).
type Term struct {
	Text   string
	Weight float64
}

// Candidate is a chunk one of the searches found, with its score in each
// (a rank of 0: not among that search's K best).
type Candidate struct {
	Chunk       *ingest.Chunk
	Lexical     float64 // BM25 score
	LexicalRank int     // 1-based
	Dense       float64 // cosine similarity of the chunk's best vector unit
	DenseRank   int     // 1-based
	// DocRank is the chunk's best rank, by BM25 or by cosine, among the
	// chunks of Query.Docs (1-based; 0: not among their K best). Such a
	// chunk has its Lexical and Dense scores even when it is among neither
	// search's K best in the whole corpus.
	DocRank int
}

// TermStats are the corpus statistics of some terms: the number of chunks
// and, per term in the order asked, how many chunks hold it.
type TermStats struct {
	N  int
	DF []int
}

// Search runs the lexical (BM25) and dense (chromem-go) searches of q and
// returns the union of their K best, lexical hits first in rank order,
// then the dense hits the lexical search did not find.
func (ix *Index) Search(ctx context.Context, q Query) ([]Candidate, error) {
	if q.K <= 0 {
		return nil, nil
	}
	var out []Candidate
	at := map[int32]int{} // chunk number → index in out
	if len(q.Terms) > 0 {
		for r, h := range ix.Lexical.SearchTerms(lexicalTerms(q.Terms), q.K) {
			at[h.Doc] = len(out)
			out = append(out, Candidate{Chunk: &ix.Chunks[h.Doc], Lexical: h.Score, LexicalRank: r + 1})
		}
	}
	if q.Vector != nil {
		hits, err := ix.searchVector(ctx, q.Vector, q.K)
		if err != nil {
			return nil, err
		}
		for r, h := range hits {
			i, ok := at[h.chunk]
			if !ok {
				i = len(out)
				out = append(out, Candidate{Chunk: &ix.Chunks[h.chunk]})
			}
			out[i].Dense, out[i].DenseRank = h.score, r+1
		}
		// A chunk found by BM25 alone has its cosine too (not a rank in the
		// vector list): among many documents a passage holding the
		// question's words may fall outside the K nearest, yet be near.
		if ix.store != nil && len(q.Vector) == ix.Manifest.Dim {
			qv := unitVector(q.Vector)
			for c, i := range at {
				if out[i].DenseRank == 0 {
					out[i].Dense = ix.store.best(qv, int(c))
				}
			}
		}
	}
	if len(q.Docs) > 0 {
		out = ix.searchDocs(q, out, at)
	}
	return out, nil
}

// searchDocs adds to out the K best chunks by BM25 and the K best by
// cosine of the documents q.Docs, each with its rank there and its lexical
// and dense scores. The named documents are few: their chunks' vectors are
// scored one by one.
func (ix *Index) searchDocs(q Query, out []Candidate, at map[int32]int) []Candidate {
	in := map[int32]bool{}
	var chunks []int32
	for _, id := range q.Docs {
		for _, c := range ix.docChunks[id] {
			if !in[int32(c)] {
				in[int32(c)] = true
				chunks = append(chunks, int32(c))
			}
		}
	}
	if len(chunks) == 0 {
		return out
	}
	add := func(c int32, rank int) int {
		i, ok := at[c]
		if !ok {
			i = len(out)
			at[c] = i
			out = append(out, Candidate{Chunk: &ix.Chunks[c]})
		}
		if out[i].DocRank == 0 || rank < out[i].DocRank {
			out[i].DocRank = rank
		}
		return i
	}
	if len(q.Terms) > 0 {
		for r, h := range ix.Lexical.SearchTermsIn(lexicalTerms(q.Terms), q.K, func(d int32) bool { return in[d] }) {
			i := add(h.Doc, r+1)
			out[i].Lexical = h.Score
		}
	}
	if q.Vector == nil || ix.store == nil || len(q.Vector) != ix.Manifest.Dim {
		return out
	}
	qv := unitVector(q.Vector)
	hits := make([]vectorHit, len(chunks))
	for j, c := range chunks {
		hits[j] = vectorHit{c, ix.store.best(qv, int(c))}
	}
	for _, h := range hits { // a chunk found by BM25 has its cosine too
		if i, ok := at[h.chunk]; ok && out[i].DenseRank == 0 {
			out[i].Dense = h.score
		}
	}
	slices.SortStableFunc(hits, func(a, b vectorHit) int { return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.chunk, b.chunk)) })
	for r, h := range hits[:min(q.K, len(hits))] {
		if i := add(h.chunk, r+1); out[i].DenseRank == 0 {
			out[i].Dense = h.score
		}
	}
	return out
}

func lexicalTerms(ts []Term) []lexical.WeightedTerm {
	out := make([]lexical.WeightedTerm, len(ts))
	for i, t := range ts {
		out[i] = lexical.WeightedTerm{Term: t.Text, Weight: t.Weight}
	}
	return out
}

// TermStats returns the document frequency of each term in the lexical
// index, and the number of chunks.
func (ix *Index) TermStats(terms []string) TermStats {
	st := TermStats{N: ix.Lexical.Len(), DF: make([]int, len(terms))}
	for i, t := range terms {
		st.DF[i] = ix.Lexical.DF(t)
	}
	return st
}

// Documents returns the indexed documents (shared: do not modify).
func (ix *Index) Documents() []ingest.Document { return ix.Docs }

// Embedder names the embedder that built the index; questions must be
// embedded by the same one.
func (ix *Index) Embedder() string { return ix.Manifest.Embedder }

// vectorHit is a chunk and the cosine of its best unit.
type vectorHit struct {
	chunk int32
	score float64
}

// searchVector returns the k chunks whose best vector unit is most similar
// (cosine) to v, best first. chromem-go's exhaustive query finds the
// candidates: over every unit for an index loaded from chromem-go's own
// export; over one vector per chunk (the chunk's whole search text) for a
// flat vector store, the pool of candidates then scored by their best unit
// (a sentence) from the store.
func (ix *Index) searchVector(ctx context.Context, v []float32, k int) ([]vectorHit, error) {
	if len(v) != ix.Manifest.Dim {
		return nil, fmt.Errorf("query vector has %d dimensions, index %s was built by %s with %d: rebuild it with `policybot ingest --rebuild --index %s`",
			len(v), ix.dir, ix.Manifest.Embedder, ix.Manifest.Dim, ix.dir)
	}
	n := ix.QueryUnits(k)
	if n <= 0 {
		return nil, nil
	}
	res, err := ix.vectors.QueryEmbedding(ctx, ix.ScanQuery(v), n, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("vector search: %w", err)
	}
	out := make([]vectorHit, 0, len(res))
	seen := make(map[int32]bool, len(res))
	for _, r := range res {
		i, ok := ix.byID[chunkOfUnit(r.ID)]
		if !ok || seen[int32(i)] {
			continue
		}
		seen[int32(i)] = true
		out = append(out, vectorHit{int32(i), float64(r.Similarity)})
	}
	if ix.perChunk() && ix.store != nil {
		q := unitVector(v)
		for j := range out {
			out[j].score = ix.store.best(q, int(out[j].chunk))
		}
		slices.SortStableFunc(out, func(a, b vectorHit) int { return cmp.Compare(b.score, a.score) })
	}
	return out[:min(k, len(out))], nil
}

// ScanQuery is the vector chromem-go is queried with for the question
// vector v: v folded as the chunk vectors are (see poolDim).
func (ix *Index) ScanQuery(v []float32) []float32 {
	if ix.store == nil {
		return v
	}
	return ix.store.scanVector(v)
}

// perChunk reports whether the collection holds one vector per chunk.
func (ix *Index) perChunk() bool { return ix.vectors.Count() <= len(ix.Chunks) }

// QueryUnits is how many vector units a dense search of k chunks asks
// chromem-go for: with every unit searched, enough that k distinct chunks
// remain; with one vector per chunk, a pool to score by sentence.
func (ix *Index) QueryUnits(k int) int {
	f := maxUnitsPerHit
	if ix.perChunk() {
		f = poolPerHit
	}
	return min(k*f, ix.vectors.Count())
}

const (
	maxUnitsPerHit = 6
	poolPerHit     = 8
)

// unitVector returns v scaled to unit length exactly as chromem-go scales
// a query, so scores match its own.
func unitVector(v []float32) []float32 {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	if math.Abs(math.Sqrt(s)-1) < 1e-6 {
		return v
	}
	var n32 float32
	for _, x := range v {
		n32 += x * x
	}
	n := float32(math.Sqrt(float64(n32)))
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = x / n
	}
	return out
}

// VectorBytes is the size of the vectors a search reads: those chromem-go
// scans and, when they are folded, the full chunk vectors beside them.
func (ix *Index) VectorBytes() int64 {
	n := int64(ix.vectors.Count()) * int64(ix.Manifest.Dim) * 4
	if ix.store != nil && ix.store.scan != nil {
		n += int64(len(ix.store.scan)) * 4
	}
	return n
}

// VectorCount is the number of vectors searched.
func (ix *Index) VectorCount() int { return ix.vectors.Count() }

// Collection is the chromem-go collection the dense search queries, for
// benchmarks comparing against chromem-go's own query.
func (ix *Index) Collection() *chromem.Collection { return ix.vectors }

// ScanVectors makes one pass over the vectors chromem-go scans (one per
// chunk, folded), a dot product with v each, on all processors: the
// memory-bandwidth floor of an exhaustive search. It returns the best
// similarity, or false for an index without the flat vector store.
func (ix *Index) ScanVectors(v []float32) (float32, bool) {
	if ix.store == nil || len(v) != ix.store.dim {
		return 0, false
	}
	parts, dim := [][]float32{ix.store.chunk}, ix.store.dim
	if !ix.perChunk() {
		parts = append(parts, ix.store.rest) // a small store: every unit is scanned
	}
	if ix.store.scan != nil {
		parts, dim, v = [][]float32{ix.store.scan}, poolDim, ix.store.scanVector(v)
	}
	workers := runtime.GOMAXPROCS(0)
	best := make([]float32, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := float32(-2)
			for _, flat := range parts {
				n := len(flat) / dim
				for u := w * n / workers; u < (w+1)*n/workers; u++ {
					x := flat[u*dim : (u+1)*dim : (u+1)*dim]
					var s float32
					for i, q := range v[:dim] {
						s += q * x[i]
					}
					b = max(b, s)
				}
			}
			best[w] = b
		}()
	}
	wg.Wait()
	return slices.Max(best), true
}

// PartSizes returns the bytes on disk of each stored part of the loaded
// generation: vectors, text (chunks), lexical, docs, manifest.
func (ix *Index) PartSizes() (map[string]int64, error) {
	parts := map[string]string{"vectors": vectorsFile, "text": chunksFile, "lexical": lexicalFile, "docs": docsFile, "manifest": manifestFile}
	if ix.Manifest.Format == legacyFormat {
		parts["vectors"], parts["text"] = legacyVectorsFile, legacyChunksFile
	}
	out := map[string]int64{}
	for name, file := range parts {
		fi, err := os.Stat(filepath.Join(ix.dir, ix.generation, file))
		if err != nil {
			return nil, err
		}
		out[name] = fi.Size()
	}
	return out, nil
}
