package rag

// Document preference: a question that names a place, a body, a person or
// a document prefers the documents about it. Many documents of one genre
// (every province's work report, every city's regulation on the same
// matter) share the question's vocabulary; what sets the one asked about
// apart is document-level evidence — its title and issuer — not the
// passage's words.

import (
	"math"
	"sort"
)

// aboutDocs returns, for each document the question names, the share of
// the question's naming weight its title and issuer hold: 1 for a document
// named by every naming word, less for one named by some. A naming word
// weighs by how few documents it names (济源 in three titles of two
// thousand weighs more than 2019 in fifty) times how rare it is in the
// corpus's text (its weight as a term: 增长 is in a few titles but in
// thousands of passages, a word of content, not a name), so a document
// of another place that shares the year and genre ranks below the one of
// the place asked about. Nil when the question names no document.
func aboutDocs(names []docName, terms map[string]qterm) map[string]float64 {
	weight := make([]float64, len(names))
	var total float64
	for i, n := range names {
		weight[i] = n.spec * terms[n.word].weight
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
// corpus when it does not repeat the place its title names.
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
	return ids[:min(len(ids), w.AboutDocs)]
}

// preferNamed adds to each candidate's fused score Weights.AboutFused
// times the share of the question's naming weight its document holds, and
// reorders them: before the pool of reranked candidates is cut, so the
// document asked about is in it.
func (e *Engine) preferNamed(q *Analysis, in []scored) []scored {
	if len(q.about) == 0 || e.w.AboutFused == 0 || len(in) == 0 {
		return in
	}
	top := in[0].score
	if top <= 0 {
		top = 1
	}
	for i := range in {
		if s := q.about[in[i].c.DocID]; s > 0 {
			in[i].score += e.w.AboutFused * s * top
		}
	}
	sort.SliceStable(in, func(i, j int) bool { return in[i].score > in[j].score })
	return in
}
