package embed

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"os"
	"strings"
	"sync"
	"testing"

	"policybot/lexical"
)

// loadTokenizer builds the gse-backed tokenizer once for all tests: it takes
// about a second and a lot of heap.
var loadTokenizer = sync.OnceValues(lexical.NewTokenizer)

func testBuiltin(tb testing.TB) *Builtin {
	tb.Helper()
	tok, err := loadTokenizer()
	if err != nil {
		tb.Fatalf("lexical.NewTokenizer: %v", err)
	}
	return NewBuiltin(nil, tok)
}

func embedOne(t *testing.T, b *Builtin, text string) []float32 {
	t.Helper()
	vs, err := b.Embed(context.Background(), []string{text})
	if err != nil {
		t.Fatalf("Embed(%q): %v", text, err)
	}
	if len(vs) != 1 {
		t.Fatalf("Embed of one text: got %d vectors", len(vs))
	}
	return vs[0]
}

func norm(v []float32) float64 {
	var n float64
	for _, x := range v {
		n += float64(x) * float64(x)
	}
	return math.Sqrt(n)
}

func cosine(a, b []float32) float64 {
	var d float64
	for i := range a {
		d += float64(a[i]) * float64(b[i])
	}
	return d / (norm(a) * norm(b))
}

func TestBuiltinVectorsAreUnitLengthAndDeterministic(t *testing.T) {
	b := testBuiltin(t)
	tests := []struct {
		name string
		text string
	}{
		{"a Chinese sentence", "2018年全市生产总值完成641.8亿元，增长8.5%。"},
		{"a question with Latin letters", "18年GDP是多少"},
		{"an empty text", ""},
		{"white space only", " \n\t　"},
		{"punctuation only", "。，、！？"},
		{"function characters only", "的了和是在"},
		{"a long passage", strings.Repeat("推进济源国家产城融合示范区建设，", 60)},
	}
	for _, tc := range tests {
		t.Run(tc.name+" gets a unit vector, the same every time", func(t *testing.T) {
			v := embedOne(t, b, tc.text)
			if len(v) != BuiltinDim {
				t.Fatalf("got %d dimensions, want %d", len(v), BuiltinDim)
			}
			for i, x := range v {
				if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
					t.Fatalf("component %d is %v", i, x)
				}
			}
			if n := norm(v); math.Abs(n-1) > 1e-5 {
				t.Errorf("got norm %v, want 1", n)
			}
			again := embedOne(t, testBuiltin(t), tc.text)
			for i := range v {
				if v[i] != again[i] {
					t.Fatalf("component %d: got %v then %v from a second embedder", i, v[i], again[i])
				}
			}
		})
	}
}

func TestBuiltinEmbedsABatchInOrder(t *testing.T) {
	b := testBuiltin(t)
	texts := []string{"济源示范区", "", "生产总值增长8.5%"}
	vs, err := b.Embed(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != len(texts) {
		t.Fatalf("got %d vectors for %d texts", len(vs), len(texts))
	}
	for i, text := range texts {
		t.Run(fmt.Sprintf("text %d of the batch equals its single embedding", i), func(t *testing.T) {
			if c := cosine(vs[i], embedOne(t, b, text)); c < 1-1e-6 {
				t.Errorf("got cosine %v with the single embedding, want 1", c)
			}
		})
	}
}

func TestBuiltinRanksTheRelatedPassageHigher(t *testing.T) {
	b := testBuiltin(t)
	tests := []struct {
		name      string
		question  string
		related   string
		unrelated string
	}{
		{"GDP in a two-digit year matches 生产总值 in a four-digit year",
			"18年GDP是多少", "2018年全市生产总值完成641.8亿元", "加强黄河流域生态保护和环境治理工作"},
		{"a question about the founding year matches the passage that gives it",
			"济源是哪一年撤县建市的", "1988年经国务院批准济源撤县建市", "全面推进乡村振兴和农村人居环境整治"},
		{"a question about growth matches 增长 in the passage",
			"一般公共预算收入增速", "一般公共预算收入完成48.6亿元，增长9.1%", "深化放管服改革持续优化营商环境建设"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := embedOne(t, b, tc.question)
			rel, unrel := cosine(q, embedOne(t, b, tc.related)), cosine(q, embedOne(t, b, tc.unrelated))
			if rel <= unrel {
				t.Errorf("got cosine %.3f with %q, not above %.3f with %q", rel, tc.related, unrel, tc.unrelated)
			}
		})
	}
}

func TestBuiltinFoldsSpellingsBeforeEmbedding(t *testing.T) {
	b := testBuiltin(t)
	tests := []struct {
		name      string
		a, b      string
		identical bool
	}{
		{"traditional and simplified spellings embed identically", "2019年濟源市政府工作報告", "2019年济源市政府工作报告", true},
		{"a traditional sentence with punctuation embeds like its simplified form", "堅持創新驅動發展，實現經濟轉型。", "坚持创新驱动发展，实现经济转型。", true},
		{"full-width digits and letters embed like half-width ones", "２０１８年ＧＤＰ", "2018年gdp", true},
		{"different sentences do not embed identically", "济源市政府工作报告", "洛阳市政法工作报告", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			va, vb := embedOne(t, b, tc.a), embedOne(t, b, tc.b)
			same := true
			for i := range va {
				if va[i] != vb[i] {
					same = false
					break
				}
			}
			if same != tc.identical {
				t.Errorf("%q vs %q: got identical=%v (cosine %.4f), want %v", tc.a, tc.b, same, cosine(va, vb), tc.identical)
			}
		})
	}
}

func TestBuiltinEmbedStopsOnACancelledContext(t *testing.T) {
	b := testBuiltin(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	vs, err := b.Embed(ctx, []string{"济源示范区", "生产总值"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got error %v, want context.Canceled", err)
	}
	if vs != nil {
		t.Errorf("got %d vectors with the error, want none", len(vs))
	}
	if vs, err := b.Embed(ctx, nil); err != nil || len(vs) != 0 {
		t.Errorf("embedding no texts: got %d vectors and %v, want none and no error", len(vs), err)
	}
}

// fingerprint is a hash of a vector rounded to four decimals, so that the
// fingerprint changes when the features change and not on rounding noise.
func fingerprint(v []float32) uint64 {
	h := fnv.New64a()
	for _, x := range v {
		fmt.Fprintf(h, "%.4f,", x)
	}
	return h.Sum64()
}

func TestBuiltinNameIsStableAndTiedToTheFeatures(t *testing.T) {
	tok, err := loadTokenizer()
	if err != nil {
		t.Fatal(err)
	}
	a, b := NewBuiltin(nil, tok), testBuiltin(t)
	t.Run("two embedders report the same non-empty name", func(t *testing.T) {
		if a.Name() == "" || a.Name() != b.Name() || a.Name() != a.Name() {
			t.Errorf("got names %q and %q, want one stable non-empty name", a.Name(), b.Name())
		}
	})
	t.Run("the vectors of a fixed text are the ones recorded for this name", func(t *testing.T) {
		// Changing the features must change Name (old indexes are rebuilt);
		// if this fails, bump the version in Name and record the new values.
		recorded := map[string]uint64{"builtin-hash-v2-8f0da732": 0x54befcac4e943ec4}
		got := fingerprint(embedOne(t, a, "2018年济源市生产总值完成641.8亿元，增长8.5%。"))
		want, ok := recorded[a.Name()]
		if !ok {
			t.Fatalf("no fingerprint recorded for name %q; got %#x", a.Name(), got)
		}
		if got != want {
			t.Errorf("name %q: got fingerprint %#x, want %#x", a.Name(), got, want)
		}
	})
}

// BenchmarkBuiltinEmbed measures embedding one 400-character chunk of a
// seed document.
func BenchmarkBuiltinEmbed(bm *testing.B) {
	b := testBuiltin(bm)
	raw, err := os.ReadFile("../seeds/002_6b19721ce7bbca47.txt")
	if err != nil {
		bm.Fatal(err)
	}
	rs := []rune(string(raw))
	if len(rs) < 1400 {
		bm.Fatalf("seed file has only %d characters", len(rs))
	}
	chunk := []string{string(rs[1000:1400])}
	ctx := context.Background()
	bm.ReportAllocs()
	for bm.Loop() {
		if _, err := b.Embed(ctx, chunk); err != nil {
			bm.Fatal(err)
		}
	}
}
