package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"policybot/config"
	"policybot/embed"
	"policybot/index"
	"policybot/ingest"
	"policybot/lexical"
	"policybot/rag"
	"policybot/rerank"
	"policybot/terms"
)

// common holds the flags every command that reads the index takes.
type common struct {
	configPath string
	corpus     string
	index      string
	retrieval  string
	vectorW    float64
	k          int
	fusion     string
	script     string
	weights    string
}

func (c *common) register(fs *flag.FlagSet) {
	fs.StringVar(&c.configPath, "config", "", "YAML config file (default $POLICYBOT_CONFIG)")
	fs.StringVar(&c.corpus, "corpus", "", "folder of documents (default: the config's, else the folder the index was built from, else seeds)")
	fs.StringVar(&c.index, "index", "", "index directory (default data/index)")
}

func (c *common) registerRetrieval(fs *flag.FlagSet) {
	fs.StringVar(&c.retrieval, "retrieval", "", "retrieval mode: hybrid, lexical or vector")
	fs.Float64Var(&c.vectorW, "vector-weight", 0, "weight of the vector list in the fusion")
	fs.IntVar(&c.k, "k", 0, "passages per result (default 5)")
	fs.StringVar(&c.fusion, "fusion", "", "how lexical and vector lists combine: rrf or score")
}

// registerAnswer adds the flags that shape the answer text.
func (c *common) registerAnswer(fs *flag.FlagSet) {
	fs.StringVar(&c.script, "script", "", "script of an extractive answer: simplified (default) or original")
}

// registerWeights adds the flag naming a file of answer weights.
func (c *common) registerWeights(fs *flag.FlagSet) {
	fs.StringVar(&c.weights, "weights", "", "YAML or JSON file of answer weights (names as in rag.Weights) over the defaults")
}

// app is the wired program: config and components.
type app struct {
	cfg         config.Config
	corpusGiven bool // the corpus was named by a flag, env or config file
	log         *slog.Logger
	tok         *lexical.Tokenizer
	emb         index.Embedder
	terms       *terms.Table
	// weights, when set, are the answer engine's weights (eval --weights,
	// --sweep); else the defaults with the configured vector weight and
	// least coverage.
	weights *rag.Weights
	// problems are the files the last build skipped or indexed with
	// warnings, in the order they were met.
	problems []fileProblem
}

// fileProblem is one file a build skipped (skipped) or indexed with a
// warning.
type fileProblem struct {
	source, msg string
	skipped     bool
}

// limits returns the ingest limits of the configuration, in bytes.
func (a *app) limits() (maxFile int64, lim ingest.Limits) {
	return int64(a.cfg.Ingest.MaxFileMB) << 20, ingest.Limits{
		MaxExtracted: int64(a.cfg.Ingest.MaxExtractedMB) << 20,
		NoOCR:        a.cfg.Ingest.DisableOCR,
	}
}

// load reads the config (file, then environment, then flags) and validates it.
func load(e *env, c *common) (*app, error) {
	path := c.configPath
	if path == "" {
		path = config.PathFromEnv(e.getenv)
	}
	cfg, err := config.Load(path)
	if err != nil {
		return nil, err
	}
	corpusGiven := cfg.Corpus != config.Default().Corpus || e.getenv(config.EnvCorpus) != ""
	cfg.ApplyEnv(e.getenv)
	if c.corpus != "" {
		cfg.Corpus, corpusGiven = c.corpus, true
	}
	if c.index != "" {
		cfg.Index = c.index
	}
	if c.retrieval != "" {
		cfg.Retrieval.Mode = c.retrieval
	}
	if c.vectorW != 0 {
		cfg.Retrieval.VectorWeight = c.vectorW
	}
	if c.fusion != "" {
		cfg.Retrieval.Fusion = c.fusion
	}
	if c.k != 0 {
		cfg.Retrieval.K = c.k
	}
	if c.script != "" {
		cfg.Answer.Script = c.script
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("invalid configuration:\n%w", err)
	}
	a := &app{cfg: cfg, corpusGiven: corpusGiven, log: config.NewLogger(e.stderr, cfg.Log)}
	if c.weights != "" {
		w := a.defaultWeights()
		if w, err = rag.LoadWeights(c.weights, w); err != nil {
			return nil, err
		}
		a.weights = &w
	}
	if cfg.Ingest.MemoryLimitMB > 0 && e.getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(int64(cfg.Ingest.MemoryLimitMB) << 20)
	}
	return a, nil
}

// defaultWeights returns the default answer weights with the configured
// vector weight and least coverage.
func (a *app) defaultWeights() rag.Weights {
	w := rag.DefaultWeights()
	w.VectorWeight, w.MinCoverage = a.cfg.Retrieval.VectorWeight, a.cfg.Answer.MinCoverage
	return w
}

// components creates the tokenizer, embedder and term table.
func (a *app) components(stderr io.Writer) error {
	var err error
	if a.terms, err = terms.Load(a.cfg.Retrieval.TermsFile); err != nil {
		return err
	}
	if a.tok, err = lexical.NewTokenizer(); err != nil {
		return err
	}
	if a.cfg.Embed.BaseURL == "" {
		a.emb = embed.NewBuiltin(a.terms, a.tok)
		return nil
	}
	oe, err := embed.NewOpenAI(embed.OpenAIConfig{
		BaseURL: a.cfg.Embed.BaseURL, Model: a.cfg.Embed.Model, APIKey: a.cfg.Embed.APIKey.Reveal(),
		BatchSize: a.cfg.Embed.BatchSize, Concurrency: a.cfg.Embed.Concurrency, MaxRetries: a.cfg.Embed.MaxRetries,
		Timeout: a.cfg.Embed.Timeout, Progress: embed.NewProgressBar(stderr, "embedding"),
	})
	if err != nil {
		return fmt.Errorf("embedder: %w", err)
	}
	a.emb = oe
	return nil
}

func (a *app) chunkOptions() ingest.ChunkOptions {
	return ingest.ChunkOptions{Target: a.cfg.Chunk.TargetChars, Max: a.cfg.Chunk.MaxChars}
}

// build runs an ingest of the configured corpus into the configured index.
func (a *app) build(ctx context.Context, stderr io.Writer, rebuild bool) (*index.Stats, error) {
	start := time.Now()
	a.problems = nil
	maxFile, lim := a.limits()
	if a.cfg.Ingest.MemoryLimitMB > 0 {
		// Under the memory limit a build collects garbage a quarter as
		// often (16% less CPU over the real corpus); the limit still
		// bounds the heap.
		defer debug.SetGCPercent(debug.SetGCPercent(400))
	}
	st, err := index.Build(ctx, index.BuildOptions{
		Corpus: a.cfg.Corpus, Dir: a.cfg.Index, Chunk: a.chunkOptions(), Embedder: a.emb, Tokenizer: a.tok,
		Rebuild: rebuild, MaxFileBytes: maxFile, Limits: lim,
		Warn: func(src string, err error) {
			a.problems = append(a.problems, fileProblem{source: src, msg: err.Error(), skipped: true})
			a.log.Warn("skipped file", "file", src, "err", err)
		},
		Notice: func(src, w string) {
			a.problems = append(a.problems, fileProblem{source: src, msg: w})
			a.log.Warn("indexed file with a problem", "file", src, "warning", w)
		},
		Progress: embed.NewProgressBar(stderr, "embedding"),
	})
	if err != nil {
		return nil, err
	}
	a.log.Info("index ready", "corpus", a.cfg.Corpus, "index", a.cfg.Index, "files", st.Files, "added", st.Added,
		"changed", st.Changed, "removed", st.Removed, "unchanged", st.Unchanged, "skipped", st.Skipped,
		"documents", st.Documents, "chunks", st.Chunks, "embedded", st.Embedded, "up_to_date", st.UpToDate,
		"elapsed", time.Since(start).Round(time.Millisecond))
	return st, nil
}

// openIndex opens the index, building or updating it first when there is
// none or its corpus changed.
func (a *app) openIndex(ctx context.Context, stderr io.Writer) (*index.Index, error) {
	ix, err := index.Open(a.cfg.Index)
	switch {
	case errors.Is(err, index.ErrNoIndex):
		a.log.Info("no index yet: building it", "corpus", a.cfg.Corpus, "index", a.cfg.Index)
	case err != nil:
		return nil, err
	default:
		if !a.corpusGiven && ix.Manifest.Corpus != "" {
			a.cfg.Corpus = ix.Manifest.Corpus
		}
		if ix.Manifest.Embedder != a.emb.Name() {
			return nil, &index.MismatchError{Dir: a.cfg.Index, Built: ix.Manifest.Embedder, Requested: a.emb.Name()}
		}
		changes, err := ix.Stale(a.cfg.Corpus)
		if err != nil {
			return nil, err
		}
		if len(changes) == 0 && ix.Current(a.chunkOptions()) {
			return ix, nil
		}
		a.log.Info("index is stale: updating it", "changes", strings.Join(changes, ", "))
	}
	if _, err := a.build(ctx, stderr, false); err != nil {
		return nil, err
	}
	return index.Open(a.cfg.Index)
}

// The in-process index is what rag retrieves from.
var _ rag.Retriever = (*index.Index)(nil)

// engine wires the answer engine over an open index.
func (a *app) engine(ix *index.Index) (*rag.Engine, error) {
	places, err := terms.LoadPlaces(a.cfg.Retrieval.PlacesFile)
	if err != nil {
		return nil, fmt.Errorf("retrieval.places_file: %w", err)
	}
	opt := rag.Options{
		Places: places,
		K:      a.cfg.Retrieval.K, Candidates: a.cfg.Retrieval.Candidates, Mode: a.cfg.Retrieval.Mode,
		VectorWeight: a.cfg.Retrieval.VectorWeight, MaxAnswerChars: a.cfg.Answer.MaxChars,
		RewriteFollowups: a.cfg.LLM.RewriteFollowups, RerankTopN: a.cfg.Rerank.TopN, Fusion: a.cfg.Retrieval.Fusion,
		MinCoverage: a.cfg.Answer.MinCoverage, Script: a.cfg.Answer.Script, Weights: a.weights,
	}
	if a.cfg.LLM.BaseURL != "" {
		cc := openai.DefaultConfig(a.cfg.LLM.APIKey.Reveal())
		cc.BaseURL = a.cfg.LLM.BaseURL
		gopts := []rag.Option{rag.WithTimeout(a.cfg.LLM.Timeout), rag.WithTemperature(float32(a.cfg.LLM.Temperature)),
			rag.WithMaxTokens(a.cfg.LLM.MaxTokens)}
		if a.cfg.LLM.PromptFile != "" {
			gopts = append(gopts, rag.WithPromptFile(a.cfg.LLM.PromptFile))
		}
		g, err := rag.NewGenerator(openai.NewClientWithConfig(cc), a.cfg.LLM.Model, gopts...)
		if err != nil {
			return nil, fmt.Errorf("llm %s (model %s): %w", a.cfg.LLM.BaseURL, a.cfg.LLM.Model, err)
		}
		opt.Generator = g
	}
	if a.cfg.Rerank.BaseURL != "" {
		rr, err := rerank.New(rerank.Config{BaseURL: a.cfg.Rerank.BaseURL, Model: a.cfg.Rerank.Model,
			APIKey: a.cfg.Rerank.APIKey.Reveal(), Timeout: a.cfg.Rerank.Timeout})
		if err != nil {
			return nil, fmt.Errorf("reranker %s: %w", a.cfg.Rerank.BaseURL, err)
		}
		opt.Reranker = rr
	}
	return rag.New(ix, a.emb, a.tok, a.terms, opt)
}

// loadEngine is what ask, chat, eval, bench and bot share: config,
// components, index (built if needed), engine.
func loadEngine(ctx context.Context, e *env, c *common) (*app, *rag.Engine, error) {
	a, err := load(e, c)
	if err != nil {
		return nil, nil, err
	}
	if err := a.components(e.stderr); err != nil {
		return nil, nil, err
	}
	ix, err := a.openIndex(ctx, e.stderr)
	if err != nil {
		return nil, nil, err
	}
	eng, err := a.engine(ix)
	if err != nil {
		return nil, nil, err
	}
	return a, eng, nil
}

func absOr(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}
