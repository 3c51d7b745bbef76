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
	"unicode/utf8"

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
//
// A text's features are counted piece by piece, split after the sentence
// ends (。！？；!?; and newlines) that no feature spans but concepts: the
// pieces of one call are counted once, so a chunk embedded whole and
// sentence by sentence is segmented once. The vectors are the same as
// counting each text at once.
func (b *Builtin) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	c := &featureCache{pieces: map[string]*bag{}, weight: map[string]float64{}}
	for i, t := range texts {
		if i%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		out[i] = b.vector(t, c)
	}
	return out, nil
}

// weakChars are function characters too common to say anything alone.
const weakChars = "的了和是在与及等为对以将把被之其或而于也并由从到上中下个们这那有就都要"

// pieceEnds are the characters a text is cut into pieces after: no
// character, word, number or Latin feature crosses one.
const pieceEnds = "。！？!?；;\n"

// bag is the feature counts of one piece of text, in first-seen order.
type bag struct {
	feats  []string
	counts []float64
}

// featureCache holds the bags of the pieces of one Embed call and the
// weights of their features.
type featureCache struct {
	pieces map[string]*bag
	weight map[string]float64
}

func (b *Builtin) vector(text string, cache *featureCache) []float32 {
	if cache == nil {
		cache = &featureCache{pieces: map[string]*bag{}, weight: map[string]float64{}}
	}
	s := fold.String(text)
	counts := map[string]float64{}
	for rest := s; rest != ""; {
		end := strings.IndexAny(rest, pieceEnds)
		if end < 0 {
			end = len(rest)
		} else {
			_, n := utf8.DecodeRuneInString(rest[end:])
			end += n
		}
		piece := rest[:end]
		rest = rest[end:]
		pb, ok := cache.pieces[piece]
		if !ok {
			pb = b.count(piece, cache.weight)
			cache.pieces[piece] = pb
		}
		for i, f := range pb.feats {
			counts[f] += pb.counts[i]
		}
	}
	for _, g := range b.terms.Concepts(terms.NormalizeYears(s)) {
		f := "c" + string(rune(0x10000+g))
		counts[f]++
		cache.weight[f] = 1.5
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
		w := float32((1 + math.Log(c)) * cache.weight[f])
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

// count counts the character, word and Latin features of one piece of
// folded text and records their weights.
func (b *Builtin) count(s string, weight map[string]float64) *bag {
	pb := &bag{}
	idx := map[string]int{}
	add := func(f string, w float64) {
		if i, ok := idx[f]; ok {
			pb.counts[i]++
			return
		}
		idx[f] = len(pb.feats)
		pb.feats = append(pb.feats, f)
		pb.counts = append(pb.counts, 1)
		weight[f] = w
	}
	rs := []rune(s)
	for i, r := range rs {
		if !isHan(r) {
			continue
		}
		if !strings.ContainsRune(weakChars, r) {
			add("u"+string(r), 0.15)
		}
		if i+1 < len(rs) && isHan(rs[i+1]) {
			add("b"+string(rs[i:i+2]), 0.3)
		}
	}
	for _, w := range b.vocab.Words(s) {
		f := "v" + w
		if _, ok := idx[f]; ok {
			pb.counts[idx[f]]++
			continue
		}
		ww, ok := weight[f]
		if !ok {
			ww = b.vocab.WordWeight(w)
		}
		add(f, ww)
	}
	for _, w := range strings.FieldsFunc(s, func(r rune) bool {
		return !(r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '%'))
	}) {
		w = strings.Trim(w, ".")
		if w != "" {
			add("w"+w, 1)
		}
	}
	return pb
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }
