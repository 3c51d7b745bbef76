// Package embed turns text into vectors for the vector half of hybrid
// retrieval: a built-in embedder that needs no server or download, and a
// client for any OpenAI-compatible /v1/embeddings endpoint.
package embed

import (
	"context"
	"hash/fnv"
	"math"
	"sort"
	"strings"
	"unicode"

	"policybot/fold"
	"policybot/terms"
)

// BuiltinDim is the built-in embedder's vector length.
const BuiltinDim = 512

// Builtin is the default embedder. It hashes features of the folded text
// into a fixed-size vector (the "hashing trick"):
//
//   - character unigrams and bigrams, which match across word boundaries
//     the segmenter draws differently and across partial words (示范 ~ 示范区);
//   - concept features from the terms table, which equivalent wordings share
//     (GDP ~ 生产总值, 增速 ~ 增长) even where no character is in common;
//   - numbers and Latin words whole.
//
// Feature counts are damped (1+log tf) and each feature has a hashed sign,
// so collisions cancel rather than pile up. Vectors are L2-normalized.
type Builtin struct {
	terms *terms.Table
	vocab Vocabulary
}

// Vocabulary segments text into words and says how informative a word is
// in general (not corpus) use, so common words weigh little.
type Vocabulary interface {
	Words(text string) []string
	WordWeight(word string) float64
}

// NewBuiltin returns the built-in embedder using the term table t for its
// concept features (nil for the built-in table) and vocabulary v for word
// features.
func NewBuiltin(t *terms.Table, v Vocabulary) *Builtin {
	if t == nil {
		t = terms.Builtin()
	}
	return &Builtin{terms: t, vocab: v}
}

// Name identifies the embedder, its version and the term table its concept
// features come from, as recorded in the index: a change to the features or
// to the table changes the name, so an index built otherwise is rebuilt.
func (b *Builtin) Name() string { return "builtin-hash-v2-" + b.terms.Fingerprint() }

// Embed returns one vector per text. It never fails except on a cancelled
// context.
func (b *Builtin) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		if i%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		out[i] = b.vector(t)
	}
	return out, nil
}

// weakChars are function characters too common to say anything alone.
const weakChars = "的了和是在与及等为对以将把被之其或而于也并由从到上中下个们这那有就都要"

func (b *Builtin) vector(text string) []float32 {
	s := fold.String(text)
	counts := map[string]float64{}
	weight := map[string]float64{}
	rs := []rune(s)
	for i, r := range rs {
		if !isHan(r) {
			continue
		}
		if !strings.ContainsRune(weakChars, r) {
			counts["u"+string(r)]++
			weight["u"+string(r)] = 0.15
		}
		if i+1 < len(rs) && isHan(rs[i+1]) {
			counts["b"+string(rs[i:i+2])]++
			weight["b"+string(rs[i:i+2])] = 0.3
		}
	}
	for _, w := range b.vocab.Words(s) {
		counts["v"+w]++
		weight["v"+w] = b.vocab.WordWeight(w)
	}
	for _, w := range strings.FieldsFunc(s, func(r rune) bool {
		return !(r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '%'))
	}) {
		w = strings.Trim(w, ".")
		if w != "" {
			counts["w"+w]++
			weight["w"+w] = 1
		}
	}
	for _, g := range b.terms.Concepts(terms.NormalizeYears(s)) {
		counts["c"+string(rune(0x10000+g))]++
		weight["c"+string(rune(0x10000+g))] = 1.5
	}
	// Features are added in a fixed order: float sums depend on the order,
	// and the same text must always give the same vector.
	feats := make([]string, 0, len(counts))
	for f := range counts {
		feats = append(feats, f)
	}
	sort.Strings(feats)
	v := make([]float32, BuiltinDim)
	for _, f := range feats {
		c := counts[f]
		h := fnv.New64a()
		h.Write([]byte(f))
		x := h.Sum64()
		w := float32((1 + math.Log(c)) * weight[f])
		if x>>63 == 1 {
			w = -w
		}
		v[x%BuiltinDim] += w
	}
	var n float64
	for _, x := range v {
		n += float64(x) * float64(x)
	}
	if n == 0 {
		v[0] = 1 // an empty text still gets a valid unit vector
		return v
	}
	inv := float32(1 / math.Sqrt(n))
	for i := range v {
		v[i] *= inv
	}
	return v
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }
