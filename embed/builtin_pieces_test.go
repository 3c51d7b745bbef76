package embed

import (
	"context"
	"hash/fnv"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode"

	"policybot/fold"
	"policybot/terms"
)

// refVector is vector as it was, counting each text at once.
func refVector(b *Builtin, text string) []float32 {
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
	return toUnit(v)
}

func TestPiecewiseCountingEqualsWholeText(t *testing.T) {
	b := testBuiltin(t)
	var texts []string
	files, _ := filepath.Glob("../seeds/*.txt")
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s := fold.String(string(raw))
		for len(s) > 0 { // pieces of about a chunk, and their sentences
			n := min(len(s), 1200)
			for n < len(s) && !strings.HasPrefix(s[n:], "。") && n < len(s)-1 {
				n++
			}
			texts = append(texts, s[:n])
			texts = append(texts, strings.SplitAfter(s[:n], "。")...)
			s = s[n:]
		}
	}
	texts = append(texts, "2018年GDP增长6.5%；18年1,000元!是否?", "", "。。", "1,000;000", "a.b.c\n12年")
	got, err := b.Embed(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	for i, text := range texts {
		want := refVector(b, text)
		for j := range want {
			if got[i][j] != want[j] {
				t.Fatalf("text %q: dimension %d is %v, want %v", text, j, got[i][j], want[j])
			}
		}
	}
}
