package lexical

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"policybot/lexical/internal/units"
)

//go:generate go run ./internal/gendict -o zh_s.dict

// zhDict is gse's simplified-Chinese dictionary (data/dict/zh/s_1.txt of
// the gse module) prebuilt by internal/gendict: keys sorted, with gse's
// frequencies and part-of-speech tags (4 MB; its keys are used in place).
//
//go:embed zh_s.dict
var zhDict string

// dictionary is a static word list searched by prefix: keys sorted
// bytewise, so the keys starting with a prefix are one contiguous range.
// It reproduces gse's shortest-path segmentation over the same words and
// frequencies exactly, and loads in milliseconds instead of building gse's
// trie and every word's sub-segmentation (about a second and 130 MB).
type dictionary struct {
	keys     string   // every key followed by '\n'
	off      []uint32 // key i is keys[off[i]:off[i+1]-1]
	freq     []uint32
	dist     []float32 // gse's path length log2(total) - log2(freq)
	pos      string    // tag number of key i
	posNames []string
	total    float64
	maxUnits int
	// bmp and first map a key's first rune (in and beyond the basic
	// multilingual plane) to the range of keys starting with it.
	bmp   [][2]uint32
	first map[rune][2]uint32
}

var (
	dictOnce sync.Once
	dictVal  *dictionary
	dictErr  error
)

// loadDictionary decodes the embedded dictionary once per process.
func loadDictionary() (*dictionary, error) {
	dictOnce.Do(func() {
		dictVal, dictErr = decodeDictionary(zhDict)
	})
	return dictVal, dictErr
}

var errDict = errors.New("bad dictionary")

func decodeDictionary(b string) (*dictionary, error) {
	const magic = "PBDICT1\n"
	if !strings.HasPrefix(b, magic) {
		return nil, fmt.Errorf("dictionary: bad magic: %w", errDict)
	}
	b = b[len(magic):]
	fail := false
	uv := func() uint64 {
		v, n := uvarint(b)
		if n <= 0 {
			fail = true
			return 0
		}
		b = b[n:]
		return v
	}
	d := &dictionary{}
	n := int(uv())
	if len(b) < 8 {
		return nil, fmt.Errorf("dictionary: truncated: %w", errDict)
	}
	d.total = math.Float64frombits(binary.LittleEndian.Uint64([]byte(b[:8])))
	b = b[8:]
	d.maxUnits = int(uv())
	np := int(uv())
	for i := 0; i < np && !fail; i++ {
		l := int(uv())
		if l > len(b) {
			fail = true
			break
		}
		d.posNames = append(d.posNames, b[:l])
		b = b[l:]
	}
	kl := int(uv())
	if fail || kl > len(b) {
		return nil, fmt.Errorf("dictionary: truncated: %w", errDict)
	}
	d.keys = b[:kl]
	b = b[kl:]
	d.off = make([]uint32, 0, n+1)
	d.off = append(d.off, 0)
	d.bmp = make([][2]uint32, 0x10000)
	d.first = map[rune][2]uint32{}
	var cur rune = -1
	var curStart uint32
	for p := 0; p < len(d.keys); {
		j := strings.IndexByte(d.keys[p:], '\n')
		if j < 0 {
			return nil, fmt.Errorf("dictionary: unterminated key: %w", errDict)
		}
		r, _ := utf8.DecodeRuneInString(d.keys[p:])
		if r != cur {
			if cur >= 0 {
				d.setFirst(cur, curStart, uint32(len(d.off)-1))
			}
			cur, curStart = r, uint32(len(d.off)-1)
		}
		p += j + 1
		d.off = append(d.off, uint32(p))
	}
	if cur >= 0 {
		d.setFirst(cur, curStart, uint32(len(d.off)-1))
	}
	if len(d.off) != n+1 {
		return nil, fmt.Errorf("dictionary: %d keys, header says %d: %w", len(d.off)-1, n, errDict)
	}
	d.freq = make([]uint32, n)
	d.dist = make([]float32, n)
	logTotal := float32(math.Log2(d.total))
	for i := range n {
		f := uv()
		d.freq[i] = uint32(f)
		d.dist[i] = logTotal - float32(math.Log2(float64(f)))
	}
	if fail || len(b) != n {
		return nil, fmt.Errorf("dictionary: truncated: %w", errDict)
	}
	d.pos = b
	for i := 0; i < len(b); i++ {
		if p := b[i]; int(p) >= len(d.posNames) {
			return nil, fmt.Errorf("dictionary: tag %d: %w", p, errDict)
		}
	}
	return d, nil
}

func (d *dictionary) setFirst(r rune, lo, hi uint32) {
	if r >= 0 && r < rune(len(d.bmp)) {
		d.bmp[r] = [2]uint32{lo, hi}
	} else {
		d.first[r] = [2]uint32{lo, hi}
	}
}

// uvarint is binary.Uvarint over a string.
func uvarint(s string) (uint64, int) {
	var x uint64
	var sh uint
	for i := 0; i < len(s) && i < binary.MaxVarintLen64; i++ {
		c := s[i]
		if c < 0x80 {
			return x | uint64(c)<<sh, i + 1
		}
		x |= uint64(c&0x7f) << sh
		sh += 7
	}
	return 0, 0
}

func (d *dictionary) key(i int) string { return d.keys[d.off[i] : d.off[i+1]-1] }

// find returns the key's index, or -1. A prefix of a key is found with
// frequency 0 by gse (its trie holds the path): prefix reports that.
func (d *dictionary) find(w string) (i int, prefix bool) {
	r, n := utf8.DecodeRuneInString(w)
	lo, hi, ok := d.firstRange(r)
	if !ok || w == "" || r == utf8.RuneError && n == 1 {
		return -1, false
	}
	if lo, hi = d.narrow(lo, hi, n, w[n:]); lo < hi {
		if k := d.key(lo); k == w {
			return lo, true
		} else if strings.HasPrefix(k, w) {
			return -1, true
		}
	}
	return -1, false
}

// narrow shrinks [lo,hi), a range of keys sharing their first m bytes, to
// the keys whose next bytes are u.
func (d *dictionary) narrow(lo, hi, m int, u string) (int, int) {
	keys, off := d.keys, d.off
	a, b := lo, hi
	for a < b {
		h := int(uint(a+b) >> 1)
		if keys[int(off[h])+m:off[h+1]-1] < u {
			a = h + 1
		} else {
			b = h
		}
	}
	c, e := a, hi
	for c < e {
		h := int(uint(c+e) >> 1)
		if k := keys[int(off[h])+m : off[h+1]-1]; len(k) >= len(u) && k[:len(u)] == u {
			c = h + 1
		} else {
			e = h
		}
	}
	return a, c
}

// firstRange returns the range of keys starting with r.
func (d *dictionary) firstRange(r rune) (int, int, bool) {
	var rg [2]uint32
	if r >= 0 && r < rune(len(d.bmp)) {
		rg = d.bmp[r]
	} else {
		rg = d.first[r]
	}
	return int(rg[0]), int(rg[1]), rg[0] < rg[1]
}

// pseudo marks a path step that is no dictionary word: one unit, with gse's
// distance 32 and tag "x".
const pseudo = -1

const pseudoDist = 32

type step struct {
	dist float32
	word int32 // dictionary index or pseudo
	n    int32 // length in units
}

// span is one segment: bytes [start,end) of the text and its word.
type span struct {
	start, end int
	word       int32 // dictionary index or pseudo
}

// segmenter holds the scratch space of one segmentation.
type segmenter struct {
	d     *dictionary
	ub    []int // unit boundaries
	steps []step
	out   []span
	child *segmenter          // for sub-words, so they do not overwrite out
	memo  map[string][]string // run → its words (Tokenizer.appendCJKWords)
}

// sub returns the segmenter used for sub-words of s's segments.
func (s *segmenter) sub() *segmenter {
	if s.child == nil {
		s.child = &segmenter{}
	}
	s.child.d = s.d
	return s.child
}

var segPool = sync.Pool{New: func() any { return new(segmenter) }}

// segment cuts text (already lower-cased where gse would) along the
// shortest path, as gse's Segmenter.Segment does; in search mode, as for a
// word's sub-words, the path of the whole text as one word is excluded.
// The result is valid until the next call.
func (s *segmenter) segment(text string, search bool) []span {
	s.out = s.out[:0]
	if text == "" {
		return nil
	}
	s.ub = units.Bounds(s.ub[:0], text)
	n := len(s.ub) - 1
	if search && n == 1 {
		return nil
	}
	if cap(s.steps) < n {
		s.steps = make([]step, n)
	}
	steps := s.steps[:n]
	clear(steps)
	d := s.d
	for cur := 0; cur < n; cur++ {
		var base float32
		if cur > 0 {
			base = steps[cur-1].dist
		}
		start := s.ub[cur]
		r, rs := utf8.DecodeRuneInString(text[start:])
		found, firstLen := 0, 0
		if lo, hi, ok := d.firstRange(r); ok && !(r == utf8.RuneError && rs == 1) {
			m := rs // bytes of the prefix every key in [lo,hi) shares
			for k := 1; k <= d.maxUnits && cur+k <= n; k++ {
				end := s.ub[cur+k]
				if end > start+m {
					lo, hi = d.narrow(lo, hi, m, text[start+m:end])
					m = end - start
				}
				if lo == hi {
					break
				}
				if int(d.off[lo+1]-d.off[lo])-1 != m {
					continue // the prefix is no word of its own
				}
				found++
				if found == 1 {
					firstLen = k
				}
				loc := cur + k - 1
				if !search || cur != 0 || loc != n-1 {
					update(&steps[loc], base+d.dist[lo], int32(lo), int32(k))
				}
			}
		}
		if found == 0 || firstLen > 1 {
			update(&steps[cur], base+pseudoDist, pseudo, 1)
		}
	}
	for i := n - 1; i >= 0; {
		st := steps[i]
		loc := i - int(st.n) + 1
		s.out = append(s.out, span{start: s.ub[loc], end: s.ub[i+1], word: st.word})
		i = loc - 1
	}
	for i, j := 0, len(s.out)-1; i < j; i, j = i+1, j-1 {
		s.out[i], s.out[j] = s.out[j], s.out[i]
	}
	return s.out
}

func update(st *step, dist float32, word, n int32) {
	if st.dist == 0 || st.dist > dist {
		st.dist, st.word, st.n = dist, word, n
	}
}

// subWords appends to out the sub-words gse records for a dictionary word
// (its search-mode segmentation, one-unit Japanese kana left out), as
// spans relative to w.
func (s *segmenter) subWords(out []span, w string) []span {
	for _, sp := range s.segment(w, true) {
		if isKanaUnit(w[sp.start:sp.end]) {
			continue
		}
		out = append(out, sp)
	}
	return out
}

// isKanaUnit reports a one-unit text holding hiragana or katakana, which
// gse leaves out of sub-words.
func isKanaUnit(t string) bool {
	if len(units.Bounds(nil, t)) != 2 {
		return false
	}
	for _, r := range t {
		if unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) {
			return true
		}
	}
	return false
}
