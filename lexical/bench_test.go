package lexical

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// BenchmarkNewTokenizer measures loading gse's embedded dictionary and the
// heap it keeps (heap-MB).
func BenchmarkNewTokenizer(b *testing.B) {
	var keep *Tokenizer
	var before, after runtime.MemStats
	for b.Loop() {
		keep = nil
		runtime.GC()
		runtime.ReadMemStats(&before)
		tk, err := NewTokenizer()
		if err != nil {
			b.Fatal(err)
		}
		keep = tk
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "heap-MB")
	runtime.KeepAlive(keep)
}

func seedFile(b *testing.B) string {
	raw, err := os.ReadFile(filepath.Join("..", "seeds", simplifiedSeeds[0]))
	if err != nil {
		b.Fatal(err)
	}
	return strings.ToLower(string(raw))
}

// BenchmarkTerms tokenizes a whole seed file (about 40 KB of mostly CJK
// text) and reports the cost per KB.
func BenchmarkTerms(b *testing.B) {
	tk := tokenizer(b)
	text := seedFile(b)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		tk.Terms(text)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(float64(len(text))/1024), "ns/KB")
}

// BenchmarkWords is BenchmarkTerms without the bigrams, as used for queries.
func BenchmarkWords(b *testing.B) {
	tk := tokenizer(b)
	text := seedFile(b)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		tk.Words(text)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(float64(len(text))/1024), "ns/KB")
}

// syntheticDocs makes n chunk-sized documents from the seed pieces: document
// i is piece i mod P with every term whose position hashes to 0 mod 7
// replaced by a variant term of one of 5000 families, so copies differ and
// rare terms exist at every scale.
func syntheticDocs(b *testing.B, n int) []Doc {
	tk := tokenizer(b)
	paras := seedParagraphs(b)
	base := make([][]string, len(paras))
	for i, p := range paras {
		base[i] = tk.Terms(strings.ToLower(p.text))
	}
	docs := make([]Doc, n)
	for i := range docs {
		src := base[i%len(base)]
		terms := make([]string, len(src))
		for j, t := range src {
			if (i*31+j*17)%7 == 0 {
				t = fmt.Sprintf("%s#%d", t, (i*13+j)%5000)
			}
			terms[j] = t
		}
		docs[i] = Doc{ID: fmt.Sprintf("%016x", uint64(i)*0x9E3779B97F4A7C15), Terms: terms}
	}
	return docs
}

var benchQueries = []string{
	"示范区下面设了几个片区管理办公室，分别管哪里？",
	"济源是哪一年由县改市的，当时经谁批准？",
	"有色、钢铁、化工三大传统产业分别往哪个方向延链补链？",
	"2018年全市生产总值增长多少",
	"机构改革以后党委和政府部门一共多少个",
	"营商环境方面有哪些具体措施",
}

// BenchmarkSearch runs question-shaped queries (their Terms: words and
// bigrams, about 25-50 terms each) against synthetic indexes of 20k and 200k
// documents; the setup logs build time, postings and encoded size.
func BenchmarkSearch(b *testing.B) {
	tk := tokenizer(b)
	queries := make([][]string, len(benchQueries))
	for i, q := range benchQueries {
		queries[i] = tk.Terms(q)
	}
	for _, n := range []int{20_000, 200_000} {
		b.Run(fmt.Sprintf("docs=%dk", n/1000), func(b *testing.B) {
			docs := syntheticDocs(b, n)
			start := time.Now()
			ix := Build(docs, Options{})
			built := time.Since(start)
			docs = nil
			var buf bytes.Buffer
			if err := ix.Encode(&buf); err != nil {
				b.Fatal(err)
			}
			b.Logf("%d docs, %d terms, %d postings, built in %v, encoded %.1f MB",
				ix.Len(), len(ix.terms), len(ix.docs), built.Round(time.Millisecond), float64(buf.Len())/(1<<20))
			buf = bytes.Buffer{}
			b.ReportAllocs()
			b.ResetTimer()
			i := 0
			for b.Loop() {
				ix.Search(queries[i%len(queries)], 10)
				i++
			}
		})
	}
}

// BenchmarkDecode measures loading a 20k-document index.
func BenchmarkDecode(b *testing.B) {
	var buf bytes.Buffer
	if err := Build(syntheticDocs(b, 20_000), Options{}).Encode(&buf); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(bytes.NewReader(buf.Bytes())); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuild indexes 20k synthetic documents (about 3.7M postings).
func BenchmarkBuild(b *testing.B) {
	docs := syntheticDocs(b, 20_000)
	b.ReportAllocs()
	for b.Loop() {
		Build(docs, Options{})
	}
}

// BenchmarkLoadDictionary measures decoding the embedded dictionary, which NewTokenizer does once per process.
func BenchmarkLoadDictionary(b *testing.B) {
	for b.Loop() {
		if _, err := decodeDictionary(zhDict); err != nil {
			b.Fatal(err)
		}
	}
}
