package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"policybot/fold"
	"policybot/index"
	"policybot/ingest"
	"policybot/rag"
)

// defaultBenchQueries is where bench takes its questions from when no
// --qa file is given and the file exists (the development set).
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

// benchResult is what one bench run measures, all on the same data.
type benchResult struct {
	Chunks          int                `json:"chunks"`
	CorpusMB        float64            `json:"corpus_mb"`
	IngestMBPerS    float64            `json:"ingest_mb_per_s"`
	IngestPeakRSSMB float64            `json:"ingest_peak_rss_mb"`
	ReingestS       float64            `json:"reingest_s"`
	LoadS           float64            `json:"load_s"`
	HeapMB          float64            `json:"heap_mb"`
	TextMB          float64            `json:"text_mb"`
	VectorMB        float64            `json:"vector_mb"`
	IndexMB         float64            `json:"index_mb"`
	IndexPartsMB    map[string]float64 `json:"index_parts_mb"`
	RetrieveP50MS   float64            `json:"retrieve_p50_ms"`
	RetrieveP95MS   float64            `json:"retrieve_p95_ms"`
	BM25P50MS       float64            `json:"bm25_p50_ms"`
	DenseP50MS      float64            `json:"dense_p50_ms"`
	ChromemP50MS    float64            `json:"chromem_query_p50_ms"`
	ScanLimitMS     float64            `json:"scan_limit_ms"`
	AskP50MS        float64            `json:"ask_p50_ms"`
	AskP95MS        float64            `json:"ask_p95_ms"`
	OneshotAskS     float64            `json:"oneshot_ask_s"`
}

// benchLoadResult is what the bench-load child reports.
type benchLoadResult struct {
	LoadS  float64 `json:"load_s"`
	HeapMB float64 `json:"heap_mb"`
}

// processStart is when this process started, as near as Go lets us know.
var processStart = time.Now()

func runBench(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var c common
	c.register(fs)
	c.registerRetrieval(fs)
	n := fs.Int("n", 200, "answers and retrievals to time, cycling through the questions")
	qa := fs.String("qa", "", "questions: JSON lines with a \"question\" field, or one question a line (default "+defaultBenchQueries+" if present, else 10 built-in questions)")
	fs.StringVar(qa, "queries", "", "same as --qa")
	asJSON := fs.Bool("json", false, "print the figures as one JSON object (an array with --sizes)")
	synthetic := fs.Int("synthetic", 0, "grow the corpus to about N chunks by recombining its paragraphs (written to a temporary corpus)")
	sizes := fs.String("sizes", "", "comma-separated chunk counts: one synthetic run per size")
	skipIngest := fs.Bool("skip-ingest", false, "measure the index already built (the ingest figures are left 0)")
	oneshots := fs.Int("oneshot", 3, "whole `policybot ask` processes to run (the best counts); 0 skips them")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *n < 1 {
		return errors.New("bench: --n must be at least 1")
	}
	questions, from, err := benchQuestions(*qa)
	if err != nil {
		return err
	}
	a, err := load(e, &c)
	if err != nil {
		return err
	}
	var counts []int
	if *sizes != "" {
		for _, f := range strings.Split(*sizes, ",") {
			v, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || v < 1 {
				return fmt.Errorf("bench: --sizes: %q is not a chunk count", f)
			}
			counts = append(counts, v)
		}
	} else {
		counts = []int{*synthetic}
	}
	var results []*benchResult
	for _, size := range counts {
		cfg := benchConfig{app: a, common: c, questions: questions, n: *n, oneshots: *oneshots, stderr: e.stderr, getenv: e.getenv, skipIngest: *skipIngest && size == 0}
		cfg.corpus, cfg.index = a.cfg.Corpus, a.cfg.Index
		var cleanup func()
		if size > 0 {
			tmp, err := os.MkdirTemp("", "policybot-bench-")
			if err != nil {
				return err
			}
			cleanup = func() { os.RemoveAll(tmp) }
			cfg.corpus = filepath.Join(tmp, "corpus")
			if *sizes != "" || c.index == "" {
				cfg.index = filepath.Join(tmp, "index")
			}
			fmt.Fprintf(e.stderr, "bench: writing a synthetic corpus of about %d chunks from %s\n", size, a.cfg.Corpus)
			if err := writeSynthetic(a.cfg.Corpus, cfg.corpus, size, a.chunkOptions()); err != nil {
				cleanup()
				return fmt.Errorf("bench: synthetic corpus: %w", err)
			}
		}
		r, err := cfg.run(ctx)
		if cleanup != nil {
			cleanup()
		}
		if err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		results = append(results, r)
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		if *sizes != "" {
			return enc.Encode(results)
		}
		return enc.Encode(results[0])
	}
	for _, r := range results {
		printBench(e.stdout, r, len(questions), from)
	}
	return nil
}

// benchConfig is one bench run over one corpus and index.
type benchConfig struct {
	app           *app
	common        common
	corpus, index string
	questions     []string
	n, oneshots   int
	stderr        io.Writer
	getenv        func(string) string
	skipIngest    bool
}

func (b *benchConfig) run(ctx context.Context) (*benchResult, error) {
	r := &benchResult{}
	corpusBytes, err := dirBytes(b.corpus)
	if err != nil {
		return nil, err
	}
	r.CorpusMB = mb(corpusBytes)

	// Ingest, from scratch then with nothing changed, each in a child
	// process so its peak memory is its own.
	if !b.skipIngest {
		fmt.Fprintf(b.stderr, "bench: ingesting %s (%.1f MB) into %s\n", b.corpus, r.CorpusMB, b.index)
		wall, rusage, _, err := b.child(ctx, "ingest", "--rebuild")
		if err != nil {
			return nil, err
		}
		r.IngestMBPerS = r.CorpusMB / wall.Seconds()
		r.IngestPeakRSSMB = float64(rusage.Maxrss) / 1024 // kilobytes on Linux
		if wall, _, _, err = b.child(ctx, "ingest"); err != nil {
			return nil, err
		}
		r.ReingestS = wall.Seconds()
	}

	// Load in a new process, page cache warm from the ingest.
	_, _, out, err := b.child(ctx, "bench-load")
	if err != nil {
		return nil, err
	}
	var lr benchLoadResult
	if err := json.Unmarshal(out, &lr); err != nil {
		return nil, fmt.Errorf("bench-load said %q: %w", out, err)
	}
	r.LoadS, r.HeapMB = lr.LoadS, lr.HeapMB

	// The rest in this process.
	c := b.common
	c.corpus, c.index = b.corpus, b.index
	a, eng, err := loadEngine(ctx, &env{stdout: io.Discard, stderr: b.stderr, getenv: b.getenv}, &c)
	if err != nil {
		return nil, err
	}
	ix, ok := eng.Index().(*index.Index)
	if !ok {
		return nil, errors.New("the engine does not answer from the in-process index")
	}
	r.Chunks = len(ix.Chunks)
	var text int
	for i := range ix.Chunks {
		text += len(ix.Chunks[i].Text)
	}
	r.TextMB = mb(int64(text))
	r.VectorMB = mb(ix.VectorBytes())
	parts, err := ix.PartSizes()
	if err != nil {
		return nil, err
	}
	r.IndexPartsMB = map[string]float64{}
	var total int64
	for k, v := range parts {
		r.IndexPartsMB[k] = round3(mb(v))
		total += v
	}
	r.IndexMB = mb(total)

	qs := b.questions
	at := func(i int) string { return qs[i%len(qs)] }
	// Warm up once over the questions, untimed.
	for i := range min(len(qs), b.n) {
		if _, err := eng.Answer(ctx, rag.Query{Question: at(i)}, nil); err != nil {
			return nil, err
		}
	}
	timeN := func(f func(i int) error) ([]time.Duration, error) {
		out := make([]time.Duration, 0, b.n)
		for i := range b.n {
			start := time.Now()
			if err := f(i); err != nil {
				return nil, err
			}
			out = append(out, time.Since(start))
		}
		return out, nil
	}
	ask, err := timeN(func(i int) error {
		_, err := eng.Answer(ctx, rag.Query{Question: at(i)}, nil)
		return err
	})
	if err != nil {
		return nil, err
	}
	retrieve, err := timeN(func(i int) error {
		_, err := eng.Retrieve(ctx, at(i), 0)
		return err
	})
	if err != nil {
		return nil, err
	}
	// The two searches alone, as rag runs them: the question's terms and
	// vector computed beforehand, untimed.
	k := a.cfg.Retrieval.Candidates
	if k <= 0 {
		k = 50
	}
	terms := make([][]index.Term, len(qs))
	vecs := make([][]float32, len(qs))
	for i, q := range qs {
		f := fold.String(q)
		w := map[string]float64{}
		for _, t := range a.tok.Terms(f) {
			w[t]++
		}
		for t, x := range w {
			terms[i] = append(terms[i], index.Term{Text: t, Weight: x})
		}
		v, err := a.emb.Embed(ctx, []string{f})
		if err != nil {
			return nil, err
		}
		vecs[i] = v[0]
	}
	bm25, err := timeN(func(i int) error {
		_, err := ix.Search(ctx, index.Query{Terms: terms[i%len(qs)], K: k})
		return err
	})
	if err != nil {
		return nil, err
	}
	dense, err := timeN(func(i int) error {
		_, err := ix.Search(ctx, index.Query{Vector: vecs[i%len(qs)], K: k})
		return err
	})
	if err != nil {
		return nil, err
	}
	col, units := ix.Collection(), ix.QueryUnits(k)
	chromemQ, err := timeN(func(i int) error {
		_, err := col.QueryEmbedding(ctx, ix.ScanQuery(vecs[i%len(qs)]), units, nil, nil)
		return err
	})
	if err != nil {
		return nil, err
	}
	scan, err := timeN(func(i int) error {
		if _, ok := ix.ScanVectors(vecs[i%len(qs)]); !ok {
			return errors.New("the index has no flat vector store to scan")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	r.AskP50MS, r.AskP95MS = msOf(percentiles(ask).p50), msOf(percentiles(ask).p95)
	r.RetrieveP50MS, r.RetrieveP95MS = msOf(percentiles(retrieve).p50), msOf(percentiles(retrieve).p95)
	r.BM25P50MS = msOf(percentiles(bm25).p50)
	r.DenseP50MS = msOf(percentiles(dense).p50)
	r.ChromemP50MS = msOf(percentiles(chromemQ).p50)
	r.ScanLimitMS = msOf(percentiles(scan).p50)
	eng, ix, col = nil, nil, nil
	runtime.GC()

	// Whole `policybot ask` processes over the built index: the best of a few.
	for i := range b.oneshots {
		wall, _, _, err := b.child(ctx, "ask", at(i))
		if err != nil {
			return nil, err
		}
		if s := wall.Seconds(); r.OneshotAskS == 0 || s < r.OneshotAskS {
			r.OneshotAskS = s
		}
	}
	return r, nil
}

// child runs this program with a subcommand over the bench's corpus and
// index and returns its wall time, resource usage and standard output.
func (b *benchConfig) child(ctx context.Context, cmd string, args ...string) (time.Duration, *syscall.Rusage, []byte, error) {
	exe, err := os.Executable()
	if err != nil {
		return 0, nil, nil, err
	}
	full := []string{cmd, "--corpus", b.corpus, "--index", b.index}
	if b.common.configPath != "" {
		full = append(full, "--config", b.common.configPath)
	}
	full = append(full, args...)
	c := exec.CommandContext(ctx, exe, full...)
	var out, errOut bytes.Buffer
	c.Stdout, c.Stderr = &out, &errOut
	start := time.Now()
	err = c.Run()
	wall := time.Since(start)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("policybot %s: %w\n%s", strings.Join(full, " "), err, lastLines(errOut.String(), 5))
	}
	ru, _ := c.ProcessState.SysUsage().(*syscall.Rusage)
	if ru == nil {
		ru = &syscall.Rusage{}
	}
	return wall, ru, out.Bytes(), nil
}

// runBenchLoad is the hidden bench-load command: open the index until it
// can answer, answer one question, and report the time since the process
// started and the heap then, as JSON.
func runBenchLoad(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("bench-load", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var c common
	c.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	_, eng, err := loadEngine(ctx, e, &c)
	if err != nil {
		return err
	}
	if _, err := eng.Answer(ctx, rag.Query{Question: builtinBenchQuestions[0]}, nil); err != nil {
		return err
	}
	r := benchLoadResult{LoadS: time.Since(processStart).Seconds()}
	r.HeapMB = mb(int64(heapInUse()))
	runtime.KeepAlive(eng)
	return json.NewEncoder(e.stdout).Encode(r)
}

func printBench(w io.Writer, r *benchResult, nq int, from string) {
	fmt.Fprintf(w, "policybot bench: %d chunks, %d questions from %s\n\n", r.Chunks, nq, from)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	rows := []struct {
		name string
		v    float64
		unit string
	}{
		{"corpus", r.CorpusMB, "MB"}, {"ingest", r.IngestMBPerS, "MB/s"}, {"ingest peak RSS", r.IngestPeakRSSMB, "MB"},
		{"re-ingest, nothing changed", r.ReingestS, "s"}, {"load (new process, until it answers)", r.LoadS, "s"},
		{"heap after load", r.HeapMB, "MB"}, {"chunk text held", r.TextMB, "MB"}, {"vectors held", r.VectorMB, "MB"},
		{"index on disk", r.IndexMB, "MB"},
		{"retrieval p50", r.RetrieveP50MS, "ms"}, {"retrieval p95", r.RetrieveP95MS, "ms"},
		{"BM25 search p50", r.BM25P50MS, "ms"}, {"dense search p50", r.DenseP50MS, "ms"},
		{"chromem-go query p50", r.ChromemP50MS, "ms"}, {"one pass over the vectors", r.ScanLimitMS, "ms"},
		{"answer p50", r.AskP50MS, "ms"}, {"answer p95", r.AskP95MS, "ms"}, {"one-shot ask (process)", r.OneshotAskS, "s"},
	}
	for _, row := range rows {
		fmt.Fprintf(tw, "%s\t%.3f %s\t\n", row.name, row.v, row.unit)
	}
	tw.Flush()
	fmt.Fprintln(w)
}

// writeSynthetic writes a corpus of about n chunks into dst, recombining
// the paragraphs of the text files in src: each synthetic document takes a
// title and shuffled paragraphs, under renumbered headings, so its chunks
// differ from the originals and from each other. Chunks are counted with
// the ingest parser itself, so the corpus holds n ± one document's chunks.
func writeSynthetic(src, dst string, n int, opt ingest.ChunkOptions) error {
	var paras, titles []string
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(d.Name(), ".txt") && !strings.HasSuffix(d.Name(), ".md") {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		f, err := ingest.Parse(d.Name(), raw, opt)
		if err != nil {
			return nil // not text: skipped, as ingest does
		}
		for _, doc := range f.Documents {
			if doc.Title != "" {
				titles = append(titles, doc.Title)
			}
		}
		for _, c := range f.Chunks {
			for _, p := range strings.Split(c.Text, "\n") {
				if p = strings.TrimSpace(p); len([]rune(p)) >= 20 {
					paras = append(paras, p)
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(paras) < 10 || len(titles) == 0 {
		return fmt.Errorf("%s has too little text to recombine (%d paragraphs)", src, len(paras))
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(uint64(n), 9))
	numerals := []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}
	for i, total := 0, 0; total < n; i++ {
		var b strings.Builder
		fmt.Fprintf(&b, "%s（合成第%d号）\n\n", titles[rng.IntN(len(titles))], i+1)
		for s := range 2 + rng.IntN(len(numerals)-1) {
			fmt.Fprintf(&b, "%s、第%d部分\n", numerals[s], rng.IntN(1000))
			for range 2 + rng.IntN(5) {
				b.WriteString(paras[rng.IntN(len(paras))])
				b.WriteString("\n")
			}
			b.WriteString("\n")
		}
		name := fmt.Sprintf("syn-%06d.txt", i)
		raw := []byte(b.String())
		f, err := ingest.Parse(name, raw, opt)
		if err != nil {
			return err
		}
		if total > 0 && total+len(f.Chunks)/2 > n {
			break
		}
		if err := os.WriteFile(filepath.Join(dst, name), raw, 0o644); err != nil {
			return err
		}
		total += len(f.Chunks)
	}
	return nil
}

// dirBytes is the total size of the regular files under dir.
func dirBytes(dir string) (int64, error) {
	var total int64
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		fi, err := d.Info()
		if err == nil {
			total += fi.Size()
		}
		return err
	})
	return total, err
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

func mb(b int64) float64 { return round3(float64(b) / 1e6) }

func msOf(d time.Duration) float64 { return round3(float64(d.Nanoseconds()) / 1e6) }

func round3(x float64) float64 { return float64(int64(x*1000+0.5)) / 1000 }

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
