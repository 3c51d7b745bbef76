package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"policybot/internal/testengine"
	"policybot/rag"
)

func TestReadQuestions(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []string
		wantErr string
	}{
		{"JSON lines give their question field", `{"id":"q1","question":" 济源是哪一年撤县建市的？ ","answers":[["1988"]]}` + "\n\n" + `{"question":"源城区的工作重点？"}`,
			[]string{"济源是哪一年撤县建市的？", "源城区的工作重点？"}, ""},
		{"plain lines are questions", "济源是哪一年撤县建市的？\n  \n源城区的工作重点？\n", []string{"济源是哪一年撤县建市的？", "源城区的工作重点？"}, ""},
		{"a JSON line without a question is an error naming the line", "问题一\n{\"id\":\"x\"}\n", nil, "line 2: no question"},
		{"broken JSON is an error naming the line", "{\"question\":\n", nil, "line 1"},
		{"no questions at all is an error", "\n\n", nil, "no questions"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readQuestions(strings.NewReader(tc.in))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("got error %v, want one with %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestPercentilesUseNearestRank(t *testing.T) {
	var d []time.Duration
	for i := 100; i >= 1; i-- { // unsorted on purpose
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	got := percentiles(d)
	want := stats{50 * time.Millisecond, 95 * time.Millisecond, 99 * time.Millisecond, 50500 * time.Microsecond}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if d[0] != 100*time.Millisecond {
		t.Errorf("percentiles sorted its input in place")
	}
	if one := percentiles([]time.Duration{time.Second}); one.p50 != time.Second || one.p99 != time.Second {
		t.Errorf("got %+v for one sample, want it everywhere", one)
	}
}

// TestMain lets the test binary stand in for policybot when bench runs
// it as a child (ingest, bench-load, ask).
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && !strings.HasPrefix(os.Args[1], "-") {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// benchFields are the names bench --json prints.
var benchFields = []string{"chunks", "corpus_mb", "ingest_mb_per_s", "ingest_peak_rss_mb", "reingest_s", "load_s", "heap_mb",
	"text_mb", "vector_mb", "index_mb", "index_parts_mb", "retrieve_p50_ms", "retrieve_p95_ms", "bm25_p50_ms", "dense_p50_ms",
	"chromem_query_p50_ms", "scan_limit_ms", "ask_p50_ms", "ask_p95_ms", "oneshot_ask_s"}

func runBenchJSON(t *testing.T, extra ...string) map[string]any {
	t.Helper()
	root, err := testengine.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	queries := filepath.Join(dir, "q.txt")
	writeFile(t, queries, "济源是哪一年撤县建市的？\n源城区今后五年的工作重点是什么？\n")
	var out, errOut bytes.Buffer
	args := append([]string{"bench", "--json", "--n", "6", "--oneshot", "1", "--qa", queries,
		"--corpus", filepath.Join(root, "seeds"), "--index", filepath.Join(dir, "index")}, extra...)
	if err := run(context.Background(), args, strings.NewReader(""), &out, &errOut, envFunc(nil)); err != nil {
		t.Fatalf("bench: %v\n%s", err, errOut.String())
	}
	var got map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("bench --json printed %q: %v", out.String(), err)
	}
	return got
}

func TestBenchJSONHasEveryFigure(t *testing.T) {
	got := runBenchJSON(t)
	for _, k := range benchFields {
		v, ok := got[k]
		if !ok {
			t.Errorf("no %q in %v", k, got)
			continue
		}
		if k == "index_parts_mb" {
			parts, _ := v.(map[string]any)
			for _, p := range []string{"vectors", "text", "lexical"} {
				if x, _ := parts[p].(float64); x <= 0 {
					t.Errorf("index_parts_mb.%s = %v, want > 0", p, parts[p])
				}
			}
			continue
		}
		if x, _ := v.(float64); x <= 0 {
			t.Errorf("%s = %v, want > 0", k, v)
		}
	}
	if len(got) != len(benchFields) {
		t.Errorf("got %d fields, want exactly %d", len(got), len(benchFields))
	}
	for _, p := range [][2]string{{"retrieve_p50_ms", "retrieve_p95_ms"}, {"ask_p50_ms", "ask_p95_ms"}} {
		if got[p[0]].(float64) > got[p[1]].(float64) {
			t.Errorf("%s %v > %s %v", p[0], got[p[0]], p[1], got[p[1]])
		}
	}
	if got["heap_mb"].(float64) < got["text_mb"].(float64) {
		t.Errorf("heap %v MB holds less than the text, %v MB", got["heap_mb"], got["text_mb"])
	}
}

func TestBenchSyntheticGrowsTheCorpusToNChunks(t *testing.T) {
	const n = 600
	got := runBenchJSON(t, "--synthetic", strconv.Itoa(n))
	if c := got["chunks"].(float64); c < n*0.9 || c > n*1.1 {
		t.Errorf("got %v chunks, want %d ± 10%%", c, n)
	}
}

func TestBenchCommandRefusesBadFlags(t *testing.T) {
	err := run(context.Background(), []string{"bench", "--n", "0"}, strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{}, envFunc(nil))
	if err == nil || !strings.Contains(err.Error(), "--n") {
		t.Errorf("got %v, want an error naming --n", err)
	}
}

// BenchmarkAskSeeds measures one extractive answer over the seed corpus
// with the built-in embedder, cycling through the built-in questions.
func BenchmarkAskSeeds(b *testing.B) {
	eng := testengine.Seeds(b)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		q := builtinBenchQuestions[i%len(builtinBenchQuestions)]
		i++
		if _, err := eng.Answer(ctx, rag.Query{Question: q}, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAskSeedsParallel measures answers computed on all processors at once.
func BenchmarkAskSeedsParallel(b *testing.B) {
	eng := testengine.Seeds(b)
	ctx := context.Background()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			q := builtinBenchQuestions[i%len(builtinBenchQuestions)]
			i++
			if _, err := eng.Answer(ctx, rag.Query{Question: q}, nil); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	// An hour back, each call to a time of its own, as if written well
	// before the build that reads it (index: Manifest.settled).
	when := time.Now().Add(-time.Hour)
	if err := os.Chtimes(path, when, when); err != nil {
		t.Fatal(err)
	}
}
