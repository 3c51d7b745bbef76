package lexical

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/go-ego/gse"

	"policybot/fold"
)

// This file checks that the prebuilt dictionary and segmenter give exactly
// what gse gave: the reference below is the tokenizer as it was on gse.

var (
	refOnce sync.Once
	refSeg  gse.Segmenter
)

func reference(t testing.TB) *gse.Segmenter {
	refOnce.Do(func() {
		refSeg.NotLoadHMM = true
		refSeg.SkipLog = true
		if err := refSeg.LoadDictEmbed("zh_s"); err != nil {
			t.Fatal(err)
		}
	})
	return &refSeg
}

// refTerms is Terms as computed with gse's segmenter.
func refTerms(tk *Tokenizer, seg *gse.Segmenter, text string) []string {
	out := []string{}
	var grams []string
	tk.scan(text, func(run string) {
		out = refCJKWords(tk, seg, out, run)
		grams = tk.appendBigrams(grams, run)
	}, func(tok string) { out = append(out, tok) })
	return append(out, grams...)
}

func refCJKWords(t *Tokenizer, seg *gse.Segmenter, out []string, run string) []string {
	segs := seg.Segment([]byte(run))
	pending, pendingEnd := -1, 0
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
		w := run[s.Start():s.End()]
		if utf8.RuneCountInString(w) == 1 {
			if t.stop[w] {
				flush()
				continue
			}
			if pending < 0 {
				pending = s.Start()
			}
			pendingEnd = s.End()
			continue
		}
		flush()
		if t.stop[w] {
			continue
		}
		if utf8.RuneCountInString(w) >= 3 {
			out = refSubWords(t, out, w, s.Token())
		}
		out = append(out, w)
	}
	flush()
	return out
}

func refSubWords(t *Tokenizer, out []string, w string, tok *gse.Token) []string {
	if tok == nil {
		return out
	}
	for _, sub := range tok.Segments() {
		sw := w[sub.Start():sub.End()]
		if utf8.RuneCountInString(sw) < 2 {
			continue
		}
		if utf8.RuneCountInString(sw) >= 3 {
			out = refSubWords(t, out, sw, sub.Token())
		}
		if !t.stop[sw] {
			out = append(out, sw)
		}
	}
	return out
}

// equivTexts returns the seed files, folded, line by line, and up to limit
// bytes of the real corpus when it is on this machine.
func equivTexts(t *testing.T, limit int) []string {
	var out []string
	add := func(dir string, budget int) {
		files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
		for _, f := range files {
			if budget <= 0 {
				return
			}
			b, err := os.ReadFile(f)
			if err != nil || !utf8.Valid(b) {
				continue
			}
			budget -= len(b)
			for _, line := range strings.Split(string(b), "\n") {
				out = append(out, line, fold.String(line))
			}
		}
	}
	add("../seeds", 1<<30)
	if !testing.Short() {
		add("/work/corpora/real", limit)
	}
	if len(out) == 0 {
		t.Fatal("no texts")
	}
	return out
}

func TestSegmenterEqualsGse(t *testing.T) {
	seg := reference(t)
	tk := newTestTokenizer(t)
	texts := equivTexts(t, 4<<20)
	extra := []string{"4S店", "ABC公司和iPhone", "ｉＰｈｏｎｅ", "中华人民共和国国务院", "2018年GDP增长6.5%", "ひらがなカタカナ漢字", "  ", "", "\xff\xfe坏"}
	texts = append(texts, extra...)
	for _, text := range texts {
		if got, want := tk.Terms(text), refTerms(tk, seg, text); !slices.Equal(got, want) {
			t.Fatalf("Terms(%q):\n got %q\nwant %q", text, got, want)
		}
		var want []Tagged
		for _, p := range seg.Pos(text, false) {
			if w := strings.TrimSpace(p.Text); w != "" {
				want = append(want, Tagged{Text: w, Pos: p.Pos})
			}
		}
		if got := tk.Tag(text); !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Fatalf("Tag(%q):\n got %v\nwant %v", text, got, want)
		}
	}
	for _, text := range texts[:min(len(texts), 2000)] {
		for _, w := range tk.Words(text) {
			f, _, ok := seg.Find(w)
			want := 1.0
			if total := seg.Dict.TotalFreq(); ok && f > 0 {
				want = max(0.05, logRatio(total, f))
			}
			if got := tk.WordWeight(w); got != want {
				t.Fatalf("WordWeight(%q) = %v, want %v", w, got, want)
			}
		}
	}
}

func newTestTokenizer(t testing.TB) *Tokenizer {
	tk, err := NewTokenizer()
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

// logRatio is WordWeight's formula as it was written over gse.
func logRatio(total, f float64) float64 { return math.Log(total/f) / math.Log(total) }
