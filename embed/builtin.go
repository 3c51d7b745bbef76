// Package embed turns text into vectors for the vector half of hybrid
// retrieval: a built-in embedder that needs no server or download, and a
// client for any OpenAI-compatible /v1/embeddings endpoint.
package embed

import (
	"cmp"
	"context"
	"encoding/binary"
	"hash/fnv"
	"math"
	"slices"
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
	c := newFeatureCache()
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

// featureCache numbers the features seen in one Embed call and holds the
// counts of every piece of text counted so far.
type featureCache struct {
	ids     map[string]int32
	uni     map[rune]int32   // ids of unigram features
	bi      map[uint64]int32 // ids of bigram features
	feats   []feature
	pieces  map[string][]featCount
	acc     []float64 // per feature id: count in the text at hand
	touched []int32
	buf     []byte
}

type feature struct {
	name string
	// key is the name's first 8 bytes, big-endian, zero-padded: keys order
	// as the names do, and decide alone for names of at most 8 bytes.
	key    uint64
	weight float64
	bucket uint32
	neg    bool
}

type featCount struct {
	id int32
	n  float64
}

func newFeatureCache() *featureCache {
	return &featureCache{ids: map[string]int32{}, uni: map[rune]int32{}, bi: map[uint64]int32{}, pieces: map[string][]featCount{}}
}

// id returns the number of feature name (in c.buf), adding it with the
// weight w() on first sight.
func (c *featureCache) id(name []byte, w func() float64) int32 {
	if id, ok := c.ids[string(name)]; ok {
		return id
	}
	n := string(name)
	h := fnv.New64a()
	h.Write(name)
	x := h.Sum64()
	id := int32(len(c.feats))
	c.ids[n] = id
	var key [8]byte
	copy(key[:], n)
	c.feats = append(c.feats, feature{name: n, key: binary.BigEndian.Uint64(key[:]), weight: w(), bucket: uint32(x % BuiltinDim), neg: x>>63 == 1})
	c.acc = append(c.acc, 0)
	return id
}

func (c *featureCache) add(id int32, n float64) {
	if c.acc[id] == 0 {
		c.touched = append(c.touched, id)
	}
	c.acc[id] += n
}

func (b *Builtin) vector(text string, c *featureCache) []float32 {
	if c == nil {
		c = newFeatureCache()
	}
	s := fold.String(text)
	var pieces [][]featCount
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
		pc, ok := c.pieces[piece]
		if !ok {
			pc = b.count(piece, c)
			c.pieces[piece] = pc
		}
		pieces = append(pieces, pc)
	}
	for _, pc := range pieces {
		for _, f := range pc {
			c.add(f.id, f.n)
		}
	}
	ys := s
	if strings.Contains(s, "年") { // what NormalizeYears rewrites ends with 年
		ys = terms.NormalizeYears(s)
	}
	for _, g := range b.terms.Concepts(ys) {
		c.buf = utf8.AppendRune(append(c.buf[:0], 'c'), rune(0x10000+g))
		c.add(c.id(c.buf, func() float64 { return 1.5 }), 1)
	}
	// Features are added in a fixed order: float sums depend on the order,
	// and the same text must always give the same vector.
	slices.SortFunc(c.touched, func(a, b int32) int {
		fa, fb := &c.feats[a], &c.feats[b]
		if fa.key != fb.key {
			return cmp.Compare(fa.key, fb.key)
		}
		return strings.Compare(fa.name, fb.name)
	})
	v := make([]float32, BuiltinDim)
	for _, id := range c.touched {
		f := &c.feats[id]
		w := float32((1 + math.Log(c.acc[id])) * f.weight)
		if f.neg {
			w = -w
		}
		v[f.bucket] += w
		c.acc[id] = 0
	}
	c.touched = c.touched[:0]
	return toUnit(v)
}

// toUnit scales v in place to unit length; an all-zero v (an empty text)
// becomes the first axis, still a valid unit vector.
func toUnit(v []float32) []float32 {
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
// folded text. It uses c's accumulator, which is clear between texts.
func (b *Builtin) count(s string, c *featureCache) []featCount {
	weak := func() float64 { return 0.15 }
	pair := func() float64 { return 0.3 }
	one := func() float64 { return 1 }
	var prev rune = -1
	for _, r := range s {
		if !isHan(r) {
			prev = -1
			continue
		}
		if prev >= 0 {
			key := uint64(uint32(prev))<<32 | uint64(uint32(r))
			id, ok := c.bi[key]
			if !ok {
				c.buf = utf8.AppendRune(utf8.AppendRune(append(c.buf[:0], 'b'), prev), r)
				id = c.id(c.buf, pair)
				c.bi[key] = id
			}
			c.add(id, 1)
		}
		if !isWeak(r) {
			id, ok := c.uni[r]
			if !ok {
				c.buf = utf8.AppendRune(append(c.buf[:0], 'u'), r)
				id = c.id(c.buf, weak)
				c.uni[r] = id
			}
			c.add(id, 1)
		}
		prev = r
	}
	for _, w := range b.vocab.Words(s) {
		c.buf = append(append(c.buf[:0], 'v'), w...)
		c.add(c.id(c.buf, func() float64 { return b.vocab.WordWeight(w) }), 1)
	}
	for _, w := range strings.FieldsFunc(s, func(r rune) bool {
		return !(r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '%'))
	}) {
		w = strings.Trim(w, ".")
		if w != "" {
			c.buf = append(append(c.buf[:0], 'w'), w...)
			c.add(c.id(c.buf, one), 1)
		}
	}
	out := make([]featCount, len(c.touched))
	for i, id := range c.touched {
		out[i] = featCount{id, c.acc[id]}
		c.acc[id] = 0
	}
	c.touched = c.touched[:0]
	return out
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// weakSet holds weakChars.
var weakSet = func() map[rune]bool {
	m := map[rune]bool{}
	for _, r := range weakChars {
		m[r] = true
	}
	return m
}()

func isWeak(r rune) bool { return weakSet[r] }
