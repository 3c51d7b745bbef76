package rag_test

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"testing"

	"policybot/index"
	"policybot/ingest"
	"policybot/internal/testengine"
	"policybot/lexical"
	"policybot/rag"
)

// The in-process index is one implementation of the interface rag needs.
var _ rag.Retriever = (*index.Index)(nil)

// memBackend is a whole search backend in a few lines, as a client of an
// external engine would be one package: it holds chunks, documents and
// vectors, matches terms by substring and vectors by dot product.
type memBackend struct {
	chunks []ingest.Chunk
	docs   []ingest.Document
	vecs   [][]float32
	emb    string
}

var _ rag.Retriever = (*memBackend)(nil)

func (m *memBackend) Search(_ context.Context, q index.Query) ([]index.Candidate, error) {
	type hit struct {
		i int
		s float64
	}
	top := func(score func(i int) float64) []hit {
		var hs []hit
		for i := range m.chunks {
			if s := score(i); s > 0 {
				hs = append(hs, hit{i, s})
			}
		}
		slices.SortFunc(hs, func(a, b hit) int { return cmp.Or(cmp.Compare(b.s, a.s), cmp.Compare(a.i, b.i)) })
		return hs[:min(q.K, len(hs))]
	}
	var out []index.Candidate
	at := map[int]int{}
	if len(q.Terms) > 0 {
		for r, h := range top(func(i int) float64 {
			var s float64
			for _, t := range q.Terms {
				if strings.Contains(m.chunks[i].Folded, strings.TrimPrefix(t.Text, lexical.BigramPrefix)) {
					s += t.Weight
				}
			}
			return s
		}) {
			at[h.i] = len(out)
			out = append(out, index.Candidate{Chunk: &m.chunks[h.i], Lexical: h.s, LexicalRank: r + 1})
		}
	}
	if q.Vector != nil {
		for r, h := range top(func(i int) float64 {
			var s float32
			for j, x := range q.Vector {
				s += x * m.vecs[i][j]
			}
			return float64(s)
		}) {
			j, ok := at[h.i]
			if !ok {
				j = len(out)
				out = append(out, index.Candidate{Chunk: &m.chunks[h.i]})
			}
			out[j].Dense, out[j].DenseRank = h.s, r+1
		}
	}
	return out, nil
}

func (m *memBackend) TermStats(terms []string) index.TermStats {
	st := index.TermStats{N: len(m.chunks), DF: make([]int, len(terms))}
	for k, t := range terms {
		for i := range m.chunks {
			if strings.Contains(m.chunks[i].Folded, strings.TrimPrefix(t, lexical.BigramPrefix)) {
				st.DF[k]++
			}
		}
	}
	return st
}

func (m *memBackend) Chunk(id string) (*ingest.Chunk, bool) {
	for i := range m.chunks {
		if m.chunks[i].ID == id {
			return &m.chunks[i], true
		}
	}
	return nil, false
}

func (m *memBackend) Doc(id string) (*ingest.Document, bool) {
	for i := range m.docs {
		if m.docs[i].ID == id {
			return &m.docs[i], true
		}
	}
	return nil, false
}

func (m *memBackend) Documents() []ingest.Document { return m.docs }

func (m *memBackend) DocChunks(docID string) []*ingest.Chunk {
	var out []*ingest.Chunk
	for i := range m.chunks {
		if m.chunks[i].DocID == docID {
			out = append(out, &m.chunks[i])
		}
	}
	return out
}

func (m *memBackend) Embedder() string   { return m.emb }
func (m *memBackend) Dir() string        { return "mem://seeds" }
func (m *memBackend) Generation() string { return "1" }

func TestAnotherBackendAnswersThroughTheInterface(t *testing.T) {
	ix := testengine.Seeds(t).Index().(*index.Index)
	p, err := sharedParts()
	if err != nil {
		t.Fatal(err)
	}
	m := &memBackend{chunks: ix.Chunks, docs: ix.Docs, emb: p.emb.Name()}
	for i := range m.chunks {
		d, _ := ix.Doc(m.chunks[i].DocID)
		vs, err := p.emb.Embed(context.Background(), []string{index.SearchText(&m.chunks[i], d)})
		if err != nil {
			t.Fatal(err)
		}
		m.vecs = append(m.vecs, vs[0])
	}
	eng, err := rag.New(m, p.emb, p.tok, p.tt, rag.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := eng.Answer(context.Background(), rag.Query{Question: "济源是哪一年撤县建市的？"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Answer, "1988") || len(res.Citations) == 0 {
		t.Errorf("got answer %q with %d citations, want 1988 cited", res.Answer, len(res.Citations))
	}
}
