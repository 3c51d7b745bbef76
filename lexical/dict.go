package lexical

import (
	"math"
	"strings"
)

// WordWeight is how informative a word is in general Chinese, from the
// frequencies of gse's built-in dictionary: log(total/frequency), scaled to
// about 0..1. Words the dictionary does not hold (names, new terms) weigh
// the most. It needs no corpus, so it stays fixed as documents come and go.
func (t *Tokenizer) WordWeight(word string) float64 {
	total := t.seg.Dict.TotalFreq()
	if total <= 0 {
		return 1
	}
	maxW := math.Log(total)
	f, _, ok := t.seg.Find(word)
	if !ok || f <= 0 {
		return 1
	}
	return math.Max(0.05, math.Log(total/f)/maxW)
}

// Tagged is a word with its part-of-speech tag from gse's dictionary
// (ns: place name, nr: person name, nt: organization, …).
type Tagged struct {
	Text string
	Pos  string
}

// Tag segments text and tags each word.
func (t *Tokenizer) Tag(text string) []Tagged {
	ps := t.seg.Pos(text, false)
	out := make([]Tagged, 0, len(ps))
	for _, p := range ps {
		if w := strings.TrimSpace(p.Text); w != "" {
			out = append(out, Tagged{Text: w, Pos: p.Pos})
		}
	}
	return out
}
