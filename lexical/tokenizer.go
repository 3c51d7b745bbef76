// Package lexical is the lexical half of hybrid retrieval over Chinese policy
// text: a tokenizer that mixes gse dictionary words with CJK character bigrams
// and number tokens, and a BM25 index over the resulting terms.
//
// Input text is expected to be folded already (simplified script, half-width
// forms, lower case); the tokenizer lower-cases ASCII letters again as a cheap
// safety net but does not convert scripts or widths.
package lexical

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// BigramPrefix marks character-bigram terms so they live in their own
// namespace: the bigram 改革 is indexed as BigramPrefix+"改革", separate from
// the dictionary word 改革, which lets the index weigh the two kinds
// differently. A run of exactly one CJK character is indexed the same way as
// a one-character "bigram" so that single-character queries still match.
const BigramPrefix = "~"

// stopWords are dropped from Words (and so from Terms). Besides function words
// the list holds question words and chat filler, because queries are typed as
// questions ("示范区有哪些片区？") and those words say nothing about the topic.
var stopWords = []string{
	"的", "了", "和", "是", "在", "等", "及", "与", "对", "为", "或", "并", "而", "也", "都", "就",
	"把", "被", "将", "之", "其", "以", "于", "从", "到", "由", "向", "给", "让", "着", "过",
	"吗", "呢", "吧", "啊", "呀", "嘛", "么", "哦",
	"这", "那", "这个", "那个", "这些", "那些", "这里", "那里", "这样", "那样",
	"我", "你", "他", "她", "它", "我们", "你们", "他们", "咱们",
	"以及", "或者", "还是", "还有", "而且", "并且", "因为", "所以", "如果", "但是",
	"哪", "哪些", "哪个", "哪一个", "哪里", "哪儿", "哪年", "哪一年", "哪天", "哪一天", "哪位", "哪种", "哪方面",
	"谁", "几", "几个", "什么", "怎么", "怎样", "怎么样", "如何", "为什么", "为啥", "啥", "何时", "多久",
	"多少", "是否", "是不是", "有没有", "有无", "有何",
	"请问", "请", "一下", "说说", "讲讲", "谈谈", "介绍", "具体", "简单", "到底", "分别", "一些", "有些",
	"可以", "能", "会", "要", "有", "没有", "个",
}

// stopChars are characters that make a bigram useless: a bigram holding one
// of them (了几, 的发, 哪些) mostly joins a function word to its neighbour.
// Bigrams that are themselves stopwords (分别, 具体) are skipped as well.
const stopChars = "的了和是在等及与对为或并而也都就把被之其吗呢吧啊呀嘛么哦这那哪谁几啥个"

// Tokenizer turns folded text into index terms. Construct it with
// NewTokenizer; it is safe for concurrent use afterwards.
type Tokenizer struct {
	dict      *dictionary
	stop      map[string]bool
	stopChars map[rune]bool
}

// NewTokenizer returns a tokenizer over gse's simplified-Chinese dictionary
// (about 350k words), prebuilt and embedded: the first call in a process
// decodes it (tens of milliseconds), later calls share it.
func NewTokenizer() (*Tokenizer, error) {
	t := &Tokenizer{
		stop:      make(map[string]bool, len(stopWords)),
		stopChars: make(map[rune]bool, len(stopChars)),
	}
	d, err := loadDictionary()
	if err != nil {
		return nil, fmt.Errorf("load simplified-Chinese dictionary: %w", err)
	}
	if len(d.freq) == 0 {
		return nil, fmt.Errorf("load simplified-Chinese dictionary: dictionary is empty")
	}
	t.dict = d
	for _, w := range stopWords {
		t.stop[w] = true
	}
	for _, r := range stopChars {
		t.stopChars[r] = true
	}
	return t, nil
}

// IsStopWord reports whether w is dropped by Words.
func (t *Tokenizer) IsStopWord(w string) bool { return t.stop[w] }

// Words returns the words of text in text order: gse dictionary words of CJK
// runs plus ASCII/number tokens (see Terms). Stopwords and lone CJK characters
// are dropped; consecutive single-character segments that gse could not place
// in a dictionary word (such as 虎 岭 for the place name 虎岭) are joined into
// one word. Words of three or more characters are followed by their dictionary
// sub-words (中国共产党 also yields 中国, 共产党), as search engines do.
func (t *Tokenizer) Words(text string) []string {
	out := make([]string, 0, len(text)/4)
	t.scan(text, func(run string) { out = t.appendCJKWords(out, run) }, func(tok string) {
		out = append(out, tok)
	})
	return out
}

// Terms returns what the index stores for text: Words, then for every run of
// CJK characters its overlapping character bigrams (济源产 → 济源, 源产), each
// prefixed with BigramPrefix. Bigrams holding a function character (的, 了, 吗,
// 哪 …) or equal to a stopword are skipped. A run of one CJK character yields that character as a
// prefixed term. ASCII tokens keep a number's decimal point and percent sign
// ("8.5%"), drop thousands separators ("1,000" → "1000"), and split from
// adjacent CJK ("2018年" → "2018").
func (t *Tokenizer) Terms(text string) []string {
	out := make([]string, 0, len(text)/2)
	var grams []string
	t.scan(text, func(run string) {
		out = t.appendCJKWords(out, run)
		grams = t.appendBigrams(grams, run)
	}, func(tok string) {
		out = append(out, tok)
	})
	return append(out, grams...)
}

// scan splits text into maximal runs of CJK (Han) characters and ASCII or
// number tokens, calling cjk or ascii for each in order. Everything else
// (punctuation, spaces, symbols) separates tokens.
func (t *Tokenizer) scan(text string, cjk func(run string), ascii func(tok string)) {
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.Is(unicode.Han, r):
			j := i + size
			for j < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[j:])
				if !unicode.Is(unicode.Han, r2) {
					break
				}
				j += s2
			}
			cjk(text[i:j])
			i = j
		case isAlnum(r):
			tok, n := alnumToken(text[i:])
			if tok != "" && !t.stop[tok] {
				ascii(tok)
			}
			i += n
		default:
			i += size
		}
	}
}

func isAlnum(r rune) bool {
	return r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') ||
		r >= utf8.RuneSelf && !unicode.Is(unicode.Han, r) && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// alnumToken reads one letter/digit token from the start of s and returns it
// lower-cased together with the number of bytes consumed. A '.' or ',' between
// digits stays inside the token ("8.5", "1,000" → "1000" when followed by
// exactly three digits), and a '%' right after a digit ends the token.
func alnumToken(s string) (string, int) {
	var b strings.Builder
	i := 0
	copyNeeded := false
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case isAlnum(r):
			i += size
			continue
		case r == '.' && i > 0 && isDigit(s[i-1]) && i+1 < len(s) && isDigit(s[i+1]):
			i++
			continue
		case r == ',' && i > 0 && isDigit(s[i-1]) && thousandsGroup(s[i+1:]):
			copyNeeded = true
			i++
			continue
		case r == '%' && i > 0 && isDigit(s[i-1]):
			i++
		}
		break
	}
	tok := s[:i]
	if copyNeeded {
		b.Grow(len(tok))
		for k := 0; k < len(tok); k++ {
			if tok[k] != ',' {
				b.WriteByte(tok[k])
			}
		}
		tok = b.String()
	}
	return lowerASCII(tok), i
}

// thousandsGroup reports whether s starts with exactly three digits.
func thousandsGroup(s string) bool {
	return len(s) >= 3 && isDigit(s[0]) && isDigit(s[1]) && isDigit(s[2]) && (len(s) == 3 || !isDigit(s[3]))
}

func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}

// appendCJKWords segments one run of CJK characters with gse's algorithm
// and dictionary and appends the kept words to out.
//
// The words of recent runs are remembered (per pooled segmenter), since a
// chunk's text is segmented for the lexical index and again for its vectors.
func (t *Tokenizer) appendCJKWords(out []string, run string) []string {
	sg := t.getSegmenter()
	defer segPool.Put(sg)
	if ws, ok := sg.memo[run]; ok {
		return append(out, ws...)
	}
	if sg.memo == nil || len(sg.memo) >= memoRuns {
		sg.memo = make(map[string][]string, memoRuns)
	}
	run = strings.Clone(run) // words are substrings of it and are kept
	start := len(out)
	out = t.segmentWords(out, sg, run)
	sg.memo[run] = slices.Clip(slices.Clone(out[start:]))
	return out
}

// memoRuns bounds the runs a segmenter remembers.
const memoRuns = 4096

func (t *Tokenizer) segmentWords(out []string, sg *segmenter, run string) []string {
	segs := sg.segment(run, false)
	pending := -1 // start byte of a group of single-character segments, or -1
	pendingEnd := 0
	flush := func() {
		if pending < 0 {
			return
		}
		if w := run[pending:pendingEnd]; utf8.RuneCountInString(w) > 1 && !t.stop[w] {
			out = append(out, w)
		}
		pending = -1
	}
	for i := range segs {
		s := &segs[i]
		w := run[s.start:s.end]
		if utf8.RuneCountInString(w) == 1 {
			if t.stop[w] {
				flush()
				continue
			}
			if pending < 0 {
				pending = s.start
			}
			pendingEnd = s.end
			continue
		}
		flush()
		if t.stop[w] {
			continue
		}
		if utf8.RuneCountInString(w) >= 3 && s.word != pseudo {
			out = t.appendSubWords(out, sg.sub(), w)
		}
		out = append(out, w)
	}
	flush()
	return out
}

// appendSubWords appends the dictionary sub-words gse records for a word
// (depth first, two or more characters, no stopwords).
func (t *Tokenizer) appendSubWords(out []string, sg *segmenter, w string) []string {
	for _, sub := range sg.subWords(nil, w) {
		sw := w[sub.start:sub.end]
		if utf8.RuneCountInString(sw) < 2 {
			continue
		}
		if utf8.RuneCountInString(sw) >= 3 && sub.word != pseudo {
			out = t.appendSubWords(out, sg, sw)
		}
		if !t.stop[sw] {
			out = append(out, sw)
		}
	}
	return out
}

func (t *Tokenizer) getSegmenter() *segmenter {
	sg := segPool.Get().(*segmenter)
	sg.d = t.dict
	return sg
}

// appendBigrams appends the prefixed character bigrams of a CJK run, or the
// single prefixed character of a one-character run.
func (t *Tokenizer) appendBigrams(out []string, run string) []string {
	r0, s0 := utf8.DecodeRuneInString(run)
	if s0 == len(run) {
		if !t.stopChars[r0] {
			out = append(out, BigramPrefix+run)
		}
		return out
	}
	prev, prevStart := r0, 0
	for i := s0; i < len(run); {
		r, size := utf8.DecodeRuneInString(run[i:])
		if g := run[prevStart : i+size]; !t.stopChars[prev] && !t.stopChars[r] && !t.stop[g] {
			out = append(out, BigramPrefix+g)
		}
		prev, prevStart = r, i
		i += size
	}
	return out
}
