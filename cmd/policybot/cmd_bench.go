package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"policybot/index"
	"policybot/rag"
)

// defaultBenchQueries is where bench takes its questions from when no
// --queries file is given and the file exists (the development set).
const defaultBenchQueries = "../shared/eval/dev.jsonl"

// builtinBenchQuestions are used when there is no question file.
var builtinBenchQuestions = []string{
	"济源是哪一年撤县建市的？",
	"济源产城融合示范区的总体方案提出了哪些发展目标？",
	"源城区今后五年的工作重点是什么？",
	"2019年济源市地区生产总值预期增长多少？",
	"示范区机构改革后设置了多少个党政机构？",
	"洛阳副中心城市建设的目标是什么？",
	"济源示范区是什么时候成立的？",
	"源城区如何发展现代服务业？",
	"济源的城镇化率目标是多少？",
	"火星基地什么时候建成？",
}

func runBench(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var c common
	c.register(fs)
	c.registerRetrieval(fs)
	n := fs.Int("n", 200, "answers to time, cycling through the questions")
	queries := fs.String("queries", "", "questions: JSON lines with a \"question\" field, or one question a line (default "+defaultBenchQueries+" if present, else 10 built-in questions)")
	parallel := fs.Int("parallel", runtime.GOMAXPROCS(0), "answers computed at once for the throughput figure")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *n < 1 || *parallel < 1 {
		return errors.New("bench: --n and --parallel must be at least 1")
	}
	questions, from, err := benchQuestions(*queries)
	if err != nil {
		return err
	}

	t0 := time.Now()
	a, eng, err := loadEngine(ctx, e, &c)
	if err != nil {
		return err
	}
	startup := time.Since(t0)
	heapLoaded := heapInUse()

	// Cold load: the index files (now surely built) read into a second copy.
	t1 := time.Now()
	ix, err := index.Open(a.cfg.Index)
	if err != nil {
		return err
	}
	openTime := time.Since(t1)
	indexHeap := int64(heapInUse()) - int64(heapLoaded)
	chunks := len(ix.Chunks)
	runtime.KeepAlive(ix)
	ix = nil

	ask := func(i int) (time.Duration, error) {
		start := time.Now()
		_, err := eng.Answer(ctx, rag.Query{Question: questions[i%len(questions)]}, nil)
		return time.Since(start), err
	}
	// Warm up once over the questions (caches, lazy tables), untimed.
	for i := range min(len(questions), *n) {
		if _, err := ask(i); err != nil {
			return fmt.Errorf("bench: %w", err)
		}
	}
	answer := make([]time.Duration, 0, *n)
	seqStart := time.Now()
	for i := range *n {
		d, err := ask(i)
		if err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		answer = append(answer, d)
	}
	seqWall := time.Since(seqStart)

	parWall, err := benchParallel(*n, *parallel, ask)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}

	retrieval, err := benchRetrieval(ctx, eng, questions, *n)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}

	mode := rag.ModeExtractive
	if a.cfg.LLM.BaseURL != "" {
		mode = rag.ModeLLM + " " + a.cfg.LLM.Model
	}
	fmt.Fprintf(e.stdout, "policybot bench: %d answers over %d questions from %s (%s, %s retrieval, %d chunks)\n\n",
		*n, len(questions), from, mode, a.cfg.Retrieval.Mode, chunks)
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "startup (config, dictionary, index, engine)\t%s\t\n", ms(startup))
	fmt.Fprintf(tw, "index open (cold load of the files)\t%s\t\n", ms(openTime))
	fmt.Fprintf(tw, "heap in use after load\t%s\t\n", mib(int64(heapLoaded)))
	fmt.Fprintf(tw, "of which the index (a second copy)\t%s\t\n", mib(indexHeap))
	tw.Flush()
	fmt.Fprintln(e.stdout)
	tw = tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "latency\tp50\tp95\tp99\tmean\t")
	for _, row := range []struct {
		name string
		d    []time.Duration
	}{{"answer, one at a time", answer}, {"retrieval only", retrieval}} {
		s := percentiles(row.d)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\n", row.name, ms(s.p50), ms(s.p95), ms(s.p99), ms(s.mean))
	}
	tw.Flush()
	fmt.Fprintln(e.stdout)
	tw = tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "throughput, one at a time\t%.1f answers/s\t\n", float64(*n)/seqWall.Seconds())
	fmt.Fprintf(tw, "throughput, %d at a time\t%.1f answers/s\t\n", *parallel, float64(*n)/parWall.Seconds())
	tw.Flush()
	fmt.Fprintln(e.stdout, "\nretrieval only = rag.Engine.Retrieve: terms expansion, BM25 and vector search, fusion, sentence reranking.")
	return nil
}

// benchParallel answers n questions with p workers and returns the wall time.
func benchParallel(n, p int, ask func(i int) (time.Duration, error)) (time.Duration, error) {
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, p)
	start := time.Now()
	for w := range p {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				if _, err := ask(i); err != nil {
					errs[w] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	return time.Since(start), errors.Join(errs...)
}

// benchRetrieval times the two retrievers the engine fuses, each question
// folded and searched lexically, then embedded and searched by vector.
func benchRetrieval(ctx context.Context, eng *rag.Engine, questions []string, n int) ([]time.Duration, error) {
	out := make([]time.Duration, 0, n)
	for i := range n {
		start := time.Now()
		if _, err := eng.Retrieve(ctx, questions[i%len(questions)], 0); err != nil {
			return nil, err
		}
		out = append(out, time.Since(start))
	}
	return out, nil
}

// benchQuestions reads the question file, or the default one, or returns
// the built-in questions; it says where they came from.
func benchQuestions(path string) ([]string, string, error) {
	if path == "" {
		if _, err := os.Stat(defaultBenchQueries); err != nil {
			return builtinBenchQuestions, "the built-in list", nil
		}
		path = defaultBenchQueries
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, "", fmt.Errorf("bench: questions: %w", err)
	}
	defer f.Close()
	qs, err := readQuestions(f)
	if err != nil {
		return nil, "", fmt.Errorf("bench: questions %s: %w", path, err)
	}
	return qs, path, nil
}

// readQuestions reads JSON lines with a "question" field, or plain lines,
// one question each; blank lines are skipped.
func readQuestions(r io.Reader) ([]string, error) {
	var qs []string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "":
			continue
		case strings.HasPrefix(line, "{"):
			var item struct {
				Question string `json:"question"`
			}
			if err := json.Unmarshal([]byte(line), &item); err != nil {
				return nil, fmt.Errorf("line %d: %w", n, err)
			}
			if strings.TrimSpace(item.Question) == "" {
				return nil, fmt.Errorf("line %d: no question", n)
			}
			qs = append(qs, strings.TrimSpace(item.Question))
		default:
			qs = append(qs, line)
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, fs.ErrClosed) {
			return nil, err
		}
		return nil, err
	}
	if len(qs) == 0 {
		return nil, errors.New("no questions")
	}
	return qs, nil
}

// stats are latency percentiles (nearest rank) and the mean.
type stats struct{ p50, p95, p99, mean time.Duration }

func percentiles(d []time.Duration) stats {
	if len(d) == 0 {
		return stats{}
	}
	s := slices.Clone(d)
	slices.Sort(s)
	at := func(p int) time.Duration { return s[max(0, (len(s)*p+99)/100-1)] }
	var sum time.Duration
	for _, x := range s {
		sum += x
	}
	return stats{at(50), at(95), at(99), sum / time.Duration(len(s))}
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }
