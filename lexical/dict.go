package lexical

import (
	"math"
	"strings"

	"policybot/lexical/internal/units"
)

// WordWeight is how informative a word is in general Chinese, from the
// frequencies of gse's built-in dictionary: log(total/frequency), scaled to
// about 0..1. Words the dictionary does not hold (names, new terms) weigh
// the most. It needs no corpus, so it stays fixed as documents come and go.
func (t *Tokenizer) WordWeight(word string) float64 {
	total := t.dict.total
	if total <= 0 {
		return 1
	}
	maxW := math.Log(total)
	i, _ := t.dict.find(word)
	if i < 0 || t.dict.freq[i] == 0 {
		return 1
	}
	return math.Max(0.05, math.Log(total/float64(t.dict.freq[i]))/maxW)
}

// Tagged is a word with its part-of-speech tag from gse's dictionary
// (ns: place name, nr: person name, nt: organization, …).
type Tagged struct {
	Text string
	Pos  string
}

// Tag segments text as gse's Segmenter.Pos does and tags each word; a
// piece that is no dictionary word is tagged "x". Texts are lower-cased
// ASCII, as gse gives them.
func (t *Tokenizer) Tag(text string) []Tagged {
	text = units.Lower(text)
	sg := t.getSegmenter()
	defer segPool.Put(sg)
	segs := sg.segment(text, false)
	out := make([]Tagged, 0, len(segs))
	for _, s := range segs {
		w := strings.TrimSpace(text[s.start:s.end])
		if w == "" {
			continue
		}
		pos := "x"
		if s.word != pseudo {
			pos = t.dict.posNames[t.dict.pos[s.word]]
		}
		out = append(out, Tagged{Text: w, Pos: pos})
	}
	return out
}
