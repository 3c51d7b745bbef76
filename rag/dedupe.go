package rag

import (
	"slices"
	"unicode"
)

// Near-duplicate passages: the same document saved in two formats (a PDF
// and its .docx, a web page and its attachment) gives the same passages
// twice. The reader sees each once, citing the first file.
// Two passages are the same text when the Jaccard similarity of their
// character shingles is at least Weights.NearJaccard, or when the smaller
// one's shingles are at least Weights.NearContained in the larger one (chunk
// boundaries differ between formats).
const (
	// minContainedShingles keeps short passages (a heading, a title line)
	// from counting as copies of every longer passage quoting them.
	minContainedShingles = 30
	shingleRunes         = 3
)

// shingles returns the sorted set of runs of shingleRunes runes of folded
// text, white space and punctuation removed (so line breaks and the
// punctuation differences between extractors do not matter), each run
// packed exactly into a uint64 (21 bits a rune).
func shingles(folded string) []uint64 {
	rs := make([]rune, 0, len(folded)/2)
	for _, r := range folded {
		if (r < 0x4E00 || r > 0x9FFF) && (unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r)) {
			continue // common Han characters skip the table look-ups
		}
		rs = append(rs, r)
	}
	if len(rs) == 0 {
		return nil
	}
	n := max(len(rs)-shingleRunes+1, 1)
	out := make([]uint64, 0, n)
	for i := range n {
		var h uint64
		for _, r := range rs[i:min(i+shingleRunes, len(rs))] {
			h = h<<21 | uint64(r)
		}
		out = append(out, h)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// nearSame reports whether two shingle sets are the same text, or the
// smaller one (long enough) is a copy of part of the larger.
func nearSame(a, b []uint64, w Weights) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	inter := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] == b[j]:
			inter++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	union := len(a) + len(b) - inter
	if float64(inter) >= w.NearJaccard*float64(union) {
		return true
	}
	return len(a) >= minContainedShingles && float64(inter) >= w.NearContained*float64(len(a))
}

// dedupeNear drops candidates that are near-duplicates of a better-ranked
// one, keeping at most k (all when k <= 0), in rank order. Of two
// near-duplicates with the same score (the same text in two files scores
// alike), the one from the source whose name sorts first is kept, in the
// place of the first.
func dedupeNear(in []scored, k int, w Weights) []scored {
	out := make([]scored, 0, min(len(in), max(k, 0)))
	var sets [][]uint64
	for _, c := range in {
		if k > 0 && len(out) == k && c.score != out[k-1].score {
			break // past the last place, only a tie could still change a pick
		}
		sh := shingles(c.c.Folded)
		dup := false
		for i := range out {
			if !nearSame(sh, sets[i], w) {
				continue
			}
			dup = true
			if c.score == out[i].score && c.c.Source < out[i].c.Source {
				out[i], sets[i] = c, sh
			}
			break
		}
		if !dup && (k <= 0 || len(out) < k) {
			out = append(out, c)
			sets = append(sets, sh)
		}
	}
	return out
}
