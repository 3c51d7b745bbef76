package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
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

func TestBenchCommandPrintsTheFigures(t *testing.T) {
	root, err := testengine.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	queries := filepath.Join(dir, "q.txt")
	writeFile(t, queries, "济源是哪一年撤县建市的？\n源城区今后五年的工作重点是什么？\n")
	var out, errOut bytes.Buffer
	args := []string{"bench", "--n", "10", "--parallel", "2", "--queries", queries,
		"--corpus", filepath.Join(root, "seeds"), "--index", filepath.Join(dir, "index")}
	if err := run(context.Background(), args, strings.NewReader(""), &out, &errOut, envFunc(nil)); err != nil {
		t.Fatalf("bench: %v\n%s", err, errOut.String())
	}
	got := out.String()
	for _, re := range []string{
		`10 answers over 2 questions from .*q\.txt \(extractive, hybrid retrieval, \d+ chunks\)`,
		`index open \(cold load of the files\)\s+\d+\.\d\d ms`,
		`heap in use after load\s+\d+\.\d MiB`,
		`answer, one at a time\s+\d+\.\d\d ms\s+\d+\.\d\d ms\s+\d+\.\d\d ms\s+\d+\.\d\d ms`,
		`retrieval only\s+\d+\.\d\d ms`,
		`throughput, 2 at a time\s+\d+\.\d answers/s`,
	} {
		if !regexp.MustCompile(re).MatchString(got) {
			t.Errorf("output does not match %q:\n%s", re, got)
		}
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
}
