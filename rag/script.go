package rag

import (
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/liuzl/gocc"

	"policybot/fold"
)

// Scripts an extractive answer's text is shown in (Options.Script).
const (
	// ScriptSimplified converts quoted traditional-script sentences to
	// simplified script, word by word; citations and passages keep the
	// original text.
	ScriptSimplified = "simplified"
	// ScriptOriginal quotes every sentence in its document's own script.
	ScriptOriginal = "original"
)

// ConvertedLabel opens an extractive answer in which some quoted sentence
// was converted to simplified script: the reader sees document content,
// but not the original characters.
const ConvertedLabel = "以下为文件内容摘录（已转为简体）："

// FallbackConvertedLabel is FallbackLabel for an answer with converted sentences.
const FallbackConvertedLabel = "（模型暂时不可用，以下为文件内容摘录，已转为简体）"

// simplifier converts traditional-script text to simplified script with
// OpenCC's phrase and character dictionaries (t2s), so that words decide
// ambiguous characters (頭髮 → 头发, 發展 → 发展, 乾燥 → 干燥, 乾隆 stays).
// The dictionaries are loaded on the first sentence that holds a
// traditional character, once; the zero value is ready to use and safe for
// concurrent use.
type simplifier struct {
	once sync.Once
	cc   *gocc.OpenCC
	err  error
}

// convert returns text with each sentence that holds a traditional
// character converted to simplified script, and whether any sentence
// changed. Sentences without one are kept byte for byte, so a
// simplified-script quote is never touched. If the dictionaries cannot be
// loaded, text is returned unchanged with the error.
func (s *simplifier) convert(text string) (string, bool, error) {
	var b strings.Builder
	changed := false
	for _, sent := range sentences(text) {
		if !hasTraditional(sent) {
			b.WriteString(sent)
			continue
		}
		s.once.Do(func() { s.cc, s.err = gocc.New("t2s") })
		if s.err != nil {
			return text, false, s.err
		}
		out, err := s.cc.Convert(sent)
		if err != nil {
			return text, false, err
		}
		out = zhe(out)
		changed = changed || out != sent
		b.WriteString(out)
	}
	return b.String(), changed, nil
}

// sentences cuts text after each sentence end and line break; the pieces
// joined give text back.
func sentences(text string) []string {
	var out []string
	start := 0
	for i, r := range text {
		switch r {
		case '。', '！', '？', '；', '\n':
			end := i + utf8.RuneLen(r)
			out = append(out, text[start:end])
			start = end
		}
	}
	if start < len(text) {
		out = append(out, text[start:])
	}
	return out
}

// hasTraditional reports whether s holds a character written only in
// traditional script. 著 does not count: simplified text uses it too (显著,
// and 着 written 著 in text converted from traditional), so a sentence of
// simplified text that holds it is kept as written.
func hasTraditional(s string) bool {
	for _, r := range s {
		if r != '著' && fold.IsTraditional(r) {
			return true
		}
	}
	return false
}

// zhe fixes 著 left by OpenCC's t2s tables, which keep it everywhere: in
// simplified script it stays only in words read zhù (显著, 著名, 名著 …);
// as the particle and in 着力, 着手, 随着, 意味着 it is 着. Text comes from
// the converter, so its other characters are simplified already.
func zhe(s string) string {
	if !strings.ContainsRune(s, '著') {
		return s
	}
	rs := []rune(s)
	for i, r := range rs {
		if r != '著' {
			continue
		}
		if i > 0 && strings.ContainsRune(zhuAfter, rs[i-1]) || i+1 < len(rs) && strings.ContainsRune(zhuBefore, rs[i+1]) {
			continue
		}
		rs[i] = '着'
	}
	return string(rs)
}

// zhuAfter holds the characters X of the words X著 read zhù (显著, 名著);
// zhuBefore the characters Y of the words 著Y (著名, 著作).
const (
	zhuAfter  = "显卓昭名原专编论巨遗拙合译撰新土所"
	zhuBefore = "名作称述书录者"
)
