package lexical

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
)

func ids(hits []Hit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.ID
	}
	return out
}

// filler returns n documents that hold term once among unrelated terms, to
// give term a document frequency.
func filler(prefix, term string, n int) []Doc {
	out := make([]Doc, n)
	for i := range out {
		out[i] = Doc{ID: fmt.Sprintf("%s%02d", prefix, i), Terms: []string{term, "x", "y", "z"}}
	}
	return out
}

func TestSearchRanking(t *testing.T) {
	tests := []struct {
		name  string
		docs  []Doc
		opt   Options
		query []string
		want  []string // expected order of the first hits
	}{
		{
			name: "a document matching the rarer term ranks above one matching a common term",
			docs: append([]Doc{
				{ID: "common", Terms: []string{"改革", "a", "b", "c"}},
				{ID: "rare", Terms: []string{"虎岭", "a", "b", "c"}},
			}, filler("f", "改革", 20)...),
			query: []string{"改革", "虎岭"},
			want:  []string{"rare", "common"},
		},
		{
			name: "a shorter document ranks above a longer one with the same match",
			docs: append([]Doc{
				{ID: "long", Terms: []string{"虎岭", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"}},
				{ID: "short", Terms: []string{"虎岭", "a", "b"}},
			}, filler("f", "q", 5)...),
			query: []string{"虎岭"},
			want:  []string{"short", "long"},
		},
		{
			name: "with length normalization off the longer document only ties and loses on ID",
			docs: append([]Doc{
				{ID: "a-long", Terms: []string{"虎岭", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"}},
				{ID: "b-short", Terms: []string{"虎岭", "a", "b"}},
			}, filler("f", "q", 5)...),
			opt:   Options{B: -1},
			query: []string{"虎岭"},
			want:  []string{"a-long", "b-short"},
		},
		{
			name: "more occurrences of the term rank higher",
			docs: append([]Doc{
				{ID: "once", Terms: []string{"玉川", "a", "b", "c"}},
				{ID: "twice", Terms: []string{"玉川", "玉川", "b", "c"}},
			}, filler("f", "q", 5)...),
			query: []string{"玉川"},
			want:  []string{"twice", "once"},
		},
		{
			name: "a repeated query term outweighs a single one of equal rarity",
			docs: append([]Doc{
				{ID: "a", Terms: []string{"玉川", "p", "q", "r"}},
				{ID: "b", Terms: []string{"虎岭", "p", "q", "r"}},
			}, filler("f", "q", 5)...),
			query: []string{"玉川", "虎岭", "虎岭"},
			want:  []string{"b", "a"},
		},
		{
			name: "equal scores are ordered by ID",
			docs: append([]Doc{
				{ID: "c", Terms: []string{"玉川"}},
				{ID: "a", Terms: []string{"玉川"}},
				{ID: "b", Terms: []string{"玉川"}},
			}, filler("f", "q", 5)...),
			query: []string{"玉川"},
			want:  []string{"a", "b", "c"},
		},
		{
			name: "a word match outweighs an equally rare bigram match when bigrams weigh less",
			docs: append([]Doc{
				{ID: "a-bigram", Terms: []string{"~玉川", "p"}},
				{ID: "b-word", Terms: []string{"玉川", "p"}},
			}, filler("f", "q", 5)...),
			opt:   Options{BigramWeight: 0.5},
			query: []string{"玉川", "~玉川"},
			want:  []string{"b-word", "a-bigram"},
		},
		{
			name: "an equally rare word and bigram tie by default and the ID decides",
			docs: append([]Doc{
				{ID: "a-bigram", Terms: []string{"~玉川", "p"}},
				{ID: "b-word", Terms: []string{"玉川", "p"}},
			}, filler("f", "q", 5)...),
			query: []string{"玉川", "~玉川"},
			want:  []string{"a-bigram", "b-word"},
		},
		{
			name: "a bigram weight above one ranks the bigram match first",
			docs: append([]Doc{
				{ID: "a-word", Terms: []string{"玉川", "p"}},
				{ID: "b-bigram", Terms: []string{"~玉川", "p"}},
			}, filler("f", "q", 5)...),
			opt:   Options{BigramWeight: 2},
			query: []string{"玉川", "~玉川"},
			want:  []string{"b-bigram", "a-word"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits := Build(tt.docs, tt.opt).Search(tt.query, len(tt.want))
			if got := ids(hits); !slices.Equal(got, tt.want) {
				t.Errorf("Search(%q) = %v, want %v", tt.query, hits, tt.want)
			}
		})
	}
}

func TestSearchEdgeCases(t *testing.T) {
	ix := Build([]Doc{{ID: "a", Terms: []string{"玉川"}}, {ID: "b", Terms: []string{"虎岭"}}}, Options{})
	tests := []struct {
		name  string
		query []string
		k     int
		want  []string
	}{
		{"k of zero returns nothing", []string{"玉川"}, 0, nil},
		{"negative k returns nothing", []string{"玉川"}, -3, nil},
		{"an empty query returns nothing", nil, 5, nil},
		{"unknown terms return nothing", []string{"济源"}, 5, nil},
		{"k larger than the matches returns only matches", []string{"玉川", "虎岭"}, 10, []string{"a", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ids(ix.Search(tt.query, tt.k)); !slices.Equal(got, tt.want) && len(got)+len(tt.want) > 0 {
				t.Errorf("Search(%q, %d) = %q, want %q", tt.query, tt.k, got, tt.want)
			}
		})
	}
	t.Run("an empty index returns nothing", func(t *testing.T) {
		if got := Build(nil, Options{}).Search([]string{"玉川"}, 3); got != nil {
			t.Errorf("Search on empty index = %v, want nil", got)
		}
	})
}

func TestSearchWeightedMatchesRepeatedTerms(t *testing.T) {
	ix := Build(randomDocs(rand.New(rand.NewPCG(1, 2)), 300, 40), Options{})
	got := ix.SearchWeighted(map[string]float64{"t1": 2, "t7": 1, "t30": 3, "absent": 5, "t2": 0}, 20)
	want := ix.Search([]string{"t30", "t1", "t7", "t30", "t1", "t30"}, 20)
	if !slices.Equal(got, want) {
		t.Errorf("SearchWeighted = %v, want %v", got, want)
	}
}

func TestDFAndIDF(t *testing.T) {
	ix := Build(append([]Doc{{ID: "r", Terms: []string{"rare", "common"}}}, filler("f", "common", 9)...), Options{})
	if got := ix.Len(); got != 10 {
		t.Errorf("Len = %d, want 10", got)
	}
	for _, tt := range []struct {
		term string
		df   int
	}{{"rare", 1}, {"common", 10}, {"absent", 0}} {
		if got := ix.DF(tt.term); got != tt.df {
			t.Errorf("DF(%q) = %d, want %d", tt.term, got, tt.df)
		}
		if got, want := ix.IDF(tt.term), math.Log(1+(10-float64(tt.df)+0.5)/(float64(tt.df)+0.5)); math.Abs(got-want) > 1e-12 {
			t.Errorf("IDF(%q) = %v, want %v", tt.term, got, want)
		}
	}
	if !(ix.IDF("absent") > ix.IDF("rare") && ix.IDF("rare") > ix.IDF("common") && ix.IDF("common") > 0) {
		t.Errorf("IDF absent %v, rare %v, common %v: want strictly decreasing and positive",
			ix.IDF("absent"), ix.IDF("rare"), ix.IDF("common"))
	}
}

// randomDocs makes n documents of up to maxLen terms drawn from a skewed
// vocabulary t0, t1, … so that some terms are common and most are rare.
func randomDocs(r *rand.Rand, n, maxLen int) []Doc {
	docs := make([]Doc, n)
	for i := range docs {
		terms := make([]string, 1+r.IntN(maxLen))
		for j := range terms {
			v := int(math.Exp(r.Float64() * 6)) // 1..403, skewed to small
			if r.IntN(4) == 0 {
				terms[j] = fmt.Sprintf("%st%d", BigramPrefix, v)
			} else {
				terms[j] = fmt.Sprintf("t%d", v)
			}
		}
		docs[i] = Doc{ID: fmt.Sprintf("d%04d", r.IntN(n*4)), Terms: terms} // IDs may repeat
	}
	return docs
}

// bruteForce scores every document directly from the BM25 formula.
func bruteForce(docs []Doc, opt Options, query map[string]float64, k int) []Hit {
	opt = opt.withDefaults()
	df := map[string]int{}
	var total float64
	for _, d := range docs {
		seen := map[string]bool{}
		for _, t := range d.Terms {
			if !seen[t] {
				seen[t] = true
				df[t]++
			}
		}
		total += float64(len(d.Terms))
	}
	avg := total / float64(len(docs))
	var hits []Hit
	for _, d := range docs {
		tf := map[string]float64{}
		for _, t := range d.Terms {
			tf[t]++
		}
		var s float64
		for t, w := range query {
			if tf[t] == 0 {
				continue
			}
			norm := opt.K1 * (1 - opt.B + opt.B*float64(len(d.Terms))/avg)
			x := w * idf(len(docs), df[t]) * tf[t] * (opt.K1 + 1) / (tf[t] + norm)
			if strings.HasPrefix(t, BigramPrefix) {
				x *= opt.BigramWeight
			}
			s += x
		}
		if s > 0 {
			hits = append(hits, Hit{ID: d.ID, Score: s})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].Score != hits[j].Score {
			return hits[i].Score > hits[j].Score
		}
		return hits[i].ID < hits[j].ID
	})
	return hits[:min(k, len(hits))]
}

func TestSearchAgreesWithBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for round := range 20 {
		docs := randomDocs(r, 50+r.IntN(400), 60)
		opt := Options{K1: 0.5 + r.Float64()*2, B: 0.1 + r.Float64()*0.9, BigramWeight: 0.2 + r.Float64()*2}
		ix := Build(docs, opt)
		q := map[string]float64{}
		for range 1 + r.IntN(6) {
			q[docs[r.IntN(len(docs))].Terms[0]] += 1 + float64(r.IntN(3))
		}
		k := 1 + r.IntN(15)
		got, want := ix.SearchWeighted(q, k), bruteForce(docs, opt, q, k)
		if len(got) != len(want) {
			t.Fatalf("round %d: got %d hits, want %d", round, len(got), len(want))
		}
		for i := range got {
			// Scores match to float32 precision of the stored length norm;
			// compare IDs only where the brute-force scores are well apart.
			if math.Abs(got[i].Score-want[i].Score) > 1e-5*want[i].Score {
				t.Fatalf("round %d: hit %d score %v, want %v", round, i, got[i].Score, want[i].Score)
			}
			if got[i].ID != want[i].ID && (i+1 >= len(want) || want[i].Score-want[i+1].Score > 1e-4) && (i == 0 || want[i-1].Score-want[i].Score > 1e-4) {
				t.Fatalf("round %d: hit %d = %v, want %v", round, i, got[i], want[i])
			}
		}
	}
}

func TestBuildIsDeterministic(t *testing.T) {
	docs := randomDocs(rand.New(rand.NewPCG(3, 4)), 500, 80)
	var a, b bytes.Buffer
	if err := Build(docs, Options{}).Encode(&a); err != nil {
		t.Fatal(err)
	}
	if err := Build(docs, Options{}).Encode(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Errorf("two builds of the same documents encode differently (%d vs %d bytes)", a.Len(), b.Len())
	}
}

func TestOptionsDefaults(t *testing.T) {
	got := Build(nil, Options{}).Options()
	want := Options{K1: DefaultK1, B: DefaultB, BigramWeight: DefaultBigramWeight}
	if got != want {
		t.Errorf("Options() = %+v, want %+v", got, want)
	}
}

func TestConcurrentSearch(t *testing.T) {
	docs := randomDocs(rand.New(rand.NewPCG(5, 6)), 2000, 50)
	ix := Build(docs, Options{})
	queries := make([][]string, 50)
	want := make([][]Hit, len(queries))
	for i := range queries {
		queries[i] = docs[i*7].Terms[:min(4, len(docs[i*7].Terms))]
		want[i] = ix.Search(queries[i], 10)
	}
	done := make(chan error)
	for g := 0; g < 8; g++ {
		go func() {
			for i := range queries {
				if got := ix.Search(queries[i], 10); !slices.Equal(got, want[i]) {
					done <- fmt.Errorf("query %d: got %v, want %v", i, got, want[i])
					return
				}
			}
			done <- nil
		}()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
